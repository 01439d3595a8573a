// "tool_choice" and "parallel_tool_calls" on suite cases and in defaults: parsed strictly, the
// case's winning over the defaults', written back, and refused with file:line:col and the field.
#include "quality/Suite.h"
#include "quality/SuiteWriter.h"

#include <QTest>

using namespace Slopscope;

namespace {

using Mode = ToolChoice::Mode;

// Defaults offer get_weather; case c1 offers get_time too and takes `caseFields`; c2 only
// inherits. Each extra field goes on its own line so error positions are easy to read.
QByteArray suiteWith(const QByteArray &defaultsFields, const QByteArray &caseFields, bool defaultTools = true)
{
    QByteArray out = "{\n  \"name\": \"t\",\n  \"defaults\": {";
    if (defaultTools)
        out += "\"tools\": [{\"name\": \"get_weather\"}]";
    if (!defaultsFields.isEmpty())
        out += (defaultTools ? ",\n    " : "\n    ") + defaultsFields;
    out += "},\n  \"cases\": [\n    {\"id\": \"c1\", \"prompt\": \"Weather?\", \"tools\": [{\"name\": \"get_time\"}]";
    if (!caseFields.isEmpty())
        out += ",\n     " + caseFields;
    out += "},\n    {\"id\": \"c2\", \"prompt\": \"Time?\"}\n  ]\n}\n";
    return out;
}

} // namespace

