#include "stream/DecoderBase.h"

#include "stream/Utf8.h"
#include "stream/WireDocument.h"
#include "stream/WireErrors.h"

#include <QCoreApplication>

#include <utility>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct DecoderBaseTr
{
    Q_DECLARE_TR_FUNCTIONS(StreamDecoder)
};

QString mebibytes(qsizetype bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'g', 4);
}

// A record whose first non-blank byte opens an object or array but which is not a valid
// document. A valid array is not "invalid", so only those are parsed a second time.
bool startsLikeInvalidJson(const QByteArray &data)
{
    for (const char c : data) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '{')
            return true;                         // the caller only asks when the record is not an object
        if (c != '[' || data.contains("[DONE]")) // some proxies end every dialect with [DONE]
            return false;
        return !WireDocument(data).isValid();
    }
    return false;
}

} // namespace

DecoderBase::DecoderBase(Framing framing, qsizetype maxEventBytes, qsizetype maxResponseBytes)
    : m_framing(framing)
    , m_maxEventBytes(maxEventBytes)
    , m_maxResponseBytes(maxResponseBytes)
{
    switch (framing) {
    case Framing::Sse:
        m_sse.emplace(maxEventBytes, maxResponseBytes);
        break;
    case Framing::Ndjson:
        m_ndjson.emplace(maxEventBytes, maxResponseBytes);
        break;
    case Framing::WholeJson:
        m_result.streamed = false;
        break;
    }
}

void DecoderBase::feed(QByteArrayView bytes)
{
    if (m_stopped || m_finished || bytes.isEmpty())
        return;
    switch (m_framing) {
    case Framing::Sse:
        m_sse->feed(bytes);
        break;
    case Framing::Ndjson:
        m_ndjson->feed(bytes);
        break;
    case Framing::WholeJson:
        if (m_body.size() + bytes.size() > m_maxResponseBytes) {
            m_body = QByteArray();
            checkParserState(ParserState::ResponseTooLarge);
            return;
        }
        m_body.append(bytes);
        return;
    }
    drainParsers();
}

void DecoderBase::drainParsers()
{
    // Records dispatched before a cap was hit are still interpreted, then the cap error is raised.
    if (m_sse) {
        if (m_sse->hasEvents()) {
            const QList<SseEvent> events = m_sse->takeEvents();
            for (const SseEvent &event : events) {
                processRecord(event.type, event.data);
                // Keep-alives count up to the event just handled, so that comments after a
                // terminal marker count the same whatever the reads.
                m_result.keepAlives = int(event.commentsBefore) + m_pings;
                if (m_stopped)
                    return;
            }
        }
        m_result.keepAlives = int(m_sse->comments()) + m_pings;
        checkParserState(m_sse->state());
    } else if (m_ndjson) {
        if (m_ndjson->hasLines()) {
            const QList<QByteArray> lines = m_ndjson->takeLines();
            static const QString message = QStringLiteral("message");
            for (const QByteArray &line : lines) {
                processRecord(message, line);
                if (m_stopped)
                    return;
            }
        }
        m_result.keepAlives = m_pings;
        checkParserState(m_ndjson->state());
    }
}

void DecoderBase::processRecord(const QString &type, const QByteArray &data)
{
    m_currentRecord = m_result.eventsDispatched++;
    m_recordHasAnswer = false;
    handleRecord(type, data);
    if (m_recordHasAnswer)
        ++m_result.contentEvents;
}

void DecoderBase::checkParserState(ParserState parserState)
{
    if (parserState == ParserState::EventTooLarge) {
        failClientSide(QStringLiteral("event_too_large"),
                       DecoderBaseTr::tr("A single event of the response exceeded %1 MiB; the stream was abandoned.")
                           .arg(mebibytes(m_maxEventBytes)));
    } else if (parserState == ParserState::ResponseTooLarge) {
        failClientSide(QStringLiteral("response_too_large"),
                       DecoderBaseTr::tr("The response exceeded %1 MiB; the stream was abandoned.")
                           .arg(mebibytes(m_maxResponseBytes)));
    }
}

void DecoderBase::failClientSide(const QString &type, const QString &message)
{
    m_stopped = true;
    if (decided())
        return;
    ProviderError error;
    error.type = type;
    error.message = message;
    error.clientSide = true;
    m_result.error = std::move(error);
    m_result.outcome = StreamOutcome::Error;
}

void DecoderBase::finish()
{
    if (m_finished)
        return;
    if (!m_stopped) {
        if (m_sse) {
            m_sse->finish(); // discards an unterminated event
        } else if (m_ndjson) {
            m_ndjson->finish(); // an unterminated last line is a record
            m_finishing = true;
            drainParsers();
        } else {
            finishWholeBody();
        }
    }
    m_finished = true;
    if (!decided())
        handleEndOfStream();
    if (!decided())
        m_result.outcome = StreamOutcome::Truncated;
}

