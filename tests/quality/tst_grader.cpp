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
    void codeTestsWaitForTheSandboxOnlyWithCode();
    void weightedAggregate();
    void latencyAndCostNeedMeasurements();
    void levenshteinDistance();
    void numberExtraction();
    void caseSensitivityOfListTypes();
    void equalsComparesJsonValues();
    void jsonSchemaGrader();
    void isJsonWithSchema();
    void nativeToolCalls();
    void toolCallsReadFromText_data();
    void toolCallsReadFromText();
    void toolCallChecks();
    void unknownGraderIsReportedNotDropped();
    void promptfooScoring();
    void latencyAndCostNeedAThreshold();
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
    const Grade all = Grader::grade(make("icontains-all", {"red", "green", "blue", "pink"}),
                                    {QStringLiteral("Red and BLUE"), {}, {}, {}});
    QVERIFY(!all.pass);
    QCOMPARE(all.score, 0.5);
    const Grade any = Grader::grade(make("icontains-any", {"red", "green"}), {QStringLiteral("GREEN"), {}, {}, {}});
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

void TestGrader::codeTestsWaitForTheSandboxOnlyWithCode()
{
    // With code, the grade waits for RunSession's sandbox; without, there is nothing to run.
    const Assertion tests = make("code-tests", "import solution");
    const Grade withCode =
        Grader::grade(tests, {QStringLiteral("Here:\n```python\ndef f(): return 1\n```\n"), {}, {}, {}});
    QVERIFY(withCode.needsJudge);
    QVERIFY(!withCode.pass);
    QCOMPARE(Grader::codeToTest(tests, QStringLiteral("```python\ndef f(): return 1\n```")),
             std::optional<QString>(QStringLiteral("def f(): return 1")));
    const Grade without = Grader::grade(tests, {QStringLiteral("def f(): return 1 (no fence)"), {}, {}, {}});
    QVERIFY(!without.needsJudge);
    QVERIFY(!without.pass);
    QCOMPARE(without.score, 0.0);
    QCOMPARE(without.reason, QStringLiteral("no code block in the answer"));
    // An empty fence is no code either.
    QVERIFY(!Grader::grade(tests, {QStringLiteral("```python\n\n```"), {}, {}, {}}).needsJudge);
    const CaseGrade c =
        Grader::gradeAll({make("icontains", "def"), tests}, {QStringLiteral("def, no fence"), {}, {}, {}});
    QVERIFY(!c.pendingJudge);
    QVERIFY(!c.pass);
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

void TestGrader::caseSensitivityOfListTypes()
{
    // promptfoo: contains-any/-all are case-sensitive, the icontains- forms are not.
    QVERIFY(!Grader::grade(make("contains-any", {"Red", "Blue"}), {QStringLiteral("red"), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("icontains-any", {"Red", "Blue"}), {QStringLiteral("red"), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("icontains-all", {"Red", "Blue"}), {QStringLiteral("BLUE and red"), {}, {}, {}}).pass);
    // A comma-separated string is a list, as promptfoo reads it.
    QVERIFY(Grader::grade(make("contains-all", "red, blue"), {QStringLiteral("red and blue"), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("ends-with", "done."), {QStringLiteral("All done.\n"), {}, {}, {}}).pass);
}

void TestGrader::equalsComparesJsonValues()
{
    QVERIFY(Grader::grade(make("equals", {{"a", 1}, {"b", {true, nullptr}}}),
                          {QStringLiteral(" {\"b\": [true, null], \"a\": 1.0} "), {}, {}, {}})
                .pass);
    QVERIFY(!Grader::grade(make("equals", {{"a", 1}}), {QStringLiteral("{\"a\": 2}"), {}, {}, {}}).pass);
    QVERIFY(!Grader::grade(make("equals", {{"a", 1}}), {QStringLiteral("a: 1"), {}, {}, {}}).pass);
}

void TestGrader::jsonSchemaGrader()
{
    const nlohmann::json schema = {{"type", "object"},
                                   {"required", {"name", "age"}},
                                   {"properties", {{"name", {{"type", "string"}}}, {"age", {{"type", "integer"}}}}}};
    // The JSON may sit in prose or a fenced block.
    const Grade ok =
        Grader::grade(make("json-schema", schema),
                      {QStringLiteral("Here:\n```json\n{\"name\": \"Ada\", \"age\": 36}\n```"), {}, {}, {}});
    QVERIFY2(ok.pass, qPrintable(ok.reason));
    const Grade bad = Grader::grade(make("json-schema", schema),
                                    {QStringLiteral("{\"name\": \"Ada\", \"age\": \"36\"}"), {}, {}, {}});
    QVERIFY(!bad.pass);
    QVERIFY2(bad.reason.contains(QStringLiteral("/age")), qPrintable(bad.reason));
    // Any of several JSON values may match.
    QVERIFY(Grader::grade(make("json-schema", schema),
                          {QStringLiteral("[1] then {\"name\": \"Bo\", \"age\": 2}"), {}, {}, {}})
                .pass);
    QVERIFY(!Grader::grade(make("json-schema", schema), {QStringLiteral("no json"), {}, {}, {}}).pass);
    // The schema may come as JSON text; a value that is no schema fails with a reason.
    QVERIFY(Grader::grade(make("json-schema", "{\"type\": \"array\"}"), {QStringLiteral("[1, 2]"), {}, {}, {}}).pass);
    const Grade noSchema = Grader::grade(make("json-schema", 5), {QStringLiteral("[1]"), {}, {}, {}});
    QVERIFY(!noSchema.pass && noSchema.reason.contains(QStringLiteral("schema")));
    QVERIFY(!Grader::isModelGraded(QStringLiteral("json-schema")));
}

void TestGrader::isJsonWithSchema()
{
    const nlohmann::json schema = {{"type", "array"}, {"items", {{"type", "number"}}}};
    QVERIFY(Grader::grade(make("is-json", schema), {QStringLiteral("[1, 2.5]"), {}, {}, {}}).pass);
    QVERIFY(!Grader::grade(make("is-json", schema), {QStringLiteral("[1, \"x\"]"), {}, {}, {}}).pass);
    QVERIFY(!Grader::grade(make("is-json", schema), {QStringLiteral("Sure: [1, 2]"), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("contains-json", schema), {QStringLiteral("Sure: [1, 2]"), {}, {}, {}}).pass);
    QVERIFY(!Grader::grade(make("contains-json", schema), {QStringLiteral("Sure: [\"a\"]"), {}, {}, {}}).pass);
}

void TestGrader::nativeToolCalls()
{
    GradeInput in;
    in.answer = QString();
    in.toolCalls = {ToolCall{QStringLiteral("call_1"), QStringLiteral("get_weather"),
                             QStringLiteral("{\"city\": \"Paris\", \"unit\": \"celsius\"}")}};
    const Grade valid = Grader::grade(make("is-valid-tool-call"), in);
    QVERIFY2(valid.pass, qPrintable(valid.reason));
    QVERIFY(!valid.reason.contains(QStringLiteral("answer text")));
    // Against the tools offered (OpenAI's tools format): the name and the parameters are checked.
    const nlohmann::json tools = nlohmann::json::parse(R"([{"type": "function", "function": {"name": "get_weather",
        "parameters": {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"},
        "unit": {"enum": ["celsius", "fahrenheit"]}}, "additionalProperties": false}}}])");
    QVERIFY(Grader::grade(make("is-valid-tool-call", tools), in).pass);
    in.toolCalls[0].arguments = QStringLiteral("{\"city\": \"Paris\", \"unit\": \"kelvin\"}");
    const Grade badEnum = Grader::grade(make("is-valid-tool-call", tools), in);
    QVERIFY(!badEnum.pass);
    QVERIFY2(badEnum.reason.contains(QStringLiteral("/unit")), qPrintable(badEnum.reason));
    in.toolCalls[0].name = QStringLiteral("get_time");
    in.toolCalls[0].arguments = QStringLiteral("{}");
    QVERIFY(Grader::grade(make("is-valid-tool-call", tools), in).reason.contains(QStringLiteral("not one of")));
    // Truncated arguments are not a valid call; empty ones are "no arguments".
    in.toolCalls[0] = ToolCall{QStringLiteral("c"), QStringLiteral("get_weather"), QStringLiteral("{\"city\": \"Par")};
    QVERIFY(!Grader::grade(make("is-valid-tool-call"), in).pass);
    in.toolCalls[0].arguments.clear();
    QVERIFY(Grader::grade(make("is-valid-tool-call"), in).pass);
    // No call at all fails; promptfoo's name for the check is understood.
    QVERIFY(!Grader::grade(make("is-valid-tool-call"), {QStringLiteral("It is sunny."), {}, {}, {}}).pass);
    QVERIFY(Grader::grade(make("is-valid-openai-tools-call"), in).pass);
}

void TestGrader::toolCallsReadFromText_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("city");
    QTest::newRow("name and arguments") << R"({"name": "get_weather", "arguments": {"city": "Paris"}})"
                                        << "get_weather"
                                        << "Paris";
    QTest::newRow("arguments as a string") << R"({"name": "get_weather", "arguments": "{\"city\": \"Rome\"}"})"
                                           << "get_weather"
                                           << "Rome";
    QTest::newRow("openai tool_calls")
        << R"({"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]})"
        << "get_weather"
        << "Oslo";
    QTest::newRow("anthropic tool_use")
        << R"([{"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "Lima"}}])"
        << "get_weather"
        << "Lima";
    QTest::newRow("gemini functionCall") << R"({"functionCall": {"name": "get_weather", "args": {"city": "Kyiv"}}})"
                                         << "get_weather"
                                         << "Kyiv";
    QTest::newRow("in prose and a fence")
        << "I will call the tool.\n```json\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Baku\"}}\n```"
        << "get_weather"
        << "Baku";
}

