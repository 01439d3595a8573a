#pragma once

#include "core/ChatMessage.h"
#include "engine/JobResult.h"
#include "metrics/CostCalculator.h"
#include "metrics/RequestMetrics.h"
#include "run/TextAttachment.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// One target's side of a quick-compare exchange.
struct QuickAnswer
{
    QList<ChatMessage> sent; // the whole conversation this target was sent, system prompt first
    QString text;            // streamed so far; the partial answer when it failed
    QString reasoning;
    JobState state = JobState::Queued;
    QString error; // the failure in plain words; empty unless it failed
    RequestMetrics metrics;
    RequestCost cost;
    bool finished = false;

    // Only a complete answer joins the target's history; a broken one would mislead the next turn.
    [[nodiscard]] bool joinsHistory() const { return finished && state == JobState::Completed; }
};

// One user turn sent to every checked target, with each target's answer.
struct QuickExchange
{
    QString prompt;       // as typed
    QString userMessage;  // what was sent: the prompt with the attachments folded in
    QString systemPrompt; // empty: none
    QStringList attachmentNames;
    QStringList targetIds; // in the lineup's order
    QHash<QString, QuickAnswer> answers;
    bool finished = false;
    bool cancelled = false;
    QString stopReason; // why a cancelled exchange stopped (the user, or the chat's spend cap)
};

} // namespace Slopscope
