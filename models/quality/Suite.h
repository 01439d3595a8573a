#pragma once

#include "core/ChatMessage.h"
#include "core/Result.h"
#include "core/ToolChoice.h"
#include "core/ToolSpec.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace Slopscope {

// One check on an answer, promptfoo-compatible (type names and keys), graded by models/quality.
struct Assertion
{
    QString type;
    nlohmann::json value; // string, number, list or object, depending on the type
    std::optional<double> threshold;
    double weight = 1.0;
    QString provider; // judge target for model-graded types
    QString metric;
    QString interpreter = {}; // code-tests: what runs the tests (empty: python3)
};

// The same question asked differently: canonical wording vs its rewordings is how Slopscope
// measures brittleness. A variant may also change the case's variables (renamed entities, other
// numbers) and then carries the answer that goes with them.
struct CaseVariant
{
    QString id;
    QString kind; // "paraphrase", "reorder", "distractor", ...
    QString prompt;
    QList<ChatMessage> messages;
    QHash<QString, QString> vars;               // override the case's vars of the same name
    QString reference;                          // empty: the case's reference
    std::optional<QList<Assertion>> assertions; // nullopt: the case's assertions
};

// What a scripted tool returns when the model calls it: the stress a chain case applies.
enum class ToolResultKind {
    Result,    // the content is the tool's output
    Error,     // the tool failed; the content is the error text (ChatMessage::toolError)
    Missing,   // the tool returns, but without what was asked for (the content is the partial data)
    Interrupt, // the call is cancelled and the user interjects: the content is sent as a user message
};

// The name a suite file uses ("result", "error", "missing", "interrupt").
QString toolResultKindName(ToolResultKind kind);
std::optional<ToolResultKind> toolResultKindFromName(const QString &name);

// One entry of a case's or turn's "tool_results". Entries for the same tool answer its first,
// second, ... call of a turn in order, and the last one repeats; "*" answers any tool that has
// no entry of its own.
struct ScriptedToolResult
{
    QString tool; // a function name, or "*"
    ToolResultKind kind = ToolResultKind::Result;
    QString content;

    friend bool operator==(const ScriptedToolResult &, const ScriptedToolResult &) = default;
};

// A turn after the first (the first is the case's prompt or messages, graded by its assertions).
struct ChainTurn
{
    QString user;                          // a template over the case's vars
    QList<Assertion> assertions;           // what the answer to this turn is graded with
    QList<ScriptedToolResult> toolResults; // empty: the case's tool_results
};

struct SuiteCase
{
    QString id;
    QString description;
    QString prompt;              // either this...
    QList<ChatMessage> messages; // ...or this
    QHash<QString, QString> vars;
    QString reference;
    QList<Assertion> assertions;
    QStringList tags;
    double weight = 1.0;
    // promptfoo's test threshold: when set, the case passes when its weighted score reaches it,
    // whatever the single assertions say.
    std::optional<double> threshold;
    // Latency-aware quality: an answer whose end-to-end latency exceeds this counts as a failure
    // in "quality within budget" (the suite's default when unset).
    std::optional<qint64> timeBudgetMs;
    nlohmann::json metadata = nlohmann::json::object();
    QList<CaseVariant> variants;
    // Functions offered to the model with this case (besides the suite's default tools).
    QList<ToolSpec> tools = {};
    // Whether the model may, must or must not call them and may call several at once; unset:
    // the defaults' (and, unset there too, the provider's).
    std::optional<ToolChoice> toolChoice = {};
    std::optional<bool> parallelToolCalls = {};
    // A chain: user turns after the first (the prompt or messages above, which variants may
    // reword; the further turns are the same for every variant), each sent once the answer to the
    // one before is in (Chain.h).
    QList<ChainTurn> turns = {};
    // What scripted tools return when the model calls them, in every turn without its own script.
    QList<ScriptedToolResult> toolResults = {};
    // How many times in one turn tool results are fed back before the turn is cut off: a model
    // that keeps calling tools cannot loop forever.
    int maxToolRounds = kDefaultMaxToolRounds;
    static constexpr int kDefaultMaxToolRounds = 4;

