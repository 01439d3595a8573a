#include "quality/PromptfooImporter.h"

// The public entry of the promptfoo import: files and YAML text handed to the parser
// (PromptfooParser.h), and promptfoo's provider ids mapped to Slopscope's presets.

#include "core/Utf8.h"
#include "quality/PromptfooParser.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct PromptfooImporterTr
{
    Q_DECLARE_TR_FUNCTIONS(PromptfooImporter)
};

// "file:line:column: message", where yaml-cpp gave up.
Error yamlError(const QString &sourceName, const YAML::Exception &e)
{
    return Error{QStringLiteral("%1:%2:%3: %4")
                     .arg(sourceName)
                     .arg(e.mark.line + 1)
                     .arg(e.mark.column + 1)
                     .arg(PromptfooDetail::qs(e.msg))};
}

struct ProviderKind
{
    const char *prefix;
    const char *preset;
    Dialect dialect;
};

} // namespace

TargetSuggestion PromptfooImporter::mapProvider(const QString &providerId)
{
    TargetSuggestion t;
    t.source = providerId;
    t.label = providerId;
    const QString id = providerId.trimmed();
    const QString kind = id.section(u':', 0, 0).toLower();
    QString rest = id.section(u':', 1);
    const QString sub = rest.section(u':', 0, 0).toLower();
    auto take = [&](const QStringList &subtypes) {
        if (subtypes.contains(sub))
            rest = rest.section(u':', 1);
    };
    auto set = [&](const char *preset, Dialect dialect) {
        t.preset = QString::fromLatin1(preset);
        t.dialect = dialect;
        t.model = rest;
    };
    if (kind == u"openai") {
        if (sub == u"responses") {
            take({QStringLiteral("responses")});
            set("openai-responses", Dialect::OpenAIResponses);
        } else if (sub == u"chat" ||
                   !QStringList{QStringLiteral("completion"), QStringLiteral("embedding"), QStringLiteral("embeddings"),
                                QStringLiteral("assistant"), QStringLiteral("image"), QStringLiteral("realtime"),
                                QStringLiteral("moderation"), QStringLiteral("transcription")}
                        .contains(sub)) {
            take({QStringLiteral("chat")});
            set("openai", Dialect::OpenAIChat);
        } else {
            t.note = QCoreApplication::translate("PromptfooImporter", "OpenAI %1 endpoints are not chat; not mapped")
                         .arg(sub);
        }
    } else if (kind == u"anthropic") {
        if (sub == u"completion") {
            t.note = QCoreApplication::translate("PromptfooImporter",
                                                 "Anthropic's legacy completion API is not supported; not mapped");
        } else {
            take({QStringLiteral("messages")});
            set("anthropic", Dialect::Anthropic);
        }
    } else if (kind == u"google" || kind == u"gemini") {
        set("gemini", Dialect::Gemini);
    } else if (kind == u"vertex") {
        t.dialect = Dialect::Gemini;
        t.model = rest;
        t.note = QCoreApplication::translate("PromptfooImporter",
                                             "Vertex AI speaks Gemini's format; set your project's endpoint as the "
                                             "base URL");
    } else if (kind == u"ollama") {
        if (sub == u"embeddings" || sub == u"embedding") {
            t.note = QCoreApplication::translate("PromptfooImporter", "Ollama embeddings are not chat; not mapped");
        } else {
            if (sub == u"completion")
                t.note = QCoreApplication::translate("PromptfooImporter",
                                                     "runs through Ollama's chat API instead of /api/generate");
            take({QStringLiteral("chat"), QStringLiteral("completion")});
            set("ollama", Dialect::Ollama);
        }
    } else if (kind == u"azure" || kind == u"azureopenai") {
        take({QStringLiteral("chat")});
        t.dialect = Dialect::OpenAIChat;
        t.model = rest;
        t.note = QCoreApplication::translate("PromptfooImporter",
                                             "Azure OpenAI: set your resource's deployment URL as the base URL");
    } else {
        static const ProviderKind kinds[] = {
            {"groq", "groq", Dialect::OpenAIChat},
            {"cerebras", "cerebras", Dialect::OpenAIChat},
            {"openrouter", "openrouter", Dialect::OpenAIChat},
            {"togetherai", "together", Dialect::OpenAIChat},
            {"together", "together", Dialect::OpenAIChat},
            {"fireworks", "fireworks", Dialect::OpenAIChat},
            {"deepseek", "deepseek", Dialect::OpenAIChat},
            {"mistral", "mistral", Dialect::OpenAIChat},
            {"xai", "xai", Dialect::OpenAIChat},
            {"vllm", "vllm", Dialect::OpenAIChat},
            {"llamacpp", "llamacpp", Dialect::OpenAIChat},
            {"llama", "llamacpp", Dialect::OpenAIChat},
            {"lmstudio", "lmstudio", Dialect::OpenAIChat},
        };
        for (const auto &k : kinds) {
            if (kind == QLatin1StringView(k.prefix)) {
                take({QStringLiteral("chat")});
                set(k.preset, k.dialect);
                break;
            }
        }
        if (!t.mapped()) {
            if (kind == u"localai" || kind == u"perplexity") {
                t.dialect = Dialect::OpenAIChat;
                t.model = rest;
                t.baseUrl = kind == u"perplexity" ? QStringLiteral("https://api.perplexity.ai")
                                                  : QStringLiteral("http://localhost:8080/v1");
            } else {
                t.note = QCoreApplication::translate("PromptfooImporter",
                                                     "Slopscope cannot call \"%1\" providers; not mapped")
                             .arg(kind.isEmpty() ? id : kind);
            }
        }
    }
    if (t.mapped() && t.model.isEmpty()) {
        t.dialect.reset();
        t.preset.clear();
        t.note = QCoreApplication::translate("PromptfooImporter", "no model named; not mapped");
    }
    return t;
}

Result<PromptfooImporter::Import> PromptfooImporter::fromYaml(const QByteArray &yaml, const QString &sourceName,
                                                              const QString &baseDir)
{
    // yaml-cpp would pass bad bytes through and QString would make them U+FFFD: a changed prompt
    // without a word. Refused here, naming the byte, as the suite loader and other importers do.
    if (Status utf8 = Utf8::check(yaml, sourceName); !utf8)
        return Error{utf8.error()};
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return yamlError(sourceName, e);
    }
    PromptfooDetail::Parser parser(sourceName, baseDir.isEmpty() ? QFileInfo(sourceName).absolutePath() : baseDir);
    try {
        return parser.parse(root);
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on conversions the parser's checks should have ruled out; never let it escape.
        return yamlError(sourceName, e);
    }
}

Result<PromptfooImporter::Import> PromptfooImporter::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{PromptfooImporterTr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    if (file.size() > Suite::kMaxFileBytes)
        return Error{PromptfooImporterTr::tr("%1: the file is too large (the limit is %2 MiB)")
                         .arg(path)
                         .arg(Suite::kMaxFileBytes >> 20)};
    return fromYaml(file.readAll(), path, QFileInfo(path).absolutePath());
}

} // namespace Slopscope
