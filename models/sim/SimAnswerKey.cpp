#include "sim/SimAnswerKey.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct SimAnswerKeyTr
{
    Q_DECLARE_TR_FUNCTIONS(SimAnswerKey)
};

const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        const char *const list[] = {"a",      "an",     "the",  "of",    "in",    "on",    "at",   "to",   "for",
                                    "is",     "are",    "was",  "were",  "be",    "by",    "with", "and",  "or",
                                    "what",   "which",  "who",  "whom",  "how",   "does",  "do",   "did",  "it",
                                    "its",    "this",   "that", "these", "those", "as",    "from", "your", "you",
                                    "please", "answer", "only", "just",  "give",  "tell",  "me",   "can",  "could",
                                    "would",  "should", "i",    "we",    "us",    "our",   "one",  "word", "number",
                                    "s",      "there",  "has",  "have",  "into",  "about", "than", "then", "so"};
        for (const char *w : list)
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

QString stem(const QString &w)
{
    if (w.size() > 4 && w.endsWith(u"ies"))
        return w.left(w.size() - 3) + u'y';
    if (w.size() > 3 && w.endsWith(u's') && !w.endsWith(u"ss"))
        return w.left(w.size() - 1);
    return w;
}

QStringList stringList(const nlohmann::json &node)
{
    QStringList out;
    if (node.is_string()) {
        out.append(Json::toQString(node.get<std::string>()));
    } else if (node.is_array()) {
        for (const auto &item : node) {
            if (item.is_string())
                out.append(Json::toQString(item.get<std::string>()));
            else if (item.is_number())
                out.append(Json::toQString(item.dump()));
        }
    } else if (node.is_number()) {
        out.append(Json::toQString(node.dump()));
    }
    return out;
}

bool callWrittenIn(const QString &text, const ChatToolCall &expected);

bool checkOne(const QString &text, const SimAssertion &a)
{
    if (a.type == u"tool-call") {
        // A call written as JSON in the text (the simulator's text answers to tool cases).
        return std::all_of(a.calls.cbegin(), a.calls.cend(),
                           [&](const ChatToolCall &call) { return callWrittenIn(text, call); });
    }
    QString type = a.type.toLower();
    const bool negate = type.startsWith(u"not-");
    if (negate)
        type = type.mid(4);
    auto test = [&](const QString &value) -> bool {
        if (type == u"icontains" || type == u"icontains-any" || type == u"icontains-all")
            return text.contains(value, Qt::CaseInsensitive);
        if (type == u"contains" || type == u"contains-any" || type == u"contains-all")
            return text.contains(value, Qt::CaseSensitive);
        if (type == u"equals")
            return text.trimmed() == value.trimmed();
        if (type == u"starts-with")
            return text.trimmed().startsWith(value);
        if (type == u"regex") {
            const QRegularExpression re(value);
            return re.isValid() && re.match(text).hasMatch();
        }
        return true; // a type the simulator does not model (e.g. judged ones)
    };
    bool result = true;
    if (type.endsWith(u"-any")) {
        result = false;
        for (const QString &v : a.values)
            result = result || test(v);
    } else {
        for (const QString &v : a.values)
            result = result && test(v);
    }
    return negate ? !result : result;
}

// The last user message of a "messages" array (the text that gets answered).
QString lastUserMessage(const nlohmann::json &messages)
{
    QString out;
    if (!messages.is_array())
        return out;
    for (const auto &m : messages) {
        if (m.is_object() && m.value("role", std::string()) == "user" && m.contains("content") &&
            m.at("content").is_string())
            out = Json::toQString(m.at("content").get<std::string>());
    }
    return out;
}

// {{name}} placeholders filled from "vars", literally (values are not expanded again).
QString withVars(QString text, const nlohmann::json &node)
{
    if (!node.contains("vars") || !node.at("vars").is_object())
        return text;
    for (auto it = node.at("vars").begin(); it != node.at("vars").end(); ++it) {
        const QString value = it.value().is_string() ? Json::toQString(it.value().get<std::string>())
                                                     : Json::toQString(it.value().dump());
        text.replace(QStringLiteral("{{") + Json::toQString(it.key()) + QStringLiteral("}}"), value);
    }
    return text;
}

