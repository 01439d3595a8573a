#pragma once

// The parser behind PromptfooImporter, over three files: PromptfooParser.cpp (the top level,
// errors, YAML values, files), PromptfooPrompts.cpp (prompts, providers) and PromptfooTests.cpp
// (tests, vars, assertions, the cases). Internal to quality/: no other part includes it.

#include "core/Result.h"
#include "quality/PromptfooImporter.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>

namespace Slopscope::PromptfooDetail {

using json = nlohmann::json;

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// A value as text: strings as they are, null as nothing, the rest as compact JSON.
QString jsonText(const json &v);

struct PromptDef
{
    QString label;
    QString text;
    QList<ChatMessage> messages;
};

struct TestDefaults
{
    json vars = json::object();
    QList<Assertion> assertions;
    json metadata = json::object();
    std::optional<double> threshold;
    QString judge;
};

class Parser final
{
public:
    Parser(QString source, QString baseDir);

    Result<PromptfooImporter::Import> parse(const YAML::Node &root);

    Error failError(const YAML::Node &node, const QString &path, const QString &message);

private:
    // A test node with where it came from (tests may live in other files) or, for CSV tests,
    // its values already read.
    struct Located
    {
        YAML::Node node;
        QString path;
        QString source;
        int line = 0; // CSV rows: the row's line; YAML nodes carry their own mark
        std::optional<json> csv;
    };

    struct LoadedFile
    {
        QString path;
        QByteArray bytes;
    };

    static YAML::Node child(const YAML::Node &map, const char *key);

    // ---- errors, values and files (PromptfooParser.cpp) ---------------------------------------
    bool fail(const YAML::Node &node, const QString &path, const QString &message, const QString &source = {});
    bool failAtLine(const QString &source, int line, const QString &path, const QString &message);
    void warn(const QString &message);
    bool toJson(const YAML::Node &node, const QString &path, json &out, int depth = 0);
    bool scalarString(const YAML::Node &node, const QString &path, QString &out);
    QString resolve(const QString &ref) const;
    std::optional<QByteArray> readFile(const QString &path, const YAML::Node &at, const QString &field);
    std::optional<QStringList> expandRef(const QString &ref, const YAML::Node &at, const QString &field);
    bool insideBaseDir(const QString &path) const;
    void failOutside(const QString &path, const YAML::Node &at, const QString &field);
    std::optional<LoadedFile> readFirstFile(const QString &ref, const YAML::Node &at, const QString &field);
    bool forEachFile(const QString &ref, const YAML::Node &at, const QString &field,
                     const std::function<bool(const QString &file, const QByteArray &bytes)> &fn);
    static bool forEachLine(const QByteArray &bytes, const std::function<bool(const QByteArray &line, int n)> &fn);
    bool parseDataFile(const QByteArray &bytes, const QString &file, bool isJson, const YAML::Node &at,
                       const QString &path, json &out);
    static QString extensionOf(const QString &path);

    // ---- prompts and providers (PromptfooPrompts.cpp) -----------------------------------------
    bool addPromptText(const QString &text, const QString &label, const YAML::Node &at, const QString &path,
                       QList<PromptDef> &out);
    bool addPromptField(const YAML::Node &node, const QString &label, const QString &path, QList<PromptDef> &out);
    bool addPrompt(PromptDef p, const YAML::Node &at, const QString &path, QList<PromptDef> &out);
    bool checkNunjucks(const PromptDef &p, const YAML::Node &at, const QString &path);
    bool addPromptFile(const QString &ref, const QString &label, const YAML::Node &at, const QString &path,
                       QList<PromptDef> &out);
    bool labelOf(const YAML::Node &item, const QString &path, QString &label);
    bool parsePrompts(const YAML::Node &node, QList<PromptDef> &out);
    bool providerFrom(const QString &id, const YAML::Node &config, const QString &label, const QString &path,
                      QList<TargetSuggestion> &out);
    bool providerFromEntry(const QString &id, const YAML::Node &options, const QString &path,
                           QList<TargetSuggestion> &out);
    bool parseProviders(const YAML::Node &node, QList<TargetSuggestion> &out);

    // ---- tests, vars and assertions (PromptfooTests.cpp) --------------------------------------
    bool loadTestsFile(const QString &ref, const YAML::Node &at, const QString &path, QList<Located> &out);
    bool loadCsvTests(const QByteArray &bytes, const QString &file, QList<Located> &out);
    bool collectTests(const YAML::Node &node, const QString &path, QList<Located> &out);
    bool testJson(const Located &t, json &out);
    bool loadVarFiles(json &vars, const YAML::Node &at, const QString &path);
    bool parseAssertions(const json &list, const YAML::Node &at, const QString &path, const QString &source,
                         QList<Assertion> &out);
    bool loadAssertionFile(Assertion &a, const YAML::Node &at, const QString &path);
    QString judgeOf(const json &test);
    bool parseDefaultTest(const YAML::Node &node, TestDefaults &out);
    bool buildCases(const Located &t, qsizetype index, const TestDefaults &defaults, const QList<PromptDef> &prompts,
                    QSet<QString> &ids, Suite &suite);

    QString m_source;
    QString m_baseDir;
    std::optional<Error> m_error;
    QStringList m_warnings;
    qsizetype m_nodes = 0;
};

} // namespace Slopscope::PromptfooDetail
