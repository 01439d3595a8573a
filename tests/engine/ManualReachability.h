#pragma once

#include "engine/NetworkReachability.h"

namespace Slopscope::Test {

// Reachability set by the test: unlike the system's, loopback is not exempt, so a FakeProvider on
// 127.0.0.1 can stand for a remote provider behind a network that went away.
class ManualReachability final : public NetworkReachability
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManualReachability)

public:
    using NetworkReachability::NetworkReachability;
    ~ManualReachability() override = default;

    [[nodiscard]] bool canReach(const QString &) const override { return m_online; }
    void setOnline(bool online)
    {
        if (online == m_online)
            return;
        m_online = online;
        emit changed();
    }

private:
    bool m_online = true;
};

} // namespace Slopscope::Test