// The calls a tool-call assertion expects: a name, {"name", "arguments"} or a list of either.
void readExpectedCalls(const nlohmann::json &value, QList<ChatToolCall> &out)
{
    if (value.is_array()) {
        for (const auto &item : value)
            readExpectedCalls(item, out);
    } else if (value.is_string()) {
        out.append({QString(), Json::toQString(value.get<std::string>()), QStringLiteral("{}")});
    } else if (value.is_object() && value.contains("name") && value.at("name").is_string()) {
        nlohmann::json args = nlohmann::json::object();
        for (const char *key : {"arguments", "args", "input", "parameters"}) {
            if (value.contains(key)) {
                args = value.at(key);
                if (args.is_string())
                    args = nlohmann::json::parse(args.get<std::string>(), nullptr, false);
                break;
            }
        }
        out.append({QString(), Json::toQString(value.at("name").get<std::string>()),
                    Json::toQString(args.is_object() ? args.dump() : std::string("{}"))});
    }
}

bool callWrittenIn(const QString &text, const ChatToolCall &expected)
{
    const qsizetype from = text.indexOf(u'{');
    const qsizetype to = text.lastIndexOf(u'}');
    if (from < 0 || to <= from)
        return false;
    const auto doc = nlohmann::json::parse(text.mid(from, to - from + 1).toStdString(), nullptr, false);
    if (!doc.is_object() || !doc.contains("name") || !doc.at("name").is_string() ||
        Json::toQString(doc.at("name").get<std::string>()) != expected.name)
        return false;
    const nlohmann::json args = doc.value("arguments", nlohmann::json::object());
    const auto want = nlohmann::json::parse(expected.arguments.toStdString(), nullptr, false);
    if (!want.is_object() || !args.is_object())
        return want.is_object() && want.empty();
    for (auto it = want.begin(); it != want.end(); ++it) {
        if (!args.contains(it.key()) || args.at(it.key()) != it.value())
            return false;
    }
    return true;
}

bool offersTools(const nlohmann::json &node)
{
    return node.is_object() && node.contains("tools") && node.at("tools").is_array() && !node.at("tools").empty();
}

QList<SimAssertion> simAssertions(const nlohmann::json &asserts)
{
    QList<SimAssertion> out;
    for (const auto &a : asserts) {
        if (!a.is_object() || !a.contains("type") || !a.at("type").is_string())
            continue;
        SimAssertion sa;
        sa.type = Json::toQString(a.at("type").get<std::string>());
        if (a.contains("value"))
            sa.values = stringList(a.at("value"));
        if (sa.type == u"tool-call" && a.contains("value"))
            readExpectedCalls(a.at("value"), sa.calls);
        out.append(sa);
    }
    return out;
}

// Without a reference, the first plain containment assertion is the answer.
QString referenceFromAssertions(const QList<SimAssertion> &assertions)
{
    for (const auto &a : assertions) {
        if ((a.type == u"icontains" || a.type == u"contains" || a.type == u"equals") && !a.values.isEmpty())
            return a.values.first();
    }
    return {};
}

// A chain case's further turns (Chain.h), each answered as a case of its own under the case's
// id: its user message is the prompt, its assertions the checks, and its answer and wrong
// answers come from metadata.turns[k] ("reference", "distractors") or, failing that, from the
// checks.
QList<SimCase> chainTurns(const nlohmann::json &node, const SimCase &c)
{
    QList<SimCase> out;
    if (!node.contains("turns") || !node.at("turns").is_array())
        return out;
    const nlohmann::json &turns = node.at("turns");
    const nlohmann::json meta = node.contains("metadata") && node.at("metadata").is_object() &&
                                        node.at("metadata").contains("turns") &&
                                        node.at("metadata").at("turns").is_array()
                                    ? node.at("metadata").at("turns")
                                    : nlohmann::json::array();
    for (std::size_t k = 0; k < turns.size(); ++k) {
        const nlohmann::json &turn = turns.at(k);
        if (!turn.is_object() || !turn.contains("user") || !turn.at("user").is_string())
            continue;
        SimCase t;
        t.suite = c.suite;
        t.id = c.id;
        t.turn = static_cast<int>(k) + 1;
        t.prompt = withVars(Json::toQString(turn.at("user").get<std::string>()), node);
        t.tags = c.tags;
        if (turn.contains("assert") && turn.at("assert").is_array())
            t.assertions = simAssertions(turn.at("assert"));
        const nlohmann::json extra = k < meta.size() && meta.at(k).is_object() ? meta.at(k) : nlohmann::json::object();
        if (extra.contains("reference") && extra.at("reference").is_string())
            t.reference = Json::toQString(extra.at("reference").get<std::string>());
        if (extra.contains("distractors"))
            t.distractors = stringList(extra.at("distractors"));
        if (t.reference.isEmpty())
            t.reference = referenceFromAssertions(t.assertions);
        if (!t.reference.isEmpty())
            out.append(std::move(t));
    }
    return out;
}

