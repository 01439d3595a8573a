#include "quality/Grader.h"
#include "quality/PromptfooImporter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

const QString kDir = QStringLiteral(SLOPSCOPE_TEST_DATA "/quality/promptfoo");

PromptfooImporter::Import importOk(const QByteArray &yaml)
{
    auto result = PromptfooImporter::fromYaml(yaml, QStringLiteral("inline.yaml"), kDir);
    if (!result)
        qFatal("%s", qPrintable(result.error()));
    return result.value();
}

QString errorOf(const QByteArray &yaml)
{
    return PromptfooImporter::fromYaml(yaml, QStringLiteral("inline.yaml"), kDir).error();
}

} // namespace

class TestPromptfooImporter final : public QObject
{
    Q_OBJECT

private slots:
    void fullConfiguration();
    void promptsFromFilesAndChat();
    void defaultTestMerges();
    void listVarsExpand();
    void unknownAssertionsAreKeptAndReported();
    void providersMapToTargets_data();
    void providersMapToTargets();
    void providerConfigCarriesParams();
    void csvTestsInPromptfooLayout();
    void errorsNameFileLineAndField_data();
    void errorsNameFileLineAndField();
    void nunjucksBeyondVarsIsRefused();
    void templatedAssertionValuesAreFilled();
    void noTestsRunsEachPromptOnce();
    void includesStayInsideTheConfigFolder_data();
    void includesStayInsideTheConfigFolder();
    void invalidUtf8IsRefusedNamingTheByte();
};