void TestGrader::toolCallsReadFromText()
{
    QFETCH(QString, answer);
    QFETCH(QString, name);
    QFETCH(QString, city);
    const QList<ToolCall> calls = Grader::toolCallsInText(answer);
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.first().name, name);
    QCOMPARE(nlohmann::json::parse(calls.first().arguments.toStdString()).at("city").get<std::string>(),
             city.toStdString());
    const Grade g = Grader::grade(make("is-valid-tool-call"), {answer, {}, {}, {}});
    QVERIFY2(g.pass, qPrintable(g.reason));
    QVERIFY(g.reason.contains(QStringLiteral("answer text")));
    QVERIFY(Grader::toolCallsInText(QStringLiteral("{\"weather\": \"sunny\"}")).isEmpty());
}

void TestGrader::toolCallChecks()
{
    GradeInput in;
    in.toolCalls = {ToolCall{QStringLiteral("1"), QStringLiteral("get_weather"),
                             QStringLiteral("{\"city\": \"paris \", \"days\": 3, \"unit\": \"celsius\"}")},
                    ToolCall{QStringLiteral("2"), QStringLiteral("book_table"), QStringLiteral("{\"people\": 4}")}};
    QVERIFY(Grader::grade(make("tool-call", "get_weather"), in).pass);
    QVERIFY(!Grader::grade(make("tool-call", "send_email"), in).pass);
    // Expected arguments are a subset; strings ignore case and surrounding space; "3" matches 3.
    QVERIFY(Grader::grade(
                make("tool-call", {{"name", "get_weather"}, {"arguments", {{"city", "Paris"}, {"days", "3"}}}}), in)
                .pass);
    const Grade wrongArgs =
        Grader::grade(make("tool-call", {{"name", "get_weather"}, {"arguments", {{"city", "Rome"}}}}), in);
    QVERIFY(!wrongArgs.pass);
    QVERIFY2(wrongArgs.reason.contains(QStringLiteral("other arguments")), qPrintable(wrongArgs.reason));
    // Several expected calls: partial credit, and a threshold can accept it.
    const nlohmann::json three = {
        "get_weather", {{"name", "book_table"}, {"arguments", {{"people", 4}}}}, "send_email"};
    const Grade partial = Grader::grade(make("tool-call", three), in);
    QVERIFY(!partial.pass);
    QVERIFY(std::abs(partial.score - 2.0 / 3.0) < 1e-12);
    QVERIFY(Grader::grade(make("tool-call", three, 0.6), in).pass);
    // One actual call cannot satisfy two expected ones.
    QVERIFY(!Grader::grade(make("tool-call", {"get_weather", "get_weather"}), in).pass);
    // Negation: "the model must not call send_email".
    QVERIFY(Grader::grade(make("not-tool-call", "send_email"), in).pass);
}

