#include "hex_ids.h"

#include <array>

namespace spanwise {

namespace {

// Hex digit values by byte, -1 for bytes that are not hex digits.
constexpr std::array<std::int8_t, 256> kHexDigits = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (int i = 0; i < 10; ++i)
        table['0' + i] = static_cast<std::int8_t>(i);
    for (int i = 0; i < 6; ++i) {
        table['a' + i] = static_cast<std::int8_t>(10 + i);
        table['A' + i] = static_cast<std::int8_t>(10 + i);
    }
    return table;
}();

} // namespace

// Branch-free over the digits: ids are parsed millions of times per file.
std::optional<std::uint64_t> parseHex64(std::string_view hex)
{
    if (hex.empty() || hex.size() > 16)
        return std::nullopt;
    std::uint64_t v = 0;
    int invalid = 0;
    for (unsigned char c : hex) {
        const int d = kHexDigits[c];
        invalid |= d; // negative once any byte was not a digit
        v = v << 4 | static_cast<std::uint64_t>(d & 0xF);
    }
    if (invalid < 0)
        return std::nullopt;
    return v;
}

std::optional<TraceId> parseHexTraceId(std::string_view hex)
{
    if (hex.empty() || hex.size() > 32)
        return std::nullopt;
    const std::size_t split = hex.size() > 16 ? hex.size() - 16 : 0;
    const auto low = parseHex64(hex.substr(split));
    const auto high = split ? parseHex64(hex.substr(0, split)) : std::optional<std::uint64_t>(0);
    if (!low || !high)
        return std::nullopt;
    return TraceId{*high, *low};
}

std::optional<SpanId> parseHexSpanId(std::string_view hex)
{
    if (hex.size() == 32) {
        const auto id = parseHexTraceId(hex);
        if (!id || id->high != 0)
            return std::nullopt;
        return id->low;
    }
    return parseHex64(hex);
}

} // namespace spanwise
