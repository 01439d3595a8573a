#include "quality/Grader.h"

#include "core/Json.h"
#include "quality/CodeBlock.h"
#include "quality/JsonSchema.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct GraderTr
{
    Q_DECLARE_TR_FUNCTIONS(Grader)
};

QString valueString(const json &v)
{
    if (v.is_string())
        return Json::toQString(v.get<std::string>());
    if (v.is_null())
        return {};
    return Json::toQString(v.dump());
}

// A list value, or promptfoo's comma-separated string for the -any/-all types.
QStringList valueList(const json &v)
{
    QStringList out;
    if (v.is_array()) {
        for (const auto &item : v)
            out.append(valueString(item));
    } else if (v.is_string()) {
        const QStringList parts = valueString(v).split(u',');
        for (const QString &p : parts) {
            if (!p.trimmed().isEmpty())
                out.append(p.trimmed());
        }
    } else if (!v.is_null()) {
        out.append(valueString(v));
    }
    return out;
}

Grade verdict(bool pass, QString reason)
{
    Grade g;
    g.pass = pass;
    g.score = pass ? 1.0 : 0.0;
    g.reason = std::move(reason);
    return g;
}

std::optional<json> parseJson(const QString &text)
{
    json parsed = json::parse(text.toStdString(), nullptr, false);
    if (parsed.is_discarded())
        return std::nullopt;
    return parsed;
}

// The schema of an is-json / contains-json / json-schema assertion: an object or a boolean, or
// a string holding JSON. nullopt with `error` set when the value is no schema.
std::optional<json> schemaOf(const json &value, QString *error)
{
    if (value.is_object() || value.is_boolean())
        return value;
    if (value.is_string()) {
        if (auto parsed = parseJson(valueString(value)); parsed && (parsed->is_object() || parsed->is_boolean()))
            return parsed;
    }
    *error = GraderTr::tr("the assertion's value is not a JSON schema");
    return std::nullopt;
}

bool hasSchema(const json &value)
{
    return !value.is_null() && !(value.is_string() && value.get<std::string>().empty());
}

QString uncheckedNote(const json &schema)
{
    const QStringList unchecked = JsonSchema::unsupported(schema);
    return unchecked.isEmpty() ? QString()
                               : GraderTr::tr(" (not checked: %1)").arg(unchecked.join(QStringLiteral(", ")));
}

// The first of `values` that validates, else the first violation.
Grade validateAny(const QList<json> &values, const json &schema, const QString &what)
{
    std::optional<QString> firstError;
    for (const auto &v : values) {
        const auto error = JsonSchema::validate(schema, v);
        if (!error)
            return verdict(true, GraderTr::tr("%1 matches the schema%2").arg(what, uncheckedNote(schema)));
        if (!firstError)
            firstError = error;
    }
    return verdict(false, GraderTr::tr("%1 does not match the schema: %2").arg(what, firstError.value_or(QString())));
}

// JSON values compared loosely enough for model output: strings ignore case and surrounding
// space; objects need the expected keys only (extra arguments are allowed); numbers by value.
bool subsetMatch(const json &expected, const json &actual)
{
    if (expected.is_object()) {
        if (!actual.is_object())
            return false;
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const auto found = actual.find(it.key());
            if (found == actual.end() || !subsetMatch(it.value(), *found))
                return false;
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size())
            return false;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            if (!subsetMatch(expected.at(i), actual.at(i)))
                return false;
        }
        return true;
    }
    if (expected.is_string() && actual.is_string())
        return valueString(expected).trimmed().compare(valueString(actual).trimmed(), Qt::CaseInsensitive) == 0;
    if (expected.is_string() && actual.is_number()) {
        // "2" expected, 2 given: the same argument to a tool.
        bool ok = false;
        const double e = valueString(expected).trimmed().toDouble(&ok);
        return ok && e == actual.get<double>();
    }
    return expected == actual;
}

// A tool call's arguments as JSON: an empty string is "no arguments" ({}), anything else must parse.
std::optional<json> argumentsOf(const ToolCall &call)
{
    if (call.arguments.trimmed().isEmpty())
        return json::object();
    return parseJson(call.arguments);
}

