#include "sim/SimFault.h"

#include <QTest>

using namespace Slopscope;

class TestSimFault final : public QObject
{
    Q_OBJECT

private slots:
    void parsesEveryKind_data();
    void parsesEveryKind();
    void readsParameters();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void upFrontKinds();
};

void TestSimFault::parsesEveryKind_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("canonical");
    using K = SimFault::Kind;
    QTest::newRow("empty") << QString() << int(K::None) << QStringLiteral("none");
    QTest::newRow("none") << QStringLiteral("none") << int(K::None) << QStringLiteral("none");
    QTest::newRow("429") << QStringLiteral("429") << int(K::RateLimit) << QStringLiteral("rate_limit;retry_after=1");
    QTest::newRow("rate_limit") << QStringLiteral("rate_limit;retry_after=2;retry_after_ms=1500") << int(K::RateLimit)
                                << QStringLiteral("rate_limit;retry_after=2;retry_after_ms=1500");
    QTest::newRow("502") << QStringLiteral("502") << int(K::ServerError) << QStringLiteral("server_error;status=502");
    QTest::newRow("server_error") << QStringLiteral("server_error") << int(K::ServerError)
                                  << QStringLiteral("server_error;status=500");
    QTest::newRow("529") << QStringLiteral("529") << int(K::Overloaded) << QStringLiteral("overloaded");
    QTest::newRow("overloaded_inband") << QStringLiteral("overloaded_inband;after=5") << int(K::OverloadedInBand)
                                       << QStringLiteral("overloaded_inband;after=5");
    QTest::newRow("error_inband") << QStringLiteral(" Error_Inband ; after = 3 ") << int(K::ErrorInBand)
                                  << QStringLiteral("error_inband;after=3");
    QTest::newRow("drop") << QStringLiteral("drop;after=4") << int(K::Drop) << QStringLiteral("drop;after=4");
    QTest::newRow("stall") << QStringLiteral("stall;after=2;ms=300") << int(K::Stall)
                           << QStringLiteral("stall;after=2;ms=300");
    QTest::newRow("stall forever") << QStringLiteral("stall;after=2") << int(K::Stall)
                                   << QStringLiteral("stall;after=2");
    QTest::newRow("trickle") << QStringLiteral("trickle;ms=20") << int(K::Trickle)
                             << QStringLiteral("trickle;interval_ms=20");
    QTest::newRow("html_502") << QStringLiteral("html_502") << int(K::Html502) << QStringLiteral("html_502");
    QTest::newRow("json_body") << QStringLiteral("json_body") << int(K::JsonBody) << QStringLiteral("json_body");
    QTest::newRow("malformed") << QStringLiteral("malformed;after=1") << int(K::Malformed)
                               << QStringLiteral("malformed;after=1");
    QTest::newRow("redirect") << QStringLiteral("redirect;port=9") << int(K::Redirect)
                              << QStringLiteral("redirect;status=307;port=9");
}

void TestSimFault::parsesEveryKind()
{
    QFETCH(QString, spec);
    QFETCH(int, kind);
    QFETCH(QString, canonical);
    const auto f = SimFault::parse(spec);
    QVERIFY2(f.ok(), qPrintable(f.error()));
    QCOMPARE(int(f.value().kind), kind);
    QCOMPARE(f.value().toString(), canonical);
    // The canonical text parses back to the same fault.
    const auto again = SimFault::parse(canonical);
    QVERIFY(again.ok());
    QCOMPARE(again.value().toString(), canonical);
}

void TestSimFault::readsParameters()
{
    const auto f = SimFault::parse(QStringLiteral("rate_limit;retry_after=0.5;retry_after_ms=250")).value();
    QCOMPARE(f.retryAfterSeconds, 0.5);
    QCOMPARE(f.retryAfterMs.value_or(-1), 250);
    const auto s = SimFault::parse(QStringLiteral("stall;after=7;ms=1200")).value();
    QCOMPARE(s.after, 7);
    QCOMPARE(s.stallMs, 1200);
    QCOMPARE(SimFault::parse(QStringLiteral("stall;after=1")).value().stallMs, -1);
    QCOMPARE(SimFault::parse(QStringLiteral("trickle;interval_ms=0")).value().intervalMs, 1);
    QCOMPARE(SimFault::parse(QStringLiteral("redirect;port=8080;status=308")).value().status, 308);
}

void TestSimFault::rejectsBadSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("unknown kind") << QStringLiteral("explode");
    QTest::newRow("no value") << QStringLiteral("drop;after");
    QTest::newRow("not a number") << QStringLiteral("drop;after=many");
    QTest::newRow("negative") << QStringLiteral("drop;after=-1");
    QTest::newRow("unknown parameter") << QStringLiteral("drop;when=3");
    QTest::newRow("bad status") << QStringLiteral("server_error;status=418");
    QTest::newRow("bad redirect") << QStringLiteral("redirect;status=200");
    QTest::newRow("bad port") << QStringLiteral("redirect;port=70000");
}

void TestSimFault::rejectsBadSpecs()
{
    QFETCH(QString, spec);
    const auto f = SimFault::parse(spec);
    QVERIFY(!f.ok());
    QVERIFY(!f.error().isEmpty());
}

void TestSimFault::upFrontKinds()
{
    QVERIFY(SimFault::parse(QStringLiteral("429")).value().isUpFront());
    QVERIFY(SimFault::parse(QStringLiteral("html_502")).value().isUpFront());
    QVERIFY(SimFault::parse(QStringLiteral("redirect")).value().isUpFront());
    QVERIFY(!SimFault::parse(QStringLiteral("drop;after=1")).value().isUpFront());
    QVERIFY(!SimFault::parse(QStringLiteral("json_body")).value().isUpFront());
}

QTEST_GUILESS_MAIN(TestSimFault)
#include "tst_simfault.moc"