bool isNumber(const QString &s, double *value)
{
    bool ok = false;
    *value = s.trimmed().toDouble(&ok);
    return ok;
}

} // namespace

QString SimAnswerKey::normalized(const QString &text)
{
    QString out;
    out.reserve(text.size());
    bool space = true;
    for (const QChar ch : text) {
        if (ch.isLetterOrNumber()) {
            out.append(ch.toLower());
            space = false;
        } else if (!space) {
            out.append(u' ');
            space = true;
        }
    }
    if (out.endsWith(u' '))
        out.chop(1);
    return out;
}

QSet<QString> SimAnswerKey::contentWords(const QString &text)
{
    QSet<QString> words;
    const QStringList parts = normalized(text).split(u' ', Qt::SkipEmptyParts);
    for (const QString &w : parts) {
        if (!stopWords().contains(w))
            words.insert(stem(w));
    }
    return words;
}

bool SimAnswerKey::satisfies(const QString &text, const QList<SimAssertion> &assertions)
{
    for (const auto &a : assertions) {
        if (!checkOne(text, a))
            return false;
    }
    return true;
}

void SimAnswerKey::index(qsizetype caseIndex)
{
    const SimCase &c = m_cases.at(caseIndex);
    m_entries.append(Entry{caseIndex, 0, normalized(c.prompt), contentWords(c.prompt)});
    for (int v = 0; v < c.variants.size(); ++v)
        m_entries.append(Entry{caseIndex, v + 1, normalized(c.variants.at(v)), contentWords(c.variants.at(v))});
}

void SimAnswerKey::deriveDistractors(SimCase &c) const
{
    double number = 0;
    if (isNumber(c.reference, &number)) {
        const bool integral = std::floor(number) == number && std::abs(number) < 1e15;
        auto fmt = [&](double v) {
            return integral ? QString::number(static_cast<qint64>(v)) : QString::number(v, 'g', 6);
        };
        // Typical slips: off by one, a dropped factor, a doubled term.
        c.distractors = {fmt(number + 1), fmt(number - 1), fmt(number * 2),
                         fmt(number / 2 == number ? number + 10 : number / 2)};
        return;
    }
    // Another case's answer from the same category: wrong, but of the right kind.
    for (const SimCase &other : m_cases) {
        if (&other != &c && !other.reference.isEmpty() && other.tags.value(0) == c.tags.value(0) &&
            other.reference != c.reference && !other.reference.contains(u'\n'))
            c.distractors.append(other.reference);
    }
    if (c.distractors.isEmpty())
        // An answer the simulated model gives, not interface text: never translated.
        c.distractors.append(QStringLiteral("I am not certain, but I believe the answer is unknown."));
}

