#include "repeat_groups.h"

#include "parallel_for.h"
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

// Finds the groups among the children of the spans it reads; one per thread.
class GroupScanner {
public:
    GroupScanner(const Dataset& data, const RepeatGroupOptions& options)
        : m_data(data), m_keys(data), m_options(options), m_minCount(std::max<std::uint32_t>(2, options.minCount))
    {
    }

    // Reads the spans [begin, end), in order (depth-first: a span's children follow it), each as
    // its parent's next child; with root, [begin, end) is root's subtree below it. A span in
    // `skipped` (ascending) counts as its parent's child but its subtree is not read.
    void scan(std::uint32_t root, std::uint32_t begin, std::uint32_t end, std::span<const std::uint32_t> skipped)
    {
        if (root != kNoIndex)
            open(root);
        auto nextSkipped = skipped.begin();
        for (std::uint32_t i = begin; i < end; ++i) {
            const Span& s = m_data.spans[i];
            for (; m_depth > 0 && m_open[m_depth - 1].end <= i; --m_depth)
                close(m_open[m_depth - 1]); // a parent's last child was read
            if (m_depth > 0) {
                Open& parent = m_open[m_depth - 1];
                const std::uint32_t key = m_keys.keyOf(s);
                if (key != parent.runKey) {
                    close(parent);
                    parent.runKey = key;
                }
                parent.run.push_back(i);
            }
            const bool skip = nextSkipped != skipped.end() && *nextSkipped == i;
            nextSkipped += skip ? 1 : 0;
            // Fewer descendants than a group has members: no group below.
            if (skip || s.subtreeEnd - i - 1 < m_minCount) {
                i = s.subtreeEnd - 1;
                continue;
            }
            open(i);
        }
        for (; m_depth > 0; --m_depth)
            close(m_open[m_depth - 1]);
    }

    std::vector<RepeatGroup>& groups() { return m_groups; }

private:
    // A parent whose children are being read: the run of its children read last.
    struct Open {
        std::uint32_t parent = kNoIndex;
        std::uint32_t end = 0; // the parent's subtree end
        std::uint32_t runKey = kNoIndex;
        std::vector<std::uint32_t> run; // members of the run
    };

    void open(std::uint32_t parent)
    {
        if (m_depth == m_open.size())
            m_open.emplace_back();
        m_open[m_depth].parent = parent;
        m_open[m_depth].end = m_data.spans[parent].subtreeEnd;
        m_open[m_depth].runKey = kNoIndex;
        ++m_depth;
    }

    void close(Open& o)
    {
        const std::vector<std::uint32_t>& run = o.run;
        if (run.size() >= m_minCount) {
            RepeatGroup g;
            g.first = run.front();
            g.last = run.back();
            g.parent = o.parent;
            g.count = static_cast<std::uint32_t>(run.size());
            g.start = m_data.spans[g.first].start;
            g.end = g.start;
            m_durations.clear();
            for (std::uint32_t m : run) {
                const Span& s = m_data.spans[m];
                g.end = std::max(g.end, s.end);
                g.errors += s.status == StatusCode::Error ? 1 : 0;
                m_durations.push_back(s.duration());
            }
            const auto middle = m_durations.begin() + static_cast<std::ptrdiff_t>((m_durations.size() - 1) / 2);
            std::nth_element(m_durations.begin(), middle, m_durations.end());
            g.medianDuration = *middle;
            const auto [lo, hi] = std::minmax_element(m_durations.begin(), m_durations.end());
            g.minDuration = *lo;
            g.maxDuration = *hi;
            g.concurrent = !ranInSequence(callTiming(m_data, run), m_options.maxSequentialOverlap);
            g.label = m_keys.label(o.runKey);
            m_groups.push_back(std::move(g));
        }
        o.run.clear();
    }

    const Dataset& m_data;
    OperationKeys m_keys;
    const RepeatGroupOptions& m_options;
    std::uint32_t m_minCount;
    std::vector<Open> m_open; // the ancestors of the span being read, outermost first; kept for their runs' room
    std::size_t m_depth = 0;  // how many of m_open are
    std::vector<TimeNs> m_durations;
    std::vector<RepeatGroup> m_groups;
};

// Subtrees to read on threads of their own, as tasks of consecutive subtrees of about a few per
// thread's share of the trace each: the roots, ascending, and where each task's roots begin.
struct SubtreesApart {
    std::vector<std::uint32_t> roots;
    std::vector<std::size_t> taskBegins; // and the end
};

SubtreesApart subtreesApart(const Dataset& data, const Trace& trace, unsigned threads, std::uint32_t minCount)
{
    SubtreesApart apart;
    if (threads <= 1) // 0 when the number of cores is not known
        return apart;
    const std::uint32_t share = trace.count / (threads * 8);
    if (share < 1024)
        return apart;
    std::uint32_t taskSpans = share; // in the last task
    for (std::uint32_t i = trace.first; i < trace.end_index();) {
        const std::uint32_t size = data.spans[i].subtreeEnd - i;
        if (size > share) {
            ++i; // its children are read by the top
            continue;
        }
        if (size > minCount) { // else its descendants are too few for a group: nothing to read
            if (taskSpans >= share) {
                apart.taskBegins.push_back(apart.roots.size());
                taskSpans = 0;
            }
            apart.roots.push_back(i);
            taskSpans += size;
        }
        i += size;
    }
    apart.taskBegins.push_back(apart.roots.size());
    return apart;
}

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
    // The top of the trace on the calling thread, each subtree apart on any: a group's members are
    // the children of one parent, which one scanner reads all of.
    const SubtreesApart apart = subtreesApart(data, trace, options.threads,
                                              std::max<std::uint32_t>(2, options.minCount));
    const std::size_t tasks = apart.taskBegins.empty() ? 0 : apart.taskBegins.size() - 1;
    std::vector<std::vector<RepeatGroup>> found(tasks + 1);
    runTasks(options.threads, found.size(), [&](std::size_t task, bool) {
        GroupScanner scanner(data, options);
        if (task == 0) {
            scanner.scan(kNoIndex, trace.first, trace.end_index(), apart.roots);
        } else {
            for (std::size_t r = apart.taskBegins[task - 1]; r < apart.taskBegins[task]; ++r) {
                const std::uint32_t root = apart.roots[r];
                scanner.scan(root, root + 1, data.spans[root].subtreeEnd, {});
            }
        }
        found[task] = std::move(scanner.groups());
    });
    std::vector<RepeatGroup> groups;
    for (std::vector<RepeatGroup>& some : found)
        groups.insert(groups.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    std::sort(groups.begin(), groups.end(),
              [](const RepeatGroup& a, const RepeatGroup& b) { return a.first < b.first; });
    return groups;
}

} // namespace spanwise
