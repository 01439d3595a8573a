#include "metrics/RequestMetrics.h"

#include <QTest>

using namespace Slopscope;

class TestRequestMetrics final : public QObject
{
    Q_OBJECT

private slots:
    void fullStreamWithReportedUsage();
    void unknownUsageIsEstimatedAndSaysSo();
    void stallThresholdIsAParameter();
    void noContent();
    void emptyDeltasAreIgnored();
    void onlyReasoning();
    void oneChunk();
    void oneTokenHasNoItl();
    void hiddenReasoningIsNotDecodeTime();
    void chunkTokenCountsAreUsed();
    void nonStreamedHasNoItl();
    void missingSentStamp();
    void percentilesUseNearestRank();
    void retriesAndTransferFiguresPassThrough();
};

namespace {

constexpr qint64 kMs = 1'000'000;

// queued −50 ms, sent 0, headers 100, first byte 150; reasoning 40 + 40 characters at 200 and 300 ms,
// an empty answer delta at 250 ms, answer 20 + 100 + 100 characters at 400, 500 and 3600 ms; end 4000.
Timeline reference()
{
    Timeline t;
    t.queued = -50 * kMs;
    t.sent = 0;
    t.headers = 100 * kMs;
    t.firstByte = 150 * kMs;
    t.addChunk(200 * kMs, ContentKind::Reasoning, 40);
    t.addChunk(250 * kMs, ContentKind::Answer, 0);
    t.addChunk(300 * kMs, ContentKind::Reasoning, 40);
    t.addChunk(400 * kMs, ContentKind::Answer, 20);
    t.addChunk(500 * kMs, ContentKind::Answer, 100);
    t.addChunk(3600 * kMs, ContentKind::Answer, 100);
    t.end = 4000 * kMs;
    t.attempts = 1;
    return t;
}

Usage usage(qint64 input, qint64 output)
{
    Usage u;
    u.inputTokens = input;
    u.outputTokens = output;
    return u;
}

bool near(double actual, double expected)
{
    return qAbs(actual - expected) <= 1e-9 * qMax(1.0, qAbs(expected));
}

} // namespace

void TestRequestMetrics::fullStreamWithReportedUsage()
{
    const RequestMetrics m = computeMetrics(reference(), usage(10, 100));
    QCOMPARE(m.queueWaitNs, std::optional<qint64>(50 * kMs));
    QCOMPARE(m.timeToHeadersNs, std::optional<qint64>(100 * kMs));
    QCOMPARE(m.timeToFirstByteNs, std::optional<qint64>(150 * kMs));
    QCOMPARE(m.ttftNs, std::optional<qint64>(200 * kMs));  // first reasoning delta
    QCOMPARE(m.ttfatNs, std::optional<qint64>(400 * kMs)); // first non-empty answer delta
    QCOMPARE(m.e2eNs, std::optional<qint64>(4000 * kMs));
    QCOMPARE(m.totalNs, std::optional<qint64>(4050 * kMs));
    QCOMPARE(m.contentChunks, 5);
    QVERIFY(!m.tokensEstimated);
    QCOMPARE(m.outputTokens, std::optional<double>(100.0));
    QCOMPARE(m.streamedTokens, std::optional<double>(100.0));
    // First chunk: 40 of 300 characters → 100 × 40/300 = 13.333 tokens.
    // Decode: (100 − 13.333) tokens over 3600 − 200 = 3400 ms = 25.490196 tokens/s.
    QVERIFY(m.decodeTokensPerSecond);
    QVERIFY2(near(*m.decodeTokensPerSecond, (100.0 - 100.0 * 40 / 300) / 3.4),
             qPrintable(QString::number(*m.decodeTokensPerSecond)));
    QVERIFY(near(*m.decodeTokensPerSecond, 25.490196078431));
    // ITL: (4000 − 200) ms ÷ 99 = 38.383838 ms.
    QVERIFY(m.itlNs);
    QVERIFY(near(*m.itlNs, 3800.0 * kMs / 99));
    // Gaps between content deltas: 100, 100, 100, 3100 ms (the empty delta is not one).
    QCOMPARE(m.gapP50Ns, std::optional<qint64>(100 * kMs));
    QCOMPARE(m.gapP95Ns, std::optional<qint64>(3100 * kMs));
    QCOMPARE(m.gapMaxNs, std::optional<qint64>(3100 * kMs));
    QCOMPARE(m.stallCount, 1);
    QCOMPARE(m.stallNs, 3100 * kMs);
}

