#include "stream/NdjsonParser.h"

#include <QTest>

using namespace Slopscope;

namespace {

QList<QByteArray> parseFeeds(const QList<QByteArray> &feeds)
{
    NdjsonParser parser;
    QList<QByteArray> lines;
    for (const QByteArray &feed : feeds) {
        parser.feed(feed);
        lines += parser.takeLines();
    }
    parser.finish();
    lines += parser.takeLines();
    return lines;
}

// The lines of a body fed whole, after checking that every two-feed split and one byte per feed
// give the same lines.
QList<QByteArray> parseEverySplit(const QByteArray &body)
{
    const QList<QByteArray> reference = parseFeeds({body});
    for (qsizetype k = 0; k <= body.size(); ++k) {
        if (parseFeeds({body.left(k), body.mid(k)}) != reference) {
            QTest::qFail(qPrintable(QStringLiteral("split at %1 differs").arg(k)), __FILE__, __LINE__);
            return {};
        }
    }
    QList<QByteArray> bytes;
    for (const char c : body)
        bytes.append(QByteArray(1, c));
    if (parseFeeds(bytes) != reference) {
        QTest::qFail("one byte per feed differs", __FILE__, __LINE__);
        return {};
    }
    return reference;
}

} // namespace

class TestNdjsonParser final : public QObject
{
    Q_OBJECT

private slots:
    void linesSplitOnLf();
    void blankLinesSkipped();
    void crlfTolerated();
    void remainderAtEndIsParsed();
    void remainderAfterErrorOnlyOnce();
    void bomStripped();
    void multiByteUtf8AndInvalidBytes();
    void lineCapGivesErrorState();
    void responseCapGivesErrorState();
    void feedsAfterFinishIgnored();
};

void TestNdjsonParser::linesSplitOnLf()
{
    const auto lines = parseEverySplit("{\"a\":1}\n{\"b\":2}\n");
    QCOMPARE(lines, (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
}

void TestNdjsonParser::blankLinesSkipped()
{
    const auto lines = parseEverySplit("\n{\"a\":1}\n\n  \n\t\r\n{\"b\":2}\n\n");
    QCOMPARE(lines, (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
}

void TestNdjsonParser::crlfTolerated()
{
    QCOMPARE(parseEverySplit("{\"a\":1}\r\n{\"b\":2}\r\n"), (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    // A lone CR is not a line end in NDJSON: it stays inside the record.
    QCOMPARE(parseEverySplit("{\"a\":\r1}\n"), (QList<QByteArray>{"{\"a\":\r1}"}));
}

void TestNdjsonParser::remainderAtEndIsParsed()
{
    // Unlike SSE, an unterminated last line is a record (ollama writes "\n" after each object, but a
    // proxy may drop it).
    QCOMPARE(parseEverySplit("{\"a\":1}\n{\"done\":true}"), (QList<QByteArray>{"{\"a\":1}", "{\"done\":true}"}));
    QCOMPARE(parseEverySplit("{\"a\":1}\n   "), (QList<QByteArray>{"{\"a\":1}"}));
}

void TestNdjsonParser::remainderAfterErrorOnlyOnce()
{
    NdjsonParser parser;
    parser.feed("{\"x\":1}");
    parser.finish();
    parser.finish();
    QCOMPARE(parser.takeLines().size(), 1);
    QCOMPARE(parser.linesEmitted(), 1);
}

void TestNdjsonParser::bomStripped()
{
    QCOMPARE(parseEverySplit("\xEF\xBB\xBF{\"a\":1}\n"), (QList<QByteArray>{"{\"a\":1}"}));
    QCOMPARE(parseFeeds({"\xEF", "\xBB\xBF{}\n"}), (QList<QByteArray>{"{}"}));
    // Only at the very start.
    QCOMPARE(parseEverySplit("{}\n\xEF\xBB\xBF{}\n"), (QList<QByteArray>{"{}", "\xEF\xBB\xBF{}"}));
}

void TestNdjsonParser::multiByteUtf8AndInvalidBytes()
{
    const QByteArray text = "\xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x8C\x8D";
    QCOMPARE(parseEverySplit("{\"t\":\"" + text + "\"}\n"), (QList<QByteArray>{"{\"t\":\"" + text + "\"}"}));
    const auto lines = parseEverySplit("{\"t\":\"a\xFF"
                                       "b\"}\n");
    QCOMPARE(lines.size(), 1);
    QCOMPARE(QString::fromUtf8(lines[0]), QStringLiteral("{\"t\":\"a\uFFFDb\"}"));
}

void TestNdjsonParser::lineCapGivesErrorState()
{
    NdjsonParser parser(32, 1 << 20);
    parser.feed("{\"short\":1}\n");
    QCOMPARE(parser.takeLines().size(), 1);
    parser.feed("{\"long\":\"");
    for (int i = 0; i < 10 && parser.state() == ParserState::Ok; ++i)
        parser.feed("0123456789");
    QCOMPARE(parser.state(), ParserState::EventTooLarge);
    parser.feed("\"}\n");
    parser.finish();
    QVERIFY(!parser.hasLines());
}

void TestNdjsonParser::responseCapGivesErrorState()
{
    NdjsonParser parser(1 << 20, 100);
    for (int i = 0; i < 20 && parser.state() == ParserState::Ok; ++i)
        parser.feed("{\"n\":12345}\n");
    QCOMPARE(parser.state(), ParserState::ResponseTooLarge);
    QVERIFY(parser.linesEmitted() <= 9);
}

void TestNdjsonParser::feedsAfterFinishIgnored()
{
    NdjsonParser parser;
    parser.feed("{}\n");
    parser.finish();
    parser.feed("{\"late\":1}\n");
    QCOMPARE(parser.takeLines(), (QList<QByteArray>{"{}"}));
}

QTEST_GUILESS_MAIN(TestNdjsonParser)
#include "tst_ndjsonparser.moc"
