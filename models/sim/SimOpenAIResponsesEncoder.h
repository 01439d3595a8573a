#pragma once

#include "sim/SimEncoder.h"
#include "sim/SimJson.h"

namespace Slopscope {

// OpenAI Responses API (WIRE-PROTOCOLS.md §3; fixtures openai-responses/01, 03): named events whose
// JSON repeats the name as "type" and carries a sequence_number from 0. response.created,
// response.in_progress, a reasoning item when the persona thought, the message item and its
// output_text part, one output_text.delta per token, the .done events, then response.completed
// (or response.incomplete at max_output_tokens) with usage. Errors: event: error.
class SimOpenAIResponsesEncoder final : public SimEncoder
{
public:
    explicit SimOpenAIResponsesEncoder(SimEncodeContext context);

    [[nodiscard]] QByteArray streamContentType() const override;
    [[nodiscard]] SimHeaders providerHeaders(int status) const override;
    void begin(QByteArray &out) override;
    void reasoning(QByteArray &out, QByteArrayView piece) override;
    void answer(QByteArray &out, QByteArrayView piece) override;
    void finish(QByteArray &out, const SimFinishInfo &info) override;
    void inBandError(QByteArray &out, bool overloaded) override;
    void malformed(QByteArray &out) override;
    [[nodiscard]] SimHttpResponse wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                            const SimFinishInfo &info) override;
    [[nodiscard]] SimHttpResponse error(SimErrorKind kind, const QString &detail, const SimFault &fault) const override;

    // A reasoning item's encrypted_content stands for the model's sealed thoughts: the sim seals
    // the item id, so a follow-up request can prove it sent back exactly what was issued.
    [[nodiscard]] static QByteArray sealReasoning(const QByteArray &itemId);
    [[nodiscard]] static bool reasoningSealValid(const QString &itemId, const QString &sealed);

private:
    [[nodiscard]] QByteArray functionCallItemId(int index) const;
    [[nodiscard]] SimJson::Value functionCallItem(int index, const char *status, bool withArguments) const;
    SimJson::Value responseObject(const char *status, const SimJson::Value &output, const SimFinishInfo *info) const;
    SimJson::Value reasoningItem() const;
    SimJson::Value messageItem(const char *status, const QByteArray &text) const;
    void event(QByteArray &out, const char *type, SimJson::Value body);
    void openMessage(QByteArray &out);

    QByteArray m_responseId;
    QByteArray m_messageId;
    QByteArray m_reasoningId;
    QByteArray m_requestId;
    QByteArray m_text; // the answer so far, repeated in the .done events
    SimJsonTemplate m_delta;
    int m_sequence = 0;
    int m_messageIndex = 0;
    bool m_messageOpen = false;
    quint64 m_obfuscationState = 0;
};

} // namespace Slopscope
