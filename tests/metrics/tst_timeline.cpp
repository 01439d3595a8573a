#include "metrics/Timeline.h"

#include <QTest>

#include <limits>

using namespace Slopscope;

class TestTimeline final : public QObject
{
    Q_OBJECT

private slots:
    void roundTripFull();
    void roundTripEmpty();
    void roundTripExtremeValues();
    void encodingIsPinned();
    void fiveHundredChunksStayCompact();
    void corruptBlobIsAClearError_data();
    void corruptBlobIsAClearError();
    void everyTruncationIsAnError();
};

namespace {

constexpr qint64 kMs = 1'000'000;

Timeline sampleTimeline()
{
    Timeline t;
    t.queued = 5'000 * kMs;
    t.sent = 5'020 * kMs;
    t.headers = 5'180 * kMs;
    t.firstByte = 5'181 * kMs;
    t.addChunk(5'300 * kMs, ContentKind::Reasoning, 12);
    t.addChunk(5'310 * kMs, ContentKind::Reasoning, 7, 2);
    t.addChunk(5'400 * kMs, ContentKind::Answer, 31);
    t.addChunk(5'401 * kMs, ContentKind::ToolCall, 0);
    t.addChunk(5'402 * kMs, ContentKind::Refusal, 9, 3);
    t.end = 5'500 * kMs;
    t.bytesReceived = 48'123;
    t.attempts = 3;
    t.streamed = true;
    return t;
}

// Spaces are for reading: QByteArray::fromHex skips them.
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

} // namespace

void TestTimeline::roundTripFull()
{
    const Timeline t = sampleTimeline();
    const auto back = Timeline::deserialize(t.serialize());
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back.value() == t);
    QCOMPARE(back.value().chunks.size(), 5);
    QCOMPARE(back.value().chunks.at(1).tokens, std::optional<qint32>(2));
    QCOMPARE(back.value().chunks.at(0).tokens, std::optional<qint32>());
    QCOMPARE(back.value().chunks.at(4).kind, ContentKind::Refusal);
}

void TestTimeline::roundTripEmpty()
{
    Timeline t;
    t.streamed = false;
    const QByteArray blob = t.serialize();
    // Header, flags, chunk count, bytes and attempts: 7 bytes and nothing else.
    QCOMPARE(blob.size(), 7);
    const auto back = Timeline::deserialize(blob);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back.value() == t);
    QVERIFY(!back.value().sent.has_value());
    QVERIFY(!back.value().streamed);
}

void TestTimeline::roundTripExtremeValues()
{
    Timeline t;
    t.queued = std::numeric_limits<qint64>::max();
    t.sent = std::numeric_limits<qint64>::min(); // the delta wraps; it must still round-trip
    t.end = -1;
    t.addChunk(std::numeric_limits<qint64>::max(), ContentKind::Answer, std::numeric_limits<qint32>::max(),
               std::numeric_limits<qint32>::min());
    t.addChunk(0, ContentKind::Answer, -5);
    t.bytesReceived = std::numeric_limits<qint64>::max();
    t.attempts = std::numeric_limits<int>::max();
    const auto back = Timeline::deserialize(t.serialize());
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back.value() == t);
}

void TestTimeline::encodingIsPinned()
{
    // sent 1000 ns, one Answer chunk of 3 characters at 1200 ns, end 1500 ns, 10 bytes, 1 attempt.
    Timeline t;
    t.sent = 1000;
    t.addChunk(1200, ContentKind::Answer, 3);
    t.end = 1500;
    t.bytesReceived = 10;
    t.attempts = 1;
    // 'S' 'T' v1 | flags sent+end+streamed = 0x32 | zz(1000)=2000 → d0 0f | 1 chunk | zz(200)=400 → 90 03 |
    // kind 0 | zz(3)=6 | zz(300)=600 → d8 04 | zz(10)=20 | zz(1)=2
    QCOMPARE(t.serialize().toHex(' '), QByteArray("53 54 01 32 d0 0f 01 90 03 00 06 d8 04 14 02"));
}

void TestTimeline::fiveHundredChunksStayCompact()
{
    Timeline t;
    t.queued = 0;
    t.sent = 10 * kMs;
    for (int i = 0; i < 500; ++i)
        t.addChunk(400 * kMs + i * 12 * kMs, i % 5 == 0 ? ContentKind::Reasoning : ContentKind::Answer, 4 + i % 9);
    t.end = 7000 * kMs;
    const QByteArray blob = t.serialize();
    // Header 3, flags 1, queued 1, sent 4 (10 ms), count 2; the first chunk's 390 ms delta takes 5 bytes,
    // each later 12 ms delta 4, kind and characters one each; end 5 (612 ms), bytes 1, attempts 1.
    QCOMPARE(blob.size(), 3 + 1 + 1 + 4 + 2 + (5 + 1 + 1) + 499 * (4 + 1 + 1) + 5 + 1 + 1);
    const auto back = Timeline::deserialize(blob);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back.value() == t);
}

void TestTimeline::corruptBlobIsAClearError_data()
{
    QTest::addColumn<QByteArray>("blob");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("at byte 0: truncated");
    QTest::newRow("bad magic") << hex("58540132") << QStringLiteral("at byte 0: not a timeline");
    QTest::newRow("future version") << hex("5354023200000000") << QStringLiteral("at byte 2: unsupported version 2");
    QTest::newRow("unknown flag") << hex("5354017200000000") << QStringLiteral("at byte 3: unknown flags 0x72");
    // Header with only the streamed flag, then: chunk count, Δt, kind byte, characters, bytes, attempts.
    QTest::newRow("unknown kind") << hex("53540120 01 00 05 06 00 02")
                                  << QStringLiteral("at byte 6: unknown content kind 5");
    QTest::newRow("stray kind bits") << hex("53540120 01 00 40 06 00 02")
                                     << QStringLiteral("at byte 6: unknown content kind 64");
    QTest::newRow("chunk count beyond data")
        << hex("53540120 ff01 0000") << QStringLiteral("at byte 4: chunk count 255 exceeds the data");
    QTest::newRow("varint too long") << hex("53540120 ffffffffffffffffffff01")
                                     << QStringLiteral("at byte 4: integer out of range");
    QTest::newRow("characters beyond int32")
        << hex("53540120 01 00 00 8080808020 00 02") << QStringLiteral("at byte 7: integer out of range");
    QTest::newRow("trailing bytes") << hex("53540120 00 00 02 abcd")
                                    << QStringLiteral("at byte 7: 2 unexpected trailing byte(s)");
}

void TestTimeline::corruptBlobIsAClearError()
{
    QFETCH(QByteArray, blob);
    QFETCH(QString, expected);
    const auto r = Timeline::deserialize(blob);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().startsWith(QStringLiteral("corrupt timeline blob ")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(expected), qPrintable(r.error()));
}

void TestTimeline::everyTruncationIsAnError()
{
    const QByteArray blob = sampleTimeline().serialize();
    for (qsizetype n = 0; n < blob.size(); ++n) {
        const auto r = Timeline::deserialize(blob.left(n));
        QVERIFY2(!r.ok(), qPrintable(QStringLiteral("prefix of %1 bytes was accepted").arg(n)));
    }
    QVERIFY(Timeline::deserialize(blob).ok());
}

QTEST_GUILESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