void TestPromptfooImporter::fullConfiguration()
{
    auto result = PromptfooImporter::fromFile(kDir + QStringLiteral("/promptfooconfig.yaml"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const auto &import = result.value();
    const Suite &s = import.suite;
    QCOMPARE(s.name, QStringLiteral("Geography and arithmetic checks"));
    // 4 prompts (one inline, one chat file, two from a text file) × (1 + 2 expanded + 1 from a file) tests.
    QCOMPARE(s.cases.size(), 16);
    QStringList ids;
    for (const auto &c : s.cases)
        ids.append(c.id);
    QCOMPARE(ids.first(), QStringLiteral("capital-of-france-p1"));
    QVERIFY(ids.contains(QStringLiteral("capital-of-france-p4")));
    QVERIFY(ids.contains(QStringLiteral("test-2-2-p3")));
    QVERIFY(ids.contains(QStringLiteral("largest-planet-p2")));
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());

    const SuiteCase *planet = s.findCase(QStringLiteral("largest-planet-p1"));
    QVERIFY(planet);
    QCOMPARE(planet->description, QStringLiteral("Largest planet"));
    QCOMPARE(planet->metadata.at("topic").get<std::string>(), std::string("astronomy"));
    QCOMPARE(planet->assertions.size(), 3); // the default latency check first, then its own
    QCOMPARE(planet->assertions.at(0).type, QStringLiteral("latency"));
    QCOMPARE(planet->assertions.at(1).type, QStringLiteral("is-json"));
    // The schema file was loaded as JSON, so is-json validates against it.
    QVERIFY(planet->assertions.at(1).value.is_object());
    QCOMPARE(planet->assertions.at(1).value.at("required").at(0).get<std::string>(), std::string("planet"));
    GradeInput ok{QStringLiteral("{\"planet\": \"Jupiter\"}"), {}, 100.0, {}, {}};
    QVERIFY(Grader::gradeAll(planet->assertions, ok).pass);
    GradeInput wrongShape{QStringLiteral("{\"name\": \"Jupiter\"}"), {}, 100.0, {}, {}};
    QVERIFY(!Grader::gradeAll(planet->assertions, wrongShape).pass);

    QCOMPARE(import.targets.size(), 4);
    QVERIFY(import.warnings.join(u'\n').contains(QStringLiteral("API key")));
    QVERIFY(import.warnings.join(u'\n').contains(QStringLiteral("javascript")));
}

void TestPromptfooImporter::promptsFromFilesAndChat()
{
    auto result = PromptfooImporter::fromFile(kDir + QStringLiteral("/promptfooconfig.yaml"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Suite &s = result.value().suite;
    const SuiteCase *inline1 = s.findCase(QStringLiteral("capital-of-france-p1"));
    QCOMPARE(s.messagesFor(*inline1).last().content,
             QStringLiteral("Answer briefly (neutral): What is the capital of France?"));
    const SuiteCase *chat = s.findCase(QStringLiteral("capital-of-france-p2"));
    QVERIFY(chat->prompt.isEmpty());
    const auto messages = s.messagesFor(*chat);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0), (ChatMessage{QStringLiteral("system"), QStringLiteral("You answer in a neutral tone.")}));
    QCOMPARE(messages.at(1).content, QStringLiteral("What is the capital of France?"));
    const SuiteCase *text1 = s.findCase(QStringLiteral("capital-of-france-p3"));
    QCOMPARE(s.messagesFor(*text1).last().content, QStringLiteral("Question: What is the capital of France?\nAnswer:"));
    const SuiteCase *text2 = s.findCase(QStringLiteral("capital-of-france-p4"));
    QCOMPARE(s.messagesFor(*text2).last().content,
             QStringLiteral("Please answer this: What is the capital of France?"));
    QCOMPARE(text2->metadata.at("promptfoo").at("prompt").get<std::string>(), std::string("from-text#2"));
}

void TestPromptfooImporter::defaultTestMerges()
{
    auto result = PromptfooImporter::fromFile(kDir + QStringLiteral("/promptfooconfig.yaml"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Suite &s = result.value().suite;
    const SuiteCase *france = s.findCase(QStringLiteral("capital-of-france-p1"));
    QCOMPARE(france->vars.value(QStringLiteral("tone")), QStringLiteral("neutral")); // from defaultTest
    QCOMPARE(france->assertions.size(), 4);
    QCOMPARE(france->assertions.at(0).type, QStringLiteral("latency"));
    QCOMPARE(france->assertions.at(0).threshold.value(), 5000.0);
    QCOMPARE(france->assertions.at(2).weight, 2.0);
    // defaultTest.options.provider is the judge of model-graded checks.
    QCOMPARE(france->assertions.at(3).type, QStringLiteral("llm-rubric"));
    QCOMPARE(france->assertions.at(3).provider, QStringLiteral("openai:gpt-4o"));
    const SuiteCase *sum = s.findCase(QStringLiteral("test-2-1-p1"));
    QCOMPARE(sum->vars.value(QStringLiteral("tone")), QStringLiteral("playful")); // the test's own wins
    QCOMPARE(sum->threshold.value(), 0.5);
}

void TestPromptfooImporter::listVarsExpand()
{
    const auto import = importOk(R"(
prompts: ['{{greeting}}, {{name}}!']
tests:
  - description: Greetings
    vars:
      greeting: [Hello, Hi]
      name: [Ada, Grace, Linus]
)");
    QCOMPARE(import.suite.cases.size(), 6);
    QStringList texts;
    for (const auto &c : import.suite.cases)
        texts.append(import.suite.messagesFor(c).last().content);
    QVERIFY(texts.contains(QStringLiteral("Hello, Ada!")));
    QVERIFY(texts.contains(QStringLiteral("Hi, Linus!")));
    QCOMPARE(import.suite.cases.first().id, QStringLiteral("greetings-1"));
    QCOMPARE(import.suite.cases.last().id, QStringLiteral("greetings-6"));
    QVERIFY(errorOf(R"(
prompts: ['{{a}}']
tests:
  - vars:
      a: [x, y, z, w, v, u, t, s, r, q]
      b: [x, y, z, w, v, u, t, s, r, q]
      c: [x, y, z, w, v, u, t, s, r, q]
      d: [x, y, z, w, v, u, t, s, r, q]
      e: [x, y]
)")
                .contains(QStringLiteral("more than 10000")));
}

void TestPromptfooImporter::unknownAssertionsAreKeptAndReported()
{
    const auto import = importOk(R"(
prompts: ['Say hi']
tests:
  - assert:
      - type: python
        value: file://check.py
      - type: similar
        value: hello
        threshold: 0.8
      - type: icontains
        value: hi
)");
    const SuiteCase &c = import.suite.cases.first();
    QCOMPARE(c.assertions.size(), 3);
    QCOMPARE(c.assertions.at(0).type, QStringLiteral("python"));
    QCOMPARE(c.assertions.at(0).value.get<std::string>(), std::string("file://check.py"));
    QCOMPARE(c.assertions.at(1).threshold.value(), 0.8);
    const CaseGrade g = Grader::gradeAll(c.assertions, {QStringLiteral("hi there"), {}, {}, {}, {}});
    QVERIFY(!g.pass); // an ungradable check is never a silent pass
    QVERIFY(g.grades.at(0).reason.contains(QStringLiteral("unknown grader")));
    QVERIFY(g.grades.at(1).reason.contains(QStringLiteral("unknown grader")));
    QVERIFY(g.grades.at(2).pass);
    QVERIFY(import.warnings.join(u'\n').contains(QStringLiteral("\"similar\"")));
}

void TestPromptfooImporter::providersMapToTargets_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("mapped");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("dialect");
    QTest::addColumn<QString>("model");
    QTest::newRow("openai short") << "openai:gpt-4o-mini" << true << "openai" << int(Dialect::OpenAIChat)
                                  << "gpt-4o-mini";
    QTest::newRow("openai chat") << "openai:chat:gpt-4.1" << true << "openai" << int(Dialect::OpenAIChat) << "gpt-4.1";
    QTest::newRow("openai responses") << "openai:responses:o4-mini" << true << "openai-responses"
                                      << int(Dialect::OpenAIResponses) << "o4-mini";
    QTest::newRow("openai embedding") << "openai:embedding:text-embedding-3-small" << false << "" << -1 << "";
    QTest::newRow("anthropic messages") << "anthropic:messages:claude-sonnet-4-20250514" << true << "anthropic"
                                        << int(Dialect::Anthropic) << "claude-sonnet-4-20250514";
    QTest::newRow("google") << "google:gemini-2.5-flash" << true << "gemini" << int(Dialect::Gemini)
                            << "gemini-2.5-flash";
    QTest::newRow("vertex") << "vertex:gemini-2.5-pro" << true << "" << int(Dialect::Gemini) << "gemini-2.5-pro";
    QTest::newRow("ollama tag") << "ollama:chat:llama3.1:8b" << true << "ollama" << int(Dialect::Ollama)
                                << "llama3.1:8b";
    QTest::newRow("ollama short") << "ollama:qwen3:4b" << true << "ollama" << int(Dialect::Ollama) << "qwen3:4b";
    QTest::newRow("openrouter") << "openrouter:meta-llama/llama-3.3-70b-instruct:free" << true << "openrouter"
                                << int(Dialect::OpenAIChat) << "meta-llama/llama-3.3-70b-instruct:free";
    QTest::newRow("groq") << "groq:llama-3.3-70b-versatile" << true << "groq" << int(Dialect::OpenAIChat)
                          << "llama-3.3-70b-versatile";
    QTest::newRow("together") << "togetherai:Qwen/Qwen3-235B" << true << "together" << int(Dialect::OpenAIChat)
                              << "Qwen/Qwen3-235B";
    QTest::newRow("exec") << "exec:python run.py" << false << "" << -1 << "";
    QTest::newRow("file") << "file://provider.js" << false << "" << -1 << "";
    QTest::newRow("bedrock") << "bedrock:anthropic.claude-3" << false << "" << -1 << "";
    QTest::newRow("no model") << "openai:" << false << "" << -1 << "";
}

void TestPromptfooImporter::providersMapToTargets()
{
    QFETCH(QString, id);
    QFETCH(bool, mapped);
    QFETCH(QString, preset);
    QFETCH(int, dialect);
    QFETCH(QString, model);
    const TargetSuggestion t = PromptfooImporter::mapProvider(id);
    QCOMPARE(t.source, id);
    QCOMPARE(t.mapped(), mapped);
    QCOMPARE(t.preset, preset);
    QCOMPARE(t.model, model);
    if (mapped)
        QCOMPARE(int(*t.dialect), dialect);
    else
        QVERIFY(!t.note.isEmpty()); // says why
}

void TestPromptfooImporter::providerConfigCarriesParams()
{
    const auto import = importOk(R"(
prompts: ['x']
providers:
  - id: openai:chat:gpt-4o
    label: Four-oh
    config: {temperature: 0, max_tokens: 100, apiBaseUrl: 'http://127.0.0.1:9/v1'}
  - 'anthropic:messages:claude-3-haiku': {config: {temperature: 0.7}}
)");
    QCOMPARE(import.targets.size(), 2);
    const TargetSuggestion &a = import.targets.at(0);
    QCOMPARE(a.label, QStringLiteral("Four-oh"));
    QCOMPARE(a.params.temperature.value(), 0.0);
    QCOMPARE(a.params.maxTokens.value(), 100);
    QCOMPARE(a.baseUrl, QStringLiteral("http://127.0.0.1:9/v1"));
    QCOMPARE(import.targets.at(1).model, QStringLiteral("claude-3-haiku"));
    QCOMPARE(import.targets.at(1).params.temperature.value(), 0.7);
}

void TestPromptfooImporter::csvTestsInPromptfooLayout()
{
    auto result = PromptfooImporter::fromFile(kDir + QStringLiteral("/csv-tests.yaml"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Suite &s = result.value().suite;
    QCOMPARE(s.cases.size(), 3);
    QCOMPARE(s.cases.at(0).id, QStringLiteral("greeting"));
    QCOMPARE(s.cases.at(0).assertions.first().type, QStringLiteral("icontains"));
    QCOMPARE(s.cases.at(0).assertions.first().value.get<std::string>(), std::string("bonjour"));
    QCOMPARE(s.messagesFor(s.cases.at(1)).last().content, QStringLiteral("Translate to French: Thank you, friend"));
    QCOMPARE(s.cases.at(1).assertions.first().type, QStringLiteral("not-icontains"));
    // A plain expected value is promptfoo's equals.
    QCOMPARE(s.cases.at(2).assertions.first().type, QStringLiteral("equals"));
    QCOMPARE(s.cases.at(2).assertions.first().value.get<std::string>(), std::string("Bonne nuit"));
}

void TestPromptfooImporter::errorsNameFileLineAndField_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("yaml syntax") << "bad-indent.yaml"
                                 << "bad-indent.yaml:6:";
    QTest::newRow("assertion without type") << "bad-assert.yaml"
                                            << "bad-assert.yaml:9:9: tests[1].assert[0].type";
    QTest::newRow("undefined var") << "missing-var.yaml"
                                   << "missing-var.yaml:8:7: tests[1].vars: ";
}

void TestPromptfooImporter::errorsNameFileLineAndField()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    auto result = PromptfooImporter::fromFile(kDir + u'/' + file);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(expected), qPrintable(result.error()));
    if (file == u"missing-var.yaml")
        QVERIFY2(result.error().contains(QStringLiteral("{{age}}")), qPrintable(result.error()));
    // Inline errors, too.
    QVERIFY(errorOf("tests: []").contains(QStringLiteral("prompts")));
    QVERIFY(errorOf("prompts: [file://no-such-file.txt]").contains(QStringLiteral("no-such-file.txt")));
    QVERIFY(errorOf("prompts: [file://prompts.py:make]").contains(QStringLiteral("prompt functions")));
    QVERIFY(errorOf("- just\n- a list").contains(QStringLiteral("mapping")));
    const QString threshold =
        errorOf("prompts: [x]\ntests:\n  - assert:\n      - type: icontains\n        threshold: high\n");
    QVERIFY2(threshold.contains(QStringLiteral("inline.yaml:5:20: tests[0].assert[0].threshold: expected a number")),
             qPrintable(threshold));
}

void TestPromptfooImporter::nunjucksBeyondVarsIsRefused()
{
    // An alias bomb is refused, not expanded.
    QByteArray bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'i'; ++c, ++prev)
        bomb += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, prev) + ", *" +
                QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" +
                QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" +
                QByteArray(1, prev) + ", *" + QByteArray(1, prev) + ", *" + QByteArray(1, prev) + "]\n";
    bomb += "prompts: ['x']\ntests:\n  - vars: {v: *i}\n";
    QVERIFY(errorOf(bomb).contains(QStringLiteral("too large")));
    QVERIFY(errorOf("prompts: ['{% if x %}yes{% endif %}']").contains(QStringLiteral("nunjucks tags")));
    QVERIFY(errorOf("prompts: ['{{ name | upper }}']").contains(QStringLiteral("nunjucks filters")));
    // Dotted names reach into object vars, as nunjucks does.
    const auto import = importOk(R"(
prompts: ['Hello {{ user.name }} from {{user.city}}']
tests:
  - vars:
      user: {name: Ada, city: London}
)");
    QCOMPARE(import.suite.messagesFor(import.suite.cases.first()).last().content,
             QStringLiteral("Hello Ada from London"));
}

