#include "quality/PromptfooParser.h"

// The promptfoo parser's tests (inline, from YAML/JSON/JSONL files, or CSV rows), their vars and
// assertions, defaultTest, and the cases they expand into.

#include "quality/CsvImporter.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace Slopscope::PromptfooDetail {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PromptfooTestsTr
{
    Q_DECLARE_TR_FUNCTIONS(PromptfooImporter)
};

// Cartesian expansion of list vars can explode; promptfoo has no limit, a desktop app needs one.
constexpr qsizetype kMaxExpansion = 10'000;

QString slug(const QString &text)
{
    QString out;
    bool dash = false;
    for (const QChar c : text.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128) {
            out += c;
            dash = false;
        } else if (!dash && !out.isEmpty()) {
            out += u'-';
            dash = true;
        }
        if (out.size() >= 48)
            break;
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out;
}

// promptfoo's assertion shorthand in CSV "__expected" columns: "icontains: Paris",
// "not-regex: \d", "similar(0.8): text", "grade: is polite", "fn: ..."; anything else is equals.
Assertion assertionFromString(const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^(not-)?([a-z][a-z0-9-]*)(?:\\((\\d+(?:\\.\\d+)?)\\))?:\\s?(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    Assertion a;
    const auto m = form.match(text);
    if (m.hasMatch()) {
        QString type = m.captured(2);
        if (type == u"grade" || type == u"llm-rubric")
            type = QStringLiteral("llm-rubric");
        else if (type == u"fn" || type == u"eval")
            type = QStringLiteral("javascript");
        else if (type == u"python" || type == u"file")
            type = type == u"file" ? QStringLiteral("javascript") : type;
        const bool known = knownAssertionTypes().contains(canonicalAssertionType(type)) || type == u"javascript" ||
                           type == u"python" || type == u"similar";
        if (known) {
            a.type = m.captured(1) + type;
            a.value = m.captured(4).toStdString();
            if (!m.captured(3).isEmpty())
                a.threshold = m.captured(3).toDouble();
            return a;
        }
    }
    a.type = QStringLiteral("equals");
    a.value = text.toStdString();
    return a;
}

void flatten(const json &v, const QString &prefix, QHash<QString, QString> &out, int depth)
{
    if (depth > 8 || !v.is_object())
        return;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const QString name = prefix + u'.' + qs(it.key());
        out.insert(name, jsonText(it.value()));
        flatten(it.value(), name, out, depth + 1);
    }
}

QHash<QString, QString> varStrings(const json &vars)
{
    QHash<QString, QString> out;
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        out.insert(qs(it.key()), jsonText(it.value()));
        // {{ user.name }} reaches into object vars, as nunjucks does.
        flatten(it.value(), qs(it.key()), out, 0);
    }
    return out;
}

// Assertion values are nunjucks templates in promptfoo ("{{expected}}"): filled per case.
json renderValue(const json &value, const QHash<QString, QString> &vars, QStringList *missing)
{
    if (value.is_string())
        return renderTemplate(jsonText(value), vars, missing).toStdString();
    if (value.is_array()) {
        json out = json::array();
        for (const auto &item : value)
            out.push_back(item.is_string() ? json(renderTemplate(jsonText(item), vars, missing).toStdString()) : item);
        return out;
    }
    return value;
}

QString uniqueId(QString id, QSet<QString> &ids)
{
    if (ids.contains(id)) {
        int k = 2;
        while (ids.contains(id + u'-' + QString::number(k)))
            ++k;
        id += u'-' + QString::number(k);
    }
    ids.insert(id);
    return id;
}

// An assertion's or a test's provider: an id, or an object with one.
QString providerIdOf(const json &p)
{
    return p.is_object() && p.contains("id") ? jsonText(p.at("id")) : jsonText(p);
}

} // namespace

// ---- tests -----------------------------------------------------------------------------------

