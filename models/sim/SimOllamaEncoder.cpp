#include "sim/SimOllamaEncoder.h"

#include "sim/SimTime.h"

namespace Slopscope {

namespace {

using V = SimJson::Value;

const QByteArray kTime = "@@sim.time@@";

QByteArray goJson(const V &value)
{
    return SimJson::dump(value, SimJson::Style::Compact, SimJson::Escape::GoHtml);
}

} // namespace

SimOllamaEncoder::SimOllamaEncoder(SimEncodeContext context)
    : SimEncoder(std::move(context))
{
    auto makeTemplate = [&](bool thinking) {
        V message = V{{"role", "assistant"}, {"content", thinking ? "" : kSimPieceMarker.toStdString()}};
        if (thinking)
            message["thinking"] = kSimPieceMarker.toStdString();
        V line = V::object();
        line["model"] = m_ctx.model.toStdString();
        line["created_at"] = kTime.toStdString();
        line["message"] = message;
        line["done"] = false;
        return SimJsonTemplate(goJson(line) + '\n', {'"' + kTime + '"', '"' + kSimPieceMarker + '"'});
    };
    m_content = makeTemplate(false);
    m_thinking = makeTemplate(true);
}

QByteArray SimOllamaEncoder::timestamp(qint64 unixNs)
{
    const qint64 secs = unixNs / 1'000'000'000;
    qint64 frac = unixNs % 1'000'000'000;
    QByteArray out = SimTime::isoSeconds(secs);
    if (frac > 0) {
        QByteArray digits = QByteArray::number(frac).rightJustified(9, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        out += '.' + digits;
    }
    out += 'Z';
    return out;
}

QByteArray SimOllamaEncoder::streamContentType() const
{
    return "application/x-ndjson";
}

SimHeaders SimOllamaEncoder::providerHeaders(int) const
{
    return {};
}

void SimOllamaEncoder::begin(QByteArray &)
{
    // Ollama's first line is the first token.
}

void SimOllamaEncoder::reasoning(QByteArray &out, QByteArrayView piece)
{
    if (!m_ctx.reasoningVisible)
        return;
    const QByteArray time = '"' + timestamp(m_wallNs) + '"';
    m_thinking.render(out, {time, SimJson::quoted(piece, SimJson::Escape::GoHtml)});
}

void SimOllamaEncoder::answer(QByteArray &out, QByteArrayView piece)
{
    const QByteArray time = '"' + timestamp(m_wallNs) + '"';
    m_content.render(out, {time, SimJson::quoted(piece, SimJson::Escape::GoHtml)});
}

V SimOllamaEncoder::toolCallsValue() const
{
    // Ollama sends each call whole, arguments as an object, and no call id.
    V calls = V::array();
    for (const ChatToolCall &call : m_ctx.toolCalls)
        calls.push_back(
            V{{"function", V{{"name", call.name.toStdString()}, {"arguments", argumentsObject(call.arguments)}}}});
    return calls;
}

V SimOllamaEncoder::doneObject(const QByteArray &reasoning, const QByteArray &text, const SimFinishInfo &info,
                               bool withToolCalls) const
{
    V message = V{{"role", "assistant"}, {"content", text.toStdString()}};
    if (!reasoning.isEmpty())
        message["thinking"] = reasoning.toStdString();
    if (withToolCalls && !m_ctx.toolCalls.isEmpty())
        message["tool_calls"] = toolCallsValue();
    V line = V::object();
    line["model"] = m_ctx.model.toStdString();
    line["created_at"] = timestamp(m_wallNs).toStdString();
    line["message"] = message;
    line["done"] = true;
    line["done_reason"] = info.reason == SimFinish::Stop ? "stop" : "length";
    // The model is always "loaded": a small load time, the prompt phase up to the first token.
    const qint64 load = std::min<qint64>(info.promptNs / 10, 2'000'000);
    line["total_duration"] = std::max<qint64>(info.totalNs, 1);
    line["load_duration"] = std::max<qint64>(load, 1);
    line["prompt_eval_count"] = info.usage.input;
    line["prompt_eval_duration"] = std::max<qint64>(info.promptNs - load, 1);
    line["eval_count"] = info.usage.output;
    line["eval_duration"] = std::max<qint64>(info.generationNs, 1);
    return line;
}

void SimOllamaEncoder::finish(QByteArray &out, const SimFinishInfo &info)
{
    if (!m_ctx.toolCalls.isEmpty()) {
        // The calls come in one line of their own before the done line; done_reason stays "stop".
        V line = V::object();
        line["model"] = m_ctx.model.toStdString();
        line["created_at"] = timestamp(m_wallNs).toStdString();
        line["message"] = V{{"role", "assistant"}, {"content", ""}, {"tool_calls", toolCallsValue()}};
        line["done"] = false;
        out.append(goJson(line));
        out.append('\n');
    }
    out.append(goJson(doneObject({}, {}, info)));
    out.append('\n');
}

void SimOllamaEncoder::inBandError(QByteArray &out, bool overloaded)
{
    out.append(goJson(V{{"error", overloaded ? "server busy, please try again.  maximum pending requests exceeded"
                                             : "an error was encountered while running the model: unexpected EOF"}}));
    out.append('\n');
}

void SimOllamaEncoder::malformed(QByteArray &out)
{
    out.append("{\"model\":\"" + m_ctx.model.toUtf8() + "\",\"created_at\":\"" + timestamp(m_wallNs) +
               "\",\"message\":{\"role\":\"assistant\",\"content\":\"tru\n");
}

SimHttpResponse SimOllamaEncoder::wholeBody(const QByteArray &reasoning, const QByteArray &text,
                                            const SimFinishInfo &info)
{
    SimHttpResponse r;
    r.headers = {{"content-type", "application/json; charset=utf-8"}};
    r.body = goJson(doneObject(m_ctx.reasoningVisible ? reasoning : QByteArray(), text, info, true));
    return r;
}

SimHttpResponse SimOllamaEncoder::error(SimErrorKind kind, const QString &detail, const SimFault &fault) const
{
    SimHttpResponse r;
    QString message = detail;
    switch (kind) {
    case SimErrorKind::MissingKey:
        r.status = 401;
        message = QStringLiteral("unauthorized");
        break;
    case SimErrorKind::MissingVersion:
    case SimErrorKind::InvalidRequest:
        r.status = 400;
        break;
    case SimErrorKind::ModelNotFound:
        r.status = 404;
        message = QStringLiteral("model '%1' not found").arg(m_ctx.model);
        break;
    case SimErrorKind::RateLimited:
        r.status = 429;
        message = QStringLiteral("rate limit exceeded");
        break;
    case SimErrorKind::ServerError:
        r.status = fault.status > 0 ? fault.status : 500;
        message = QStringLiteral("llama runner process has terminated: exit status 2");
        break;
    case SimErrorKind::Overloaded:
        r.status = 503;
        message = QStringLiteral("server busy, please try again.  maximum pending requests exceeded");
        break;
    case SimErrorKind::PayloadTooLarge:
        r.status = 413;
        message = QStringLiteral("request body too large");
        break;
    case SimErrorKind::UnknownPath:
        r.status = 404;
        message = QStringLiteral("404 page not found");
        break;
    }
    r.headers = {{"content-type", "application/json; charset=utf-8"}};
    if (kind == SimErrorKind::UnknownPath) {
        r.headers = {{"content-type", "text/plain"}};
        r.body = message.toUtf8();
        return r;
    }
    if (kind == SimErrorKind::RateLimited)
        r.headers.append({"retry-after", retryAfterText(fault)});
    r.body = goJson(V{{"error", message.toStdString()}});
    return r;
}

} // namespace Slopscope
