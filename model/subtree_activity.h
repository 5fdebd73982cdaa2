#pragma once
// What a collapsed row hides, at any zoom, without visiting its spans on every paint: how many
// spans below a span run during each of a number of equal time bins. Consecutive pixels then
// fold into one mark with a count, as Tracy folds zones narrower than a few pixels.

#include "dataset.h"

#include <vector>

namespace spanwise {

struct SubtreeActivity {
    TimeNs start = 0; // the bins cover [start, end)
    TimeNs end = 0;
    std::vector<std::uint32_t> running; // spans overlapping each bin

    bool covers(TimeNs from, TimeNs to) const { return !running.empty() && from >= start && to <= end; }
    TimeNs binWidth() const;
    // The most spans running at once in [from, to), as far as the bins tell (whole bins).
    std::uint32_t peak(TimeNs from, TimeNs to) const;
};

// The descendants of root (not root itself) over [from, to), in `bins` bins: O(subtree + bins).
SubtreeActivity subtreeActivity(const Dataset& data, std::uint32_t root, TimeNs from, TimeNs to, std::size_t bins);

} // namespace spanwise
