#include "stream/SseParser.h"

#include <QTest>

#include <limits>
#include <random>

using namespace Slopscope;

namespace {

bool sameEvents(const QList<SseEvent> &a, const QList<SseEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].type != b[i].type || a[i].data != b[i].data || a[i].lastEventId != b[i].lastEventId)
            return false;
    }
    return true;
}

QList<SseEvent> parseFeeds(const QList<QByteArray> &feeds, SseParser *out = nullptr)
{
    SseParser parser;
    QList<SseEvent> events;
    for (const QByteArray &feed : feeds) {
        parser.feed(feed);
        events += parser.takeEvents();
    }
    parser.finish();
    events += parser.takeEvents();
    if (out)
        *out = parser;
    return events;
}

QString describe(const QList<SseEvent> &events)
{
    QStringList parts;
    for (const SseEvent &e : events)
        parts << QStringLiteral("{%1|%2|%3}").arg(e.type, QString::fromUtf8(e.data.toPercentEncoding()), e.lastEventId);
    return parts.join(u' ');
}

// The events of a stream fed in one piece, after checking that every two-feed split, one byte per
// feed and a few random splits give exactly the same events (and the same parser counters).
QList<SseEvent> parseEverySplit(const QByteArray &stream, SseParser *finalParser = nullptr)
{
    SseParser whole;
    const QList<SseEvent> reference = parseFeeds({stream}, &whole);
    auto check = [&](const QList<QByteArray> &feeds, const char *how) {
        SseParser parser;
        const QList<SseEvent> events = parseFeeds(feeds, &parser);
        if (!sameEvents(events, reference) || parser.comments() != whole.comments() ||
            parser.retryMs() != whole.retryMs() || parser.lastEventId() != whole.lastEventId()) {
            QTest::qFail(qPrintable(QStringLiteral("%1 differs: %2 vs %3")
                                        .arg(QLatin1StringView(how), describe(events), describe(reference))),
                         __FILE__, __LINE__);
            return false;
        }
        return true;
    };
    for (qsizetype k = 0; k <= stream.size(); ++k) {
        if (!check({stream.left(k), stream.mid(k)}, "two-feed split"))
            return {};
    }
    QList<QByteArray> bytes;
    for (const char c : stream)
        bytes.append(QByteArray(1, c));
    if (!check(bytes, "one byte per feed"))
        return {};
    std::mt19937 rng(20260801u);
    for (int round = 0; round < 8; ++round) {
        QList<QByteArray> feeds;
        for (qsizetype pos = 0; pos < stream.size();) {
            const qsizetype n = std::uniform_int_distribution<qsizetype>(0, 7)(rng);
            feeds.append(stream.mid(pos, n));
            pos += n;
        }
        if (!check(feeds, "random split"))
            return {};
    }
    if (finalParser)
        *finalParser = whole;
    return reference;
}

// A byte string with embedded NULs, sized by the literal.
template <qsizetype N> QByteArray raw(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

SseEvent ev(const QByteArray &data, const QString &type = QStringLiteral("message"), const QString &id = {})
{
    SseEvent e;
    e.type = type;
    e.data = data;
    e.lastEventId = id;
    return e;
}

} // namespace

class TestSseParser final : public QObject
{
    Q_OBJECT

private slots:
    void bomIsStrippedOnce();
    void secondBomIsData();
    void bomSplitAcrossFeeds();
    void lineEndings_data();
    void lineEndings();
    void crLfSplitAcrossFeedsIsOneLineEnd();
    void lonelyCrAtEndThenData();
    void commentsBetweenDataAndBlankLine();
    void fieldWithoutColon();
    void oneLeadingSpaceStripped();
    void fieldNamesAreCaseSensitive();
    void unknownFieldsIgnored();
    void fieldParseMatrix();
    void multiLineDataJoinedWithLf();
    void eventType();
    void idPersistsAndNulIsIgnored();
    void retryDigitsOnly();
    void noDispatchWithoutData();
    void unterminatedEventDiscarded();
    void unicodeLineSeparatorsAreData();
    void nulCharacterIsData();
    void multiByteUtf8SplitAtEveryByte();
    void invalidUtf8BecomesReplacementCharacter();
    void eventCapGivesErrorState();
    void hugeLineWithoutNewlineHitsCapEarly();
    void responseCapGivesErrorState();
    void responseCapIsSplitIndependent();
    void oneMebibyteOneBytePerFeed();
    void crOnlyStreamInLargeFeeds();
};

void TestSseParser::bomIsStrippedOnce()
{
    // WPT format-bom: only the first BOM of the stream is stripped.
    const auto events = parseEverySplit("\xEF\xBB\xBF"
                                        "data:1\n\n\xEF\xBB\xBF"
                                        "data:2\n\ndata:3\n\n");
    QVERIFY(sameEvents(events, {ev("1"), ev("3")}));
}

