#include "routing/RoutingPolicy.h"

#include "core/AtomicWrite.h"

#include "core/Json.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct RoutingPolicyTr
{
    Q_DECLARE_TR_FUNCTIONS(RoutingPolicy)
};

QString join(const QString &path, const QString &field)
{
    return path.isEmpty() ? field : path + u'.' + field;
}

bool parseStage(const nlohmann::json &node, const QString &path, CascadeStage &out, QString *error)
{
    if (!node.is_object()) {
        *error = RoutingPolicyTr::tr("%1: expected an object").arg(path);
        return false;
    }
    if (!Json::onlyKnownKeys(node, path, {"target", "validator", "threshold"}, error))
        return false;
    Json::ObjectReader r(node, path, error);
    out.targetId = r.string("target", true);
    out.validatorId = r.string("validator", false);
    out.threshold = r.number("threshold", false, 0.5);
    return error->isEmpty();
}

bool parsePolicy(const nlohmann::json &node, const QString &path, RoutingPolicy &out, QString *error)
{
    if (!node.is_object()) {
        *error = RoutingPolicyTr::tr("%1: expected an object").arg(path);
        return false;
    }
    if (!Json::onlyKnownKeys(
            node, path, {"name", "description", "kind", "stages", "rules", "default", "candidates", "judge"}, error))
        return false;
    Json::ObjectReader r(node, path, error);
    out.name = r.string("name", true);
    out.description = r.string("description", false);
    const QString kind = r.string("kind", true);
    if (!error->isEmpty())
        return false;
    const auto parsedKind = RoutingPolicy::kindFromName(kind);
    if (!parsedKind) {
        *error = RoutingPolicyTr::tr("%1: unknown kind \"%2\" (expected cascade, by-tag or best-of-n)")
                     .arg(r.fieldPath("kind"), kind);
        return false;
    }
    out.kind = *parsedKind;
    // Keys of another kind are refused: a half-edited file should not be read as something else.
    const auto refuse = [&](std::initializer_list<const char *> keys) {
        for (const char *k : keys) {
            if (node.contains(k)) {
                *error = RoutingPolicyTr::tr("%1: not used by a %2 policy").arg(r.fieldPath(k), kind);
                return false;
            }
        }
        return true;
    };
    switch (out.kind) {
    case RoutingPolicy::Kind::Cascade: {
        if (!refuse({"rules", "default", "candidates", "judge"}))
            return false;
        const auto *stages = r.child("stages", nlohmann::json::value_t::array, true);
        if (!stages)
            return false;
        for (std::size_t i = 0; i < stages->size(); ++i) {
            CascadeStage stage;
            if (!parseStage(stages->at(i), QStringLiteral("%1[%2]").arg(r.fieldPath("stages")).arg(i), stage, error))
                return false;
            out.stages.append(stage);
        }
        break;
    }
    case RoutingPolicy::Kind::ByTag: {
        if (!refuse({"stages", "candidates", "judge"}))
            return false;
        out.defaultTargetId = r.string("default", true);
        const auto *rules = r.child("rules", nlohmann::json::value_t::array, true);
        if (!rules)
            return false;
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const QString rpath = QStringLiteral("%1[%2]").arg(r.fieldPath("rules")).arg(i);
            const auto &rule = rules->at(i);
            if (!rule.is_object()) {
                *error = RoutingPolicyTr::tr("%1: expected an object").arg(rpath);
                return false;
            }
            if (!Json::onlyKnownKeys(rule, rpath, {"tag", "target"}, error))
                return false;
            Json::ObjectReader rr(rule, rpath, error);
            TagRule t;
            t.tag = rr.string("tag", true);
            t.targetId = rr.string("target", true);
            if (!error->isEmpty())
                return false;
            out.rules.append(t);
        }
        break;
    }
    case RoutingPolicy::Kind::BestOfN: {
        if (!refuse({"stages", "rules", "default"}))
            return false;
        out.judgeTargetId = r.string("judge", true);
        const auto *candidates = r.child("candidates", nlohmann::json::value_t::array, true);
        if (!candidates)
            return false;
        for (std::size_t i = 0; i < candidates->size(); ++i) {
            if (!candidates->at(i).is_string()) {
                *error = RoutingPolicyTr::tr("%1[%2]: expected a target id").arg(r.fieldPath("candidates")).arg(i);
                return false;
            }
            out.candidateTargets.append(QString::fromStdString(candidates->at(i).get<std::string>()));
        }
        break;
    }
    }
    if (!error->isEmpty())
        return false;
    const Status valid = out.validate(path);
    if (!valid) {
        *error = valid.error();
        return false;
    }
    return true;
}

} // namespace

