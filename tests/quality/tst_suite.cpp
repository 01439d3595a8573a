#include "quality/Suite.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

class TestSuite final : public QObject
{
    Q_OBJECT

private slots:
    void codeTestsKeepTheirInterpreter();
    void smallestValidSuite();
    void fullCase();
    void messagesForAppliesSystemAndVars();
    void templatesDoNotRecurse();
    void rejects_data();
    void rejects();
    void errorNamesLineColumnAndField();
    void numberOverflowIsAnError();
    void bomAndCrlfAccepted();
    void bundledDemoSuitesLoad();
    void variantsCarryVarsAndAnswers();
    void thresholdDescriptionAndAliases();
    void invalidUtf8NamesTheByte_data();
    void invalidUtf8NamesTheByte();
    void oddCharactersInNamesAreKept();
    void fiveMegabytePromptLoads();
    void tooLargeRefusedWithoutReading();
};

void TestSuite::invalidUtf8NamesTheByte_data()
{
    QTest::addColumn<QByteArray>("doc");
    QTest::addColumn<QString>("expected");
    const QByteArray head = "{\n  \"name\": \"s\",\n  \"cases\": [{\"id\": \"a\", \"prompt\": \"";
    const QByteArray tail = "\"}]\n}\n";
    const auto at = [&](const char *bad) -> QByteArray { return head + "ok\xC3\xA9" + bad + tail; };
    // Line 3; the column counts code points ("é" is one), the offset counts bytes.
    QTest::newRow("lone continuation") << at("\x80")
                                       << QStringLiteral("t.json:3:39: invalid UTF-8 at byte offset 56 (byte 0x80)");
    QTest::newRow("overlong NUL") << at("\xC0\x80") << QStringLiteral("byte offset 56 (byte 0xc0)");
    QTest::newRow("encoded surrogate") << at("\xED\xA0\x80") << QStringLiteral("byte offset 56 (byte 0xed)");
    QTest::newRow("past U+10FFFF") << at("\xF4\x90\x80\x80") << QStringLiteral("byte offset 56 (byte 0xf4)");
    QTest::newRow("cut at the end") << QByteArray(head + "\xE2\x82") << QStringLiteral("byte offset 52 (byte 0xe2)");
}

void TestSuite::invalidUtf8NamesTheByte()
{
    QFETCH(QByteArray, doc);
    QFETCH(QString, expected);
    const auto suite = Suite::fromJson(doc, QStringLiteral("t.json"));
    QVERIFY(!suite.ok());
    QVERIFY2(suite.error().contains(expected), qPrintable(suite.error()));
}

