#pragma once

#include "core/ChatMessage.h"
#include "core/ToolChoice.h"
#include "core/ToolSpec.h"
#include "core/Workspace.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// One cell of a run: what to send to which target. A value; the engine never mutates it.
struct ChatRequest
{
    QString id; // unique within a run; names the job in every engine signal
    QString targetId;
    QString providerId;
    QString model;
    QList<ChatMessage> messages;
    // Functions the model may call; empty: none are offered and no tool fields are sent.
    QList<ToolSpec> tools = {};
    // Whether the model may, must or must not call them, and whether several calls may come in
    // one turn; unset: the provider's default, and nothing is sent. Only sent with tools.
    std::optional<ToolChoice> toolChoice = {};
    std::optional<bool> parallelToolCalls = {};
    TargetParams params;
    bool stream = true;
    // Identification only (not sent): which case, prompt variant and repeat this cell is, and the
    // run seed that ordered it.
    QString caseId;
    QString variantId;
    int repeat = 0;
    quint64 seed = 0;
};

} // namespace Slopscope
