#include "sim/SimAnswerer.h"

#include "sim/SimJson.h"
#include "sim/SimRandom.h"
#include "sim/SimTokenizer.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

// Filler vocabulary: every word is one token (at most SimTokenizer::kMaxLetters letters).
constexpr const char *kWords[] = {
    "model",   "answer",  "token",   "stream",  "latency", "price",   "quality", "signal",  "result",  "system",
    "value",   "number",  "example", "request", "server",  "client",  "measure", "average", "median",  "spread",
    "first",   "second",  "simple",  "careful", "steady",  "quick",   "slow",    "clear",   "useful",  "likely",
    "because", "however", "while",   "when",    "after",   "before",  "since",   "unless",  "often",   "rarely",
    "the",     "a",       "this",    "that",    "each",    "every",   "some",    "many",    "most",    "few",
    "is",      "was",     "can",     "will",    "may",     "should",  "must",    "does",    "seems",   "shows",
    "data",    "chart",   "table",   "report",  "test",    "case",    "suite",   "prompt",  "reply",   "output",
    "input",   "context", "budget",  "cost",    "speed",   "rate",    "limit",   "window",  "buffer",  "batch",
    "we",      "it",      "they",    "you",     "one",     "two",     "three",   "several", "both",    "all",
    "compare", "observe", "expect",  "explain", "reduce",  "improve", "check",   "count",   "track",   "record",
    "of",      "in",      "on",      "for",     "with",    "from",    "over",    "under",   "between", "across",
    "and",     "or",      "but",     "so",      "yet",     "then",    "also",    "still",   "only",    "even",
    "fast",    "cheap",   "strong",  "weak",    "stable",  "noisy",   "precise", "rough",   "fair",    "honest",
};
constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);

QString wrapShortAnswer(const QString &core, SimRandom &rng)
{
    const QString trimmed = core.trimmed();
    if (trimmed.contains(u'\n') || SimTokenizer::count(trimmed.toUtf8()) > 40)
        return trimmed;
    const bool endsWithStop = trimmed.endsWith(u'.') || trimmed.endsWith(u'!') || trimmed.endsWith(u'?');
    const QString stop = endsWithStop ? QString() : QStringLiteral(".");
    switch (rng.below(4)) {
    case 0:
        return trimmed;
    case 1:
        return QStringLiteral("The answer is ") + trimmed + stop;
    case 2:
        return trimmed + stop;
    default:
        return QStringLiteral("Answer: ") + trimmed;
    }
}

QString extractTagged(const QString &prompt, const QStringList &tags)
{
    for (const QString &tag : tags) {
        const QString open = u'<' + tag + u'>';
        const QString close = QStringLiteral("</") + tag + u'>';
        const qsizetype a = prompt.indexOf(open, 0, Qt::CaseInsensitive);
        if (a < 0)
            continue;
        const qsizetype start = a + open.size();
        const qsizetype b = prompt.indexOf(close, start, Qt::CaseInsensitive);
        if (b < 0)
            continue;
        return prompt.mid(start, b - start).trimmed();
    }
    return {};
}

QStringList numbersIn(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("-?\\d+(?:\\.\\d+)?"));
    QStringList out;
    auto it = re.globalMatch(text);
    while (it.hasNext())
        out.append(it.next().captured(0));
    return out;
}

QString formatScore(double score)
{
    // Two decimals at most, with Python's float spelling ("1.0", "0.5", "0.83").
    const double rounded = std::round(score * 100.0) / 100.0;
    QString s = QString::number(rounded, 'f', 2);
    while (s.endsWith(u'0') && !s.endsWith(QStringLiteral(".0")))
        s.chop(1);
    return s;
}

} // namespace

QString SimAnswer::kindName(Kind kind)
{
    switch (kind) {
    case Kind::CaseRight:
        return QStringLiteral("case_right");
    case Kind::CaseWrong:
        return QStringLiteral("case_wrong");
    case Kind::Judge:
        return QStringLiteral("judge");
    case Kind::Generic:
        return QStringLiteral("generic");
    }
    return QStringLiteral("generic");
}

