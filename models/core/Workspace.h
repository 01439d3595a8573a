#pragma once

#include "core/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Slopscope {

// The wire format a provider speaks.
enum class Dialect { OpenAIChat, OpenAIResponses, Anthropic, Gemini, Ollama };

std::optional<Dialect> dialectFromName(const QString &name);
QString dialectName(Dialect dialect);

struct Timeouts
{
    int connectMs = 10'000;
    int firstByteMs = 120'000;
    int firstTokenMs = 300'000;
    int idleMs = 120'000;
    int contentIdleMs = 300'000;
    int totalMs = 1'200'000;
};

struct ProviderConfig
{
    QString id;
    Dialect dialect = Dialect::OpenAIChat;
    // May start with "{simulator}", replaced by the embedded simulator's address at run time.
    QString baseUrl;
    // Name of the environment variable holding the key; keys never live in the workspace file.
    QString apiKeyEnv;
    int maxConcurrency = 4;
    int maxRetries = 2;
    Timeouts timeouts;
    QHash<QString, QString> headers;
    // Headers whose value is a secret ("headers": {"X-Portkey-Api-Key": {"secret": "PORTKEY_KEY"}}):
    // header name → the secret's name, looked up like api_key_env (keychain, then environment)
    // when a request is built, so the value never sits in the workspace file.
    QHash<QString, QString> secretHeaders;
    // Explicit opt-in to send a key over plain HTTP to a host that is not loopback.
    bool allowInsecureKey = false;
    // Certificate authorities the user added for this provider ("ca_file": a corporate proxy's or
    // a private server's CA), trusted besides the system's. The file's absolute path and its PEM
    // text, read when the workspace loads. Nothing else ever widens what TLS trusts.
    QString caFile;
    QByteArray caCertificates;
    // "" follows the environment (https_proxy, no_proxy), "none" goes direct, a URL
    // ("http://proxy.corp:3128", never with credentials) uses that proxy. See ProxyRules.
    QString proxy;
    bool simulated = false;

    [[nodiscard]] bool usesEmbeddedSimulator() const;
    // Every secret the provider sends: its key's name and its secret headers' names.
    [[nodiscard]] QStringList secretNames() const;
};

// Prices in US dollars per million tokens. Unset means "unknown", never free.
struct Price
{
    std::optional<double> inputPerMTok;
    std::optional<double> outputPerMTok;
    std::optional<double> cachedInputPerMTok;
    std::optional<double> cacheWritePerMTok;
    std::optional<double> reasoningPerMTok;
};

struct TargetParams
{
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    QString reasoningEffort;
};

struct TargetConfig
{
    QString id;
    QString label;
    QString providerId;
    QString model;
    Price price;
    TargetParams params;
    QString color; // "#rrggbb"; views turn it into a QColor
};

struct Workspace
{
    QString name;
    QList<ProviderConfig> providers;
    QList<TargetConfig> targets;
    // Hosts that never go through the environment's proxy, besides no_proxy's ("no_proxy": names,
    // ".suffix", IP addresses, CIDR blocks, "host:port", "*"; the same syntax). Workspace-wide
    // rather than per provider: a provider already has "proxy": "none", and a LAN range or a
    // domain concerns every provider on it. Joined to no_proxy (either list bypasses).
    QStringList noProxy;

    [[nodiscard]] const ProviderConfig *provider(const QString &id) const;
    [[nodiscard]] const TargetConfig *target(const QString &id) const;

    // What the file loader checks of a provider or target beyond JSON types, the message prefixed
    // with `path` (e.g. "targets[2]"); empty when it is valid. Shared so an edit in the GUI is held
    // to the same rules as a file.
    static QString providerProblem(const ProviderConfig &provider, const QString &path);
    static QString targetProblem(const TargetConfig &target, const QString &path);
    // One "no_proxy" entry: empty when usable (no blank, comma or space inside).
    static QString bypassEntryProblem(const QString &entry, const QString &path);
    // Only the headers' part of providerProblem (names, values, a name both plain and secret).
    static QString headersProblem(const ProviderConfig &provider, const QString &path);
    // A provider's "ca_file" (an absolute path): its PEM text, or why it cannot be trusted (unreadable,
    // over 1 MB, no certificate in it). The message names the file, not the field.
    static Result<QByteArray> readCertificateAuthorities(const QString &path);
    // The colour a target gets when it names none: the palette's `index`-th entry.
    static QString paletteColor(qsizetype index);

    // Edits with the loader's checks (plus unique ids and a known provider); nothing changes on error.
    Status addProvider(const ProviderConfig &provider);
    Status addTarget(const TargetConfig &target);
    Status removeTarget(const QString &id);

    // Parses and validates a workspace document; nothing is returned unless all of it is valid.
    static Result<Workspace> fromJson(const QByteArray &bytes, const QString &sourceName);
    static Result<Workspace> fromFile(const QString &path);
    // The bundled demo: simulated providers answered by the embedded simulator.
    static Workspace demo();
};

} // namespace Slopscope
