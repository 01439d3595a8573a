#include "metrics/PriceCatalogue.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QMap>

#include <algorithm>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PriceCatalogueTr
{
    Q_DECLARE_TR_FUNCTIONS(PriceCatalogue)
};

constexpr double kPriceUnitTokens = 1'000'000.0;

using PriceField = std::optional<double> Price::*;

// LiteLLM's per-token field names and the Price field each one fills.
struct FieldName
{
    QLatin1StringView name;
    PriceField field;
};
const FieldName kFields[] = {
    {QLatin1StringView("input_cost_per_token"), &Price::inputPerMTok},
    {QLatin1StringView("output_cost_per_token"), &Price::outputPerMTok},
    {QLatin1StringView("cache_read_input_token_cost"), &Price::cachedInputPerMTok},
    {QLatin1StringView("cache_creation_input_token_cost"), &Price::cacheWritePerMTok},
    {QLatin1StringView("output_cost_per_reasoning_token"), &Price::reasoningPerMTok},
};

// The workspace's per-million field names, used by override files.
struct OverrideName
{
    const char *name;
    PriceField field;
};
const OverrideName kOverrideFields[] = {
    {"input_per_mtok", &Price::inputPerMTok},
    {"output_per_mtok", &Price::outputPerMTok},
    {"cached_input_per_mtok", &Price::cachedInputPerMTok},
    {"cache_write_per_mtok", &Price::cacheWritePerMTok},
    {"reasoning_per_mtok", &Price::reasoningPerMTok},
};

// A per-token price as per-million, or nullopt for anything that is not a usable price.
std::optional<double> perMillion(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double v = value.toDouble();
    if (!(v >= 0))
        return std::nullopt;
    return v * kPriceUnitTokens;
}

// "_above_200k_tokens" → 200000; anything else (priority, flex, batches, 1-hour cache) → nullopt.
std::optional<qint64> thresholdSuffix(QStringView rest)
{
    static const QLatin1StringView prefix("_above_");
    static const QLatin1StringView suffix("k_tokens");
    if (!rest.startsWith(prefix) || !rest.endsWith(suffix))
        return std::nullopt;
    const QStringView digits = rest.sliced(prefix.size(), rest.size() - prefix.size() - suffix.size());
    if (digits.isEmpty() || digits.size() > 9)
        return std::nullopt;
    qint64 thousands = 0;
    for (const QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        thousands = thousands * 10 + (c.unicode() - u'0');
    }
    return thousands * 1000;
}

// Reads the flat token prices of one object (a model entry or a tiered_pricing tier) and, when
// `thresholds` is given, its long-prompt prices.
Price readPrices(const QJsonObject &object, QMap<qint64, Price> *thresholds)
{
    Price price;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        for (const FieldName &f : kFields) {
            if (!key.startsWith(f.name))
                continue;
            if (key.size() == f.name.size()) {
                price.*(f.field) = perMillion(it.value());
            } else if (thresholds) {
                if (const auto above = thresholdSuffix(QStringView(key).sliced(f.name.size()))) {
                    if (const auto v = perMillion(it.value()))
                        (*thresholds)[*above].*(f.field) = v;
                }
            }
            break;
        }
    }
    return price;
}

QList<PriceSchedule::Range> readRanges(const QJsonArray &tiers)
{
    QList<PriceSchedule::Range> ranges;
    for (const QJsonValue &tierValue : tiers) {
        const QJsonObject tier = tierValue.toObject();
        const QJsonArray range = tier.value(QLatin1StringView("range")).toArray();
        if (range.size() != 2 || !range.at(0).isDouble() || !range.at(1).isDouble())
            continue;
        const double from = range.at(0).toDouble();
        const double to = range.at(1).toDouble();
        // Token counts far beyond any context window would overflow qint64: not a usable range.
        constexpr double kMaxTokens = 1e15;
        if (!(from >= 0) || !(to >= from) || to > kMaxTokens)
            continue;
        ranges.append({static_cast<qint64>(from), static_cast<qint64>(to), readPrices(tier, nullptr)});
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const PriceSchedule::Range &a, const PriceSchedule::Range &b) { return a.fromTokens < b.fromTokens; });
    return ranges;
}

