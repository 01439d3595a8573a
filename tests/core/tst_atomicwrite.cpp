// All-or-nothing file writes (RELIABILITY F-9): a full disk while a suite, a workspace, a report or
// a routing policy is saved leaves the earlier file whole and no temporary file behind. The disk
// fills through RLIMIT_FSIZE in a child process (mounting a small filesystem needs root): writes
// past the limit fail with EFBIG, as on a full disk.
#include "core/AtomicWrite.h"
#include "core/Workspace.h"
#include "core/WorkspaceWriter.h"
#include "FullDiskChild.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;
using Slopscope::Test::writeWithFullDisk;

namespace {

constexpr rlim_t kRoom = 512; // bytes a file may reach in the full-disk child

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestAtomicWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndReplaces()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.json"));
        QVERIFY(writeAtomically(path, "first").ok());
        QVERIFY(writeAtomically(path, "second").ok());
        QCOMPARE(readAll(path), QByteArray("second"));
        const Status refused = writeAtomically(dir.filePath(QStringLiteral("missing/a.json")), "x");
        QVERIFY(!refused.ok());
        QVERIFY(!refused.error().isEmpty());
    }

    void fullDiskKeepsTheEarlierFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("suite.json"));
        const QByteArray previous = "the earlier file, kept whole\n";
        QVERIFY(writeAtomically(path, previous).ok());
        const QByteArray large(int(kRoom) * 8, 'x');
        const auto outcome = writeWithFullDisk(kRoom, [&] { return writeAtomically(path, large); });
        QCOMPARE(outcome.exitCode, 1); // the write failed, and said so
        QVERIFY(!outcome.error.isEmpty());
        QCOMPARE(readAll(path), previous);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("suite.json")});
    }

    void fullDiskWhileSavingAWorkspace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("workspace.json"));
        const Workspace demo = Workspace::demo();
        QVERIFY(saveWorkspace(demo, path).ok());
        const QByteArray before = readAll(path);
        QVERIFY(before.size() > qsizetype(kRoom) * 2); // larger than the room, or this proves nothing
        Workspace edited = demo;
        edited.name = QStringLiteral("edited");
        const auto outcome = writeWithFullDisk(kRoom, [&] { return saveWorkspace(edited, path); });
        QCOMPARE(outcome.exitCode, 1);
        QVERIFY2(outcome.error.contains(QDir::toNativeSeparators(path)), qPrintable(outcome.error));
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("workspace.json")});
    }
};

QTEST_GUILESS_MAIN(TestAtomicWrite)
#include "tst_atomicwrite.moc"