struct ToolCalls
{
    QList<ToolCall> calls;
    bool fromText = false;
};

ToolCalls toolCallsOf(const GradeInput &in)
{
    if (!in.toolCalls.isEmpty())
        return {in.toolCalls, false};
    return {Grader::toolCallsInText(in.answer), true};
}

// Tool definitions in an is-valid-tool-call value: OpenAI's [{"type": "function", "function":
// {"name", "parameters"}}], the bare [{"name", "parameters"}] or Anthropic's "input_schema", or
// {"tools": [...]}. Maps a tool name to its parameter schema.
QHash<QString, json> toolDefinitions(const json &value)
{
    QHash<QString, json> out;
    const json *list = &value;
    if (value.is_object() && value.contains("tools"))
        list = &value.at("tools");
    if (!list->is_array())
        return out;
    for (const auto &tool : *list) {
        if (!tool.is_object())
            continue;
        const json &fn = tool.contains("function") && tool.at("function").is_object() ? tool.at("function") : tool;
        if (!fn.contains("name") || !fn.at("name").is_string())
            continue;
        json schema = json::object();
        for (const char *key : {"parameters", "input_schema", "inputSchema"}) {
            if (fn.contains(key)) {
                schema = fn.at(key);
                break;
            }
        }
        out.insert(valueString(fn.at("name")), schema);
    }
    return out;
}

Grade gradeValidToolCall(const Assertion &a, const GradeInput &in)
{
    const ToolCalls found = toolCallsOf(in);
    const QString source = found.fromText ? GraderTr::tr(" (read from the answer text)") : QString();
    if (found.calls.isEmpty())
        return verdict(false, GraderTr::tr("no tool call in the answer"));
    const QHash<QString, json> tools = toolDefinitions(a.value);
    if (hasSchema(a.value) && tools.isEmpty())
        return verdict(false, GraderTr::tr("the assertion's value lists no tool definitions"));
    for (const ToolCall &call : found.calls) {
        if (call.name.trimmed().isEmpty())
            return verdict(false, GraderTr::tr("a tool call has no name%1").arg(source));
        const auto args = argumentsOf(call);
        if (!args || !args->is_object())
            return verdict(false, GraderTr::tr("the arguments of %1 are not a JSON object%2").arg(call.name, source));
        if (!tools.isEmpty()) {
            const auto tool = tools.constFind(call.name);
            if (tool == tools.constEnd())
                return verdict(false, GraderTr::tr("%1 is not one of the tools offered (%2)")
                                          .arg(call.name, tools.keys().join(QStringLiteral(", "))));
            if (const auto error = JsonSchema::validate(tool.value(), *args))
                return verdict(
                    false, GraderTr::tr("the arguments of %1 do not match its parameters: %2").arg(call.name, *error));
        }
    }
    return verdict(true, QCoreApplication::translate("Grader", "%n valid tool call(s)%1", nullptr,
                                                     static_cast<int>(found.calls.size()))
                             .arg(source));
}

