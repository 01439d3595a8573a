// Issue #5's "done when": a run of the demo suites against the simulator shows the sloptimized
// persona's brittleness clearly above the robust personas', with intervals that do not overlap.
// Run as a user would: slopscope-cli on the bundled benchmark suite with its rewordings, every
// demo target, the figures read back from the --summary file.
#include "CliTestKit.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

class TestDemoBrittleness final : public QObject
{
    Q_OBJECT

private slots:
    void sloptimizedStandsApart()
    {
        QTemporaryDir dir;
        const QString summaryPath = dir.filePath(QStringLiteral("summary.json"));
        const CliRun r = runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"),
                                 QStringLiteral("benchmark"), QStringLiteral("--variants"), QStringLiteral("--no-db"),
                                 QStringLiteral("--summary"), summaryPath});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile file(summaryPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray targets = QJsonDocument::fromJson(file.readAll()).object().value(u"targets").toArray();
        QVERIFY(targets.size() >= 5);

        std::optional<QJsonObject> sloptimized;
        double robustHighest = -1.0;
        QString robustHighestId;
        for (const QJsonValue &value : targets) {
            const QJsonObject t = value.toObject();
            QVERIFY2(t.contains(u"brittleness_ci_low") && t.contains(u"brittleness_ci_high"),
                     qPrintable(t.value(u"target_id").toString()));
            if (t.value(u"target_id").toString() == u"sloptimized") {
                sloptimized = t;
            } else if (t.value(u"brittleness_ci_high").toDouble() > robustHighest) {
                robustHighest = t.value(u"brittleness_ci_high").toDouble();
                robustHighestId = t.value(u"target_id").toString();
            }
        }
        QVERIFY(sloptimized);
        const double low = sloptimized->value(u"brittleness_ci_low").toDouble();
        // The drop itself is large (the persona aces the canonical wording and fails rewordings)...
        QVERIFY2(sloptimized->value(u"brittleness").toDouble() >= 0.4,
                 qPrintable(QString::number(sloptimized->value(u"brittleness").toDouble())));
        // ...and its whole interval lies above every robust persona's.
        QVERIFY2(low > robustHighest, qPrintable(QStringLiteral("sloptimized from %1, %2 up to %3")
                                                     .arg(low)
                                                     .arg(robustHighestId)
                                                     .arg(robustHighest)));
    }
};

QTEST_GUILESS_MAIN(TestDemoBrittleness)
#include "tst_demobrittleness.moc"
