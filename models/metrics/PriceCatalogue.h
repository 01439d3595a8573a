#pragma once

#include "core/Result.h"
#include "core/Workspace.h"
#include "metrics/PriceSchedule.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>
#include <vector>

namespace Slopscope {

// Where a price table came from. Kept with every run: prices change, so a cost is only meaningful
// with the date of the prices it used.
struct CatalogueInfo
{
    QString source; // e.g. "LiteLLM model_prices_and_context_window.json"
    QString commit; // upstream commit the copy was checked against
    QString date;   // YYYY-MM-DD of the content

    // Short form for run records and the UI, e.g. "LiteLLM 00035b69 (2026-07-18)".
    [[nodiscard]] QString version() const;
};

// One model of the table.
struct CatalogueEntry
{
    QString key;      // the table's key, e.g. "cerebras/gpt-oss-120b", "claude-sonnet-4-20250514"
    QString provider; // litellm_provider, e.g. "cerebras", "vertex_ai-language-models"
    QString mode;     // chat, responses, completion, embedding, ... (may be empty)
    PriceSchedule schedule;
};

// The LiteLLM price table (bundled, or any file of the same shape) with user overrides layered on top.
// Per-token dollar prices become per-million-token Price fields; a missing field stays unknown (never
// 0) and a field of 0 is free. Only token prices are read: per-image, per-second, per-character,
// priority/flex/batch and 1-hour cache-write prices are ignored (docs/METRICS.md).
class PriceCatalogue final
{
public:
    PriceCatalogue() = default;

    // Parses a table. `sourceName` names it in errors. Keys "sample_spec" and
    // "fallback_generalizations" and non-object values are skipped.
    static Result<PriceCatalogue> fromJson(const QByteArray &table, const QString &sourceName, CatalogueInfo info = {});
    // The table bundled as :/slopscope/prices/litellm_model_prices.json, with its sidecar
    // :/slopscope/prices/catalogue.json {"source", "commit", "date"}.
    static Result<PriceCatalogue> loadBundled();
    // Reads a sidecar document {"source", "commit", "date"}.
    static Result<CatalogueInfo> parseInfo(const QByteArray &json, const QString &sourceName);

    [[nodiscard]] const CatalogueInfo &info() const { return m_info; }
    [[nodiscard]] qsizetype size() const { return static_cast<qsizetype>(m_entries.size()); }
    [[nodiscard]] const std::vector<CatalogueEntry> &entries() const { return m_entries; }
    // The entry for an exact table key, or nullptr.
    [[nodiscard]] const CatalogueEntry *entry(const QString &key) const;

    // The table key for a provider id and a model name, or an empty string. In order:
    //   1. "<provider>/<model>" (cerebras + gpt-oss-120b, groq + openai/gpt-oss-120b),
    //   2. "<model>" when that entry's litellm_provider is the provider or starts with "<provider>-"
    //      (the bare openai, anthropic and vertex_ai names; a model already given as "gemini/…").
    // The provider id is lower-cased and a few common spellings are mapped to LiteLLM's
    // (google → gemini, together → together_ai, fireworks → fireworks_ai, vertex → vertex_ai).
    // A key that exists only as a user override is found by rule 1 or by its exact name.
    [[nodiscard]] QString findKey(const QString &provider, const QString &model) const;

    // The schedule of a table key with the catalogue-level overrides applied; nullopt when neither the
    // table nor the overrides know the key.
    [[nodiscard]] std::optional<PriceSchedule> scheduleForKey(const QString &key) const;
    // What a target pays: the catalogue's schedule for (provider, model), then the catalogue-level
    // overrides, then `targetPrice` (the workspace target's own price), each winning per field.
    // With no catalogue entry the schedule holds only the overrides (possibly nothing: unknown).
    [[nodiscard]] PriceSchedule resolve(const QString &provider, const QString &model,
                                        const Price &targetPrice = {}) const;

    // User overrides per table key, layered per field over the table (and over every tier).
    void setOverride(const QString &key, const Price &price);
    void clearOverrides() { m_overrides.clear(); }
    // Reads overrides from {"<key>": {"input_per_mtok": 0.3, "output_per_mtok": 1.2,
    // "cached_input_per_mtok": …, "cache_write_per_mtok": …, "reasoning_per_mtok": …}, …}
    // (the workspace's price field names). Nothing is applied unless the whole document is valid.
    Status loadOverrides(const QByteArray &json, const QString &sourceName);

private:
    CatalogueInfo m_info;
    std::vector<CatalogueEntry> m_entries;
    QHash<QString, qsizetype> m_index;
    QHash<QString, Price> m_overrides;
};

} // namespace Slopscope