Grade gradeToolCall(const Assertion &a, const GradeInput &in)
{
    // Expected calls: a name, {"name", "arguments"}, or a list of either.
    QList<json> expected;
    if (a.value.is_array()) {
        for (const auto &item : a.value)
            expected.append(item);
    } else if (!a.value.is_null()) {
        expected.append(a.value);
    }
    if (expected.isEmpty())
        return verdict(false, GraderTr::tr("the assertion names no tool call to expect"));
    const ToolCalls found = toolCallsOf(in);
    QList<bool> used(found.calls.size(), false);
    qsizetype matched = 0;
    QString firstMiss;
    for (const json &want : expected) {
        QString name;
        json args = json::object();
        if (want.is_string()) {
            name = valueString(want);
        } else if (want.is_object() && want.contains("name")) {
            name = valueString(want.at("name"));
            for (const char *key : {"arguments", "args", "input", "parameters"}) {
                if (want.contains(key)) {
                    args = want.at(key);
                    // A JSON string of arguments, as OpenAI streams them.
                    if (args.is_string()) {
                        if (auto parsed = parseJson(valueString(args)))
                            args = *parsed;
                    }
                    break;
                }
            }
        } else {
            return verdict(false,
                           GraderTr::tr("expected a tool name or {\"name\", \"arguments\"} in the assertion's value"));
        }
        bool hit = false;
        bool nameSeen = false;
        for (qsizetype i = 0; i < found.calls.size() && !hit; ++i) {
            if (used[i] || found.calls[i].name != name)
                continue;
            nameSeen = true;
            const auto actual = argumentsOf(found.calls[i]);
            if (actual && subsetMatch(args, *actual)) {
                used[i] = true;
                hit = true;
            }
        }
        if (hit) {
            ++matched;
        } else if (firstMiss.isEmpty()) {
            firstMiss = nameSeen
                            ? GraderTr::tr("%1 was called with other arguments than %2").arg(name, valueString(args))
                            : GraderTr::tr("no call of %1").arg(name);
        }
    }
    const double score = static_cast<double>(matched) / static_cast<double>(expected.size());
    const bool pass = a.threshold ? score >= *a.threshold : matched == expected.size();
    Grade g = verdict(
        pass,
        firstMiss.isEmpty()
            ? GraderTr::tr("%1 of %2 expected tool call(s) made").arg(matched).arg(expected.size())
            : GraderTr::tr("%1 of %2 expected tool call(s) made; %3").arg(matched).arg(expected.size()).arg(firstMiss));
    g.score = score;
    if (found.fromText && !found.calls.isEmpty())
        g.reason += GraderTr::tr(" (read from the answer text)");
    return g;
}

// Tool calls in one JSON value (see Grader::toolCallsInText).
void collectToolCalls(const json &v, QList<ToolCall> &out, int depth)
{
    if (depth > 4)
        return;
    if (v.is_array()) {
        for (const auto &item : v)
            collectToolCalls(item, out, depth + 1);
        return;
    }
    if (!v.is_object())
        return;
    if (v.contains("tool_calls") && v.at("tool_calls").is_array()) {
        collectToolCalls(v.at("tool_calls"), out, depth + 1);
        return;
    }
    for (const char *wrapper : {"function", "functionCall", "function_call"}) {
        if (v.contains(wrapper) && v.at(wrapper).is_object()) {
            const auto before = out.size();
            collectToolCalls(v.at(wrapper), out, depth + 1);
            if (out.size() > before && v.contains("id") && v.at("id").is_string())
                out.last().id = valueString(v.at("id"));
            return;
        }
    }
    if (!v.contains("name") || !v.at("name").is_string())
        return;
    ToolCall call;
    call.name = valueString(v.at("name"));
    if (v.contains("id") && v.at("id").is_string())
        call.id = valueString(v.at("id"));
    for (const char *key : {"arguments", "args", "input", "parameters"}) {
        if (v.contains(key)) {
            const json &args = v.at(key);
            call.arguments = args.is_string() ? valueString(args) : Json::toQString(args.dump());
            break;
        }
    }
    out.append(call);
}

// Each opening bracket tried costs a scan of the rest of the answer; answers are untrusted and
// may be long, so the search gives up after this many starts.
constexpr int kMaxJsonStarts = 256;

// Index just past the JSON object or array starting at `start` (strings and escapes respected),
// or -1 when it is not closed.
qsizetype balancedEnd(const QString &text, qsizetype start)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = start; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inString) {
            if (c == u'\\')
                ++i;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'"') {
            inString = true;
        } else if (c == u'{' || c == u'[') {
            ++depth;
        } else if (c == u'}' || c == u']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return -1;
}

