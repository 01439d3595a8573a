#pragma once

#include "core/ChatMessage.h"
#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace Slopscope {

// One assertion of a suite case, as far as the simulator needs to understand it.
struct SimAssertion
{
    QString type;
    QStringList values;             // one value, or the list of an *-any / *-all assertion
    QList<ChatToolCall> calls = {}; // tool-call: the calls expected (arguments as JSON text)
};

// A case of a suite, with what the simulator derives from it to answer it right or wrong.
struct SimCase
{
    QString suite;
    QString id;
    QString prompt;          // the canonical wording
    QStringList variants;    // paraphrases: the case's "variants" (their prompt or last user message)
    QStringList tags;        // categories; the first one a persona rates decides its quality
    QString reference;       // the right answer
    QStringList distractors; // plausible wrong answers (metadata.distractors, else derived)
    QList<SimAssertion> assertions;
    // Tool-calling cases: the case (or its suite's defaults) offers "tools" and an assertion asks
    // for a call (is-valid-tool-call, tool-call); the right calls come from the tool-call values.
    bool offersTools = false;
    bool asksForCall = false;
    QList<ChatToolCall> expectedCalls;
    // 0: the case's question; k: the k-th further turn of a chain case (same id; its user
    // message is the prompt, answered from the turn's own checks and answers).
    int turn = 0;
};

struct SimMatch
{
    const SimCase *simCase = nullptr;
    bool canonical = true; // the suite's own wording, not a paraphrase
    int variant = 0;       // 0 canonical, k = variants[k-1], -1 an unseen paraphrase
    double score = 0.0;    // similarity, 1.0 for a verbatim match
};

// The answer key: the cases of the bundled demo suites (or any suite files given), recognised by
// fuzzy matching so that rewordings of a question are recognised as the same case.
class SimAnswerKey final
{
public:
    Status addSuite(const QByteArray &json, const QString &sourceName);
    Status addSuiteFile(const QString &path);
    // Every *.json under :/slopscope/demo/suites/.
    static Result<SimAnswerKey> demo();

    [[nodiscard]] const QList<SimCase> &cases() const { return m_cases; }
    [[nodiscard]] std::optional<SimMatch> recognize(const QString &prompt) const;

    // Whether `text` passes the assertions the simulator understands (icontains, contains,
    // equals, starts-with, regex, their not- forms and the -any/-all lists); others are ignored.
    static bool satisfies(const QString &text, const QList<SimAssertion> &assertions);
    // Lower-cased words without punctuation and common stop words, lightly stemmed.
    static QSet<QString> contentWords(const QString &text);
    // Lower-cased alphanumeric words joined by single spaces.
    static QString normalized(const QString &text);

private:
    struct Entry
    {
        qsizetype caseIndex = 0;
        int variant = 0;
        QString normalizedText;
        QSet<QString> words;
    };
    void index(qsizetype caseIndex);
    void deriveDistractors(SimCase &c) const;

    QList<SimCase> m_cases;
    QList<Entry> m_entries;
};

} // namespace Slopscope
