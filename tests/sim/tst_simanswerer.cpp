#include "sim/SimAnswerer.h"
#include "sim/SimAnswerKey.h"
#include "sim/SimPersonas.h"
#include "sim/SimTokenizer.h"

#include <QFile>

#include <nlohmann/json.hpp>
#include <QTest>

using namespace Slopscope;

class TestSimAnswerer final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void bundledSuitesAreConsistent();
    void recognisesCanonicalAndParaphrases();
    void ignoresUnrelatedPrompts();
    void recognisesChainTurnsAsTheirCase();
    void rightAndWrongFollowTheProbability();
    void wrongAnswersArePlausibleDistractors();
    void sloptimizedAcesCanonicalFailsParaphrase();
    void deterministicBySeed();
    void judgeVerdicts_data();
    void judgeVerdicts();
    void judgePromptGetsVerdictJson();
    void rubricVerdicts_data();
    void rubricVerdicts();
    void rubricPromptWithoutAReferenceIsJudgedByTheRubric();
    void demoRubricsPassTheirReference();
    void unknownPromptsGetRequestedLength();
    void thinkingPhase();
    void suiteErrors();

private:
    SimQuery query(const char *persona, const QString &prompt, int repeat = 0) const;
    SimPersonas m_personas;
    SimAnswerKey m_key;
};

