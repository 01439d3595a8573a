#pragma once

#include "core/Workspace.h"

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

// Lays `top` over `base` field by field: a field set in `top` wins, an unset one keeps `base`'s.
Price overlayPrice(const Price &base, const Price &top);
// True when no field is set.
bool isEmptyPrice(const Price &price);

// All prices of one model as published, plus the user's overrides: the flat price, extra prices for
// long prompts (LiteLLM `*_above_<N>k_tokens`) and ranges (LiteLLM `tiered_pricing`). `at()` chooses
// the price that applies to a prompt of a given size.
struct PriceSchedule
{
    // Prompts longer than `aboveTokens` use the fields set in `price`; unset fields keep the lower tier's.
    struct Threshold
    {
        qint64 aboveTokens = 0;
        Price price;
    };
    // Prompts of `fromTokens` < n ≤ `toTokens` tokens (the first range also takes n = fromTokens).
    struct Range
    {
        qint64 fromTokens = 0;
        qint64 toTokens = 0;
        Price price;
    };

    QString catalogueKey; // the catalogue entry it came from; empty when it is only an override
    Price base;
    QList<Threshold> thresholds; // ascending aboveTokens
    QList<Range> ranges;         // ascending fromTokens
    // User prices. Each set field wins over every tier: a user's price is flat.
    Price overrides;

    // The price that applies to a prompt of `promptTokens` tokens (all input tokens, cached included).
    // Without a size: the price for short prompts (the flat price, or the first range).
    // Above the last range: the last range (the provider rejects longer prompts anyway).
    [[nodiscard]] Price at(std::optional<qint64> promptTokens) const;
    // Whether the prompt size changes the price.
    [[nodiscard]] bool tiered() const { return !thresholds.isEmpty() || !ranges.isEmpty(); }
    // Whether any token price is known at all (catalogue or override).
    [[nodiscard]] bool hasAnyPrice() const;
};

} // namespace Slopscope
