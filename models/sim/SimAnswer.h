#pragma once

#include "core/ChatMessage.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Slopscope {

// What a persona says to one request, before any dialect or timing: reasoning and answer text,
// already cut into the tokens that will be streamed (and counted).
struct SimAnswer
{
    enum class Kind { CaseRight, CaseWrong, Judge, Generic };

    Kind kind = Kind::Generic;
    QByteArray reasoning; // UTF-8; empty without a thinking phase
    QByteArray text;      // UTF-8
    QList<QByteArray> reasoningPieces;
    QList<QByteArray> answerPieces;
    // Functions the answer calls after its text (ids left empty: each dialect makes its own).
    QList<ChatToolCall> toolCalls;
    quint64 seed = 0;

    // Ground truth about a recognised case (empty otherwise).
    QString suite;
    QString caseId;
    bool canonical = true;
    int variant = 0;
    // Judge verdicts: the score the simulator computed.
    double judgeScore = -1.0;

    [[nodiscard]] static QString kindName(Kind kind);
};

} // namespace Slopscope
