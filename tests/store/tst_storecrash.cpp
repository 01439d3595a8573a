#include "store/HistoryStore.h"

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

// kill -9 at random (seeded) moments of a process writing results: everything it acknowledged is
// in the file, the file is sound, and its run shows as interrupted.
class TestStoreCrash final : public QObject
{
    Q_OBJECT

private slots:
    void nothingAcknowledgedIsLostToKillMinus9();
};

void TestStoreCrash::nothingAcknowledgedIsLostToKillMinus9()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    constexpr int kKills = 24;
    quint64 rng = 20240611;
    const auto next = [&rng](quint64 below) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        return (rng >> 33) % below;
    };
    int totalAcked = 0;
    int earlyKills = 0;
    QSet<QString> allRuns;
    for (int round = 0; round < kKills; ++round) {
        QProcess helper;
        helper.setProcessChannelMode(QProcess::SeparateChannels);
        helper.start(QStringLiteral(SLOPSCOPE_STORE_HELPER),
                     {QStringLiteral("write"), path, QString::number(round + 1)});
        QVERIFY2(helper.waitForStarted(30'000), qPrintable(helper.errorString()));

        // Some kills land anywhere from start-up on (open, recovery, migration, the first
        // backup); most after a random number of acknowledgements, mid-stream.
        const bool early = next(4) == 0;
        const int wantAcks = early ? 0 : 1 + static_cast<int>(next(80));
        QString runId;
        QStringList acked;
        QByteArray pending;
        const auto readLines = [&] {
            pending += helper.readAllStandardOutput();
            qsizetype nl = 0;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QString line = QString::fromUtf8(pending.left(nl));
                pending.remove(0, nl + 1);
                if (line.startsWith(u"RUN "))
                    runId = line.mid(4);
                else if (line.startsWith(u"ACK "))
                    acked.append(line.mid(4));
                else if (line.startsWith(u"ERROR "))
                    qWarning("helper: %s", qPrintable(line));
            }
        };
        if (early) {
            ++earlyKills;
            QTest::qWait(static_cast<int>(next(400)));
        } else {
            QElapsedTimer waited;
            waited.start();
            while (acked.size() < wantAcks && waited.elapsed() < 30'000 && helper.state() == QProcess::Running) {
                helper.waitForReadyRead(100);
                readLines();
            }
            QVERIFY2(acked.size() >= wantAcks, qPrintable(QString::fromUtf8(helper.readAllStandardError())));
            QThread::usleep(next(3000)); // and a little later still
        }
        helper.kill(); // SIGKILL
        QVERIFY(helper.waitForFinished(30'000));
        readLines();
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
        totalAcked += static_cast<int>(acked.size());

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY2(report.ok(), qPrintable(report.error()));
        QVERIFY2(!report.value().recreated, qPrintable(report.value().corruptionDetail));
        QCOMPARE(store.integrityCheck().value(), QStringLiteral("ok"));
        if (acked.isEmpty() && !store.run(runId).ok())
            continue; // killed before its run was committed: nothing was promised
        QVERIFY(!runId.isEmpty());
        allRuns.insert(runId);
        QVERIFY2(report.value().interruptedRuns.contains(runId), qPrintable(runId));
        const RunRecord run = store.run(runId).value();
        QCOMPARE(run.state, RunState::Interrupted);
        const auto cells = store.loadCells(runId);
        QVERIFY(cells.ok());
        QSet<QString> saved;
        for (const CellResult &c : cells.value())
            saved.insert(c.job.jobId);
        for (const QString &id : std::as_const(acked))
            QVERIFY2(saved.contains(id),
                     qPrintable(QStringLiteral("round %1: %2 acknowledged but lost").arg(round).arg(id)));
        QCOMPARE(run.cells, static_cast<int>(saved.size())); // the counters moved with the rows
    }
    QVERIFY(totalAcked > kKills); // the kills did land mid-stream
    QVERIFY(earlyKills > 0);
    HistoryStore store;
    QVERIFY(store.open(path).ok());
    const QList<RunRecord> runs = store.listRuns().value(); // a named list: no dangling range-for
    for (const RunRecord &r : runs)
        QCOMPARE(r.state, RunState::Interrupted);
    qInfo("%d kills, %d results acknowledged, %lld runs recorded", kKills, totalAcked,
          static_cast<long long>(allRuns.size()));
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"