void TestSuite::oddCharactersInNamesAreKept()
{
    // NUL, RTL override and zero-width space are valid JSON escapes: loaded as they are (the views
    // show them escaped, ViewText::visibleName), never cut or reordered silently.
    const QByteArray doc = R"({"name": "a\u0000b\u202Ec", "cases": [{"id": "x\u200By", "prompt": "p"}]})";
    const auto suite = Suite::fromJson(doc, QStringLiteral("odd.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    QCOMPARE(suite.value().name, QStringLiteral("a") + QChar(0) + QStringLiteral("b\u202Ec"));
    QCOMPARE(suite.value().cases.at(0).id, QStringLiteral("x\u200By"));
}

void TestSuite::fiveMegabytePromptLoads()
{
    const QByteArray prompt(5 * 1024 * 1024, 'w');
    const QByteArray doc = R"({"name": "big", "cases": [{"id": "a", "prompt": ")" + prompt + R"("}]})";
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("big.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(doc), doc.size());
    file.close();
    const auto suite = Suite::fromFile(file.fileName());
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    QCOMPARE(suite.value().cases.at(0).prompt.size(), prompt.size());
}

void TestSuite::tooLargeRefusedWithoutReading()
{
    // A sparse file one byte over the limit: refused from its size, before any byte is read
    // (reading and parsing 64 MiB would take seconds; the check takes microseconds).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(Suite::kMaxFileBytes + 1));
    file.close();
    QElapsedTimer clock;
    clock.start();
    const auto suite = Suite::fromFile(path);
    QVERIFY(clock.elapsed() < 500);
    QVERIFY(!suite.ok());
    QCOMPARE(suite.error(), path + QStringLiteral(": the suite is too large (64 MiB; limit 64 MiB)"));
    // A 200 MB suite (L-6) is over it too.
    QVERIFY(200LL * 1000 * 1000 > Suite::kMaxFileBytes);
}

void TestSuite::smallestValidSuite()
{
    const QByteArray doc =
        R"({"name": "s", "cases": [{"id": "c1", "prompt": "Capital of France?", "assert": [{"type": "icontains", "value": "Paris"}]}]})";
    auto suite = Suite::fromJson(doc, QStringLiteral("s.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    QCOMPARE(suite.value().name, QStringLiteral("s"));
    QCOMPARE(suite.value().cases.size(), 1);
    const SuiteCase &c = suite.value().cases.first();
    QCOMPARE(c.id, QStringLiteral("c1"));
    QCOMPARE(c.prompt, QStringLiteral("Capital of France?"));
    QCOMPARE(c.assertions.size(), 1);
    QCOMPARE(c.assertions.first().type, QStringLiteral("icontains"));
    QCOMPARE(c.assertions.first().value.get<std::string>(), std::string("Paris"));
    QCOMPARE(c.weight, 1.0);
}

void TestSuite::fullCase()
{
    const QByteArray doc = R"({"name": "full", "description": "d",
      "defaults": {"system": "Be brief.", "params": {"temperature": 0}, "assert": [{"type": "latency", "threshold": 5000}]},
      "cases": [{"id": "cap", "prompt": "Capital of {{country}}?", "vars": {"country": "France", "n": 3},
                 "reference": "Paris", "tags": ["geo", "easy"], "weight": 2, "metadata": {"category": "facts"},
                 "assert": [{"type": "not-icontains", "value": "Lyon", "weight": 0.5}],
                 "variants": [{"id": "p1", "kind": "paraphrase", "prompt": "Which city is the capital of {{country}}?"}]}]})";
    auto suite = Suite::fromJson(doc, QStringLiteral("full.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const Suite &s = suite.value();
    QCOMPARE(s.defaults.system, QStringLiteral("Be brief."));
    QCOMPARE(s.defaults.assertions.first().threshold.value(), 5000.0);
    const SuiteCase &c = s.cases.first();
    QCOMPARE(c.vars.value(QStringLiteral("n")), QStringLiteral("3"));
    QCOMPARE(c.tags, (QStringList{QStringLiteral("geo"), QStringLiteral("easy")}));
    QCOMPARE(c.weight, 2.0);
    QCOMPARE(c.metadata.at("category").get<std::string>(), std::string("facts"));
    QCOMPARE(c.assertions.first().weight, 0.5);
    QCOMPARE(c.variants.size(), 1);
    QCOMPARE(c.variants.first().kind, QStringLiteral("paraphrase"));
    QVERIFY(s.findCase(QStringLiteral("cap")));
    QVERIFY(!s.findCase(QStringLiteral("nope")));
}

void TestSuite::messagesForAppliesSystemAndVars()
{
    const QByteArray doc = R"({"name": "m", "defaults": {"system": "You answer about {{country}}."},
      "cases": [{"id": "a", "prompt": "Capital of {{ country }}?", "vars": {"country": "Peru"},
                 "variants": [{"id": "v", "prompt": "{{country}}: which city is its capital?"}]},
                {"id": "b", "messages": [{"role": "system", "content": "Own system."}, {"role": "user", "content": "Hi"}]}]})";
    auto suite = Suite::fromJson(doc, QStringLiteral("m.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const Suite &s = suite.value();
    const auto a = s.messagesFor(s.cases.at(0));
    QCOMPARE(a.size(), 2);
    QCOMPARE(a.at(0), (ChatMessage{QStringLiteral("system"), QStringLiteral("You answer about Peru.")}));
    QCOMPARE(a.at(1), (ChatMessage{QStringLiteral("user"), QStringLiteral("Capital of Peru?")}));
    const auto v = s.messagesFor(s.cases.at(0), &s.cases.at(0).variants.first());
    QCOMPARE(v.at(1).content, QStringLiteral("Peru: which city is its capital?"));
    // A case with its own system message keeps it and gets no second one.
    const auto b = s.messagesFor(s.cases.at(1));
    QCOMPARE(b.size(), 2);
    QCOMPARE(b.at(0).content, QStringLiteral("Own system."));
}

void TestSuite::templatesDoNotRecurse()
{
    QHash<QString, QString> vars{{QStringLiteral("a"), QStringLiteral("{{b}}")},
                                 {QStringLiteral("b"), QStringLiteral("x")}};
    QStringList missing;
    QCOMPARE(renderTemplate(QStringLiteral("[{{a}}] {{c}}"), vars, &missing), QStringLiteral("[{{b}}] {{c}}"));
    QCOMPARE(missing, QStringList{QStringLiteral("c")});
}

void TestSuite::rejects_data()
{
    QTest::addColumn<QByteArray>("doc");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{\"name\": ") << QStringLiteral("invalid JSON");
    QTest::newRow("array root") << QByteArray("[]") << QStringLiteral("a suite must be a JSON object");
    QTest::newRow("no name") << QByteArray(R"({"cases": [{"id": "a", "prompt": "p"}]})")
                             << QStringLiteral("name: missing");
    QTest::newRow("no cases") << QByteArray(R"({"name": "s"})") << QStringLiteral("cases: a list of cases is required");
    QTest::newRow("empty cases") << QByteArray(R"({"name": "s", "cases": []})") << QStringLiteral("no cases");
    QTest::newRow("zero time budget")
        << QByteArray(R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "time_budget_ms": 0}]})")
        << QStringLiteral("cases[0].time_budget_ms: expected a whole number of milliseconds above 0");
    QTest::newRow("fractional default time budget")
        << QByteArray(R"({"name": "s", "defaults": {"time_budget_ms": 1.5}, "cases": [{"id": "a", "prompt": "p"}]})")
        << QStringLiteral("defaults.time_budget_ms: expected a whole number");
    QTest::newRow("unknown top key") << QByteArray(
                                            R"({"name": "s", "tests": [], "cases": [{"id": "a", "prompt": "p"}]})")
                                     << QStringLiteral("tests: unknown key");
    QTest::newRow("unknown case key") << QByteArray(
                                             R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "promt": "x"}]})")
                                      << QStringLiteral("cases[0].promt: unknown key");
    QTest::newRow("duplicate id")
        << QByteArray(R"({"name": "s", "cases": [{"id": "a", "prompt": "p"}, {"id": "a", "prompt": "q"}]})")
        << QStringLiteral("cases[1].id: duplicate case id \"a\"");
    QTest::newRow("both prompt and messages")
        << QByteArray(
               R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "messages": [{"role": "user", "content": "x"}]}]})")
        << QStringLiteral("not both");
    QTest::newRow("neither") << QByteArray(R"({"name": "s", "cases": [{"id": "a"}]})") << QStringLiteral("is required");
    QTest::newRow("empty prompt") << QByteArray(R"({"name": "s", "cases": [{"id": "a", "prompt": "  "}]})")
                                  << QStringLiteral("cases[0].prompt: the prompt is empty");
    QTest::newRow("bad role")
        << QByteArray(R"({"name": "s", "cases": [{"id": "a", "messages": [{"role": "bot", "content": "x"}]}]})")
        << QStringLiteral("cases[0].messages[0].role: \"bot\" is not a role");
    QTest::newRow("unknown assertion")
        << QByteArray(R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "assert": [{"type": "smells-right"}]}]})")
        << QStringLiteral("cases[0].assert[0].type: unknown assertion type \"smells-right\"");
    QTest::newRow("missing var") << QByteArray(R"({"name": "s", "cases": [{"id": "a", "prompt": "Hi {{who}}"}]})")
                                 << QStringLiteral("cases[0].prompt: unknown variable {{who}}");
    QTest::newRow("wrong tag type") << QByteArray(
                                           R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "tags": ["x", 3]}]})")
                                    << QStringLiteral("cases[0].tags[1]: expected a string");
    QTest::newRow("negative weight") << QByteArray(
                                            R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "weight": -1}]})")
                                     << QStringLiteral("cases[0].weight");
    QTest::newRow("bad threshold") << QByteArray(
                                          R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "threshold": "x"}]})")
                                   << QStringLiteral("cases[0].threshold: expected a number");
    QTest::newRow("variant var missing")
        << QByteArray(
               R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "variants": [{"id": "v", "prompt": "{{x}}"}]}]})")
        << QStringLiteral("cases[0].variants[0].prompt: unknown variable {{x}}");
    QTest::newRow("variant bad assert")
        << QByteArray(
               R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "variants": [{"id": "v", "prompt": "q", "assert": [{"value": 1}]}]}]})")
        << QStringLiteral("cases[0].variants[0].assert[0].type: missing");
    QTest::newRow("interpreter not a string")
        << QByteArray(
               R"({"name": "s", "cases": [{"id": "a", "prompt": "p", "assert": [{"type": "code-tests", "value": "x", "interpreter": 3}]}]})")
        << QStringLiteral("cases[0].assert[0].interpreter: expected a string");
    QTest::newRow("utf16") << QByteArray("\xFF\xFE{\0", 4) << QStringLiteral("UTF-16");
    QTest::newRow("invalid utf8") << QByteArray("{\"name\": \"\xC3\x28\", \"cases\": []}")
                                  << QStringLiteral("bad.json:1:11: invalid UTF-8 at byte offset 10 (byte 0xc3)");
}

