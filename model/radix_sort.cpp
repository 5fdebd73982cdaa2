#include "radix_sort.h"

#include <algorithm>
#include <array>

namespace spanwise {

namespace {

using Histogram = std::array<std::size_t, 256>;

// One stable counting pass by the byte digit(row), unless every row has the same one.
template <typename Digit>
void countingPass(std::vector<KeyedRow>& rows, std::vector<KeyedRow>& buffer, const Histogram& counts, Digit digit)
{
    if (std::find(counts.begin(), counts.end(), rows.size()) != counts.end())
        return;
    Histogram start{};
    for (std::size_t d = 1; d < start.size(); ++d)
        start[d] = start[d - 1] + counts[d - 1];
    buffer.resize(rows.size());
    for (const KeyedRow& row : rows)
        buffer[start[digit(row)]++] = row;
    rows.swap(buffer);
}

} // namespace

void radixSort(std::vector<KeyedRow>& rows, bool descending)
{
    const std::uint64_t flip = descending ? ~std::uint64_t(0) : 0;
    // Every digit's histogram in one pass over the rows.
    std::array<Histogram, 9> counts{};
    for (const KeyedRow& row : rows) {
        const std::uint64_t key = row.key ^ flip;
        for (int byte = 0; byte < 8; ++byte)
            ++counts[static_cast<std::size_t>(byte)][(key >> (8 * byte)) & 0xff];
        ++counts[8][row.group];
    }
    std::vector<KeyedRow> buffer;
    for (int byte = 0; byte < 8; ++byte) {
        countingPass(rows, buffer, counts[static_cast<std::size_t>(byte)],
                     [&](const KeyedRow& row) { return ((row.key ^ flip) >> (8 * byte)) & 0xff; });
    }
    countingPass(rows, buffer, counts[8], [](const KeyedRow& row) { return std::size_t(row.group); });
}

} // namespace spanwise
