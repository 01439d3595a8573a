#pragma once

#include "engine/JobResult.h"
#include "store/StoreTypes.h"

#include <QString>

#include <optional>

namespace Slopscope {

// The names enumerations are stored under. Names, not numbers, so the file stays readable and
// survives a reordering of the C++ enums; an unknown name (a newer file) reads as nullopt.
class StoreEnums final
{
public:
    static QString jobStateName(JobState state);
    static std::optional<JobState> jobStateFromName(const QString &name);
    static QString failureName(FailureKind kind);
    static FailureKind failureFromName(const QString &name); // unknown: Network
    static QString outcomeName(StreamOutcome outcome);
    static std::optional<StreamOutcome> outcomeFromName(const QString &name);
    static QString runStateName(RunState state);
    static std::optional<RunState> runStateFromName(const QString &name);
};

} // namespace Slopscope
