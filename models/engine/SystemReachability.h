#pragma once

#include "engine/NetworkReachability.h"

namespace Slopscope {

// The operating system's view (QNetworkInformation: NetworkManager on Linux, the OS's own API on
// Windows and macOS). Only "disconnected" counts as offline, and loopback hosts are always
// reachable: a local Ollama or the simulator works offline. Where no backend answers, or it does
// not know, everything counts as reachable, so such a machine behaves as if this did not exist.
class SystemReachability final : public NetworkReachability
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemReachability)

public:
    explicit SystemReachability(QObject *parent = nullptr);
    ~SystemReachability() override;

    [[nodiscard]] bool canReach(const QString &host) const override;

    // The policy, apart from the backend: `online` is false only when the system said so.
    [[nodiscard]] static bool canReach(bool online, const QString &host);

private:
    bool m_online = true;
};

} // namespace Slopscope