QByteArray SimVerdict::toJson() const
{
    QByteArray out = "{\"score\": ";
    out += formatScore(score).toLatin1();
    out += pass ? ", \"pass\": true" : ", \"pass\": false";
    out += ", \"reason\": ";
    out += SimJson::quoted(reason.toUtf8());
    out += '}';
    return out;
}

quint64 SimAnswerer::seedFor(const QString &personaId, const QString &prompt, const QString &variant, int repeat)
{
    quint64 h = SimRandom::hash(personaId.toUtf8());
    h = SimRandom::hash(QByteArrayView("\0", 1), h);
    h = SimRandom::hash(prompt.toUtf8(), h);
    h = SimRandom::hash(QByteArrayView("\0", 1), h);
    h = SimRandom::hash(variant.toUtf8(), h);
    h = SimRandom::hash(QByteArray::number(repeat), h);
    return SimRandom::finalize(h);
}

QByteArray SimAnswerer::fillerText(quint64 seed, int tokens)
{
    // Built as bytes directly: long answers (thousands of tokens) are generated per request.
    SimRandom rng(seed);
    QByteArray text;
    text.reserve(tokens * 7);
    int count = 0;
    int sentence = 0;
    int sentenceTarget = 6 + rng.below(10);
    while (count < tokens) {
        if (count == tokens - 1 && sentence > 0) {
            text += '.';
            ++count;
            break;
        }
        const char *word = kWords[rng.below(kWordCount)];
        if (count > 0)
            text += ' ';
        const qsizetype at = text.size();
        text += word;
        if (sentence == 0)
            text[at] = static_cast<char>(text[at] >= 'a' && text[at] <= 'z' ? text[at] - 'a' + 'A' : text[at]);
        ++count;
        ++sentence;
        if (count < tokens - 1 && sentence >= sentenceTarget) {
            text += '.';
            ++count;
            sentence = 0;
            sentenceTarget = 6 + rng.below(10);
        } else if (count < tokens - 2 && sentence >= 3 && rng.below(9) == 0) {
            text += ',';
            ++count;
        }
    }
    return text;
}

std::optional<SimAnswerer::JudgeInput> SimAnswerer::parseJudgePrompt(const QString &prompt)
{
    if (!prompt.contains(QStringLiteral("<candidate"), Qt::CaseInsensitive))
        return std::nullopt;
    JudgeInput in;
    in.candidate = extractTagged(prompt, {QStringLiteral("candidate"), QStringLiteral("candidate_answer")});
    in.reference = extractTagged(prompt, {QStringLiteral("reference"), QStringLiteral("reference_answer")});
    in.rubric = extractTagged(prompt, {QStringLiteral("rubric")});
    in.conversation = extractTagged(prompt, {QStringLiteral("conversation")});
    if (in.candidate.isNull() && in.reference.isNull())
        return std::nullopt;
    return in;
}

