#include "CliTestKit.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

// The "n" column (cases) of one target's line in the summary table.
int casesOf(const QString &table, const QString &target)
{
    const QRegularExpression line(QStringLiteral("^%1\\s.*\\s(\\d+)$").arg(QRegularExpression::escape(target)),
                                  QRegularExpression::MultilineOption);
    const auto m = line.match(table);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

const QStringList kFastDemo{QStringLiteral("run"),   QStringLiteral("--demo"),    QStringLiteral("--suite"),
                            QStringLiteral("facts"), QStringLiteral("--targets"), QStringLiteral("local-llama")};

} // namespace

class TestCliRun final : public QObject
{
    Q_OBJECT

private slots:
    void badUsageAndInputExitTwoNamingTheProblem();
    void qualityGatesDecideTheExitCode();
    void spendCapIsAGate();
    void shardsPartitionTheSuite();
    void terminationMeansIncomplete();
};

void TestCliRun::badUsageAndInputExitTwoNamingTheProblem()
{
    CliRun r = runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--no-such-option")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no-such-option")), qPrintable(r.err));

    r = runCli(kFastDemo + QStringList{QStringLiteral("--fail-under"), QStringLiteral("speed=3")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("speed")), qPrintable(r.err));

    r = runCli(kFastDemo + QStringList{QStringLiteral("--shard"), QStringLiteral("3/2")});
    QCOMPARE(r.exitCode, 2);

    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("broken.json"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"providers": [{"id": "p", "dialect": "klingon", "base_url": "http://127.0.0.1:1"}], "targets": []})");
    f.close();
    r = runCli({QStringLiteral("run"), QStringLiteral("--workspace"), bad});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("broken.json")) && r.err.contains(QStringLiteral("dialect")),
             qPrintable(r.err));
}

void TestCliRun::qualityGatesDecideTheExitCode()
{
    // Cold connections change the speed figures, not the grades (RunSpec::preconnect).
    CliRun passing = runCli(kFastDemo + QStringList{QStringLiteral("--fail-under"), QStringLiteral("quality=0"),
                                                    QStringLiteral("--no-preconnect")});
    QCOMPARE(passing.exitCode, 0);
    QVERIFY(!passing.err.contains(QStringLiteral("Gate failed")));
    CliRun failing = runCli(kFastDemo + QStringList{QStringLiteral("--fail-under"), QStringLiteral("quality=100%")});
    QCOMPARE(failing.exitCode, 1); // the simulated local model is not perfect on the facts suite
    QVERIFY2(failing.err.contains(QStringLiteral("Gate failed: local-llama: quality")), qPrintable(failing.err));
    // The table is printed either way: a red CI job still shows the figures.
    QVERIFY(casesOf(failing.out, QStringLiteral("local-llama")) > 0);
}

void TestCliRun::spendCapIsAGate()
{
    const CliRun r =
        runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"), QStringLiteral("facts"),
                QStringLiteral("--targets"), QStringLiteral("sonnet"), QStringLiteral("--concurrency"),
                QStringLiteral("1"), QStringLiteral("--max-cost"), QStringLiteral("0.00001")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("spend cap")), qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("spend cap")), qPrintable(r.out)); // the stop reason
}

void TestCliRun::shardsPartitionTheSuite()
{
    const CliRun whole = runCli(kFastDemo);
    QCOMPARE(whole.exitCode, 0);
    const int all = casesOf(whole.out, QStringLiteral("local-llama"));
    QVERIFY(all > 2);
    int sum = 0;
    for (const char *shard : {"1/3", "2/3", "3/3"}) {
        const CliRun part = runCli(kFastDemo + QStringList{QStringLiteral("--shard"), QString::fromLatin1(shard)});
        QCOMPARE(part.exitCode, 0);
        const int n = casesOf(part.out, QStringLiteral("local-llama"));
        if (n > 0)
            sum += n;
    }
    QCOMPARE(sum, all);
}

void TestCliRun::terminationMeansIncomplete()
{
    QProcess p;
    p.setProcessEnvironment(cliEnvironment());
    // Many slow requests, one at a time: still running when the signal comes.
    p.start(QStringLiteral(SLOPSCOPE_CLI),
            {QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"), QStringLiteral("facts"),
             QStringLiteral("--repeat"), QStringLiteral("20"), QStringLiteral("--concurrency"), QStringLiteral("1")});
    QVERIFY(p.waitForStarted());
    // Wait until the run has really begun (its first progress line), then ask it to stop.
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("done"), 30'000);
    p.terminate(); // SIGTERM, as CI runners send on timeout
    QVERIFY(p.waitForFinished(60'000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 3);
    err += p.readAllStandardError();
    QVERIFY2(err.contains("Interrupted"), err.constData());
    // What was measured before the signal is still reported.
    QVERIFY(p.readAllStandardOutput().contains("local-llama"));
}

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_clirun.moc"