// Providers whose common name differs from LiteLLM's provider prefix.
QString canonicalProvider(const QString &provider)
{
    const QString p = provider.trimmed().toLower();
    static const QHash<QString, QString> aliases = {
        {QStringLiteral("google"), QStringLiteral("gemini")},
        {QStringLiteral("google-ai"), QStringLiteral("gemini")},
        {QStringLiteral("together"), QStringLiteral("together_ai")},
        {QStringLiteral("fireworks"), QStringLiteral("fireworks_ai")},
        {QStringLiteral("vertex"), QStringLiteral("vertex_ai")},
    };
    return aliases.value(p, p);
}

} // namespace

QString CatalogueInfo::version() const
{
    QString name = source.section(u' ', 0, 0);
    if (name.isEmpty())
        name = PriceCatalogueTr::tr("unknown catalogue");
    QString out = name;
    if (!commit.isEmpty())
        out += u' ' + commit.left(8);
    if (!date.isEmpty())
        out += QStringLiteral(" (") + date + u')';
    return out;
}

Result<PriceCatalogue> PriceCatalogue::fromJson(const QByteArray &table, const QString &sourceName, CatalogueInfo info)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(table, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const Json::Position pos = Json::positionOf(table, parseError.offset);
        return Error{PriceCatalogueTr::tr("%1:%2:%3: invalid JSON: %4")
                         .arg(sourceName)
                         .arg(pos.line)
                         .arg(pos.column)
                         .arg(parseError.errorString())};
    }
    if (!doc.isObject())
        return Error{PriceCatalogueTr::tr("%1: expected a JSON object of models").arg(sourceName)};

    PriceCatalogue catalogue;
    catalogue.m_info = std::move(info);
    const QJsonObject root = doc.object();
    catalogue.m_entries.reserve(static_cast<size_t>(root.size()));
    catalogue.m_index.reserve(root.size());
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (!it.value().isObject())
            continue;
        const QString key = it.key();
        if (key == QLatin1StringView("sample_spec") || key == QLatin1StringView("fallback_generalizations"))
            continue;
        const QJsonObject object = it.value().toObject();
        CatalogueEntry entry;
        entry.key = key;
        entry.provider = object.value(QLatin1StringView("litellm_provider")).toString();
        entry.mode = object.value(QLatin1StringView("mode")).toString();
        entry.schedule.catalogueKey = key;
        QMap<qint64, Price> thresholds;
        entry.schedule.base = readPrices(object, &thresholds);
        for (auto t = thresholds.constBegin(); t != thresholds.constEnd(); ++t)
            entry.schedule.thresholds.append({t.key(), t.value()});
        const QJsonValue tiers = object.value(QLatin1StringView("tiered_pricing"));
        if (tiers.isArray())
            entry.schedule.ranges = readRanges(tiers.toArray());
        catalogue.m_index.insert(key, static_cast<qsizetype>(catalogue.m_entries.size()));
        catalogue.m_entries.push_back(std::move(entry));
    }
    return catalogue;
}

Result<CatalogueInfo> PriceCatalogue::parseInfo(const QByteArray &json, const QString &sourceName)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error{
            PriceCatalogueTr::tr("%1: expected a JSON object {\"source\", \"commit\", \"date\"}").arg(sourceName)};
    const QJsonObject o = doc.object();
    CatalogueInfo info;
    const struct
    {
        QLatin1StringView name;
        QString *target;
    } fields[] = {{QLatin1StringView("source"), &info.source},
                  {QLatin1StringView("commit"), &info.commit},
                  {QLatin1StringView("date"), &info.date}};
    for (const auto &f : fields) {
        const QJsonValue v = o.value(f.name);
        if (!v.isString() || v.toString().isEmpty())
            return Error{PriceCatalogueTr::tr("%1: \"%2\" must be a non-empty string").arg(sourceName, f.name)};
        *f.target = v.toString();
    }
    return info;
}

Result<PriceCatalogue> PriceCatalogue::loadBundled()
{
    const QString tablePath = QStringLiteral(":/slopscope/prices/litellm_model_prices.json");
    const QString infoPath = QStringLiteral(":/slopscope/prices/catalogue.json");
    QFile infoFile(infoPath);
    if (!infoFile.open(QIODevice::ReadOnly))
        return Error{PriceCatalogueTr::tr("%1: the bundled price catalogue is missing").arg(infoPath)};
    auto info = parseInfo(infoFile.readAll(), infoPath);
    if (!info)
        return Error{info.error()};
    QFile tableFile(tablePath);
    if (!tableFile.open(QIODevice::ReadOnly))
        return Error{PriceCatalogueTr::tr("%1: the bundled price table is missing").arg(tablePath)};
    return fromJson(tableFile.readAll(), tablePath, std::move(info).value());
}

