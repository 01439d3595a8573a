#include "core/Workspace.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QtNetwork/qtnetworkglobal.h>
#include <QUrl>
#if QT_CONFIG(ssl)
#include <QSslCertificate>
#endif

#include <algorithm>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct WorkspaceTr
{
    Q_DECLARE_TR_FUNCTIONS(Workspace)
};

constexpr int kMaxTokensLimit = 10'000'000;

std::optional<double> optionalPrice(Json::ObjectReader &reader, const char *key)
{
    if (!reader.has(key))
        return std::nullopt;
    // Negative prices are refused by Workspace::targetProblem.
    return reader.number(key, true);
}

// "" and "none" are always fine; anything else must be a proxy URL without credentials.
QString proxyProblem(const QString &proxy, const QString &field)
{
    if (proxy.isEmpty() || proxy.compare(u"none", Qt::CaseInsensitive) == 0)
        return {};
    // Checked fully (scheme, host) when a run starts; credentials are refused here already,
    // since a workspace file is shared and committed, and the value must not be echoed.
    const QUrl proxyUrl(proxy.contains(u"://") ? proxy : QStringLiteral("http://") + proxy);
    if (!proxyUrl.isValid() || proxyUrl.host().isEmpty())
        return WorkspaceTr::tr("%1: not a proxy URL (expected \"none\" or http://host:port)").arg(field);
    if (!proxyUrl.userInfo().isEmpty())
        return WorkspaceTr::tr("%1: proxy credentials are secrets and are not read from workspace files; set them in "
                               "https_proxy (http://user:password@host:port)")
            .arg(field);
    return {};
}

// RFC 9110 token characters: anything else would be refused or mangled by the HTTP stack, and a
// line break in a value could smuggle in a header of its own.
bool isHeaderName(const QString &name)
{
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    return token.match(name).hasMatch();
}

