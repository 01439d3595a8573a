#include "engine/ProviderPresets.h"

namespace Slopscope {

namespace {

ProviderPreset cloud(const char *id, const char *name, Dialect dialect, const char *baseUrl, const char *keyEnv)
{
    ProviderPreset p;
    p.id = QString::fromLatin1(id);
    p.displayName = QString::fromLatin1(name);
    p.dialect = dialect;
    p.baseUrl = QString::fromLatin1(baseUrl);
    p.apiKeyEnv = QString::fromLatin1(keyEnv);
    // RELIABILITY.md §6: 8 concurrent streams per cloud provider by default.
    p.defaultConcurrency = 8;
    return p;
}

ProviderPreset localServer(const char *id, const char *name, Dialect dialect, int port, const char *basePath,
                           const char *discoveryPath)
{
    ProviderPreset p;
    p.id = QString::fromLatin1(id);
    p.displayName = QString::fromLatin1(name);
    p.dialect = dialect;
    p.baseUrl = u"http://localhost:" + QString::number(port) + QString::fromLatin1(basePath);
    p.local = true;
    p.defaultPort = port;
    p.discoveryPath = QString::fromLatin1(discoveryPath);
    // One GPU serves a few parallel slots at best; more only queues server-side and skews timings.
    p.defaultConcurrency = 2;
    return p;
}

QList<ProviderPreset> makePresets()
{
    QList<ProviderPreset> list;
    list << cloud("openai", "OpenAI", Dialect::OpenAIChat, "https://api.openai.com/v1", "OPENAI_API_KEY");
    list << cloud("openai-responses", "OpenAI (Responses API)", Dialect::OpenAIResponses, "https://api.openai.com/v1",
                  "OPENAI_API_KEY");
    list << cloud("anthropic", "Anthropic", Dialect::Anthropic, "https://api.anthropic.com", "ANTHROPIC_API_KEY");
    list << cloud("gemini", "Google Gemini", Dialect::Gemini, "https://generativelanguage.googleapis.com/v1beta",
                  "GEMINI_API_KEY");
    list << cloud("groq", "Groq", Dialect::OpenAIChat, "https://api.groq.com/openai/v1", "GROQ_API_KEY");
    list << cloud("cerebras", "Cerebras", Dialect::OpenAIChat, "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY");
    ProviderPreset openrouter =
        cloud("openrouter", "OpenRouter", Dialect::OpenAIChat, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY");
    // OpenRouter's documented (optional) app attribution headers.
    openrouter.headers.insert(QStringLiteral("HTTP-Referer"), QStringLiteral("https://github.com/slopscope/slopscope"));
    openrouter.headers.insert(QStringLiteral("X-Title"), QStringLiteral("Slopscope"));
    list << openrouter;
    list << cloud("together", "Together AI", Dialect::OpenAIChat, "https://api.together.xyz/v1", "TOGETHER_API_KEY");
    list << cloud("fireworks", "Fireworks AI", Dialect::OpenAIChat, "https://api.fireworks.ai/inference/v1",
                  "FIREWORKS_API_KEY");
    list << cloud("deepseek", "DeepSeek", Dialect::OpenAIChat, "https://api.deepseek.com", "DEEPSEEK_API_KEY");
    list << cloud("mistral", "Mistral AI", Dialect::OpenAIChat, "https://api.mistral.ai/v1", "MISTRAL_API_KEY");
    list << cloud("xai", "xAI", Dialect::OpenAIChat, "https://api.x.ai/v1", "XAI_API_KEY");
    list << localServer("ollama", "Ollama", Dialect::Ollama, 11434, "", "/api/tags");
    list << localServer("llamacpp", "llama.cpp server", Dialect::OpenAIChat, 8080, "/v1", "/v1/models");
    list << localServer("vllm", "vLLM", Dialect::OpenAIChat, 8000, "/v1", "/v1/models");
    list << localServer("lmstudio", "LM Studio", Dialect::OpenAIChat, 1234, "/v1", "/v1/models");
    return list;
}

} // namespace

const QList<ProviderPreset> &ProviderPresets::all()
{
    static const QList<ProviderPreset> presets = makePresets();
    return presets;
}

const ProviderPreset *ProviderPresets::find(const QString &id)
{
    for (const auto &p : all()) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

QList<ProviderPreset> ProviderPresets::local()
{
    QList<ProviderPreset> out;
    for (const auto &p : all()) {
        if (p.local)
            out.append(p);
    }
    return out;
}

} // namespace Slopscope