void TestRequestMetrics::unknownUsageIsEstimatedAndSaysSo()
{
    const RequestMetrics m = computeMetrics(reference(), std::nullopt);
    QVERIFY(m.tokensEstimated);
    // 300 characters ÷ 4 = 75 tokens; the first chunk's 40 characters = 10 tokens.
    QCOMPARE(m.outputTokens, std::optional<double>(75.0));
    QVERIFY(m.decodeTokensPerSecond);
    QVERIFY(near(*m.decodeTokensPerSecond, 65.0 / 3.4));
    QVERIFY(m.itlNs);
    QVERIFY(near(*m.itlNs, 3800.0 * kMs / 74));
    // Timing that does not depend on tokens is unchanged.
    QCOMPARE(m.ttftNs, std::optional<qint64>(200 * kMs));
    QCOMPARE(m.stallCount, 1);

    // Usage reported without an output count is as good as none.
    Usage inputOnly;
    inputOnly.inputTokens = 10;
    QVERIFY(computeMetrics(reference(), inputOnly).tokensEstimated);

    // Another ratio is a parameter.
    MetricsOptions options;
    options.charactersPerToken = 3.0;
    QCOMPARE(computeMetrics(reference(), std::nullopt, options).outputTokens, std::optional<double>(100.0));
}

void TestRequestMetrics::stallThresholdIsAParameter()
{
    MetricsOptions options;
    options.stallThresholdNs = 50 * kMs;
    RequestMetrics m = computeMetrics(reference(), usage(10, 100), options);
    QCOMPARE(m.stallCount, 4);
    QCOMPARE(m.stallNs, 3400 * kMs);
    // A gap equal to the threshold is not a stall.
    options.stallThresholdNs = 100 * kMs;
    m = computeMetrics(reference(), usage(10, 100), options);
    QCOMPARE(m.stallCount, 1);
    options.stallThresholdNs = 3100 * kMs;
    QCOMPARE(computeMetrics(reference(), usage(10, 100), options).stallCount, 0);
}

void TestRequestMetrics::noContent()
{
    Timeline t;
    t.sent = 0;
    t.headers = 80 * kMs;
    t.end = 90 * kMs;
    const RequestMetrics withUsage = computeMetrics(t, usage(12, 0));
    QVERIFY(!withUsage.ttftNs);
    QVERIFY(!withUsage.ttfatNs);
    QVERIFY(!withUsage.decodeTokensPerSecond);
    QVERIFY(!withUsage.itlNs);
    QVERIFY(!withUsage.gapP50Ns);
    QVERIFY(!withUsage.gapMaxNs);
    QCOMPARE(withUsage.contentChunks, 0);
    QCOMPARE(withUsage.outputTokens, std::optional<double>(0.0));
    QCOMPARE(withUsage.e2eNs, std::optional<qint64>(90 * kMs));

    const RequestMetrics withoutUsage = computeMetrics(t, std::nullopt);
    QVERIFY(!withoutUsage.outputTokens);
    QVERIFY(!withoutUsage.decodeTokensPerSecond);
    QVERIFY(!withoutUsage.tokensEstimated);
}

void TestRequestMetrics::emptyDeltasAreIgnored()
{
    Timeline t;
    t.sent = 0;
    t.addChunk(10 * kMs, ContentKind::Answer, 0);
    t.addChunk(20 * kMs, ContentKind::ToolCall, 0); // a tool call's name arrived, no arguments yet
    t.end = 30 * kMs;
    const RequestMetrics m = computeMetrics(t, usage(5, 3));
    QCOMPARE(m.contentChunks, 0);
    QVERIFY(!m.ttftNs);
    QVERIFY(!m.ttfatNs);
}

void TestRequestMetrics::onlyReasoning()
{
    Timeline t;
    t.sent = 0;
    t.addChunk(300 * kMs, ContentKind::Reasoning, 40);
    t.addChunk(800 * kMs, ContentKind::Reasoning, 40);
    t.end = 1000 * kMs;
    Usage u = usage(10, 20);
    u.reasoningTokens = 20;
    const RequestMetrics m = computeMetrics(t, u);
    QCOMPARE(m.ttftNs, std::optional<qint64>(300 * kMs));
    QVERIFY(!m.ttfatNs);
    // Reasoning was streamed, so it is not hidden: 20 tokens, 10 in the first chunk, over 500 ms.
    QCOMPARE(m.streamedTokens, std::optional<double>(20.0));
    QVERIFY(m.decodeTokensPerSecond);
    QVERIFY(near(*m.decodeTokensPerSecond, 20.0));
    QVERIFY(near(*m.itlNs, 700.0 * kMs / 19));
}

void TestRequestMetrics::oneChunk()
{
    Timeline t;
    t.sent = 0;
    t.addChunk(500 * kMs, ContentKind::Answer, 20);
    t.end = 1000 * kMs;
    const RequestMetrics m = computeMetrics(t, usage(7, 5));
    QCOMPARE(m.ttftNs, std::optional<qint64>(500 * kMs));
    QCOMPARE(m.ttfatNs, std::optional<qint64>(500 * kMs));
    QVERIFY(!m.decodeTokensPerSecond); // one chunk: no interval to decode over
    QVERIFY(!m.gapP50Ns);
    QCOMPARE(m.stallCount, 0);
    // ITL: (1000 − 500) ms ÷ (5 − 1) = 125 ms.
    QVERIFY(m.itlNs);
    QVERIFY(near(*m.itlNs, 125.0 * kMs));
}

