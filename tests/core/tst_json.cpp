#include "core/Json.h"

#include <QTest>

using namespace Slopscope;

class TestJson final : public QObject
{
    Q_OBJECT

private slots:
    void positionCountsLinesAndCodePoints();
    void parseErrorAtEndOfInput();
    void readerReportsFirstErrorOnly();
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

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
