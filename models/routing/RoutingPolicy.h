#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// One step of a cascade: `targetId` answers; unless this is the last stage, `validatorId` checks
// the answer and, when the verdict's score is below `threshold`, the next stage answers instead.
struct CascadeStage
{
    QString targetId;
    QString validatorId; // a target id, or kOracleValidator; empty on the last stage
    double threshold = 0.5;

    friend bool operator==(const CascadeStage &, const CascadeStage &) = default;
};

// By tag: the first rule whose tag the case carries picks the target.
struct TagRule
{
    QString tag;
    QString targetId;

    friend bool operator==(const TagRule &, const TagRule &) = default;
};

// A named routing blueprint. Only the fields of its kind are used (and saved).
struct RoutingPolicy
{
    Q_DECLARE_TR_FUNCTIONS(RoutingPolicy)

public:
    enum class Kind { Cascade, ByTag, BestOfN };

    // Not a target: the validator that reads the draft's own recorded grade (the suite's
    // assertions, reference answers included). Only a replay has it; docs/ROUTING.md.
    static inline const QString kOracleValidator = QStringLiteral("@oracle");
    static constexpr int kFormatVersion = 1;
    static constexpr qint64 kMaxFileBytes = 4LL * 1024 * 1024;

    QString name;
    QString description;
    Kind kind = Kind::Cascade;
    QList<CascadeStage> stages;   // Cascade: at least one; a single stage is a plain target
    QList<TagRule> rules;         // ByTag
    QString defaultTargetId;      // ByTag: cases no rule matches
    QStringList candidateTargets; // BestOfN: at least two, distinct
    QString judgeTargetId;        // BestOfN: picks one of the candidates' answers

    // Every target whose answers or verdicts the policy may use (validators and judge included,
    // the oracle not), in first-use order.
    [[nodiscard]] QStringList targetsUsed() const;
    // The policy on its own, as the quadrant and the table label it.
    [[nodiscard]] QString summary() const;
    // Checks the fields of the kind; the message names the field ("stages[1].threshold: ...").
    [[nodiscard]] Status validate(const QString &path = QString()) const;

    static RoutingPolicy singleTarget(const QString &targetId);
    static RoutingPolicy cascade(const QString &name, const QList<CascadeStage> &stages);

    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(const QString &name);

    // A policy file: {"version": 1, "policies": [...]} (docs/ROUTING.md, docs/routing.schema.json).
    // Errors name the source, line and column, then the field ("p.json:7:21: policies[0].kind: ...").
    static Result<QList<RoutingPolicy>> fromJson(const QByteArray &bytes, const QString &sourceName);
    static Result<QList<RoutingPolicy>> fromFile(const QString &path);
    static QByteArray toJson(const QList<RoutingPolicy> &policies);
    static Status saveFile(const QString &path, const QList<RoutingPolicy> &policies);

    friend bool operator==(const RoutingPolicy &, const RoutingPolicy &) = default;
};

} // namespace Slopscope