Status SimAnswerKey::addSuite(const QByteArray &json, const QString &sourceName)
{
    auto doc = Json::parse(json, sourceName);
    if (!doc)
        return Error{doc.error()};
    const auto &root = doc.value();
    QString error;
    if (!root.is_object())
        return Error{SimAnswerKeyTr::tr("%1: a suite must be an object with \"name\" and \"cases\"").arg(sourceName)};
    Json::ObjectReader r(root, QString(), &error);
    const QString suiteName = r.string("name", true);
    const auto *cases = r.child("cases", nlohmann::json::value_t::array, true);
    if (!cases)
        return Error{QStringLiteral("%1: %2").arg(sourceName, error)};
    QList<SimCase> added;
    const bool defaultTools = root.contains("defaults") && offersTools(root.at("defaults"));
    int i = 0;
    for (const auto &node : *cases) {
        const QString path = QStringLiteral("cases[%1]").arg(i++);
        if (!node.is_object())
            return Error{SimAnswerKeyTr::tr("%1: %2: expected an object").arg(sourceName, path)};
        Json::ObjectReader cr(node, path, &error);
        SimCase c;
        c.suite = suiteName;
        c.id = cr.string("id", true);
        // A case is a "prompt" or a "messages" conversation; the last user message is what gets answered.
        if (node.contains("messages"))
            c.prompt = withVars(lastUserMessage(node.at("messages")), node);
        else
            c.prompt = withVars(cr.string("prompt", true), node);
        if (c.prompt.isEmpty() && !cr.failed())
            cr.fail(SimAnswerKeyTr::tr("%1: no prompt and no user message").arg(path));
        c.reference = cr.string("reference", false);
        if (node.contains("tags"))
            c.tags = stringList(node.at("tags"));
        c.offersTools = defaultTools || offersTools(node);
        if (const auto *asserts = cr.child("assert", nlohmann::json::value_t::array, false))
            c.assertions = simAssertions(*asserts);
        for (const SimAssertion &sa : std::as_const(c.assertions)) {
            if (sa.type == u"tool-call" || sa.type == u"is-valid-tool-call" ||
                sa.type == u"is-valid-openai-tools-call") {
                c.asksForCall = true;
                c.expectedCalls += sa.calls;
            }
        }
        if (node.contains("variants") && node.at("variants").is_array()) {
            for (const auto &v : node.at("variants")) {
                if (!v.is_object())
                    continue;
                const QString text = v.contains("messages") ? lastUserMessage(v.at("messages"))
                                     : v.contains("prompt") && v.at("prompt").is_string()
                                         ? Json::toQString(v.at("prompt").get<std::string>())
                                         : QString();
                if (!text.isEmpty())
                    c.variants.append(withVars(text, node));
            }
        }
        if (node.contains("metadata") && node.at("metadata").is_object()) {
            const auto &meta = node.at("metadata");
            if (meta.contains("variants")) // an older spelling: plain strings
                c.variants += stringList(meta.at("variants"));
            if (meta.contains("distractors"))
                c.distractors = stringList(meta.at("distractors"));
        }
        if (cr.failed())
            return Error{QStringLiteral("%1: %2").arg(sourceName, error)};
        if (c.reference.isEmpty())
            c.reference = referenceFromAssertions(c.assertions);
        const QList<SimCase> turns = chainTurns(node, c);
        added.append(c);
        added += turns;
    }
    if (!r.failed() && added.isEmpty())
        return Error{SimAnswerKeyTr::tr("%1: the suite has no cases").arg(sourceName)};
    if (r.failed())
        return Error{QStringLiteral("%1: %2").arg(sourceName, error)};
    for (auto &c : added) {
        m_cases.append(std::move(c));
    }
    for (qsizetype k = m_cases.size() - added.size(); k < m_cases.size(); ++k) {
        if (m_cases[k].distractors.isEmpty())
            deriveDistractors(m_cases[k]);
        index(k);
    }
    return {};
}

Status SimAnswerKey::addSuiteFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{SimAnswerKeyTr::tr("%1: cannot open: %2").arg(path, file.errorString())};
    return addSuite(file.readAll(), path);
}

Result<SimAnswerKey> SimAnswerKey::demo()
{
    SimAnswerKey key;
    const QDir dir(QStringLiteral(":/slopscope/demo/suites"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &f : files) {
        if (Status s = key.addSuiteFile(dir.filePath(f)); !s)
            return Error{s.error()};
    }
    return key;
}

std::optional<SimMatch> SimAnswerKey::recognize(const QString &prompt) const
{
    if (m_entries.isEmpty())
        return std::nullopt;
    const QString norm = normalized(prompt);
    // Verbatim (after normalisation) wins: the engine may wrap the question in instructions.
    const Entry *verbatim = nullptr;
    for (const Entry &e : m_entries) {
        if (e.normalizedText.size() >= 8 && norm.contains(e.normalizedText) &&
            (!verbatim || e.normalizedText.size() > verbatim->normalizedText.size()))
            verbatim = &e;
    }
    if (verbatim)
        return SimMatch{&m_cases.at(verbatim->caseIndex), verbatim->variant == 0, verbatim->variant, 1.0};

    // Otherwise the closest wording by shared content words (Ochiai coefficient).
    const QSet<QString> words = contentWords(prompt);
    if (words.isEmpty())
        return std::nullopt;
    const Entry *best = nullptr;
    double bestScore = 0.0;
    for (const Entry &e : m_entries) {
        if (e.words.isEmpty())
            continue;
        qsizetype shared = 0;
        for (const QString &w : e.words)
            shared += words.contains(w) ? 1 : 0;
        const double score =
            static_cast<double>(shared) / std::sqrt(static_cast<double>(words.size() * e.words.size()));
        if (score > bestScore) {
            bestScore = score;
            best = &e;
        }
    }
    constexpr double kThreshold = 0.45;
    if (!best || bestScore < kThreshold)
        return std::nullopt;
    return SimMatch{&m_cases.at(best->caseIndex), false, -1, bestScore};
}

} // namespace Slopscope
