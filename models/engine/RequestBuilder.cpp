#include "engine/RequestBuilder.h"

#include "core/Json.h"

#include "core/Version.h"
#include "engine/DialectMessages.h"
#include "engine/DialectToolChoice.h"
#include "engine/SecretSource.h"

#include <QHostAddress>
#include <QUrlQuery>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace Slopscope {

namespace {

using ojson = nlohmann::ordered_json;

// OpenAI's reasoning families (o1, o3, o4-mini, gpt-5 but not gpt-5-chat), as the AI SDK tells
// them apart to add the encrypted-reasoning include itself; a provider prefix ("openai/") is skipped.
bool isOpenAIReasoningModel(QString model)
{
    model = model.section(u'/', -1).toLower();
    if (model.startsWith(u"gpt-5"))
        return !model.startsWith(u"gpt-5-chat");
    return model.size() >= 2 && model[0] == u'o' && model[1].isDigit();
}

// Reasoning effort → a thinking budget, for the dialects that take a budget instead of a level.
std::optional<int> thinkingBudget(const QString &effort, bool gemini)
{
    if (effort == u"none" || effort == u"minimal")
        return effort == u"none" ? 0 : 1024;
    if (effort == u"low")
        return 1024;
    if (effort == u"medium")
        return gemini ? 8192 : 4096;
    if (effort == u"high")
        return gemini ? 24576 : 16384;
    return std::nullopt;
}

QString joinedSystem(const QList<ChatMessage> &messages)
{
    QStringList parts;
    for (const auto &m : messages) {
        if (m.role == u"system")
            parts.append(m.content);
    }
    return parts.join(u"\n\n");
}

void setHeader(QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &name, const QByteArray &value)
{
    const QByteArray lower = name.toLower();
    for (auto &h : headers) {
        if (h.first == lower) {
            h.second = value;
            return;
        }
    }
    headers.append(qMakePair(lower, value));
}

// By name, so a provider's own plain header (Azure APIM's ocp-apim-subscription-key, a gateway's
// x-portkey-api-key, a cookie) is treated as the credential it is: authorization,
// proxy-authorization, x-api-key, x-goog-api-key and api-key are all caught by "auth" and "key".
bool isCredentialHeader(const QByteArray &lowerName)
{
    return lowerName.contains("key") || lowerName.contains("auth") || lowerName.contains("token") ||
           lowerName.contains("secret") || lowerName.contains("password") || lowerName.contains("cookie");
}

// Query items that carry a credential: Gemini's "key", and the usual token names.
bool isCredentialQueryItem(const QString &name)
{
    const QString lower = name.toLower();
    return lower == u"sig" || lower == u"signature" || lower.contains(u"key") || lower.contains(u"token") ||
           lower.contains(u"secret") || lower.contains(u"password") || lower.contains(u"auth");
}

// Offered tools and the choice among them, in the dialect's shape; a request without tools sends
// no tool field at all.
void addTools(ojson &body, Dialect dialect, const ChatRequest &request)
{
    if (request.tools.isEmpty())
        return;
    body["tools"] = DialectMessages::tools(dialect, request.tools);
    DialectToolChoice::apply(body, dialect, request);
}

Result<QByteArray> buildBody(const ChatRequest &request, const ProviderConfig &provider, const QUrl &base)
{
    const TargetParams &p = request.params;
    ojson body = ojson::object();
    switch (provider.dialect) {
    case Dialect::OpenAIChat:
        body["model"] = Json::toStd(request.model);
        body["messages"] = DialectMessages::messages(provider.dialect, request.messages);
        addTools(body, provider.dialect, request);
        if (request.stream) {
            body["stream"] = true;
            body["stream_options"] = {{"include_usage", true}};
        }
        if (p.temperature)
            body["temperature"] = *p.temperature;
        if (p.maxTokens) {
            // OpenAI itself deprecated max_tokens (its reasoning models reject it); the compatible
            // servers all read max_tokens.
            const bool openai = base.host() == u"api.openai.com";
            body[openai ? "max_completion_tokens" : "max_tokens"] = *p.maxTokens;
        }
        if (!p.reasoningEffort.isEmpty())
            body["reasoning_effort"] = Json::toStd(p.reasoningEffort);
        break;
    case Dialect::OpenAIResponses:
        body["model"] = Json::toStd(request.model);
        body["input"] = DialectMessages::messages(provider.dialect, request.messages);
        addTools(body, provider.dialect, request);
        body["stream"] = request.stream;
        // Benchmark traffic should not be kept server-side for later retrieval.
        body["store"] = false;
        if (p.temperature)
            body["temperature"] = *p.temperature;
        if (p.maxTokens)
            body["max_output_tokens"] = *p.maxTokens;
        if (!p.reasoningEffort.isEmpty())
            body["reasoning"] = {{"effort", Json::toStd(p.reasoningEffort)}, {"summary", "auto"}};
        // With store:false a reasoning model's thinking survives a tool call only as sealed
        // reasoning items sent back; OpenAI rejects the include for models that do not reason.
        if (p.reasoningEffort != u"none" && (!p.reasoningEffort.isEmpty() || isOpenAIReasoningModel(request.model)))
            body["include"] = ojson::array({"reasoning.encrypted_content"});
        break;
    case Dialect::Anthropic: {
        body["model"] = Json::toStd(request.model);
        const int maxTokens = p.maxTokens.value_or(RequestBuilder::kAnthropicDefaultMaxTokens);
        body["max_tokens"] = maxTokens;
        const QString system = joinedSystem(request.messages);
        if (!system.isEmpty())
            body["system"] = Json::toStd(system);
        body["messages"] = DialectMessages::messages(provider.dialect, request.messages);
        addTools(body, provider.dialect, request);
        if (request.stream)
            body["stream"] = true;
        if (p.temperature)
            body["temperature"] = *p.temperature;
        if (!p.reasoningEffort.isEmpty()) {
            const auto budget = thinkingBudget(p.reasoningEffort, false);
            if (!budget)
                return Error{RequestBuilder::tr("Unknown reasoning effort \"%1\" (expected low, medium or high)")
                                 .arg(p.reasoningEffort)};
            if (*budget > 0) {
                // Anthropic counts thinking inside max_tokens and requires room for an answer.
                if (*budget >= maxTokens)
                    return Error{RequestBuilder::tr("Reasoning effort \"%1\" needs a thinking budget of %2 tokens, "
                                                    "but max_tokens is %3; raise max_tokens above %2")
                                     .arg(p.reasoningEffort)
                                     .arg(*budget)
                                     .arg(maxTokens)};
                // Anthropic refuses to force a tool while thinking; say so before sending.
                const auto choice = request.toolChoice ? request.toolChoice->mode : ToolChoice::Mode::Auto;
                if (!request.tools.isEmpty() &&
                    (choice == ToolChoice::Mode::Required || choice == ToolChoice::Mode::Function))
                    return Error{RequestBuilder::tr("Anthropic's extended thinking allows only tool_choice \"auto\" or "
                                                    "\"none\"; drop reasoning effort \"%1\" or the forced tool choice")
                                     .arg(p.reasoningEffort)};
                body["thinking"] = {{"type", "enabled"}, {"budget_tokens", *budget}};
            }
        }
        break;
    }
    case Dialect::Gemini: {
        body["contents"] = DialectMessages::messages(provider.dialect, request.messages);
        addTools(body, provider.dialect, request);
        const QString system = joinedSystem(request.messages);
        if (!system.isEmpty())
            body["systemInstruction"] = {{"parts", ojson::array({{{"text", Json::toStd(system)}}})}};
        ojson config = ojson::object();
        if (p.temperature)
            config["temperature"] = *p.temperature;
        if (p.maxTokens)
            config["maxOutputTokens"] = *p.maxTokens;
        if (!p.reasoningEffort.isEmpty()) {
            const auto budget = thinkingBudget(p.reasoningEffort, true);
            if (!budget)
                return Error{RequestBuilder::tr("Unknown reasoning effort \"%1\" (expected low, medium or high)")
                                 .arg(p.reasoningEffort)};
            config["thinkingConfig"] = {{"thinkingBudget", *budget}, {"includeThoughts", *budget > 0}};
        }
        if (!config.empty())
            body["generationConfig"] = std::move(config);
        break;
    }
    case Dialect::Ollama: {
        body["model"] = Json::toStd(request.model);
        body["messages"] = DialectMessages::messages(provider.dialect, request.messages);
        addTools(body, provider.dialect, request);
        body["stream"] = request.stream;
        ojson options = ojson::object();
        if (p.temperature)
            options["temperature"] = *p.temperature;
        if (p.maxTokens)
            options["num_predict"] = *p.maxTokens;
        if (!options.empty())
            body["options"] = std::move(options);
        if (!p.reasoningEffort.isEmpty())
            body["think"] = p.reasoningEffort != u"none";
        break;
    }
    }
    const std::string text = body.dump();
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

QString endpointPath(const ChatRequest &request, Dialect dialect)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
        return QStringLiteral("/chat/completions");
    case Dialect::OpenAIResponses:
        return QStringLiteral("/responses");
    case Dialect::Anthropic:
        return QStringLiteral("/v1/messages");
    case Dialect::Gemini: {
        QString model = request.model;
        if (model.startsWith(u"models/"))
            model = model.mid(7);
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(model, "-._~"));
        return u"/models/" + encoded + (request.stream ? u":streamGenerateContent" : u":generateContent");
    }
    case Dialect::Ollama:
        return QStringLiteral("/api/chat");
    }
    return {};
}

} // namespace

