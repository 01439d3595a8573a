#pragma once

#include <QMetaType>
#include <QString>

namespace Slopscope {

// What the scheduler tells the UI about one provider.
struct ProviderStatus
{
    enum class State {
        Active,      // dispatching normally
        RateLimited, // paused after a 429 until resumeInMs has passed
        Stopped,     // a failure no retry can fix (bad key, quota): its remaining jobs are not sent
        Offline,     // its host cannot be reached (the machine is offline): jobs wait for the network
    };
    QString providerId;
    State state = State::Active;
    qint64 resumeInMs = 0;
    QString message; // "rate-limited, resuming in 2 s", or the stopping error
    QString reason;  // a pause's cause without its countdown ("rate-limited"), for live countdowns
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::ProviderStatus)
