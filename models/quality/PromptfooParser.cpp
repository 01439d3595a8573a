#include "quality/PromptfooParser.h"

// The promptfoo parser's top level (the configuration mapping), its errors and warnings, YAML
// values as JSON, and the files that file:// references name.

#include "core/Json.h"
#include "core/Utf8.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace Slopscope::PromptfooDetail {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PromptfooParserTr
{
    Q_DECLARE_TR_FUNCTIONS(PromptfooImporter)
};

constexpr int kMaxYamlDepth = 64;
// Values converted from YAML over a whole import.
constexpr qsizetype kMaxNodes = 500'000;

// YAML 1.2 core schema resolution of a plain scalar, as js-yaml (promptfoo's parser) does it.
json scalarToJson(const YAML::Node &node)
{
    const std::string &s = node.Scalar();
    const std::string &tag = node.Tag();
    const QString text = qs(s);
    auto endsWith = [&](const char *suffix) {
        const std::string sfx(suffix);
        return tag.size() >= sfx.size() && tag.compare(tag.size() - sfx.size(), sfx.size(), sfx) == 0;
    };
    // Strings go through QString: yaml-cpp passes invalid UTF-8 through, and nlohmann's dump()
    // throws on it later (the grader and the reports dump these values); invalid bytes become U+FFFD.
    if (tag == "!" || endsWith(":str"))
        return text.toStdString(); // quoted, or explicitly a string
    static const QRegularExpression nullRe(QStringLiteral("^(?:~|null|Null|NULL)?$"));
    static const QRegularExpression trueRe(QStringLiteral("^(?:true|True|TRUE)$"));
    static const QRegularExpression falseRe(QStringLiteral("^(?:false|False|FALSE)$"));
    static const QRegularExpression intRe(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression floatRe(
        QStringLiteral("^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"));
    if (nullRe.match(text).hasMatch())
        return nullptr;
    if (trueRe.match(text).hasMatch())
        return true;
    if (falseRe.match(text).hasMatch())
        return false;
    if (intRe.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong v = text.toLongLong(&ok);
        if (ok)
            return v;
    }
    if (floatRe.match(text).hasMatch()) {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (ok)
            return v;
    }
    return text.toStdString();
}

} // namespace

QString jsonText(const json &v)
{
    if (v.is_string())
        return Json::toQString(v.get<std::string>());
    if (v.is_null())
        return {};
    return Json::toQString(v.dump());
}

Parser::Parser(QString source, QString baseDir)
    : m_source(std::move(source))
    , m_baseDir(std::move(baseDir))
{}

Result<PromptfooImporter::Import> Parser::parse(const YAML::Node &root)
{
    PromptfooImporter::Import out;
    if (!root.IsMap())
        return failError(
            root, {}, PromptfooParserTr::tr("a promptfoo configuration must be a mapping (prompts, providers, tests)"));
    static const QSet<QString> known{QStringLiteral("description"),
                                     QStringLiteral("prompts"),
                                     QStringLiteral("providers"),
                                     QStringLiteral("targets"),
                                     QStringLiteral("tests"),
                                     QStringLiteral("defaultTest"),
                                     QStringLiteral("scenarios"),
                                     QStringLiteral("evaluateOptions"),
                                     QStringLiteral("outputPath"),
                                     QStringLiteral("sharing"),
                                     QStringLiteral("env"),
                                     QStringLiteral("commandLineOptions"),
                                     QStringLiteral("nunjucksFilters"),
                                     QStringLiteral("derivedMetrics"),
                                     QStringLiteral("extensions"),
                                     QStringLiteral("tags"),
                                     QStringLiteral("metadata"),
                                     QStringLiteral("writeLatestResults"),
                                     QStringLiteral("redteam"),
                                     QStringLiteral("tracing"),
                                     QStringLiteral("assertionTemplates")};
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = qs(it->first.Scalar());
        if (!known.contains(key))
            warn(PromptfooParserTr::tr("the key \"%1\" is not imported").arg(key));
    }

    const YAML::Node description = child(root, "description");
    if (description.IsDefined() && !description.IsNull()) {
        if (!description.IsScalar())
            return failError(description, QStringLiteral("description"), PromptfooParserTr::tr("expected a string"));
        out.suite.description = qs(description.Scalar());
    }
    out.suite.name = out.suite.description.isEmpty() ? QFileInfo(m_source).completeBaseName()
                                                     : out.suite.description.section(u'\n', 0, 0).left(80);
    if (child(root, "scenarios").IsDefined())
        warn(PromptfooParserTr::tr("scenarios are not imported; only tests are"));
    if (child(root, "nunjucksFilters").IsDefined())
        warn(PromptfooParserTr::tr("custom nunjucks filters are not imported"));

    QList<PromptDef> prompts;
    const YAML::Node promptsNode = child(root, "prompts");
    if (!promptsNode.IsDefined() || promptsNode.IsNull())
        return failError(root, QStringLiteral("prompts"), PromptfooParserTr::tr("at least one prompt is required"));
    if (!parsePrompts(promptsNode, prompts))
        return *m_error;
    if (prompts.isEmpty())
        return failError(promptsNode, QStringLiteral("prompts"),
                         PromptfooParserTr::tr("at least one prompt is required"));

    YAML::Node providers = child(root, "providers");
    if (!providers.IsDefined())
        providers = child(root, "targets");
    if (providers.IsDefined() && !providers.IsNull() && !parseProviders(providers, out.targets))
        return *m_error;

    TestDefaults defaults;
    const YAML::Node defaultTest = child(root, "defaultTest");
    if (defaultTest.IsDefined() && !defaultTest.IsNull() && !parseDefaultTest(defaultTest, defaults))
        return *m_error;

    QList<Located> tests;
    const YAML::Node testsNode = child(root, "tests");
    if (testsNode.IsDefined() && !testsNode.IsNull() && !collectTests(testsNode, QStringLiteral("tests"), tests))
        return *m_error;
    if (tests.isEmpty()) {
        // promptfoo runs each prompt once with the default test when there are no tests.
        tests.append(Located{YAML::Node(YAML::NodeType::Map), QStringLiteral("defaultTest"), m_source, 0, {}});
    }
    QSet<QString> ids;
    for (qsizetype i = 0; i < tests.size(); ++i) {
        if (!buildCases(tests.at(i), i + 1, defaults, prompts, ids, out.suite))
            return *m_error;
    }
    if (out.suite.cases.isEmpty())
        return failError(root, QStringLiteral("tests"), PromptfooParserTr::tr("the configuration yields no test"));
    out.warnings = m_warnings;
    return out;
}

