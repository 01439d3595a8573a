#include "sim/SimRouter.h"

#include "sim/SimChatRequest.h"
#include "sim/SimJson.h"
#include "sim/SimRandom.h"
#include "sim/SimTime.h"
#include "sim/SimTokenizer.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace Slopscope {

namespace {

using V = SimJson::Value;

// These texts go over the wire as a provider's error body, in the provider's own words; they
// are never translated, so a German desktop gets the same bytes as the real API would send.
double nsToMs(qint64 ns)
{
    return static_cast<double>(ns) / 1e6;
}

const QByteArray kHtml502 =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

SimStreamPlan immediate(SimStreamPlan plan, SimHttpResponse response)
{
    plan.mode = SimStreamPlan::Mode::Immediate;
    plan.record.status = response.status;
    plan.response = std::move(response);
    return plan;
}

SimHttpResponse jsonResponse(const V &body, SimJson::Style style)
{
    SimHttpResponse r;
    r.headers = {{"content-type", "application/json"}};
    r.body = SimJson::dump(body, style);
    if (style == SimJson::Style::Pretty2)
        r.body += '\n';
    return r;
}

} // namespace

SimRouter::SimRouter()
    : m_answerer(&m_key)
{}

SimHttpResponse SimRouter::plainError(int status, const QByteArray &message)
{
    SimHttpResponse r;
    r.status = status;
    r.headers = {{"content-type", "text/plain; charset=utf-8"}};
    r.body = message + '\n';
    return r;
}

std::optional<SimErrorKind> SimRouter::checkAuth(Dialect dialect, const SimHttpRequest &request) const
{
    switch (dialect) {
    case Dialect::OpenAIChat:
    case Dialect::OpenAIResponses: {
        const QByteArray auth = request.header("authorization");
        if (!auth.startsWith("Bearer ") || auth.mid(7).trimmed().isEmpty())
            return SimErrorKind::MissingKey;
        return std::nullopt;
    }
    case Dialect::Anthropic: {
        // x-api-key, or a bearer token as the current official SDKs send it.
        const QByteArray auth = request.header("authorization");
        const bool bearer = auth.startsWith("Bearer ") && !auth.mid(7).trimmed().isEmpty();
        if (request.header("x-api-key").isEmpty() && !bearer)
            return SimErrorKind::MissingKey;
        if (request.header("anthropic-version").isEmpty())
            return SimErrorKind::MissingVersion;
        return std::nullopt;
    }
    case Dialect::Gemini:
        if (request.header("x-goog-api-key").isEmpty() && request.queryItem("key").isEmpty())
            return SimErrorKind::MissingKey;
        return std::nullopt;
    case Dialect::Ollama:
        return std::nullopt;
    }
    return std::nullopt;
}

