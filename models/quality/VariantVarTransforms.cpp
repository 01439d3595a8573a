#include "quality/VariantTransformsDetail.h"

// The variant transforms that change a case's vars: names renamed and numbers changed, with the
// reference and assertions carried along wherever the answer mentions the old value.

#include "core/Json.h"
#include "quality/VariantTransforms.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Slopscope::VariantDetail {

namespace {

using json = nlohmann::json;

bool usesVar(const SuiteCase &c, const QString &name)
{
    QStringList missing;
    const QString probe = QStringLiteral("\x01");
    QHash<QString, QString> only{{name, probe}};
    QString texts = c.prompt;
    for (const auto &m : c.messages)
        texts += m.content;
    return renderTemplate(texts, only, &missing).contains(probe);
}

// The old value replaced by the new one wherever it stands as a whole word (or number).
QString substitute(const QString &text, const QString &from, const QString &to, bool number)
{
    const QString pattern = number ? QStringLiteral("(?<![\\d.])%1(?![\\d])").arg(QRegularExpression::escape(from))
                                   : QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(from));
    QString out = text;
    out.replace(QRegularExpression(pattern), to);
    return out;
}

json substituteJson(const json &v, const QString &from, const QString &to, bool number,
                    std::optional<double> fromNumber, std::optional<double> toNumber)
{
    if (v.is_string())
        return substitute(Json::toQString(v.get<std::string>()), from, to, number).toStdString();
    if (v.is_number() && fromNumber && toNumber && v.get<double>() == *fromNumber)
        return *toNumber;
    if (v.is_array() || v.is_object()) {
        json out = v;
        for (auto &item : out)
            item = substituteJson(item, from, to, number, fromNumber, toNumber);
        return out;
    }
    return v;
}

// Sets the variant's reference and assertions where the answer mentions the changed value.
void carryAnswer(const SuiteCase &c, CaseVariant &v, const QList<std::pair<QString, QString>> &changes, bool number,
                 std::optional<double> fromNumber = {}, std::optional<double> toNumber = {})
{
    QString reference = c.reference;
    QList<Assertion> assertions = c.assertions;
    for (const auto &[from, to] : changes) {
        reference = substitute(reference, from, to, number);
        for (auto &a : assertions)
            a.value = substituteJson(a.value, from, to, number, fromNumber, toNumber);
    }
    if (reference != c.reference)
        v.reference = reference;
    bool changed = false;
    for (qsizetype i = 0; i < assertions.size(); ++i)
        changed = changed || assertions.at(i).value != c.assertions.at(i).value;
    if (changed)
        v.assertions = assertions;
}

const QStringList &builtInNames()
{
    static const QStringList names{
        QStringLiteral("Alice"), QStringLiteral("Bruno"), QStringLiteral("Chen"),   QStringLiteral("Dana"),
        QStringLiteral("Emeka"), QStringLiteral("Farah"), QStringLiteral("Giulia"), QStringLiteral("Hiro"),
        QStringLiteral("Ines"),  QStringLiteral("Jonas"), QStringLiteral("Kaveh"),  QStringLiteral("Lena"),
        QStringLiteral("Mateo"), QStringLiteral("Nadia"), QStringLiteral("Oskar"),  QStringLiteral("Priya")};
    return names;
}

QString formatNumber(double v, int decimals)
{
    if (decimals == 0 && std::abs(v - std::round(v)) < 1e-9)
        return QString::number(static_cast<qint64>(std::llround(v)));
    QString s = QString::number(v, 'f', std::max(decimals, 6));
    while (s.contains(u'.') && (s.endsWith(u'0') || s.endsWith(u'.')))
        s.chop(1);
    return s;
}

int decimalsOf(const QString &number)
{
    const qsizetype dot = number.indexOf(u'.');
    return dot < 0 ? 0 : static_cast<int>(number.size() - dot - 1);
}

// A new value of the same kind: same sign, same decimals, between half and double the old one.
QString perturb(const QString &value, Stats::SeededRandom &rng)
{
    bool ok = false;
    const double x = value.toDouble(&ok);
    const int decimals = decimalsOf(value);
    const double scale = std::pow(10.0, decimals);
    const double magnitude = std::abs(x);
    double lo = std::max(magnitude / 2.0, 1.0 / scale);
    double hi = std::max(magnitude * 2.0, magnitude + 10.0 / scale);
    if (magnitude == 0.0) {
        lo = 1.0 / scale;
        hi = 10.0;
    }
    for (int attempt = 0; attempt < 16; ++attempt) {
        const double r = lo + (hi - lo) * rng.unit();
        const double candidate = std::round(r * scale) / scale;
        if (candidate != magnitude && candidate > 0)
            return formatNumber(x < 0 ? -candidate : candidate, decimals);
    }
    return formatNumber(x < 0 ? -(magnitude + 1) : magnitude + 1, decimals);
}

} // namespace

