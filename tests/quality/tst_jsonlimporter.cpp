#include "quality/JsonlImporter.h"

#include <QTest>

using namespace Slopscope;

namespace {

const QString kDir = QStringLiteral(SLOPSCOPE_TEST_DATA "/quality/jsonl");

JsonlImporter::Import load(const QString &file, const JsonlImporter::Options &options = {})
{
    auto result = JsonlImporter::fromFile(kDir + u'/' + file, options);
    if (!result)
        qFatal("%s", qPrintable(result.error()));
    return result.value();
}

QStringList ids(const Suite &s)
{
    QStringList out;
    for (const auto &c : s.cases)
        out.append(c.id);
    return out;
}

} // namespace

class TestJsonlImporter final : public QObject
{
    Q_OBJECT

private slots:
    void conversationsBecomeCases();
    void lastAssistantMessageIsTheReference();
    void redactsOnImport();
    void redactionCanBeSwitchedOff();
    void sampleIsSeededAndReproducible();
    void shuffleIsSeededAndKeepsTheSample();
    void malformedLineNamesItsNumber();
    void numberOverflowNamesItsLine();
    void unsupportedLinesFailOrAreSkipped();
    void lineErrors_data();
    void lineErrors();
    void invalidUtf8NamesTheByte_data();
    void invalidUtf8NamesTheByte();
};

void TestJsonlImporter::conversationsBecomeCases()
{
    const auto import = load(QStringLiteral("traffic.jsonl"));
    QCOMPARE(import.lines, 20);
    const Suite &s = import.suite;
    QCOMPARE(s.name, QStringLiteral("traffic"));
    QCOMPARE(s.cases.size(), 20);
    QCOMPARE(ids(s).first(), QStringLiteral("line-1"));
    QCOMPARE(ids(s).at(1), QStringLiteral("billing-7"));
    QCOMPARE(ids(s).at(2), QStringLiteral("line-4")); // the blank line 3 counts
    QCOMPARE(ids(s).last(), QStringLiteral("line-21"));
    const SuiteCase &billing = s.cases.at(1);
    // "developer" is a system message; text parts are joined.
    QCOMPARE(billing.messages.first().role, QStringLiteral("system"));
    QVERIFY(billing.messages.last().content.startsWith(QStringLiteral("Call me on ")));
    QCOMPARE(billing.metadata.at("customer").get<std::string>(), std::string("acme"));
    QCOMPARE(billing.metadata.at("line").get<int>(), 2);
    QVERIFY(billing.reference.isEmpty()); // no logged answer
    QVERIFY(s.cases.first().tags.contains(QStringLiteral("shadow")));
}

void TestJsonlImporter::lastAssistantMessageIsTheReference()
{
    const auto import = load(QStringLiteral("traffic.jsonl"));
    const SuiteCase &multi = import.suite.cases.at(2);
    QCOMPARE(multi.reference, QStringLiteral("12"));
    // The earlier exchange is context and is sent; the final answer is not.
    QCOMPARE(multi.messages.size(), 3);
    QCOMPARE(multi.messages.at(1), (ChatMessage{QStringLiteral("assistant"), QStringLiteral("4")}));
    QCOMPARE(multi.messages.last(), (ChatMessage{QStringLiteral("user"), QStringLiteral("And times 3?")}));
    QCOMPARE(import.suite.messagesFor(multi).last().role, QStringLiteral("user"));
    // A final tool call is the logged answer too, kept as its JSON.
    JsonlImporter::Options options;
    options.skipUnsupported = true;
    const auto tools = load(QStringLiteral("tools.jsonl"), options);
    QVERIFY(tools.suite.cases.first().reference.contains(QStringLiteral("get_weather")));
}

