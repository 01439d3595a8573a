#include "judge/BestPick.h"
#include "judge/JudgeGrade.h"
#include "judge/JudgeVerdict.h"

#include <QTest>

using namespace Slopscope;

class TestJudgeVerdict final : public QObject
{
    Q_OBJECT

private slots:
    void acceptsTheContract_data();
    void acceptsTheContract();
    void rejectsMalformedVerdicts_data();
    void rejectsMalformedVerdicts();
    void passFollowsTheThreshold_data();
    void passFollowsTheThreshold();
    void firstBalancedObjectWins();
    void boundedOnHostileInput();
    void bestPick_data();
    void bestPick();
    void gradesFromVerdicts();
    void finalGradeNeverPassesWithAnUngradedAssertion();
    void judgePassLeavesErrorsOut();
};

void TestJudgeVerdict::acceptsTheContract_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("pass");
    QTest::addColumn<QString>("reason");

    QTest::newRow("bare") << QStringLiteral(R"({"score": 0.83, "pass": true, "reason": "States Paris."})") << 0.83
                          << true << QStringLiteral("States Paris.");
    QTest::newRow("simulator's exact form")
        << QStringLiteral(R"({"score": 1.0, "pass": true, "reason": "The candidate states the reference answer."})")
        << 1.0 << true << QStringLiteral("The candidate states the reference answer.");
    QTest::newRow("json fence") << QStringLiteral("```json\n{\"reason\": \"ok\", \"score\": 0.2, \"pass\": false}\n```")
                                << 0.2 << false << QStringLiteral("ok");
    QTest::newRow("prose around")
        << QStringLiteral("Let me think. The answer says Lyon.\nVerdict: {\"reason\": \"wrong city\", \"score\": 0, "
                          "\"pass\": false} That is all.")
        << 0.0 << false << QStringLiteral("wrong city");
    QTest::newRow("braces in prose before")
        << QStringLiteral("Using the {rubric} given: {\"score\": 0.9, \"pass\": true, \"reason\": \"a } in {text}\"}")
        << 0.9 << true << QStringLiteral("a } in {text}");
    QTest::newRow("escaped quote in reason")
        << QStringLiteral(R"({"reason": "says \"Paris\" {", "score": 1, "pass": true})") << 1.0 << true
        << QStringLiteral("says \"Paris\" {");
    QTest::newRow("integer score 0") << QStringLiteral(R"({"score": 0, "pass": false, "reason": "no"})") << 0.0 << false
                                     << QStringLiteral("no");
    QTest::newRow("no reason") << QStringLiteral(R"({"score": 0.7, "pass": true})") << 0.7 << true << QString();
    QTest::newRow("extra keys") << QStringLiteral(R"({"score": 0.6, "pass": true, "reason": "r", "confidence": 3})")
                                << 0.6 << true << QStringLiteral("r");
    QTest::newRow("inside an array") << QStringLiteral(R"([{"score": 0.4, "pass": false, "reason": "r"}])") << 0.4
                                     << false << QStringLiteral("r");
    QTest::newRow("unicode reason") << QStringLiteral(R"({"score": 1, "pass": true, "reason": "100 °C — correct"})")
                                    << 1.0 << true << QStringLiteral("100 °C — correct");
}

void TestJudgeVerdict::acceptsTheContract()
{
    QFETCH(QString, answer);
    QFETCH(double, score);
    QFETCH(bool, pass);
    QFETCH(QString, reason);
    const auto v = JudgeVerdict::parse(answer);
    QVERIFY2(v.ok(), qPrintable(v.error()));
    QCOMPARE(v.value().score, score);
    QCOMPARE(v.value().pass, pass);
    QCOMPARE(v.value().reason, reason);
    QVERIFY(v.value().passGiven);
}