void TestPromptfooImporter::templatedAssertionValuesAreFilled()
{
    const QByteArray config = R"(
prompts: ['Capital of {{country}}?']
defaultTest:
  assert:
    - type: icontains
      value: '{{capital}}'
tests:
  - vars: {country: France, capital: Paris}
  - vars: {country: Peru, capital: Lima}
    assert:
      - type: contains-all
        value: ['{{capital}}', '{{country}}']
)";
    const auto import = importOk(config);
    const SuiteCase &france = import.suite.cases.at(0);
    QCOMPARE(france.assertions.first().value.get<std::string>(), std::string("Paris"));
    const SuiteCase &peru = import.suite.cases.at(1);
    QVERIFY(peru.assertions.at(1).value == (nlohmann::json{"Lima", "Peru"}));
    QVERIFY(Grader::gradeAll(peru.assertions, {QStringLiteral("Lima is the capital of Peru."), {}, {}, {}, {}}).pass);
    QVERIFY(!Grader::gradeAll(peru.assertions, {QStringLiteral("Paris"), {}, {}, {}, {}}).pass);
    // A test that leaves the template's variable undefined is an error, not a check for "{{capital}}".
    const QString error = errorOf(config + "  - vars: {country: Chad}\n");
    QVERIFY2(error.contains(QStringLiteral("{{capital}}")) && error.contains(QStringLiteral("tests[2]")),
             qPrintable(error));
}