QStringList RoutingPolicy::targetsUsed() const
{
    QStringList out;
    const auto add = [&out](const QString &id) {
        if (!id.isEmpty() && id != kOracleValidator && !out.contains(id))
            out.append(id);
    };
    switch (kind) {
    case Kind::Cascade:
        for (const CascadeStage &s : stages) {
            add(s.targetId);
            add(s.validatorId);
        }
        break;
    case Kind::ByTag:
        for (const TagRule &r : rules)
            add(r.targetId);
        add(defaultTargetId);
        break;
    case Kind::BestOfN:
        for (const QString &c : candidateTargets)
            add(c);
        add(judgeTargetId);
        break;
    }
    return out;
}

QString RoutingPolicy::summary() const
{
    QStringList parts;
    switch (kind) {
    case Kind::Cascade:
        for (const CascadeStage &s : stages) {
            parts << (s.validatorId.isEmpty()
                          ? s.targetId
                          : QStringLiteral("%1 [%2 ≥ %3]").arg(s.targetId, s.validatorId).arg(s.threshold));
        }
        return parts.join(QStringLiteral(" → "));
    case Kind::ByTag:
        for (const TagRule &r : rules)
            parts << QStringLiteral("%1: %2").arg(r.tag, r.targetId);
        parts << QStringLiteral("*: %1").arg(defaultTargetId);
        return parts.join(QStringLiteral(", "));
    case Kind::BestOfN:
        return QStringLiteral("best of {%1} by %2").arg(candidateTargets.join(QStringLiteral(", ")), judgeTargetId);
    }
    return {};
}

Status RoutingPolicy::validate(const QString &path) const
{
    if (name.trimmed().isEmpty())
        return Error{RoutingPolicyTr::tr("%1: a policy needs a name").arg(join(path, QStringLiteral("name")))};
    switch (kind) {
    case Kind::Cascade:
        if (stages.isEmpty())
            return Error{RoutingPolicyTr::tr("%1: a cascade needs at least one stage")
                             .arg(join(path, QStringLiteral("stages")))};
        for (qsizetype i = 0; i < stages.size(); ++i) {
            const CascadeStage &s = stages.at(i);
            const QString spath = QStringLiteral("%1[%2]").arg(join(path, QStringLiteral("stages"))).arg(i);
            const bool last = i == stages.size() - 1;
            if (s.targetId.isEmpty())
                return Error{RoutingPolicyTr::tr("%1.target: empty target id").arg(spath)};
            if (last && !s.validatorId.isEmpty())
                return Error{RoutingPolicyTr::tr("%1.validator: the last stage has nothing to escalate to").arg(spath)};
            if (!last && s.validatorId.isEmpty())
                return Error{RoutingPolicyTr::tr(
                                 "%1.validator: missing (a target id or \"%2\" is required before another stage)")
                                 .arg(spath, kOracleValidator)};
            if (!(s.threshold >= 0.0 && s.threshold <= 1.0))
                return Error{RoutingPolicyTr::tr("%1.threshold: must be between 0 and 1").arg(spath)};
        }
        break;
    case Kind::ByTag: {
        if (defaultTargetId.isEmpty())
            return Error{RoutingPolicyTr::tr("%1: empty target id").arg(join(path, QStringLiteral("default")))};
        QSet<QString> tags;
        for (qsizetype i = 0; i < rules.size(); ++i) {
            const QString rpath = QStringLiteral("%1[%2]").arg(join(path, QStringLiteral("rules"))).arg(i);
            if (rules.at(i).tag.isEmpty())
                return Error{RoutingPolicyTr::tr("%1.tag: empty tag").arg(rpath)};
            if (rules.at(i).targetId.isEmpty())
                return Error{RoutingPolicyTr::tr("%1.target: empty target id").arg(rpath)};
            if (tags.contains(rules.at(i).tag))
                return Error{RoutingPolicyTr::tr("%1.tag: tag \"%2\" already has a rule").arg(rpath, rules.at(i).tag)};
            tags.insert(rules.at(i).tag);
        }
        break;
    }
    case Kind::BestOfN: {
        const QString cpath = join(path, QStringLiteral("candidates"));
        if (candidateTargets.size() < 2)
            return Error{RoutingPolicyTr::tr("%1: best-of-n needs at least two candidates").arg(cpath)};
        for (qsizetype i = 0; i < candidateTargets.size(); ++i) {
            if (candidateTargets.at(i).isEmpty())
                return Error{RoutingPolicyTr::tr("%1[%2]: empty target id").arg(cpath).arg(i)};
            if (candidateTargets.indexOf(candidateTargets.at(i)) != i)
                return Error{RoutingPolicyTr::tr("%1[%2]: \"%3\" is already a candidate")
                                 .arg(cpath)
                                 .arg(i)
                                 .arg(candidateTargets.at(i))};
        }
        if (judgeTargetId.isEmpty())
            return Error{RoutingPolicyTr::tr("%1: empty target id").arg(join(path, QStringLiteral("judge")))};
        break;
    }
    }
    return {};
}

RoutingPolicy RoutingPolicy::singleTarget(const QString &targetId)
{
    return cascade(targetId, {CascadeStage{targetId, {}, 0.5}});
}

