#pragma once

#include "stream/NdjsonParser.h"
#include "stream/SseParser.h"
#include "stream/StreamDecoder.h"
#include "stream/WireJson.h"

#include "stream/WireValue.h"
#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// What every dialect decoder shares: framing the body (SSE events, NDJSON lines or one whole JSON
// document), the event bookkeeping the fixtures define (eventsDispatched, contentEvents,
// firstContentEventIndex) and the content helpers that keep the result and the deltas in step.
// A dialect only interprets records.
class DecoderBase : public StreamDecoder
{
public:
    enum class Framing {
        Sse,       // text/event-stream
        Ndjson,    // application/x-ndjson
        WholeJson, // application/json where a stream was asked for: one non-streamed answer
    };

    DecoderBase(Framing framing, qsizetype maxEventBytes, qsizetype maxResponseBytes);

    void feed(QByteArrayView bytes) final;
    void finish() final;
    QList<ContentDelta> takeDeltas() final;
    [[nodiscard]] const StreamResult &result() const final { return m_result; }

protected:
    // One framed record: an SSE event (its type and data) or an NDJSON line (type "message").
    virtual void handleRecord(const QString &type, const QByteArray &data) = 0;
    // The whole document of a non-streamed answer. Errors ({"error": ...}) are handled before this.
    virtual void handleWholeBody(const WireValue &document) = 0;
    // Clean end of the body while the outcome is still Pending: decide Complete or Truncated.
    virtual void handleEndOfStream() = 0;

    // Content. All of these do nothing once the outcome is decided: what follows an error or the
    // terminal marker is not part of the answer.
    void addAnswer(const QString &text);
    // Answer text of another choice (OpenAI n>1): counted as a content event, not added to the text.
    void countOtherChoiceContent();
    void addReasoning(const QString &text);
    void addRefusal(const QString &text);
    // Starts a tool call and returns its index in toolCalls. countsAsOutput: whether it marks the
    // first content event (each dialect's fixtures define this; see the decoders).
    int addToolCall(const QString &id, const QString &name, bool countsAsOutput);
    void appendToolArguments(int index, const QString &fragment, bool countsAsOutput);
    void notePing() { ++m_pings; }

    void complete();
    void markIncomplete();
    void failInBand(ProviderError error);
    // A record that is not a JSON object (an empty `data:`, garbage) is skipped, unless the
    // server named it an error event: then its text, cut to 1,000 characters, is the failure.
    // A record that starts like JSON but does not parse is a malformed response.
    void skipOrFailNonObject(const QString &type, const QByteArray &data);
    // The protocol's terminal marker was handled: later bytes are not read.
    void stopReading() { m_stopped = true; }
    [[nodiscard]] bool decided() const { return m_result.outcome != StreamOutcome::Pending; }
    [[nodiscard]] StreamResult &state() { return m_result; }

    // Sets a field from a string value the first time one arrives (no QString is made after that).
    static void setIfEmpty(QString &field, const WireValue &value);

private:
    void processRecord(const QString &type, const QByteArray &data);
    void drainParsers();
    void failClientSide(const QString &type, const QString &message);
    void checkParserState(ParserState state);
    void finishWholeBody();
    void noteOutput();

    Framing m_framing;
    qsizetype m_maxEventBytes;
    qsizetype m_maxResponseBytes;
    std::optional<SseParser> m_sse;
    std::optional<NdjsonParser> m_ndjson;
    QByteArray m_body; // WholeJson only
    StreamResult m_result;
    QList<ContentDelta> m_deltas;
    int m_currentRecord = -1;
    bool m_recordHasAnswer = false;
    int m_pings = 0;
    bool m_stopped = false;
    bool m_finished = false;
    bool m_finishing = false; // finish() is reading the unterminated last NDJSON line
};

} // namespace Slopscope