std::optional<SimAnswerer::PickInput> SimAnswerer::parsePickPrompt(const QString &prompt)
{
    if (!prompt.contains(QStringLiteral("<answer label="), Qt::CaseInsensitive))
        return std::nullopt;
    static const QRegularExpression block(QStringLiteral("<answer label=\"([A-Z]{1,2})\">(.*?)</answer>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    PickInput in;
    auto it = block.globalMatch(prompt);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        in.labels.append(m.captured(1).toUpper());
        in.answers.append(m.captured(2).trimmed());
    }
    if (in.answers.size() < 2)
        return std::nullopt;
    in.question = extractTagged(prompt, {QStringLiteral("question")});
    in.conversation = extractTagged(prompt, {QStringLiteral("conversation")});
    return in;
}

QByteArray SimAnswerer::pick(const PickInput &input, const QString &reference)
{
    qsizetype best = 0;
    double bestScore = -1.0;
    for (qsizetype i = 0; i < input.answers.size() && !reference.isEmpty(); ++i) {
        const double score = judge(input.answers.at(i), reference, 1.0).score;
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
    }
    const QString reason =
        (reference.isEmpty() ? QStringLiteral("Nothing tells the answers apart; the first one will do.")
                             : QStringLiteral("It agrees best with what is known about the question.")) +
        contextNote(input.conversation);
    QByteArray out = "{\"best\": ";
    out += SimJson::quoted(input.labels.at(best).toUtf8());
    out += ", \"reason\": ";
    out += SimJson::quoted(reason.toUtf8());
    out += '}';
    return out;
}

QString SimAnswerer::contextNote(const QString &conversation)
{
    if (conversation.trimmed().isEmpty())
        return {};
    static const QRegularExpression message(QStringLiteral("<message role=\"([a-z_]+)\"[^>]*>(.*?)</message>"),
                                            QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression elided(QStringLiteral("\\[(\\d+) earlier turn"));
    qsizetype count = 0;
    QString first;
    for (auto it = message.globalMatch(conversation); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (count++ == 0)
            first = m.captured(2).simplified().left(60);
    }
    QString note = QStringLiteral(" Read in context: %1 message(s), the first \"%2\"").arg(count).arg(first);
    if (const auto m = elided.match(conversation); m.hasMatch())
        note += QStringLiteral("; %1 earlier turn(s) left out").arg(m.captured(1));
    return note + u'.';
}

SimVerdict SimAnswerer::judge(const QString &candidate, const QString &reference, double passScore)
{
    SimVerdict v;
    const QString refNorm = SimAnswerKey::normalized(reference);
    const QString candNorm = SimAnswerKey::normalized(candidate);
    if (refNorm.isEmpty()) {
        v.reason = QStringLiteral("No reference answer was given to compare with.");
        return v;
    }
    if (candNorm.isEmpty()) {
        v.reason = QStringLiteral("The candidate answer is empty.");
        return v;
    }
    const QString paddedCandidate = u' ' + candNorm + u' ';
    const QString paddedReference = u' ' + refNorm + u' ';
    if (paddedCandidate.contains(paddedReference)) {
        v.score = 1.0;
    } else {
        const QSet<QString> ref = SimAnswerKey::contentWords(reference);
        const QSet<QString> cand = SimAnswerKey::contentWords(candidate);
        qsizetype shared = 0;
        for (const QString &w : ref)
            shared += cand.contains(w) ? 1 : 0;
        v.score = ref.isEmpty() ? 0.0 : static_cast<double>(shared) / static_cast<double>(ref.size());
        // A number the reference states must be stated: a wrong figure is a wrong answer.
        const QStringList refNumbers = numbersIn(reference);
        const QStringList candNumbers = numbersIn(candidate);
        for (const QString &n : refNumbers) {
            if (!candNumbers.contains(n)) {
                v.score = std::min(v.score, 0.2);
                break;
            }
        }
    }
    v.score = std::round(v.score * 100.0) / 100.0;
    v.pass = v.score >= passScore;
    if (v.score >= 1.0)
        v.reason = QStringLiteral("The candidate states the reference answer.");
    else if (v.pass)
        v.reason = QStringLiteral("The candidate covers most of the reference answer.");
    else
        v.reason = QStringLiteral("The candidate does not match the reference answer.");
    return v;
}

namespace {

// What a rubric asks of an answer: a phrase or word that must be there (or, after a negation,
// must not be).
struct RubricItem
{
    QString text; // normalised
    bool absent = false;
};

// Where a rubric's clauses end (a negation reaches to the end of its clause). A full stop or comma
// counts only before a space, so that "2.3.1" or "10,000" stay whole.
const QRegularExpression &clauseBoundary()
{
    static const QRegularExpression boundary(QStringLiteral("[;:!?()\\n]|[.,](?=\\s|$)"));
    return boundary;
}

// Where the clause's negation starts ("not", "no", "never", "without", "nor", "…n't"), or -1.
qsizetype negationAt(const QString &clause)
{
    static const QRegularExpression negation(QStringLiteral("\\b(?:not|no|never|without|nor)\\b|n['\\x{2019}]t\\b"),
                                             QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = negation.match(clause);
    return m.hasMatch() ? m.capturedStart() : -1;
}

// The phrases the rubric quotes ("…", “…” or '…'), each wanted absent when a negation comes
// before it in its clause. Single quotes count only around a phrase, so that the apostrophe of
// "don't" opens nothing.
QList<RubricItem> quotedPhrases(const QString &rubric)
{
    static const QRegularExpression quoted(
        QStringLiteral("\"([^\"]+)\"|\\x{201C}([^\\x{201D}]+)\\x{201D}|(?:^|(?<=[\\s(]))'([^']+)'(?=$|[\\s.,;:!?)])"));
    QList<RubricItem> out;
    // A comma or full stop inside a quote is the quote's: clauses are found in the text with
    // each quote blanked out.
    QString blanked = rubric;
    auto it = quoted.globalMatch(rubric);
    QList<QRegularExpressionMatch> matches;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        matches.append(m);
        blanked.replace(m.capturedStart(), m.capturedLength(), QString(m.capturedLength(), u'x'));
    }
    for (const QRegularExpressionMatch &m : std::as_const(matches)) {
        QString phrase;
        for (int group = 1; group <= 3 && phrase.isEmpty(); ++group)
            phrase = SimAnswerKey::normalized(m.captured(group));
        if (phrase.isEmpty())
            continue;
        // The clause's start: the last boundary before the quote.
        qsizetype clauseStart = 0;
        auto b = clauseBoundary().globalMatch(blanked.left(m.capturedStart()));
        while (b.hasNext())
            clauseStart = b.next().capturedEnd();
        const QString before = blanked.mid(clauseStart, m.capturedStart() - clauseStart);
        const RubricItem item{phrase, negationAt(before) >= 0};
        const bool dup = std::any_of(out.cbegin(), out.cend(), [&item](const RubricItem &o) {
            return o.text == item.text && o.absent == item.absent;
        });
        if (!dup)
            out.append(item);
    }
    return out;
}

// Words that say what a rubric wants rather than what the answer should hold.
const QSet<QString> &rubricVocabulary()
{
    static const QSet<QString> words = SimAnswerKey::contentWords(QStringLiteral(
        "answer answers response responses reply candidate mention mentions mentioned mentioning state states "
        "stated stating say says said saying include includes including name names named naming give gives given "
        "giving correct correctly should must explain explains explanation contain contains containing refer "
        "refers clearly accurate accurately sentence sentences single one two word words the"));
    return words;
}

// A rubric that quotes nothing: the content words of each clause up to its negation, each once
// (by its stem), in the rubric's order. What follows a negation is left out: "must not claim that
// SVG export is affected" neither asks for nor forbids the word "SVG".
QList<RubricItem> rubricWords(const QString &rubric, QStringList *stems)
{
    QList<RubricItem> out;
    QSet<QString> seen;
    for (QString clause : rubric.split(clauseBoundary(), Qt::SkipEmptyParts)) {
        if (const qsizetype at = negationAt(clause); at >= 0)
            clause.truncate(at);
        for (const QString &word : SimAnswerKey::normalized(clause).split(u' ', Qt::SkipEmptyParts)) {
            const QSet<QString> stem = SimAnswerKey::contentWords(word);
            if (stem.isEmpty() || rubricVocabulary().contains(*stem.cbegin()) || seen.contains(*stem.cbegin()))
                continue;
            seen.insert(*stem.cbegin());
            out.append({word, false});
            stems->append(*stem.cbegin());
        }
    }
    return out;
}

} // namespace

SimVerdict SimAnswerer::judgeByRubric(const QString &candidate, const QString &rubric, double passScore)
{
    SimVerdict v;
    const QString candNorm = SimAnswerKey::normalized(candidate);
    if (candNorm.isEmpty()) {
        v.reason = QStringLiteral("The candidate answer is empty.");
        return v;
    }
    QStringList stems; // word mode: the stems of the wanted words, compared with the answer's
    QList<RubricItem> wanted = quotedPhrases(rubric);
    const bool byPhrase = !wanted.isEmpty();
    if (!byPhrase)
        wanted = rubricWords(rubric, &stems);
    if (wanted.isEmpty()) {
        v.reason = QStringLiteral("The rubric names nothing to look for in the answer.");
        return v;
    }
    const QString padded = u' ' + candNorm + u' ';
    const QSet<QString> candWords = SimAnswerKey::contentWords(candidate);
    QStringList missing;
    QStringList unwanted;
    qsizetype met = 0;
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        const RubricItem &item = wanted.at(i);
        const bool there = byPhrase ? padded.contains(u' ' + item.text + u' ') : candWords.contains(stems.at(i));
        if (there != item.absent)
            ++met;
        else if (item.absent)
            unwanted.append(item.text);
        else
            missing.append(item.text);
    }
    v.score = std::round(static_cast<double>(met) / static_cast<double>(wanted.size()) * 100.0) / 100.0;
    v.pass = v.score >= passScore;
    QStringList said;
    if (!missing.isEmpty())
        said.append(QStringLiteral("lacks what the rubric asks for: %1").arg(missing.join(u", ")));
    if (!unwanted.isEmpty())
        said.append(QStringLiteral("says what the rubric rules out: %1").arg(unwanted.join(u", ")));
    v.reason = said.isEmpty() ? QStringLiteral("The candidate has everything the rubric asks for.")
                              : QStringLiteral("The candidate %1.").arg(said.join(QStringLiteral("; it ")));
    return v;
}

namespace {

// Arguments that satisfy a JSON Schema's required properties, for a call the case names no
// arguments for: a string, a number or a flag of the right type.
nlohmann::json argumentsFor(const ToolSpec &tool)
{
    nlohmann::json args = nlohmann::json::object();
    const nlohmann::json &schema = tool.parameters;
    if (!schema.is_object() || !schema.contains("required") || !schema.at("required").is_array())
        return args;
    const nlohmann::json props = schema.value("properties", nlohmann::json::object());
    for (const auto &name : schema.at("required")) {
        if (!name.is_string())
            continue;
        const nlohmann::json prop = props.value(name.get<std::string>(), nlohmann::json::object());
        const std::string type = prop.is_object() ? prop.value("type", std::string("string")) : "string";
        if (prop.is_object() && prop.contains("enum") && prop.at("enum").is_array() && !prop.at("enum").empty())
            args[name.get<std::string>()] = prop.at("enum").front();
        else if (type == "number" || type == "integer")
            args[name.get<std::string>()] = 1;
        else if (type == "boolean")
            args[name.get<std::string>()] = true;
        else
            args[name.get<std::string>()] = "example";
    }
    return args;
}

// The arguments without their first key: the classic slip of a call that forgets one.
QString withoutFirstArgument(const QString &arguments)
{
    auto args = nlohmann::ordered_json::parse(arguments.toStdString(), nullptr, false);
    if (!args.is_object() || args.empty())
        return QStringLiteral("{}");
    args.erase(args.begin());
    return QString::fromStdString(args.dump());
}

// A request that requires a call, or names the tool, gets one: the named tool or the first
// offered, with plausible arguments, and no text besides (as models answer a forced call). A
// request that forbids parallel calls gets the first call only.
void obeyToolChoice(const SimQuery &q, SimAnswer &a)
{
    if (q.tools.isEmpty())
        return;
    const auto mode = q.toolChoice ? q.toolChoice->mode : ToolChoice::Mode::Auto;
    if (mode == ToolChoice::Mode::Function) {
        a.toolCalls.removeIf([&](const ChatToolCall &c) { return c.name != q.toolChoice->name; });
        const auto named = std::find_if(q.tools.cbegin(), q.tools.cend(),
                                        [&](const ToolSpec &t) { return t.name == q.toolChoice->name; });
        if (a.toolCalls.isEmpty() && named != q.tools.cend())
            a.toolCalls.append({QString(), named->name, QString::fromStdString(argumentsFor(*named).dump())});
    } else if (mode == ToolChoice::Mode::Required && a.toolCalls.isEmpty()) {
        const ToolSpec &first = q.tools.first();
        a.toolCalls.append({QString(), first.name, QString::fromStdString(argumentsFor(first).dump())});
    }
    if (!a.toolCalls.isEmpty() && (mode == ToolChoice::Mode::Function || mode == ToolChoice::Mode::Required))
        a.text.clear();
    if (q.parallelToolCalls == false && a.toolCalls.size() > 1)
        a.toolCalls.resize(1);
}

} // namespace

bool SimAnswerer::answerWithCall(const SimCase &c, const SimQuery &q, bool right, SimAnswer &a) const
{
    if (!c.offersTools || !c.asksForCall || q.tools.isEmpty())
        return false;
    QList<ChatToolCall> calls = c.expectedCalls;
    if (calls.isEmpty()) {
        // Only is-valid-tool-call: any offered tool, called with valid arguments, is right.
        calls.append({QString(), q.tools.first().name, QString::fromStdString(argumentsFor(q.tools.first()).dump())});
    }
    if (!right) {
        ChatToolCall &call = calls.first();
        SimRandom rng(SimRandom::derive(a.seed, "wrong-call"));
        QList<const ToolSpec *> others;
        for (const ToolSpec &t : q.tools) {
            if (t.name != call.name)
                others.append(&t);
        }
        if (!others.isEmpty() && rng.below(2) == 0) {
            // The wrong tool, with the arguments that tool would need for a different task.
            const ToolSpec *other = others.at(rng.below(static_cast<int>(others.size())));
            call.name = other->name;
            call.arguments = QString::fromStdString(argumentsFor(*other).dump());
        } else {
            call.arguments = withoutFirstArgument(call.arguments);
        }
    }
    a.toolCalls = calls;
    return true;
}

QString SimAnswerer::answerFromToolResult(const SimQuery &q, const SimCase *c, quint64 seed)
{
    // Simulated model output, not interface text: never translated.
    const ChatMessage &result = *q.toolResult;
    const QString tool = result.toolName.isEmpty() ? QStringLiteral("the tool") : result.toolName;
    const bool failed = result.toolError || result.content.contains(QStringLiteral("error"), Qt::CaseInsensitive);
    if (!failed)
        return QStringLiteral("According to %1: %2").arg(tool, result.content.trimmed());
    if (!q.persona->ignoresToolErrors)
        return QStringLiteral("The call to %1 failed (%2), so I cannot give you a reliable answer. "
                              "Please check the request or try again.")
            .arg(tool, result.content.trimmed());
    // The sloptimized persona papers over the failure with something plausible.
    SimRandom rng(SimRandom::derive(seed, "made-up"));
    QString madeUp = c && !c->distractors.isEmpty()
                         ? c->distractors.at(rng.below(static_cast<int>(c->distractors.size())))
                         : QStringLiteral("%1").arg(10 + rng.below(90));
    return QStringLiteral("Done! %1 returned the answer: %2. Everything worked as expected.").arg(tool, madeUp);
}

SimAnswer SimAnswerer::answer(const SimQuery &query) const
{
    // "none" forbids calls: the answer is the one given when no tool is offered.
    SimQuery q = query;
    if (q.toolChoice && q.toolChoice->mode == ToolChoice::Mode::None)
        q.tools.clear();
    SimAnswer a;
    a.seed = seedFor(q.persona->id, q.prompt, q.variant, q.repeat);
    QString text;

    if (const auto pickInput = parsePickPrompt(q.prompt)) {
        const auto asked = m_key ? m_key->recognize(pickInput->question) : std::nullopt;
        a.kind = SimAnswer::Kind::Judge;
        a.text = pick(*pickInput, asked ? asked->simCase->reference : QString());
    } else if (const auto judgeInput = parseJudgePrompt(q.prompt)) {
        // A rubric prompt names no reference unless a template adds one: the rubric decides.
        const bool byRubric = judgeInput->reference.trimmed().isEmpty() && !judgeInput->rubric.trimmed().isEmpty();
        SimVerdict verdict = byRubric
                                 ? judgeByRubric(judgeInput->candidate, judgeInput->rubric, q.persona->judgeStrictness)
                                 : judge(judgeInput->candidate, judgeInput->reference, q.persona->judgeStrictness);
        verdict.reason += contextNote(judgeInput->conversation);
        a.kind = SimAnswer::Kind::Judge;
        a.judgeScore = verdict.score;
        a.text = verdict.toJson();
    } else if (q.toolResult) {
        const auto match = m_key ? m_key->recognize(q.prompt) : std::nullopt;
        a.kind = SimAnswer::Kind::Generic;
        if (match) {
            a.suite = match->simCase->suite;
            a.caseId = match->simCase->id;
        }
        a.text = answerFromToolResult(q, match ? match->simCase : nullptr, a.seed).toUtf8();
    } else if (const auto match = m_key ? m_key->recognize(q.prompt) : std::nullopt) {
        const SimCase &c = *match->simCase;
        const SimQuality quality = q.persona->qualityFor(c.tags);
        const double p = match->canonical ? quality.canonical : quality.paraphrase;
        SimRandom correctRng(SimRandom::derive(a.seed, "correct"));
        const bool right = correctRng.uniform() < p;
        SimRandom styleRng(SimRandom::derive(a.seed, "style"));
        a.suite = c.suite;
        a.caseId = c.id;
        a.canonical = match->canonical;
        a.variant = match->variant;
        if (answerWithCall(c, q, right, a)) {
            a.kind = right ? SimAnswer::Kind::CaseRight : SimAnswer::Kind::CaseWrong;
        } else if (right || c.distractors.isEmpty()) {
            a.kind = SimAnswer::Kind::CaseRight;
            text = wrapShortAnswer(c.reference, styleRng);
        } else {
            a.kind = SimAnswer::Kind::CaseWrong;
            // Prefer a distractor that really fails the case's assertions.
            SimRandom pick(SimRandom::derive(a.seed, "distractor"));
            const int start = pick.below(static_cast<int>(c.distractors.size()));
            for (int k = 0; k < c.distractors.size(); ++k) {
                const QString candidate =
                    wrapShortAnswer(c.distractors.at((start + k) % c.distractors.size()), styleRng);
                if (k == 0 || text.isEmpty())
                    text = candidate;
                if (!SimAnswerKey::satisfies(candidate, c.assertions)) {
                    text = candidate;
                    break;
                }
            }
        }
        a.text = text.toUtf8();
    } else {
        int length = q.persona->answerTokens;
        if (q.requestedTokens) {
            length = *q.requestedTokens;
        } else {
            static const QRegularExpression asked(QStringLiteral("\\b(\\d{1,5})\\s+(?:tokens|words)\\b"),
                                                  QRegularExpression::CaseInsensitiveOption);
            const auto m = asked.match(q.prompt);
            if (m.hasMatch())
                length = m.captured(1).toInt();
        }
        length = std::clamp(length, 1, 100'000);
        a.kind = SimAnswer::Kind::Generic;
        a.text = fillerText(SimRandom::derive(a.seed, "filler"), length);
    }

    if (q.thinking && q.persona->thinkingTokens > 0) {
        SimRandom rng(SimRandom::derive(a.seed, "thinking"));
        const double n = q.persona->thinkingTokens * std::exp(q.persona->thinkingSpread * rng.normal());
        const int tokens = std::clamp(static_cast<int>(std::lround(n)), 1, 1'000'000);
        a.reasoning = fillerText(SimRandom::derive(a.seed, "reasoning"), tokens);
        a.reasoningPieces = SimTokenizer::split(a.reasoning);
    }
    obeyToolChoice(q, a);
    a.answerPieces = SimTokenizer::split(a.text);
    return a;
}

} // namespace Slopscope
