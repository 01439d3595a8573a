#include "sim/SimRecord.h"

#include "sim/SimJson.h"

#include <cmath>

namespace Slopscope {

namespace {

SimJson::Value ms(double v)
{
    if (v < 0)
        return nullptr;
    return std::round(v * 1000.0) / 1000.0; // µs precision is plenty
}

SimJson::Value optionalString(const QString &s)
{
    return s.isEmpty() ? SimJson::Value(nullptr) : SimJson::Value(s.toStdString());
}

} // namespace

QByteArray SimRecord::toJson(bool withText) const
{
    SimJson::Value o = SimJson::Value::object();
    o["id"] = id;
    o["tag"] = optionalString(tag);
    o["method"] = method.toStdString();
    o["path"] = path.toStdString();
    o["dialect"] = optionalString(dialect);
    o["model"] = optionalString(model);
    o["stream"] = stream;
    o["status"] = status;
    o["fault"] = fault.toStdString();
    o["outcome"] = outcome.toStdString();
    o["wall_arrival_ms"] = wallArrivalMs;
    o["arrival_ms"] = ms(arrivalMs);
    o["body_complete_ms"] = ms(bodyCompleteMs);
    o["headers_ms"] = ms(headersMs);
    o["first_content_ms"] = ms(firstContentMs);
    o["first_answer_ms"] = ms(firstAnswerMs);
    o["last_byte_ms"] = ms(lastByteMs);
    o["planned_ttft_ms"] = ms(plannedTtftMs);
    o["planned_first_content_ms"] = ms(plannedFirstContentMs);
    o["planned_last_token_ms"] = ms(plannedLastTokenMs);
    o["tokens_per_second"] = tokensPerSecond;
    o["input_tokens"] = inputTokens;
    o["output_tokens"] = outputTokens;
    o["reasoning_tokens"] = reasoningTokens;
    o["reasoning_items_carried"] = reasoningItemsCarried;
    o["tokens_sent"] = tokensSent;
    o["finish_reason"] = optionalString(finishReason);
    o["answer_kind"] = optionalString(answerKind);
    o["suite"] = optionalString(suite);
    o["case_id"] = optionalString(caseId);
    o["form"] = optionalString(form);
    o["repeat"] = repeat < 0 ? SimJson::Value(nullptr) : SimJson::Value(repeat);
    o["attempt"] = attempt;
    o["judge_score"] = judgeScore < 0 ? SimJson::Value(nullptr) : SimJson::Value(judgeScore);
    if (withText)
        o["text"] = text.toStdString();
    return SimJson::dump(o, SimJson::Style::Compact);
}

} // namespace Slopscope