Grade gradeBase(const QString &type, const Assertion &a, const GradeInput &in)
{
    const QString expected = valueString(a.value);
    const QString &answer = in.answer;
    if (type == u"equals") {
        if (a.value.is_object() || a.value.is_array()) {
            // promptfoo: an object value compares the answer as JSON.
            const auto parsed = parseJson(answer);
            return verdict(parsed && *parsed == a.value, GraderTr::tr("expected JSON equal to %1").arg(expected));
        }
        return verdict(answer.trimmed() == expected.trimmed(), GraderTr::tr("expected exactly \"%1\"").arg(expected));
    }
    if (type == u"contains")
        return verdict(answer.contains(expected), GraderTr::tr("expected to contain \"%1\"").arg(expected));
    if (type == u"icontains")
        return verdict(answer.contains(expected, Qt::CaseInsensitive),
                       GraderTr::tr("expected to contain \"%1\" (any case)").arg(expected));
    if (type == u"not-contains")
        return verdict(!answer.contains(expected), GraderTr::tr("expected not to contain \"%1\"").arg(expected));
    if (type == u"starts-with")
        return verdict(answer.trimmed().startsWith(expected),
                       GraderTr::tr("expected to start with \"%1\"").arg(expected));
    if (type == u"ends-with")
        return verdict(answer.trimmed().endsWith(expected), GraderTr::tr("expected to end with \"%1\"").arg(expected));
    if (type == u"contains-any" || type == u"contains-all" || type == u"icontains-any" || type == u"icontains-all") {
        const QStringList items = valueList(a.value);
        const Qt::CaseSensitivity cs = type.startsWith(u'i') ? Qt::CaseInsensitive : Qt::CaseSensitive;
        qsizetype found = 0;
        for (const auto &item : items)
            found += answer.contains(item, cs) ? 1 : 0;
        const bool any = type.endsWith(u"-any");
        const bool pass = any ? found > 0 : (found == items.size() && !items.isEmpty());
        Grade g = verdict(pass, GraderTr::tr("%1 of %2 expected phrases found").arg(found).arg(items.size()));
        if (!any && !items.isEmpty())
            g.score = static_cast<double>(found) / static_cast<double>(items.size());
        return g;
    }
    if (type == u"regex") {
        const QRegularExpression re(expected);
        if (!re.isValid())
            return verdict(false, GraderTr::tr("invalid regular expression: %1").arg(re.errorString()));
        return verdict(re.match(answer).hasMatch(), GraderTr::tr("expected to match /%1/").arg(expected));
    }
    if (type == u"is-json") {
        const auto parsed = parseJson(answer);
        if (!parsed)
            return verdict(false, GraderTr::tr("expected the whole answer to be JSON"));
        if (!hasSchema(a.value))
            return verdict(true, GraderTr::tr("the answer is JSON"));
        QString error;
        const auto schema = schemaOf(a.value, &error);
        if (!schema)
            return verdict(false, error);
        return validateAny({*parsed}, *schema, GraderTr::tr("the answer"));
    }
    if (type == u"contains-json" || type == u"json-schema") {
        QList<json> values;
        if (auto whole = parseJson(answer))
            values.append(*whole);
        else
            values = Grader::extractJsonValues(answer);
        if (values.isEmpty())
            return verdict(false, GraderTr::tr("expected a JSON value in the answer"));
        if (type == u"contains-json" && !hasSchema(a.value))
            return verdict(true, GraderTr::tr("the answer contains JSON"));
        QString error;
        const auto schema = schemaOf(a.value, &error);
        if (!schema)
            return verdict(false, error);
        return validateAny(values, *schema, GraderTr::tr("the JSON in the answer"));
    }
    if (type == u"levenshtein") {
        const QString got = answer.trimmed();
        const QString want = expected.trimmed();
        const double limit = a.threshold.value_or(5.0);
        // The length difference bounds the distance from below: long answers need no O(n·m) table.
        const auto gap = std::abs(got.size() - want.size());
        if (static_cast<double>(gap) > limit)
            return verdict(false, GraderTr::tr("edit distance at least %1 (at most %2)").arg(gap).arg(limit));
        const int distance = Grader::levenshtein(got, want);
        return verdict(distance <= limit, GraderTr::tr("edit distance %1 (at most %2)").arg(distance).arg(limit));
    }
    if (type == u"word-count") {
        static const QRegularExpression spaces(QStringLiteral("\\s+"));
        const auto words = answer.split(spaces, Qt::SkipEmptyParts).size();
        if (a.value.is_object()) {
            const double min = a.value.value("min", 0.0);
            const double max = a.value.value("max", std::numeric_limits<double>::infinity());
            return verdict(static_cast<double>(words) >= min && static_cast<double>(words) <= max,
                           GraderTr::tr("%1 words (%2 to %3)").arg(words).arg(min).arg(max));
        }
        if (!a.value.is_number())
            return verdict(false, GraderTr::tr("the assertion gives no word count (a number or {\"min\", \"max\"})"));
        const double wanted = a.value.get<double>();
        return verdict(static_cast<double>(words) == wanted,
                       GraderTr::tr("%1 words (expected %2)").arg(words).arg(wanted));
    }
    if (type == u"latency" || type == u"cost") {
        const bool latency = type == u"latency";
        // promptfoo's limit is the threshold; a plain number as the value is accepted too.
        std::optional<double> limit = a.threshold;
        if (!limit && a.value.is_number())
            limit = a.value.get<double>();
        if (!limit)
            return verdict(false, GraderTr::tr("the %1 assertion needs a threshold").arg(type));
        const std::optional<double> &measured = latency ? in.latencyMs : in.costUsd;
        if (!measured)
            return verdict(false, latency ? GraderTr::tr("latency was not measured") : GraderTr::tr("cost is unknown"));
        return verdict(*measured <= *limit,
                       latency ? GraderTr::tr("%1 ms (at most %2 ms)").arg(*measured, 0, 'f', 0).arg(*limit)
                               : GraderTr::tr("$%1 (at most $%2)").arg(*measured, 0, 'f', 6).arg(*limit));
    }
    if (type == u"numeric") {
        const auto got = Grader::extractNumber(answer);
        double want = 0;
        double tolerance = a.threshold.value_or(1e-9);
        if (a.value.is_number()) {
            want = a.value.get<double>();
        } else if (a.value.is_object() && a.value.contains("value") && a.value.at("value").is_number()) {
            want = a.value.at("value").get<double>();
            tolerance = a.value.value("tolerance", tolerance);
        } else {
            bool ok = false;
            want = expected.trimmed().toDouble(&ok);
            if (!ok)
                return verdict(false, GraderTr::tr("the assertion gives no number to compare with"));
        }
        if (!got)
            return verdict(false, GraderTr::tr("no number in the answer (expected %1)").arg(want));
        return verdict(std::abs(*got - want) <= tolerance,
                       GraderTr::tr("found %1, expected %2 ± %3").arg(*got).arg(want).arg(tolerance));
    }
    if (type == u"is-valid-tool-call")
        return gradeValidToolCall(a, in);
    if (type == u"tool-call")
        return gradeToolCall(a, in);
    return verdict(false, GraderTr::tr("unknown grader \"%1\": this check cannot be graded").arg(type));
}

} // namespace

