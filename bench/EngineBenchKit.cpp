#include "EngineBenchKit.h"

#include "engine/SecretSource.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace Slopscope::Bench {

namespace {

const QString kKeyName = QStringLiteral("SLOPSCOPE_BENCH_KEY");

class BenchSecrets final : public SecretSource
{
public:
    [[nodiscard]] std::optional<SecretString> secret(const QString &name) const override
    {
        if (name == kKeyName)
            return SecretString(u"sk-sim-bench");
        return std::nullopt;
    }
};

QString basePath(Dialect dialect)
{
    switch (dialect) {
    case Dialect::OpenAIChat:
    case Dialect::OpenAIResponses:
        return QStringLiteral("/v1");
    case Dialect::Gemini:
        return QStringLiteral("/v1beta");
    case Dialect::Anthropic:
    case Dialect::Ollama:
        break;
    }
    return {};
}

} // namespace

QList<Dialect> allDialects()
{
    return {Dialect::OpenAIChat, Dialect::OpenAIResponses, Dialect::Anthropic, Dialect::Gemini, Dialect::Ollama};
}

QString modelFor(Dialect dialect)
{
    return u"bench-" + dialectName(dialect);
}

QByteArray personasJson(double ttftMedianMs, double ttftSpread, double tokensPerSecond)
{
    QByteArray out = R"({"personas": [)";
    bool first = true;
    for (Dialect d : allDialects()) {
        if (!first)
            out += ',';
        first = false;
        const QByteArray name = dialectName(d).toUtf8();
        out += R"({"id": "bench-)" + name + R"(", "dialect": ")" + name + R"(", "dialects": [")" + name +
               R"("], "ttft_ms": {"median": )" + QByteArray::number(ttftMedianMs) + R"(, "spread": )" +
               QByteArray::number(ttftSpread) + R"(}, "tokens_per_second": )" + QByteArray::number(tokensPerSecond) +
               "}";
    }
    out += "]}";
    return out;
}

ProviderConfig simulatedProvider(Dialect dialect, int maxConcurrency, const QHash<QString, QString> &headers)
{
    ProviderConfig p;
    p.id = u"bench-" + dialectName(dialect);
    p.dialect = dialect;
    p.baseUrl = u"{simulator}" + basePath(dialect);
    p.apiKeyEnv = kKeyName;
    p.maxConcurrency = maxConcurrency;
    p.maxRetries = 0;
    p.headers = headers;
    p.simulated = true;
    return p;
}

RunScheduler::Dependencies dependencies(const QString &simulatorBaseUrl)
{
    RunScheduler::Dependencies d = RunScheduler::productionDependencies();
    d.secrets = std::make_shared<BenchSecrets>();
    d.simulatorBaseUrl = simulatorBaseUrl;
    return d;
}

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

qint64 processCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ns = [](const timeval &tv) {
        return static_cast<qint64>(tv.tv_sec) * 1'000'000'000 + static_cast<qint64>(tv.tv_usec) * 1000;
    };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

} // namespace Slopscope::Bench
