#pragma once

#include <QLockFile>
#include <QObject>
#include <QString>

#include <memory>

class QLocalServer;

namespace Slopscope {

// One app instance per history database (RELIABILITY.md F-11). The first instance holds a
// QLockFile beside the database and listens on a local socket named after it; a second one finds
// the lock, learns the first one's pid, and asks it over the socket to come to the front.
// The lock never goes stale by age (a long-running workbench is not a dead one); Qt removes it
// when the process that wrote it is gone, so a crash does not lock the user out.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    enum class Claim {
        First,          // this process holds the lock and listens for activation requests
        AlreadyRunning, // another live process holds it: see otherPid()
        Failed,         // the lock could not be written: see error()
    };

    // `lockPath`: the lock file, e.g. the database path + ".lock".
    explicit SingleInstance(const QString &lockPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    Claim claim();
    [[nodiscard]] qint64 otherPid() const { return m_otherPid; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString lockPath() const { return m_lockPath; }
    // The local socket's name: derived from the lock path, so two databases never share one.
    [[nodiscard]] QString serverName() const;

    // From a second instance: asks the first to show its window. False when it did not answer
    // within timeoutMs (it may be starting or hung); the caller still exits.
    bool activateOther(int timeoutMs = 1000) const;

signals:
    // In the first instance: a second one was started and asked for this window.
    void activationRequested();

private:
    QString m_lockPath;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
    qint64 m_otherPid = 0;
    QString m_error;
};

} // namespace Slopscope
