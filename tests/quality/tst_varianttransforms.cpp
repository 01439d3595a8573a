#include "quality/Grader.h"
#include "quality/VariantTransforms.h"

#include <QSet>
#include <QTest>

using namespace Slopscope;

namespace {

SuiteCase promptCase(const QString &id, const QString &prompt)
{
    SuiteCase c;
    c.id = id;
    c.prompt = prompt;
    return c;
}

Assertion assertion(const char *type, nlohmann::json value)
{
    Assertion a;
    a.type = QString::fromLatin1(type);
    a.value = std::move(value);
    return a;
}

QString applied(const SuiteCase &c, VariantTransform t, std::uint64_t seed = 1)
{
    const auto v = VariantTransforms::apply(c, t, seed);
    return v ? v->prompt : QStringLiteral("<none>");
}

const QString kQuestion =
    QStringLiteral("Question: Which is a fruit?\nA) Carrot\nB) Apple\nC) Potato\nD) Leek\nAnswer:");

} // namespace

class TestVariantTransforms final : public QObject
{
    Q_OBJECT

private slots:
    void idsAndNames();
    void reorderRelabelsOptions();
    void reorderMovesLabelsTheAnswerNames();
    void reorderBulletsAndNoList();
    void markdownToPlain();
    void plainToMarkdown();
    void casingKeepsPlaceholdersAndCode();
    void whitespaceOnlyChangesSpacing();
    void distractorSentence();
    void renameEntities();
    void changeNumbersRecomputesTheAnswer();
    void changeNumbersNeedsAnswerOrFreeVars();
    void moveInstructions();
    void conversationsChangeTheLastUserMessage();
    void generateVariantsIsStableAndDoesNotDuplicate();
    void arithmetic_data();
    void arithmetic();
};

void TestVariantTransforms::idsAndNames()
{
    QCOMPARE(VariantTransforms::all().size(), 9);
    QSet<QString> ids;
    for (const VariantTransform t : VariantTransforms::all()) {
        const QString id = VariantTransforms::id(t);
        QVERIFY(id.startsWith(QStringLiteral("t:")));
        ids.insert(id);
        QCOMPARE(VariantTransforms::fromName(id), t);
        QCOMPARE(VariantTransforms::fromName(VariantTransforms::kind(t)), t);
    }
    QCOMPARE(ids.size(), 9);
    QCOMPARE(VariantTransforms::id(VariantTransform::ReorderOptions), QStringLiteral("t:reorder"));
    QVERIFY(!VariantTransforms::fromName(QStringLiteral("t:nope")));
}