QString checkHeaders(const ProviderConfig &provider, const QString &path)
{
    const QString field = path + QStringLiteral(".headers");
    // Sorted, so the same workspace always reports the same header first.
    QStringList names = provider.headers.keys();
    names.sort(Qt::CaseInsensitive);
    for (const QString &name : std::as_const(names)) {
        if (!isHeaderName(name))
            return WorkspaceTr::tr("%1: \"%2\" is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                .arg(field, name);
        const QString value = provider.headers.value(name);
        if (value.contains(u'\r') || value.contains(u'\n') || value.contains(QChar(0)))
            return WorkspaceTr::tr("%1.%2: a header value cannot contain a line break").arg(field, name);
    }
    QStringList secrets = provider.secretHeaders.keys();
    secrets.sort(Qt::CaseInsensitive);
    for (const QString &name : std::as_const(secrets)) {
        if (!isHeaderName(name))
            return WorkspaceTr::tr("%1: \"%2\" is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                .arg(field, name);
        if (provider.secretHeaders.value(name).trimmed().isEmpty())
            return WorkspaceTr::tr("%1.%2: name the keychain entry or environment variable that holds the value")
                .arg(field, name);
        // Header names are case-insensitive: both would be sent, and which one wins is the server's guess.
        for (const QString &plain : std::as_const(names)) {
            if (plain.compare(name, Qt::CaseInsensitive) == 0)
                return WorkspaceTr::tr("%1.%2: is both a plain and a secret header; keep one").arg(field, name);
        }
    }
    return {};
}

bool parseProvider(const nlohmann::json &node, const QString &path, ProviderConfig &out, QString *error)
{
    if (!node.is_object()) {
        *error = WorkspaceTr::tr("%1: expected an object").arg(path);
        return false;
    }
    Json::ObjectReader r(node, path, error);
    if (r.has("api_key") || r.has("key")) {
        r.fail(WorkspaceTr::tr("%1: API keys are never read from workspace files; name an environment variable with "
                               "\"api_key_env\" or store the key in the keychain")
                   .arg(path));
        return false;
    }
    if (!Json::onlyKnownKeys(node, path,
                             {"id", "dialect", "base_url", "api_key_env", "max_concurrency", "allow_insecure_key",
                              "simulated", "timeouts", "retry", "headers", "ca_file", "proxy"},
                             error))
        return false;
    out.id = r.string("id", true);
    const QString dialect = r.string("dialect", true);
    if (const auto d = dialectFromName(dialect)) {
        out.dialect = *d;
    } else if (!r.failed()) {
        r.fail(WorkspaceTr::tr(
                   "%1: unknown dialect \"%2\" (expected openai-chat, openai-responses, anthropic, gemini or ollama)")
                   .arg(r.fieldPath("dialect"), dialect));
    }
    out.baseUrl = r.string("base_url", true);
    if (!r.failed()) {
        if (const QString problem = Workspace::providerProblem(out, path); !problem.isEmpty())
            r.fail(problem);
    }
    out.apiKeyEnv = r.string("api_key_env", false);
    out.maxConcurrency = r.integer("max_concurrency", false, out.maxConcurrency, 1, 1024);
    out.allowInsecureKey = r.boolean("allow_insecure_key", false, false);
    out.caFile = r.string("ca_file", false);
    out.proxy = r.string("proxy", false).trimmed();
    if (!r.failed()) {
        if (const QString problem = proxyProblem(out.proxy, r.fieldPath("proxy")); !problem.isEmpty())
            r.fail(problem);
    }
    out.simulated = r.boolean("simulated", false, out.baseUrl.startsWith(u"{simulator}"));
    if (const auto *timeouts = r.child("timeouts", nlohmann::json::value_t::object, false)) {
        if (!Json::onlyKnownKeys(
                *timeouts, r.fieldPath("timeouts"),
                {"connect_ms", "first_byte_ms", "first_token_ms", "idle_ms", "content_idle_ms", "total_ms"}, error))
            return false;
        Json::ObjectReader t(*timeouts, r.fieldPath("timeouts"), error);
        constexpr int maxMs = 24 * 3600 * 1000;
        out.timeouts.connectMs = t.integer("connect_ms", false, out.timeouts.connectMs, 1, maxMs);
        out.timeouts.firstByteMs = t.integer("first_byte_ms", false, out.timeouts.firstByteMs, 1, maxMs);
        out.timeouts.firstTokenMs = t.integer("first_token_ms", false, out.timeouts.firstTokenMs, 1, maxMs);
        out.timeouts.idleMs = t.integer("idle_ms", false, out.timeouts.idleMs, 1, maxMs);
        out.timeouts.contentIdleMs = t.integer("content_idle_ms", false, out.timeouts.contentIdleMs, 1, maxMs);
        out.timeouts.totalMs = t.integer("total_ms", false, out.timeouts.totalMs, 1, maxMs);
    }
    if (const auto *retry = r.child("retry", nlohmann::json::value_t::object, false)) {
        if (!Json::onlyKnownKeys(*retry, r.fieldPath("retry"), {"max_retries"}, error))
            return false;
        Json::ObjectReader t(*retry, r.fieldPath("retry"), error);
        out.maxRetries = t.integer("max_retries", false, out.maxRetries, 0, 20);
    }
    if (const auto *headers = r.child("headers", nlohmann::json::value_t::object, false)) {
        for (auto it = headers->begin(); it != headers->end(); ++it) {
            const QString name = Json::toQString(it.key());
            const auto &value = it.value();
            if (value.is_string()) {
                out.headers.insert(name, Json::toQString(value.get<std::string>()));
                continue;
            }
            const auto secret = value.is_object() && value.size() == 1 ? value.find("secret") : value.end();
            if (secret == value.end() || !secret->is_string() || secret->get<std::string>().empty()) {
                r.fail(WorkspaceTr::tr(
                           "%1.%2: expected a string, or {\"secret\": \"NAME\"} naming an environment variable "
                           "or keychain entry that holds the value")
                           .arg(r.fieldPath("headers"), name));
                break;
            }
            out.secretHeaders.insert(name, Json::toQString(secret->get<std::string>()));
        }
        if (!r.failed()) {
            if (const QString problem = checkHeaders(out, path); !problem.isEmpty())
                r.fail(problem);
        }
    }
    return !r.failed();
}

// Reads a provider's "ca_file" (relative to the workspace's folder): a missing, oversized or
// certificate-less file is an error naming it, never a silently narrower or wider trust.
bool loadCertificateAuthorities(ProviderConfig &provider, const QString &baseDir, const QString &path, QString *error)
{
    if (provider.caFile.isEmpty())
        return true;
    provider.caFile = QDir::cleanPath(QDir(baseDir).absoluteFilePath(provider.caFile));
    auto pem = Workspace::readCertificateAuthorities(provider.caFile);
    if (!pem.ok()) {
        *error = path + QStringLiteral(".ca_file: ") + pem.error();
        return false;
    }
    provider.caCertificates = std::move(pem).value();
    return true;
}

bool parseTarget(const nlohmann::json &node, const QString &path, qsizetype index, TargetConfig &out, QString *error)
{
    if (!node.is_object()) {
        *error = WorkspaceTr::tr("%1: expected an object").arg(path);
        return false;
    }
    if (!Json::onlyKnownKeys(node, path, {"id", "label", "provider", "model", "color", "price", "params"}, error))
        return false;
    Json::ObjectReader r(node, path, error);
    out.id = r.string("id", true);
    out.providerId = r.string("provider", true);
    out.model = r.string("model", true);
    out.label = r.string("label", false, out.id);
    const QString color = r.string("color", false);
    out.color = color.isEmpty() ? Workspace::paletteColor(index) : color;
    if (const auto *price = r.child("price", nlohmann::json::value_t::object, false)) {
        if (!Json::onlyKnownKeys(*price, r.fieldPath("price"),
                                 {"input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok",
                                  "reasoning_per_mtok"},
                                 error))
            return false;
        Json::ObjectReader p(*price, r.fieldPath("price"), error);
        out.price.inputPerMTok = optionalPrice(p, "input_per_mtok");
        out.price.outputPerMTok = optionalPrice(p, "output_per_mtok");
        out.price.cachedInputPerMTok = optionalPrice(p, "cached_input_per_mtok");
        out.price.cacheWritePerMTok = optionalPrice(p, "cache_write_per_mtok");
        out.price.reasoningPerMTok = optionalPrice(p, "reasoning_per_mtok");
    }
    if (const auto *params = r.child("params", nlohmann::json::value_t::object, false)) {
        if (!Json::onlyKnownKeys(*params, r.fieldPath("params"), {"temperature", "max_tokens", "reasoning_effort"},
                                 error))
            return false;
        Json::ObjectReader p(*params, r.fieldPath("params"), error);
        if (p.has("temperature"))
            out.params.temperature = p.number("temperature", true);
        if (p.has("max_tokens"))
            out.params.maxTokens = p.integer("max_tokens", true, 0, 1, kMaxTokensLimit);
        out.params.reasoningEffort = p.string("reasoning_effort", false);
    }
    if (!r.failed()) {
        if (const QString problem = Workspace::targetProblem(out, path); !problem.isEmpty())
            r.fail(problem);
    }
    return !r.failed();
}

} // namespace

std::optional<Dialect> dialectFromName(const QString &name)
{
    if (name == u"openai-chat")
        return Dialect::OpenAIChat;
    if (name == u"openai-responses")
        return Dialect::OpenAIResponses;
    if (name == u"anthropic")
        return Dialect::Anthropic;
    if (name == u"gemini")
        return Dialect::Gemini;
    if (name == u"ollama")
        return Dialect::Ollama;
    return std::nullopt;
}

QString dialectName(Dialect dialect)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
        return QStringLiteral("openai-chat");
    case Dialect::OpenAIResponses:
        return QStringLiteral("openai-responses");
    case Dialect::Anthropic:
        return QStringLiteral("anthropic");
    case Dialect::Gemini:
        return QStringLiteral("gemini");
    case Dialect::Ollama:
        return QStringLiteral("ollama");
    }
    return {};
}

