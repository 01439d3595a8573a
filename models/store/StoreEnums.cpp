#include "store/StoreEnums.h"

#include <array>
#include <utility>

namespace Slopscope {

namespace {

constexpr std::array<std::pair<JobState, const char *>, 8> kJobStates{{
    {JobState::Queued, "queued"},
    {JobState::Running, "running"},
    {JobState::Waiting, "waiting"},
    {JobState::Completed, "completed"},
    {JobState::Incomplete, "incomplete"},
    {JobState::Truncated, "truncated"},
    {JobState::Failed, "failed"},
    {JobState::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<FailureKind, const char *>, 22> kFailures{{
    {FailureKind::None, "none"},
    {FailureKind::Cancelled, "cancelled"},
    {FailureKind::HttpStatus, "http_status"},
    {FailureKind::InBandError, "in_band_error"},
    {FailureKind::Incomplete, "incomplete"},
    {FailureKind::Truncated, "truncated"},
    {FailureKind::ConnectionLost, "connection_lost"},
    {FailureKind::RemoteClosed, "remote_closed"},
    {FailureKind::HostNotFound, "host_not_found"},
    {FailureKind::ConnectionRefused, "connection_refused"},
    {FailureKind::Tls, "tls"},
    {FailureKind::Proxy, "proxy"},
    {FailureKind::Network, "network"},
    {FailureKind::ConnectTimeout, "connect_timeout"},
    {FailureKind::FirstByteTimeout, "first_byte_timeout"},
    {FailureKind::FirstTokenTimeout, "first_token_timeout"},
    {FailureKind::IdleTimeout, "idle_timeout"},
    {FailureKind::ContentIdleTimeout, "content_idle_timeout"},
    {FailureKind::TotalTimeout, "total_timeout"},
    {FailureKind::Redirect, "redirect"},
    {FailureKind::ResponseTooLarge, "response_too_large"},
    {FailureKind::NotSent, "not_sent"},
}};

constexpr std::array<std::pair<StreamOutcome, const char *>, 5> kOutcomes{{
    {StreamOutcome::Pending, "pending"},
    {StreamOutcome::Complete, "complete"},
    {StreamOutcome::Truncated, "truncated"},
    {StreamOutcome::Error, "error"},
    {StreamOutcome::Incomplete, "incomplete"},
}};

constexpr std::array<std::pair<RunState, const char *>, 4> kRunStates{{
    {RunState::Running, "running"},
    {RunState::Completed, "completed"},
    {RunState::Cancelled, "cancelled"},
    {RunState::Interrupted, "interrupted"},
}};

template <typename E, std::size_t N> QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &table, const QString &name)
{
    for (const auto &[v, n] : table) {
        if (name == QLatin1StringView(n))
            return v;
    }
    return std::nullopt;
}

} // namespace

QString StoreEnums::jobStateName(JobState state)
{
    return nameOf(kJobStates, state);
}

std::optional<JobState> StoreEnums::jobStateFromName(const QString &name)
{
    return valueOf(kJobStates, name);
}

QString StoreEnums::failureName(FailureKind kind)
{
    return nameOf(kFailures, kind);
}

FailureKind StoreEnums::failureFromName(const QString &name)
{
    return valueOf(kFailures, name).value_or(FailureKind::Network);
}

QString StoreEnums::runStateName(RunState state)
{
    return nameOf(kRunStates, state);
}

std::optional<RunState> StoreEnums::runStateFromName(const QString &name)
{
    return valueOf(kRunStates, name);
}

QString StoreEnums::outcomeName(StreamOutcome outcome)
{
    return nameOf(kOutcomes, outcome);
}

std::optional<StreamOutcome> StoreEnums::outcomeFromName(const QString &name)
{
    return valueOf(kOutcomes, name);
}

} // namespace Slopscope
