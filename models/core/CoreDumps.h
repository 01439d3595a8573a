#pragma once

#include "core/Result.h"

namespace Slopscope {

// Keeps API keys out of crash dumps (RELIABILITY S-3): on Linux the process becomes non-dumpable
// (PR_SET_DUMPABLE 0: no core file, and /proc/<pid>/mem and ptrace closed to other non-root
// processes of the user) and its core size limit 0. Elsewhere a no-op that succeeds: Windows
// writes no dump unless WER is configured for it, and macOS keeps cores off by default.
// Called first thing by the GUI and the CLI (which hosts the simulator).
Status disableCoreDumps();

// Whether this process may currently write a core dump (always false off Linux).
[[nodiscard]] bool coreDumpsPossible();

} // namespace Slopscope