void TestVariantTransforms::reorderRelabelsOptions()
{
    SuiteCase c = promptCase(QStringLiteral("fruit"), kQuestion);
    c.reference = QStringLiteral("Apple");
    const auto v = VariantTransforms::apply(c, VariantTransform::ReorderOptions, 1);
    QVERIFY(v);
    QCOMPARE(v->id, QStringLiteral("t:reorder"));
    QCOMPARE(v->kind, QStringLiteral("reorder"));
    const QStringList lines = v->prompt.split(u'\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.first(), QStringLiteral("Question: Which is a fruit?"));
    QCOMPARE(lines.last(), QStringLiteral("Answer:"));
    QStringList contents;
    const char *labels[] = {"A)", "B)", "C)", "D)"};
    for (int i = 0; i < 4; ++i) {
        QVERIFY2(lines.at(i + 1).startsWith(QLatin1StringView(labels[i])), qPrintable(lines.at(i + 1)));
        contents.append(lines.at(i + 1).mid(3));
    }
    QVERIFY(contents != (QStringList{QStringLiteral("Carrot"), QStringLiteral("Apple"), QStringLiteral("Potato"),
                                     QStringLiteral("Leek")}));
    contents.sort();
    QCOMPARE(contents, (QStringList{QStringLiteral("Apple"), QStringLiteral("Carrot"), QStringLiteral("Leek"),
                                    QStringLiteral("Potato")}));
    // Same seed, same order; the seeds between them reach other orders.
    QCOMPARE(applied(c, VariantTransform::ReorderOptions, 1), v->prompt);
    QSet<QString> orders;
    for (std::uint64_t seed = 1; seed <= 12; ++seed)
        orders.insert(applied(c, VariantTransform::ReorderOptions, seed));
    QVERIFY(orders.size() >= 4);
    QVERIFY(!orders.contains(kQuestion)); // never the original order
}

void TestVariantTransforms::reorderMovesLabelsTheAnswerNames()
{
    SuiteCase c = promptCase(QStringLiteral("fruit"), kQuestion);
    c.reference = QStringLiteral("B) Apple");
    c.assertions = {assertion("icontains", "Apple")};
    const QString out = applied(c, VariantTransform::ReorderOptions, 3);
    const QStringList lines = out.split(u'\n');
    // Each option keeps its label, so "B) Apple" is still the right answer; only the order changed.
    QVERIFY(lines.contains(QStringLiteral("B) Apple")));
    QVERIFY(lines.contains(QStringLiteral("A) Carrot")));
    QVERIFY(out != kQuestion);
}

void TestVariantTransforms::reorderBulletsAndNoList()
{
    const SuiteCase bullets =
        promptCase(QStringLiteral("b"), QStringLiteral("Rank these:\n- speed\n- price\n- quality\nBe brief."));
    const QString out = applied(bullets, VariantTransform::ReorderOptions, 5);
    QVERIFY(out.startsWith(QStringLiteral("Rank these:\n- ")));
    QVERIFY(out.endsWith(QStringLiteral("\nBe brief.")));
    QVERIFY(out != bullets.prompt);
    QStringList items = out.split(u'\n').mid(1, 3);
    items.sort();
    QCOMPARE(items, (QStringList{QStringLiteral("- price"), QStringLiteral("- quality"), QStringLiteral("- speed")}));
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("n"), QStringLiteral("What is 2 + 2?")),
                                      VariantTransform::ReorderOptions, 1));
    // A single option line is no list.
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("n"), QStringLiteral("Note:\n- only one")),
                                      VariantTransform::ReorderOptions, 1));
}

void TestVariantTransforms::markdownToPlain()
{
    const SuiteCase md = promptCase(
        QStringLiteral("md"),
        QStringLiteral(
            "# Task\n**Summarise** the *text* using `grep` and [the docs](https://x.org).\n- first\n- second\n"
            "```python\n**kept** = `as is`\n```"));
    QCOMPARE(applied(md, VariantTransform::MarkdownToPlain),
             QStringLiteral("Task\nSummarise the text using grep and the docs (https://x.org).\nfirst\nsecond\n"
                            "```python\n**kept** = `as is`\n```"));
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("p"), QStringLiteral("Plain text, 2 * 3 = 6.")),
                                      VariantTransform::MarkdownToPlain, 1));
}

void TestVariantTransforms::plainToMarkdown()
{
    const SuiteCase c = promptCase(QStringLiteral("q"), kQuestion);
    QCOMPARE(applied(c, VariantTransform::PlainToMarkdown),
             QStringLiteral("### Task\n\n**Question:** Which is a fruit?\n- **A)** Carrot\n- **B)** Apple\n"
                            "- **C)** Potato\n- **D)** Leek\n**Answer:**"));
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("m"), QStringLiteral("Already **bold**.")),
                                      VariantTransform::PlainToMarkdown, 1));
}

