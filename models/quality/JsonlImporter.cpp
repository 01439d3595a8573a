#include "quality/JsonlImporter.h"

#include "core/Json.h"
#include "core/Utf8.h"
#include "quality/Statistics.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct JsonlImporterTr
{
    Q_DECLARE_TR_FUNCTIONS(JsonlImporter)
};

// Why a line cannot be read: malformed (always an error) or merely unsupported (skippable).
struct LineProblem
{
    QString message;
    bool unsupported = false;
};

struct Conversation
{
    int line = 0;
    QString id;
    QList<ChatMessage> messages;
    QString reference;
    json metadata = json::object();
};

std::optional<QString> contentText(const json &content, const QString &path, LineProblem *problem)
{
    if (content.is_string())
        return Json::toQString(content.get<std::string>());
    if (content.is_null())
        return QString();
    if (!content.is_array()) {
        *problem = {JsonlImporterTr::tr("%1: expected a string or a list of content parts").arg(path)};
        return std::nullopt;
    }
    QString text;
    for (std::size_t i = 0; i < content.size(); ++i) {
        const json &part = content.at(i);
        const QString partPath = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (!part.is_object() || !part.contains("type") || !part.at("type").is_string()) {
            *problem = {JsonlImporterTr::tr("%1: expected an object with a \"type\"").arg(partPath)};
            return std::nullopt;
        }
        const std::string type = part.at("type").get<std::string>();
        if (type != "text" && type != "input_text" && type != "output_text") {
            *problem = {JsonlImporterTr::tr("%1: \"%2\" content cannot be replayed (text only)")
                            .arg(partPath, Json::toQString(type)),
                        true};
            return std::nullopt;
        }
        if (!part.contains("text") || !part.at("text").is_string()) {
            *problem = {JsonlImporterTr::tr("%1.text: expected a string").arg(partPath)};
            return std::nullopt;
        }
        text += Json::toQString(part.at("text").get<std::string>());
    }
    return text;
}

std::optional<Conversation> readLine(const json &root, int line, LineProblem *problem)
{
    if (!root.is_object()) {
        *problem = {JsonlImporterTr::tr("expected an object with \"messages\"")};
        return std::nullopt;
    }
    const auto messages = root.find("messages");
    if (messages == root.end() || !messages->is_array() || messages->empty()) {
        *problem = {JsonlImporterTr::tr("messages: a non-empty list of messages is required")};
        return std::nullopt;
    }
    Conversation c;
    c.line = line;
    if (const auto id = root.find("id"); id != root.end()) {
        if (!id->is_string() || id->get<std::string>().empty()) {
            *problem = {JsonlImporterTr::tr("id: expected a non-empty string")};
            return std::nullopt;
        }
        c.id = Json::toQString(id->get<std::string>());
    } else {
        c.id = QStringLiteral("line-%1").arg(line);
    }
    if (const auto meta = root.find("metadata"); meta != root.end()) {
        if (!meta->is_object()) {
            *problem = {JsonlImporterTr::tr("metadata: expected an object")};
            return std::nullopt;
        }
        c.metadata = *meta;
    }
    const std::size_t count = messages->size();
    for (std::size_t i = 0; i < count; ++i) {
        const json &m = messages->at(i);
        const QString path = QStringLiteral("messages[%1]").arg(i);
        if (!m.is_object()) {
            *problem = {JsonlImporterTr::tr("%1: expected an object with \"role\" and \"content\"").arg(path)};
            return std::nullopt;
        }
        if (!m.contains("role") || !m.at("role").is_string()) {
            *problem = {JsonlImporterTr::tr("%1.role: expected a string").arg(path)};
            return std::nullopt;
        }
        QString role = Json::toQString(m.at("role").get<std::string>());
        if (role == u"developer")
            role = QStringLiteral("system");
        const bool last = i + 1 == count;
        if (role == u"tool" || role == u"function") {
            *problem = {JsonlImporterTr::tr("%1.role: \"%2\" messages cannot be replayed yet").arg(path, role), true};
            return std::nullopt;
        }
        if (role != u"system" && role != u"user" && role != u"assistant") {
            *problem = {JsonlImporterTr::tr("%1.role: \"%2\" is not a role (system, developer, user or assistant)")
                            .arg(path, role)};
            return std::nullopt;
        }
        const bool hasToolCalls =
            m.contains("tool_calls") && m.at("tool_calls").is_array() && !m.at("tool_calls").empty();
        if (hasToolCalls && !(last && role == u"assistant")) {
            *problem = {
                JsonlImporterTr::tr("%1.tool_calls: tool calls inside a conversation cannot be replayed yet").arg(path),
                true};
            return std::nullopt;
        }
        if (!m.contains("content") && !hasToolCalls) {
            *problem = {JsonlImporterTr::tr("%1.content: missing").arg(path)};
            return std::nullopt;
        }
        const auto text =
            contentText(m.contains("content") ? m.at("content") : json(), path + QStringLiteral(".content"), problem);
        if (!text)
            return std::nullopt;
        if (last && role == u"assistant") {
            // The logged answer: kept as the reference, not sent.
            c.reference = !text->isEmpty() || !hasToolCalls ? *text : Json::toQString(m.at("tool_calls").dump());
            continue;
        }
        c.messages.append(ChatMessage{role, *text});
    }
    if (c.messages.isEmpty() || c.messages.last().role != u"user") {
        *problem = {JsonlImporterTr::tr(
            "messages: the conversation must end with a user message (a final assistant message is the "
            "logged answer)")};
        return std::nullopt;
    }
    return c;
}

