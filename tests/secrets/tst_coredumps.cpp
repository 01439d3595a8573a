// S-3, crash dumps: disableCoreDumps() leaves the process non-dumpable with a core size limit of
// 0, and the CLI (which also hosts the simulator) and the GUI really call it at start.
//
// A process's dumpable flag is only readable by itself, but the kernel shows it: the files under
// /proc/<pid> of a non-dumpable process belong to root instead of the process's user. Running the
// child as another user than root (nobody, when the test runs as root) makes that visible.
#include "core/CoreDumps.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#if defined(Q_OS_LINUX)
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Slopscope;

namespace {

#if defined(Q_OS_LINUX)
constexpr uid_t kNobody = 65534;

// The user the children run as: ourselves, or nobody when we are root (root owns everything).
uid_t childUid()
{
    return ::getuid() == 0 ? kNobody : ::getuid();
}

uint procOwner(qint64 pid)
{
    return QFileInfo(QStringLiteral("/proc/%1/status").arg(pid)).ownerId();
}

QString coreLimitLine(qint64 pid)
{
    QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!limits.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : limits.readAll().split('\n')) {
        if (line.startsWith("Max core file size"))
            return QString::fromLatin1(line.simplified());
    }
    return {};
}

// Starts `program` as childUid(), with a HOME and XDG folders it may write.
void startAs(QProcess &process, const QString &program, const QStringList &args, const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *var : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "TMPDIR"})
        env.insert(QString::fromLatin1(var), home);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    if (::getuid() == 0) {
        process.setChildProcessModifier([] {
            // Runs in the forked child before exec: only async-signal-safe calls.
            if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)
                ::_exit(126);
        });
    }
    process.start(program, args);
}
#endif

} // namespace

class TestCoreDumps final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void disablesDumpsInThisProcess()
    {
#if defined(Q_OS_LINUX)
        // Harmless for the test runner: only this test process loses core files and ptrace.
        const Status status = disableCoreDumps();
        QVERIFY2(status, qPrintable(status.error()));
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_CORE, &limit), 0);
        QCOMPARE(limit.rlim_cur, rlim_t(0));
        QCOMPARE(limit.rlim_max, rlim_t(0));
        QVERIFY(!coreDumpsPossible());
#else
        QVERIFY(disableCoreDumps()); // documented no-op
        QVERIFY(!coreDumpsPossible());
#endif
    }

    void appsDisableDumpsAtStart_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("readyWhenOutputHas");
        QTest::newRow("cli simulator") << QStringLiteral(SLOPSCOPE_CLI)
                                       << QStringList{QStringLiteral("sim"), QStringLiteral("--port"),
                                                      QStringLiteral("0")}
                                       << QByteArray("listening");
        QTest::newRow("gui") << QStringLiteral(SLOPSCOPE_GUI)
                             << QStringList{QStringLiteral("--workspace"), QStringLiteral("demo"),
                                            QStringLiteral("--no-db")}
                             << QByteArray();
    }

    void appsDisableDumpsAtStart()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("disableCoreDumps() is a no-op off Linux");
#else
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QByteArray, readyWhenOutputHas);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        // The child's user must be able to write its HOME and XDG folders.
        QVERIFY(::chmod(QFile::encodeName(home.path()).constData(), 01777) == 0);

        // The control: an ordinary process of that user is owned by it, so the check can fail.
        QProcess control;
        startAs(control, QStringLiteral("/bin/sleep"), {QStringLiteral("30")}, home.path());
        QVERIFY(control.waitForStarted());
        QTRY_COMPARE(procOwner(control.processId()), uint(childUid()));
        control.kill();
        control.waitForFinished();

        QProcess app;
        app.setProcessChannelMode(QProcess::MergedChannels);
        startAs(app, program, args, home.path());
        QVERIFY2(app.waitForStarted(), qPrintable(app.errorString()));
        const qint64 pid = app.processId();
        if (!readyWhenOutputHas.isEmpty()) {
            QByteArray output;
            QTRY_VERIFY_WITH_TIMEOUT((output += app.readAll()).contains(readyWhenOutputHas), 20000);
        } else {
            QTest::qWait(1500); // the GUI is up well after main()'s first line
        }
        QCOMPARE(app.state(), QProcess::Running);
        QTRY_COMPARE(procOwner(pid), 0u);
        QCOMPARE(coreLimitLine(pid), QStringLiteral("Max core file size 0 0 bytes"));
        app.kill();
        app.waitForFinished();
#endif
    }
};

QTEST_GUILESS_MAIN(TestCoreDumps)
#include "tst_coredumps.moc"
