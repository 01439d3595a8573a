#pragma once

#include <QtGlobal>

namespace Slopscope {

// Bounds every parser enforces, so a hostile or broken body cannot exhaust memory
// (RELIABILITY.md B-7: 8 MiB per SSE line/event, 64 MiB per response by default).
inline constexpr qsizetype kDefaultMaxEventBytes = qsizetype(8) * 1024 * 1024;
inline constexpr qsizetype kDefaultMaxResponseBytes = qsizetype(64) * 1024 * 1024;

// Why a parser stopped. Once not Ok, a parser ignores further input.
enum class ParserState {
    Ok,
    EventTooLarge,    // one SSE event (or line) / NDJSON line exceeded the per-event cap
    ResponseTooLarge, // the body exceeded the per-response cap
};

} // namespace Slopscope
