#include "quality/Grader.h"

#include <QTest>

using namespace Slopscope;

namespace {
Assertion make(const char *type, nlohmann::json value = {}, std::optional<double> threshold = std::nullopt)
{
    Assertion a;
    a.type = QString::fromLatin1(type);
    a.value = std::move(value);
    a.threshold = threshold;
    return a;
}
} // namespace

class TestGrader final : public QObject
{
    Q_OBJECT

private slots:
    void deterministicTypes_data();
    void deterministicTypes();
    void containsAllScoresPartially();
    void negationFlipsAnyType();
    void modelGradedTypesWaitForAJudge();
    void weightedAggregate();
    void latencyAndCostNeedMeasurements();
    void levenshteinDistance();
    void numberExtraction();
};

void TestGrader::deterministicTypes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("answer");
    QTest::addColumn<bool>("pass");
    QTest::newRow("equals trims") << "equals"
                                  << "Paris"
                                  << "  Paris\n"
                                  << true;
    QTest::newRow("equals exact") << "equals"
                                  << "Paris"
                                  << "paris" << false;
    QTest::newRow("contains") << "contains"
                              << "Paris"
                              << "It is Paris." << true;
    QTest::newRow("contains case") << "contains"
                                   << "Paris"
                                   << "it is paris" << false;
    QTest::newRow("icontains") << "icontains"
                               << "Paris"
                               << "it is PARIS" << true;
    QTest::newRow("not-contains") << "not-contains"
                                  << "Lyon"
                                  << "Paris" << true;
    QTest::newRow("not-contains fails") << "not-contains"
                                        << "Lyon"
                                        << "Lyon" << false;
    QTest::newRow("starts-with") << "starts-with"
                                 << "Yes"
                                 << " Yes, because" << true;
    QTest::newRow("regex") << "regex"
                           << "^\\d{4}-\\d{2}$"
                           << "2026-11" << true;
    QTest::newRow("regex no") << "regex"
                              << "^\\d{4}$"
                              << "20x6" << false;
    QTest::newRow("bad regex") << "regex"
                               << "("
                               << "(" << false;
    QTest::newRow("is-json") << "is-json"
                             << ""
                             << "{\"a\": 1}" << true;
    QTest::newRow("is-json prose") << "is-json"
                                   << ""
                                   << "Here: {\"a\": 1}" << false;
    QTest::newRow("contains-json") << "contains-json"
                                   << ""
                                   << "Here: {\"a\": [1, 2]} done" << true;
    QTest::newRow("contains-json none") << "contains-json"
                                        << ""
                                        << "no {json here" << false;
    QTest::newRow("numeric") << "numeric"
                             << "42"
                             << "So the answer is 42." << true;
    QTest::newRow("numeric last wins") << "numeric"
                                       << "42"
                                       << "Not 41, it's 42" << true;
    QTest::newRow("numeric thousands") << "numeric"
                                       << "1234567"
                                       << "1,234,567 people" << true;
    QTest::newRow("numeric wrong") << "numeric"
                                   << "42"
                                   << "43" << false;
    QTest::newRow("numeric none") << "numeric"
                                  << "42"
                                  << "forty-two" << false;
}

void TestGrader::deterministicTypes()
{
    QFETCH(QString, type);
    QFETCH(QString, value);
    QFETCH(QString, answer);
    QFETCH(bool, pass);
    Assertion a;
    a.type = type;
    a.value = value.toStdString();
    const Grade g = Grader::grade(a, {answer, {}, {}, {}});
    QVERIFY2(g.pass == pass, qPrintable(g.reason));
    QCOMPARE(g.score, pass ? 1.0 : 0.0);
    QVERIFY(!g.reason.isEmpty());
    QVERIFY(!g.needsJudge);
}

void TestGrader::containsAllScoresPartially()
{
    const Grade all = Grader::grade(make("contains-all", {"red", "green", "blue", "pink"}),
                                    {QStringLiteral("Red and BLUE"), {}, {}, {}});
    QVERIFY(!all.pass);
    QCOMPARE(all.score, 0.5);
    const Grade any = Grader::grade(make("contains-any", {"red", "green"}), {QStringLiteral("GREEN"), {}, {}, {}});
    QVERIFY(any.pass);
}

