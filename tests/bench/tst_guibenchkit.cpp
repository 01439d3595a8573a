// The measuring tools of the GUI benchmarks (bench_gui_stall, bench_gui_load): their figures are
// only as good as these, so each is checked against something it must see.
#include "EventLoopProbe.h"
#include "GuiBenchKit.h"
#include "H2Front.h"

#include <QEventLoop>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstring>
#include <memory>
#include <thread>

using namespace Slopscope::Bench;

class tst_GuiBenchKit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentileIsNearestRank()
    {
        std::vector<double> v;
        for (int i = 1; i <= 100; ++i)
            v.push_back(i);
        QCOMPARE(percentileOfSorted(v, 0.5), 50.0);
        QCOMPARE(percentileOfSorted(v, 0.99), 99.0);
        QCOMPARE(percentileOfSorted(v, 1.0), 100.0);
        QCOMPARE(percentileOfSorted({}, 0.5), 0.0);
        QCOMPARE(percentileOfSorted({7.0}, 0.01), 7.0);
    }

    void processMemorySeesTouchedPages()
    {
        const ProcessMemory before = processMemory();
        QVERIFY(before.rssKiB > 0);
        QVERIFY(before.peakKiB >= before.rssKiB);
        // 64 MiB written to: resident until freed, and in the peak for good.
        constexpr std::size_t kBytes = 64u << 20;
        auto block = std::make_unique<char[]>(kBytes);
        std::memset(block.get(), 1, kBytes);
        const ProcessMemory during = processMemory();
        QVERIFY2(during.rssKiB - before.rssKiB >= 48 * 1024,
                 qPrintable(QStringLiteral("%1 -> %2 KiB").arg(before.rssKiB).arg(during.rssKiB)));
        QVERIFY(during.peakKiB >= during.rssKiB);
        QCOMPARE(block[kBytes - 1], char(1));
        block.reset();
        // The kernel's per-thread RSS counters are folded in lazily, so the peak it kept may read
        // a little below an RSS read earlier: within 1 MiB of the 64 is still "kept".
        const ProcessMemory after = processMemory();
        QVERIFY2(
            after.peakKiB >= during.rssKiB - 1024,
            qPrintable(
                QStringLiteral("peak %1 KiB, resident before the free %2 KiB").arg(after.peakKiB).arg(during.rssKiB)));
    }

    void probeSeesABlockedLoop()
    {
        EventLoopProbe probe;
        const qint64 origin = nowNs();
        probe.start(origin);
        // The loop is kept from turning for 120 ms, 50 ms in.
        QTimer::singleShot(50, this, [] { std::this_thread::sleep_for(std::chrono::milliseconds(120)); });
        // A plain event loop: QTest::qWait sleeps 10 ms between its turns, which the probe would see.
        QEventLoop loop;
        QTimer::singleShot(400, &loop, &QEventLoop::quit);
        loop.exec();
        probe.stop();
        const EventLoopProbe::Summary s = probe.summary(100);
        QVERIFY(s.count > 10);
        QVERIFY2(s.max >= 115, qPrintable(QString::number(s.max)));
        QVERIFY(s.over >= 1);
        QVERIFY2(s.p50 < 50, qPrintable(QString::number(s.p50)));
        const auto worst = probe.worst(3);
        QCOMPARE(worst.size(), std::size_t(3));
        QCOMPARE(worst[0].first, s.max);
        QVERIFY(worst[0].first >= worst[1].first && worst[1].first >= worst[2].first);
        // Stamped when the gap ended: after the block started, before the wait was over.
        QVERIFY2(worst[0].second >= 0.16 && worst[0].second < 2.0, qPrintable(QString::number(worst[0].second)));
        QVERIFY(s.p99 <= s.max);
    }

    void h2FrontNegotiatesH2WithItsCertificate()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("nghttpx")).isEmpty()) {
            // CI installs it (bootstrap.sh test), so there a missing tool is a failure.
            if (qEnvironmentVariableIsSet("SLOPSCOPE_CI"))
                QFAIL("nghttpx not installed (Debian package nghttp2-proxy)");
            QSKIP("nghttpx not installed (Debian package nghttp2-proxy)");
        }
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        H2Front front;
        QString why;
        // Nothing listens behind it: the handshake with nghttpx is what is checked.
        QVERIFY2(front.start(dir.path(), 9, &why), qPrintable(why));
        QVERIFY(front.port() > 0);

        const auto ca = QSslCertificate::fromPath(front.caFile());
        QCOMPARE(ca.size(), 1);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(ca);
        config.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2});
        QSslSocket socket;
        socket.setSslConfiguration(config);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), front.port());
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        QCOMPARE(socket.sslConfiguration().nextNegotiatedProtocol(), QSslConfiguration::ALPNProtocolHTTP2);

        // Without the certificate trusted, the same host is refused.
        QSslSocket untrusted;
        QSslConfiguration plain = QSslConfiguration::defaultConfiguration();
        plain.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2});
        untrusted.setSslConfiguration(plain);
        untrusted.connectToHostEncrypted(QStringLiteral("127.0.0.1"), front.port());
        QVERIFY(!untrusted.waitForEncrypted(10000));
    }
};

QTEST_GUILESS_MAIN(tst_GuiBenchKit)
#include "tst_guibenchkit.moc"
