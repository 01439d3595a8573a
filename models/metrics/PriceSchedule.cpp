#include "metrics/PriceSchedule.h"

namespace Slopscope {

Price overlayPrice(const Price &base, const Price &top)
{
    Price out = base;
    if (top.inputPerMTok)
        out.inputPerMTok = top.inputPerMTok;
    if (top.outputPerMTok)
        out.outputPerMTok = top.outputPerMTok;
    if (top.cachedInputPerMTok)
        out.cachedInputPerMTok = top.cachedInputPerMTok;
    if (top.cacheWritePerMTok)
        out.cacheWritePerMTok = top.cacheWritePerMTok;
    if (top.reasoningPerMTok)
        out.reasoningPerMTok = top.reasoningPerMTok;
    return out;
}

bool isEmptyPrice(const Price &price)
{
    return !price.inputPerMTok && !price.outputPerMTok && !price.cachedInputPerMTok && !price.cacheWritePerMTok &&
           !price.reasoningPerMTok;
}

Price PriceSchedule::at(std::optional<qint64> promptTokens) const
{
    Price price = base;
    if (!ranges.isEmpty()) {
        const Range *chosen = &ranges.front();
        if (promptTokens) {
            const qint64 n = *promptTokens;
            chosen = &ranges.back();
            for (const Range &r : ranges) {
                if ((n > r.fromTokens || (n == r.fromTokens && &r == &ranges.front())) && n <= r.toTokens) {
                    chosen = &r;
                    break;
                }
            }
            if (n < ranges.front().fromTokens)
                chosen = &ranges.front();
        }
        price = overlayPrice(price, chosen->price);
    }
    if (promptTokens) {
        for (const Threshold &t : thresholds) {
            if (*promptTokens > t.aboveTokens)
                price = overlayPrice(price, t.price);
        }
    }
    return overlayPrice(price, overrides);
}

bool PriceSchedule::hasAnyPrice() const
{
    if (!isEmptyPrice(base) || !isEmptyPrice(overrides))
        return true;
    for (const Threshold &t : thresholds) {
        if (!isEmptyPrice(t.price))
            return true;
    }
    for (const Range &r : ranges) {
        if (!isEmptyPrice(r.price))
            return true;
    }
    return false;
}

} // namespace Slopscope