SimStreamPlan SimRouter::route(const SimHttpRequest &request, qint64 wallStartNs)
{
    SimStreamPlan plan;
    plan.startNs = request.bodyCompleteNs;
    plan.wallStartNs = wallStartNs;
    plan.record.method = QString::fromLatin1(request.method);
    plan.record.path = QString::fromUtf8(request.path);
    plan.record.tag = QString::fromUtf8(request.header("x-sim-tag")).left(200);
    plan.record.wallArrivalMs = wallStartNs / 1'000'000;
    plan.record.arrivalMs = nsToMs(request.arrivalNs);
    plan.record.bodyCompleteMs = nsToMs(request.bodyCompleteNs);

    const QByteArray &path = request.path;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    auto methodNotAllowed = [&](const QByteArray &allowed) {
        SimHttpResponse r = plainError(405, "Method Not Allowed");
        r.headers.append({"allow", allowed});
        return immediate(std::move(plan), r);
    };

    // Generation endpoints.
    struct Endpoint
    {
        const char *path;
        Dialect dialect;
    };
    static const Endpoint endpoints[] = {{"/v1/chat/completions", Dialect::OpenAIChat},
                                         {"/v1/responses", Dialect::OpenAIResponses},
                                         {"/v1/messages", Dialect::Anthropic},
                                         {"/api/chat", Dialect::Ollama}};
    for (const auto &e : endpoints) {
        if (path == e.path) {
            if (!post)
                return methodNotAllowed("POST");
            return generate(e.dialect, request, {}, false, std::move(plan), wallStartNs);
        }
    }
    for (const QByteArray &prefix : {QByteArray("/v1beta/models/"), QByteArray("/v1/models/")}) {
        if (!path.startsWith(prefix) || !path.contains(':'))
            continue;
        const QByteArray rest = path.mid(prefix.size());
        const qsizetype colon = rest.lastIndexOf(':');
        const QByteArray method = rest.mid(colon + 1);
        const QString model = QString::fromUtf8(QByteArray::fromPercentEncoding(rest.left(colon)));
        if (method != "generateContent" && method != "streamGenerateContent")
            break;
        if (!post)
            return methodNotAllowed("POST");
        const bool streams = method == "streamGenerateContent";
        if (streams && request.queryItem("alt") != "sse") {
            SimEncodeContext ctx;
            ctx.model = model;
            const auto enc = SimEncoder::create(Dialect::Gemini, ctx);
            plan.record.dialect = dialectName(Dialect::Gemini);
            return immediate(std::move(plan),
                             enc->error(SimErrorKind::InvalidRequest,
                                        QString::fromUtf8(
                                            "The simulator streams Gemini only as server-sent events: add ?alt=sse.")));
        }
        return generate(Dialect::Gemini, request, model, streams, std::move(plan), wallStartNs);
    }

    // Listings.
    if (path == "/v1/models" || path.startsWith("/v1/models/")) {
        if (!get)
            return methodNotAllowed("GET");
        return listModels(request, std::move(plan), false, false);
    }
    if (path == "/v1beta/models") {
        if (!get)
            return methodNotAllowed("GET");
        return listModels(request, std::move(plan), true, false);
    }
    if (path == "/api/tags") {
        if (!get)
            return methodNotAllowed("GET");
        return listModels(request, std::move(plan), false, true);
    }
    if (path == "/api/version" && get)
        return immediate(std::move(plan), jsonResponse(V{{"version", "0.11.4"}}, SimJson::Style::Compact));
    if (path == "/" && (get || request.method == "HEAD")) {
        SimHttpResponse r = plainError(200, "Slopscope simulator is running (every model here is simulated)");
        return immediate(std::move(plan), r);
    }
    return immediate(std::move(plan), plainError(404, "404 page not found"));
}

