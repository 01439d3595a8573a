#pragma once

// Runs slopscope-cli as a CI job does: a child process, judged by its exit code, output and files.
// Its history database defaults under XDG_DATA_HOME, which points into a temporary folder so tests
// never touch the user's history nor each other's.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline QProcessEnvironment cliEnvironment()
{
    static QTemporaryDir dataHome;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome.path());
    return env;
}

inline CliRun runCli(const QStringList &args, int timeoutMs = 180'000)
{
    QProcess p;
    p.setProcessEnvironment(cliEnvironment());
    p.start(QStringLiteral(SLOPSCOPE_CLI), args);
    if (!p.waitForStarted())
        qFatal("cannot start %s", SLOPSCOPE_CLI);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    CliRun r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}