void TestVariantTransforms::casingKeepsPlaceholdersAndCode()
{
    SuiteCase c = promptCase(QStringLiteral("c"), QStringLiteral("What Is The Capital Of {{Country}}? Use `Printf`."));
    c.vars.insert(QStringLiteral("Country"), QStringLiteral("France"));
    const auto v = VariantTransforms::apply(c, VariantTransform::Casing, 1);
    QVERIFY(v);
    QCOMPARE(v->prompt, QStringLiteral("what is the capital of {{Country}}? use `Printf`."));
    Suite s;
    s.cases.append(c);
    QCOMPARE(s.messagesFor(c, &*v).last().content, QStringLiteral("what is the capital of France? use `Printf`."));
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("l"), QStringLiteral("already lower")),
                                      VariantTransform::Casing, 1));
}

void TestVariantTransforms::whitespaceOnlyChangesSpacing()
{
    const QString code = QStringLiteral("```python\ndef f(x):\n    return x  * 2\n```");
    const SuiteCase c = promptCase(QStringLiteral("w"), QStringLiteral("Fix this function so that it returns the "
                                                                       "square of x instead:\n") +
                                                            code);
    const QString out = applied(c, VariantTransform::Whitespace, 9);
    QVERIFY(out != c.prompt);
    QCOMPARE(out.simplified(), c.prompt.simplified());
    QVERIFY(out.contains(code)); // code keeps its exact spacing
    QCOMPARE(applied(c, VariantTransform::Whitespace, 9), out);
}

void TestVariantTransforms::distractorSentence()
{
    SuiteCase c = promptCase(QStringLiteral("d"), QStringLiteral("What is the capital city of Australia?"));
    c.metadata["distractor_sentences"] = {"Kangaroos can hop quite fast."};
    const QString out = applied(c, VariantTransform::Distractor, 2);
    QVERIFY(out.contains(QStringLiteral("Kangaroos can hop quite fast.")));
    QVERIFY(out.contains(c.prompt));
    // Built-in sentences otherwise; both placements occur over seeds.
    const SuiteCase plain = promptCase(QStringLiteral("p"), QStringLiteral("What is the capital city of Australia?"));
    bool before = false;
    bool after = false;
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
        const QString o = applied(plain, VariantTransform::Distractor, seed);
        QVERIFY(o.contains(plain.prompt) && o.size() > plain.prompt.size() + 20);
        before = before || o.endsWith(plain.prompt);
        after = after || o.startsWith(plain.prompt);
    }
    QVERIFY(before && after);
    // In a question with options it goes before, or after the first line: options stay together.
    const SuiteCase mc = promptCase(QStringLiteral("mc"), kQuestion);
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const QString o = applied(mc, VariantTransform::Distractor, seed);
        QVERIFY(o.contains(QStringLiteral("\nA) Carrot\nB) Apple\nC) Potato\nD) Leek\nAnswer:")));
    }
}