void TestPromptfooImporter::noTestsRunsEachPromptOnce()
{
    const auto import = importOk("description: Two prompts\nprompts: ['Say hello', 'Say goodbye']\n");
    QCOMPARE(import.suite.cases.size(), 2);
    QCOMPARE(import.suite.cases.at(0).prompt, QStringLiteral("Say hello"));
    QCOMPARE(import.suite.cases.at(1).id, QStringLiteral("test-1-p2"));
}


// RELIABILITY B-4: a shared configuration must not read files beside or above its folder, by
// "../", an absolute path, a glob or a symlink; files in subfolders still load.
void TestPromptfooImporter::includesStayInsideTheConfigFolder_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<bool>("loads");
    // %OUT% is the absolute path of a file outside the configuration's folder.
    QTest::newRow("subfolder") << QByteArray("prompts: [file://sub/inside.txt]\n") << true;
    QTest::newRow("dot-dot prompt") << QByteArray("prompts: [file://../secret.txt]\n") << false;
    QTest::newRow("sneaky dot-dot") << QByteArray("prompts: [file://sub/../../secret.txt]\n") << false;
    QTest::newRow("absolute prompt") << QByteArray("prompts: [file://%OUT%]\n") << false;
    QTest::newRow("glob above") << QByteArray("prompts: [file://../*.txt]\n") << false;
    QTest::newRow("symlink out") << QByteArray("prompts: [file://link.txt]\n") << false;
    QTest::newRow("var file") << QByteArray("prompts: ['{{q}}']\ntests:\n  - vars:\n      q: file://../secret.txt\n")
                              << false;
    QTest::newRow("tests file") << QByteArray("prompts: ['{{q}}']\ntests: file://../secret.txt\n") << false;
    QTest::newRow("assertion file")
        << QByteArray("prompts: [hi]\ntests:\n  - assert:\n      - type: contains\n        value: file://../secret.txt\n")
        << false;
}

