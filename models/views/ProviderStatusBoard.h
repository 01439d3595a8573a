#pragma once

#include "engine/ProviderStatus.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace Slopscope {

// The latest word from the scheduler about each provider of a run, for the status strip: which
// providers are not dispatching normally and why ("openai: rate-limited, resuming in 4 s",
// "anthropic: stopped — the key was refused", "gemini: offline — waiting for the network"). A
// pause counts down from when it was reported; a provider back to normal leaves the board.
class ProviderStatusBoard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderStatusBoard)

public:
    using Clock = std::function<qint64()>; // monotonic milliseconds

    explicit ProviderStatusBoard(QObject *parent = nullptr, Clock clock = {});

    struct Entry
    {
        QString providerId;
        ProviderStatus::State state = ProviderStatus::State::Active;
        QString text;    // short, for the strip: "openai: rate-limited, resuming in 4 s"
        QString toolTip; // the scheduler's whole message
    };

    void update(const ProviderStatus &status);
    // A new run: nothing is known yet.
    void clear();
    // The run ended: pauses and waits no longer apply; a stopped provider stays until the next run
    // so its reason can still be read.
    void runEnded();

    // Providers not dispatching normally, in the order they were first reported.
    [[nodiscard]] QList<Entry> entries() const;
    // Whether an entry counts down, so the strip knows to refresh it every second.
    [[nodiscard]] bool counting() const;

Q_SIGNALS:
    void changed();

private:
    struct Held
    {
        ProviderStatus status;
        qint64 reportedAtMs = 0;
    };
    [[nodiscard]] QString textOf(const Held &held, qint64 nowMs) const;

    Clock m_clock;
    QList<Held> m_held;
};

} // namespace Slopscope