void TestSseParser::secondBomIsData()
{
    // WPT format-bom-2: after one BOM, a second one makes the field name "\uFEFFdata" (unknown).
    const auto events = parseEverySplit("\xEF\xBB\xBF\xEF\xBB\xBF"
                                        "data:1\n\ndata:2\n\ndata:3\n\n");
    QVERIFY2(sameEvents(events, {ev("2"), ev("3")}), qPrintable(describe(events)));
}

void TestSseParser::bomSplitAcrossFeeds()
{
    QVERIFY(sameEvents(parseFeeds({"\xEF", "\xBB",
                                   "\xBF"
                                   "data:x\n\n"}),
                       {ev("x")}));
    // A BOM prefix that is not a BOM stays part of the first line.
    const auto events = parseFeeds({"\xEF\xBB", "data:x\n\ndata:y\n\n"});
    QVERIFY2(sameEvents(events, {ev("y")}), qPrintable(describe(events)));
}

void TestSseParser::lineEndings_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("LF") << QByteArray("data:a\ndata:b\n\ndata:c\n\n");
    QTest::newRow("CR") << QByteArray("data:a\rdata:b\r\rdata:c\r\r");
    QTest::newRow("CRLF") << QByteArray("data:a\r\ndata:b\r\n\r\ndata:c\r\n\r\n");
    QTest::newRow("mixed") << QByteArray("data:a\rdata:b\n\r\ndata:c\r\r\n");
}

void TestSseParser::lineEndings()
{
    QFETCH(QByteArray, stream);
    const auto events = parseEverySplit(stream);
    QVERIFY2(sameEvents(events, {ev("a\nb"), ev("c")}), qPrintable(describe(events)));
}

void TestSseParser::crLfSplitAcrossFeedsIsOneLineEnd()
{
    // "data:a\r" | "\ndata:b\r\n\r\n": the LF after the CR must not end an (empty) line, which would
    // dispatch "a" alone.
    const auto events = parseFeeds({"data:a\r", "\ndata:b\r", "\n\r", "\n"});
    QVERIFY2(sameEvents(events, {ev("a\nb")}), qPrintable(describe(events)));
    // The remembered CR survives an empty feed.
    QVERIFY(sameEvents(parseFeeds({"data:a\r", "", "\ndata:b\r\n\r\n"}), {ev("a\nb")}));
}

void TestSseParser::lonelyCrAtEndThenData()
{
    // A CR ending a feed followed by something other than LF: the CR was a line end on its own.
    QVERIFY(sameEvents(parseFeeds({"data:a\r", "\r"}), {ev("a")}));
    QVERIFY(sameEvents(parseFeeds({"data:a\r", "data:b\r\r"}), {ev("a\nb")}));
}