void TestGrader::negationFlipsAnyType()
{
    const Grade g = Grader::grade(make("not-icontains", "paris"), {QStringLiteral("It is PARIS"), {}, {}, {}});
    QVERIFY(!g.pass);
    QCOMPARE(g.score, 0.0);
    QVERIFY(g.reason.startsWith(QStringLiteral("not:")));
    const Grade r = Grader::grade(make("not-regex", "\\d"), {QStringLiteral("no digits"), {}, {}, {}});
    QVERIFY(r.pass);
}

void TestGrader::modelGradedTypesWaitForAJudge()
{
    const Grade g = Grader::grade(make("llm-rubric", "Is polite"), {QStringLiteral("hi"), {}, {}, {}});
    QVERIFY(g.needsJudge);
    QVERIFY(!g.pass); // never a pass without a verdict
    const CaseGrade c =
        Grader::gradeAll({make("icontains", "hi"), make("factuality")}, {QStringLiteral("hi"), {}, {}, {}});
    QVERIFY(c.pendingJudge);
    QCOMPARE(c.grades.size(), 2);
}

void TestGrader::weightedAggregate()
{
    Assertion heavy = make("icontains", "paris");
    heavy.weight = 3;
    Assertion light = make("icontains", "france");
    const CaseGrade c = Grader::gradeAll({heavy, light}, {QStringLiteral("Paris"), {}, {}, {}});
    QVERIFY(!c.pass);
    QCOMPARE(c.score, 0.75);
    const CaseGrade none = Grader::gradeAll({}, {QStringLiteral("x"), {}, {}, {}});
    QVERIFY(none.pass);
    QCOMPARE(none.score, 1.0);
}

void TestGrader::latencyAndCostNeedMeasurements()
{
    QVERIFY(!Grader::grade(make("latency", {}, 1000.0), {QStringLiteral("x"), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("latency", {}, 1000.0), {QStringLiteral("x"), {}, 999.0, {}}).pass);
    QVERIFY(!Grader::grade(make("latency", {}, 1000.0), {QStringLiteral("x"), {}, 1001.0, {}}).pass);
    const Grade unknownCost = Grader::grade(make("cost", {}, 0.01), {QStringLiteral("x"), {}, {}, {}});
    QVERIFY(!unknownCost.pass);
    QVERIFY(unknownCost.reason.contains(QStringLiteral("unknown")));
    QVERIFY(Grader::grade(make("cost", 0.01), {QStringLiteral("x"), {}, {}, 0.002}).pass);
    QVERIFY(Grader::grade(make("word-count", {{"min", 2}, {"max", 3}}), {QStringLiteral("one two three"), {}, {}, {}})
                .pass);
    QVERIFY(!Grader::grade(make("word-count", 2), {QStringLiteral("one two three"), {}, {}, {}}).pass);
}

void TestGrader::levenshteinDistance()
{
    QCOMPARE(Grader::levenshtein(u"kitten", u"sitting"), 3);
    QCOMPARE(Grader::levenshtein(u"", u"abc"), 3);
    QCOMPARE(Grader::levenshtein(u"same", u"same"), 0);
    QVERIFY(Grader::grade(make("levenshtein", "sitting", 3.0), {QStringLiteral("kitten"), {}, {}, {}}).pass);
    QVERIFY(!Grader::grade(make("levenshtein", "sitting", 2.0), {QStringLiteral("kitten"), {}, {}, {}}).pass);
}

void TestGrader::numberExtraction()
{
    QCOMPARE(Grader::extractNumber(QStringLiteral("-3.5 then 7")).value(), 7.0);
    QCOMPARE(Grader::extractNumber(QStringLiteral("costs -2.25")).value(), -2.25);
    QVERIFY(!Grader::extractNumber(QStringLiteral("none")).has_value());
    QCOMPARE(Grader::extractJson(QStringLiteral("x [1,2] y")).value(), QStringLiteral("[1,2]"));
}

QTEST_GUILESS_MAIN(TestGrader)
#include "tst_grader.moc"