void TestSimAnswerer::initTestCase()
{
    QFile f(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto p = SimPersonas::fromJson(f.readAll(), f.fileName());
    QVERIFY2(p.ok(), qPrintable(p.error()));
    m_personas = p.value();
    auto key = SimAnswerKey::demo();
    QVERIFY2(key.ok(), qPrintable(key.error()));
    m_key = key.value();
}

SimQuery TestSimAnswerer::query(const char *persona, const QString &prompt, int repeat) const
{
    SimQuery q;
    q.persona = m_personas.find(QString::fromLatin1(persona));
    q.prompt = prompt;
    q.repeat = repeat;
    return q;
}

void TestSimAnswerer::bundledSuitesAreConsistent()
{
    QVERIFY(m_key.cases().size() >= 30);
    QStringList suites;
    for (const SimCase &c : m_key.cases()) {
        if (!suites.contains(c.suite))
            suites.append(c.suite);
        QVERIFY2(!c.reference.isEmpty(), qPrintable(c.id));
        QVERIFY2(!c.tags.isEmpty(), qPrintable(c.id));
        QVERIFY2(SimAnswerKey::satisfies(c.reference, c.assertions), qPrintable(c.id));
        QVERIFY2(c.distractors.size() >= 2, qPrintable(c.id));
        for (const QString &d : c.distractors)
            QVERIFY2(!SimAnswerKey::satisfies(d, c.assertions), qPrintable(c.id + u' ' + d));
        if (c.tags.contains(QStringLiteral("benchmark")))
            QVERIFY2(c.variants.size() >= 2, qPrintable(c.id));
        // Each case is recognised as itself.
        const auto m = m_key.recognize(c.prompt);
        QVERIFY2(m && m->simCase->id == c.id && m->canonical, qPrintable(c.id));
    }
    QCOMPARE(suites.size(), 5); // facts, benchmark, code, tools, chains
}

void TestSimAnswerer::recognisesCanonicalAndParaphrases()
{
    // Canonical, even inside added instructions.
    auto m = m_key.recognize(QStringLiteral("Be brief.\n\nWhat is the capital of France? Answer with the city name."));
    QVERIFY(m);
    QCOMPARE(m->simCase->id, QStringLiteral("capital-france"));
    QVERIFY(m->canonical);
    QCOMPARE(m->variant, 0);
    // A known paraphrase from the case's variants.
    m = m_key.recognize(QStringLiteral("Which year saw the close of WWII? Choose from 1918, 1939, 1945, 1950."));
    QVERIFY(m);
    QCOMPARE(m->simCase->id, QStringLiteral("mc-ww2-end"));
    QVERIFY(!m->canonical);
    QCOMPARE(m->variant, 2);
    // An unseen rewording.
    m = m_key.recognize(QStringLiteral("Tell me which city is France's capital."));
    QVERIFY(m);
    QCOMPARE(m->simCase->id, QStringLiteral("capital-france"));
    QVERIFY(!m->canonical);
    QCOMPARE(m->variant, -1);
    m = m_key.recognize(QStringLiteral("Compute 17 times 23."));
    QVERIFY(m);
    QCOMPARE(m->simCase->id, QStringLiteral("mul-17-23"));
}

void TestSimAnswerer::recognisesChainTurnsAsTheirCase()
{
    // The follow-up turn of a demo chain is answered as part of its case, from the turn's own key.
    const QString followUp = QStringLiteral("And what would ten ACME shares cost at that price?");
    const auto m = m_key.recognize(followUp);
    QVERIFY(m);
    QCOMPARE(m->simCase->id, QStringLiteral("chain-tool-stock-price"));
    QCOMPARE(m->simCase->turn, 1);
    QCOMPARE(m->simCase->reference, QStringLiteral("Ten shares would cost $421.70."));
    const SimAnswer right = SimAnswerer(&m_key).answer(query("t-chat", followUp));
    QCOMPARE(right.kind, SimAnswer::Kind::CaseRight);
    QCOMPARE(right.caseId, QStringLiteral("chain-tool-stock-price"));
    QVERIFY(QString::fromUtf8(right.text).contains(QStringLiteral("421.7")));
    const SimAnswer wrong = SimAnswerer(&m_key).answer(query("t-wrong", followUp));
    QCOMPARE(wrong.kind, SimAnswer::Kind::CaseWrong);
    QVERIFY(!QString::fromUtf8(wrong.text).contains(QStringLiteral("421.7")));
    // The case's first question is still the case itself.
    const auto first = m_key.recognize(
        QStringLiteral("What is the current price of one share of ACME Corp? Use the stock_price tool."));
    QVERIFY(first);
    QCOMPARE(first->simCase->turn, 0);
    // Without metadata, a turn's answer comes from its checks.
    SimAnswerKey key;
    QVERIFY(key.addSuite(R"({"name": "n", "cases": [{"id": "c", "prompt": "Name a primary colour please.",
        "reference": "red", "turns": [{"user": "Now name the colour of a clear daytime sky.",
        "assert": [{"type": "icontains", "value": "blue"}]}]}]})",
                         QStringLiteral("n.json")));
    QCOMPARE(key.cases().size(), 2);
    QCOMPARE(key.cases().last().turn, 1);
    QCOMPARE(key.cases().last().reference, QStringLiteral("blue"));
    QCOMPARE(key.recognize(QStringLiteral("Now name the colour of a clear daytime sky."))->simCase->turn, 1);
}

void TestSimAnswerer::ignoresUnrelatedPrompts()
{
    QVERIFY(!m_key.recognize(QStringLiteral("Write a haiku about autumn leaves.")));
    QVERIFY(!m_key.recognize(QString()));
    QVERIFY(!m_key.recognize(QStringLiteral("???")));
}

void TestSimAnswerer::rightAndWrongFollowTheProbability()
{
    for (const SimCase &c : m_key.cases()) {
        const SimAnswer right = SimAnswerer(&m_key).answer(query("t-chat", c.prompt));
        QCOMPARE(right.kind, SimAnswer::Kind::CaseRight);
        QCOMPARE(right.caseId, c.id);
        QVERIFY2(SimAnswerKey::satisfies(QString::fromUtf8(right.text), c.assertions), right.text.constData());
        const SimAnswer wrong = SimAnswerer(&m_key).answer(query("t-wrong", c.prompt));
        QCOMPARE(wrong.kind, SimAnswer::Kind::CaseWrong);
        QVERIFY2(!SimAnswerKey::satisfies(QString::fromUtf8(wrong.text), c.assertions), wrong.text.constData());
    }
    // A coin: over many repeats, both outcomes, roughly half each.
    int rights = 0;
    constexpr int n = 400;
    const QString prompt = m_key.cases().first().prompt;
    for (int r = 0; r < n; ++r)
        rights += SimAnswerer(&m_key).answer(query("t-coin", prompt, r)).kind == SimAnswer::Kind::CaseRight ? 1 : 0;
    QVERIFY2(rights > n * 0.35 && rights < n * 0.65, qPrintable(QString::number(rights)));
}