void TestJudgeVerdict::rejectsMalformedVerdicts_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("expected"); // a piece of the error message

    QTest::newRow("empty") << QString() << QStringLiteral("empty");
    QTest::newRow("whitespace") << QStringLiteral(" \n\t ") << QStringLiteral("empty");
    QTest::newRow("prose only") << QStringLiteral("The answer is correct, I would pass it.")
                                << QStringLiteral("no JSON verdict");
    QTest::newRow("yes") << QStringLiteral("PASS") << QStringLiteral("no JSON verdict");
    QTest::newRow("truncated object") << QStringLiteral(R"({"score": 0.9, "pass": tr)")
                                      << QStringLiteral("no JSON verdict");
    QTest::newRow("single quotes") << QStringLiteral("{'score': 0.9, 'pass': true}")
                                   << QStringLiteral("no JSON verdict");
    QTest::newRow("trailing comma") << QStringLiteral(R"({"score": 0.9, "pass": true,})")
                                    << QStringLiteral("no JSON verdict");
    QTest::newRow("bare number") << QStringLiteral("0.9") << QStringLiteral("no JSON verdict");
    QTest::newRow("array of numbers") << QStringLiteral("[0.9, true]") << QStringLiteral("no JSON verdict");
    QTest::newRow("no score") << QStringLiteral(R"({"pass": true, "reason": "fine"})") << QStringLiteral("no score");
    QTest::newRow("null score") << QStringLiteral(R"({"score": null, "pass": true})") << QStringLiteral("no score");
    QTest::newRow("score as string") << QStringLiteral(R"({"score": "0.9", "pass": true})")
                                     << QStringLiteral("not a number");
    QTest::newRow("score as bool") << QStringLiteral(R"({"score": true, "pass": true})")
                                   << QStringLiteral("not a number");
    QTest::newRow("score above 1") << QStringLiteral(R"({"score": 1.5, "pass": true})")
                                   << QStringLiteral("outside 0 to 1");
    QTest::newRow("score on 0-10 scale") << QStringLiteral(R"({"score": 8, "pass": true})")
                                         << QStringLiteral("outside 0 to 1");
    QTest::newRow("negative score") << QStringLiteral(R"({"score": -0.1, "pass": false})")
                                    << QStringLiteral("outside 0 to 1");
    QTest::newRow("huge score") << QStringLiteral(R"({"score": 1e400, "pass": true})") << QString();
    QTest::newRow("pass as string") << QStringLiteral(R"({"score": 0.9, "pass": "true"})")
                                    << QStringLiteral("not true or false");
    QTest::newRow("pass as number") << QStringLiteral(R"({"score": 0.9, "pass": 1})")
                                    << QStringLiteral("not true or false");
    QTest::newRow("reason as object") << QStringLiteral(R"({"score": 0.9, "pass": true, "reason": {"a": 1}})")
                                      << QStringLiteral("reason is not a string");
    QTest::newRow("wrapped verdict") << QStringLiteral(R"({"verdict": {"score": 0.9, "pass": true}})")
                                     << QStringLiteral("no score");
    QTest::newRow("another object first")
        << QStringLiteral(R"(Example: {"example": 1}. Mine: {"score": 1, "pass": true})") << QStringLiteral("no score");
}

void TestJudgeVerdict::rejectsMalformedVerdicts()
{
    QFETCH(QString, answer);
    QFETCH(QString, expected);
    const auto v = JudgeVerdict::parse(answer);
    QVERIFY(!v.ok());
    QVERIFY(!v.error().isEmpty());
    if (!expected.isEmpty())
        QVERIFY2(v.error().contains(expected), qPrintable(v.error()));
    // An error becomes a failing grade, never a pass.
    Grade g;
    g.type = QStringLiteral("factuality");
    g.needsJudge = true;
    JudgeGrade::applyVerdict(g, v, false);
    QVERIFY(!g.pass);
    QVERIFY(!g.needsJudge);
    QCOMPARE(g.score, 0.0);
    QVERIFY(g.reason.startsWith(QStringLiteral("judge error: ")));
    // Negation does not turn an error into a pass either.
    Grade n;
    n.type = QStringLiteral("not-llm-rubric");
    JudgeGrade::applyVerdict(n, v, true);
    QVERIFY(!n.pass);
    QVERIFY(n.reason.startsWith(QStringLiteral("judge error: ")));
}

void TestJudgeVerdict::passFollowsTheThreshold_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<double>("threshold"); // < 0: none
    QTest::addColumn<bool>("pass");
    QTest::addColumn<bool>("passGiven");

    QTest::newRow("no pass, default 0.5, 0.5 passes") << QStringLiteral(R"({"score": 0.5})") << -1.0 << true << false;
    QTest::newRow("no pass, default 0.5, 0.49 fails") << QStringLiteral(R"({"score": 0.49})") << -1.0 << false << false;
    QTest::newRow("no pass, explicit 0.8") << QStringLiteral(R"({"score": 0.7})") << 0.8 << false << false;
    QTest::newRow("no pass, explicit 0.6") << QStringLiteral(R"({"score": 0.7})") << 0.6 << true << false;
    QTest::newRow("judge pass, score below threshold")
        << QStringLiteral(R"({"score": 0.7, "pass": true})") << 0.8 << false << true;
    QTest::newRow("judge fail, score above threshold")
        << QStringLiteral(R"({"score": 0.9, "pass": false})") << 0.8 << false << true;
    QTest::newRow("judge pass, no threshold, low score")
        << QStringLiteral(R"({"score": 0.3, "pass": true})") << -1.0 << true << true;
    QTest::newRow("null pass is no pass")
        << QStringLiteral(R"({"score": 0.3, "pass": null})") << -1.0 << false << false;
}