bool RequestBuilder::isLoopbackHost(const QString &host)
{
    const QString h = host.toLower();
    if (h == u"localhost" || h.endsWith(u".localhost"))
        return true;
    const QHostAddress address(h);
    return !address.isNull() && address.isLoopback();
}

Result<QUrl> RequestBuilder::baseUrl(const ProviderConfig &provider, const QString &simulatorBaseUrl)
{
    QString text = provider.baseUrl.trimmed();
    if (provider.usesEmbeddedSimulator()) {
        if (simulatorBaseUrl.isEmpty())
            return Error{tr("Provider %1 uses the embedded simulator, which is not running").arg(provider.id)};
        text.replace(QStringLiteral("{simulator}"), simulatorBaseUrl);
    }
    while (text.endsWith(u'/'))
        text.chop(1);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return Error{tr("Provider %1: \"%2\" is not an http(s) URL").arg(provider.id, provider.baseUrl)};
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return Error{tr("Provider %1: the base URL must not carry credentials, a query or a fragment; "
                        "keys belong in the keychain or an environment variable")
                         .arg(provider.id)};
    return url;
}

Result<SecretString> RequestBuilder::resolveKey(const ProviderConfig &provider, const SecretSource &secrets)
{
    if (provider.apiKeyEnv.isEmpty())
        return SecretString();
    if (auto key = secrets.secret(provider.apiKeyEnv)) {
        // The embedded simulator's address is not known here and needs no real key.
        if (!provider.usesEmbeddedSimulator()) {
            const QString host = QUrl(provider.baseUrl).host().toLower();
            if (const QString refusal = secrets.keyRefusal(provider.apiKeyEnv, host); !refusal.isEmpty())
                return Error{tr("Provider %1: %2").arg(provider.id, refusal)};
        }
        return std::move(*key);
    }
    return Error{
        tr("No API key for provider %1: set %2 in the environment or store it with \"slopscope-cli keys set %2\"")
            .arg(provider.id, provider.apiKeyEnv)};
}