void TestSimAnswerer::wrongAnswersArePlausibleDistractors()
{
    const SimCase *c = m_key.recognize(QStringLiteral("What is the capital city of Australia?"))->simCase;
    QSet<QString> seen;
    for (int r = 0; r < 40; ++r) {
        const QString text = QString::fromUtf8(SimAnswerer(&m_key).answer(query("t-wrong", c->prompt, r)).text);
        bool fromKey = false;
        for (const QString &d : c->distractors)
            fromKey = fromKey || text.contains(d);
        QVERIFY2(fromKey, qPrintable(text));
        seen.insert(text);
    }
    QVERIFY(seen.size() >= 2);
    // A case without distractors gets derived ones: numbers off by a little.
    SimAnswerKey key;
    QVERIFY(key.addSuite(R"({"name": "n", "cases": [{"id": "c1", "prompt": "What is 6 times 7?", "reference": "42",
                              "assert": [{"type": "regex", "value": "\\b42\\b"}]}]})",
                         QStringLiteral("n.json")));
    QCOMPARE(key.cases().first().distractors.first(), QStringLiteral("43"));
}

void TestSimAnswerer::sloptimizedAcesCanonicalFailsParaphrase()
{
    for (const SimCase &c : m_key.cases()) {
        if (!c.tags.contains(QStringLiteral("benchmark")))
            continue;
        QCOMPARE(SimAnswerer(&m_key).answer(query("t-slop", c.prompt)).kind, SimAnswer::Kind::CaseRight);
        for (const QString &v : c.variants) {
            const SimAnswer a = SimAnswerer(&m_key).answer(query("t-slop", v));
            QCOMPARE(a.caseId, c.id);
            QVERIFY(!a.canonical);
            QCOMPARE(a.kind, SimAnswer::Kind::CaseWrong);
        }
    }
}

void TestSimAnswerer::deterministicBySeed()
{
    const SimAnswerer answerer(&m_key);
    const QString prompt = QStringLiteral("Say something about streaming.");
    const SimAnswer a = answerer.answer(query("t-coin", prompt, 3));
    const SimAnswer b = answerer.answer(query("t-coin", prompt, 3));
    QCOMPARE(a.text, b.text);
    QCOMPARE(a.seed, b.seed);
    QVERIFY(answerer.answer(query("t-coin", prompt, 4)).text != a.text);
    QVERIFY(answerer.answer(query("t-chat", prompt, 3)).text != a.text);
    SimQuery v = query("t-coin", prompt, 3);
    v.variant = QStringLiteral("B");
    QVERIFY(answerer.answer(v).seed != a.seed);
}

void TestSimAnswerer::judgeVerdicts_data()
{
    QTest::addColumn<QString>("candidate");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("pass");
    QTest::newRow("verbatim") << QStringLiteral("The answer is Paris.") << QStringLiteral("Paris") << 1.0 << true;
    QTest::newRow("wrong city") << QStringLiteral("The answer is Lyon.") << QStringLiteral("Paris") << 0.0 << false;
    QTest::newRow("wrong number") << QStringLiteral("It takes 100 minutes") << QStringLiteral("5 minutes") << 0.2
                                  << false;
    QTest::newRow("most words") << QStringLiteral("Shakespeare wrote it, William Shakespeare.")
                                << QStringLiteral("William Shakespeare, the English playwright") << 0.5 << false;
    QTest::newRow("all words") << QStringLiteral("It was the English playwright William Shakespeare")
                               << QStringLiteral("William Shakespeare, English playwright") << 1.0 << true;
    QTest::newRow("empty candidate") << QString() << QStringLiteral("Paris") << 0.0 << false;
}

