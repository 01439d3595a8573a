// S-13, the canary memory scan: a helper process (secret_scan_helper) loads a canary key through
// the key store and the request builder, then drops it; this test reads the helper's writable
// memory through /proc/<pid>/mem. While the key is in use it must be found (the scan works);
// once dropped it must be found nowhere, in UTF-8 or UTF-16.
//
// The helper is a test binary, not the app: the app makes itself non-dumpable (S-3), which closes
// /proc/<pid>/mem to other processes of the user. Reading another process's memory needs the
// same user and a ptrace-permitting Yama scope (a parent may read its child at scope 1) or root;
// where that is refused the test skips rather than passes.
#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QUuid>

#include <algorithm>

#if defined(Q_OS_LINUX)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

struct MemoryScan
{
    bool readable = false;
    qint64 bytesScanned = 0;
    QStringList hits; // "region: encoding"
};

#if defined(Q_OS_LINUX)
MemoryScan scanMemory(qint64 pid, const QString &canary)
{
    MemoryScan scan;
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    if (!maps.open(QIODevice::ReadOnly))
        return scan;
    const int fd = ::open(QStringLiteral("/proc/%1/mem").arg(pid).toLocal8Bit().constData(), O_RDONLY);
    if (fd < 0)
        return scan;
    const QByteArray utf8 = canary.toUtf8();
    const QByteArray utf16(reinterpret_cast<const char *>(canary.utf16()), canary.size() * 2);
    for (const QByteArray &line : maps.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        // Only writable mappings can hold a key the process received at run time.
        if (fields.size() < 2 || !fields.at(1).startsWith("rw"))
            continue;
        const QList<QByteArray> range = fields.at(0).split('-');
        bool okStart = false;
        bool okEnd = false;
        const quint64 start = range.value(0).toULongLong(&okStart, 16);
        const quint64 end = range.value(1).toULongLong(&okEnd, 16);
        if (!okStart || !okEnd || end <= start)
            continue;
        // A sanitizer's shadow memory is a terabyte-sized reservation, not data the process put
        // there: such mappings are skipped; the others are read in overlapping chunks.
        constexpr quint64 kMaxRegion = quint64(1) << 32;
        if (end - start > kMaxRegion)
            continue;
        const QByteArray where = fields.size() > 5 ? fields.at(5) : fields.at(0);
        constexpr qsizetype kChunk = qsizetype(8) << 20;
        const qsizetype overlap = utf16.size();
        QByteArray chunk(kChunk + overlap, Qt::Uninitialized);
        bool utf8Hit = false;
        bool utf16Hit = false;
        for (quint64 at = start; at < end; at += quint64(kChunk)) {
            const auto want = static_cast<size_t>(std::min<quint64>(quint64(kChunk + overlap), end - at));
            const ssize_t got = ::pread(fd, chunk.data(), want, static_cast<off_t>(at));
            if (got <= 0)
                break; // guard pages and the like
            scan.readable = true;
            scan.bytesScanned += std::min<qint64>(got, kChunk);
            const QByteArrayView read(chunk.constData(), got);
            utf8Hit = utf8Hit || read.contains(utf8);
            utf16Hit = utf16Hit || read.contains(utf16);
        }
        if (utf8Hit)
            scan.hits.append(QString::fromLatin1(where + ": UTF-8"));
        if (utf16Hit)
            scan.hits.append(QString::fromLatin1(where + ": UTF-16"));
    }
    ::close(fd);
    return scan;
}
#endif

bool waitForLine(QProcess &process, const QByteArray &line)
{
    QByteArray seen;
    const auto arrived = [&] {
        seen += process.readAllStandardOutput();
        return seen.contains(line) || process.state() != QProcess::Running;
    };
    return QTest::qWaitFor(arrived, 20000) && seen.contains(line);
}

} // namespace

class TestMemoryScan final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void droppedKeyIsNotInMemory()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("reads /proc/<pid>/mem: Linux only");
#else
        const QString canary = u"sk-CANARY-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
        QProcess helper;
        helper.setProcessChannelMode(QProcess::SeparateChannels);
        helper.start(QStringLiteral(SLOPSCOPE_SCAN_HELPER), {});
        QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
        helper.write(canary.toUtf8() + '\n');
        QVERIFY2(waitForLine(helper, "loaded\n"), helper.readAllStandardError().constData());

        const MemoryScan loaded = scanMemory(helper.processId(), canary);
        if (!loaded.readable) {
            helper.kill();
            helper.waitForFinished();
            QSKIP("this process may not read its child's memory here (ptrace scope or permissions)");
        }
        // The control: the key in use is found, so a clean scan below means something.
        QVERIFY2(!loaded.hits.isEmpty(), "the scan did not find the key while it was in use");

        helper.write("drop\n");
        QVERIFY2(waitForLine(helper, "dropped\n"), helper.readAllStandardError().constData());
        const MemoryScan dropped = scanMemory(helper.processId(), canary);
        QVERIFY(dropped.readable);
        QVERIFY(dropped.bytesScanned > 0);
        QVERIFY2(dropped.hits.isEmpty(), qPrintable(dropped.hits.join(u", ")));

        helper.write("exit\n");
        helper.closeWriteChannel();
        QVERIFY(helper.waitForFinished(10000));
        QCOMPARE(helper.exitCode(), 0);
#endif
    }
};

QTEST_GUILESS_MAIN(TestMemoryScan)
#include "tst_memoryscan.moc"
