#pragma once
// A stable LSD radix sort of rows by 64-bit keys, for sorting a million table rows in a few
// passes over memory instead of n log n comparisons. Keys of other types are first mapped to
// unsigned integers in the same order.

#include <bit>
#include <cstdint>
#include <vector>

namespace spanwise {

struct KeyedRow {
    std::uint64_t key = 0;
    std::uint32_t row = 0;  // what is sorted, carried along
    std::uint8_t group = 0; // sorted before the key, always ascending
};

inline std::uint64_t orderedKey(std::int64_t value)
{
    return static_cast<std::uint64_t>(value) ^ (std::uint64_t(1) << 63);
}

inline std::uint64_t orderedKey(double value)
{
    const auto bits = std::bit_cast<std::uint64_t>(value == 0 ? 0.0 : value); // -0 and 0 alike
    return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t(1) << 63);
}

// Sorts rows by (group ascending, key ascending or descending); equal ones keep their order.
void radixSort(std::vector<KeyedRow>& rows, bool descending);

} // namespace spanwise