Result<QList<QPair<QString, SecretString>>> RequestBuilder::resolveSecretHeaders(const ProviderConfig &provider,
                                                                                 const SecretSource &secrets)
{
    QList<QPair<QString, SecretString>> out;
    const QString host = QUrl(provider.baseUrl).host().toLower();
    for (auto it = provider.secretHeaders.cbegin(); it != provider.secretHeaders.cend(); ++it) {
        const auto value = secrets.secret(it.value());
        if (!value)
            return Error{tr("Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it "
                            "with \"slopscope-cli keys set %3\"")
                             .arg(provider.id, it.key(), it.value())};
        if (!provider.usesEmbeddedSimulator()) {
            if (const QString refusal = secrets.keyRefusal(it.value(), host); !refusal.isEmpty())
                return Error{tr("Provider %1: %2").arg(provider.id, refusal)};
        }
        out.append({it.key(), *value});
    }
    return out;
}

Result<PreparedRequest> RequestBuilder::build(const ChatRequest &request, const ProviderConfig &provider,
                                              const SecretString &apiKey, const QString &simulatorBaseUrl,
                                              const QList<QPair<QString, SecretString>> &secretHeaders)
{
    auto base = baseUrl(provider, simulatorBaseUrl);
    if (!base)
        return Error{base.error()};
    const QUrl &baseValue = base.value();
    if ((!apiKey.isEmpty() || !secretHeaders.isEmpty()) && baseValue.scheme() == u"http" &&
        !isLoopbackHost(baseValue.host()) && !provider.allowInsecureKey) {
        const QString what =
            !apiKey.isEmpty() ? tr("the API key") : tr("the secret header %1").arg(secretHeaders[0].first);
        return Error{tr("Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark "
                        "the provider \"allow_insecure_key\" if this network is trusted")
                         .arg(what, provider.id, baseValue.host())};
    }
    if (request.model.isEmpty())
        return Error{tr("Target %1 names no model").arg(request.targetId)};

    auto body = buildBody(request, provider, baseValue);
    if (!body)
        return Error{body.error()};

    PreparedRequest out;
    out.dialect = provider.dialect;
    out.stream = request.stream;
    out.body = std::move(body).value();
    QString urlText = baseValue.toString(QUrl::FullyEncoded) + endpointPath(request, provider.dialect);
    if (provider.dialect == Dialect::Gemini && request.stream)
        urlText += u"?alt=sse";
    out.url = QUrl(urlText, QUrl::StrictMode);
    out.caCertificates = provider.caCertificates;

    auto &h = out.headers;
    const auto add = [&h](const QByteArray &name, const QByteArray &value) { h.append(qMakePair(name, value)); };
    add("content-type", "application/json");
    if (!request.stream)
        add("accept", "application/json");
    else if (provider.dialect == Dialect::Ollama)
        add("accept", "application/x-ndjson");
    else
        add("accept", "text/event-stream");
    // Compression buffers a stream and delays the first token; measure the uncompressed stream.
    if (request.stream)
        add("accept-encoding", "identity");
    add("user-agent", QByteArray("Slopscope/") + kVersion);
    // The one place a key's bytes are revealed. The header values share their data with Qt's
    // QNetworkRequest later; PreparedRequest::wipeCredentials() wipes them once no one else holds them.
    const QByteArrayView key = apiKey.reveal();
    const auto bearer = [&key] { return QByteArray("Bearer ").append(key); };
    switch (provider.dialect) {
    case Dialect::OpenAIChat:
    case Dialect::OpenAIResponses:
        if (!key.isEmpty())
            add("authorization", bearer());
        break;
    case Dialect::Anthropic:
        if (!key.isEmpty())
            add("x-api-key", key.toByteArray());
        add("anthropic-version", "2023-06-01");
        break;
    case Dialect::Gemini:
        // In a header, never in the URL (?key=), so it cannot end up in logs or proxies.
        if (!key.isEmpty())
            add("x-goog-api-key", key.toByteArray());
        break;
    case Dialect::Ollama:
        // Ollama has no auth; a key configured anyway is for a reverse proxy in front of it.
        if (!key.isEmpty())
            add("authorization", bearer());
        break;
    }
    // The simulator counts identical requests as repeats unless told; a retry of the same repeat
    // must get the same answer. Real providers never see this header.
    if (provider.simulated || provider.usesEmbeddedSimulator())
        add("x-slopscope-repeat", QByteArray::number(std::max(0, request.repeat)));
    for (auto it = provider.headers.cbegin(); it != provider.headers.cend(); ++it)
        setHeader(h, it.key().toUtf8(), it.value().toUtf8());
    for (const auto &[name, value] : secretHeaders) {
        setHeader(h, name.toUtf8(), value.reveal().toByteArray());
        out.secretHeaderNames.append(name.toUtf8().toLower());
    }

    out.estimatedTokens = estimateTokens(request);
    return out;
}

