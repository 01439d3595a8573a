#pragma once

#include "core/Workspace.h"
#include "sim/SimFault.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// Probability of a right answer, by the form of the question.
struct SimQuality
{
    double canonical = 0.5;  // the suite's own wording
    double paraphrase = 0.5; // any other wording of the same question
};

struct SimFaultRule
{
    SimFault fault;
    double probability = 0.0;
};

// One simulated model: what it is called, how it speaks, how fast and how well it answers.
// Loaded from a personas file (resources/sim/personas.json; format in docs/SIMULATOR.md).
struct SimPersona
{
    QString id;       // the model id clients send, e.g. "sim-o4-mini"
    QString label;    // human label, always marked "(simulated)"
    QString snapshot; // the resolved model name reported back in streams (defaults to id)
    QString ownedBy;
    Dialect dialect = Dialect::OpenAIChat; // home dialect
    QList<Dialect> dialects;               // every dialect that serves it (home first)

    double ttftMedianMs = 300.0;
    double ttftSpread = 0.0; // sigma of the log-normal around the median
    double tokensPerSecond = 100.0;

    int thinkingTokens = 0; // median reasoning tokens per answer; 0 = no thinking phase
    double thinkingSpread = 0.0;
    bool thinkingVisible = false;   // streamed as reasoning deltas (otherwise hidden, counted only)
    bool thinkingOnRequest = false; // thinks only when the request asks (Anthropic "thinking")

    std::optional<double> inputPerMTok;
    std::optional<double> outputPerMTok;

    int answerTokens = 80; // length of answers to prompts it does not recognise
    SimQuality quality;
    QHash<QString, SimQuality> categoryQuality; // by case tag
    double judgeStrictness = 0.6;               // score a judge verdict needs to pass
    // Answers a failed tool call as if it had worked, with a confident made-up result.
    bool ignoresToolErrors = false;

    QList<SimFaultRule> faults;

    [[nodiscard]] bool serves(Dialect d) const { return dialects.contains(d); }
    [[nodiscard]] QString reportedModel() const { return snapshot.isEmpty() ? id : snapshot; }
    // The quality for the first of `tags` the persona has a rule for, else its default.
    [[nodiscard]] SimQuality qualityFor(const QStringList &tags) const;
};

} // namespace Slopscope
