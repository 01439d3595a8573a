#include "TestLineDecoder.h"

#include <nlohmann/json.hpp>

namespace Slopscope::Test {

TestLineDecoder::TestLineDecoder(int httpStatus)
    : m_status(httpStatus)
{}

std::unique_ptr<StreamDecoder> TestLineDecoder::make(Dialect, int httpStatus, const QByteArray &)
{
    return std::make_unique<TestLineDecoder>(httpStatus);
}

void TestLineDecoder::feed(QByteArrayView bytes)
{
    m_buffer.append(bytes);
    if (m_status < 200 || m_status >= 300)
        return;
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray l = m_buffer.left(nl);
        m_buffer.remove(0, nl + 1);
        line(l);
    }
}

void TestLineDecoder::line(const QByteArray &l)
{
    if (m_result.outcome != StreamOutcome::Pending)
        return; // nothing counts after the terminal marker
    ++m_result.eventsDispatched;
    if (l.startsWith("D:") || l.startsWith("R:")) {
        const bool answer = l.startsWith("D:");
        const QString text = QString::fromUtf8(l.mid(2));
        (answer ? m_result.text : m_result.reasoningText) += text;
        m_deltas.append(ContentDelta{answer ? ContentKind::Answer : ContentKind::Reasoning, text});
        if (m_result.firstContentEventIndex < 0)
            m_result.firstContentEventIndex = m_result.eventsDispatched - 1;
        ++m_result.contentEvents;
    } else if (l == "END") {
        m_result.outcome = StreamOutcome::Complete;
        m_result.terminalMarkerSeen = true;
        m_result.finishReason = QStringLiteral("stop");
    } else if (l.startsWith("ERR:")) {
        const QList<QByteArray> parts = l.mid(4).split(':');
        ProviderError e;
        e.inBand = true;
        e.type = QString::fromUtf8(parts.value(0));
        e.message = QString::fromUtf8(parts.value(1));
        m_result.error = e;
        m_result.outcome = StreamOutcome::Error;
    }
}

void TestLineDecoder::finish()
{
    if (m_status < 200 || m_status >= 300) {
        ProviderError e;
        e.httpStatus = m_status;
        e.message = QString::fromUtf8(m_buffer);
        const auto doc = nlohmann::json::parse(m_buffer.constBegin(), m_buffer.constEnd(), nullptr, false);
        if (doc.is_object() && doc.contains("error") && doc["error"].is_object()) {
            const auto &err = doc["error"];
            if (err.contains("message") && err["message"].is_string())
                e.message = QString::fromStdString(err["message"].get<std::string>());
            for (const char *key : {"code", "type"}) {
                if (err.contains(key) && err[key].is_string()) {
                    e.type = QString::fromStdString(err[key].get<std::string>());
                    break;
                }
            }
        }
        m_result.error = e;
        m_result.outcome = StreamOutcome::Error;
        return;
    }
    if (!m_buffer.isEmpty()) {
        line(m_buffer);
        m_buffer.clear();
    }
    if (m_result.outcome == StreamOutcome::Pending)
        m_result.outcome = StreamOutcome::Truncated;
}

QList<ContentDelta> TestLineDecoder::takeDeltas()
{
    return std::exchange(m_deltas, {});
}

} // namespace Slopscope::Test
