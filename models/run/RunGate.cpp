#include "run/RunGate.h"

#include <QCoreApplication>
#include <QLocale>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct RunGateTr
{
    Q_DECLARE_TR_FUNCTIONS(RunGate)
};

std::optional<double> figureOf(const TargetSummary &s, const QString &figure)
{
    if (figure == u"quality")
        return s.quality;
    if (figure == u"quality_ci_low")
        return s.qualityLow;
    return std::nullopt;
}

std::uint64_t fnv1a(const QByteArray &bytes)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (const char byte : bytes) {
        h ^= static_cast<unsigned char>(byte);
        h *= 1099511628211ULL;
    }
    return h;
}

} // namespace

Result<QList<RunGate>> RunGate::parseAll(const QStringList &texts)
{
    QList<RunGate> gates;
    for (const QString &text : texts) {
        auto gate = parse(text);
        if (!gate)
            return Error{gate.error()};
        gates.append(gate.value());
    }
    return gates;
}

Result<RunGate> RunGate::parse(const QString &text)
{
    RunGate gate;
    QString rest = text.trimmed();
    const qsizetype equals = rest.indexOf(u'=');
    if (equals < 0)
        return Error{RunGateTr::tr("--fail-under \"%1\": expected FIGURE=VALUE, e.g. quality=0.8.").arg(text)};
    QString name = rest.left(equals).trimmed();
    QString value = rest.mid(equals + 1).trimmed();
    if (const qsizetype colon = name.indexOf(u':'); colon >= 0) {
        gate.targetId = name.left(colon).trimmed();
        name = name.mid(colon + 1).trimmed();
        if (gate.targetId.isEmpty())
            return Error{RunGateTr::tr("--fail-under \"%1\": the target before ':' is empty.").arg(text)};
    }
    if (name != u"quality" && name != u"quality_ci_low")
        return Error{RunGateTr::tr("--fail-under \"%1\": unknown figure \"%2\" (use quality or quality_ci_low).")
                         .arg(text, name)};
    gate.figure = name;
    const bool percent = value.endsWith(u'%');
    if (percent)
        value.chop(1);
    bool ok = false;
    double minimum = QLocale::c().toDouble(value, &ok);
    if (!ok)
        return Error{RunGateTr::tr("--fail-under \"%1\": \"%2\" is not a number.").arg(text, value)};
    if (percent)
        minimum /= 100.0;
    if (minimum < 0.0 || minimum > 1.0)
        return Error{
            RunGateTr::tr("--fail-under \"%1\": the minimum must lie between 0 and 1 (or 0% and 100%).").arg(text)};
    gate.minimum = minimum;
    return gate;
}

QStringList RunGate::failures(const QList<TargetSummary> &summaries) const
{
    QStringList out;
    bool matched = false;
    for (const TargetSummary &s : summaries) {
        if (!targetId.isEmpty() && s.targetId != targetId)
            continue;
        matched = true;
        const std::optional<double> value = figureOf(s, figure);
        if (!value) {
            out.append(RunGateTr::tr("%1: no %2 to check (no graded case)").arg(s.targetId, figure));
        } else if (*value < minimum) {
            out.append(RunGateTr::tr("%1: %2 %3 is under %4")
                           .arg(s.targetId, figure, QLocale::c().toString(*value, 'f', 3),
                                QLocale::c().toString(minimum, 'f', 3)));
        }
    }
    if (!matched)
        out.append(RunGateTr::tr("%1: no such target in this run")
                       .arg(targetId.isEmpty() ? RunGateTr::tr("(any)") : targetId));
    return out;
}

bool inShard(const QString &caseId, int index, int count)
{
    if (count <= 1)
        return true;
    return static_cast<int>(fnv1a(caseId.toUtf8()) % static_cast<std::uint64_t>(count)) == index - 1;
}

Result<std::pair<int, int>> parseShard(const QString &text)
{
    const QStringList parts = text.split(u'/');
    bool okIndex = false;
    bool okCount = false;
    const int index = parts.size() == 2 ? parts.at(0).toInt(&okIndex) : 0;
    const int count = parts.size() == 2 ? parts.at(1).toInt(&okCount) : 0;
    if (!okIndex || !okCount || count < 1 || index < 1 || index > count)
        return Error{RunGateTr::tr("--shard \"%1\": expected I/N with 1 ≤ I ≤ N, e.g. 2/4.").arg(text)};
    return std::pair{index, count};
}

} // namespace Slopscope
