#include "engine/EngineText.h"
#include "engine/RetryPolicy.h"

#include <QTest>

using namespace Slopscope;

namespace {

ProviderError providerError(int httpStatus, const QString &type, const QString &message, bool inBand,
                            std::optional<double> retryAfter = std::nullopt)
{
    ProviderError e;
    e.httpStatus = httpStatus;
    e.type = type;
    e.message = message;
    e.inBand = inBand;
    e.retryAfterSeconds = retryAfter;
    return e;
}

// openai-python's test_parse_retry_after_header freezes time at 1696004797
// (Fri, 29 Sep 2023 16:26:37 GMT).
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1696004797, Qt::UTC);

RetryPolicy policy(double random = 0.0)
{
    return RetryPolicy(
        {}, [random] { return random; }, [] { return kNow; });
}

RetryInput status(int code)
{
    RetryInput in;
    in.failure = FailureKind::HttpStatus;
    in.httpStatus = code;
    return in;
}

} // namespace

class tst_RetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    // Mirrors test_parse_retry_after_header, with the 120 s ceiling of openai-python ≥ 7fa79464:
    // a longer server delay means "do not retry" (retry = false).
    void retryAfter_data()
    {
        QTest::addColumn<int>("retriesTaken");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("retryAfterMs");
        QTest::addColumn<bool>("retry");
        QTest::addColumn<double>("delay");
        QTest::newRow("20") << 0 << QByteArray("20") << QByteArray() << true << 20.0;
        QTest::newRow("0 → backoff") << 0 << QByteArray("0") << QByteArray() << true << 0.5;
        QTest::newRow("-10 → backoff") << 0 << QByteArray("-10") << QByteArray() << true << 0.5;
        QTest::newRow("60") << 0 << QByteArray("60") << QByteArray() << true << 60.0;
        QTest::newRow("120") << 0 << QByteArray("120") << QByteArray() << true << 120.0;
        QTest::newRow("121 → no retry") << 0 << QByteArray("121") << QByteArray() << false << 0.0;
        QTest::newRow("float seconds") << 0 << QByteArray("1.5") << QByteArray() << true << 1.5;
        QTest::newRow("date +20 s") << 0 << QByteArray("Fri, 29 Sep 2023 16:26:57 GMT") << QByteArray() << true << 20.0;
        QTest::newRow("date now → backoff")
            << 0 << QByteArray("Fri, 29 Sep 2023 16:26:37 GMT") << QByteArray() << true << 0.5;
        QTest::newRow("date past → backoff")
            << 0 << QByteArray("Fri, 29 Sep 2023 16:26:27 GMT") << QByteArray() << true << 0.5;
        QTest::newRow("date +60 s") << 0 << QByteArray("Fri, 29 Sep 2023 16:27:37 GMT") << QByteArray() << true << 60.0;
        QTest::newRow("date +120 s") << 0 << QByteArray("Fri, 29 Sep 2023 16:28:37 GMT") << QByteArray() << true
                                     << 120.0;
        QTest::newRow("date +121 s → no retry")
            << 0 << QByteArray("Fri, 29 Sep 2023 16:28:38 GMT") << QByteArray() << false << 0.0;
        QTest::newRow("huge → no retry") << 0 << QByteArray("99999999999999999999999999999999999") << QByteArray()
                                         << false << 0.0;
        QTest::newRow("bad weekday → backoff")
            << 0 << QByteArray("Zun, 29 Sep 2023 16:26:27 GMT") << QByteArray() << true << 0.5;
        QTest::newRow("garbage → backoff") << 0 << QByteArray("soon") << QByteArray() << true << 0.5;
        QTest::newRow("nan → backoff") << 0 << QByteArray("nan") << QByteArray() << true << 0.5;
        QTest::newRow("empty n=0") << 0 << QByteArray() << QByteArray() << true << 0.5;
        QTest::newRow("empty n=1") << 1 << QByteArray() << QByteArray() << true << 1.0;
        QTest::newRow("ms preferred") << 0 << QByteArray("30") << QByteArray("2500") << true << 2.5;
        QTest::newRow("ms garbage → seconds") << 0 << QByteArray("3") << QByteArray("x") << true << 3.0;
        QTest::newRow("ms > 120 s → no retry") << 0 << QByteArray() << QByteArray("120001") << false << 0.0;
    }
    void retryAfter()
    {
        QFETCH(int, retriesTaken);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, retryAfterMs);
        QFETCH(bool, retry);
        QFETCH(double, delay);
        RetryInput in = status(429);
        in.retryAfter = retryAfter;
        in.retryAfterMs = retryAfterMs;
        in.retriesTaken = retriesTaken;
        in.maxRetries = 5;
        const RetryDecision d = policy().decide(in);
        QCOMPARE(d.retry, retry);
        if (retry)
            QCOMPARE(d.delaySeconds, delay);
        else
            QVERIFY2(d.note.contains(u"retry after"), qPrintable(d.note));
    }

    // RELIABILITY.md F-1: a server delay gets 0–20 % on top, never less, so a herd of clients that
    // one 429 stopped together comes back spread out; the SDK backoff keeps its own jitter.
    void serverDelayJitter_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<double>("delay");
        QTest::newRow("none") << 0.0 << QByteArray("2") << 2.0;
        QTest::newRow("half") << 0.5 << QByteArray("2") << 2.2;
        QTest::newRow("top") << 1.0 << QByteArray("2") << 2.4;
        QTest::newRow("out-of-range RNG clamped") << 7.0 << QByteArray("2") << 2.4;
        QTest::newRow("at the ceiling") << 0.5 << QByteArray("120") << 132.0;
        QTest::newRow("backoff keeps its own") << 0.5 << QByteArray() << 0.4375;
    }
    void serverDelayJitter()
    {
        QFETCH(double, random);
        QFETCH(QByteArray, retryAfter);
        QFETCH(double, delay);
        RetryInput in = status(429);
        in.retryAfter = retryAfter;
        const RetryDecision d = policy(random).decide(in);
        QVERIFY(d.retry);
        QCOMPARE(d.delayFromServer, !retryAfter.isEmpty());
        QVERIFY(qFuzzyCompare(d.delaySeconds, delay));
    }

    void tooLongDelayIsNamed()
    {
        RetryInput in = status(429);
        in.retryAfter = "121";
        QCOMPARE(policy().decide(in).note, u"the provider asks to retry after 2 min; not waiting that long"_qs);
    }

    void backoffSchedule_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("random");
        QTest::addColumn<double>("delay");
        QTest::newRow("n0 r0") << 0 << 0.0 << 0.5;
        QTest::newRow("n0 r1") << 0 << 1.0 << 0.375;
        QTest::newRow("n1 r0.5") << 1 << 0.5 << 0.875;
        QTest::newRow("n2") << 2 << 0.0 << 2.0;
        QTest::newRow("n4 capped") << 4 << 0.0 << 8.0;
        QTest::newRow("n50 capped, no overflow") << 50 << 0.0 << 8.0;
        QTest::newRow("negative n") << -1100 << 0.0 << 0.5;
    }
    void backoffSchedule()
    {
        QFETCH(int, n);
        QFETCH(double, random);
        QFETCH(double, delay);
        QCOMPARE(policy(random).backoffSeconds(n), delay);
    }

    void statuses_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("shouldRetry");
        QTest::addColumn<bool>("retry");
        for (int code : {408, 409, 429, 500, 502, 503, 504, 529})
            QTest::addRow("%d", code) << code << QByteArray() << true;
        for (int code : {400, 401, 403, 404, 413, 422})
            QTest::addRow("%d", code) << code << QByteArray() << false;
        QTest::newRow("x-should-retry true on 400") << 400 << QByteArray("true") << true;
        QTest::newRow("x-should-retry false on 500") << 500 << QByteArray("false") << false;
        QTest::newRow("x-should-retry TRUE on 401") << 401 << QByteArray(" TRUE ") << true;
        QTest::newRow("x-should-retry garbage on 500") << 500 << QByteArray("maybe") << true;
    }
    void statuses()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, shouldRetry);
        QFETCH(bool, retry);
        RetryInput in = status(code);
        in.shouldRetry = shouldRetry;
        const RetryDecision d = policy().decide(in);
        QCOMPARE(d.retry, retry);
        QCOMPARE(policy().isRetryable(in), retry);
        if (retry)
            QCOMPARE(d.delaySeconds, 0.5);
    }

    void quotaNeverRetried_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::newRow("insufficient_quota body")
            << QByteArray(
                   R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}})")
            << QString();
        QTest::newRow("spend limit body")
            << QByteArray(R"({"error":{"code":"enforced_spend_limit_reached"}})") << QString();
        QTest::newRow("decoded type only") << QByteArray() << u"insufficient_quota"_qs;
    }
    void quotaNeverRetried()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        RetryInput in = status(429);
        in.errorBody = body;
        in.retryAfter = "1";
        if (!type.isEmpty())
            in.providerError = providerError(429, type, u"quota"_qs, false);
        const RetryDecision d = policy().decide(in);
        QVERIFY(!d.retry);
        QVERIFY(RetryPolicy::isQuotaError(in));
        QVERIFY(d.note.contains(u"quota"));
        // A plain rate limit with the same shape is retried.
        RetryInput plain = status(429);
        plain.errorBody = R"({"error":{"code":"rate_limit_exceeded"}})";
        QVERIFY(policy().decide(plain).retry);
    }

    void inBandOverloaded_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<bool>("contentDelivered");
        QTest::addColumn<bool>("retry");
        QTest::newRow("overloaded before content") << u"overloaded_error"_qs << 0 << false << true;
        QTest::newRow("529 in body before content") << u"api_error"_qs << 529 << false << true;
        QTest::newRow("overloaded after content") << u"overloaded_error"_qs << 0 << true << false;
        QTest::newRow("other in-band error") << u"invalid_request_error"_qs << 0 << false << false;
    }
    void inBandOverloaded()
    {
        QFETCH(QString, type);
        QFETCH(int, httpStatus);
        QFETCH(bool, contentDelivered);
        QFETCH(bool, retry);
        RetryInput in;
        in.failure = FailureKind::InBandError;
        in.providerError =
            providerError(httpStatus, type, type == u"invalid_request_error" ? u"bad"_qs : u"Overloaded"_qs, true);
        in.contentDelivered = contentDelivered;
        QCOMPARE(policy().decide(in).retry, retry);
    }

    void transportFailures_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<bool>("contentDelivered");
        QTest::addColumn<bool>("retry");
        QTest::newRow("refused") << int(FailureKind::ConnectionRefused) << false << true;
        QTest::newRow("dns") << int(FailureKind::HostNotFound) << false << true;
        QTest::newRow("closed before answer") << int(FailureKind::RemoteClosed) << false << true;
        QTest::newRow("connect timeout") << int(FailureKind::ConnectTimeout) << false << true;
        QTest::newRow("first byte timeout") << int(FailureKind::FirstByteTimeout) << false << true;
        QTest::newRow("idle before content") << int(FailureKind::IdleTimeout) << false << true;
        QTest::newRow("idle after content") << int(FailureKind::IdleTimeout) << true << false;
        QTest::newRow("lost after content") << int(FailureKind::ConnectionLost) << true << false;
        QTest::newRow("truncated after content") << int(FailureKind::Truncated) << true << false;
        QTest::newRow("deadline") << int(FailureKind::TotalTimeout) << false << false;
        QTest::newRow("tls") << int(FailureKind::Tls) << false << false;
        QTest::newRow("redirect") << int(FailureKind::Redirect) << false << false;
        QTest::newRow("cancelled") << int(FailureKind::Cancelled) << false << false;
        QTest::newRow("not sent") << int(FailureKind::NotSent) << false << false;
    }
    void transportFailures()
    {
        QFETCH(int, failure);
        QFETCH(bool, contentDelivered);
        QFETCH(bool, retry);
        RetryInput in;
        in.failure = FailureKind(failure);
        in.contentDelivered = contentDelivered;
        QCOMPARE(policy().decide(in).retry, retry);
    }

    // The opt-in "retry truncated": only an answer that broke off is asked again after content
    // arrived; an idle stall or an in-band error after content still is not, and neither is a
    // broken-off answer once the retries are spent.
    void retryTruncatedIsOptInAndOnlyForBrokenOffAnswers_data()
    {
        QTest::addColumn<int>("failure");
        QTest::addColumn<bool>("retry");
        QTest::newRow("lost after content") << int(FailureKind::ConnectionLost) << true;
        QTest::newRow("truncated after content") << int(FailureKind::Truncated) << true;
        QTest::newRow("idle after content") << int(FailureKind::IdleTimeout) << false;
        QTest::newRow("content idle") << int(FailureKind::ContentIdleTimeout) << false;
        QTest::newRow("in-band error after content") << int(FailureKind::InBandError) << false;
        QTest::newRow("deadline") << int(FailureKind::TotalTimeout) << false;
    }
    void retryTruncatedIsOptInAndOnlyForBrokenOffAnswers()
    {
        QFETCH(int, failure);
        QFETCH(bool, retry);
        RetryInput in;
        in.failure = FailureKind(failure);
        in.contentDelivered = true;
        in.retryTruncated = true;
        in.providerError = providerError(0, u"overloaded_error"_qs, u"Overloaded"_qs, true);
        QCOMPARE(policy().decide(in).retry, retry);
        in.retriesTaken = in.maxRetries;
        QVERIFY(!policy().decide(in).retry);
    }

    void retriesRunOut()
    {
        RetryInput in = status(503);
        in.maxRetries = 2;
        in.retriesTaken = 1;
        QVERIFY(policy().decide(in).retry);
        in.retriesTaken = 2;
        QVERIFY(!policy().decide(in).retry);
        in.maxRetries = 0;
        in.retriesTaken = 0;
        QVERIFY(!policy().decide(in).retry);
    }

    void bodyCarriedDelay()
    {
        // Gemini's RetryInfo: used when no header says otherwise.
        RetryInput in = status(429);
        in.providerError = providerError(429, u"RESOURCE_EXHAUSTED"_qs, u"slow down"_qs, false, 7.0);
        const RetryDecision d = policy().decide(in);
        QVERIFY(d.retry);
        QVERIFY(d.delayFromServer);
        QCOMPARE(d.delaySeconds, 7.0);
        in.retryAfterMs = "250";
        QCOMPARE(policy().decide(in).delaySeconds, 0.25);
    }

    void durations_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << qint64(300) << u"300 ms"_qs;
        QTest::newRow("s") << qint64(2000) << u"2 s"_qs;
        QTest::newRow("fraction") << qint64(1500) << u"1.5 s"_qs;
        QTest::newRow("min") << qint64(121'000) << u"2 min"_qs;
        QTest::newRow("20 min") << qint64(1'200'000) << u"20 min"_qs;
    }
    void durations()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(EngineText::formatDuration(ms), text);
    }
};

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
