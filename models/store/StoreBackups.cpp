#include "store/StoreBackups.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>

namespace Slopscope {

namespace {

const QString kStampFormat = QStringLiteral("yyyyMMdd-HHmmss-zzz");

QString baseName(const QString &dbPath)
{
    return QFileInfo(dbPath).completeBaseName();
}

} // namespace

QString StoreBackups::folder(const QString &dbPath)
{
    return QFileInfo(dbPath).absoluteDir().filePath(QStringLiteral("backups"));
}

QStringList StoreBackups::list(const QString &dbPath)
{
    const QDir dir(folder(dbPath));
    const QRegularExpression stamped(QRegularExpression::anchoredPattern(
        QRegularExpression::escape(baseName(dbPath)) + QStringLiteral("-\\d{8}-\\d{6}-\\d{3}\\.sqlite")));
    QStringList names;
    for (const QString &n : dir.entryList({baseName(dbPath) + QStringLiteral("-*.sqlite")}, QDir::Files, QDir::Name)) {
        if (stamped.match(n).hasMatch())
            names.append(n);
    }
    std::reverse(names.begin(), names.end());
    QStringList out;
    for (const QString &n : std::as_const(names))
        out.append(dir.filePath(n));
    return out;
}

QString StoreBackups::latest(const QString &dbPath)
{
    const QStringList all = list(dbPath);
    return all.isEmpty() ? QString() : all.first();
}

QDateTime StoreBackups::latestTime(const QString &dbPath)
{
    const QString newest = latest(dbPath);
    if (newest.isEmpty())
        return {};
    const QString stamp = QFileInfo(newest).completeBaseName().right(kStampFormat.size());
    const QDateTime local = QDateTime::fromString(stamp, kStampFormat);
    return local.isValid() ? QDateTime(local.date(), local.time(), QTimeZone::utc()) : QDateTime();
}

Status StoreBackups::vacuumInto(SqliteConnection &db, const QString &file)
{
    SqliteStatus s;
    SqliteStatement vacuum = db.prepare(QStringLiteral("VACUUM INTO ?"), &s);
    if (s.ok()) {
        vacuum.bind(1, file);
        if (const int code = vacuum.step(); code != SQLITE_DONE)
            s = db.status(code);
    }
    if (!s.ok())
        return Error{tr("Cannot copy %1 to %2: %3").arg(db.path(), file, s.message)};
    return {};
}

Result<QString> StoreBackups::write(SqliteConnection &db, const QString &dbPath, int keep)
{
    const QString dir = folder(dbPath);
    if (!QDir().mkpath(dir))
        return Error{tr("Cannot create the backup folder %1.").arg(dir)};
    QDateTime now = QDateTime::currentDateTimeUtc();
    QString target;
    // Two backups in the same millisecond would collide; step the stamp.
    for (int i = 0; i < 1000; ++i, now = now.addMSecs(1)) {
        target = QDir(dir).filePath(baseName(dbPath) + u'-' + now.toString(kStampFormat) + QStringLiteral(".sqlite"));
        if (!QFileInfo::exists(target))
            break;
    }
    // A copy cut short by a crash is never a backup: clear it away.
    for (const QString &stale : QDir(dir).entryList({QStringLiteral("*.partial")}, QDir::Files))
        QFile::remove(QDir(dir).filePath(stale));
    const QString partial = target + QStringLiteral(".partial");
    if (Status s = vacuumInto(db, partial); !s.ok()) {
        QFile::remove(partial);
        return Error{s.error()};
    }
    if (!QFile::rename(partial, target)) {
        QFile::remove(partial);
        return Error{tr("Cannot finish the backup %1.").arg(target)};
    }
    const QStringList all = list(dbPath);
    for (qsizetype i = std::max(keep, 1); i < all.size(); ++i)
        QFile::remove(all.at(i));
    return target;
}

} // namespace Slopscope