Error Parser::failError(const YAML::Node &node, const QString &path, const QString &message)
{
    fail(node, path, message);
    return *m_error;
}

YAML::Node Parser::child(const YAML::Node &map, const char *key)
{
    if (!map.IsMap())
        return YAML::Node(YAML::NodeType::Undefined);
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return it->second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

// ---- errors ----------------------------------------------------------------------------------

bool Parser::fail(const YAML::Node &node, const QString &path, const QString &message, const QString &source)
{
    if (m_error)
        return false;
    int line = 0;
    int column = 0;
    if (node.IsDefined()) {
        const YAML::Mark mark = node.Mark();
        if (!mark.is_null()) {
            line = mark.line + 1;
            column = mark.column + 1;
        }
    }
    const QString file = source.isEmpty() ? m_source : source;
    const QString where = line > 0 ? QStringLiteral("%1:%2:%3").arg(file).arg(line).arg(column) : file;
    m_error =
        Error{where + QStringLiteral(": ") + (path.isEmpty() ? QString() : path + QStringLiteral(": ")) + message};
    return false;
}

bool Parser::failAtLine(const QString &source, int line, const QString &path, const QString &message)
{
    if (!m_error)
        m_error = Error{QStringLiteral("%1:%2: %3: %4").arg(source).arg(line).arg(path, message)};
    return false;
}

void Parser::warn(const QString &message)
{
    if (!m_warnings.contains(message))
        m_warnings.append(message);
}

// ---- values ----------------------------------------------------------------------------------

bool Parser::toJson(const YAML::Node &node, const QString &path, json &out, int depth)
{
    if (depth > kMaxYamlDepth)
        return fail(node, path, PromptfooParserTr::tr("nested too deeply"));
    // YAML aliases share nodes; expanding them can blow up exponentially ("billion laughs").
    if (++m_nodes > kMaxNodes)
        return fail(
            node, path,
            PromptfooParserTr::tr("the configuration is too large once its aliases are expanded (more than %1 values)")
                .arg(kMaxNodes));
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        out = nullptr;
        return true;
    case YAML::NodeType::Scalar:
        out = scalarToJson(node);
        return true;
    case YAML::NodeType::Sequence: {
        out = json::array();
        for (std::size_t i = 0; i < node.size(); ++i) {
            json item;
            if (!toJson(node[i], path + u'[' + QString::number(i) + u']', item, depth + 1))
                return false;
            out.push_back(std::move(item));
        }
        return true;
    }
    case YAML::NodeType::Map: {
        out = json::object();
        json merged = json::object();
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!it->first.IsScalar())
                return fail(it->first, path, PromptfooParserTr::tr("keys must be plain strings"));
            const std::string key = qs(it->first.Scalar()).toStdString(); // valid UTF-8, as above
            json value;
            if (!toJson(it->second, path.isEmpty() ? qs(key) : path + u'.' + qs(key), value, depth + 1))
                return false;
            if (key == "<<") {
                // YAML merge keys (yaml-cpp 0.7 keeps them as plain keys): lower precedence.
                const json sources = value.is_array() ? value : json::array({value});
                for (const auto &src : sources) {
                    if (src.is_object())
                        merged.update(src);
                }
                continue;
            }
            out[key] = std::move(value);
        }
        for (auto it = merged.begin(); it != merged.end(); ++it) {
            if (!out.contains(it.key()))
                out[it.key()] = it.value();
        }
        return true;
    }
    }
    return true;
}

bool Parser::scalarString(const YAML::Node &node, const QString &path, QString &out)
{
    if (!node.IsScalar())
        return fail(node, path, PromptfooParserTr::tr("expected a string"));
    out = qs(node.Scalar());
    return true;
}