    [[nodiscard]] const CaseVariant *findVariant(const QString &variantId) const;
};

struct SuiteDefaults
{
    QString system;
    nlohmann::json params = nlohmann::json::object();
    QList<Assertion> assertions;
    std::optional<qint64> timeBudgetMs; // every case's time budget unless it sets its own
    QList<ToolSpec> tools = {};         // offered with every case
    std::optional<ToolChoice> toolChoice = {}; // every case's unless it sets its own
    std::optional<bool> parallelToolCalls = {};
};

struct Suite
{
    QString name;
    QString description;
    SuiteDefaults defaults;
    QList<SuiteCase> cases;

    // The largest suite file accepted; beyond it loading fails at once, before reading, with a
    // clear message. Suites are parsed whole on the caller's thread at roughly 8-30 MiB/s
    // (bench/README.md), so the limit keeps an open from blocking the GUI for more than a few
    // seconds; a 200 MB suite is refused (RELIABILITY.md L-6), not streamed.
    static constexpr qint64 kMaxFileBytes = 64LL * 1024 * 1024;

    // Parses and validates a whole suite; on any error nothing is returned and the message names
    // the source, line, column and field ("demo.json:12:7: cases[2].assert[0].type: ...").
    static Result<Suite> fromJson(const QByteArray &bytes, const QString &sourceName);
    static Result<Suite> fromFile(const QString &path);

    [[nodiscard]] const SuiteCase *findCase(const QString &id) const;
    // The case's time budget, else the suite's default; nullopt: the case has none.
    [[nodiscard]] std::optional<qint64> timeBudgetFor(const SuiteCase &c) const;
    // Whether any case has a time budget (otherwise quality within budget is plain quality).
    [[nodiscard]] bool hasTimeBudgets() const;

    // The chat messages sent for a case (or one of its variants): the default system prompt
    // first, then the prompt or messages with {{vars}} filled in.
    [[nodiscard]] QList<ChatMessage> messagesFor(const SuiteCase &c, const CaseVariant *variant = nullptr) const;
    // What an answer to the case (or the variant) is graded with: the default assertions, then
    // the variant's own assertions if it has them, else the case's.
    [[nodiscard]] QList<Assertion> assertionsFor(const SuiteCase &c, const CaseVariant *variant = nullptr) const;
    // The functions offered with a case: its own, then the suite's defaults it does not redefine.
    [[nodiscard]] QList<ToolSpec> toolsFor(const SuiteCase &c) const;
    // The case's tool choice and parallelism, else the defaults'; nullopt: the provider's default.
    [[nodiscard]] std::optional<ToolChoice> toolChoiceFor(const SuiteCase &c) const;
    [[nodiscard]] std::optional<bool> parallelToolCallsFor(const SuiteCase &c) const;
    [[nodiscard]] static QString referenceFor(const SuiteCase &c, const CaseVariant *variant = nullptr);
    // The vars a case's or variant's templates are filled from.
    [[nodiscard]] static QHash<QString, QString> varsFor(const SuiteCase &c, const CaseVariant *variant = nullptr);
};

// Assertion types Slopscope knows how to grade (promptfoo names).
const QStringList &knownAssertionTypes();
// promptfoo's other names for the same checks, mapped to the name Slopscope grades them under
// ("is-valid-openai-tools-call" -> "is-valid-tool-call"); other names come back unchanged.
QString canonicalAssertionType(const QString &type);

// Fills {{name}} and {{ name }} from vars. Values are inserted literally, never expanded again,
// so templates cannot recurse. Unknown names are reported through `missing`.
QString renderTemplate(const QString &text, const QHash<QString, QString> &vars, QStringList *missing = nullptr);

} // namespace Slopscope
