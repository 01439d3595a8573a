#pragma once

#include "run/ChainTurnResult.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// A chain cell's turns as JSON: how the history stores them (results.chain_json) and how the JSON
// report lists them. Reading is lenient: a missing or odd field reads as its default.
class ChainTurnCodec final
{
public:
    // Store keeps each turn's thoughts (signatures and encrypted reasoning included) so a reopened
    // chain can go on; Report leaves them out: they are opaque, not for readers.
    enum class Purpose { Store, Report };
    static nlohmann::json toJson(const QList<ChainTurnResult> &turns, Purpose purpose = Purpose::Store);
    static QList<ChainTurnResult> fromJson(const nlohmann::json &turns);
};

} // namespace Slopscope