void TestJudgeVerdict::passFollowsTheThreshold()
{
    QFETCH(QString, answer);
    QFETCH(double, threshold);
    QFETCH(bool, pass);
    QFETCH(bool, passGiven);
    const auto v = JudgeVerdict::parse(answer, threshold < 0 ? std::nullopt : std::optional<double>(threshold));
    QVERIFY2(v.ok(), qPrintable(v.error()));
    QCOMPARE(v.value().pass, pass);
    QCOMPARE(v.value().passGiven, passGiven);
}

void TestJudgeVerdict::firstBalancedObjectWins()
{
    // Two verdicts: the first counts, whatever the second says.
    const auto v = JudgeVerdict::parse(QStringLiteral(R"({"score": 0.1, "pass": false} {"score": 1, "pass": true})"));
    QVERIFY(v.ok());
    QCOMPARE(v.value().score, 0.1);
    const auto obj = JudgeVerdict::firstJsonObject(QStringLiteral("a {b} c {\"x\": {\"y\": 2}} d"));
    QVERIFY(obj.has_value());
    QCOMPARE(obj->at("x").at("y").get<int>(), 2);
    QVERIFY(!JudgeVerdict::firstJsonObject(QStringLiteral("no braces")).has_value());
}

void TestJudgeVerdict::boundedOnHostileInput()
{
    // Thousands of unclosed braces: refused quickly (the scan stops after a bounded number of
    // candidates) rather than read as a verdict.
    const QString braces(100'000, u'{');
    const auto v = JudgeVerdict::parse(braces);
    QVERIFY(!v.ok());
    const QString tooLong = QString(JudgeVerdict::kMaxAnswerChars + 1, u'x') + QStringLiteral(R"({"score": 1})");
    const auto longVerdict = JudgeVerdict::parse(tooLong);
    QVERIFY(!longVerdict.ok());
    QVERIFY(longVerdict.error().contains(QStringLiteral("too long")));
    // The error quotes a short, single-line excerpt of the answer.
    const auto prose = JudgeVerdict::parse(QStringLiteral("line one\nline two ") + QString(500, u'z'));
    QVERIFY(!prose.error().contains(u'\n'));
    QVERIFY(prose.error().size() < 200);
}

void TestJudgeVerdict::bestPick_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("index"); // -1: an error
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("B of 2") << QStringLiteral(R"({"best": "B", "reason": "complete"})") << 2 << 1 << QString();
    QTest::newRow("lower case, spaces") << QStringLiteral(R"({"best": " a ", "reason": "r"})") << 2 << 0 << QString();
    QTest::newRow("fenced, C of 3") << QStringLiteral("```json\n{\"best\": \"C\"}\n```") << 3 << 2 << QString();
    QTest::newRow("label not shown") << QStringLiteral(R"({"best": "C"})") << 2 << -1 << QStringLiteral("not one of");
    QTest::newRow("a name, not a label") << QStringLiteral(R"({"best": "Answer B"})") << 2 << -1
                                         << QStringLiteral("not one of");
    QTest::newRow("number") << QStringLiteral(R"({"best": 1})") << 2 << -1 << QStringLiteral("not a label");
    QTest::newRow("tie is no label") << QStringLiteral(R"({"best": "tie"})") << 2 << -1 << QStringLiteral("not one of");
    QTest::newRow("missing") << QStringLiteral(R"({"winner": "A"})") << 2 << -1 << QStringLiteral("no best");
    QTest::newRow("prose") << QStringLiteral("B is better.") << 2 << -1 << QStringLiteral("no JSON");
    QTest::newRow("empty") << QString() << 2 << -1 << QStringLiteral("empty");
    QTest::newRow("reason not a string") << QStringLiteral(R"({"best": "A", "reason": 3})") << 2 << -1
                                         << QStringLiteral("reason");
}

void TestJudgeVerdict::bestPick()
{
    QFETCH(QString, answer);
    QFETCH(int, count);
    QFETCH(int, index);
    QFETCH(QString, errorPart);
    const auto pick = BestPick::parse(answer, count);
    if (index < 0) {
        QVERIFY(!pick.ok());
        QVERIFY2(pick.error().contains(errorPart), qPrintable(pick.error()));
    } else {
        QVERIFY2(pick.ok(), qPrintable(pick.error()));
        QCOMPARE(pick.value().index, index);
        QCOMPARE(pick.value().label, QString(QChar(u'A' + index)));
    }
}

void TestJudgeVerdict::gradesFromVerdicts()
{
    bool negated = true;
    QCOMPARE(JudgeGrade::kindOf(QStringLiteral("llm-rubric"), &negated), JudgeGrade::Kind::LlmRubric);
    QVERIFY(!negated);
    QCOMPARE(JudgeGrade::kindOf(QStringLiteral("not-factuality"), &negated), JudgeGrade::Kind::Factuality);
    QVERIFY(negated);
    QCOMPARE(JudgeGrade::kindOf(QStringLiteral("select-best")), JudgeGrade::Kind::SelectBest);
    QCOMPARE(JudgeGrade::kindOf(QStringLiteral("code-tests")), JudgeGrade::Kind::None);
    QCOMPARE(JudgeGrade::kindOf(QStringLiteral("not-contains")), JudgeGrade::Kind::None);

    Grade g;
    g.needsJudge = true;
    JudgeGrade::applyVerdict(g, JudgeVerdict::parse(QStringLiteral(R"({"score": 0.8, "pass": true, "reason": "ok"})")),
                             false);
    QVERIFY(g.pass);
    QCOMPARE(g.score, 0.8);
    QVERIFY(!g.needsJudge);
    QVERIFY(g.reason.contains(QStringLiteral("ok")));
    Grade n;
    JudgeGrade::applyVerdict(n, JudgeVerdict::parse(QStringLiteral(R"({"score": 0.8, "pass": true})")), true);
    QVERIFY(!n.pass);
    QVERIFY(std::abs(n.score - 0.2) < 1e-12);

    Grade chosen;
    JudgeGrade::applyPick(chosen, true, 3, QStringLiteral("r"));
    QVERIFY(chosen.pass);
    QCOMPARE(chosen.score, 1.0);
    Grade other;
    JudgeGrade::applyPick(other, false, 3, QStringLiteral("r"));
    QVERIFY(!other.pass);
    QCOMPARE(other.score, 0.0);
    Grade tie;
    JudgeGrade::applyInconsistent(tie, 2, QStringLiteral("A then A"));
    QVERIFY(!tie.pass);
    QCOMPARE(tie.score, 0.5);
    QVERIFY(tie.reason.startsWith(QStringLiteral("tie/inconsistent")));
}

void TestJudgeVerdict::finalGradeNeverPassesWithAnUngradedAssertion()
{
    Grade contains;
    contains.type = QStringLiteral("icontains");
    contains.pass = true;
    contains.score = 1.0;
    Grade judged;
    judged.type = QStringLiteral("factuality");
    JudgeGrade::markUngraded(judged, QStringLiteral("no judge"));
    QCOMPARE(judged.reason, QStringLiteral("not graded (no judge)"));

    // Grader::combine alone would pass this case on its graded part; the final grade does not.
    const CaseGrade combined = Grader::combine({contains, judged});
    QVERIFY(combined.pass);
    const CaseGrade final = JudgeGrade::finalGrade({contains, judged}, std::nullopt);
    QVERIFY(!final.pass);
    QVERIFY(final.pendingJudge);
    QCOMPARE(final.score, 1.0); // the ungraded assertion is left out of the score
    QVERIFY(JudgeGrade::hasScore(final));
    // Nothing but ungraded assertions: no score at all.
    const CaseGrade none = JudgeGrade::finalGrade({judged}, std::nullopt);
    QVERIFY(!none.pass);
    QVERIFY(!JudgeGrade::hasScore(none));
    // Once the judge has spoken, weights and the threshold apply as Grader has them.
    Grade verdict = judged;
    JudgeGrade::applyVerdict(verdict, JudgeVerdict::parse(QStringLiteral(R"({"score": 0.4, "pass": false})")), false);
    verdict.weight = 3.0;
    const CaseGrade weighted = JudgeGrade::finalGrade({contains, verdict}, 0.5);
    QVERIFY(std::abs(weighted.score - (1.0 + 3 * 0.4) / 4.0) < 1e-12); // 0.55
    QVERIFY(weighted.pass);                                            // the case threshold decides
    QVERIFY(!JudgeGrade::finalGrade({contains, verdict}, std::nullopt).pass);
}

void TestJudgeVerdict::judgePassLeavesErrorsOut()
{
    CaseGrade grade;
    Grade contains;
    contains.type = QStringLiteral("icontains");
    contains.pass = false;
    Grade rubric;
    rubric.type = QStringLiteral("llm-rubric");
    rubric.pass = true;
    Grade fact;
    fact.type = QStringLiteral("factuality");
    JudgeGrade::applyError(fact, QStringLiteral("boom"));
    grade.grades = {contains, rubric, fact};
    JudgeCall ok;
    ok.assertionIndex = 1;
    JudgeCall broken;
    broken.assertionIndex = 2;
    broken.error = QStringLiteral("boom");
    // The deterministic failure and the judge error do not count: the judge said pass.
    QCOMPARE(JudgeGrade::judgePass(grade, {ok, broken}), std::optional<bool>(true));
    QCOMPARE(JudgeGrade::judgePass(grade, {broken}), std::optional<bool>());
    grade.grades[1].pass = false;
    QCOMPARE(JudgeGrade::judgePass(grade, {ok, broken}), std::optional<bool>(false));
}

QTEST_GUILESS_MAIN(TestJudgeVerdict)
#include "tst_judgeverdict.moc"