bool Grader::isModelGraded(const QString &type)
{
    return type == u"llm-rubric" || type == u"factuality" || type == u"select-best" || type == u"code-tests";
}

Grade Grader::grade(const Assertion &assertion, const GradeInput &input)
{
    QString type = assertion.type;
    bool negate = false;
    if (type.startsWith(u"not-") && type != u"not-contains") {
        negate = true;
        type = type.mid(4);
    }
    type = canonicalAssertionType(type);
    Grade g;
    if (type == u"code-tests") {
        // An answer without code fails here; one with code waits for the sandbox (RunSession).
        if (codeToTest(assertion, input.answer)) {
            g.needsJudge = true;
            g.reason = GraderTr::tr("waiting for the code tests");
        } else {
            g = verdict(negate, GraderTr::tr("no code block in the answer"));
        }
    } else if (isModelGraded(type)) {
        g.needsJudge = true;
        g.reason = GraderTr::tr("waiting for a judge");
    } else {
        g = gradeBase(type, assertion, input);
        if (negate) {
            g.pass = !g.pass;
            g.score = 1.0 - g.score;
            g.reason = GraderTr::tr("not: %1").arg(g.reason);
        }
    }
    g.type = assertion.type;
    g.weight = assertion.weight;
    return g;
}

CaseGrade Grader::gradeAll(const QList<Assertion> &assertions, const GradeInput &input, std::optional<double> threshold)
{
    QList<Grade> grades;
    grades.reserve(assertions.size());
    for (const auto &a : assertions)
        grades.append(grade(a, input));
    return combine(std::move(grades), threshold);
}

