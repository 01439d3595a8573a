#include "core/WorkspaceWriter.h"

#include "core/AtomicWrite.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Slopscope {

namespace {

struct WorkspaceWriterTr
{
    Q_DECLARE_TR_FUNCTIONS(Workspace)
};

using nlohmann::json;

std::string str(const QString &s)
{
    return s.toStdString();
}

json providerToJson(const ProviderConfig &p, const QString &baseDir)
{
    json o = json::object();
    o["id"] = str(p.id);
    o["dialect"] = str(dialectName(p.dialect));
    o["base_url"] = str(p.baseUrl);
    if (!p.apiKeyEnv.isEmpty())
        o["api_key_env"] = str(p.apiKeyEnv);
    const ProviderConfig defaults;
    if (p.maxConcurrency != defaults.maxConcurrency)
        o["max_concurrency"] = p.maxConcurrency;
    if (p.allowInsecureKey)
        o["allow_insecure_key"] = true;
    // The loader infers "simulated" from the {simulator} prefix; only a difference is written.
    if (p.simulated != p.usesEmbeddedSimulator())
        o["simulated"] = p.simulated;
    const Timeouts &t = p.timeouts;
    const Timeouts &d = defaults.timeouts;
    json timeouts = json::object();
    const std::pair<const char *, std::pair<int, int>> fields[] = {
        {"connect_ms", {t.connectMs, d.connectMs}},
        {"first_byte_ms", {t.firstByteMs, d.firstByteMs}},
        {"first_token_ms", {t.firstTokenMs, d.firstTokenMs}},
        {"idle_ms", {t.idleMs, d.idleMs}},
        {"content_idle_ms", {t.contentIdleMs, d.contentIdleMs}},
        {"total_ms", {t.totalMs, d.totalMs}}};
    for (const auto &[key, values] : fields) {
        if (values.first != values.second)
            timeouts[key] = values.first;
    }
    if (!timeouts.empty())
        o["timeouts"] = std::move(timeouts);
    if (p.maxRetries != defaults.maxRetries)
        o["retry"] = json{{"max_retries", p.maxRetries}};
    if (!p.headers.isEmpty() || !p.secretHeaders.isEmpty()) {
        json headers = json::object();
        for (auto it = p.headers.cbegin(); it != p.headers.cend(); ++it)
            headers[str(it.key())] = str(it.value());
        // Only the secret's name: its value is looked up when a request is built.
        for (auto it = p.secretHeaders.cbegin(); it != p.secretHeaders.cend(); ++it)
            headers[str(it.key())] = json{{"secret", str(it.value())}};
        o["headers"] = std::move(headers);
    }
    if (!p.caFile.isEmpty()) {
        QString caFile = p.caFile;
        if (!baseDir.isEmpty()) {
            const QString relative = QDir(baseDir).relativeFilePath(p.caFile);
            if (!relative.startsWith(QStringLiteral("..")))
                caFile = relative;
        }
        o["ca_file"] = str(caFile);
    }
    if (!p.proxy.isEmpty())
        o["proxy"] = str(p.proxy);
    return o;
}

json targetToJson(const TargetConfig &t)
{
    json o = json::object();
    o["id"] = str(t.id);
    if (t.label != t.id)
        o["label"] = str(t.label);
    o["provider"] = str(t.providerId);
    o["model"] = str(t.model);
    // Always written: the loader's default depends on the target's position in the list.
    o["color"] = str(t.color);
    json price = json::object();
    const std::pair<const char *, const std::optional<double> *> prices[] = {
        {"input_per_mtok", &t.price.inputPerMTok},
        {"output_per_mtok", &t.price.outputPerMTok},
        {"cached_input_per_mtok", &t.price.cachedInputPerMTok},
        {"cache_write_per_mtok", &t.price.cacheWritePerMTok},
        {"reasoning_per_mtok", &t.price.reasoningPerMTok}};
    for (const auto &[key, value] : prices) {
        if (*value)
            price[key] = **value;
    }
    if (!price.empty())
        o["price"] = std::move(price);
    json params = json::object();
    if (t.params.temperature)
        params["temperature"] = *t.params.temperature;
    if (t.params.maxTokens)
        params["max_tokens"] = *t.params.maxTokens;
    if (!t.params.reasoningEffort.isEmpty())
        params["reasoning_effort"] = str(t.params.reasoningEffort);
    if (!params.empty())
        o["params"] = std::move(params);
    return o;
}

} // namespace

nlohmann::json workspaceToJson(const Workspace &workspace, const QString &baseDir)
{
    json root = json::object();
    root["name"] = str(workspace.name);
    json providers = json::array();
    for (const ProviderConfig &p : workspace.providers)
        providers.push_back(providerToJson(p, baseDir));
    root["providers"] = std::move(providers);
    json targets = json::array();
    for (const TargetConfig &t : workspace.targets)
        targets.push_back(targetToJson(t));
    root["targets"] = std::move(targets);
    if (!workspace.noProxy.isEmpty()) {
        json noProxy = json::array();
        for (const QString &entry : workspace.noProxy)
            noProxy.push_back(str(entry));
        root["no_proxy"] = std::move(noProxy);
    }
    return root;
}

QByteArray workspaceToBytes(const Workspace &workspace, const QString &baseDir)
{
    // nlohmann::json sorts keys: not the order a person writes, but stable, so saves diff well.
    const std::string text = workspaceToJson(workspace, baseDir).dump(2) + '\n';
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

Status saveWorkspace(const Workspace &workspace, const QString &path)
{
    if (const Status written = writeAtomically(path, workspaceToBytes(workspace, QFileInfo(path).absolutePath()));
        !written.ok())
        return Error{WorkspaceWriterTr::tr("Cannot save the workspace to %1: %2")
                         .arg(QDir::toNativeSeparators(path), written.error())};
    return {};
}

} // namespace Slopscope