void TestPromptfooImporter::includesStayInsideTheConfigFolder()
{
    QFETCH(QByteArray, yaml);
    QFETCH(bool, loads);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString config = root.filePath(QStringLiteral("config"));
    QVERIFY(QDir().mkpath(config + QStringLiteral("/sub")));
    const auto write = [](const QString &path, const QByteArray &bytes) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    const QString secret = root.filePath(QStringLiteral("secret.txt"));
    QVERIFY(write(secret, "SECRET-OUTSIDE"));
    QVERIFY(write(config + QStringLiteral("/sub/inside.txt"), "Inside, a prompt."));
    if (!QFile::link(secret, config + QStringLiteral("/link.txt")) && QTest::currentDataTag() == QByteArray("symlink out"))
        QSKIP("this file system has no symbolic links");
    yaml.replace("%OUT%", secret.toUtf8());

    const auto result = PromptfooImporter::fromYaml(yaml, QStringLiteral("promptfooconfig.yaml"), config);
    if (loads) {
        QVERIFY2(result.ok(), qPrintable(result.error()));
        return;
    }
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("outside the configuration's folder")), qPrintable(result.error()));
    QVERIFY(!result.error().contains(QStringLiteral("SECRET-OUTSIDE")));
}

// Found by fuzz_promptfoo_importer: yaml-cpp passes invalid UTF-8 through, and a var holding an
// object was dumped by nlohmann, which throws on it, terminating the program.
void TestPromptfooImporter::invalidUtf8IsRefusedNamingTheByte()
{
    // RELIABILITY B-2, as the suite loader and the other importers: refused before parsing, with
    // the byte named, rather than a prompt silently changed to U+FFFD. The file came from fuzzing.
    const QString path = QStringLiteral(SLOPSCOPE_TEST_DATA "/fuzz/invalid-utf8-promptfooconfig.yaml");
    const auto result = PromptfooImporter::fromFile(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.error(), path + QStringLiteral(":5:23: invalid UTF-8 at byte offset 70 (byte 0xe5); save the "
                                                   "file as UTF-8"));

    // A prompt file it includes is held to the same rule, and the error names both files.
    QTemporaryDir dir;
    QFile prompt(dir.filePath(QStringLiteral("prompt.txt")));
    QVERIFY(prompt.open(QIODevice::WriteOnly));
    prompt.write("Say \xC3\xA9 then \xFF.\n");
    prompt.close();
    const auto included = PromptfooImporter::fromYaml("prompts:\n  - file://prompt.txt\ntests:\n  - vars: {}\n",
                                                      QStringLiteral("config.yaml"), dir.path());
    QVERIFY(!included.ok());
    QVERIFY2(included.error().startsWith(QStringLiteral("config.yaml:")), qPrintable(included.error()));
    QVERIFY2(included.error().contains(prompt.fileName() + QStringLiteral(":1:12: invalid UTF-8 at byte offset 12 "
                                                                          "(byte 0xff)")),
             qPrintable(included.error()));
}

QTEST_GUILESS_MAIN(TestPromptfooImporter)
#include "tst_promptfooimporter.moc"
