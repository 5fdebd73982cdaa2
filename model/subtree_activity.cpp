#include "subtree_activity.h"

#include <algorithm>

namespace spanwise {

TimeNs SubtreeActivity::binWidth() const
{
    return running.empty() ? 0
                           : std::max<TimeNs>(1, (end - start + TimeNs(running.size()) - 1) / TimeNs(running.size()));
}

std::uint32_t SubtreeActivity::peak(TimeNs from, TimeNs to) const
{
    if (running.empty() || to <= start || from >= end)
        return 0;
    const TimeNs width = binWidth();
    const auto first = static_cast<std::size_t>((std::max(from, start) - start) / width);
    const auto last = std::min(running.size() - 1, static_cast<std::size_t>((std::min(to, end) - 1 - start) / width));
    return *std::max_element(running.begin() + static_cast<std::ptrdiff_t>(first),
                             running.begin() + static_cast<std::ptrdiff_t>(last) + 1);
}

SubtreeActivity subtreeActivity(const Dataset& data, std::uint32_t root, TimeNs from, TimeNs to, std::size_t bins)
{
    SubtreeActivity activity;
    if (bins == 0 || to <= from)
        return activity;
    activity.start = from;
    activity.end = to;
    activity.running.assign(bins, 0);
    const TimeNs width = activity.binWidth();
    // +1 where a span starts, -1 in the bin after it ends; the running sum counts overlaps.
    std::vector<std::int64_t> change(bins + 1, 0);
    for (std::uint32_t i = root + 1; i < data.spans[root].subtreeEnd; ++i) {
        const Span& s = data.spans[i];
        if (s.end < from || s.start >= to)
            continue;
        const auto first = static_cast<std::size_t>((std::max(s.start, from) - from) / width);
        const TimeNs lastMoment = std::min(std::max(s.start, s.end - 1), to - 1); // spans are [start, end)
        const auto last = std::min(bins - 1, static_cast<std::size_t>((lastMoment - from) / width));
        ++change[first];
        --change[last + 1];
    }
    std::int64_t running = 0;
    for (std::size_t b = 0; b < bins; ++b) {
        running += change[b];
        activity.running[b] = static_cast<std::uint32_t>(running);
    }
    return activity;
}

} // namespace spanwise
