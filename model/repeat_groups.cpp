#include "repeat_groups.h"

#include "span_resource.h"
#include "trace_diff.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace spanwise {

namespace {

// Operation keys by what they are made of, so that a million spans normalise only their few
// distinct names: the same service, name and resource give the same key.
class OperationKeys {
public:
    explicit OperationKeys(const Dataset& data)
        : m_data(data), m_resources(data.strings.find("resource.name") != kNoIndex)
    {
    }

    // A small number per distinct OperationKey::match.
    std::uint32_t keyOf(const Span& span)
    {
        // Only Datadog spans have resources: the others skip looking for one.
        const std::string_view resource = m_resources ? resourceNameOf(m_data, span) : std::string_view();
        const Parts parts{span.service, span.name, resource.data()}; // pooled strings: one address each
        if (const auto it = m_byParts.find(parts); it != m_byParts.end())
            return it->second;
        OperationKey key = operationKeyOf(m_data, span);
        const auto [it, added] = m_byMatch.try_emplace(std::move(key.match),
                                                       static_cast<std::uint32_t>(m_labels.size()));
        if (added)
            m_labels.push_back(std::move(key.label));
        m_byParts.emplace(parts, it->second);
        return it->second;
    }
    const std::string& label(std::uint32_t key) const { return m_labels[key]; }

private:
    struct Parts {
        StringId service;
        StringId name;
        const char* resource;
        bool operator==(const Parts&) const = default;
    };
    struct PartsHash {
        std::size_t operator()(const Parts& p) const noexcept
        {
            return std::hash<std::uint64_t>{}(std::uint64_t(p.service) << 32 | p.name) ^
                   std::hash<const char*>{}(p.resource);
        }
    };

    const Dataset& m_data;
    bool m_resources;
    std::unordered_map<Parts, std::uint32_t, PartsHash> m_byParts;
    std::unordered_map<std::string, std::uint32_t> m_byMatch;
    std::vector<std::string> m_labels;
};

} // namespace

CallTiming callTiming(const Dataset& data, std::span<const std::uint32_t> calls)
{
    CallTiming t;
    TimeNs reach = std::numeric_limits<TimeNs>::min();
    for (std::uint32_t c : calls) {
        const Span& s = data.spans[c];
        t.summed = saturatingAdd(t.summed, s.duration());
        if (s.start < reach)
            t.overlap = saturatingAdd(t.overlap, std::min(s.end, reach) - s.start);
        t.wall = saturatingAdd(t.wall, std::max<TimeNs>(0, s.end - std::max(s.start, reach)));
        reach = std::max(reach, s.end);
    }
    return t;
}

bool ranInSequence(const CallTiming& timing, double maxOverlap)
{
    return static_cast<double>(timing.overlap) <= maxOverlap * static_cast<double>(timing.summed);
}

std::vector<RepeatGroup> findRepeatGroups(const Dataset& data, const Trace& trace, const RepeatGroupOptions& options)
{
    std::vector<RepeatGroup> groups;
    OperationKeys keys(data);
    const std::uint32_t minCount = std::max<std::uint32_t>(2, options.minCount);
    std::vector<std::uint32_t> run; // members of the run being read
    std::vector<TimeNs> durations;
    const auto close = [&](std::uint32_t parent, std::uint32_t key) {
        if (run.size() >= minCount) {
            RepeatGroup g;
            g.first = run.front();
            g.last = run.back();
            g.parent = parent;
            g.count = static_cast<std::uint32_t>(run.size());
            g.start = data.spans[g.first].start;
            g.end = g.start;
            durations.clear();
            for (std::uint32_t m : run) {
                const Span& s = data.spans[m];
                g.end = std::max(g.end, s.end);
                g.errors += s.status == StatusCode::Error ? 1 : 0;
                durations.push_back(s.duration());
            }
            const auto middle = durations.begin() + static_cast<std::ptrdiff_t>((durations.size() - 1) / 2);
            std::nth_element(durations.begin(), middle, durations.end());
            g.medianDuration = *middle;
            const auto [lo, hi] = std::minmax_element(durations.begin(), durations.end());
            g.minDuration = *lo;
            g.maxDuration = *hi;
            g.concurrent = !ranInSequence(callTiming(data, run), options.maxSequentialOverlap);
            g.label = keys.label(key);
            groups.push_back(std::move(g));
        }
        run.clear();
    };
    // Each span is read once, as its parent's child.
    for (std::uint32_t parent = trace.first; parent < trace.end_index(); ++parent) {
        const std::uint32_t end = data.spans[parent].subtreeEnd;
        if (end - parent - 1 < minCount)
            continue; // fewer descendants than a group has members
        std::uint32_t runKey = kNoIndex;
        for (std::uint32_t c = parent + 1; c < end; c = data.spans[c].subtreeEnd) {
            const std::uint32_t key = keys.keyOf(data.spans[c]);
            if (key != runKey) {
                close(parent, runKey);
                runKey = key;
            }
            run.push_back(c);
        }
        close(parent, runKey);
    }
    std::sort(groups.begin(), groups.end(),
              [](const RepeatGroup& a, const RepeatGroup& b) { return a.first < b.first; });
    return groups;
}

} // namespace spanwise
