#include "self_time.h"

#include <algorithm>

namespace spanwise {

TimeNs selfTime(const Dataset& data, std::uint32_t span)
{
    const Span& s = data.spans[span];
    TimeNs covered = 0;
    TimeNs reach = s.start; // end of the union so far; children come sorted by start
    for (std::uint32_t c = span + 1; c < s.subtreeEnd; c = data.spans[c].subtreeEnd) {
        const TimeNs from = std::max(data.spans[c].start, reach);
        const TimeNs to = std::min(data.spans[c].end, s.end);
        if (to > from) {
            covered += to - from;
            reach = to;
        }
    }
    return s.duration() - covered;
}

} // namespace spanwise