void TestSimAnswerer::judgeVerdicts()
{
    QFETCH(QString, candidate);
    QFETCH(QString, reference);
    QFETCH(double, score);
    QFETCH(bool, pass);
    const SimVerdict v = SimAnswerer::judge(candidate, reference, 0.6);
    QCOMPARE(v.score, score);
    QCOMPARE(v.pass, pass);
    QVERIFY(!v.reason.isEmpty());
}

void TestSimAnswerer::judgePromptGetsVerdictJson()
{
    const QString prompt = QStringLiteral(
        "You are a strict grader. Compare the candidate answer with the reference answer and reply with JSON "
        "{\"score\": 0..1, \"pass\": bool, \"reason\": \"...\"}.\n<question>Capital of France?</question>\n"
        "<reference>Paris</reference>\n<candidate>I believe it is Paris.</candidate>");
    const SimAnswer a = SimAnswerer(&m_key).answer(query("t-chat", prompt));
    QCOMPARE(a.kind, SimAnswer::Kind::Judge);
    QCOMPARE(a.text,
             QByteArray(R"({"score": 1.0, "pass": true, "reason": "The candidate states the reference answer."})"));
    const auto wrong = SimAnswerer(&m_key).answer(query(
        "t-chat", QStringLiteral("<reference_answer>391</reference_answer><candidate_answer>381</candidate_answer>")));
    const auto verdict = nlohmann::json::parse(wrong.text.toStdString());
    QCOMPARE(verdict.at("pass").get<bool>(), false);
    QVERIFY(verdict.at("score").get<double>() < 0.5);
    QVERIFY(!SimAnswerer::parseJudgePrompt(QStringLiteral("no markers here")));
}

void TestSimAnswerer::rubricVerdicts_data()
{
    QTest::addColumn<QString>("rubric");
    QTest::addColumn<QString>("candidate");
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("pass");
    QTest::addColumn<QString>("reasonPart");
    const QString all = QStringLiteral("everything the rubric asks for");
    QTest::newRow("quoted phrase present") << QStringLiteral("Gives the atomic number of iron as \"26\".")
                                           << QStringLiteral("The answer is 26.") << 1.0 << true << all;
    QTest::newRow("quoted phrase absent")
        << QStringLiteral("Gives the atomic number of iron as \"26\".") << QStringLiteral("The answer is 56.") << 0.0
        << false << QStringLiteral("lacks what the rubric asks for: 26.");
    QTest::newRow("one of two phrases") << QStringLiteral("Mentions \"Paris\" and \"the Seine\".")
                                        << QStringLiteral("It is Paris.") << 0.5 << false
                                        << QStringLiteral("the seine");
    QTest::newRow("curly quotes, case and punctuation aside")
        << QStringLiteral("Names \u201CMount Everest\u201D.") << QStringLiteral("MOUNT everest, in Nepal") << 1.0
        << true << all;
    QTest::newRow("single quotes, not apostrophes") << QStringLiteral("Doesn't guess: says 'I do not know'.")
                                                    << QStringLiteral("Sorry, I do not know.") << 1.0 << true << all;
    QTest::newRow("whole words only") << QStringLiteral("Says \"cat\".") << QStringLiteral("Concatenate them.") << 0.0
                                      << false << QStringLiteral("cat");
    QTest::newRow("no quotes: the rubric's words")
        << QStringLiteral("The answer mentions the Eiffel Tower and Paris.")
        << QStringLiteral("The Eiffel Tower stands in Paris.") << 1.0 << true << all;
    QTest::newRow("no quotes: some words")
        << QStringLiteral("The answer mentions the Eiffel Tower and Paris.") << QStringLiteral("That tower is tall.")
        << 0.33 << false << QStringLiteral("eiffel, paris");
    QTest::newRow("negated phrase absent")
        << QStringLiteral("Says \"could not\" and does not make up a figure like \"14°C\".")
        << QStringLiteral("I could not get the forecast.") << 1.0 << true << all;
    QTest::newRow("negated phrase present")
        << QStringLiteral("Says \"could not\" and does not make up a figure like \"14°C\".")
        << QStringLiteral("Tomorrow's high will be 14 °C.") << 0.0 << false
        << QStringLiteral("says what the rubric rules out: 14 c");
    QTest::newRow("no quotes: a negated clause is left out")
        << QStringLiteral("Names version 2.3.1 and PNG export; it must not claim that SVG export is affected.")
        << QStringLiteral("Fixed: PNG export in version 2.3.1.") << 1.0 << true << all;
    QTest::newRow("nothing to look for") << QStringLiteral("The answer is correct.") << QStringLiteral("42") << 0.0
                                         << false << QStringLiteral("names nothing");
    QTest::newRow("empty candidate") << QStringLiteral("Says \"26\".") << QString() << 0.0 << false
                                     << QStringLiteral("empty");
}