void TestSuite::rejects()
{
    QFETCH(QByteArray, doc);
    QFETCH(QString, expected);
    auto suite = Suite::fromJson(doc, QStringLiteral("bad.json"));
    QVERIFY(!suite.ok());
    QVERIFY2(suite.error().startsWith(QStringLiteral("bad.json")), qPrintable(suite.error()));
    QVERIFY2(suite.error().contains(expected), qPrintable(suite.error()));
}

void TestSuite::errorNamesLineColumnAndField()
{
    const QByteArray doc = "{\n"
                           "  \"name\": \"s\",\n"
                           "  \"cases\": [\n"
                           "    {\"id\": \"a\", \"prompt\": \"p\"},\n"
                           "    {\"id\": \"b\", \"prompt\": \"q\", \"assert\": [{\"type\": 42}]}\n"
                           "  ]\n"
                           "}\n";
    auto suite = Suite::fromJson(doc, QStringLiteral("suite.json"));
    QVERIFY(!suite.ok());
    QCOMPARE(suite.error(), QStringLiteral("suite.json:5:52: cases[1].assert[0].type: expected a string"));
}

// Found by fuzz_suite: a number beyond double's range terminated the program (an exception
// nlohmann throws that Json::parse did not catch); now it is an error naming file, line and column.
void TestSuite::numberOverflowIsAnError()
{
    const QString path = QStringLiteral(SLOPSCOPE_TEST_DATA "/fuzz/number-overflow-suite.json");
    const auto suite = Suite::fromFile(path);
    QVERIFY(!suite.ok());
    QVERIFY2(suite.error().startsWith(path + QStringLiteral(":3:50: ")), qPrintable(suite.error()));
}