void TestVariantTransforms::renameEntities()
{
    SuiteCase c = promptCase(QStringLiteral("tall"), QStringLiteral("{{a}} is taller than {{b}}. Who is shorter?"));
    c.vars = {{QStringLiteral("a"), QStringLiteral("Tom")},
              {QStringLiteral("b"), QStringLiteral("Ann Lee")},
              {QStringLiteral("n"), QStringLiteral("3")},
              {QStringLiteral("unused"), QStringLiteral("Zoe")}};
    c.reference = QStringLiteral("Ann Lee");
    c.assertions = {assertion("icontains", "Ann Lee"), assertion("not-icontains", "Tom")};
    const auto v = VariantTransforms::apply(c, VariantTransform::RenameEntities, 4);
    QVERIFY(v);
    QCOMPARE(v->prompt, c.prompt); // the template stays; the vars change
    QVERIFY(v->vars.contains(QStringLiteral("a")) && v->vars.contains(QStringLiteral("b")));
    QVERIFY(!v->vars.contains(QStringLiteral("n")));      // not a name
    QVERIFY(!v->vars.contains(QStringLiteral("unused"))); // not in the prompt
    const QString newA = v->vars.value(QStringLiteral("a"));
    const QString newB = v->vars.value(QStringLiteral("b"));
    QVERIFY(newA != QStringLiteral("Tom") && newB != QStringLiteral("Ann Lee") && newA != newB);
    // The answer follows the rename.
    QCOMPARE(v->reference, newB);
    QVERIFY(v->assertions);
    QCOMPARE(v->assertions->at(0).value.get<std::string>(), newB.toStdString());
    QCOMPARE(v->assertions->at(1).value.get<std::string>(), newA.toStdString());
    Suite s;
    s.cases.append(c);
    const QString asked = s.messagesFor(c, &*v).last().content;
    QCOMPARE(asked, newA + QStringLiteral(" is taller than ") + newB + QStringLiteral(". Who is shorter?"));
    QVERIFY(Grader::gradeAll(s.assertionsFor(c, &*v), {newB, {}, {}, {}, {}}).pass);
    QVERIFY(!Grader::gradeAll(s.assertionsFor(c, &*v), {QStringLiteral("Ann Lee"), {}, {}, {}, {}}).pass);
    // Names from the case's own list.
    c.metadata["names"] = {"Xavier", "Yolanda"};
    const auto w = VariantTransforms::apply(c, VariantTransform::RenameEntities, 4);
    QCOMPARE((QSet<QString>{w->vars.value(QStringLiteral("a")), w->vars.value(QStringLiteral("b"))}),
             (QSet<QString>{QStringLiteral("Xavier"), QStringLiteral("Yolanda")}));
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("x"), QStringLiteral("No vars here")),
                                      VariantTransform::RenameEntities, 1));
}

void TestVariantTransforms::changeNumbersRecomputesTheAnswer()
{
    SuiteCase c = promptCase(QStringLiteral("clips"),
                             QStringLiteral("Natalia sold {{n}} clips in April and half as many in May. How many "
                                            "clips did she sell altogether?"));
    c.vars.insert(QStringLiteral("n"), QStringLiteral("48"));
    c.metadata["answer"] = "{{n}} + {{n}} / 2";
    c.reference = QStringLiteral("72");
    c.assertions = {assertion("regex", "\\b72\\b"), assertion("numeric", 72)};
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto v = VariantTransforms::apply(c, VariantTransform::ChangeNumbers, seed);
        QVERIFY(v);
        const int n = v->vars.value(QStringLiteral("n")).toInt();
        QVERIFY2(n != 48 && n >= 24 && n <= 96, qPrintable(v->vars.value(QStringLiteral("n"))));
        QCOMPARE(n % 2, 0); // the answer stays a whole number
        const QString answer = QString::number(n + n / 2);
        QCOMPARE(v->reference, answer);
        QVERIFY(v->assertions);
        QCOMPARE(v->assertions->at(0).value.get<std::string>(),
                 QString(QStringLiteral("\\b") + answer + QStringLiteral("\\b")).toStdString());
        QCOMPARE(v->assertions->at(1).value.get<double>(), answer.toDouble());
        Suite s;
        s.cases.append(c);
        QVERIFY(Grader::gradeAll(s.assertionsFor(c, &*v), {QStringLiteral("She sold ") + answer, {}, {}, {}, {}}).pass);
        QVERIFY(!Grader::gradeAll(s.assertionsFor(c, &*v), {QStringLiteral("She sold 72"), {}, {}, {}, {}}).pass);
    }
}