void TestSimAnswerer::rubricVerdicts()
{
    QFETCH(QString, rubric);
    QFETCH(QString, candidate);
    QFETCH(double, score);
    QFETCH(bool, pass);
    QFETCH(QString, reasonPart);
    const SimVerdict v = SimAnswerer::judgeByRubric(candidate, rubric, 0.6);
    QCOMPARE(v.score, score);
    QCOMPARE(v.pass, pass);
    QVERIFY2(v.reason.contains(reasonPart), qPrintable(v.reason));
    // Deterministic: asked again, the same verdict word for word.
    QCOMPARE(SimAnswerer::judgeByRubric(candidate, rubric, 0.6).reason, v.reason);
}

void TestSimAnswerer::rubricPromptWithoutAReferenceIsJudgedByTheRubric()
{
    const auto ask = [this](const QString &candidate, const QString &reference) {
        QString prompt = QStringLiteral("Grade the candidate answer against the rubric.\n<question>\nWhat is the "
                                        "atomic number of iron?\n</question>\n<rubric>\nThe answer gives \"26\".\n"
                                        "</rubric>\n<candidate>\n%1\n</candidate>")
                             .arg(candidate);
        if (!reference.isEmpty())
            prompt += QStringLiteral("\n<reference>\n%1\n</reference>").arg(reference);
        const SimAnswer a = SimAnswerer(&m_key).answer(query("t-chat", prompt));
        [&] { QCOMPARE(a.kind, SimAnswer::Kind::Judge); }();
        return nlohmann::json::parse(a.text.toStdString());
    };
    QCOMPARE(ask(QStringLiteral("Iron's atomic number is 26."), {}).at("pass").get<bool>(), true);
    const auto wrong = ask(QStringLiteral("It is 56."), {});
    QCOMPARE(wrong.at("pass").get<bool>(), false);
    QCOMPARE(wrong.at("score").get<double>(), 0.0);
    // With a reference (a template that adds one), the reference decides, as before.
    const auto byReference = ask(QStringLiteral("It is 56."), QStringLiteral("56"));
    QCOMPARE(byReference.at("pass").get<bool>(), true);
}

void TestSimAnswerer::demoRubricsPassTheirReference()
{
    // The demo suites' rubrics name no reference: judged by the rubric, the right answer passes
    // and every wrong one scores below it.
    int rubrics = 0;
    for (const SimCase &c : m_key.cases()) {
        for (const SimAssertion &a : c.assertions) {
            if (a.type != u"llm-rubric" || a.values.isEmpty())
                continue;
            ++rubrics;
            const SimVerdict right = SimAnswerer::judgeByRubric(c.reference, a.values.first(), 0.6);
            QVERIFY2(right.pass, qPrintable(c.id + u": " + right.reason));
            for (const QString &d : c.distractors) {
                const SimVerdict wrong = SimAnswerer::judgeByRubric(d, a.values.first(), 0.6);
                QVERIFY2(wrong.score < right.score, qPrintable(c.id + u": " + d));
            }
        }
    }
    QVERIFY(rubrics >= 3); // two summaries and the iron chain's follow-up
}

