#include "engine/EnvSecretSource.h"

#include <QtGlobal>

namespace Slopscope {

std::optional<SecretString> EnvSecretSource::secret(const QString &name) const
{
    if (name.isEmpty())
        return std::nullopt;
    const QByteArray var = name.toLocal8Bit();
    QString value = qEnvironmentVariable(var.constData()).trimmed();
    if (value.isEmpty())
        return std::nullopt;
    // The environment keeps its own copy for the life of the process: outside our reach.
    return SecretString::takeFrom(value);
}

} // namespace Slopscope