const CatalogueEntry *PriceCatalogue::entry(const QString &key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.constEnd() ? nullptr : &m_entries[static_cast<size_t>(*it)];
}

QString PriceCatalogue::findKey(const QString &provider, const QString &model) const
{
    if (model.isEmpty())
        return {};
    const QString p = canonicalProvider(provider);
    const auto known = [this](const QString &key) { return m_index.contains(key) || m_overrides.contains(key); };
    const auto servedBy = [&p](const CatalogueEntry &e) {
        return !p.isEmpty() && (e.provider == p || (e.provider.size() > p.size() && e.provider.startsWith(p) &&
                                                    e.provider.at(p.size()) == u'-'));
    };
    if (!p.isEmpty()) {
        const QString prefixed = p + u'/' + model;
        if (known(prefixed))
            return prefixed;
    }
    if (const CatalogueEntry *e = entry(model))
        return servedBy(*e) ? model : QString();
    // "openai/gpt-4o" for provider "openai": the table spells it bare.
    if (!p.isEmpty() && model.startsWith(p + u'/')) {
        const QString bare = model.mid(p.size() + 1);
        if (const CatalogueEntry *e = entry(bare); e && servedBy(*e))
            return bare;
    }
    return m_overrides.contains(model) ? model : QString();
}

std::optional<PriceSchedule> PriceCatalogue::scheduleForKey(const QString &key) const
{
    const CatalogueEntry *e = entry(key);
    const auto o = m_overrides.constFind(key);
    if (!e && o == m_overrides.constEnd())
        return std::nullopt;
    PriceSchedule schedule = e ? e->schedule : PriceSchedule{};
    if (o != m_overrides.constEnd())
        schedule.overrides = overlayPrice(schedule.overrides, *o);
    return schedule;
}

PriceSchedule PriceCatalogue::resolve(const QString &provider, const QString &model, const Price &targetPrice) const
{
    const QString key = findKey(provider, model);
    PriceSchedule schedule = key.isEmpty() ? PriceSchedule{} : scheduleForKey(key).value_or(PriceSchedule{});
    schedule.overrides = overlayPrice(schedule.overrides, targetPrice);
    return schedule;
}

void PriceCatalogue::setOverride(const QString &key, const Price &price)
{
    m_overrides.insert(key, overlayPrice(m_overrides.value(key), price));
}

Status PriceCatalogue::loadOverrides(const QByteArray &json, const QString &sourceName)
{
    auto doc = Json::parse(json, sourceName);
    if (!doc)
        return Error{doc.error()};
    const nlohmann::json &root = doc.value();
    if (!root.is_object())
        return Error{PriceCatalogueTr::tr("%1: expected an object of model keys").arg(sourceName)};
    QHash<QString, Price> parsed;
    QString error;
    for (const auto &[modelKey, node] : root.items()) {
        const QString key = Json::toQString(modelKey);
        if (!node.is_object())
            return Error{PriceCatalogueTr::tr("%1: %2: expected an object of prices").arg(sourceName, key)};
        Json::ObjectReader r(node, sourceName + u": " + key, &error);
        for (const auto &[field, value] : node.items()) {
            const auto known = std::find_if(std::begin(kOverrideFields), std::end(kOverrideFields),
                                            [&field](const OverrideName &o) { return field == o.name; });
            if (known == std::end(kOverrideFields)) {
                r.fail(PriceCatalogueTr::tr("%1: unknown price field (expected input_per_mtok, output_per_mtok, "
                                            "cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)")
                           .arg(r.fieldPath(field.c_str())));
                break;
            }
            if (value.is_null())
                continue;
            const double v = r.number(known->name, true);
            if (r.failed())
                break;
            if (v < 0) {
                r.fail(PriceCatalogueTr::tr("%1: a price cannot be negative").arg(r.fieldPath(known->name)));
                break;
            }
            parsed[key].*(known->field) = v;
        }
        if (!error.isEmpty())
            return Error{error};
    }
    for (auto it = parsed.constBegin(); it != parsed.constEnd(); ++it)
        setOverride(it.key(), it.value());
    return {};
}

} // namespace Slopscope