qint64 RequestBuilder::estimateTokens(const ChatRequest &request)
{
    qint64 chars = 0;
    for (const auto &m : request.messages) {
        chars += m.content.size();
        for (const auto &c : m.toolCalls)
            chars += c.name.size() + c.arguments.size();
    }
    // Tool declarations count as prompt tokens too.
    for (const auto &t : request.tools)
        chars += t.name.size() + t.description.size() + qsizetype(t.parameters.dump().size());
    return chars / 4 + 1 + request.params.maxTokens.value_or(0);
}

namespace {

// The secret values a request carries, longest first so a key inside a longer value is not
// half-replaced. Shorter values are left alone: "***" over every "ab" would mangle any text.
QList<QByteArray> credentialValues(const PreparedRequest &request)
{
    constexpr qsizetype kShortest = 8;
    QList<QByteArray> values;
    for (const auto &h : request.headers) {
        if (!isCredentialHeader(h.first) && !request.secretHeaderNames.contains(h.first))
            continue;
        QByteArray value = h.second.trimmed();
        if (value.startsWith("Bearer "))
            value = value.mid(7).trimmed();
        if (value.size() >= kShortest && !values.contains(value))
            values.append(value);
    }
    const auto items = QUrlQuery(request.url).queryItems(QUrl::FullyDecoded);
    for (const auto &[name, text] : items) {
        const QByteArray value = text.toUtf8();
        if (isCredentialQueryItem(name) && value.size() >= kShortest && !values.contains(value))
            values.append(value);
    }
    std::sort(values.begin(), values.end(),
              [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    return values;
}

} // namespace

QString RequestBuilder::scrubCredentials(const PreparedRequest &request, QString text)
{
    for (const QByteArray &value : credentialValues(request))
        text.replace(QString::fromUtf8(value), QStringLiteral("***"));
    return text;
}

QByteArray RequestBuilder::scrubCredentials(const PreparedRequest &request, QByteArray bytes)
{
    for (const QByteArray &value : credentialValues(request))
        bytes.replace(value, "***");
    return bytes;
}

int RequestBuilder::wipeCredentials(PreparedRequest &request)
{
    int wiped = 0;
    for (auto &h : request.headers) {
        if (!isCredentialHeader(h.first) && !request.secretHeaderNames.contains(h.first))
            continue;
        // Writing into a shared value would detach it and wipe only the fresh copy.
        if (h.second.isEmpty() || !h.second.isDetached())
            continue;
        SecretString::wipe(h.second.data(), static_cast<std::size_t>(h.second.size()));
        ++wiped;
    }
    return wiped;
}

QList<QPair<QByteArray, QByteArray>> RequestBuilder::redactedHeaders(const PreparedRequest &request)
{
    auto headers = request.headers;
    for (auto &h : headers) {
        if (isCredentialHeader(h.first) || request.secretHeaderNames.contains(h.first))
            h.second = "***";
    }
    return headers;
}

QString RequestBuilder::redactedUrl(const QUrl &url)
{
    QUrl out = url;
    if (!out.password().isEmpty())
        out.setPassword(QStringLiteral("***"));
    if (out.hasQuery()) {
        QUrlQuery query(out);
        auto items = query.queryItems(QUrl::FullyDecoded);
        for (auto &[name, value] : items) {
            if (isCredentialQueryItem(name))
                value = QStringLiteral("***");
        }
        query.setQueryItems(items);
        out.setQuery(query);
    }
    return out.toString(QUrl::RemoveFragment);
}

} // namespace Slopscope
