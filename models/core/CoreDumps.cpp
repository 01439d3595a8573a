#include "core/CoreDumps.h"

#include <QCoreApplication>
#include <QtGlobal>

#if defined(Q_OS_LINUX)
#include <cerrno>
#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

namespace Slopscope {

Status disableCoreDumps()
{
#if defined(Q_OS_LINUX)
    // Both: dumpable 0 alone still lets a core_pattern pipe helper run for setuid-like cases, and
    // RLIMIT_CORE 0 alone leaves /proc/<pid>/mem readable to the user's other processes.
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return Error{QCoreApplication::translate("CoreDumps", "Could not turn off core dumps: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)))};
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return Error{QCoreApplication::translate("CoreDumps", "Could not make the process non-dumpable: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)))};
#endif
    return {};
}

bool coreDumpsPossible()
{
#if defined(Q_OS_LINUX)
    rlimit limit{};
    if (getrlimit(RLIMIT_CORE, &limit) != 0)
        return true;
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0 || limit.rlim_cur != 0;
#else
    return false;
#endif
}

} // namespace Slopscope
