#pragma once

// Environment variables set by a test and removed at its end, so tests stay independent. Shared
// by the key tests (tests/secrets) and the Settings dialog's (tests/widgets).

#include <QByteArray>
#include <QtGlobal>

namespace Slopscope::Test {

class ScopedEnv final
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
    {
        qputenv(name, value);
    }
    ~ScopedEnv() { qunsetenv(m_name); }
    Q_DISABLE_COPY_MOVE(ScopedEnv)

private:
    const char *m_name;
};

} // namespace Slopscope::Test