CaseGrade Grader::combine(QList<Grade> grades, std::optional<double> threshold)
{
    CaseGrade out;
    double weighted = 0;
    double weights = 0;
    qsizetype graded = 0;
    for (const auto &g : std::as_const(grades)) {
        if (g.needsJudge) {
            out.pendingJudge = true;
            continue;
        }
        ++graded;
        weighted += g.score * g.weight;
        weights += g.weight;
        out.pass = out.pass && g.pass;
    }
    out.grades = std::move(grades);
    if (out.grades.isEmpty())
        return out; // nothing to check: a pass, as promptfoo has it
    if (graded == 0) {
        out.pass = false;
        out.score = 0.0;
        return out;
    }
    out.score = weights > 0 ? weighted / weights : 0.0;
    if (threshold)
        out.pass = out.score >= *threshold;
    return out;
}

std::optional<QString> Grader::codeToTest(const Assertion &assertion, const QString &answer)
{
    const QString interpreter = assertion.interpreter.isEmpty() ? QStringLiteral("python3") : assertion.interpreter;
    const auto block = CodeBlock::pick(answer, CodeBlock::languagesOf(interpreter));
    if (!block || block->code.trimmed().isEmpty())
        return std::nullopt;
    return block->code;
}

int Grader::levenshtein(QStringView a, QStringView b)
{
    // Two rows: O(|a|·|b|) time, O(|b|) memory.
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<double> Grader::extractNumber(const QString &text)
{
    // The last number in the answer: models tend to reason first and conclude last.
    static const QRegularExpression number(QStringLiteral("-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|-?\\d+(?:\\.\\d+)?"));
    std::optional<double> last;
    auto it = number.globalMatch(text);
    while (it.hasNext()) {
        QString match = it.next().captured(0);
        match.remove(u',');
        bool ok = false;
        const double value = match.toDouble(&ok);
        if (ok)
            last = value;
    }
    return last;
}

std::optional<QString> Grader::extractJson(const QString &text)
{
    int attempts = 0;
    for (qsizetype start = 0; start < text.size() && attempts < kMaxJsonStarts; ++start) {
        const QChar c = text.at(start);
        if (c != u'{' && c != u'[')
            continue;
        ++attempts;
        const qsizetype end = balancedEnd(text, start);
        if (end < 0)
            continue;
        const QString candidate = text.mid(start, end - start);
        if (parseJson(candidate))
            return candidate;
    }
    return std::nullopt;
}

QList<nlohmann::json> Grader::extractJsonValues(const QString &text, qsizetype limit)
{
    QList<json> out;
    int attempts = 0;
    for (qsizetype start = 0; start < text.size() && out.size() < limit && attempts < kMaxJsonStarts; ++start) {
        const QChar c = text.at(start);
        if (c != u'{' && c != u'[')
            continue;
        ++attempts;
        const qsizetype end = balancedEnd(text, start);
        if (end < 0)
            continue;
        if (auto parsed = parseJson(text.mid(start, end - start))) {
            out.append(std::move(*parsed));
            start = end - 1; // values do not overlap
        }
    }
    return out;
}

QList<ToolCall> Grader::toolCallsInText(const QString &text)
{
    QList<ToolCall> out;
    QList<json> values;
    if (auto whole = parseJson(text))
        values.append(*whole);
    else
        values = extractJsonValues(text);
    for (const auto &v : std::as_const(values)) {
        collectToolCalls(v, out, 0);
        if (!out.isEmpty())
            break; // the first JSON value that holds calls is the answer's call list
    }
    return out;
}

} // namespace Slopscope