SimStreamPlan SimRouter::listModels(const SimHttpRequest &request, SimStreamPlan plan, bool gemini, bool ollama) const
{
    const bool anthropic = !gemini && !ollama && request.hasHeader("anthropic-version");
    const Dialect dialect = ollama      ? Dialect::Ollama
                            : gemini    ? Dialect::Gemini
                            : anthropic ? Dialect::Anthropic
                                        : Dialect::OpenAIChat;
    plan.record.dialect = dialectName(dialect);
    SimEncodeContext ctx;
    const auto enc = SimEncoder::create(dialect, ctx);
    if (const auto authError = checkAuth(dialect, request))
        return immediate(std::move(plan), enc->error(*authError, {}));

    auto serves = [&](const SimPersona &p) {
        if (dialect == Dialect::OpenAIChat)
            return p.serves(Dialect::OpenAIChat) || p.serves(Dialect::OpenAIResponses);
        return p.serves(dialect);
    };
    constexpr qint64 created = 1'754'000'000; // a fixed date: listings are deterministic
    V data = V::array();
    for (const SimPersona &p : m_personas.all()) {
        if (!serves(p))
            continue;
        if (gemini) {
            V m = V::object();
            m["name"] = "models/" + p.id.toStdString();
            m["version"] = "001";
            m["displayName"] = p.label.toStdString();
            m["description"] = "Simulated by Slopscope";
            m["inputTokenLimit"] = 1048576;
            m["outputTokenLimit"] = 65536;
            m["supportedGenerationMethods"] = V::array({"generateContent", "countTokens", "streamGenerateContent"});
            m["thinking"] = p.thinkingTokens > 0;
            data.push_back(m);
        } else if (ollama) {
            V m = V::object();
            m["name"] = p.id.toStdString() + ":latest";
            m["model"] = p.id.toStdString() + ":latest";
            m["modified_at"] = SimTime::isoSeconds(created).toStdString() + "Z";
            m["size"] = 2019393189;
            m["digest"] = QByteArray::number(SimRandom::hash(p.id.toUtf8()), 16).repeated(4).left(64).toStdString();
            m["details"] = V{{"parent_model", ""},       {"format", "gguf"},
                             {"family", "llama"},        {"families", V::array({"llama"})},
                             {"parameter_size", "3.2B"}, {"quantization_level", "Q4_K_M"}};
            data.push_back(m);
        } else if (anthropic) {
            data.push_back(V{{"type", "model"},
                             {"id", p.id.toStdString()},
                             {"display_name", p.label.toStdString()},
                             {"created_at", SimTime::isoSeconds(created).toStdString() + "Z"}});
        } else {
            V m{{"id", p.id.toStdString()},
                {"object", "model"},
                {"created", created},
                {"owned_by", p.ownedBy.toStdString()}};
            const QByteArray one = request.path.mid(qsizetype(sizeof("/v1/models/") - 1));
            if (request.path.startsWith("/v1/models/")) {
                if (QString::fromUtf8(QByteArray::fromPercentEncoding(one)) == p.id)
                    return immediate(std::move(plan), jsonResponse(m, SimJson::Style::Pretty2));
                continue;
            }
            data.push_back(m);
        }
    }
    if (!gemini && !ollama && !anthropic && request.path.startsWith("/v1/models/")) {
        SimEncodeContext missing;
        missing.model = QString::fromUtf8(QByteArray::fromPercentEncoding(request.path.mid(11)));
        return immediate(std::move(plan),
                         SimEncoder::create(Dialect::OpenAIChat, missing)->error(SimErrorKind::ModelNotFound, {}));
    }
    if (gemini)
        return immediate(std::move(plan), jsonResponse(V{{"models", data}}, SimJson::Style::Pretty2));
    if (ollama)
        return immediate(std::move(plan), jsonResponse(V{{"models", data}}, SimJson::Style::Compact));
    if (anthropic) {
        V body = V::object();
        body["data"] = data;
        body["has_more"] = false;
        body["first_id"] = data.empty() ? V(nullptr) : data.front()["id"];
        body["last_id"] = data.empty() ? V(nullptr) : data.back()["id"];
        return immediate(std::move(plan), jsonResponse(body, SimJson::Style::Compact));
    }
    return immediate(std::move(plan), jsonResponse(V{{"object", "list"}, {"data", data}}, SimJson::Style::Pretty2));
}

SimStreamPlan SimRouter::upFrontFault(const SimFault &fault, SimEncoder &encoder, const SimHttpRequest &request,
                                      SimStreamPlan plan) const
{
    // `encoder` belongs to `plan`: build the response before the plan moves.
    SimHttpResponse response;
    switch (fault.kind) {
    case SimFault::Kind::RateLimit:
        response = encoder.error(SimErrorKind::RateLimited, {}, fault);
        return immediate(std::move(plan), response);
    case SimFault::Kind::ServerError:
        response = encoder.error(SimErrorKind::ServerError, {}, fault);
        return immediate(std::move(plan), response);
    case SimFault::Kind::Overloaded:
        response = encoder.error(SimErrorKind::Overloaded, {}, fault);
        return immediate(std::move(plan), response);
    case SimFault::Kind::Html502: {
        SimHttpResponse r;
        r.status = 502;
        r.headers = {{"content-type", "text/html"}, {"server", "nginx"}};
        r.body = kHtml502;
        return immediate(std::move(plan), r);
    }
    case SimFault::Kind::Redirect: {
        QByteArray host = request.header("host");
        if (host.startsWith('[')) // [::1]:port
            host = host.left(host.indexOf(']') + 1);
        else if (host.contains(':'))
            host = host.left(host.lastIndexOf(':'));
        if (host.isEmpty())
            host = "127.0.0.1";
        const int port = fault.port > 0 ? fault.port : m_port;
        QByteArray location = "http://" + host + ':' + QByteArray::number(port) + request.path;
        if (!request.query.isEmpty())
            location += '?' + request.query;
        SimHttpResponse r;
        r.status = fault.status;
        r.headers = {{"location", location}, {"content-type", "text/plain; charset=utf-8"}};
        r.body = "Redirecting to " + location + '\n';
        return immediate(std::move(plan), r);
    }
    default:
        return plan;
    }
}

