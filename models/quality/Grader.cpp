#include "quality/Grader.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

namespace Slopscope {

namespace {

using json = nlohmann::json;

QString tr(const char *text)
{
    return QCoreApplication::translate("Grader", text);
}

QString valueString(const json &v)
{
    if (v.is_string())
        return Json::toQString(v.get<std::string>());
    if (v.is_null())
        return {};
    return Json::toQString(v.dump());
}

QStringList valueList(const json &v)
{
    QStringList out;
    if (v.is_array()) {
        for (const auto &item : v)
            out.append(valueString(item));
    } else if (!v.is_null()) {
        out.append(valueString(v));
    }
    return out;
}

Grade verdict(bool pass, QString reason)
{
    Grade g;
    g.pass = pass;
    g.score = pass ? 1.0 : 0.0;
    g.reason = std::move(reason);
    return g;
}

Grade gradeBase(const QString &type, const Assertion &a, const GradeInput &in)
{
    const QString expected = valueString(a.value);
    const QString &answer = in.answer;
    if (type == u"equals")
        return verdict(answer.trimmed() == expected.trimmed(), tr("expected exactly \"%1\"").arg(expected));
    if (type == u"contains")
        return verdict(answer.contains(expected), tr("expected to contain \"%1\"").arg(expected));
    if (type == u"icontains")
        return verdict(answer.contains(expected, Qt::CaseInsensitive),
                       tr("expected to contain \"%1\" (any case)").arg(expected));
    if (type == u"not-contains")
        return verdict(!answer.contains(expected), tr("expected not to contain \"%1\"").arg(expected));
    if (type == u"starts-with")
        return verdict(answer.trimmed().startsWith(expected), tr("expected to start with \"%1\"").arg(expected));
    if (type == u"contains-any" || type == u"contains-all") {
        const QStringList items = valueList(a.value);
        qsizetype found = 0;
        for (const auto &item : items)
            found += answer.contains(item, Qt::CaseInsensitive) ? 1 : 0;
        const bool any = type == u"contains-any";
        const bool pass = any ? found > 0 : (found == items.size() && !items.isEmpty());
        Grade g = verdict(pass, tr("%1 of %2 expected phrases found").arg(found).arg(items.size()));
        if (!any && !items.isEmpty())
            g.score = static_cast<double>(found) / static_cast<double>(items.size());
        return g;
    }
    if (type == u"regex") {
        const QRegularExpression re(expected);
        if (!re.isValid())
            return verdict(false, tr("invalid regular expression: %1").arg(re.errorString()));
        return verdict(re.match(answer).hasMatch(), tr("expected to match /%1/").arg(expected));
    }
    if (type == u"is-json") {
        const auto parsed = json::parse(answer.toStdString(), nullptr, false);
        return verdict(!parsed.is_discarded(), tr("expected the whole answer to be JSON"));
    }
    if (type == u"contains-json")
        return verdict(Grader::extractJson(answer).has_value(), tr("expected a JSON value in the answer"));
    if (type == u"levenshtein") {
        const int distance = Grader::levenshtein(answer.trimmed(), expected.trimmed());
        const double limit = a.threshold.value_or(5.0);
        return verdict(distance <= limit, tr("edit distance %1 (at most %2)").arg(distance).arg(limit));
    }
    if (type == u"word-count") {
        static const QRegularExpression spaces(QStringLiteral("\\s+"));
        const auto words = answer.split(spaces, Qt::SkipEmptyParts).size();
        if (a.value.is_object()) {
            const qsizetype min = a.value.value("min", 0);
            const qsizetype max = a.value.value("max", std::numeric_limits<int>::max());
            return verdict(words >= min && words <= max, tr("%1 words (%2 to %3)").arg(words).arg(min).arg(max));
        }
        const auto wanted = a.value.is_number() ? a.value.get<qsizetype>() : -1;
        return verdict(words == wanted, tr("%1 words (expected %2)").arg(words).arg(wanted));
    }
    if (type == u"latency") {
        if (!in.latencyMs)
            return verdict(false, tr("latency was not measured"));
        const double limit = a.threshold.value_or(a.value.is_number() ? a.value.get<double>() : 0.0);
        return verdict(*in.latencyMs <= limit, tr("%1 ms (at most %2 ms)").arg(*in.latencyMs, 0, 'f', 0).arg(limit));
    }
    if (type == u"cost") {
        if (!in.costUsd)
            return verdict(false, tr("cost is unknown"));
        const double limit = a.threshold.value_or(a.value.is_number() ? a.value.get<double>() : 0.0);
        return verdict(*in.costUsd <= limit, tr("$%1 (at most $%2)").arg(*in.costUsd, 0, 'f', 6).arg(limit));
    }
    if (type == u"numeric") {
        const auto got = Grader::extractNumber(answer);
        double want = 0;
        double tolerance = a.threshold.value_or(1e-9);
        if (a.value.is_number()) {
            want = a.value.get<double>();
        } else if (a.value.is_object() && a.value.contains("value")) {
            want = a.value.at("value").get<double>();
            tolerance = a.value.value("tolerance", tolerance);
        } else {
            bool ok = false;
            want = expected.toDouble(&ok);
            if (!ok)
                return verdict(false, tr("the assertion gives no number to compare with"));
        }
        if (!got)
            return verdict(false, tr("no number in the answer (expected %1)").arg(want));
        return verdict(std::abs(*got - want) <= tolerance,
                       tr("found %1, expected %2 ± %3").arg(*got).arg(want).arg(tolerance));
    }
    return verdict(false, tr("no deterministic grader for \"%1\"").arg(type));
}

} // namespace

bool Grader::isModelGraded(const QString &type)
{
    return type == u"llm-rubric" || type == u"factuality" || type == u"select-best" || type == u"code-tests" ||
           type == u"json-schema" || type == u"is-valid-tool-call" || type == u"tool-call";
}

Grade Grader::grade(const Assertion &assertion, const GradeInput &input)
{
    QString type = assertion.type;
    bool negate = false;
    if (type.startsWith(u"not-") && type != u"not-contains") {
        negate = true;
        type = type.mid(4);
    }
    Grade g;
    if (isModelGraded(type)) {
        g.needsJudge = true;
        g.reason = tr("waiting for a judge");
    } else {
        g = gradeBase(type, assertion, input);
        if (negate) {
            g.pass = !g.pass;
            g.score = 1.0 - g.score;
            g.reason = tr("not: %1").arg(g.reason);
        }
    }
    g.type = assertion.type;
    g.weight = assertion.weight;
    return g;
}

CaseGrade Grader::gradeAll(const QList<Assertion> &assertions, const GradeInput &input)
{
    CaseGrade out;
    double weighted = 0;
    double weights = 0;
    for (const auto &a : assertions) {
        Grade g = grade(a, input);
        if (g.needsJudge) {
            out.pendingJudge = true;
        } else {
            weighted += g.score * g.weight;
            weights += g.weight;
            out.pass = out.pass && g.pass;
        }
        out.grades.append(std::move(g));
    }
    out.score = weights > 0 ? weighted / weights : (out.pass ? 1.0 : 0.0);
    return out;
}

int Grader::levenshtein(QStringView a, QStringView b)
{
    // Two rows: O(|a|·|b|) time, O(|b|) memory.
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<double> Grader::extractNumber(const QString &text)
{
    // The last number in the answer: models tend to reason first and conclude last.
    static const QRegularExpression number(QStringLiteral("-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|-?\\d+(?:\\.\\d+)?"));
    std::optional<double> last;
    auto it = number.globalMatch(text);
    while (it.hasNext()) {
        QString match = it.next().captured(0);
        match.remove(u',');
        bool ok = false;
        const double value = match.toDouble(&ok);
        if (ok)
            last = value;
    }
    return last;
}

std::optional<QString> Grader::extractJson(const QString &text)
{
    // Try every opening brace or bracket as a start, longest candidate first from each.
    for (qsizetype start = 0; start < text.size(); ++start) {
        const QChar c = text.at(start);
        if (c != u'{' && c != u'[')
            continue;
        const QChar close = c == u'{' ? u'}' : u']';
        for (qsizetype end = text.lastIndexOf(close); end > start; end = text.lastIndexOf(close, end - 1)) {
            const QString candidate = text.mid(start, end - start + 1);
            const auto parsed = json::parse(candidate.toStdString(), nullptr, false);
            if (!parsed.is_discarded())
                return candidate;
        }
    }
    return std::nullopt;
}

} // namespace Slopscope
