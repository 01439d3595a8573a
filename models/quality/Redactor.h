#pragma once

#include <QString>

namespace Slopscope {

// Replaces personal data and secrets in logged text before it becomes a suite: e-mail addresses
// by [EMAIL], phone numbers by [PHONE], key-like strings (sk-…, AKIA…, GitHub/Slack/Google
// tokens, JWTs, "Bearer x", long hex or base64 runs) by [KEY]. Heuristic by nature: it errs
// towards redacting, and says how much it replaced so an import can report it.
class Redactor final
{
public:
    struct Counts
    {
        int emails = 0;
        int phones = 0;
        int keys = 0;
        [[nodiscard]] int total() const { return emails + phones + keys; }
        Counts &operator+=(const Counts &other)
        {
            emails += other.emails;
            phones += other.phones;
            keys += other.keys;
            return *this;
        }
    };

    static QString redact(const QString &text, Counts *counts = nullptr);
};

} // namespace Slopscope