bool Parser::loadTestsFile(const QString &ref, const YAML::Node &at, const QString &path, QList<Located> &out)
{
    return forEachFile(ref, at, path, [&](const QString &f, const QByteArray &bytes) {
        const QString ext = extensionOf(f);
        if (ext == u"csv")
            return loadCsvTests(bytes, f, out);
        if (ext == u"jsonl") {
            return forEachLine(bytes, [&](const QByteArray &line, int n) {
                YAML::Node doc;
                try {
                    doc = YAML::Load(line.toStdString()); // JSON is YAML
                } catch (const YAML::Exception &e) {
                    return failAtLine(f, n, QStringLiteral("tests"), qs(e.msg));
                }
                out.append(Located{doc, QStringLiteral("line %1").arg(n), f, n, {}});
                return true;
            });
        }
        if (ext != u"yaml" && ext != u"yml" && ext != u"json")
            return fail(
                at, path,
                PromptfooTestsTr::tr("tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)").arg(f));
        YAML::Node doc;
        try {
            doc = YAML::Load(bytes.toStdString());
        } catch (const YAML::Exception &e) {
            return failAtLine(f, e.mark.line + 1, QStringLiteral("tests"), qs(e.msg));
        }
        if (doc.IsMap()) {
            out.append(Located{doc, QStringLiteral("tests"), f, 0, {}});
            return true;
        }
        if (!doc.IsSequence()) {
            const QString saved = m_source;
            m_source = f;
            fail(doc, QStringLiteral("tests"), PromptfooTestsTr::tr("expected a list of tests"));
            m_source = saved;
            return false;
        }
        for (std::size_t i = 0; i < doc.size(); ++i)
            out.append(Located{doc[i], QStringLiteral("tests[%1]").arg(i), f, 0, {}});
        return true;
    });
}

// promptfoo's CSV layout: columns are vars; __expected, __expected2, ... hold assertion
// shorthands; __description, __threshold and __metadata:<name> fill the test.
bool Parser::loadCsvTests(const QByteArray &bytes, const QString &file, QList<Located> &out)
{
    auto records = CsvImporter::parseRecords(bytes, file);
    if (!records) {
        if (!m_error)
            m_error = Error{records.error()};
        return false;
    }
    if (records.value().isEmpty())
        return true;
    const QStringList header = records.value().first().fields;
    for (qsizetype r = 1; r < records.value().size(); ++r) {
        const auto &row = records.value().at(r);
        if (row.fields.size() != header.size())
            return failAtLine(
                file, row.line, QStringLiteral("tests"),
                PromptfooTestsTr::tr("%1 field(s), but the header has %2").arg(row.fields.size()).arg(header.size()));
        json test = json::object();
        test["vars"] = json::object();
        test["assert"] = json::array();
        for (qsizetype c = 0; c < header.size(); ++c) {
            const QString name = header.at(c).trimmed();
            const QString value = row.fields.at(c);
            if (name.startsWith(u"__expected")) {
                if (value.trimmed().isEmpty())
                    continue;
                const Assertion a = assertionFromString(value);
                json aj = {{"type", a.type.toStdString()}, {"value", a.value}};
                if (a.threshold)
                    aj["threshold"] = *a.threshold;
                test["assert"].push_back(aj);
            } else if (name == u"__description") {
                test["description"] = value.toStdString();
            } else if (name == u"__threshold") {
                bool ok = false;
                const double t = value.toDouble(&ok);
                if (!ok && !value.trimmed().isEmpty())
                    return failAtLine(file, row.line, QStringLiteral("__threshold"),
                                      PromptfooTestsTr::tr("expected a number"));
                if (ok)
                    test["threshold"] = t;
            } else if (name.startsWith(u"__metadata:")) {
                test["metadata"][name.mid(11).toStdString()] = value.toStdString();
            } else if (name.startsWith(u"__")) {
                warn(PromptfooTestsTr::tr("the CSV column \"%1\" is not imported").arg(name));
            } else {
                test["vars"][name.toStdString()] = value.toStdString();
            }
        }
        out.append(Located{YAML::Node(), QStringLiteral("row %1").arg(r), file, row.line, test});
    }
    return true;
}

bool Parser::collectTests(const YAML::Node &node, const QString &path, QList<Located> &out)
{
    if (node.IsScalar()) {
        const QString ref = qs(node.Scalar());
        if (!ref.startsWith(u"file://"))
            return fail(node, path, PromptfooTestsTr::tr("expected a list of tests or a file:// reference"));
        return loadTestsFile(ref, node, path, out);
    }
    if (!node.IsSequence())
        return fail(node, path, PromptfooTestsTr::tr("expected a list of tests"));
    for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const QString ipath = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (item.IsScalar()) {
            if (!collectTests(item, ipath, out))
                return false;
        } else {
            out.append(Located{item, ipath, m_source, 0, {}});
        }
    }
    return true;
}

// A YAML test, or a CSV row already in JSON, as one JSON object; the YAML node stays for marks.
bool Parser::testJson(const Located &t, json &out)
{
    if (t.csv) {
        out = *t.csv;
        return true;
    }
    if (!t.node.IsMap())
        return fail(t.node, t.path, PromptfooTestsTr::tr("a test must be a mapping (vars, assert, ...)"), t.source);
    return toJson(t.node, t.path, out);
}

