#pragma once
// Reading trace and span ids, base64 and exact decimal integers as trace files write them.

#include <types.h>

#include <optional>
#include <string>
#include <string_view>

namespace spanwise {

// 1–32 hex digits, either case; shorter ids are left-padded with zeros (older Jaeger strips them).
std::optional<TraceId> parseHexTraceId(std::string_view hex);
// 1–16 hex digits, or 32 whose first 16 are zeros.
std::optional<SpanId> parseHexSpanId(std::string_view hex);
// Big-endian bytes (16 for a trace id, 8 for a span id; fewer are left-padded).
std::optional<TraceId> traceIdFromBytes(std::string_view bytes);
std::optional<SpanId> spanIdFromBytes(std::string_view bytes);

// Standard or URL-safe alphabet, padding optional. nullopt when not base64.
std::optional<std::string> decodeBase64(std::string_view text);

// Exact decimal integers: optional sign, digits only, no overflow.
std::optional<std::int64_t> parseInt64(std::string_view text);
std::optional<std::uint64_t> parseUint64(std::string_view text);

// Decimal seconds as JSON writes them (1596648396.6399446, 1.568835610432E9) to integer
// nanoseconds, from the text and never through a double; digits past nanoseconds are rounded.
// nullopt when not a plain decimal number or out of range.
std::optional<std::int64_t> decimalSecondsToNanos(std::string_view text);

// value * factor, or nullopt when the product does not fit (e.g. microseconds to nanoseconds).
std::optional<std::int64_t> scaleChecked(std::int64_t value, std::int64_t factor);

} // namespace spanwise