void TestJsonlImporter::redactsOnImport()
{
    const auto import = load(QStringLiteral("traffic.jsonl"));
    const SuiteCase &first = import.suite.cases.at(0);
    QCOMPARE(first.messages.last().content, QStringLiteral("My email is [EMAIL], reset my password please."));
    QCOMPARE(first.reference, QStringLiteral("I have sent a reset link to [EMAIL]."));
    const QString billing = import.suite.cases.at(1).messages.last().content;
    QCOMPARE(billing, QStringLiteral("Call me on [PHONE]. My key is [KEY]"));
    QCOMPARE(import.redactions.emails, 2);
    QCOMPARE(import.redactions.phones, 1);
    QCOMPARE(import.redactions.keys, 1);
    // Numbers that matter are left alone.
    QCOMPARE(import.suite.cases.last().messages.last().content,
             QStringLiteral("Question number 20: what is 20 squared?"));
}

void TestJsonlImporter::redactionCanBeSwitchedOff()
{
    JsonlImporter::Options options;
    options.redact = false;
    const auto import = load(QStringLiteral("traffic.jsonl"), options);
    QVERIFY(import.suite.cases.at(0).messages.last().content.contains(QStringLiteral("jane.doe@example.com")));
    QCOMPARE(import.redactions.total(), 0);
}

void TestJsonlImporter::sampleIsSeededAndReproducible()
{
    JsonlImporter::Options options;
    options.sample = 5;
    options.seed = 42;
    const QStringList a = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    const QStringList b = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    QCOMPARE(a.size(), 5);
    QCOMPARE(a, b);
    // In file order unless shuffled.
    QStringList sorted = a;
    std::sort(sorted.begin(), sorted.end(), [](const QString &x, const QString &y) {
        auto line = [](const QString &id) { return id == u"billing-7" ? 2 : id.mid(5).toInt(); };
        return line(x) < line(y);
    });
    QCOMPARE(a, sorted);
    // Another seed draws another sample (20 choose 5 = 15,504 samples; these two differ).
    options.seed = 7;
    const QStringList c = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    QCOMPARE(c.size(), 5);
    QVERIFY(c != a);
    // Asking for more than there is keeps everything.
    options.sample = 500;
    QCOMPARE(load(QStringLiteral("traffic.jsonl"), options).suite.cases.size(), 20);
    options.sample = 0;
    QVERIFY(!JsonlImporter::fromFile(kDir + QStringLiteral("/traffic.jsonl"), options).ok());
}

void TestJsonlImporter::shuffleIsSeededAndKeepsTheSample()
{
    JsonlImporter::Options options;
    options.seed = 42;
    options.shuffle = true;
    const QStringList all = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    QCOMPARE(all.size(), 20);
    QCOMPARE(all, ids(load(QStringLiteral("traffic.jsonl"), options).suite));
    QVERIFY(all != ids(load(QStringLiteral("traffic.jsonl")).suite)); // not file order
    QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 20);
    // The same seed samples the same conversations whether they are shuffled or not.
    options.sample = 6;
    const QStringList shuffled = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    options.shuffle = false;
    const QStringList ordered = ids(load(QStringLiteral("traffic.jsonl"), options).suite);
    QCOMPARE(QSet<QString>(shuffled.begin(), shuffled.end()), QSet<QString>(ordered.begin(), ordered.end()));
}

void TestJsonlImporter::malformedLineNamesItsNumber()
{
    const auto result = JsonlImporter::fromFile(kDir + QStringLiteral("/malformed.jsonl"), {});
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("malformed.jsonl:3:")), qPrintable(result.error()));
    QVERIFY2(result.error().contains(QStringLiteral("not valid JSON")), qPrintable(result.error()));
}

// Found by fuzz_jsonl_importer: a number beyond double's range made nlohmann throw an exception
// the importer did not catch, terminating the program.
void TestJsonlImporter::numberOverflowNamesItsLine()
{
    const auto result = JsonlImporter::fromFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/fuzz/number-overflow.jsonl"), {});
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("number-overflow.jsonl:2: ")), qPrintable(result.error()));
    QVERIFY2(result.error().contains(QStringLiteral("1e999999")), qPrintable(result.error()));
}

