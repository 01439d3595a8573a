#pragma once

#include "core/ToolChoice.h"
#include "core/ToolSpec.h"
#include "sim/SimAnswer.h"
#include "sim/SimAnswerKey.h"
#include "sim/SimPersona.h"

#include <QString>

#include <optional>

namespace Slopscope {

// What the answerer needs from a request.
struct SimQuery
{
    const SimPersona *persona = nullptr;
    QString prompt;                        // the last user message
    QString variant;                       // x-sim-variant, usually empty
    int repeat = 0;                        // x-sim-repeat, or the how-many-th identical request
    std::optional<int> requestedTokens;    // x-sim-tokens: length of an answer to an unknown prompt
    bool thinking = false;                 // generate a thinking phase
    QList<ToolSpec> tools;                 // functions the request offers
    std::optional<ToolChoice> toolChoice;  // none: never call; required / a name: always call
    std::optional<bool> parallelToolCalls; // false: at most one call per answer
    std::optional<ChatMessage> toolResult; // the last message, when it is a tool's result
};

// A judge verdict in the judge JSON contract: {"score": 0..1, "pass": bool, "reason": "..."}.
struct SimVerdict
{
    double score = 0.0;
    bool pass = false;
    QString reason;
    [[nodiscard]] QByteArray toJson() const;
};

// Deterministic answers: the same persona, prompt, variant and repeat give the same bytes.
// Recognised suite cases are answered right with the persona's probability for the case's
// category and form (canonical or paraphrase) and otherwise with a plausible distractor; judge
// prompts get a comparison-based verdict (against the reference, else the rubric's key phrases);
// anything else gets filler text of a set length.
class SimAnswerer final
{
public:
    explicit SimAnswerer(const SimAnswerKey *key)
        : m_key(key)
    {}

    [[nodiscard]] SimAnswer answer(const SimQuery &query) const;

    static quint64 seedFor(const QString &personaId, const QString &prompt, const QString &variant, int repeat);
    // Candidate and reference between <candidate>…</candidate> and <reference>…</reference>
    // (or <candidate_answer>/<reference_answer>); nullopt when the prompt is not a judge prompt.
    struct JudgeInput
    {
        QString candidate;
        QString reference;
        QString rubric;       // between <rubric>…</rubric> (llm-rubric prompts)
        QString conversation; // between <conversation>…</conversation> (a chain turn's judge)
    };
    static std::optional<JudgeInput> parseJudgePrompt(const QString &prompt);
    static SimVerdict judge(const QString &candidate, const QString &reference, double passScore);
    // A verdict from a rubric alone (llm-rubric without a reference), deterministic. The rubric's
    // key phrases, quoted in it ("…", “…” or '…'), must appear in the candidate (compared
    // normalised: case, punctuation and spacing aside, whole words), or must not when a negation
    // ("not", "no", "never", "without", "…n't") comes before the quote in its clause. A rubric
    // that quotes nothing asks for its content words instead: stop words and rubric vocabulary
    // ("answer", "mentions", "sentence", …) left out, and so is each clause's part from a negation
    // on. The score is the share met; it passes at `passScore` (the persona's judge_pass_score).
    static SimVerdict judgeByRubric(const QString &candidate, const QString &rubric, double passScore);
    // A select-best prompt: the question and two or more answers labelled A, B, … (<answer
    // label="A">…</answer>); nullopt when the prompt is not one.
    struct PickInput
    {
        QString question;
        QStringList labels;
        QStringList answers;
        QString conversation;
    };
    static std::optional<PickInput> parsePickPrompt(const QString &prompt);
    // What a judge says of the conversation a chain turn's prompt carries, added to its reason:
    // how many messages it read, the first one's opening words and how many turns were left out,
    // so a run (and its tests) can see that the context reached the judge. Empty without one.
    static QString contextNote(const QString &conversation);
    // The judge's pick as JSON ({"best": "B", "reason": …}): the answer closest to `reference`, the
    // first shown on a tie or without a reference, as real judges lean to the first position.
    static QByteArray pick(const PickInput &input, const QString &reference);
    // Filler text of exactly `tokens` tokens (by SimTokenizer), deterministic in `seed`.
    static QByteArray fillerText(quint64 seed, int tokens);

private:
    // A recognised tool-calling case offered tools: the right call, or a wrong tool / a missing
    // argument. False when the case is not one.
    bool answerWithCall(const SimCase &c, const SimQuery &q, bool right, SimAnswer &a) const;
    // Text that reports a tool's result (or, for a persona that ignores failures, hides one).
    static QString answerFromToolResult(const SimQuery &q, const SimCase *c, quint64 seed);

    const SimAnswerKey *m_key;
};

} // namespace Slopscope