std::optional<CaseVariant> renameEntities(const SuiteCase &c, Stats::SeededRandom &rng)
{
    static const QRegularExpression nameLike(QStringLiteral("^[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}$"));
    QStringList pool;
    if (c.metadata.is_object() && c.metadata.contains("names")) {
        for (const auto &n : c.metadata.at("names")) {
            if (n.is_string() && !n.get<std::string>().empty())
                pool.append(Json::toQString(n.get<std::string>()));
        }
    }
    if (pool.isEmpty())
        pool = builtInNames();
    QStringList keys = c.vars.keys();
    keys.sort(); // hash order is not stable; the draw must be
    QString all = c.prompt + c.reference;
    for (const auto &m : c.messages)
        all += m.content;
    for (auto it = c.vars.cbegin(); it != c.vars.cend(); ++it)
        all += u' ' + it.value();
    CaseVariant v;
    QList<std::pair<QString, QString>> changes;
    QSet<QString> taken;
    for (const QString &key : std::as_const(keys)) {
        const QString value = c.vars.value(key);
        if (!nameLike.match(value).hasMatch() || !usesVar(c, key))
            continue;
        QStringList candidates;
        for (const QString &n : std::as_const(pool)) {
            if (n != value && !taken.contains(n) && !all.contains(n))
                candidates.append(n);
        }
        if (candidates.isEmpty())
            continue;
        const QString name =
            candidates.at(static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(candidates.size()))));
        taken.insert(name);
        v.vars.insert(key, name);
        changes.append({value, name});
    }
    if (changes.isEmpty())
        return std::nullopt;
    carryAnswer(c, v, changes, false);
    return v;
}

std::optional<CaseVariant> changeNumbers(const SuiteCase &c, Stats::SeededRandom &rng)
{
    static const QRegularExpression numeric(QStringLiteral("^-?\\d+(?:\\.\\d+)?$"));
    const QString expression =
        c.metadata.is_object() && c.metadata.contains("answer") && c.metadata.at("answer").is_string()
            ? Json::toQString(c.metadata.at("answer").get<std::string>())
            : QString();
    // Without an answer formula only the vars the case declares free (the answer does not
    // depend on them) may change.
    QSet<QString> free;
    if (c.metadata.is_object() && c.metadata.contains("free_vars") && c.metadata.at("free_vars").is_array()) {
        for (const auto &n : c.metadata.at("free_vars")) {
            if (n.is_string())
                free.insert(Json::toQString(n.get<std::string>()));
        }
    }
    if (expression.isEmpty() && free.isEmpty())
        return std::nullopt;
    QStringList keys = c.vars.keys();
    keys.sort();
    QStringList candidates;
    for (const QString &key : std::as_const(keys)) {
        if (numeric.match(c.vars.value(key).trimmed()).hasMatch() && usesVar(c, key) &&
            (!expression.isEmpty() || free.contains(key)))
            candidates.append(key);
    }
    if (candidates.isEmpty())
        return std::nullopt;
    std::optional<double> oldAnswer;
    if (!expression.isEmpty()) {
        oldAnswer = VariantTransforms::evaluate(renderTemplate(expression, c.vars));
        if (!oldAnswer)
            return std::nullopt;
    }
    const bool integral = oldAnswer && std::abs(*oldAnswer - std::round(*oldAnswer)) < 1e-9;
    // Retry draws until the answer keeps its kind (a whole number stays whole: "half as many").
    for (int attempt = 0; attempt < 32; ++attempt) {
        CaseVariant v;
        QHash<QString, QString> vars = c.vars;
        for (const QString &key : std::as_const(candidates)) {
            const QString value = perturb(c.vars.value(key).trimmed(), rng);
            v.vars.insert(key, value);
            vars.insert(key, value);
        }
        if (expression.isEmpty())
            return v;
        const auto newAnswer = VariantTransforms::evaluate(renderTemplate(expression, vars));
        if (!newAnswer || (integral && std::abs(*newAnswer - std::round(*newAnswer)) > 1e-9) ||
            *newAnswer == *oldAnswer || (*oldAnswer >= 0 && *newAnswer < 0))
            continue;
        const QString from = formatNumber(*oldAnswer, integral ? 0 : 6);
        const QString to = formatNumber(*newAnswer, integral ? 0 : 6);
        carryAnswer(c, v, {{from, to}}, true, oldAnswer, newAnswer);
        if (v.reference.isEmpty())
            v.reference = to; // the case's reference did not spell the number: state it
        return v;
    }
    return std::nullopt;
}

} // namespace Slopscope::VariantDetail
