#include "sim/SimEncoder.h"

#include "sim/SimAnthropicEncoder.h"
#include "sim/SimGeminiEncoder.h"
#include "sim/SimOllamaEncoder.h"
#include "sim/SimOpenAIChatEncoder.h"
#include "sim/SimOpenAIResponsesEncoder.h"
#include "sim/SimRandom.h"

#include <cstring>

namespace Slopscope {

std::unique_ptr<SimEncoder> SimEncoder::create(Dialect dialect, SimEncodeContext context)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
        return std::make_unique<SimOpenAIChatEncoder>(std::move(context));
    case Dialect::OpenAIResponses:
        return std::make_unique<SimOpenAIResponsesEncoder>(std::move(context));
    case Dialect::Anthropic:
        return std::make_unique<SimAnthropicEncoder>(std::move(context));
    case Dialect::Gemini:
        return std::make_unique<SimGeminiEncoder>(std::move(context));
    case Dialect::Ollama:
        return std::make_unique<SimOllamaEncoder>(std::move(context));
    }
    return std::make_unique<SimOpenAIChatEncoder>(std::move(context));
}

QByteArray SimEncoder::randomChars(QByteArrayView tag, int n, const char *alphabet) const
{
    SimRandom rng(SimRandom::derive(m_ctx.seed, tag));
    const int size = static_cast<int>(std::strlen(alphabet));
    QByteArray out(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        out[i] = alphabet[rng.below(size)];
    return out;
}

void SimEncoder::appendSse(QByteArray &out, QByteArrayView event, QByteArrayView data)
{
    if (!event.isEmpty()) {
        out.append("event: ");
        out.append(event);
        out.append('\n');
    }
    out.append("data: ");
    out.append(data);
    out.append("\n\n");
}

QByteArray SimEncoder::retryAfterText(const SimFault &fault)
{
    // Whole seconds print without a fraction ("2"); fractions as given ("0.5").
    return QByteArray::number(fault.retryAfterSeconds, 'g', 10);
}

QByteArray SimEncoder::toolCallId(int index, QByteArrayView prefix, int n) const
{
    if (index >= 0 && index < m_ctx.toolCalls.size() && !m_ctx.toolCalls.at(index).id.isEmpty())
        return m_ctx.toolCalls.at(index).id.toUtf8();
    return prefix.toByteArray() +
           randomChars(QByteArray("tool-call-").append(QByteArray::number(index)), n, kSimBase62);
}

QList<QByteArray> SimEncoder::argumentPieces(const QString &arguments)
{
    // Cut on characters, not bytes, so every piece stays valid UTF-8 (surrogate pairs kept whole).
    QList<QByteArray> out;
    const qsizetype size = arguments.size();
    qsizetype from = 0;
    for (const qsizetype to : {size / 3, (2 * size) / 3, size}) {
        qsizetype end = to;
        if (end > from && end < size && arguments.at(end).isLowSurrogate())
            ++end;
        if (end > from) {
            out.append(arguments.mid(from, end - from).toUtf8());
            from = end;
        }
    }
    return out;
}

nlohmann::ordered_json SimEncoder::argumentsObject(const QString &arguments)
{
    auto parsed = nlohmann::ordered_json::parse(arguments.toStdString(), nullptr, false);
    return parsed.is_object() ? parsed : nlohmann::ordered_json::object();
}

} // namespace Slopscope
