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
        if (parts == m_lastParts) // a run of repeated calls asks for one key again and again
            return m_lastKey;
        m_lastParts = parts;
        if (const auto it = m_byParts.find(parts); it != m_byParts.end())
            return m_lastKey = it->second;
        OperationKey key = operationKeyOf(m_data, span);
        const auto [it, added] = m_byMatch.try_emplace(std::move(key.match),
                                                       static_cast<std::uint32_t>(m_labels.size()));
        if (added)
            m_labels.push_back(std::move(key.label));
        m_byParts.emplace(parts, it->second);
        return m_lastKey = it->second;
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
    Parts m_lastParts{kNoIndex, kNoIndex, nullptr};
    std::uint32_t m_lastKey = kNoIndex;
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
    std::vector<TimeNs> durations;
    // A parent whose children are being read: the run of its children read last.
    struct Open {
        std::uint32_t parent = kNoIndex;
        std::uint32_t end = 0; // the parent's subtree end
        std::uint32_t runKey = kNoIndex;
        std::vector<std::uint32_t> run; // members of the run
    };
    std::vector<Open> open; // the ancestors of the span being read, outermost first; kept for their runs' room
    std::size_t depth = 0;  // how many of `open` are
    const auto close = [&](Open& o) {
        const std::vector<std::uint32_t>& run = o.run;
        if (run.size() >= minCount) {
            RepeatGroup g;
            g.first = run.front();
            g.last = run.back();
            g.parent = o.parent;
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
            g.label = keys.label(o.runKey);
            groups.push_back(std::move(g));
        }
        o.run.clear();
    };
    // One pass in span order (depth-first: a span's children follow it), each span read as its
    // parent's next child: memory is read in order, not once per parent and again per child.
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = data.spans[i];
        for (; depth > 0 && open[depth - 1].end <= i; --depth)
            close(open[depth - 1]); // a parent's last child was read
        if (depth > 0) {
            Open& parent = open[depth - 1];
            const std::uint32_t key = keys.keyOf(s);
            if (key != parent.runKey) {
                close(parent);
                parent.runKey = key;
            }
            parent.run.push_back(i);
        }
        if (s.subtreeEnd - i - 1 < minCount) { // fewer descendants than a group has members: no group below
            i = s.subtreeEnd - 1;
            continue;
        }
        if (depth == open.size())
            open.emplace_back();
        open[depth].parent = i;
        open[depth].end = s.subtreeEnd;
        open[depth].runKey = kNoIndex;
        ++depth;
    }
    for (; depth > 0; --depth)
        close(open[depth - 1]);
    std::sort(groups.begin(), groups.end(),
              [](const RepeatGroup& a, const RepeatGroup& b) { return a.first < b.first; });
    return groups;
}

} // namespace spanwise