void TestSimAnswerer::unknownPromptsGetRequestedLength()
{
    const SimAnswerer answerer(&m_key);
    SimQuery q = query("t-chat", QStringLiteral("Tell me a story."));
    SimAnswer a = answerer.answer(q);
    QCOMPARE(a.kind, SimAnswer::Kind::Generic);
    QCOMPARE(a.answerPieces.size(), 12); // the persona's answer_tokens
    QCOMPARE(SimTokenizer::count(a.text), 12);
    q.requestedTokens = 300;
    QCOMPARE(answerer.answer(q).answerPieces.size(), 300);
    q.requestedTokens.reset();
    q.prompt = QStringLiteral("Write about rivers in 57 words.");
    QCOMPARE(answerer.answer(q).answerPieces.size(), 57);
}

void TestSimAnswerer::thinkingPhase()
{
    SimQuery q = query("t-think", QStringLiteral("Tell me a story."));
    QVERIFY(SimAnswerer(&m_key).answer(q).reasoningPieces.isEmpty()); // not asked for
    q.thinking = true;
    const SimAnswer a = SimAnswerer(&m_key).answer(q);
    QCOMPARE(a.reasoningPieces.size(), 8);
    QCOMPARE(a.reasoningPieces.join(), a.reasoning);
}

void TestSimAnswerer::suiteErrors()
{
    SimAnswerKey key;
    Status s = key.addSuite("{", QStringLiteral("bad.json"));
    QVERIFY(!s.ok());
    QVERIFY(s.error().startsWith(QStringLiteral("bad.json:1:")));
    s = key.addSuite(R"({"name": "s", "cases": [{"id": "c1"}]})", QStringLiteral("s.json"));
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("cases[0].prompt")), qPrintable(s.error()));
    s = key.addSuite(R"({"name": "s", "cases": []})", QStringLiteral("s.json"));
    QVERIFY(!s.ok());
    // The smallest valid suite; its reference comes from the assertion.
    s = key.addSuite(
        R"({"name": "s", "cases": [{"id": "c1", "prompt": "Capital of France?", "assert": [{"type": "icontains", "value": "Paris"}]}]})",
        QStringLiteral("s.json"));
    QVERIFY2(s.ok(), qPrintable(s.error()));
    QCOMPARE(key.cases().first().reference, QStringLiteral("Paris"));
    // The schema's other shapes: a conversation, {{vars}}, variants as objects.
    s = key.addSuite(R"({"name": "t", "cases": [{"id": "m1", "vars": {"city": "Lyon"},
        "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "In which country is {{city}}?"}],
        "reference": "France", "variants": [{"id": "v1", "kind": "paraphrase", "prompt": "{{city}} lies in which country?"},
                                            {"id": "v2", "messages": [{"role": "user", "content": "Name the country of {{city}}."}]}]}]})",
                     QStringLiteral("t.json"));
    QVERIFY2(s.ok(), qPrintable(s.error()));
    const SimCase &m = key.cases().last();
    QCOMPARE(m.prompt, QStringLiteral("In which country is Lyon?"));
    QCOMPARE(m.variants,
             (QStringList{QStringLiteral("Lyon lies in which country?"), QStringLiteral("Name the country of Lyon.")}));
    const auto match = key.recognize(QStringLiteral("Name the country of Lyon."));
    QVERIFY(match && match->simCase->id == QStringLiteral("m1") && match->variant == 2);
}

QTEST_GUILESS_MAIN(TestSimAnswerer)
#include "tst_simanswerer.moc"
