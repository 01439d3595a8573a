#include "views/ProviderStatusBoard.h"

#include "engine/EngineText.h"

#include <QElapsedTimer>

#include <algorithm>

namespace Slopscope {

namespace {

qint64 steadyMs()
{
    static const QElapsedTimer started = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return started.elapsed();
}

} // namespace

ProviderStatusBoard::ProviderStatusBoard(QObject *parent, Clock clock)
    : QObject(parent)
    , m_clock(clock ? std::move(clock) : Clock(steadyMs))
{
}

void ProviderStatusBoard::update(const ProviderStatus &status)
{
    const auto it = std::find_if(m_held.begin(), m_held.end(),
                                 [&status](const Held &h) { return h.status.providerId == status.providerId; });
    if (status.state == ProviderStatus::State::Active) {
        if (it == m_held.end())
            return;
        m_held.erase(it);
    } else if (it != m_held.end()) {
        *it = Held{status, m_clock()};
    } else {
        m_held.append(Held{status, m_clock()});
    }
    Q_EMIT changed();
}

void ProviderStatusBoard::clear()
{
    if (m_held.isEmpty())
        return;
    m_held.clear();
    Q_EMIT changed();
}

void ProviderStatusBoard::runEnded()
{
    const auto passing = [](const Held &h) { return h.status.state != ProviderStatus::State::Stopped; };
    if (m_held.removeIf(passing) > 0)
        Q_EMIT changed();
}

QList<ProviderStatusBoard::Entry> ProviderStatusBoard::entries() const
{
    const qint64 now = m_clock();
    QList<Entry> out;
    out.reserve(m_held.size());
    for (const Held &h : m_held)
        out.append(Entry{h.status.providerId, h.status.state, textOf(h, now), h.status.message});
    return out;
}

bool ProviderStatusBoard::counting() const
{
    return std::any_of(m_held.cbegin(), m_held.cend(),
                       [](const Held &h) { return h.status.state == ProviderStatus::State::RateLimited; });
}

QString ProviderStatusBoard::textOf(const Held &held, qint64 nowMs) const
{
    const ProviderStatus &s = held.status;
    switch (s.state) {
    case ProviderStatus::State::RateLimited: {
        const qint64 left = std::max<qint64>(0, s.resumeInMs - (nowMs - held.reportedAtMs));
        const QString why = s.reason.isEmpty() ? tr("rate-limited") : s.reason;
        if (left == 0)
            return tr("%1: %2, resuming now").arg(s.providerId, why);
        // Whole seconds up: "resuming in 0 s" while it still waits would read as a hang.
        const qint64 shownMs = left >= 1000 ? (left + 999) / 1000 * 1000 : left;
        return tr("%1: %2, resuming in %3").arg(s.providerId, why, EngineText::formatDuration(shownMs));
    }
    case ProviderStatus::State::Stopped:
        return tr("%1: stopped — %2").arg(s.providerId, s.message);
    case ProviderStatus::State::Offline:
        return tr("%1: offline — waiting for the network").arg(s.providerId);
    case ProviderStatus::State::Active:
        break;
    }
    return s.providerId;
}

} // namespace Slopscope