void TestVariantTransforms::changeNumbersNeedsAnswerOrFreeVars()
{
    SuiteCase c = promptCase(QStringLiteral("sally"),
                             QStringLiteral("Sally has {{b}} brothers. Each brother has 2 sisters. How many sisters "
                                            "does Sally have?"));
    c.vars.insert(QStringLiteral("b"), QStringLiteral("3"));
    c.reference = QStringLiteral("1");
    // The answer may depend on any number: without a formula or a declaration nothing changes.
    QVERIFY(!VariantTransforms::apply(c, VariantTransform::ChangeNumbers, 1));
    c.metadata["free_vars"] = {"b"};
    const auto v = VariantTransforms::apply(c, VariantTransform::ChangeNumbers, 1);
    QVERIFY(v);
    QVERIFY(v->vars.value(QStringLiteral("b")) != QStringLiteral("3"));
    QVERIFY(v->reference.isEmpty()); // the case's reference still holds
    QVERIFY(!v->assertions);
    // Decimals keep their precision.
    SuiteCase price = promptCase(QStringLiteral("p"), QStringLiteral("A pen costs ${{p}}. What do 2 pens cost?"));
    price.vars.insert(QStringLiteral("p"), QStringLiteral("1.25"));
    price.metadata["answer"] = "2 * {{p}}";
    price.reference = QStringLiteral("$2.5");
    const auto w = VariantTransforms::apply(price, VariantTransform::ChangeNumbers, 3);
    QVERIFY(w);
    QVERIFY(w->vars.value(QStringLiteral("p")).contains(u'.'));
    const double p = w->vars.value(QStringLiteral("p")).toDouble();
    QVERIFY2(w->reference.startsWith(u'$'), qPrintable(w->reference)); // rewritten in place, "$" kept
    QCOMPARE(w->reference.mid(1).toDouble(), 2 * p);
}

void TestVariantTransforms::moveInstructions()
{
    QCOMPARE(applied(promptCase(QStringLiteral("m"),
                                QStringLiteral("What is 17 multiplied by 23? Reply with the number only.")),
                     VariantTransform::MoveInstructions),
             QStringLiteral("Reply with the number only. What is 17 multiplied by 23?"));
    QCOMPARE(
        applied(promptCase(QStringLiteral("s"), QStringLiteral("Summarise the text below in one sentence.\n\n"
                                                               "The meeting moved to Tuesday. Bring slides.")),
                VariantTransform::MoveInstructions),
        QStringLiteral("The meeting moved to Tuesday. Bring slides.\n\nSummarise the text below in one sentence."));
    SuiteCase named = promptCase(QStringLiteral("n"), QStringLiteral("Context: the sky is blue. Keep it short. Why?"));
    named.metadata["instruction"] = "Keep it short.";
    QCOMPARE(applied(named, VariantTransform::MoveInstructions),
             QStringLiteral("Keep it short. Context: the sky is blue. Why?"));
    QVERIFY(applied(named, VariantTransform::MoveInstructions).startsWith(QStringLiteral("Keep it short.")));
    // Nothing to move: one sentence, or a question with options, or code.
    QVERIFY(!VariantTransforms::apply(promptCase(QStringLiteral("o"), QStringLiteral("Who wrote Hamlet?")),
                                      VariantTransform::MoveInstructions, 1));
    QVERIFY(
        !VariantTransforms::apply(promptCase(QStringLiteral("q"), kQuestion), VariantTransform::MoveInstructions, 1));
}

void TestVariantTransforms::conversationsChangeTheLastUserMessage()
{
    SuiteCase c;
    c.id = QStringLiteral("chat");
    c.messages = {{QStringLiteral("system"), QStringLiteral("Be Brief.")},
                  {QStringLiteral("user"), QStringLiteral("Hello There")},
                  {QStringLiteral("assistant"), QStringLiteral("Hi!")},
                  {QStringLiteral("user"), QStringLiteral("What Is The Time?")}};
    const auto v = VariantTransforms::apply(c, VariantTransform::Casing, 1);
    QVERIFY(v);
    QVERIFY(v->prompt.isEmpty());
    QCOMPARE(v->messages.size(), 4);
    QCOMPARE(v->messages.at(0).content, QStringLiteral("Be Brief."));
    QCOMPARE(v->messages.at(1).content, QStringLiteral("Hello There"));
    QCOMPARE(v->messages.at(3).content, QStringLiteral("what is the time?"));
}

