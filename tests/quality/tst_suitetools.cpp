// "tools" on suite cases and in defaults: parsed in both spellings, merged per case, written back,
// and refused with file:line:col and the field when malformed.
#include "quality/Suite.h"
#include "quality/SuiteWriter.h"

#include <QTest>

using namespace Slopscope;

namespace {

QByteArray suiteWith(const QByteArray &defaultsTools, const QByteArray &caseTools)
{
    QByteArray out = "{\n  \"name\": \"t\",\n";
    if (!defaultsTools.isEmpty())
        out += "  \"defaults\": {\"tools\": " + defaultsTools + "},\n";
    out += "  \"cases\": [\n    {\"id\": \"c1\", \"prompt\": \"Weather?\"";
    if (!caseTools.isEmpty())
        out += ",\n     \"tools\": " + caseTools;
    out += "},\n    {\"id\": \"c2\", \"prompt\": \"Time?\"}\n  ]\n}\n";
    return out;
}

const QByteArray kWeather =
    "{\"name\": \"get_weather\", \"description\": \"Weather now\", \"parameters\": {\"type\": \"object\", "
    "\"required\": [\"city\"], \"properties\": {\"city\": {\"type\": \"string\"}}}}";
const QByteArray kTimeOpenAI = "{\"type\": \"function\", \"function\": {\"name\": \"get_time\", \"parameters\": "
                               "{\"type\": \"object\"}}}";

} // namespace

class TestSuiteTools final : public QObject
{
    Q_OBJECT

private slots:
    void parsesBothSpellings()
    {
        const auto suite = Suite::fromJson(suiteWith({}, "[" + kWeather + ", " + kTimeOpenAI + "]"), u"s.json"_qs);
        QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
        const SuiteCase &c = suite.value().cases.first();
        QCOMPARE(c.tools.size(), 2);
        QCOMPARE(c.tools[0].name, u"get_weather"_qs);
        QCOMPARE(c.tools[0].description, u"Weather now"_qs);
        QVERIFY(
            c.tools[0].parameters ==
            nlohmann::json::parse(R"({"type":"object","required":["city"],"properties":{"city":{"type":"string"}}})"));
        QCOMPARE(c.tools[1].name, u"get_time"_qs);
        QVERIFY(c.tools[1].description.isEmpty());
        QVERIFY(suite.value().cases[1].tools.isEmpty());
    }

    // A case offers its own tools and the suite's defaults it does not redefine.
    void defaultsMerge()
    {
        const QByteArray own = "[{\"name\": \"get_time\", \"description\": \"mine\"}]";
        const auto suite = Suite::fromJson(suiteWith("[" + kWeather + ", " + kTimeOpenAI + "]", own), u"s.json"_qs);
        QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
        const Suite &s = suite.value();
        QCOMPARE(s.defaults.tools.size(), 2);
        const QList<ToolSpec> first = s.toolsFor(s.cases[0]);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0].name, u"get_time"_qs);
        QCOMPARE(first[0].description, u"mine"_qs);
        QCOMPARE(first[1].name, u"get_weather"_qs);
        QCOMPARE(s.toolsFor(s.cases[1]), s.defaults.tools);
    }

    void writtenBack()
    {
        const auto suite = Suite::fromJson(suiteWith("[" + kTimeOpenAI + "]", "[" + kWeather + "]"), u"s.json"_qs);
        QVERIFY(suite);
        const auto again = Suite::fromJson(suiteToBytes(suite.value()), u"w.json"_qs);
        QVERIFY2(again, qPrintable(again ? QString() : again.error()));
        QCOMPARE(again.value().cases[0].tools, suite.value().cases[0].tools);
        QCOMPARE(again.value().defaults.tools, suite.value().defaults.tools);
    }

    void errorsNameThePlace_data()
    {
        QTest::addColumn<QByteArray>("defaultsTools");
        QTest::addColumn<QByteArray>("caseTools");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a list") << QByteArray() << QByteArray("{\"name\": \"x\"}")
                                    << u"s.json:5:15: cases[0].tools: expected a list of tools"_qs;
        QTest::newRow("no name") << QByteArray() << QByteArray("[{\"description\": \"x\"}]")
                                 << u"s.json:5:16: cases[0].tools[0].name: missing"_qs;
        QTest::newRow("unknown key") << QByteArray() << QByteArray("[{\"name\": \"x\", \"schema\": {}}]")
                                     << u"s.json:5:40: cases[0].tools[0].schema: unknown key"_qs;
        QTest::newRow("bad parameters") << QByteArray() << QByteArray("[{\"name\": \"x\", \"parameters\": []}]")
                                        << u"cases[0].tools[0].parameters: expected a JSON Schema object"_qs;
        QTest::newRow("duplicate") << QByteArray() << QByteArray("[{\"name\": \"x\"}, {\"name\": \"x\"}]")
                                   << u"cases[0].tools[1].name: duplicate tool name \"x\""_qs;
        QTest::newRow("openai form, bad inside")
            << QByteArray("[{\"type\": \"function\", \"function\": {\"name\": 3}}]") << QByteArray()
            << u"s.json:3:68: defaults.tools[0].function.name: expected a string"_qs;
    }
    void errorsNameThePlace()
    {
        QFETCH(QByteArray, defaultsTools);
        QFETCH(QByteArray, caseTools);
        QFETCH(QString, expected);
        const auto suite = Suite::fromJson(suiteWith(defaultsTools, caseTools), u"s.json"_qs);
        QVERIFY(!suite);
        QVERIFY2(suite.error().contains(expected), qPrintable(suite.error()));
    }

    // The bundled tool suite offers tools on every case.
    void bundledToolSuite()
    {
        const auto suite = Suite::fromFile(u":/slopscope/demo/suites/tools.json"_qs);
        QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
        for (const SuiteCase &c : suite.value().cases) {
            QVERIFY2(!suite.value().toolsFor(c).isEmpty(), qPrintable(c.id));
            QVERIFY(c.variants.size() >= 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestSuiteTools)
#include "tst_suitetools.moc"
