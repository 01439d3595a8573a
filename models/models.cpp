// slopscope_models gathers the engine's parts (see models/CMakeLists.txt); the code lives in them.
#include "Models.h"
#include "core/Version.h"

namespace Slopscope {
const char *modelsVersion()
{
    return kVersion;
}
} // namespace Slopscope
