#pragma once

#include "run/ChainTurnResult.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// A chain cell's turns as JSON: how the history stores them (results.chain_json) and how the JSON
// report lists them. Reading is lenient: a missing or odd field reads as its default.
class ChainTurnCodec final
{
public:
    static nlohmann::json toJson(const QList<ChainTurnResult> &turns);
    static QList<ChainTurnResult> fromJson(const nlohmann::json &turns);
};

} // namespace Slopscope
