// The canary key (RELIABILITY.md S-1..S-3): a `slopscope-cli run` with a key like
// sk-CANARY-<uuid> in the environment, on providers answered by the embedded simulator (OpenAI,
// Anthropic and Gemini wire formats) and on one that refuses the connection, writing the
// database, JSONL, CSV, summary, HTML, Markdown and PDF reports and the PNG, SVG and PDF charts
// with debug logging and --trace on, and one run exported from the database
// (HistoryStore::exportRun, the format a shared run travels in). Then every file written under
// the temporary HOME, XDG and TMPDIR folders (the -wal and -shm files included), the text of the
// PDFs (their streams are compressed, so pdftotext reads them when it is installed) and all output
// are searched for the key: it must be found nowhere. A PNG holds pixels: its bytes are searched,
// its picture is not.
#include "SecretScan.h"

#include "store/HistoryStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Slopscope;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SLOPSCOPE_CLI), args);
    if (!p.waitForStarted())
        qFatal("cannot start %s", SLOPSCOPE_CLI);
    p.closeWriteChannel();
    if (!p.waitForFinished(240'000)) {
        p.kill();
        p.waitForFinished();
    }
    CliRun r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestCanaryKey final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void canaryIsFoundNowhere()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString canary = u"sk-CANARY-" + uuid;

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QStringList dirs{
            QStringLiteral("HOME"),           QStringLiteral("XDG_DATA_HOME"),  QStringLiteral("XDG_CONFIG_HOME"),
            QStringLiteral("XDG_CACHE_HOME"), QStringLiteral("XDG_STATE_HOME"), QStringLiteral("XDG_RUNTIME_DIR"),
            QStringLiteral("TMPDIR")};
        for (const QString &var : dirs) {
            const QString path = root.filePath(var.toLower());
            QVERIFY(QDir().mkpath(path));
            env.insert(var, path);
        }
        QFile::setPermissions(root.filePath(QStringLiteral("xdg_runtime_dir")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QStringLiteral("CANARY_KEY"), canary);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));

        const QString out = root.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        // Simulated providers with a key of their own (the simulator checks that one is sent), and
        // one at a closed loopback port.
        const QString workspace = QStringLiteral(SLOPSCOPE_SOURCE_DIR "/tests/secrets/canary_workspace.json");
        const QStringList files{QStringLiteral("history.sqlite"), QStringLiteral("run.jsonl"),
                                QStringLiteral("run.csv"),        QStringLiteral("summary.json"),
                                QStringLiteral("report.html"),    QStringLiteral("report.md"),
                                QStringLiteral("report.pdf"),     QStringLiteral("chart.png"),
                                QStringLiteral("chart.svg"),      QStringLiteral("chart.pdf")};
        auto at = [&out](const QString &name) { return QDir(out).filePath(name); };
        // Each file after the database is written by its option (files[i] by options[i - 1]).
        const QStringList options{QStringLiteral("--jsonl"),  QStringLiteral("--csv"),    QStringLiteral("--summary"),
                                  QStringLiteral("--report"), QStringLiteral("--report"), QStringLiteral("--report"),
                                  QStringLiteral("--chart"),  QStringLiteral("--chart"),  QStringLiteral("--chart")};
        // --trace too: the engine's trace (every request with its headers) is in the output searched.
        QStringList args{
            QStringLiteral("--trace"), QStringLiteral("run"),   QStringLiteral("--workspace"), workspace,
            QStringLiteral("--suite"), QStringLiteral("facts"), QStringLiteral("--db"),        at(files[0])};
        for (qsizetype i = 1; i < files.size(); ++i)
            args << options.at(i - 1) << at(files.at(i));
        const CliRun run = runCli(args, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const QString &name : files)
            QVERIFY2(QFileInfo(at(name)).size() > 0, qPrintable(name));

        // The run really used the key on every dialect, and failed on the unreachable provider,
        // so both the success and the error paths wrote their files.
        QFile jsonl(at(files[1]));
        QVERIFY(jsonl.open(QIODevice::ReadOnly));
        QSet<QString> okTargets;
        QSet<QString> failedTargets;
        for (const QByteArray &line : jsonl.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            (o.value(QStringLiteral("status")).toString() == u"ok" ? okTargets : failedTargets)
                .insert(o.value(QStringLiteral("target_id")).toString());
        }
        QCOMPARE(okTargets,
                 (QSet<QString>{QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini")}));
        QCOMPARE(failedTargets, QSet<QString>{QStringLiteral("down")});
        // The trace showed each dialect's credential header, redacted (the control for the search below).
        for (const QString &header : {QStringLiteral("authorization: ***"), QStringLiteral("x-api-key: ***"),
                                      QStringLiteral("x-goog-api-key: ***")})
            QVERIFY2(run.err.contains(u"\n  " + header + u'\n'), qPrintable(header));

        // The key status command names the source, never the value.
        const CliRun status =
            runCli({QStringLiteral("keys"), QStringLiteral("status"), QStringLiteral("--workspace"), workspace}, env);
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains(QStringLiteral("environment")), qPrintable(status.out));

        // A recorded run as it is shared: exported from the database into a file of its own.
        {
            HistoryStore store;
            const auto opened = store.open(at(files[0]), HistoryStore::Mode::ReadOnly);
            QVERIFY2(opened, qPrintable(opened.error()));
            const auto runs = store.listRuns();
            QVERIFY(runs && runs.value().size() == 1);
            const Status exported =
                store.exportRun(runs.value().first().id, at(QStringLiteral("shared.slopscope-run")));
            QVERIFY2(exported, qPrintable(exported.error()));
            QVERIFY(QFileInfo(at(QStringLiteral("shared.slopscope-run"))).size() > 0);
        }

        // The uuid alone catches a partly masked key too.
        const QStringList needles{canary, uuid};
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty()) {
            qWarning("pdftotext not found: the PDFs' compressed text is not searched");
        } else {
            for (const QString &pdf : {at(files[6]), at(files[9])}) {
                QProcess extract;
                extract.start(pdftotext, {pdf, QStringLiteral("-")});
                QVERIFY(extract.waitForFinished(60000));
                const QString text = QString::fromUtf8(extract.readAllStandardOutput());
                if (pdf == at(files[6]))
                    QVERIFY2(text.contains(u"anthropic"), "the report's text was not extracted"); // the control
                for (const QString &needle : needles)
                    QVERIFY2(!text.contains(needle), qPrintable(pdf));
            }
        }
        const SecretScan scan = scanForSecrets(root.path(), needles);
        qInfo("%d file(s) scanned", scan.filesScanned);
        QVERIFY(scan.filesScanned >= files.size());
        QVERIFY2(scan.hits.isEmpty(), qPrintable(scan.hits.join(u'\n')));
        for (const CliRun &r : {run, status}) {
            for (const QString &needle : needles) {
                QVERIFY2(!r.out.contains(needle), "the key is on stdout");
                QVERIFY2(!r.err.contains(needle), "the key is on stderr");
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCanaryKey)
#include "tst_canarykey.moc"
