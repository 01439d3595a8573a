#pragma once

#include "core/Result.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace Slopscope {

// A judge's verdict on one answer, in the contract {"reason": "…", "score": 0.83, "pass": true}.
struct JudgeVerdict
{
    QString reason;
    double score = 0.0;     // 0..1
    bool pass = false;      // final: the judge's pass, held to the assertion's threshold when it has one
    bool passGiven = false; // the judge said pass itself (else it was derived from the threshold)

    // promptfoo's default when the judge gives a score without pass.
    static constexpr double kDefaultThreshold = 0.5;
    // Judge answers longer than this are refused rather than scanned.
    static constexpr qsizetype kMaxAnswerChars = 256 * 1024;

    // Strict: the answer must hold a JSON object (alone, in a ```json fence or amid prose: the
    // first balanced {...} that parses is the verdict) whose "score" is a number in [0, 1], whose
    // "pass", if present, is true or false, and whose "reason", if present, is a string. Without
    // "pass" the verdict passes when score >= threshold (default 0.5); with both, it passes only
    // when the judge said pass and the score reaches the threshold. Anything else is an error.
    static Result<JudgeVerdict> parse(const QString &answer, std::optional<double> threshold = std::nullopt);

    // The first balanced {...} in the text that parses as a JSON object (strings and escapes are
    // respected while balancing); nullopt when there is none among the first candidates.
    static std::optional<nlohmann::json> firstJsonObject(const QString &text);
    // A short, single-line excerpt of an untrusted answer for error messages.
    static QString excerpt(const QString &text, qsizetype maxChars = 80);

    friend bool operator==(const JudgeVerdict &, const JudgeVerdict &) = default;
};

} // namespace Slopscope