void TestSuite::bomAndCrlfAccepted()
{
    const QByteArray doc =
        "\xEF\xBB\xBF{\r\n\"name\": \"s\",\r\n\"cases\": [{\"id\": \"a\", \"prompt\": \"p\"}]\r\n}\r\n";
    auto suite = Suite::fromJson(doc, QStringLiteral("bom.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    QCOMPARE(suite.value().cases.size(), 1);
}

void TestSuite::bundledDemoSuitesLoad()
{
    QDir dir(QStringLiteral(":/slopscope/demo/suites"));
    const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    if (files.isEmpty())
        QFAIL("no demo suites are bundled");
    for (const auto &file : files) {
        auto suite = Suite::fromFile(dir.filePath(file));
        QVERIFY2(suite.ok(), qPrintable(suite.error()));
        QVERIFY(!suite.value().cases.isEmpty());
    }
}

void TestSuite::variantsCarryVarsAndAnswers()
{
    const QByteArray doc = R"({"name": "v", "defaults": {"assert": [{"type": "latency", "threshold": 9000}]},
      "cases": [{"id": "clips", "prompt": "{{who}} sold {{n}} clips and half as many later. Total?",
                 "vars": {"who": "Natalia", "n": 48}, "reference": "72", "assert": [{"type": "numeric", "value": 72}],
                 "variants": [{"id": "t:numbers", "kind": "numbers", "prompt": "{{who}} sold {{n}} clips and half as many later. Total?",
                               "vars": {"n": 60, "extra": "unused"}, "reference": "90", "assert": [{"type": "numeric", "value": 90}]},
                              {"id": "p1", "prompt": "How many clips did {{who}} sell in all, {{n}} and then half of that?"}]}]})";
    auto suite = Suite::fromJson(doc, QStringLiteral("v.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const Suite &s = suite.value();
    const SuiteCase &c = s.cases.first();
    const CaseVariant *numbers = c.findVariant(QStringLiteral("t:numbers"));
    const CaseVariant *p1 = c.findVariant(QStringLiteral("p1"));
    QVERIFY(numbers && p1 && !c.findVariant(QStringLiteral("nope")));
    QCOMPARE(s.messagesFor(c, numbers).last().content,
             QStringLiteral("Natalia sold 60 clips and half as many later. Total?"));
    QCOMPARE(Suite::referenceFor(c, numbers), QStringLiteral("90"));
    QCOMPARE(Suite::referenceFor(c, p1), QStringLiteral("72")); // no override: the case's
    QCOMPARE(Suite::referenceFor(c), QStringLiteral("72"));
    const QList<Assertion> forNumbers = s.assertionsFor(c, numbers);
    QCOMPARE(forNumbers.size(), 2);
    QCOMPARE(forNumbers.first().type, QStringLiteral("latency")); // the defaults first
    QCOMPARE(forNumbers.last().value.get<double>(), 90.0);
    QCOMPARE(s.assertionsFor(c, p1).last().value.get<double>(), 72.0);
    QCOMPARE(Suite::varsFor(c, numbers).value(QStringLiteral("who")), QStringLiteral("Natalia"));
    QCOMPARE(Suite::varsFor(c, numbers).value(QStringLiteral("n")), QStringLiteral("60"));
}

void TestSuite::thresholdDescriptionAndAliases()
{
    auto suite = Suite::fromJson(R"({"name": "t", "cases": [{"id": "a", "prompt": "p", "threshold": 0.5,
      "description": "A case", "assert": [{"type": "is-valid-openai-tools-call"}, {"type": "icontains-any", "value": ["x"]},
      {"type": "not-ends-with", "value": "?"}]}]})",
                                 QStringLiteral("t.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const SuiteCase &c = suite.value().cases.first();
    QCOMPARE(c.threshold.value(), 0.5);
    QCOMPARE(c.description, QStringLiteral("A case"));
    QCOMPARE(c.assertions.size(), 3);
    QCOMPARE(canonicalAssertionType(QStringLiteral("is-valid-openai-tools-call")),
             QStringLiteral("is-valid-tool-call"));
    QCOMPARE(canonicalAssertionType(QStringLiteral("icontains")), QStringLiteral("icontains"));
}

void TestSuite::codeTestsKeepTheirInterpreter()
{
    auto suite = Suite::fromJson(R"({"name": "t", "cases": [{"id": "a", "prompt": "p", "assert": [
      {"type": "code-tests", "value": "import solution\n", "interpreter": "pypy3"}, {"type": "code-tests", "value": "x"}]}]})",
                                 QStringLiteral("t.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    const auto &assertions = suite.value().cases.first().assertions;
    QCOMPARE(assertions.at(0).interpreter, QStringLiteral("pypy3"));
    QCOMPARE(assertions.at(0).value.get<std::string>(), std::string("import solution\n"));
    QCOMPARE(assertions.at(1).interpreter, QString()); // python3, decided where it runs
}

QTEST_GUILESS_MAIN(TestSuite)
#include "tst_suite.moc"