RoutingPolicy RoutingPolicy::cascade(const QString &name, const QList<CascadeStage> &stages)
{
    RoutingPolicy p;
    p.name = name;
    p.kind = Kind::Cascade;
    p.stages = stages;
    return p;
}

QString RoutingPolicy::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Cascade:
        return QStringLiteral("cascade");
    case Kind::ByTag:
        return QStringLiteral("by-tag");
    case Kind::BestOfN:
        return QStringLiteral("best-of-n");
    }
    return {};
}

std::optional<RoutingPolicy::Kind> RoutingPolicy::kindFromName(const QString &name)
{
    for (Kind k : {Kind::Cascade, Kind::ByTag, Kind::BestOfN}) {
        if (kindName(k) == name)
            return k;
    }
    return std::nullopt;
}

Result<QList<RoutingPolicy>> RoutingPolicy::fromJson(const QByteArray &bytes, const QString &sourceName)
{
    auto parsed = Json::parse(bytes, sourceName);
    if (!parsed)
        return Error{parsed.error()};
    const nlohmann::json &root = parsed.value();
    if (!root.is_object())
        return Error{RoutingPolicyTr::tr("%1: a routing policy file must be a JSON object").arg(sourceName)};
    QString error;
    if (!Json::onlyKnownKeys(root, QString(), {"version", "policies"}, &error))
        return Json::located(bytes, sourceName, error);
    Json::ObjectReader r(root, QString(), &error);
    const int version = r.integer("version", true, 0, 1, 1000);
    const auto *policies = r.child("policies", nlohmann::json::value_t::array, true);
    if (!error.isEmpty())
        return Json::located(bytes, sourceName, error);
    if (version > kFormatVersion)
        return Json::located(bytes, sourceName,
                             RoutingPolicyTr::tr("version: %1 is newer than this Slopscope reads (%2)")
                                 .arg(version)
                                 .arg(kFormatVersion));
    QList<RoutingPolicy> out;
    QSet<QString> names;
    for (std::size_t i = 0; i < policies->size(); ++i) {
        const QString path = QStringLiteral("policies[%1]").arg(i);
        RoutingPolicy p;
        if (!parsePolicy(policies->at(i), path, p, &error))
            return Json::located(bytes, sourceName, error);
        if (names.contains(p.name))
            return Json::located(bytes, sourceName,
                                 RoutingPolicyTr::tr("%1.name: duplicate policy name \"%2\"").arg(path, p.name));
        names.insert(p.name);
        out.append(p);
    }
    return out;
}

Result<QList<RoutingPolicy>> RoutingPolicy::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{RoutingPolicyTr::tr("Cannot open routing policies %1: %2").arg(path, file.errorString())};
    if (file.size() > kMaxFileBytes)
        return Error{RoutingPolicyTr::tr("%1: larger than %2 bytes, not a policy file").arg(path).arg(kMaxFileBytes)};
    return fromJson(file.readAll(), path);
}

QByteArray RoutingPolicy::toJson(const QList<RoutingPolicy> &policies)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const RoutingPolicy &p : policies) {
        nlohmann::ordered_json node;
        node["name"] = p.name.toStdString();
        if (!p.description.isEmpty())
            node["description"] = p.description.toStdString();
        node["kind"] = kindName(p.kind).toStdString();
        switch (p.kind) {
        case Kind::Cascade: {
            nlohmann::ordered_json stages = nlohmann::ordered_json::array();
            for (const CascadeStage &s : p.stages) {
                nlohmann::ordered_json stage;
                stage["target"] = s.targetId.toStdString();
                if (!s.validatorId.isEmpty()) {
                    stage["validator"] = s.validatorId.toStdString();
                    stage["threshold"] = s.threshold;
                }
                stages.push_back(stage);
            }
            node["stages"] = stages;
            break;
        }
        case Kind::ByTag: {
            nlohmann::ordered_json rules = nlohmann::ordered_json::array();
            for (const TagRule &t : p.rules)
                rules.push_back({{"tag", t.tag.toStdString()}, {"target", t.targetId.toStdString()}});
            node["rules"] = rules;
            node["default"] = p.defaultTargetId.toStdString();
            break;
        }
        case Kind::BestOfN: {
            nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
            for (const QString &c : p.candidateTargets)
                candidates.push_back(c.toStdString());
            node["candidates"] = candidates;
            node["judge"] = p.judgeTargetId.toStdString();
            break;
        }
        }
        list.push_back(node);
    }
    nlohmann::ordered_json root;
    root["version"] = kFormatVersion;
    root["policies"] = list;
    return QByteArray::fromStdString(root.dump(2)) + '\n';
}

Status RoutingPolicy::saveFile(const QString &path, const QList<RoutingPolicy> &policies)
{
    if (const Status written = writeAtomically(path, toJson(policies)); !written.ok())
        return Error{RoutingPolicyTr::tr("Cannot write routing policies %1: %2").arg(path, written.error())};
    return {};
}

} // namespace Slopscope
