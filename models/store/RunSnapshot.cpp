#include "store/RunSnapshot.h"

#include "core/Version.h"

#include <QCoreApplication>
#include <QUrl>

#include <nlohmann/json.hpp>

namespace Slopscope {

namespace {

using json = nlohmann::json;

std::string utf8(const QString &s)
{
    return s.toStdString();
}

QString dump(const json &j)
{
    return QString::fromStdString(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

json messagesJson(const QList<ChatMessage> &messages)
{
    json out = json::array();
    for (const ChatMessage &m : messages)
        out.push_back({{"role", utf8(m.role)}, {"content", utf8(m.content)}});
    return out;
}

json assertionsJson(const QList<Assertion> &assertions)
{
    json out = json::array();
    for (const Assertion &a : assertions) {
        json j{{"type", utf8(a.type)}};
        if (!a.value.is_null())
            j["value"] = a.value;
        if (a.threshold)
            j["threshold"] = *a.threshold;
        if (a.weight != 1.0)
            j["weight"] = a.weight;
        if (!a.provider.isEmpty())
            j["provider"] = utf8(a.provider);
        if (!a.metric.isEmpty())
            j["metric"] = utf8(a.metric);
        out.push_back(std::move(j));
    }
    return out;
}

json varsJson(const QHash<QString, QString> &vars)
{
    json out = json::object();
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        out[utf8(it.key())] = utf8(it.value());
    return out;
}

void putPromptOrMessages(json &j, const QString &prompt, const QList<ChatMessage> &messages)
{
    if (messages.isEmpty())
        j["prompt"] = utf8(prompt);
    else
        j["messages"] = messagesJson(messages);
}

QList<const TargetConfig *> selectedTargets(const RunSpec &spec)
{
    QList<const TargetConfig *> out;
    if (spec.targetIds.isEmpty()) {
        for (const TargetConfig &t : spec.workspace.targets)
            out.append(&t);
    } else {
        for (const QString &id : spec.targetIds) {
            if (const TargetConfig *t = spec.workspace.target(id))
                out.append(t);
        }
    }
    return out;
}

// The endpoint without anything that could carry a credential.
QString safeBaseUrl(const QString &baseUrl)
{
    if (baseUrl.startsWith(u"{simulator}"))
        return QStringLiteral("{simulator}");
    QUrl url(baseUrl);
    url.setUserInfo({});
    url.setQuery(QString());
    url.setFragment({});
    return url.toString();
}

json priceJson(const Price &p)
{
    json j = json::object();
    auto put = [&j](const char *key, const std::optional<double> &v) {
        if (v)
            j[key] = *v;
    };
    put("input_per_mtok", p.inputPerMTok);
    put("output_per_mtok", p.outputPerMTok);
    put("cached_input_per_mtok", p.cachedInputPerMTok);
    put("cache_write_per_mtok", p.cacheWritePerMTok);
    put("reasoning_per_mtok", p.reasoningPerMTok);
    return j;
}

QString promptText(const QList<ChatMessage> &messages)
{
    QStringList parts;
    for (const ChatMessage &m : messages)
        parts.append(m.content);
    return parts.join(QStringLiteral("\n\n"));
}

QString text(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

std::optional<double> number(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

Price priceFrom(const json &j)
{
    Price p;
    if (!j.is_object())
        return p;
    p.inputPerMTok = number(j, "input_per_mtok");
    p.outputPerMTok = number(j, "output_per_mtok");
    p.cachedInputPerMTok = number(j, "cached_input_per_mtok");
    p.cacheWritePerMTok = number(j, "cache_write_per_mtok");
    p.reasoningPerMTok = number(j, "reasoning_per_mtok");
    return p;
}

// The whole schedule, so a report from the database applies the very prices the run did: tiers
// included, and the catalogue entry named.
json scheduleJson(const PriceSchedule &schedule)
{
    json thresholds = json::array();
    for (const PriceSchedule::Threshold &t : schedule.thresholds)
        thresholds.push_back({{"above_tokens", t.aboveTokens}, {"price", priceJson(t.price)}});
    json ranges = json::array();
    for (const PriceSchedule::Range &r : schedule.ranges)
        ranges.push_back({{"from_tokens", r.fromTokens}, {"to_tokens", r.toTokens}, {"price", priceJson(r.price)}});
    return {{"catalogue_key", utf8(schedule.catalogueKey)},
            {"base", priceJson(schedule.base)},
            {"thresholds", thresholds},
            {"ranges", ranges},
            {"overrides", priceJson(schedule.overrides)}};
}

qint64 tokens(const json &object, const char *key)
{
    return static_cast<qint64>(number(object, key).value_or(0));
}

std::optional<PriceSchedule> scheduleFrom(const json &j)
{
    if (!j.is_object())
        return std::nullopt;
    PriceSchedule schedule;
    schedule.catalogueKey = text(j, "catalogue_key");
    schedule.base = priceFrom(j.value("base", json::object()));
    schedule.overrides = priceFrom(j.value("overrides", json::object()));
    if (const auto it = j.find("thresholds"); it != j.end() && it->is_array()) {
        for (const json &t : *it) {
            if (t.is_object())
                schedule.thresholds.append({tokens(t, "above_tokens"), priceFrom(t.value("price", json::object()))});
        }
    }
    if (const auto it = j.find("ranges"); it != j.end() && it->is_array()) {
        for (const json &r : *it) {
            if (r.is_object())
                schedule.ranges.append(
                    {tokens(r, "from_tokens"), tokens(r, "to_tokens"), priceFrom(r.value("price", json::object()))});
        }
    }
    return schedule;
}

Error snapshotError(const QString &runId, const QString &what)
{
    return Error{
        QCoreApplication::translate("RunSnapshot", "Run %1: its %2 snapshot cannot be read back.").arg(runId, what)};
}

} // namespace

QHash<QString, PriceSchedule> RunSnapshot::schedules(const RunRecord &record)
{
    QHash<QString, PriceSchedule> out;
    const json targets = json::parse(record.targetsJson.toStdString(), nullptr, false);
    if (!targets.is_array())
        return out;
    for (const json &t : targets) {
        if (!t.is_object())
            continue;
        if (auto schedule = scheduleFrom(t.value("price_schedule", json())))
            out.insert(text(t, "id"), *schedule);
    }
    return out;
}

Result<RunSpec> RunSnapshot::toSpec(const RunRecord &record)
{
    RunSpec spec;
    auto suite = Suite::fromJson(record.suiteJson.toUtf8(), QStringLiteral("run %1 (suite snapshot)").arg(record.id));
    if (!suite)
        return Error{suite.error()};
    spec.suite = suite.value();

    const json targets = json::parse(record.targetsJson.toStdString(), nullptr, false);
    if (!targets.is_array())
        return snapshotError(record.id, QStringLiteral("targets"));
    for (const json &t : targets) {
        if (!t.is_object())
            return snapshotError(record.id, QStringLiteral("targets"));
        TargetConfig target;
        target.id = text(t, "id");
        target.label = text(t, "label");
        target.providerId = text(t, "provider");
        target.model = text(t, "model");
        target.color = text(t, "color");
        target.price = priceFrom(t.value("price", json::object()));
        const json params = t.value("params", json::object());
        if (params.is_object()) {
            target.params.temperature = number(params, "temperature");
            if (const auto maxTokens = number(params, "max_tokens"))
                target.params.maxTokens = static_cast<int>(*maxTokens);
            target.params.reasoningEffort = text(params, "reasoning_effort");
        }
        if (target.id.isEmpty() || target.providerId.isEmpty())
            return snapshotError(record.id, QStringLiteral("targets"));
        if (!spec.workspace.provider(target.providerId)) {
            ProviderConfig provider;
            provider.id = target.providerId;
            provider.dialect = dialectFromName(text(t, "dialect")).value_or(Dialect::OpenAIChat);
            provider.baseUrl = text(t, "base_url");
            provider.simulated = t.value("simulated", false) && !provider.usesEmbeddedSimulator();
            spec.workspace.providers.append(provider);
        }
        spec.targetIds.append(target.id);
        spec.workspace.targets.append(target);
    }

    const json settings = json::parse(record.settingsJson.toStdString(), nullptr, false);
    if (!settings.is_object())
        return snapshotError(record.id, QStringLiteral("settings"));
    spec.workspace.name = text(settings, "workspace");
    if (const auto ids = settings.find("case_ids"); ids != settings.end() && ids->is_array()) {
        for (const json &id : *ids) {
            if (id.is_string())
                spec.caseIds.append(QString::fromStdString(id.get<std::string>()));
        }
    }
    spec.repeats = std::max(1, static_cast<int>(number(settings, "repeats").value_or(1)));
    spec.variants = settings.value("variants", false);
    spec.seed = settings.value("seed", quint64{1});
    spec.oneProviderAtATime = settings.value("one_provider_at_a_time", false);
    spec.globalConcurrency = std::max(1, static_cast<int>(number(settings, "global_concurrency").value_or(64)));
    spec.maxCostUsd = number(settings, "max_cost_usd");
    spec.retryTruncated = settings.value("retry_truncated", false);
    spec.preconnect = settings.value("preconnect", true);
    spec.judgeTargetId = text(settings, "judge_target");
    spec.kind = text(settings, "kind");
    spec.title = text(settings, "title");
    return spec;
}

Result<RunSpec> RunSnapshot::withProvidersFrom(RunSpec spec, const Workspace &workspace)
{
    for (ProviderConfig &provider : spec.workspace.providers) {
        const ProviderConfig *live = workspace.provider(provider.id);
        if (!live)
            return Error{
                QCoreApplication::translate("RunSnapshot", "The run used provider \"%1\", which the workspace lacks.")
                    .arg(provider.id)};
        provider = *live;
    }
    return spec;
}

QString RunSnapshot::suiteJson(const Suite &suite)
{
    json root{{"name", utf8(suite.name)}};
    if (!suite.description.isEmpty())
        root["description"] = utf8(suite.description);
    json defaults = json::object();
    if (!suite.defaults.system.isEmpty())
        defaults["system"] = utf8(suite.defaults.system);
    if (!suite.defaults.params.empty())
        defaults["params"] = suite.defaults.params;
    if (!suite.defaults.assertions.isEmpty())
        defaults["assert"] = assertionsJson(suite.defaults.assertions);
    if (!defaults.empty())
        root["defaults"] = defaults;
    json cases = json::array();
    for (const SuiteCase &c : suite.cases) {
        json j{{"id", utf8(c.id)}};
        if (!c.description.isEmpty())
            j["description"] = utf8(c.description);
        putPromptOrMessages(j, c.prompt, c.messages);
        if (!c.vars.isEmpty())
            j["vars"] = varsJson(c.vars);
        if (!c.reference.isEmpty())
            j["reference"] = utf8(c.reference);
        if (!c.assertions.isEmpty())
            j["assert"] = assertionsJson(c.assertions);
        if (!c.tags.isEmpty()) {
            json tags = json::array();
            for (const QString &t : c.tags)
                tags.push_back(utf8(t));
            j["tags"] = tags;
        }
        if (c.weight != 1.0)
            j["weight"] = c.weight;
        if (c.threshold)
            j["threshold"] = *c.threshold;
        if (!c.metadata.empty())
            j["metadata"] = c.metadata;
        if (!c.variants.isEmpty()) {
            json variants = json::array();
            for (const CaseVariant &v : c.variants) {
                json vj{{"id", utf8(v.id)}};
                if (!v.kind.isEmpty())
                    vj["kind"] = utf8(v.kind);
                putPromptOrMessages(vj, v.prompt, v.messages);
                if (!v.vars.isEmpty())
                    vj["vars"] = varsJson(v.vars);
                if (!v.reference.isEmpty())
                    vj["reference"] = utf8(v.reference);
                if (v.assertions)
                    vj["assert"] = assertionsJson(*v.assertions);
                variants.push_back(std::move(vj));
            }
            j["variants"] = variants;
        }
        cases.push_back(std::move(j));
    }
    root["cases"] = cases;
    return dump(root);
}

QString RunSnapshot::targetsJson(const RunSpec &spec, const QHash<QString, PriceSchedule> &schedules)
{
    json out = json::array();
    for (const TargetConfig *t : selectedTargets(spec)) {
        json j{{"id", utf8(t->id)},       {"label", utf8(t->label)}, {"provider", utf8(t->providerId)},
               {"model", utf8(t->model)}, {"color", utf8(t->color)}, {"price", priceJson(t->price)}};
        json params = json::object();
        if (t->params.temperature)
            params["temperature"] = *t->params.temperature;
        if (t->params.maxTokens)
            params["max_tokens"] = *t->params.maxTokens;
        if (!t->params.reasoningEffort.isEmpty())
            params["reasoning_effort"] = utf8(t->params.reasoningEffort);
        j["params"] = params;
        if (const ProviderConfig *p = spec.workspace.provider(t->providerId)) {
            j["dialect"] = utf8(dialectName(p->dialect));
            j["base_url"] = utf8(safeBaseUrl(p->baseUrl));
            j["simulated"] = p->simulated || p->usesEmbeddedSimulator();
        }
        if (const auto schedule = schedules.constFind(t->id); schedule != schedules.cend())
            j["price_schedule"] = scheduleJson(*schedule);
        out.push_back(std::move(j));
    }
    return dump(out);
}

QString RunSnapshot::settingsJson(const RunSpec &spec)
{
    json caseIds = json::array();
    for (const QString &id : spec.caseIds)
        caseIds.push_back(utf8(id));
    json j{{"workspace", utf8(spec.workspace.name)},
           {"case_ids", caseIds},
           {"repeats", spec.repeats},
           {"variants", spec.variants},
           {"seed", spec.seed},
           {"one_provider_at_a_time", spec.oneProviderAtATime},
           {"global_concurrency", spec.globalConcurrency}};
    if (spec.maxCostUsd)
        j["max_cost_usd"] = *spec.maxCostUsd;
    if (spec.retryTruncated)
        j["retry_truncated"] = true;
    if (!spec.preconnect)
        j["preconnect"] = false;
    if (!spec.judgeTargetId.isEmpty())
        j["judge_target"] = utf8(spec.judgeTargetId);
    if (!spec.kind.isEmpty())
        j["kind"] = utf8(spec.kind);
    if (!spec.title.isEmpty())
        j["title"] = utf8(spec.title);
    return dump(j);
}

RunStart RunSnapshot::fromSpec(const RunSpec &spec, const QString &runId, const QString &priceCatalogue)
{
    RunStart start;
    start.id = runId;
    start.suiteName = spec.suite.name;
    start.suiteJson = suiteJson(spec.suite);
    start.targetsJson = targetsJson(spec);
    for (const TargetConfig *t : selectedTargets(spec))
        start.targetIds.append(t->id);
    start.settingsJson = settingsJson(spec);
    start.priceCatalogue = priceCatalogue;
    start.appVersion = QString::fromLatin1(kVersion);
    start.startedAt = QDateTime::currentDateTimeUtc();
    qsizetype forms = 0;
    for (const SuiteCase &c : spec.suite.cases) {
        if (!spec.caseIds.isEmpty() && !spec.caseIds.contains(c.id))
            continue;
        start.prompts.append({c.id, QString(), promptText(spec.suite.messagesFor(c))});
        ++forms;
        if (spec.variants) {
            for (const CaseVariant &v : c.variants) {
                start.prompts.append({c.id, v.id, promptText(spec.suite.messagesFor(c, &v))});
                ++forms;
            }
        }
        for (const QString &tag : c.tags)
            start.tags.append({c.id, tag});
    }
    start.plannedCells = static_cast<int>(forms * std::max(spec.repeats, 1) * start.targetIds.size());
    return start;
}

} // namespace Slopscope
