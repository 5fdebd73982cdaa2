#pragma once
// Reading trace and span ids, base64 and exact decimal integers as trace files write them (hex
// ids are read by the model's hex_ids.h, also included here).

#include <hex_ids.h>
#include <types.h>

#include <optional>
#include <string>
#include <string_view>

namespace spanwise {

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
