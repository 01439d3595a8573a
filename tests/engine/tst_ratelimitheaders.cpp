#include "engine/RateLimitHeaders.h"

#include <QTest>
#include <QTimeZone>

using namespace Slopscope;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

const QDateTime kNow(QDate(2026, 5, 1), QTime(12, 0, 0), QTimeZone::utc());

} // namespace

class tst_RateLimitHeaders : public QObject
{
    Q_OBJECT

private slots:
    void durations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ms"); // -1: not a duration
        QTest::newRow("seconds") << QByteArray("1s") << qint64(1000);
        QTest::newRow("minutes and seconds") << QByteArray("6m0s") << qint64(360'000);
        QTest::newRow("fraction of ms rounds up") << QByteArray("59.8ms") << qint64(60);
        QTest::newRow("all units") << QByteArray("1h2m3.5s") << qint64(3'723'500);
        QTest::newRow("groq style") << QByteArray("2m59.56s") << qint64(179'560);
        QTest::newRow("milliseconds") << QByteArray("20ms") << qint64(20);
        QTest::newRow("microseconds") << QByteArray("250us") << qint64(1);
        QTest::newRow("micro sign") << QByteArray("1\xC2\xB5s") << qint64(1);
        QTest::newRow("nanoseconds") << QByteArray("5ns") << qint64(1);
        QTest::newRow("zero") << QByteArray("0s") << qint64(0);
        QTest::newRow("bare seconds") << QByteArray("7.66") << qint64(7660);
        QTest::newRow("bare zero") << QByteArray("0") << qint64(0);
        QTest::newRow("spaces") << QByteArray("  2s ") << qint64(2000);
        QTest::newRow("empty") << QByteArray("") << qint64(-1);
        QTest::newRow("unit only") << QByteArray("s") << qint64(-1);
        QTest::newRow("unknown unit") << QByteArray("1x") << qint64(-1);
        QTest::newRow("negative") << QByteArray("-1s") << qint64(-1);
        QTest::newRow("number after unit") << QByteArray("1m30") << qint64(-1);
        QTest::newRow("two dots") << QByteArray("1.2.3s") << qint64(-1);
        QTest::newRow("words") << QByteArray("soon") << qint64(-1);
        QTest::newRow("over a day") << QByteArray("25h") << qint64(-1);
        QTest::newRow("absurd") << QByteArray("99999999999999999999s") << qint64(-1);
    }
    void durations()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ms);
        const auto parsed = RateLimitHeaders::parseDurationMs(text);
        QCOMPARE(parsed, ms < 0 ? std::nullopt : std::optional<qint64>(ms));
    }

    void counts()
    {
        QCOMPARE(RateLimitHeaders::parseCount("59"), std::optional<qint64>(59));
        QCOMPARE(RateLimitHeaders::parseCount(" 0 "), std::optional<qint64>(0));
        QCOMPARE(RateLimitHeaders::parseCount("-1"), std::nullopt);
        QCOMPARE(RateLimitHeaders::parseCount("1.5"), std::nullopt);
        QCOMPARE(RateLimitHeaders::parseCount(""), std::nullopt);
        QCOMPARE(RateLimitHeaders::parseCount("abc"), std::nullopt);
        QCOMPARE(RateLimitHeaders::parseCount("99999999999999999999"), std::nullopt);
    }

    void rfc3339()
    {
        const auto at = [](const char *text) { return RateLimitHeaders::parseRfc3339(text); };
        QCOMPARE(at("2026-05-01T12:00:07Z"), std::optional<QDateTime>(kNow.addSecs(7)));
        QCOMPARE(at("2026-05-01T12:00:07.25Z"), std::optional<QDateTime>(kNow.addMSecs(7250)));
        QCOMPARE(at("2026-05-01T12:00:07.123456789Z"), std::optional<QDateTime>(kNow.addMSecs(7123)));
        QCOMPARE(at("2026-05-01t12:00:07z"), std::optional<QDateTime>(kNow.addSecs(7)));
        QCOMPARE(at("2026-05-01T14:00:07+02:00"), std::optional<QDateTime>(kNow.addSecs(7)));
        QCOMPARE(at("2026-05-01T11:30:07-00:30"), std::optional<QDateTime>(kNow.addSecs(7)));
        QCOMPARE(at("2026-05-01T12:00:07"), std::nullopt); // no zone
        QCOMPARE(at("2026-13-01T12:00:07Z"), std::nullopt);
        QCOMPARE(at("2026-05-01T25:00:07Z"), std::nullopt);
        QCOMPARE(at("2026-05-01T12:00:07.Z"), std::nullopt);
        QCOMPARE(at("2026-05-01T12:00:07Zjunk"), std::nullopt);
        QCOMPARE(at("Fri, 01 May 2026 12:00:07 GMT"), std::nullopt);
        QCOMPARE(at(""), std::nullopt);
    }

    void openAIHeaders()
    {
        const Headers h{{"x-ratelimit-limit-requests", "500"},  {"x-ratelimit-remaining-requests", "0"},
                        {"x-ratelimit-reset-requests", "6m0s"}, {"x-ratelimit-remaining-tokens", "149984"},
                        {"x-ratelimit-reset-tokens", "6ms"},    {"content-type", "text/event-stream"}};
        const RateLimitHeaders r = RateLimitHeaders::parse(h, kNow);
        QCOMPARE(r.budgets.size(), 2);
        QCOMPARE(r.budget("requests")->remaining, std::optional<qint64>(0));
        QCOMPARE(r.budget("requests")->resetMs, std::optional<qint64>(360'000));
        QCOMPARE(r.budget("tokens")->remaining, std::optional<qint64>(149'984));
        QCOMPARE(r.budget("tokens")->resetMs, std::optional<qint64>(6));
        QCOMPARE(r.pauseMs(), std::optional<qint64>(360'000)); // only the used-up budget counts
    }

    void anthropicHeaders()
    {
        const Headers h{{"anthropic-ratelimit-requests-limit", "50"},
                        {"anthropic-ratelimit-requests-remaining", "49"},
                        {"anthropic-ratelimit-requests-reset", "2026-05-01T12:00:01Z"},
                        {"anthropic-ratelimit-input-tokens-remaining", "0"},
                        {"anthropic-ratelimit-input-tokens-reset", "2026-05-01T12:00:09Z"},
                        {"anthropic-ratelimit-output-tokens-remaining", "0"},
                        {"anthropic-ratelimit-output-tokens-reset", "2026-05-01T12:00:04.5Z"},
                        {"anthropic-ratelimit-tokens-remaining", "12"},
                        {"anthropic-ratelimit-tokens-reset", "2026-05-01T11:59:00Z"}};
        const RateLimitHeaders r = RateLimitHeaders::parse(h, kNow);
        QCOMPARE(r.budgets.size(), 4);
        QCOMPARE(r.budget("requests")->resetMs, std::optional<qint64>(1000));
        QCOMPARE(r.budget("input-tokens")->resetMs, std::optional<qint64>(9000));
        QCOMPARE(r.budget("output-tokens")->resetMs, std::optional<qint64>(4500));
        QCOMPARE(r.budget("tokens")->resetMs, std::optional<qint64>(0)); // already past: refilled
        // Two budgets are used up; dispatch waits for the later of their resets.
        QCOMPARE(r.pauseMs(), std::optional<qint64>(9000));
    }

    void garbageIsIgnored()
    {
        const Headers h{{"x-ratelimit-remaining-requests", "zero"},
                        {"x-ratelimit-reset-requests", "1s"},
                        {"x-ratelimit-remaining-tokens", "0"},
                        {"x-ratelimit-reset-tokens", "later"},
                        {"x-ratelimit-remaining-", "0"},
                        {"x-ratelimit-remaining-Weird_Name", "0"},
                        {"x-ratelimit-reset-x", QByteArray(200, '1') + "s"},
                        {"anthropic-ratelimit-requests-remaining", "0"},
                        {"anthropic-ratelimit-requests-reset", "2026-05-01T12:00:01"},
                        {"anthropic-ratelimit-tokens-reset", "2099-01-01T00:00:00Z"}};
        const RateLimitHeaders r = RateLimitHeaders::parse(h, kNow);
        // What survives: the requests reset with no usable count, the tokens count with no usable
        // reset, and Anthropic's requests count without a usable reset. Nothing to pause on.
        QCOMPARE(r.budget("requests")->remaining, std::optional<qint64>(0));
        QCOMPARE(r.budget("requests")->resetMs, std::optional<qint64>(1000)); // OpenAI's reset
        QCOMPARE(r.budget("tokens")->remaining, std::optional<qint64>(0));
        QCOMPARE(r.budget("tokens")->resetMs, std::nullopt);
        QVERIFY(!r.budget(""));
        QVERIFY(!r.budget("Weird_Name"));
        QVERIFY(!r.budget("x"));
        // requests: remaining 0 (Anthropic's) with OpenAI's reset of 1 s is a real pause.
        QCOMPARE(r.pauseMs(), std::optional<qint64>(1000));
        QVERIFY(RateLimitHeaders::parse({{"x-ratelimit-remaining-tokens", "0"}}, kNow).pauseMs() == std::nullopt);
        QVERIFY(RateLimitHeaders::parse({}, kNow).isEmpty());
    }

    void headerNames()
    {
        QVERIFY(RateLimitHeaders::isRateLimitHeader("x-ratelimit-remaining-requests"));
        QVERIFY(RateLimitHeaders::isRateLimitHeader("x-ratelimit-reset-tokens"));
        QVERIFY(RateLimitHeaders::isRateLimitHeader("anthropic-ratelimit-output-tokens-reset"));
        QVERIFY(RateLimitHeaders::isRateLimitHeader("anthropic-ratelimit-requests-remaining"));
        QVERIFY(!RateLimitHeaders::isRateLimitHeader("x-ratelimit-limit-requests"));
        QVERIFY(!RateLimitHeaders::isRateLimitHeader("anthropic-ratelimit-requests-limit"));
        QVERIFY(!RateLimitHeaders::isRateLimitHeader("retry-after"));
    }
};

QTEST_GUILESS_MAIN(tst_RateLimitHeaders)
#include "tst_ratelimitheaders.moc"
