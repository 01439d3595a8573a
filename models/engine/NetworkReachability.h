#pragma once

#include <QObject>
#include <QString>

namespace Slopscope {

// Whether a host can be reached right now, so the scheduler holds requests while the machine is
// offline (a laptop asleep or off Wi-Fi) instead of spending their retries on a dead network.
// RELIABILITY F-15. Lives on the scheduler's thread.
class NetworkReachability : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkReachability)

public:
    using QObject::QObject;
    ~NetworkReachability() override = default;

    [[nodiscard]] virtual bool canReach(const QString &host) const = 0;

signals:
    // The answer of canReach may have changed for some host.
    void changed();
};

} // namespace Slopscope