void TestGrader::unknownGraderIsReportedNotDropped()
{
    const Grade g = Grader::grade(make("javascript", "output.length > 3"), {QStringLiteral("long answer"), {}, {}, {}});
    QVERIFY(!g.pass);
    QVERIFY(!g.needsJudge);
    QCOMPARE(g.type, QStringLiteral("javascript"));
    QVERIFY(g.reason.contains(QStringLiteral("unknown grader \"javascript\"")));
}

void TestGrader::promptfooScoring()
{
    Assertion pass = make("icontains", "paris");
    Assertion fail = make("icontains", "lyon");
    fail.weight = 1;
    pass.weight = 3;
    const GradeInput in{QStringLiteral("Paris"), {}, {}, {}};
    // Without a threshold every assertion must pass; with one, the weighted score decides.
    QVERIFY(!Grader::gradeAll({pass, fail}, in).pass);
    QVERIFY(Grader::gradeAll({pass, fail}, in, 0.75).pass);
    QVERIFY(!Grader::gradeAll({pass, fail}, in, 0.8).pass);
    QCOMPARE(Grader::gradeAll({pass, fail}, in, 0.8).score, 0.75);
    // Weight 0 takes no part in the score but still has to pass (promptfoo).
    Assertion informational = make("icontains", "lyon");
    informational.weight = 0;
    const CaseGrade zero = Grader::gradeAll({pass, informational}, in);
    QCOMPARE(zero.score, 1.0);
    QVERIFY(!zero.pass);
    pass.weight = 0;
    QCOMPARE(Grader::gradeAll({pass}, in).score, 0.0); // all weights 0: score 0, as promptfoo has it
    // Only judged checks: no verdict yet, so no pass and no score.
    const CaseGrade pending = Grader::gradeAll({make("llm-rubric", "polite"), make("factuality")}, in);
    QVERIFY(pending.pendingJudge);
    QVERIFY(!pending.pass);
    QCOMPARE(pending.score, 0.0);
    // combine() recomputes once the judge filled in its grades.
    QList<Grade> grades = pending.grades;
    for (Grade &g : grades) {
        g.needsJudge = false;
        g.pass = true;
        g.score = 0.9;
    }
    const CaseGrade judged = Grader::combine(grades);
    QVERIFY(judged.pass && !judged.pendingJudge);
    QVERIFY(std::abs(judged.score - 0.9) < 1e-12);
}

void TestGrader::latencyAndCostNeedAThreshold()
{
    const Grade g = Grader::grade(make("latency"), {QStringLiteral("x"), {}, 10.0, {}});
    QVERIFY(!g.pass);
    QVERIFY(g.reason.contains(QStringLiteral("threshold")));
    QVERIFY(!Grader::grade(make("cost"), {QStringLiteral("x"), {}, {}, 0.0}).pass);
    QVERIFY(Grader::grade(make("cost", {}, 0.0), {QStringLiteral("x"), {}, {}, 0.0}).pass); // threshold 0 is honoured
    QVERIFY(Grader::grade(make("not-latency", {}, 100.0), {QStringLiteral("x"), {}, 150.0, {}}).pass);
}

QTEST_GUILESS_MAIN(TestGrader)
#include "tst_grader.moc"