// A uniform random permutation (Fisher-Yates), the same for the same seed on every platform.
void shuffleInPlace(QList<qsizetype> &items, Stats::SeededRandom &rng)
{
    for (qsizetype i = items.size() - 1; i > 0; --i) {
        const auto j = static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(i) + 1));
        std::swap(items[i], items[j]);
    }
}

} // namespace

Result<JsonlImporter::Import> JsonlImporter::fromJsonl(const QByteArray &bytes, const QString &sourceName,
                                                       const Options &options)
{
    if (Status utf8 = Utf8::check(bytes, sourceName); !utf8)
        return Error{utf8.error()};
    Import out;
    QList<Conversation> conversations;
    QSet<QString> ids;
    int line = 0;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        ++line;
        QByteArray text = bytes.mid(start, end - start);
        start = end + 1;
        if (line == 1 && text.startsWith("\xEF\xBB\xBF"))
            text.remove(0, 3);
        if (text.trimmed().isEmpty())
            continue;
        json root;
        try {
            root = json::parse(text.constBegin(), text.constEnd());
        } catch (const json::parse_error &e) {
            // nlohmann's message counts lines within the one line it saw; keep only its reason.
            QString why = QString::fromUtf8(e.what());
            const qsizetype at = why.indexOf(QStringLiteral(": "), why.indexOf(QStringLiteral("column")));
            if (at >= 0)
                why = why.mid(at + 2);
            return Error{JsonlImporterTr::tr("%1:%2:%3: not valid JSON: %4")
                             .arg(sourceName)
                             .arg(line)
                             .arg(std::max<std::size_t>(e.byte, 1))
                             .arg(why)};
        } catch (const json::exception &e) {
            // Not a syntax error: a number beyond double's range ("1e999999", out_of_range.406).
            QString why = QString::fromUtf8(e.what());
            if (const qsizetype at = why.indexOf(QStringLiteral("] ")); at >= 0)
                why = why.mid(at + 2);
            return Error{JsonlImporterTr::tr("%1:%2: not valid JSON: %3").arg(sourceName).arg(line).arg(why)};
        }
        LineProblem problem;
        auto conversation = readLine(root, line, &problem);
        if (!conversation) {
            if (problem.unsupported && options.skipUnsupported) {
                ++out.skipped;
                continue;
            }
            return Error{QStringLiteral("%1:%2: %3").arg(sourceName).arg(line).arg(problem.message)};
        }
        if (ids.contains(conversation->id))
            return Error{JsonlImporterTr::tr("%1:%2: id: duplicate case id \"%3\"")
                             .arg(sourceName)
                             .arg(line)
                             .arg(conversation->id)};
        ids.insert(conversation->id);
        conversations.append(std::move(*conversation));
    }
    out.lines = conversations.size();
    if (conversations.isEmpty())
        return Error{JsonlImporterTr::tr("%1: no conversation to replay").arg(sourceName)};

    // Which lines, then in which order. The sample does not depend on the order option, so a
    // shuffled and an ordered import with one seed hold the same conversations.
    QList<qsizetype> chosen(conversations.size());
    for (qsizetype i = 0; i < chosen.size(); ++i)
        chosen[i] = i;
    if (options.sample && *options.sample < chosen.size()) {
        if (*options.sample < 1)
            return Error{JsonlImporterTr::tr("%1: the sample must hold at least one line").arg(sourceName)};
        Stats::SeededRandom pick(options.seed);
        shuffleInPlace(chosen, pick);
        chosen.resize(*options.sample);
        std::sort(chosen.begin(), chosen.end());
    }
    if (options.shuffle) {
        Stats::SeededRandom order(options.seed ^ 0x9E3779B97F4A7C15ULL);
        shuffleInPlace(chosen, order);
    }

    Suite &suite = out.suite;
    suite.name = QFileInfo(sourceName).completeBaseName();
    suite.description = JsonlImporterTr::tr("Shadow traffic from %1: %2 of %3 conversation(s)")
                            .arg(QFileInfo(sourceName).fileName())
                            .arg(chosen.size())
                            .arg(conversations.size());
    suite.cases.reserve(chosen.size());
    for (const qsizetype index : std::as_const(chosen)) {
        Conversation &conversation = conversations[index];
        SuiteCase c;
        c.id = conversation.id;
        c.messages = std::move(conversation.messages);
        c.reference = std::move(conversation.reference);
        if (options.redact) {
            for (auto &m : c.messages)
                m.content = Redactor::redact(m.content, &out.redactions);
            c.reference = Redactor::redact(c.reference, &out.redactions);
        }
        c.metadata = std::move(conversation.metadata);
        c.metadata["line"] = conversation.line;
        c.tags.append(QStringLiteral("shadow"));
        suite.cases.append(std::move(c));
    }
    return out;
}

Result<JsonlImporter::Import> JsonlImporter::fromFile(const QString &path, const Options &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{JsonlImporterTr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    if (file.size() > Suite::kMaxFileBytes)
        return Error{JsonlImporterTr::tr("%1: the file is too large (the limit is %2 MiB)")
                         .arg(path)
                         .arg(Suite::kMaxFileBytes >> 20)};
    return fromJsonl(file.readAll(), path, options);
}

} // namespace Slopscope