void TestRequestMetrics::oneTokenHasNoItl()
{
    Timeline t;
    t.sent = 0;
    t.addChunk(500 * kMs, ContentKind::Answer, 3);
    t.end = 600 * kMs;
    const RequestMetrics m = computeMetrics(t, usage(7, 1));
    QCOMPARE(m.ttftNs, std::optional<qint64>(500 * kMs));
    QVERIFY(!m.itlNs);
    QVERIFY(!m.decodeTokensPerSecond);
}

void TestRequestMetrics::hiddenReasoningIsNotDecodeTime()
{
    // 60 reasoning tokens were generated before the first visible delta (o-series, gpt-5): only the
    // 40 visible tokens were decoded between the first and the last delta.
    Timeline t;
    t.sent = 0;
    t.addChunk(1000 * kMs, ContentKind::Answer, 20);
    t.addChunk(2000 * kMs, ContentKind::Answer, 20);
    t.end = 2000 * kMs;
    Usage u = usage(10, 100);
    u.reasoningTokens = 60;
    const RequestMetrics m = computeMetrics(t, u);
    QCOMPARE(m.outputTokens, std::optional<double>(100.0));
    QCOMPARE(m.streamedTokens, std::optional<double>(40.0));
    // (40 − 40 × 20/40) tokens over 1 s.
    QVERIFY(near(*m.decodeTokensPerSecond, 20.0));
    QVERIFY(near(*m.itlNs, 1000.0 * kMs / 39));
}

void TestRequestMetrics::chunkTokenCountsAreUsed()
{
    Timeline t;
    t.sent = 0;
    t.addChunk(100 * kMs, ContentKind::Answer, 10, 3);
    t.addChunk(600 * kMs, ContentKind::Answer, 10, 7);
    t.end = 700 * kMs;
    RequestMetrics m = computeMetrics(t, std::nullopt);
    QVERIFY(!m.tokensEstimated); // every chunk carried its own count
    QCOMPARE(m.outputTokens, std::optional<double>(10.0));
    QVERIFY(near(*m.decodeTokensPerSecond, 7.0 / 0.5));

    // With reported totals the first chunk's own count still wins over its character share.
    m = computeMetrics(t, usage(4, 12));
    QVERIFY(near(*m.decodeTokensPerSecond, (12.0 - 3.0) / 0.5));
}

void TestRequestMetrics::nonStreamedHasNoItl()
{
    Timeline t;
    t.streamed = false;
    t.sent = 0;
    t.addChunk(900 * kMs, ContentKind::Answer, 400);
    t.end = 901 * kMs;
    const RequestMetrics m = computeMetrics(t, usage(10, 100));
    QVERIFY(!m.streamed);
    QCOMPARE(m.ttftNs, std::optional<qint64>(900 * kMs));
    QVERIFY(!m.itlNs);
    QVERIFY(!m.decodeTokensPerSecond);
}

void TestRequestMetrics::missingSentStamp()
{
    Timeline t = reference();
    t.sent.reset();
    const RequestMetrics m = computeMetrics(t, usage(10, 100));
    QVERIFY(!m.ttftNs);
    QVERIFY(!m.ttfatNs);
    QVERIFY(!m.e2eNs);
    QVERIFY(!m.itlNs);
    QVERIFY(!m.queueWaitNs);
    QCOMPARE(m.totalNs, std::optional<qint64>(4050 * kMs));
    // Decode speed and gaps need only the chunks.
    QVERIFY(m.decodeTokensPerSecond);
    QCOMPARE(m.gapMaxNs, std::optional<qint64>(3100 * kMs));
}

void TestRequestMetrics::percentilesUseNearestRank()
{
    // Gaps of 20, 19, ..., 1 ms (in that order): p50 is the 10th smallest, p95 the 19th (⌈0.95 × 20⌉).
    Timeline t;
    t.sent = 0;
    qint64 at = 0;
    t.addChunk(at, ContentKind::Answer, 4);
    for (int gap = 20; gap >= 1; --gap) {
        at += gap * kMs;
        t.addChunk(at, ContentKind::Answer, 4);
    }
    t.end = at;
    const RequestMetrics m = computeMetrics(t, usage(1, 21));
    QCOMPARE(m.gapP50Ns, std::optional<qint64>(10 * kMs));
    QCOMPARE(m.gapP95Ns, std::optional<qint64>(19 * kMs));
    QCOMPARE(m.gapMaxNs, std::optional<qint64>(20 * kMs));
}

void TestRequestMetrics::retriesAndTransferFiguresPassThrough()
{
    Timeline t = reference();
    t.attempts = 3;
    t.bytesReceived = 9876;
    const RequestMetrics m = computeMetrics(t, usage(10, 100));
    QCOMPARE(m.attempts, 3);
    QCOMPARE(m.bytesReceived, qint64(9876));
    QVERIFY(m.streamed);
}

QTEST_GUILESS_MAIN(TestRequestMetrics)
#include "tst_requestmetrics.moc"