// ---- vars and assertions ---------------------------------------------------------------------

// Reads vars: file:// string values load that file's text (JSON and YAML files as JSON text).
bool Parser::loadVarFiles(json &vars, const YAML::Node &at, const QString &path)
{
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        auto load = [&](json &value) -> bool {
            if (!value.is_string() || value.get<std::string>().rfind("file://", 0) != 0)
                return true;
            const QString ref = jsonText(value);
            const QString ext = extensionOf(resolve(ref));
            if (ext == u"py" || ext == u"js" || ext == u"ts")
                return fail(at, path + u'.' + qs(it.key()),
                            PromptfooTestsTr::tr("vars from scripts (%1) cannot be imported").arg(ref));
            const auto file = readFirstFile(ref, at, path + u'.' + qs(it.key()));
            if (!file)
                return false;
            value = file->bytes.toStdString();
            return true;
        };
        if (it.value().is_array()) {
            for (auto &item : it.value()) {
                if (!load(item))
                    return false;
            }
        } else if (!load(it.value())) {
            return false;
        }
    }
    return true;
}

bool Parser::parseAssertions(const json &list, const YAML::Node &at, const QString &path, const QString &source,
                             QList<Assertion> &out)
{
    if (list.is_null())
        return true;
    if (!list.is_array())
        return fail(at, path, PromptfooTestsTr::tr("expected a list of assertions"), source);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json &a = list.at(i);
        const QString apath = QStringLiteral("%1[%2]").arg(path).arg(i);
        const YAML::Node an = at.IsSequence() && i < at.size() ? at[i] : at;
        if (!a.is_object())
            return fail(an, apath, PromptfooTestsTr::tr("expected a mapping with a \"type\""), source);
        if (!a.contains("type") || !a.at("type").is_string() || a.at("type").get<std::string>().empty())
            return fail(child(an, "type").IsDefined() ? child(an, "type") : an, apath + QStringLiteral(".type"),
                        PromptfooTestsTr::tr("a type is required"), source);
        Assertion assertion;
        assertion.type = jsonText(a.at("type"));
        if (assertion.type == u"assert-set") {
            warn(PromptfooTestsTr::tr("assert-set groups are kept as one check that Slopscope cannot grade"));
            assertion.value = a.contains("assert") ? a.at("assert") : json();
        } else if (a.contains("value")) {
            assertion.value = a.at("value");
            if (!loadAssertionFile(assertion, an, apath + QStringLiteral(".value")))
                return false;
        }
        if (a.contains("threshold") && !a.at("threshold").is_null()) {
            if (!a.at("threshold").is_number())
                return fail(child(an, "threshold"), apath + QStringLiteral(".threshold"),
                            PromptfooTestsTr::tr("expected a number"), source);
            assertion.threshold = a.at("threshold").get<double>();
        }
        if (a.contains("weight")) {
            if (!a.at("weight").is_number() || a.at("weight").get<double>() < 0)
                return fail(child(an, "weight"), apath + QStringLiteral(".weight"),
                            PromptfooTestsTr::tr("expected a number of at least 0"), source);
            assertion.weight = a.at("weight").get<double>();
        }
        if (a.contains("provider")) {
            assertion.provider = providerIdOf(a.at("provider"));
        }
        if (a.contains("metric"))
            assertion.metric = jsonText(a.at("metric"));
        for (const char *ignored : {"transform", "contextTransform", "config"}) {
            if (a.contains(ignored))
                warn(
                    PromptfooTestsTr::tr("assertion \"%1\" settings are not imported").arg(QLatin1StringView(ignored)));
        }
        const QString base = canonicalAssertionType(
            assertion.type.startsWith(u"not-") && assertion.type != u"not-contains" ? assertion.type.mid(4)
                                                                                    : assertion.type);
        if (!knownAssertionTypes().contains(base))
            warn(PromptfooTestsTr::tr("assertion type \"%1\" is kept but cannot be graded (unknown grader)")
                     .arg(assertion.type));
        out.append(std::move(assertion));
    }
    return true;
}

// A file:// value: text for most types, parsed JSON/YAML for the schema types.
bool Parser::loadAssertionFile(Assertion &a, const YAML::Node &at, const QString &path)
{
    if (!a.value.is_string() || a.value.get<std::string>().rfind("file://", 0) != 0)
        return true;
    const QString ref = jsonText(a.value);
    const QString ext = extensionOf(resolve(ref));
    if (ext != u"txt" && ext != u"md" && ext != u"json" && ext != u"yaml" && ext != u"yml")
        return true; // scripts stay references; their types are not graded here anyway
    const auto file = readFirstFile(ref, at, path);
    if (!file)
        return false;
    if (ext == u"txt" || ext == u"md") {
        a.value = file->bytes.toStdString();
        return true;
    }
    json parsed;
    if (!parseDataFile(file->bytes, file->path, ext == u"json", at, path, parsed))
        return false;
    a.value = parsed;
    return true;
}

