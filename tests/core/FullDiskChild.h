#pragma once

// RELIABILITY F-9 test kit: runs a write in a forked child whose files may not grow past `room`
// bytes. Writes past RLIMIT_FSIZE fail with EFBIG, as on a full disk (mounting a small filesystem
// needs root). The child reports the write's error back through a pipe.

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <csignal>
#include <functional>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Slopscope::Test {

struct FullDiskOutcome
{
    int exitCode = -1; // 0: the write succeeded; 1: it failed and said why; other: the kit failed
    QString error;
};

inline FullDiskOutcome writeWithFullDisk(rlim_t room, const std::function<Status()> &write)
{
    int channel[2];
    if (::pipe(channel) != 0)
        return {};
    const pid_t child = ::fork();
    if (child < 0)
        return {};
    if (child == 0) {
        ::close(channel[0]);
        ::signal(SIGXFSZ, SIG_IGN); // a failed write, not a killed process
        const rlimit limit{room, room};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
            ::_exit(3);
        const Status written = write();
        const QByteArray message = written.ok() ? QByteArray() : written.error().toUtf8();
        const ssize_t sent = ::write(channel[1], message.constData(), static_cast<size_t>(message.size()));
        ::_exit(written.ok() ? 0 : (sent == message.size() ? 1 : 4));
    }
    ::close(channel[1]);
    QByteArray message;
    char buffer[1024];
    for (ssize_t n; (n = ::read(channel[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, n);
    ::close(channel[0]);
    int status = 0;
    if (::waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return {};
    return {WEXITSTATUS(status), QString::fromUtf8(message)};
}

} // namespace Slopscope::Test