void DecoderBase::finishWholeBody()
{
    const QByteArray body = Utf8::sanitized(std::exchange(m_body, QByteArray()));
    if (body.trimmed().isEmpty())
        return; // an empty 200: nothing arrived, the end-of-stream rule calls it truncated
    const WireDocument parsed(body);
    const WireValue document = parsed.root();
    if (!document.isObject() && !document.isArray()) {
        failClientSide(
            QStringLiteral("malformed_response"),
            DecoderBaseTr::tr("The response was not valid JSON: %1").arg(WireErrors::fromBody(body, 0).message));
        return;
    }
    m_currentRecord = 0;
    m_result.eventsDispatched = 1;
    m_recordHasAnswer = false;
    if (WireJson::present(WireJson::member(document, "error"))) {
        failInBand(WireErrors::fromJson(document));
        return;
    }
    handleWholeBody(document);
    if (m_recordHasAnswer)
        m_result.contentEvents = 1;
}

QList<ContentDelta> DecoderBase::takeDeltas()
{
    return std::exchange(m_deltas, QList<ContentDelta>());
}

void DecoderBase::noteOutput()
{
    if (m_result.firstContentEventIndex < 0)
        m_result.firstContentEventIndex = m_currentRecord;
}

void DecoderBase::addAnswer(const QString &text)
{
    if (decided() || text.isEmpty())
        return;
    m_result.text += text;
    m_deltas.append(ContentDelta{ContentKind::Answer, text});
    m_recordHasAnswer = true;
    noteOutput();
}

void DecoderBase::countOtherChoiceContent()
{
    if (decided())
        return;
    m_recordHasAnswer = true;
    noteOutput();
}

void DecoderBase::addReasoning(const QString &text)
{
    // Reasoning is not the first content event in any fixture: TTFT is taken at visible output.
    if (decided() || text.isEmpty())
        return;
    m_result.reasoningText += text;
    m_deltas.append(ContentDelta{ContentKind::Reasoning, text});
}

void DecoderBase::addRefusal(const QString &text)
{
    if (decided() || text.isEmpty())
        return;
    m_result.refusal += text;
    m_deltas.append(ContentDelta{ContentKind::Refusal, text});
    noteOutput();
}

int DecoderBase::addToolCall(const QString &id, const QString &name, bool countsAsOutput)
{
    if (decided())
        return -1;
    const int index = int(m_result.toolCalls.size());
    m_result.toolCalls.append(ToolCall{id, name, QString()});
    m_deltas.append(ContentDelta{ContentKind::ToolCall, QString(), index});
    if (countsAsOutput)
        noteOutput();
    return index;
}

void DecoderBase::appendToolArguments(int index, const QString &fragment, bool countsAsOutput)
{
    if (decided() || index < 0 || index >= m_result.toolCalls.size() || fragment.isEmpty())
        return;
    m_result.toolCalls[index].arguments += fragment;
    m_deltas.append(ContentDelta{ContentKind::ToolCall, fragment, index});
    if (countsAsOutput)
        noteOutput();
}

void DecoderBase::complete()
{
    if (!decided())
        m_result.outcome = StreamOutcome::Complete;
}

void DecoderBase::markIncomplete()
{
    if (!decided())
        m_result.outcome = StreamOutcome::Incomplete;
}

void DecoderBase::skipOrFailNonObject(const QString &type, const QByteArray &data)
{
    if (type != u"error") {
        // Keep-alive junk and empty `data:` lines are skipped, but a record that starts like JSON
        // and does not parse (200,000 nested `[`, a cut object) is a broken answer (B-12): skipping
        // it would hide that content was lost.
        // An unterminated last NDJSON line that does not parse was cut: truncated, not malformed.
        if (!m_finishing && startsLikeInvalidJson(data))
            failClientSide(QStringLiteral("malformed_response"),
                           DecoderBaseTr::tr("The response was not valid JSON: an event could not be parsed."));
        return;
    }
    ProviderError error;
    error.message = Utf8::leftWhole(QString::fromUtf8(data), 1000);
    failInBand(std::move(error));
}

void DecoderBase::failInBand(ProviderError error)
{
    if (decided())
        return; // the first error (or terminal marker) decides
    error.inBand = true;
    error.httpStatus = 0;
    m_result.error = std::move(error);
    m_result.outcome = StreamOutcome::Error;
}

void DecoderBase::setIfEmpty(QString &field, const WireValue &value)
{
    if (field.isEmpty() && value.isString())
        field = value.toString();
}

} // namespace Slopscope
