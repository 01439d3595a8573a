#include "sim/SimPersonas.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct SimPersonasTr
{
    Q_DECLARE_TR_FUNCTIONS(SimPersonas)
};

bool readQuality(Json::ObjectReader &r, const QString &path, const nlohmann::json &node, SimQuality &out,
                 QString *error)
{
    if (!node.is_object()) {
        r.fail(SimPersonasTr::tr("%1: expected an object").arg(path));
        return false;
    }
    Json::ObjectReader q(node, path, error);
    out.canonical = q.number("canonical", true);
    out.paraphrase = q.number("paraphrase", false, out.canonical);
    if (!q.failed() && (out.canonical < 0 || out.canonical > 1 || out.paraphrase < 0 || out.paraphrase > 1))
        q.fail(SimPersonasTr::tr("%1: probabilities must be between 0 and 1").arg(path));
    return !q.failed();
}

bool parsePersona(const nlohmann::json &node, const QString &path, SimPersona &p, QString *error)
{
    if (!node.is_object()) {
        *error = SimPersonasTr::tr("%1: expected an object").arg(path);
        return false;
    }
    Json::ObjectReader r(node, path, error);
    p.id = r.string("id", true);
    p.label = r.string("label", false, p.id);
    p.snapshot = r.string("snapshot", false);
    p.ownedBy = r.string("owned_by", false, QStringLiteral("slopscope-sim"));
    const QString dialect = r.string("dialect", true);
    if (const auto d = dialectFromName(dialect))
        p.dialect = *d;
    else if (!r.failed())
        r.fail(SimPersonasTr::tr("%1: unknown dialect \"%2\"").arg(r.fieldPath("dialect"), dialect));
    p.dialects = {p.dialect};
    if (const auto *list = r.child("dialects", nlohmann::json::value_t::array, false)) {
        for (const auto &item : *list) {
            const auto d = item.is_string() ? dialectFromName(Json::toQString(item.get<std::string>())) : std::nullopt;
            if (!d) {
                r.fail(SimPersonasTr::tr("%1: expected dialect names").arg(r.fieldPath("dialects")));
                break;
            }
            if (!p.dialects.contains(*d))
                p.dialects.append(*d);
        }
    } else if (p.dialect == Dialect::OpenAIChat || p.dialect == Dialect::OpenAIResponses) {
        // OpenAI's models answer on both of its APIs.
        p.dialects = {p.dialect, p.dialect == Dialect::OpenAIChat ? Dialect::OpenAIResponses : Dialect::OpenAIChat};
    }

    if (const auto *ttft = r.child("ttft_ms", nlohmann::json::value_t::object, true)) {
        Json::ObjectReader t(*ttft, r.fieldPath("ttft_ms"), error);
        p.ttftMedianMs = t.number("median", true);
        p.ttftSpread = t.number("spread", false, 0.0);
        if (!t.failed() && (p.ttftMedianMs < 0 || p.ttftMedianMs > 600'000 || p.ttftSpread < 0 || p.ttftSpread > 3))
            t.fail(
                SimPersonasTr::tr("%1: median must be 0 to 600000 ms and spread 0 to 3").arg(r.fieldPath("ttft_ms")));
    }
    p.tokensPerSecond = r.number("tokens_per_second", true);
    if (!r.failed() && (p.tokensPerSecond < 0.1 || p.tokensPerSecond > 1'000'000))
        r.fail(SimPersonasTr::tr("%1: must be between 0.1 and 1000000").arg(r.fieldPath("tokens_per_second")));
    if (const auto *thinking = r.child("thinking", nlohmann::json::value_t::object, false)) {
        Json::ObjectReader t(*thinking, r.fieldPath("thinking"), error);
        p.thinkingTokens = t.integer("tokens", true, 0, 0, 1'000'000);
        p.thinkingSpread = t.number("spread", false, 0.0);
        p.thinkingVisible = t.boolean("visible", false, false);
        p.thinkingOnRequest = t.boolean("on_request", false, false);
        if (!t.failed() && (p.thinkingSpread < 0 || p.thinkingSpread > 3))
            t.fail(SimPersonasTr::tr("%1: spread must be between 0 and 3").arg(t.fieldPath("spread")));
    }
    if (const auto *price = r.child("price", nlohmann::json::value_t::object, false)) {
        Json::ObjectReader pr(*price, r.fieldPath("price"), error);
        if (pr.has("input_per_mtok"))
            p.inputPerMTok = pr.number("input_per_mtok", true);
        if (pr.has("output_per_mtok"))
            p.outputPerMTok = pr.number("output_per_mtok", true);
        if ((p.inputPerMTok && *p.inputPerMTok < 0) || (p.outputPerMTok && *p.outputPerMTok < 0))
            pr.fail(SimPersonasTr::tr("%1: a price cannot be negative").arg(r.fieldPath("price")));
    }
    p.answerTokens = r.integer("answer_tokens", false, p.answerTokens, 1, 100'000);
    p.judgeStrictness = r.number("judge_pass_score", false, p.judgeStrictness);
    p.ignoresToolErrors = r.boolean("ignores_tool_errors", false, false);
    if (const auto *quality = r.child("quality", nlohmann::json::value_t::object, false)) {
        const QString qpath = r.fieldPath("quality");
        readQuality(r, qpath, *quality, p.quality, error);
        if (quality->contains("categories")) {
            const auto &cats = quality->at("categories");
            if (!cats.is_object()) {
                r.fail(SimPersonasTr::tr("%1.categories: expected an object").arg(qpath));
            } else {
                for (auto it = cats.begin(); it != cats.end(); ++it) {
                    SimQuality q;
                    const QString key = Json::toQString(it.key());
                    if (readQuality(r, qpath + QStringLiteral(".categories.") + key, it.value(), q, error))
                        p.categoryQuality.insert(key, q);
                }
            }
        }
    }
    if (const auto *faults = r.child("faults", nlohmann::json::value_t::array, false)) {
        int i = 0;
        for (const auto &f : *faults) {
            const QString fpath = r.fieldPath("faults") + QStringLiteral("[%1]").arg(i++);
            if (!f.is_object()) {
                r.fail(SimPersonasTr::tr("%1: expected an object").arg(fpath));
                break;
            }
            Json::ObjectReader fr(f, fpath, error);
            const QString spec = fr.string("fault", true);
            SimFaultRule rule;
            rule.probability = fr.number("probability", true);
            if (fr.failed())
                break;
            if (rule.probability < 0 || rule.probability > 1) {
                fr.fail(SimPersonasTr::tr("%1: probability must be between 0 and 1").arg(fr.fieldPath("probability")));
                break;
            }
            auto parsed = SimFault::parse(spec);
            if (!parsed) {
                fr.fail(QStringLiteral("%1: %2").arg(fr.fieldPath("fault"), parsed.error()));
                break;
            }
            rule.fault = parsed.value();
            p.faults.append(rule);
        }
    }
    return !r.failed();
}

} // namespace

SimQuality SimPersona::qualityFor(const QStringList &tags) const
{
    for (const QString &tag : tags) {
        const auto it = categoryQuality.constFind(tag);
        if (it != categoryQuality.cend())
            return it.value();
    }
    return quality;
}

const SimPersona *SimPersonas::find(const QString &modelId) const
{
    for (const auto &p : m_personas) {
        if (p.id == modelId)
            return &p;
    }
    return nullptr;
}

Result<SimPersonas> SimPersonas::fromJson(const QByteArray &bytes, const QString &sourceName)
{
    auto doc = Json::parse(bytes, sourceName);
    if (!doc)
        return Error{doc.error()};
    const auto &root = doc.value();
    QString error;
    if (!root.is_object())
        return Error{SimPersonasTr::tr("%1: expected an object with a \"personas\" array").arg(sourceName)};
    Json::ObjectReader r(root, QString(), &error);
    const auto *list = r.child("personas", nlohmann::json::value_t::array, true);
    if (!list)
        return Error{QStringLiteral("%1: %2").arg(sourceName, error)};
    SimPersonas out;
    QSet<QString> ids;
    int index = 0;
    for (const auto &node : *list) {
        SimPersona p;
        const QString path = QStringLiteral("personas[%1]").arg(index++);
        if (!parsePersona(node, path, p, &error))
            return Error{QStringLiteral("%1: %2").arg(sourceName, error)};
        if (ids.contains(p.id))
            return Error{SimPersonasTr::tr("%1: %2: duplicate persona id \"%3\"").arg(sourceName, path, p.id)};
        ids.insert(p.id);
        out.m_personas.append(std::move(p));
    }
    if (out.m_personas.isEmpty())
        return Error{SimPersonasTr::tr("%1: the \"personas\" array is empty").arg(sourceName)};
    return out;
}

Result<SimPersonas> SimPersonas::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{SimPersonasTr::tr("%1: cannot open: %2").arg(path, file.errorString())};
    return fromJson(file.readAll(), path);
}

QString SimPersonas::defaultPath()
{
    return QStringLiteral(":/slopscope/sim/personas.json");
}

Result<SimPersonas> SimPersonas::defaults()
{
    return fromFile(defaultPath());
}

} // namespace Slopscope