void TestJsonlImporter::unsupportedLinesFailOrAreSkipped()
{
    const auto strict = JsonlImporter::fromFile(kDir + QStringLiteral("/tools.jsonl"), {});
    QVERIFY(!strict.ok());
    QVERIFY2(strict.error().contains(QStringLiteral("tools.jsonl:2: messages[1].tool_calls")),
             qPrintable(strict.error()));
    JsonlImporter::Options options;
    options.skipUnsupported = true;
    const auto lenient = load(QStringLiteral("tools.jsonl"), options);
    QCOMPARE(lenient.skipped, 2); // the tool exchange and the image
    QCOMPARE(ids(lenient.suite), (QStringList{QStringLiteral("line-1"), QStringLiteral("line-4")}));
}

void TestJsonlImporter::lineErrors_data()
{
    QTest::addColumn<QByteArray>("jsonl");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not an object") << QByteArray("[1, 2]\n") << "t.jsonl:1: expected an object";
    QTest::newRow("no messages") << QByteArray("{\"prompt\": \"x\"}\n") << "t.jsonl:1: messages: a non-empty list";
    QTest::newRow("bad role") << QByteArray("\n{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}\n")
                              << "t.jsonl:2: messages[0].role: \"robot\" is not a role";
    QTest::newRow("content type") << QByteArray("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}")
                                  << "t.jsonl:1: messages[0].content: expected a string";
    QTest::newRow("answer only") << QByteArray("{\"messages\": [{\"role\": \"assistant\", \"content\": \"hi\"}]}")
                                 << "t.jsonl:1: messages: the conversation must end with a user message";
    QTest::newRow("duplicate id") << QByteArray(
                                         "{\"id\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}\n"
                                         "{\"id\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"y\"}]}\n")
                                  << "t.jsonl:2: id: duplicate case id \"a\"";
    QTest::newRow("empty file") << QByteArray("\n\n") << "t.jsonl: no conversation";
}

void TestJsonlImporter::lineErrors()
{
    QFETCH(QByteArray, jsonl);
    QFETCH(QString, expected);
    const auto result = JsonlImporter::fromJsonl(jsonl, QStringLiteral("t.jsonl"), {});
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(expected), qPrintable(result.error()));
}

void TestJsonlImporter::invalidUtf8NamesTheByte_data()
{
    QTest::addColumn<QByteArray>("jsonl");
    QTest::addColumn<QString>("expected");
    const QByteArray good("{\"messages\": [{\"role\": \"user\", \"content\": \"ok\"}]}\n");
    // Line 2, column 44: the stray byte sits after the 43 characters of the content's opening.
    QTest::newRow("stray continuation") << (good + "{\"messages\": [{\"role\": \"user\", \"content\": \"\x80\"}]}\n")
                                        << "t.jsonl:2:44: invalid UTF-8 at byte offset 93 (byte 0x80)";
    // Columns count characters: "é" is one column but two bytes.
    QTest::newRow("after a two-byte character") << QByteArray("{\"id\": \"\xC3\xA9\xC0\xAF\", \"messages\": []}\n")
                                                << "t.jsonl:1:10: invalid UTF-8 at byte offset 10 (byte 0xc0)";
    QTest::newRow("encoded surrogate") << (good + good + QByteArray("\xED\xA0\x80"))
                                       << "t.jsonl:3:1: invalid UTF-8 at byte offset 100 (byte 0xed)";
    QTest::newRow("cut at the end") << (good + QByteArray("\xE2\x82"))
                                    << "t.jsonl:2:1: invalid UTF-8 at byte offset 50 (byte 0xe2)";
}

// Rejected before parsing: a decoder would turn the byte into U+FFFD and import a changed prompt.
void TestJsonlImporter::invalidUtf8NamesTheByte()
{
    QFETCH(QByteArray, jsonl);
    QFETCH(QString, expected);
    JsonlImporter::Options options;
    options.skipUnsupported = true;
    const auto result = JsonlImporter::fromJsonl(jsonl, QStringLiteral("t.jsonl"), options);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().startsWith(expected), qPrintable(result.error()));
}

QTEST_GUILESS_MAIN(TestJsonlImporter)
#include "tst_jsonlimporter.moc"
