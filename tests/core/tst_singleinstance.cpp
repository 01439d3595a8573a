// SingleInstance (RELIABILITY.md F-11): one workbench per history database, the second start
// raises the first, and a crashed instance does not lock the user out. The last two tests run the
// shipped GUI executable as a user would.
#include "core/SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

QProcess *startGui(const QString &db, QObject *parent)
{
    auto *process = new QProcess(parent);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(SLOPSCOPE_GUI), {QStringLiteral("--workspace"), QStringLiteral("demo"),
                                                   QStringLiteral("--db"), db});
    return process;
}

qint64 lockOwner(const QString &lockPath)
{
    QFile file(lockPath);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondClaimSeesTheFirstAndRaisesIt()
    {
        QTemporaryDir dir;
        const QString lock = dir.filePath(u"profile/history.sqlite.lock"_qs);
        SingleInstance first(lock);
        QCOMPARE(first.claim(), SingleInstance::Claim::First);
        QCOMPARE(first.claim(), SingleInstance::Claim::First); // asking again changes nothing
        QCOMPARE(lockOwner(lock), QCoreApplication::applicationPid());
        QSignalSpy raised(&first, &SingleInstance::activationRequested);

        SingleInstance second(lock);
        QCOMPARE(second.claim(), SingleInstance::Claim::AlreadyRunning);
        QCOMPARE(second.otherPid(), QCoreApplication::applicationPid());
        QVERIFY(second.activateOther());
        QTRY_COMPARE(raised.size(), 1);
    }

    void otherDatabasesAreOtherInstances()
    {
        QTemporaryDir dir;
        SingleInstance a(dir.filePath(u"a.sqlite.lock"_qs));
        SingleInstance b(dir.filePath(u"b.sqlite.lock"_qs));
        QVERIFY(a.serverName() != b.serverName());
        QCOMPARE(a.claim(), SingleInstance::Claim::First);
        QCOMPARE(b.claim(), SingleInstance::Claim::First);
    }

    void aStrangerOnTheSocketRaisesNothing()
    {
        QTemporaryDir dir;
        SingleInstance first(dir.filePath(u"h.lock"_qs));
        QCOMPARE(first.claim(), SingleInstance::Claim::First);
        QSignalSpy raised(&first, &SingleInstance::activationRequested);
        QLocalSocket socket;
        socket.connectToServer(first.serverName());
        QVERIFY(socket.waitForConnected(2000));
        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(socket.waitForBytesWritten(2000));
        QTRY_COMPARE(socket.state(), QLocalSocket::UnconnectedState); // answered by hanging up
        QCOMPARE(raised.size(), 0);
    }

    void releasedOnDestruction()
    {
        QTemporaryDir dir;
        const QString lock = dir.filePath(u"h.lock"_qs);
        {
            SingleInstance first(lock);
            QCOMPARE(first.claim(), SingleInstance::Claim::First);
        }
        QVERIFY(!QFile::exists(lock));
        SingleInstance next(lock);
        QCOMPARE(next.claim(), SingleInstance::Claim::First);
    }

    void unwritableLockIsNamed()
    {
        QTemporaryDir dir;
        // A file where the lock's directory should be: fails the same for root and for users.
        QFile blocker(dir.filePath(u"profile"_qs));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString lock = dir.filePath(u"profile/h.lock"_qs);
        SingleInstance first(lock);
        QCOMPARE(first.claim(), SingleInstance::Claim::Failed);
        QVERIFY2(first.error().startsWith(u"Cannot write the instance lock "_qs), qPrintable(first.error()));
        QVERIFY2(first.error().contains(QDir::toNativeSeparators(lock)), qPrintable(first.error()));
    }

    void secondWorkbenchExitsAndNamesTheFirst()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(u"history.sqlite"_qs);
        QProcess *first = startGui(db, this);
        QVERIFY(first->waitForStarted(10000));
        // The lock is written before the window opens; the socket right after it.
        QTRY_COMPARE_WITH_TIMEOUT(lockOwner(db + u".lock"_qs), first->processId(), 60000);

        QProcess second;
        second.start(QStringLiteral(SLOPSCOPE_GUI),
                     {QStringLiteral("--workspace"), QStringLiteral("demo"), QStringLiteral("--db"), db});
        QVERIFY(second.waitForFinished(60000));
        const QString said = QString::fromLocal8Bit(second.readAllStandardError());
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QVERIFY2(said.contains(QStringLiteral("already running (pid %1); its window was brought to the front")
                                   .arg(first->processId())),
                 qPrintable(said));
        QCOMPARE(first->state(), QProcess::Running);

        // A crash leaves the lock file behind; the next start takes it over.
        first->kill(); // SIGKILL: nothing runs on the way out
        QVERIFY(first->waitForFinished(10000));
        QVERIFY(QFile::exists(db + u".lock"_qs));
        QProcess *third = startGui(db, this);
        QVERIFY(third->waitForStarted(10000));
        QTRY_COMPARE_WITH_TIMEOUT(lockOwner(db + u".lock"_qs), third->processId(), 60000);
        third->terminate();
        QVERIFY(third->waitForFinished(30000));
    }
};

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
