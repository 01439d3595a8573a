#include "run/ChainTurnCodec.h"

#include "core/JsonFields.h"
#include "run/ThoughtsCodec.h"

namespace Slopscope {

namespace {

using json = nlohmann::json;
using JsonFields::putIfSet;
using JsonFields::utf8;

json gradeToJson(const CaseGrade &grade)
{
    json grades = json::array();
    for (const Grade &g : grade.grades) {
        grades.push_back({{"type", utf8(g.type)},
                          {"pass", g.pass},
                          {"score", g.score},
                          {"reason", utf8(g.reason)},
                          {"weight", g.weight},
                          {"needs_judge", g.needsJudge}});
    }
    return {{"pass", grade.pass}, {"score", grade.score}, {"grades", grades}};
}

CaseGrade gradeFromJson(const json &j)
{
    CaseGrade out;
    if (!j.is_object())
        return out;
    out.pass = j.value("pass", false);
    out.score = JsonFields::number<double>(j, "score").value_or(0.0);
    const auto grades = j.find("grades");
    if (grades == j.end() || !grades->is_array())
        return out;
    for (const json &g : *grades) {
        if (!g.is_object())
            continue;
        Grade grade;
        grade.type = JsonFields::string(g, "type");
        grade.pass = g.value("pass", false);
        grade.score = JsonFields::number<double>(g, "score").value_or(0.0);
        grade.reason = JsonFields::string(g, "reason");
        grade.weight = JsonFields::number<double>(g, "weight").value_or(1.0);
        grade.needsJudge = g.value("needs_judge", false);
        out.grades.append(std::move(grade));
    }
    return out;
}

} // namespace

json ChainTurnCodec::toJson(const QList<ChainTurnResult> &turns, Purpose purpose)
{
    json out = json::array();
    for (const ChainTurnResult &t : turns) {
        json calls = json::array();
        for (const ChatToolCall &c : t.toolCalls) {
            json call = {{"id", utf8(c.id)}, {"name", utf8(c.name)}, {"arguments", utf8(c.arguments)}};
            if (purpose == Purpose::Store && !c.thoughtSignature.isEmpty())
                call["thought_signature"] = utf8(c.thoughtSignature);
            calls.push_back(std::move(call));
        }
        json results = json::array();
        for (const ChainToolResult &r : t.toolResults) {
            results.push_back({{"call_id", utf8(r.callId)},
                               {"tool", utf8(r.toolName)},
                               {"kind", utf8(toolResultKindName(r.kind))},
                               {"content", utf8(r.content)},
                               {"scripted", r.scripted}});
        }
        json node = {{"user", utf8(t.user)},         {"answer", utf8(t.answer)},
                     {"tool_calls", calls},          {"tool_results", results},
                     {"requests", t.requests},       {"tool_round_cap_hit", t.toolRoundCapHit},
                     {"grade", gradeToJson(t.grade)}};
        if (purpose == Purpose::Store && !t.thoughts.isEmpty()) {
            json thoughts = json::array();
            for (const ChainThoughts &th : t.thoughts) {
                json one = ThoughtsCodec::toJson(Thoughts{th.thinking, th.reasoningItems});
                one["request"] = th.request;
                thoughts.push_back(std::move(one));
            }
            node["thoughts"] = std::move(thoughts);
        }
        putIfSet(node, "ttft_ns", t.ttftNs);
        putIfSet(node, "e2e_ns", t.e2eNs);
        putIfSet(node, "input_tokens", t.inputTokens);
        putIfSet(node, "output_tokens", t.outputTokens);
        putIfSet(node, "cost_usd", t.costUsd);
        out.push_back(std::move(node));
    }
    return out;
}

QList<ChainTurnResult> ChainTurnCodec::fromJson(const json &turns)
{
    QList<ChainTurnResult> out;
    if (!turns.is_array())
        return out;
    for (const json &node : turns) {
        if (!node.is_object())
            continue;
        ChainTurnResult t;
        t.user = JsonFields::string(node, "user");
        t.answer = JsonFields::string(node, "answer");
        if (const auto calls = node.find("tool_calls"); calls != node.end() && calls->is_array()) {
            for (const json &c : *calls) {
                if (c.is_object())
                    t.toolCalls.append({JsonFields::string(c, "id"), JsonFields::string(c, "name"),
                                        JsonFields::string(c, "arguments"), JsonFields::string(c, "thought_signature")});
            }
        }
        if (const auto results = node.find("tool_results"); results != node.end() && results->is_array()) {
            for (const json &r : *results) {
                if (!r.is_object())
                    continue;
                ChainToolResult result;
                result.callId = JsonFields::string(r, "call_id");
                result.toolName = JsonFields::string(r, "tool");
                result.kind = toolResultKindFromName(JsonFields::string(r, "kind")).value_or(ToolResultKind::Result);
                result.content = JsonFields::string(r, "content");
                result.scripted = r.value("scripted", true);
                t.toolResults.append(std::move(result));
            }
        }
        if (const auto thoughts = node.find("thoughts"); thoughts != node.end() && thoughts->is_array()) {
            for (const json &th : *thoughts) {
                const Thoughts read = ThoughtsCodec::fromJson(th);
                if (!read.isEmpty())
                    t.thoughts.append(
                        {JsonFields::number<int>(th, "request").value_or(0), read.thinking, read.reasoningItems});
            }
        }
        t.requests = JsonFields::number<int>(node, "requests").value_or(0);
        t.toolRoundCapHit = node.value("tool_round_cap_hit", false);
        t.grade = gradeFromJson(node.value("grade", json()));
        t.ttftNs = JsonFields::number<qint64>(node, "ttft_ns");
        t.e2eNs = JsonFields::number<qint64>(node, "e2e_ns");
        t.inputTokens = JsonFields::number<qint64>(node, "input_tokens");
        t.outputTokens = JsonFields::number<qint64>(node, "output_tokens");
        t.costUsd = JsonFields::number<double>(node, "cost_usd");
        out.append(std::move(t));
    }
    return out;
}

} // namespace Slopscope