SimStreamPlan SimRouter::generate(Dialect dialect, const SimHttpRequest &request, const QString &pathModel,
                                  bool pathStreams, SimStreamPlan plan, qint64 wallStartNs)
{
    plan.record.dialect = dialectName(dialect);
    SimEncodeContext ctx;
    ctx.model = pathModel;
    ctx.createdSecs = wallStartNs / 1'000'000'000;
    ctx.wallStartNs = wallStartNs;
    auto fail = [&](SimErrorKind kind, const QString &detail, const SimFault &fault = {}) {
        return immediate(std::move(plan), SimEncoder::create(dialect, ctx)->error(kind, detail, fault));
    };

    if (const auto authError = checkAuth(dialect, request))
        return fail(*authError, {});
    auto parsed = SimChatRequest::parse(dialect, request.body, pathModel, pathStreams);
    if (!parsed)
        return fail(SimErrorKind::InvalidRequest, parsed.error());
    const SimChatRequest &chat = parsed.value();
    ctx.model = chat.model;
    plan.record.model = chat.model;
    plan.record.stream = chat.stream;

    QString lookup = chat.model;
    if (dialect == Dialect::Ollama && lookup.endsWith(u":latest"))
        lookup.chop(7);
    const SimPersona *persona = m_personas.find(lookup);
    if (!persona || !persona->serves(dialect))
        return fail(SimErrorKind::ModelNotFound, {});

    // The fault: the header wins ("none" switches persona faults off for this request).
    SimFault fault;
    const QByteArray faultHeader = request.header("x-sim-fault");
    const bool faultHeaderGiven = !faultHeader.isEmpty();
    if (faultHeaderGiven) {
        auto f = SimFault::parse(QString::fromUtf8(faultHeader));
        if (!f)
            return fail(SimErrorKind::InvalidRequest, QStringLiteral("x-sim-fault: ") + f.error());
        fault = f.value();
    }

    // Seeds: persona, prompt, variant and repeat. Without x-sim-repeat the n-th identical
    // request is repeat n; with it, the n-th identical one is attempt n (for fault draws).
    const QString variant = QString::fromUtf8(request.header("x-sim-variant")).left(200);
    const QByteArray repeatHeader =
        request.hasHeader("x-sim-repeat") ? request.header("x-sim-repeat") : request.header("x-slopscope-repeat");
    bool repeatOk = false;
    const int repeatGiven = repeatHeader.toInt(&repeatOk);
    const QByteArray occurrenceKey = persona->id.toUtf8() + '\0' + chat.prompt.toUtf8() + '\0' + variant.toUtf8() +
                                     '\0' + (repeatOk ? repeatHeader : QByteArray("-"));
    if (m_occurrences.size() > 100'000)
        m_occurrences.clear();
    const int occurrence = m_occurrences[QByteArray::number(SimRandom::hash(occurrenceKey), 16)]++;
    const int repeat = repeatOk ? std::max(repeatGiven, 0) : occurrence;
    const int attempt = repeatOk ? occurrence : 0;
    const quint64 seed = SimAnswerer::seedFor(persona->id, chat.prompt, variant, repeat);
    plan.record.repeat = repeat;
    plan.record.attempt = attempt;

    if (!faultHeaderGiven && m_personaFaults && !persona->faults.isEmpty()) {
        const QByteArray faultTag = "fault" + QByteArray::number(attempt);
        SimRandom rng(SimRandom::derive(seed, faultTag));
        for (const SimFaultRule &rule : persona->faults) {
            if (rng.uniform() < rule.probability) {
                fault = rule.fault;
                break;
            }
        }
    }
    plan.record.fault = fault.toString();

    // The answer.
    const bool thinkingOn = persona->thinkingTokens > 0 && (!persona->thinkingOnRequest || chat.thinkingRequested);
    SimQuery query;
    query.persona = persona;
    query.prompt = chat.prompt;
    query.variant = variant;
    query.repeat = repeat;
    query.thinking = thinkingOn;
    query.tools = chat.tools;
    query.toolChoice = chat.toolChoice;
    query.parallelToolCalls = chat.parallelToolCalls;
    if (chat.answersToolResult())
        query.toolResult = chat.messages.last();
    bool tokensOk = false;
    const int requested = request.header("x-sim-tokens").toInt(&tokensOk);
    if (tokensOk && requested > 0)
        query.requestedTokens = requested;
    SimAnswer answer = m_answerer.answer(query);

    bool visible = false;
    switch (dialect) {
    case Dialect::OpenAIChat:
        visible = persona->thinkingVisible;
        break;
    case Dialect::OpenAIResponses:
        visible = false;
        break;
    case Dialect::Anthropic:
        visible = true;
        break;
    case Dialect::Gemini:
        visible = chat.thinkingRequested;
        break;
    case Dialect::Ollama:
        visible = persona->thinkingVisible || chat.thinkingRequested;
        break;
    }
    plan.reasoningVisible = visible && !answer.reasoningPieces.isEmpty();
    plan.finish = SimFinish::Stop;
    if (chat.maxTokens && answer.answerPieces.size() > *chat.maxTokens) {
        answer.answerPieces.resize(*chat.maxTokens);
        answer.text = answer.answerPieces.join();
        plan.finish = SimFinish::Length;
    }

    ctx.model = dialect == Dialect::Ollama ? chat.model : persona->reportedModel();
    ctx.seed = answer.seed; // the attempt only changes fault draws, never the bytes
    ctx.inputTokens = std::max(SimTokenizer::count(chat.allText.toUtf8()), 1);
    ctx.reasoningTokens = static_cast<int>(answer.reasoningPieces.size());
    ctx.reasoningVisible = plan.reasoningVisible;
    ctx.includeUsage = chat.includeUsage;
    ctx.includeObfuscation = chat.includeObfuscation;
    ctx.instructions = chat.instructions;
    ctx.sealReasoning = chat.encryptedReasoningRequested;
    plan.record.reasoningItemsCarried = static_cast<int>(
        std::accumulate(chat.messages.cbegin(), chat.messages.cend(), qsizetype(0),
                        [](qsizetype n, const ChatMessage &m) { return n + m.reasoningItems.size(); }));
    ctx.maxTokens = chat.maxTokens;
    ctx.temperature = chat.temperature;
    // A call cut off by max_tokens would be half a call: a truncated answer makes none.
    if (plan.finish == SimFinish::Stop)
        ctx.toolCalls = answer.toolCalls;
    plan.encoder = SimEncoder::create(dialect, ctx);

    if (fault.isUpFront()) {
        SimEncoder &encoder = *plan.encoder; // taken before the plan moves into the call
        return upFrontFault(fault, encoder, request, std::move(plan));
    }

    // Timing: a log-normal time to first token around the persona's median, then one token per
    // 1/rate seconds; hidden reasoning tokens take their slots before the first visible one.
    SimRandom ttftRng(SimRandom::derive(seed, "ttft"));
    const double ttftMs =
        std::clamp(persona->ttftMedianMs * std::exp(persona->ttftSpread * ttftRng.normal()), 0.0, 600'000.0);
    plan.firstSlotNs = plan.startNs + static_cast<qint64>(ttftMs * 1e6);
    plan.intervalNs = std::max<qint64>(static_cast<qint64>(1e9 / persona->tokensPerSecond), 1);
    plan.inputTokens = ctx.inputTokens;
    plan.reasoningText = answer.reasoning;
    plan.answerText = answer.text;
    plan.reasoningPieces = std::move(answer.reasoningPieces);
    plan.answerPieces = std::move(answer.answerPieces);
    plan.fault = fault;
    plan.mode = chat.stream ? SimStreamPlan::Mode::Stream : SimStreamPlan::Mode::Whole;
    if (fault.kind == SimFault::Kind::JsonBody)
        plan.mode = SimStreamPlan::Mode::Whole;
    else if (fault.kind == SimFault::Kind::Trickle && chat.stream)
        plan.mode = SimStreamPlan::Mode::Trickle;

    SimRecord &r = plan.record;
    r.status = 200;
    r.tokensPerSecond = persona->tokensPerSecond;
    r.inputTokens = plan.inputTokens;
    r.reasoningTokens = static_cast<int>(plan.reasoningPieces.size());
    r.outputTokens = r.reasoningTokens + static_cast<int>(plan.answerPieces.size());
    r.answerKind = SimAnswer::kindName(answer.kind);
    r.suite = answer.suite;
    r.caseId = answer.caseId;
    if (!answer.caseId.isEmpty())
        r.form = answer.canonical ? QStringLiteral("canonical") : QStringLiteral("paraphrase");
    r.judgeScore = answer.judgeScore;
    r.text = QString::fromUtf8(plan.answerText);
    return plan;
}

} // namespace Slopscope