// ---- files -----------------------------------------------------------------------------------

QString Parser::resolve(const QString &ref) const
{
    QString path = ref.mid(7); // "file://"
    if (QFileInfo(path).isRelative())
        path = QDir(m_baseDir).filePath(path);
    return QDir::cleanPath(path);
}

std::optional<QByteArray> Parser::readFile(const QString &path, const YAML::Node &at, const QString &field)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(at, field, PromptfooParserTr::tr("cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    if (file.size() > Suite::kMaxFileBytes) {
        fail(at, field, PromptfooParserTr::tr("%1 is too large").arg(path));
        return std::nullopt;
    }
    QByteArray bytes = file.readAll();
    if (Status utf8 = Utf8::check(bytes, path); !utf8) {
        fail(at, field, utf8.error());
        return std::nullopt;
    }
    return bytes;
}

// file:// paths; a * in the file name matches like a shell glob.
std::optional<QStringList> Parser::expandRef(const QString &ref, const YAML::Node &at, const QString &field)
{
    const QString path = resolve(ref);
    const QFileInfo info(path);
    if (!info.fileName().contains(u'*')) {
        if (!info.exists()) {
            fail(at, field, PromptfooParserTr::tr("no file %1").arg(path));
            return std::nullopt;
        }
        if (!insideBaseDir(path)) {
            failOutside(path, at, field);
            return std::nullopt;
        }
        return QStringList{path};
    }
    const QDir dir = info.dir();
    QStringList out;
    const QStringList names = dir.entryList({info.fileName()}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const QString file = dir.filePath(name);
        if (!insideBaseDir(file)) {
            failOutside(file, at, field);
            return std::nullopt;
        }
        out.append(file);
    }
    if (out.isEmpty()) {
        fail(at, field, PromptfooParserTr::tr("no file matches %1").arg(path));
        return std::nullopt;
    }
    return out;
}

// Includes stay inside the configuration's folder (RELIABILITY B-4): a shared config must not
// read ~/.ssh/id_rsa through "../", an absolute path or a symlink. Canonical paths see through
// all three; an existing file is required, so callers check existence first.
bool Parser::insideBaseDir(const QString &path) const
{
    const QString base = QFileInfo(m_baseDir).canonicalFilePath();
    const QString file = QFileInfo(path).canonicalFilePath();
    if (base.isEmpty() || file.isEmpty())
        return false;
    const QString relative = QDir(base).relativeFilePath(file);
    return relative != u".." && !relative.startsWith(u"../") && !QDir::isAbsolutePath(relative);
}

void Parser::failOutside(const QString &path, const YAML::Node &at, const QString &field)
{
    fail(at, field,
         PromptfooParserTr::tr("%1 is outside the configuration's folder %2; included files must be inside it")
             .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(m_baseDir)));
}

// The first file a reference names, read.
std::optional<Parser::LoadedFile> Parser::readFirstFile(const QString &ref, const YAML::Node &at, const QString &field)
{
    const auto files = expandRef(ref, at, field);
    if (!files)
        return std::nullopt;
    auto bytes = readFile(files->first(), at, field);
    if (!bytes)
        return std::nullopt;
    return LoadedFile{files->first(), std::move(*bytes)};
}

// Every file a reference names, read and handed to `fn` in turn; the first failure stops.
bool Parser::forEachFile(const QString &ref, const YAML::Node &at, const QString &field,
                         const std::function<bool(const QString &file, const QByteArray &bytes)> &fn)
{
    const auto files = expandRef(ref, at, field);
    if (!files)
        return false;
    for (const QString &f : *files) {
        const auto bytes = readFile(f, at, field);
        if (!bytes || !fn(f, *bytes))
            return false;
    }
    return true;
}

// The non-blank lines of a JSONL file with their numbers (from 1); the first failure stops.
bool Parser::forEachLine(const QByteArray &bytes, const std::function<bool(const QByteArray &line, int n)> &fn)
{
    const QList<QByteArray> lines = bytes.split('\n');
    int n = 0;
    for (const QByteArray &line : lines) {
        ++n;
        if (!line.trimmed().isEmpty() && !fn(line, n))
            return false;
    }
    return true;
}

// A JSON file, or a YAML one, as JSON.
bool Parser::parseDataFile(const QByteArray &bytes, const QString &file, bool isJson, const YAML::Node &at,
                           const QString &path, json &out)
{
    if (isJson) {
        out = json::parse(bytes.toStdString(), nullptr, false);
        if (out.is_discarded())
            return fail(at, path, PromptfooParserTr::tr("%1 is not valid JSON").arg(file));
        return true;
    }
    YAML::Node doc;
    try {
        doc = YAML::Load(bytes.toStdString());
    } catch (const YAML::Exception &e) {
        return fail(at, path, PromptfooParserTr::tr("%1:%2: %3").arg(file).arg(e.mark.line + 1).arg(qs(e.msg)));
    }
    return toJson(doc, path, out);
}

QString Parser::extensionOf(const QString &path)
{
    return QFileInfo(path).suffix().toLower();
}

} // namespace Slopscope::PromptfooDetail
