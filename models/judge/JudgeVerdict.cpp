#include "judge/JudgeVerdict.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct JudgeVerdictTr
{
    Q_DECLARE_TR_FUNCTIONS(JudgeVerdict)
};

// Index one past the '}' closing the '{' at `start`, or -1 when it never closes.
qsizetype balancedEnd(const QString &text, qsizetype start)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = start; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'"') {
            inString = true;
        } else if (c == u'{') {
            ++depth;
        } else if (c == u'}') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return -1;
}

} // namespace

std::optional<nlohmann::json> JudgeVerdict::firstJsonObject(const QString &text)
{
    // Bounded: a judge answer full of stray braces costs at most this many scans.
    constexpr int kMaxCandidates = 64;
    int tried = 0;
    for (qsizetype start = text.indexOf(u'{'); start >= 0 && tried < kMaxCandidates;
         start = text.indexOf(u'{', start + 1)) {
        ++tried;
        const qsizetype end = balancedEnd(text, start);
        if (end < 0)
            continue;
        nlohmann::json parsed = nlohmann::json::parse(text.mid(start, end - start).toStdString(), nullptr, false);
        if (!parsed.is_discarded() && parsed.is_object())
            return parsed;
    }
    return std::nullopt;
}

QString JudgeVerdict::excerpt(const QString &text, qsizetype maxChars)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QString flat = text;
    flat.replace(space, QStringLiteral(" "));
    flat = flat.trimmed();
    if (flat.size() > maxChars)
        flat = flat.left(maxChars) + u'…';
    return flat;
}

Result<JudgeVerdict> JudgeVerdict::parse(const QString &answer, std::optional<double> threshold)
{
    if (answer.trimmed().isEmpty())
        return Error{JudgeVerdictTr::tr("the judge's answer is empty")};
    if (answer.size() > kMaxAnswerChars)
        return Error{JudgeVerdictTr::tr("the judge's answer is too long (%1 characters)").arg(answer.size())};
    const std::optional<nlohmann::json> object = firstJsonObject(answer);
    if (!object)
        return Error{JudgeVerdictTr::tr("no JSON verdict in the judge's answer (\"%1\")").arg(excerpt(answer))};
    const nlohmann::json &v = *object;

    JudgeVerdict out;
    const auto score = v.find("score");
    if (score == v.end() || score->is_null())
        return Error{JudgeVerdictTr::tr("the verdict has no score")};
    if (!score->is_number())
        return Error{
            JudgeVerdictTr::tr("the verdict's score is not a number (%1)").arg(Json::toQString(score->dump()))};
    out.score = score->get<double>();
    if (!std::isfinite(out.score) || out.score < 0.0 || out.score > 1.0)
        return Error{
            JudgeVerdictTr::tr("the verdict's score %1 is outside 0 to 1").arg(Json::toQString(score->dump()))};

    const auto pass = v.find("pass");
    if (pass != v.end() && !pass->is_null()) {
        if (!pass->is_boolean())
            return Error{
                JudgeVerdictTr::tr("the verdict's pass is not true or false (%1)").arg(Json::toQString(pass->dump()))};
        out.passGiven = true;
        out.pass = pass->get<bool>();
    }

    const auto reason = v.find("reason");
    if (reason != v.end() && !reason->is_null()) {
        if (!reason->is_string())
            return Error{JudgeVerdictTr::tr("the verdict's reason is not a string")};
        out.reason = Json::toQString(reason->get<std::string>()).trimmed();
    }

    // promptfoo: without pass, score >= threshold (0.5 by default); with an explicit threshold the
    // judge's own pass also needs the score to reach it.
    if (!out.passGiven)
        out.pass = out.score >= threshold.value_or(kDefaultThreshold);
    else if (threshold)
        out.pass = out.pass && out.score >= *threshold;
    return out;
}

} // namespace Slopscope