class TestSuiteToolChoice final : public QObject
{
    Q_OBJECT

private slots:
    void parsesEveryForm_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("name");
        QTest::newRow("auto") << QByteArray("\"auto\"") << int(Mode::Auto) << QString();
        QTest::newRow("none") << QByteArray("\"none\"") << int(Mode::None) << QString();
        QTest::newRow("required") << QByteArray("\"required\"") << int(Mode::Required) << QString();
        QTest::newRow("own tool") << QByteArray("{\"name\": \"get_time\"}") << int(Mode::Function)
                                  << u"get_time"_qs;
        QTest::newRow("default tool") << QByteArray("{\"name\": \"get_weather\"}") << int(Mode::Function)
                                      << u"get_weather"_qs;
    }
    void parsesEveryForm()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, mode);
        QFETCH(QString, name);
        const auto suite = Suite::fromJson(suiteWith({}, "\"tool_choice\": " + value), u"s.json"_qs);
        QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
        const Suite &s = suite.value();
        QCOMPARE(s.cases[0].toolChoice, (ToolChoice{Mode(mode), name}));
        QVERIFY(!s.toolChoiceFor(s.cases[1]));
        QVERIFY(!s.parallelToolCallsFor(s.cases[0]));
    }

    // A case's own choice wins; a case without one takes the defaults'.
    void caseOverridesDefaults()
    {
        const auto suite = Suite::fromJson(suiteWith("\"tool_choice\": \"required\", \"parallel_tool_calls\": false",
                                                     "\"tool_choice\": \"none\", \"parallel_tool_calls\": true"),
                                           u"s.json"_qs);
        QVERIFY2(suite, qPrintable(suite ? QString() : suite.error()));
        const Suite &s = suite.value();
        QCOMPARE(s.toolChoiceFor(s.cases[0]), (ToolChoice{Mode::None}));
        QCOMPARE(s.parallelToolCallsFor(s.cases[0]), std::optional<bool>(true));
        QCOMPARE(s.toolChoiceFor(s.cases[1]), (ToolChoice{Mode::Required}));
        QCOMPARE(s.parallelToolCallsFor(s.cases[1]), std::optional<bool>(false));
    }

    void writtenBack()
    {
        const auto suite =
            Suite::fromJson(suiteWith("\"tool_choice\": {\"name\": \"get_weather\"}, \"parallel_tool_calls\": true",
                                      "\"tool_choice\": \"required\", \"parallel_tool_calls\": false"),
                            u"s.json"_qs);
        QVERIFY(suite);
        const QByteArray bytes = suiteToBytes(suite.value());
        const auto again = Suite::fromJson(bytes, u"w.json"_qs);
        QVERIFY2(again, qPrintable(again ? QString() : again.error()));
        const Suite &s = again.value();
        QCOMPARE(s.defaults.toolChoice, (ToolChoice{Mode::Function, u"get_weather"_qs}));
        QCOMPARE(s.defaults.parallelToolCalls, std::optional<bool>(true));
        QCOMPARE(s.cases[0].toolChoice, (ToolChoice{Mode::Required}));
        QCOMPARE(s.cases[0].parallelToolCalls, std::optional<bool>(false));
        // Unset stays unset: nothing is written for c2.
        QVERIFY(!s.cases[1].toolChoice);
        QVERIFY(!s.cases[1].parallelToolCalls);
        QCOMPARE(bytes.count("tool_choice"), 2);
    }

    void errorsNameThePlace_data()
    {
        QTest::addColumn<QByteArray>("defaultsFields");
        QTest::addColumn<QByteArray>("caseFields");
        QTest::addColumn<bool>("defaultTools");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown word") << QByteArray() << QByteArray("\"tool_choice\": \"any\"") << true
                                      << u"s.json:6:21: cases[0].tool_choice: expected \"auto\", \"none\", "
                                         u"\"required\" or {\"name\": \"<tool>\"}, not \"any\""_qs;
        QTest::newRow("number") << QByteArray() << QByteArray("\"tool_choice\": 1") << true
                                << u"s.json:6:21: cases[0].tool_choice: expected \"auto\""_qs;
        QTest::newRow("name not a string") << QByteArray() << QByteArray("\"tool_choice\": {\"name\": 3}") << true
                                           << u"s.json:6:30: cases[0].tool_choice.name: expected the name"_qs;
        QTest::newRow("openai spelling") << QByteArray()
                                         << QByteArray("\"tool_choice\": {\"type\": \"function\", \"name\": \"x\"}")
                                         << true << u"s.json:6:30: cases[0].tool_choice.type: unknown field"_qs;
        QTest::newRow("tool not offered") << QByteArray() << QByteArray("\"tool_choice\": {\"name\": \"search\"}")
                                          << true
                                          << u"s.json:6:30: cases[0].tool_choice.name: \"search\" is not one of "
                                             u"the tools offered"_qs;
        QTest::newRow("defaults name a case's tool")
            << QByteArray("\"tool_choice\": {\"name\": \"get_time\"}") << QByteArray() << true
            << u"s.json:4:29: defaults.tool_choice.name: \"get_time\" is not one of the tools offered"_qs;
        QTest::newRow("parallel not a bool") << QByteArray() << QByteArray("\"parallel_tool_calls\": \"no\"")
                                             << true
                                             << u"s.json:6:29: cases[0].parallel_tool_calls: expected true or "
                                                u"false"_qs;
        QTest::newRow("defaults parallel not a bool")
            << QByteArray("\"parallel_tool_calls\": 0") << QByteArray() << true
            << u"s.json:4:28: defaults.parallel_tool_calls: expected true or false"_qs;
    }
    void errorsNameThePlace()
    {
        QFETCH(QByteArray, defaultsFields);
        QFETCH(QByteArray, caseFields);
        QFETCH(bool, defaultTools);
        QFETCH(QString, expected);
        const auto suite = Suite::fromJson(suiteWith(defaultsFields, caseFields, defaultTools), u"s.json"_qs);
        QVERIFY(!suite);
        QVERIFY2(suite.error().contains(expected), qPrintable(suite.error()));
    }

    // A case that offers no tool at all cannot choose among them.
    void choiceWithoutTools()
    {
        const QByteArray bytes = "{\"name\": \"t\", \"cases\": [\n"
                                 "  {\"id\": \"c\", \"prompt\": \"Hi\", \"tool_choice\": \"required\"}]}";
        const auto suite = Suite::fromJson(bytes, u"s.json"_qs);
        QVERIFY(!suite);
        QVERIFY2(suite.error().contains(u"s.json:2:46: cases[0].tool_choice: the case offers no tools"_qs),
                 qPrintable(suite.error()));
    }
};

QTEST_GUILESS_MAIN(TestSuiteToolChoice)
#include "tst_suitetoolchoice.moc"
