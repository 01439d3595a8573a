#include "core/Json.h"

#include <QFile>
#include <QTest>

using namespace Slopscope;

class TestJson final : public QObject
{
    Q_OBJECT

private slots:
    void positionCountsLinesAndCodePoints();
    void parseErrorAtEndOfInput();
    void readerReportsFirstErrorOnly();
    void numberOverflowIsAnError();
};

void TestJson::positionCountsLinesAndCodePoints()
{
    const QByteArray text = "ab\n\xc3\xa9x\ny"; // "é" is two bytes but one column
    QCOMPARE(Json::positionOf(text, 0).line, 1);
    QCOMPARE(Json::positionOf(text, 2).column, 3);
    const auto onX = Json::positionOf(text, 5);
    QCOMPARE(onX.line, 2);
    QCOMPARE(onX.column, 2);
    const auto onY = Json::positionOf(text, 7);
    QCOMPARE(onY.line, 3);
    QCOMPARE(onY.column, 1);
}

void TestJson::parseErrorAtEndOfInput()
{
    auto r = Json::parse("{\"a\": [1, 2", QStringLiteral("f.json"));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().startsWith(QStringLiteral("f.json:1:")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("invalid JSON")), qPrintable(r.error()));
    auto good = Json::parse("{\"a\": [1, 2]}", QStringLiteral("f.json"));
    QVERIFY(good.ok());
    QCOMPARE(good.value().at("a").size(), 2u);
}

void TestJson::readerReportsFirstErrorOnly()
{
    const auto doc = nlohmann::json::parse(R"({"s": 1, "n": "x"})");
    QString error;
    Json::ObjectReader r(doc, QStringLiteral("root"), &error);
    QCOMPARE(r.string("s", true), QString());
    r.number("n", true);
    QCOMPARE(error, QStringLiteral("root.s: expected a string"));
    QVERIFY(r.failed());
}

// Found by fuzz_suite / fuzz_workspace: nlohmann throws out_of_range (not parse_error) for a
// number beyond double's range, which used to escape Json::parse and terminate the program.
void TestJson::numberOverflowIsAnError()
{
    QFile file(QStringLiteral(SLOPSCOPE_TEST_DATA "/fuzz/number-overflow-suite.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto r = Json::parse(file.readAll(), QStringLiteral("f.json"));
    QVERIFY(!r.ok());
    // The number is on line 3, column 50.
    QVERIFY2(r.error().startsWith(QStringLiteral("f.json:3:50: invalid JSON: ")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("1e999999")), qPrintable(r.error()));
    QVERIFY(!Json::parse("[1e400]", QStringLiteral("f.json")).ok());
    QVERIFY(Json::parse("[1e300]", QStringLiteral("f.json")).ok());
}

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