void TestVariantTransforms::generateVariantsIsStableAndDoesNotDuplicate()
{
    auto loaded = Suite::fromJson(R"({"name": "s", "cases": [
        {"id": "mc", "prompt": "Question: Which is a fruit?\nA) Carrot\nB) Apple\nC) Potato\nAnswer:", "reference": "Apple",
         "variants": [{"id": "t:case", "kind": "casing", "prompt": "written by hand"}]},
        {"id": "arith", "prompt": "What is {{a}} times 3? Reply with the number only.", "vars": {"a": 7},
         "metadata": {"answer": "{{a}} * 3"}, "assert": [{"type": "numeric", "value": 21}]}]})",
                                  QStringLiteral("s.json"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    qsizetype added = 0;
    const Suite once = VariantTransforms::generateVariants(loaded.value(), VariantTransforms::all(), 11, &added);
    QVERIFY(added >= 8);
    const SuiteCase &mc = once.cases.at(0);
    QCOMPARE(mc.variants.first().prompt, QStringLiteral("written by hand")); // kept, not duplicated
    QSet<QString> ids;
    for (const auto &v : mc.variants) {
        QVERIFY(!ids.contains(v.id));
        ids.insert(v.id);
    }
    QVERIFY(ids.contains(QStringLiteral("t:reorder")));
    QVERIFY(once.cases.at(1).findVariant(QStringLiteral("t:numbers")));
    QVERIFY(once.cases.at(1).findVariant(QStringLiteral("t:instructions")));
    // Every variant renders completely.
    for (const auto &c : once.cases) {
        for (const auto &v : c.variants) {
            const QString text = once.messagesFor(c, &v).last().content;
            QVERIFY2(!text.contains(QStringLiteral("{{")), qPrintable(c.id + u' ' + v.id));
        }
    }
    // A rerun adds nothing; the same seed reproduces the same variants.
    qsizetype again = -1;
    const Suite twice = VariantTransforms::generateVariants(once, VariantTransforms::all(), 11, &again);
    QCOMPARE(again, 0);
    QCOMPARE(twice.cases.at(0).variants.size(), once.cases.at(0).variants.size());
    const Suite fresh = VariantTransforms::generateVariants(loaded.value(), VariantTransforms::all(), 11);
    for (qsizetype i = 0; i < fresh.cases.size(); ++i) {
        QCOMPARE(fresh.cases.at(i).variants.size(), once.cases.at(i).variants.size());
        for (qsizetype k = 0; k < fresh.cases.at(i).variants.size(); ++k) {
            QCOMPARE(fresh.cases.at(i).variants.at(k).prompt, once.cases.at(i).variants.at(k).prompt);
            QCOMPARE(fresh.cases.at(i).variants.at(k).vars, once.cases.at(i).variants.at(k).vars);
        }
    }
}

void TestVariantTransforms::arithmetic_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("precedence") << "2 + 3 * (4 - 1) / 2" << 6.5 << true;
    QTest::newRow("unary") << "-3 * -2" << 6.0 << true;
    QTest::newRow("decimals") << "48 + 48 / 2" << 72.0 << true;
    QTest::newRow("nested") << "((1 + 2) * (3 + 4))" << 21.0 << true;
    QTest::newRow("division by zero") << "1 / 0" << 0.0 << false;
    QTest::newRow("dangling") << "2 +" << 0.0 << false;
    QTest::newRow("letters") << "abc" << 0.0 << false;
    QTest::newRow("unclosed") << "(1 + 2" << 0.0 << false;
    QTest::newRow("placeholder left") << "{{n}} + 1" << 0.0 << false;
}

void TestVariantTransforms::arithmetic()
{
    QFETCH(QString, expression);
    QFETCH(double, value);
    QFETCH(bool, valid);
    const auto result = VariantTransforms::evaluate(expression);
    QCOMPARE(result.has_value(), valid);
    if (valid)
        QCOMPARE(*result, value);
}

QTEST_GUILESS_MAIN(TestVariantTransforms)
#include "tst_varianttransforms.moc"
