#include "engine/EnvSecretSource.h"

#include <QtGlobal>

namespace Slopscope {

std::optional<QString> EnvSecretSource::secret(const QString &name) const
{
    if (name.isEmpty())
        return std::nullopt;
    const QByteArray var = name.toLocal8Bit();
    QString value = qEnvironmentVariable(var.constData()).trimmed();
    if (value.isEmpty())
        return std::nullopt;
    return value;
}

} // namespace Slopscope
