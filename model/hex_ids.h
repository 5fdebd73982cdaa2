#pragma once
// Numbers and ids written in hex, either case: the ids of trace files and of users, "#rrggbb".

#include "types.h"

#include <optional>
#include <string_view>

namespace spanwise {

// 1–16 hex digits.
std::optional<std::uint64_t> parseHex64(std::string_view hex);
// 1–32 hex digits; shorter ids are left-padded with zeros (older Jaeger strips them).
std::optional<TraceId> parseHexTraceId(std::string_view hex);
// 1–16 hex digits, or 32 whose first 16 are zeros.
std::optional<SpanId> parseHexSpanId(std::string_view hex);

} // namespace spanwise
