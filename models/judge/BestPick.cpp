#include "judge/BestPick.h"

#include "core/Json.h"
#include "judge/JudgePrompt.h"
#include "judge/JudgeVerdict.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct BestPickTr
{
    Q_DECLARE_TR_FUNCTIONS(BestPick)
};

} // namespace

Result<BestPick> BestPick::parse(const QString &answer, qsizetype answerCount)
{
    if (answerCount < 1 || answerCount > JudgePrompt::kMaxAnswers)
        return Error{BestPickTr::tr("no answers to pick from")};
    if (answer.trimmed().isEmpty())
        return Error{BestPickTr::tr("the judge's answer is empty")};
    if (answer.size() > JudgeVerdict::kMaxAnswerChars)
        return Error{BestPickTr::tr("the judge's answer is too long (%1 characters)").arg(answer.size())};
    const auto object = JudgeVerdict::firstJsonObject(answer);
    if (!object)
        return Error{
            BestPickTr::tr("no JSON verdict in the judge's answer (\"%1\")").arg(JudgeVerdict::excerpt(answer))};
    const auto best = object->find("best");
    if (best == object->end() || best->is_null())
        return Error{BestPickTr::tr("the verdict names no best answer")};
    if (!best->is_string())
        return Error{BestPickTr::tr("the verdict's best is not a label (%1)").arg(Json::toQString(best->dump()))};
    const QString said = Json::toQString(best->get<std::string>()).trimmed().toUpper();
    BestPick out;
    for (qsizetype i = 0; i < answerCount; ++i) {
        if (said == JudgePrompt::label(i)) {
            out.index = static_cast<int>(i);
            out.label = said;
        }
    }
    if (out.index < 0)
        return Error{BestPickTr::tr("the verdict's best \"%1\" is not one of the labels shown (A to %2)")
                         .arg(JudgeVerdict::excerpt(said, 20), JudgePrompt::label(answerCount - 1))};
    const auto reason = object->find("reason");
    if (reason != object->end() && !reason->is_null()) {
        if (!reason->is_string())
            return Error{BestPickTr::tr("the verdict's reason is not a string")};
        out.reason = Json::toQString(reason->get<std::string>()).trimmed();
    }
    return out;
}

} // namespace Slopscope
