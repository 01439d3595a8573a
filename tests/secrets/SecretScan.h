#pragma once

// Searches files for secrets: every regular file (sockets and pipes are not files to search) under a folder (database,
// -wal and -shm files, logs, settings, exports), as raw bytes in UTF-8 and UTF-16, so a key found anywhere is a hit
// whatever wrote it.

#include <QByteArray>
#include <QDirIterator>
#include <QFile>
#include <QString>
#include <QStringList>

struct SecretScan
{
    int filesScanned = 0;
    QStringList hits; // "path: needle"
};

inline bool containsSecret(const QByteArray &data, const QString &needle)
{
    const QByteArray utf8 = needle.toUtf8();
    const QByteArray utf16(reinterpret_cast<const char *>(needle.utf16()), needle.size() * 2);
    return data.contains(utf8) || data.contains(utf16);
}

inline SecretScan scanForSecrets(const QString &root, const QStringList &needles)
{
    SecretScan scan;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            scan.hits.append(path + QStringLiteral(": unreadable, cannot be checked"));
            continue;
        }
        const QByteArray data = file.readAll();
        ++scan.filesScanned;
        for (const QString &needle : needles) {
            if (containsSecret(data, needle))
                scan.hits.append(path + QStringLiteral(": ") + needle);
        }
    }
    return scan;
}