void TestSseParser::commentsBetweenDataAndBlankLine()
{
    // WPT format-comments.
    const QByteArray longComment(2049, 'x');
    const QByteArray stream =
        raw("data:1\r:\0\n:\r\ndata:2\n:") + longComment + "\rdata:3\n:data:fail\r:" + longComment + "\ndata:4\n\n";
    SseParser parser;
    const auto events = parseEverySplit(QByteArray(stream), &parser);
    QVERIFY2(sameEvents(events, {ev("1\n2\n3\n4")}), qPrintable(describe(events)));
    QCOMPARE(parser.comments(), 5);
    // Keep-alive comments alone dispatch nothing but are counted.
    SseParser keepAlive;
    keepAlive.feed(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n:\n\n");
    QVERIFY(!keepAlive.hasEvents());
    QCOMPARE(keepAlive.comments(), 3);
}

void TestSseParser::fieldWithoutColon()
{
    // WPT format-field-data: `data:` appends "", `data` alone appends "" too.
    const auto events = parseEverySplit("data:\n\ndata\ndata\n\ndata:test\n\n");
    QVERIFY2(sameEvents(events, {ev(""), ev("\n"), ev("test")}), qPrintable(describe(events)));
}

void TestSseParser::oneLeadingSpaceStripped()
{
    // WPT format-leading-space, plus "data:  x" keeping one space.
    const auto events = parseEverySplit("data:\ttest\rdata: \ndata:test\n\ndata:  x\n\ndata:x\n\n");
    QVERIFY2(sameEvents(events, {ev("\ttest\n\ntest"), ev(" x"), ev("x")}), qPrintable(describe(events)));
}

void TestSseParser::fieldNamesAreCaseSensitive()
{
    const auto events = parseEverySplit("DATA:no\nData:no\ndata :no\ndata:yes\n\n");
    QVERIFY2(sameEvents(events, {ev("yes")}), qPrintable(describe(events)));
}

void TestSseParser::unknownFieldsIgnored()
{
    // WPT format-field-unknown.
    const auto events =
        parseEverySplit("data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n");
    QVERIFY2(sameEvents(events, {ev("test\n\ntest")}), qPrintable(describe(events)));
}

void TestSseParser::fieldParseMatrix()
{
    // WPT format-field-parse.
    const QByteArray stream =
        raw("data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n"
            " data:32\ndata:4\n\n");
    const auto events = parseEverySplit(stream);
    QVERIFY2(sameEvents(events, {ev(raw("\0\n 2\n1\n3\n\n4"))}), qPrintable(describe(events)));
}

void TestSseParser::multiLineDataJoinedWithLf()
{
    const auto events = parseEverySplit("data: {\"a\":\ndata: 1}\n\n");
    QVERIFY(sameEvents(events, {ev("{\"a\":\n1}")}));
}

void TestSseParser::eventType()
{
    // WPT format-field-event and format-field-event-empty; the type does not leak into the next event.
    const auto events = parseEverySplit("event:test\ndata\n\nevent: \ndata:data\n\nevent\ndata:x\n\ndata:y\n\n");
    QVERIFY2(sameEvents(events, {ev("", QStringLiteral("test")), ev("data"), ev("x"), ev("y")}),
             qPrintable(describe(events)));
}

void TestSseParser::idPersistsAndNulIsIgnored()
{
    SseParser parser;
    const QByteArray stream = raw("id: 1\ndata:a\n\ndata:b\n\nid:2\0x\ndata:c\n\nid\ndata:d\n\n");
    const auto events = parseEverySplit(stream, &parser);
    QVERIFY2(sameEvents(events, {ev("a", QStringLiteral("message"), QStringLiteral("1")),
                                 ev("b", QStringLiteral("message"), QStringLiteral("1")),
                                 ev("c", QStringLiteral("message"), QStringLiteral("1")), ev("d")}),
             qPrintable(describe(events)));
    QCOMPARE(parser.lastEventId(), QString());
    // An id line in an event that is never dispatched still sets the last event ID.
    SseParser onlyId;
    onlyId.feed("id:7\n\n");
    QVERIFY(!onlyId.hasEvents());
    QCOMPARE(onlyId.lastEventId(), QStringLiteral("7"));
}

void TestSseParser::retryDigitsOnly()
{
    SseParser bogus;
    parseEverySplit("retry:3000\nretry:1000x\ndata:x\n\n", &bogus); // WPT format-field-retry-bogus
    QCOMPARE(bogus.retryMs(), std::optional<qint64>(3000));
    SseParser leadingZero;
    parseEverySplit("retry:03000\ndata:x\n\n", &leadingZero); // WPT format-field-retry
    QCOMPARE(leadingZero.retryMs(), std::optional<qint64>(3000));
    SseParser empty;
    parseEverySplit("retry\ndata:test\n\nretry:\n\n", &empty); // WPT format-field-retry-empty
    QCOMPARE(empty.retryMs(), std::nullopt);
    SseParser huge;
    parseEverySplit("retry:99999999999999999999999\n\n", &huge);
    QVERIFY(huge.retryMs().value_or(0) > 1'000'000'000'000'000LL); // saturated, not wrapped
    SseParser plain;
    parseEverySplit("retry: 25\n\nretry:-1\n\nretry:1.5\n\nretry:  7\n\n", &plain);
    QCOMPARE(plain.retryMs(), std::optional<qint64>(25)); // one space stripped; the others are not digits
}

void TestSseParser::noDispatchWithoutData()
{
    const auto events = parseEverySplit("event:x\n\nid:1\n\nretry:5\n\n:c\n\n\n\n");
    QVERIFY(events.isEmpty());
}

void TestSseParser::unterminatedEventDiscarded()
{
    // WPT format-data-before-final-empty-line, and an unterminated last line.
    QVERIFY(sameEvents(parseEverySplit("data:1\r\n\r\ndata:2\r\n"), {ev("1")}));
    QVERIFY(sameEvents(parseEverySplit("data:1\n\ndata:2"), {ev("1")}));
    QVERIFY(parseEverySplit("data: [DONE]").isEmpty());
}

void TestSseParser::unicodeLineSeparatorsAreData()
{
    // U+2028, U+2029, U+0085, VT and FF do not end lines (httpx-sse#34).
    const QByteArray data = "a\xE2\x80\xA8"
                            "b\xE2\x80\xA9"
                            "c\xC2\x85"
                            "d\x0B"
                            "e\x0C"
                            "f";
    QVERIFY(sameEvents(parseEverySplit("data:" + data + "\n\n"), {ev(data)}));
}

void TestSseParser::nulCharacterIsData()
{
    // WPT format-null-character.
    QVERIFY(sameEvents(parseEverySplit(raw("data:\0\n\n\n\n")), {ev(QByteArray(1, '\0'))}));
}

void TestSseParser::multiByteUtf8SplitAtEveryByte()
{
    // 2-, 3- and 4-byte code points; parseEverySplit cuts each of them at every byte.
    const QByteArray text =
        "\xC3\xA9t\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x8C\x8D \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";
    const auto events = parseEverySplit("event: \xE2\x9C\x93\ndata: " + text + "\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, text);
    QCOMPARE(events[0].type, QStringLiteral("\u2713"));
    QVERIFY(!events[0].data.contains("\xEF\xBF\xBD"));
}

void TestSseParser::invalidUtf8BecomesReplacementCharacter()
{
    const auto events = parseEverySplit("data: a\xFF"
                                        "b\xC3\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(QString::fromUtf8(events[0].data), QStringLiteral("a\uFFFDb\uFFFD"));
    QVERIFY(QByteArrayView(events[0].data).isValidUtf8());
}

void TestSseParser::eventCapGivesErrorState()
{
    SseParser parser(64, 1 << 20);
    parser.feed("data: small\n\n");
    QCOMPARE(parser.takeEvents().size(), 1);
    // Many short data lines add up beyond the per-event cap.
    for (int i = 0; i < 20; ++i)
        parser.feed("data: 0123456789\n");
    QCOMPARE(parser.state(), ParserState::EventTooLarge);
    parser.feed("\n");
    QVERIFY(!parser.hasEvents()); // nothing after the error
}

void TestSseParser::hugeLineWithoutNewlineHitsCapEarly()
{
    SseParser parser(1024, qsizetype(1) << 30);
    const QByteArray chunk(100, 'x');
    parser.feed("data: ");
    int fed = 0;
    while (parser.state() == ParserState::Ok && fed < 1000) {
        parser.feed(chunk);
        ++fed;
    }
    QCOMPARE(parser.state(), ParserState::EventTooLarge);
    QVERIFY(fed <= 11); // detected as soon as the partial line passed the cap, not at the line end
}

void TestSseParser::responseCapGivesErrorState()
{
    SseParser parser(1 << 20, 4096);
    for (int i = 0; i < 100 && parser.state() == ParserState::Ok; ++i)
        parser.feed("data: 0123456789012345678901234567890123456789\n\n");
    QCOMPARE(parser.state(), ParserState::ResponseTooLarge);
    QVERIFY(parser.bytesFed() <= 4096 + 64);
}

void TestSseParser::responseCapIsSplitIndependent()
{
    // Bytes up to the cap are parsed whatever the reads: the event that ends exactly at the cap is
    // dispatched, the one beyond it never is.
    const QByteArray stream = "data: a\n\ndata: b\n\n";
    const qsizetype cap = 9; // "data: a\n\n"
    for (qsizetype k = 0; k <= stream.size(); ++k) {
        SseParser parser(1024, cap);
        parser.feed(stream.left(k));
        parser.feed(stream.mid(k));
        const auto events = parser.takeEvents();
        QVERIFY2(sameEvents(events, {ev("a")}), qPrintable(QString::number(k)));
        QCOMPARE(parser.state(), ParserState::ResponseTooLarge);
        QCOMPARE(parser.bytesFed(), cap);
    }
}

void TestSseParser::oneMebibyteOneBytePerFeed()
{
    // Correctness only: 1 MiB of events, one byte per feed, all dispatched intact.
    QByteArray stream;
    int expected = 0;
    while (stream.size() < (1 << 20)) {
        stream += "data: {\"n\":" + QByteArray::number(expected) + ",\"pad\":\"" + QByteArray(40, 'p') + "\"}\n\n";
        ++expected;
    }
    SseParser parser;
    int seen = 0;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        parser.feed(QByteArrayView(stream.constData() + i, 1));
        if (parser.hasEvents()) {
            const auto events = parser.takeEvents();
            for (const SseEvent &e : events) {
                QVERIFY(e.data.startsWith(QByteArray("{\"n\":" + QByteArray::number(seen) + ",")));
                ++seen;
            }
        }
    }
    parser.finish();
    QCOMPARE(seen, expected);
}

void TestSseParser::crOnlyStreamInLargeFeeds()
{
    // CR-only line ends in 64 KiB feeds: every event arrives (the scanner never re-scans a feed).
    QByteArray stream;
    for (int i = 0; i < 20000; ++i)
        stream += "data:" + QByteArray::number(i) + "\r\r";
    SseParser parser;
    int seen = 0;
    for (qsizetype pos = 0; pos < stream.size(); pos += 65536) {
        parser.feed(QByteArrayView(stream).sliced(pos, qMin<qsizetype>(65536, stream.size() - pos)));
        const auto events = parser.takeEvents();
        for (const SseEvent &e : events)
            QCOMPARE(e.data, QByteArray::number(seen++));
    }
    QCOMPARE(seen, 20000);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