QString Parser::judgeOf(const json &test)
{
    if (!test.contains("options") || !test.at("options").is_object())
        return {};
    const json &options = test.at("options");
    for (auto it = options.begin(); it != options.end(); ++it) {
        if (it.key() != "provider")
            warn(PromptfooTestsTr::tr("test option \"%1\" is not imported").arg(qs(it.key())));
    }
    if (!options.contains("provider"))
        return {};
    return providerIdOf(options.at("provider"));
}

// ---- cases -----------------------------------------------------------------------------------

bool Parser::parseDefaultTest(const YAML::Node &node, TestDefaults &out)
{
    YAML::Node effective = node;
    QString source = m_source;
    if (node.IsScalar()) {
        QList<Located> loaded;
        if (!loadTestsFile(qs(node.Scalar()), node, QStringLiteral("defaultTest"), loaded))
            return false;
        if (loaded.size() != 1 || loaded.first().csv)
            return fail(node, QStringLiteral("defaultTest"),
                        PromptfooTestsTr::tr("expected a file with one test mapping"));
        effective = loaded.first().node;
        source = loaded.first().source;
    }
    if (!effective.IsMap())
        return fail(effective, QStringLiteral("defaultTest"),
                    PromptfooTestsTr::tr("expected a mapping (vars, assert, options)"), source);
    json test;
    if (!toJson(effective, QStringLiteral("defaultTest"), test))
        return false;
    if (test.contains("vars")) {
        if (!test.at("vars").is_object())
            return fail(child(effective, "vars"), QStringLiteral("defaultTest.vars"),
                        PromptfooTestsTr::tr("expected a mapping"), source);
        out.vars = test.at("vars");
        if (!loadVarFiles(out.vars, child(effective, "vars"), QStringLiteral("defaultTest.vars")))
            return false;
    }
    if (test.contains("assert") && !parseAssertions(test.at("assert"), child(effective, "assert"),
                                                    QStringLiteral("defaultTest.assert"), source, out.assertions))
        return false;
    if (test.contains("metadata") && test.at("metadata").is_object())
        out.metadata = test.at("metadata");
    if (test.contains("threshold") && test.at("threshold").is_number())
        out.threshold = test.at("threshold").get<double>();
    out.judge = judgeOf(test);
    return true;
}