// A palette that stays distinguishable for the first dozen targets (Okabe-Ito first, then Tableau).
QString Workspace::paletteColor(qsizetype index)
{
    static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
                                          "#F0E442", "#000000", "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22"};
    constexpr qsizetype count = sizeof(palette) / sizeof(palette[0]);
    return QString::fromLatin1(palette[std::max<qsizetype>(index, 0) % count]);
}

QString Workspace::providerProblem(const ProviderConfig &provider, const QString &path)
{
    if (provider.id.trimmed().isEmpty())
        return WorkspaceTr::tr("%1.id: a provider needs an id").arg(path);
    const QString resolved =
        QString(provider.baseUrl).replace(QStringLiteral("{simulator}"), QStringLiteral("http://127.0.0.1:1"));
    const QUrl url(resolved, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return WorkspaceTr::tr("%1: \"%2\" is not an http(s) URL")
            .arg(path + QStringLiteral(".base_url"), provider.baseUrl);
    // The loader reads the proxy and headers after this check; an edit in the GUI is held to them here.
    if (QString problem = proxyProblem(provider.proxy.trimmed(), path + QStringLiteral(".proxy")); !problem.isEmpty())
        return problem;
    return checkHeaders(provider, path);
}

QString Workspace::headersProblem(const ProviderConfig &provider, const QString &path)
{
    return checkHeaders(provider, path);
}

Result<QByteArray> Workspace::readCertificateAuthorities(const QString &path)
{
    QFile file(path);
    constexpr qint64 maxBytes = 1024 * 1024;
    if (!file.open(QIODevice::ReadOnly))
        return Error{WorkspaceTr::tr("cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    if (file.size() > maxBytes)
        return Error{
            WorkspaceTr::tr("%1 is larger than 1 MB; expected PEM certificates").arg(QDir::toNativeSeparators(path))};
    QByteArray pem = file.readAll();
#if QT_CONFIG(ssl)
    if (QSslCertificate::fromData(pem, QSsl::Pem).isEmpty())
        return Error{WorkspaceTr::tr("%1 holds no PEM certificate").arg(QDir::toNativeSeparators(path))};
#endif
    return pem;
}

QString Workspace::targetProblem(const TargetConfig &target, const QString &path)
{
    if (target.id.trimmed().isEmpty())
        return WorkspaceTr::tr("%1.id: a target needs an id").arg(path);
    if (target.model.trimmed().isEmpty())
        return WorkspaceTr::tr("%1.model: a target needs a model").arg(path);
    static const QRegularExpression hexColor(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    if (!hexColor.match(target.color).hasMatch())
        return WorkspaceTr::tr("%1: \"%2\" is not a colour of the form #rrggbb")
            .arg(path + QStringLiteral(".color"), target.color);
    const std::pair<const std::optional<double> *, const char *> prices[] = {
        {&target.price.inputPerMTok, "input_per_mtok"},
        {&target.price.outputPerMTok, "output_per_mtok"},
        {&target.price.cachedInputPerMTok, "cached_input_per_mtok"},
        {&target.price.cacheWritePerMTok, "cache_write_per_mtok"},
        {&target.price.reasoningPerMTok, "reasoning_per_mtok"}};
    for (const auto &[price, key] : prices) {
        if (*price && **price < 0)
            return WorkspaceTr::tr("%1: a price cannot be negative")
                .arg(path + QStringLiteral(".price.") + QString::fromLatin1(key));
    }
    if (const auto t = target.params.temperature; t && (*t < 0 || *t > 2))
        return WorkspaceTr::tr("%1: temperature must be between 0 and 2")
            .arg(path + QStringLiteral(".params.temperature"));
    if (const auto m = target.params.maxTokens; m && (*m < 1 || *m > kMaxTokensLimit))
        return WorkspaceTr::tr("%1.params.max_tokens: must be between 1 and %2").arg(path).arg(kMaxTokensLimit);
    return {};
}

Status Workspace::addProvider(const ProviderConfig &provider)
{
    const QString path = QStringLiteral("providers[%1]").arg(providers.size());
    if (const QString problem = providerProblem(provider, path); !problem.isEmpty())
        return Error{problem};
    if (this->provider(provider.id))
        return Error{WorkspaceTr::tr("%1.id: duplicate provider id \"%2\"").arg(path, provider.id)};
    providers.append(provider);
    return {};
}

Status Workspace::addTarget(const TargetConfig &target)
{
    const QString path = QStringLiteral("targets[%1]").arg(targets.size());
    if (const QString problem = targetProblem(target, path); !problem.isEmpty())
        return Error{problem};
    if (this->target(target.id))
        return Error{WorkspaceTr::tr("%1.id: duplicate target id \"%2\"").arg(path, target.id)};
    if (!provider(target.providerId))
        return Error{WorkspaceTr::tr("%1.provider: no provider with id \"%2\"").arg(path, target.providerId)};
    targets.append(target);
    return {};
}

Status Workspace::removeTarget(const QString &id)
{
    const auto it = std::find_if(targets.begin(), targets.end(), [&id](const TargetConfig &t) { return t.id == id; });
    if (it == targets.end())
        return Error{WorkspaceTr::tr("No target with id \"%1\"").arg(id)};
    targets.erase(it);
    return {};
}

QString Workspace::bypassEntryProblem(const QString &entry, const QString &path)
{
    if (entry.trimmed().isEmpty())
        return WorkspaceTr::tr("%1: an empty entry").arg(path);
    for (const QChar c : entry.trimmed()) {
        if (c.isSpace() || c == u',')
            return WorkspaceTr::tr("%1: \"%2\" is one host, suffix, address or block (no spaces or commas)")
                .arg(path, entry);
    }
    return {};
}

bool ProviderConfig::usesEmbeddedSimulator() const
{
    return baseUrl.startsWith(u"{simulator}");
}

QStringList ProviderConfig::secretNames() const
{
    QStringList names;
    if (!apiKeyEnv.isEmpty())
        names.append(apiKeyEnv);
    for (const QString &name : secretHeaders) {
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

const ProviderConfig *Workspace::provider(const QString &id) const
{
    for (const auto &p : providers) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

const TargetConfig *Workspace::target(const QString &id) const
{
    for (const auto &t : targets) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

Result<Workspace> Workspace::fromJson(const QByteArray &bytes, const QString &sourceName)
{
    auto parsed = Json::parse(bytes, sourceName);
    if (!parsed)
        return Error{parsed.error()};
    const nlohmann::json &root = parsed.value();
    if (!root.is_object())
        return Error{WorkspaceTr::tr("%1: a workspace must be a JSON object").arg(sourceName)};

    QString error;
    Workspace ws;
    if (!Json::onlyKnownKeys(root, QString(), {"name", "providers", "targets", "no_proxy"}, &error))
        return Json::located(bytes, sourceName, error);
    Json::ObjectReader r(root, QString(), &error);
    ws.name = r.string("name", false, QFileInfo(sourceName).completeBaseName());
    const auto *providers = r.child("providers", nlohmann::json::value_t::array, true);
    const auto *targets = r.child("targets", nlohmann::json::value_t::array, true);
    const auto *noProxy = r.child("no_proxy", nlohmann::json::value_t::array, false);
    if (!error.isEmpty())
        return Json::located(bytes, sourceName, error);
    for (std::size_t i = 0; noProxy && i < noProxy->size(); ++i) {
        const QString path = QStringLiteral("no_proxy[%1]").arg(i);
        const nlohmann::json &entry = noProxy->at(i);
        if (!entry.is_string())
            return Json::located(bytes, sourceName, WorkspaceTr::tr("%1: expected a string").arg(path));
        const QString text = Json::toQString(entry.get<std::string>()).trimmed();
        if (const QString problem = bypassEntryProblem(text, path); !problem.isEmpty())
            return Json::located(bytes, sourceName, problem);
        ws.noProxy.append(text);
    }

    QSet<QString> providerIds;
    for (std::size_t i = 0; i < providers->size(); ++i) {
        ProviderConfig p;
        const QString path = QStringLiteral("providers[%1]").arg(i);
        if (!parseProvider(providers->at(i), path, p, &error) ||
            !loadCertificateAuthorities(p, QFileInfo(sourceName).absolutePath(), path, &error))
            return Json::located(bytes, sourceName, error);
        if (providerIds.contains(p.id))
            return Json::located(bytes, sourceName,
                                 WorkspaceTr::tr("%1.id: duplicate provider id \"%2\"").arg(path, p.id));
        providerIds.insert(p.id);
        ws.providers.append(std::move(p));
    }
    QSet<QString> targetIds;
    for (std::size_t i = 0; i < targets->size(); ++i) {
        TargetConfig t;
        const QString path = QStringLiteral("targets[%1]").arg(i);
        if (!parseTarget(targets->at(i), path, static_cast<qsizetype>(i), t, &error))
            return Json::located(bytes, sourceName, error);
        if (targetIds.contains(t.id))
            return Json::located(bytes, sourceName,
                                 WorkspaceTr::tr("%1.id: duplicate target id \"%2\"").arg(path, t.id));
        if (!providerIds.contains(t.providerId))
            return Json::located(bytes, sourceName,
                                 WorkspaceTr::tr("%1.provider: no provider with id \"%2\"").arg(path, t.providerId));
        targetIds.insert(t.id);
        ws.targets.append(std::move(t));
    }
    return ws;
}

Result<Workspace> Workspace::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{WorkspaceTr::tr("Cannot open workspace %1: %2").arg(path, file.errorString())};
    return fromJson(file.readAll(), path);
}

Workspace Workspace::demo()
{
    auto ws = fromFile(QStringLiteral(":/slopscope/demo/workspace.json"));
    // The bundled file is checked by the test suite; failing here is a packaging error.
    Q_ASSERT_X(ws.ok(), "Workspace::demo", qPrintable(ws.error()));
    return ws ? std::move(ws).value() : Workspace{};
}

} // namespace Slopscope