bool Parser::buildCases(const Located &t, qsizetype index, const TestDefaults &defaults,
                        const QList<PromptDef> &prompts, QSet<QString> &ids, Suite &suite)
{
    json test;
    if (!testJson(t, test))
        return false;
    const YAML::Node &node = t.node;
    auto failHere = [&](const YAML::Node &at, const QString &field, const QString &message) {
        if (t.csv)
            return failAtLine(t.source, t.line, t.path + u'.' + field, message);
        return fail(at.IsDefined() ? at : node, t.path + u'.' + field, message, t.source);
    };
    static const QStringList knownKeys{QStringLiteral("description"), QStringLiteral("vars"),
                                       QStringLiteral("assert"),      QStringLiteral("options"),
                                       QStringLiteral("metadata"),    QStringLiteral("threshold"),
                                       QStringLiteral("provider"),    QStringLiteral("providers"),
                                       QStringLiteral("prompts"),     QStringLiteral("providerOutput")};
    for (auto it = test.begin(); it != test.end(); ++it) {
        if (!knownKeys.contains(qs(it.key())))
            warn(PromptfooTestsTr::tr("the test key \"%1\" is not imported").arg(qs(it.key())));
    }
    for (const char *filter : {"provider", "providers", "prompts"}) {
        if (test.contains(filter))
            warn(PromptfooTestsTr::tr(
                     "per-test \"%1\" filters are not imported: every test runs on every target and prompt")
                     .arg(QLatin1StringView(filter)));
    }
    if (test.contains("providerOutput"))
        warn(PromptfooTestsTr::tr("fixed providerOutput values are not imported"));

    QString description;
    if (test.contains("description")) {
        if (!test.at("description").is_string())
            return failHere(child(node, "description"), QStringLiteral("description"),
                            PromptfooTestsTr::tr("expected a string"));
        description = jsonText(test.at("description"));
    }

    json vars = defaults.vars;
    if (test.contains("vars") && !test.at("vars").is_null()) {
        if (!test.at("vars").is_object())
            return failHere(child(node, "vars"), QStringLiteral("vars"),
                            PromptfooTestsTr::tr("expected a mapping of names and values"));
        json own = test.at("vars");
        if (!loadVarFiles(own, child(node, "vars"), t.path + QStringLiteral(".vars")))
            return false;
        vars.update(own);
    }

    QList<Assertion> assertions = defaults.assertions;
    if (test.contains("assert")) {
        QList<Assertion> own;
        if (!parseAssertions(test.at("assert"), t.csv ? YAML::Node() : child(node, "assert"),
                             t.path + QStringLiteral(".assert"), t.source, own))
            return false;
        assertions += own;
    }
    std::optional<double> threshold = defaults.threshold;
    if (test.contains("threshold") && !test.at("threshold").is_null()) {
        if (!test.at("threshold").is_number())
            return failHere(child(node, "threshold"), QStringLiteral("threshold"),
                            PromptfooTestsTr::tr("expected a number"));
        threshold = test.at("threshold").get<double>();
    }
    json metadata = defaults.metadata;
    if (test.contains("metadata") && test.at("metadata").is_object())
        metadata.update(test.at("metadata"));
    QString judge = judgeOf(test);
    if (judge.isEmpty())
        judge = defaults.judge;
    for (auto &a : assertions) {
        if (a.provider.isEmpty() && !judge.isEmpty())
            a.provider = judge;
    }

    // A list value is one case per element (a cartesian product over several lists).
    QList<json> expansions{json::object()};
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        QList<json> next;
        const json values = it.value().is_array() ? it.value() : json::array({it.value()});
        if (values.empty())
            return failHere(child(child(node, "vars"), it.key().c_str()), QStringLiteral("vars.") + qs(it.key()),
                            PromptfooTestsTr::tr("an empty list gives no case"));
        if (expansions.size() * static_cast<qsizetype>(values.size()) > kMaxExpansion)
            return failHere(child(node, "vars"), QStringLiteral("vars"),
                            PromptfooTestsTr::tr("the lists in vars expand to more than %1 cases").arg(kMaxExpansion));
        for (const json &partial : std::as_const(expansions)) {
            for (const json &v : values) {
                json e = partial;
                e[it.key()] = v;
                next.append(std::move(e));
            }
        }
        expansions = std::move(next);
    }

    const QString base = !slug(description).isEmpty() ? slug(description) : QStringLiteral("test-%1").arg(index);
    for (qsizetype e = 0; e < expansions.size(); ++e) {
        const QHash<QString, QString> caseVars = varStrings(expansions.at(e));
        QList<Assertion> rendered = assertions;
        for (auto &a : rendered) {
            QStringList missing;
            a.value = renderValue(a.value, caseVars, &missing);
            if (!missing.isEmpty())
                return failHere(child(node, "assert"), QStringLiteral("assert"),
                                PromptfooTestsTr::tr("an assertion uses {{%1}}, which this test does not define")
                                    .arg(missing.first()));
        }
        for (qsizetype p = 0; p < prompts.size(); ++p) {
            const PromptDef &prompt = prompts.at(p);
            QStringList missing;
            if (prompt.messages.isEmpty()) {
                renderTemplate(prompt.text, caseVars, &missing);
            } else {
                for (const auto &m : prompt.messages)
                    renderTemplate(m.content, caseVars, &missing);
            }
            if (!missing.isEmpty())
                return failHere(child(node, "vars"), QStringLiteral("vars"),
                                PromptfooTestsTr::tr("the prompt \"%1\" uses {{%2}}, which this test does not define")
                                    .arg(prompt.label.left(40), missing.first()));
            SuiteCase c;
            QString id = base;
            if (expansions.size() > 1)
                id += u'-' + QString::number(e + 1);
            if (prompts.size() > 1)
                id += QStringLiteral("-p") + QString::number(p + 1);
            c.id = uniqueId(id, ids);
            c.description = description;
            c.prompt = prompt.text;
            c.messages = prompt.messages;
            c.vars = caseVars;
            c.assertions = rendered;
            c.threshold = threshold;
            c.metadata = metadata.is_object() ? metadata : json::object();
            c.metadata["promptfoo"] = {{"prompt", prompt.label.toStdString()},
                                       {"test", static_cast<std::int64_t>(index)},
                                       {"source", QFileInfo(t.source).fileName().toStdString()}};
            suite.cases.append(std::move(c));
        }
    }
    return true;
}

} // namespace Slopscope::PromptfooDetail
