#include "critical_path.h"

#include <algorithm>
#include <optional>

namespace spanwise {

namespace {

struct Interval {
    TimeNs start = 0;
    TimeNs end = 0;
};

// A child that may block its parent, with its interval clipped to the parent.
struct Candidate {
    Interval clipped;
    std::uint32_t span = 0;
};

// One span being walked: `bound` is where the part of it not yet assigned ends; candidates
// [next, last) of the shared buffer are its children still to consider, latest end first.
struct Frame {
    std::uint32_t span = 0;
    Interval clipped;
    TimeNs bound = 0;
    std::size_t first = 0;
    std::size_t next = 0;
    std::size_t last = 0;
    bool picked = false; // a child has been handed over to already
};

bool blocksParent(const Span& child, const Span& parent)
{
    if (child.has(MarkFollowsFrom))
        return false;
    return !(child.kind == SpanKind::Consumer && parent.kind == SpanKind::Producer);
}

// Jaeger UI's rules: a child starting at or after the parent's end, or ending at or before its start, is
// outside it; otherwise it is cut to the parent's interval.
std::optional<Interval> clipToParent(const Span& child, Interval parent)
{
    if (child.start >= parent.start) {
        if (child.start >= parent.end)
            return std::nullopt;
        return Interval{child.start, std::min(child.end, parent.end)};
    }
    if (child.end <= parent.start)
        return std::nullopt;
    return Interval{parent.start, std::min(child.end, parent.end)};
}

class CriticalPathWalk {
public:
    explicit CriticalPathWalk(const Dataset& data) : m_data(data) {}

    std::vector<CriticalSegment> run(std::uint32_t root)
    {
        const Span& r = m_data.spans[root];
        pushFrame(root, {r.start, r.end});
        while (!m_frames.empty())
            step();
        std::reverse(m_segments.begin(), m_segments.end());
        return std::move(m_segments);
    }

private:
    void step()
    {
        Frame& f = m_frames.back();
        // After the first pick a child must end strictly before the one handled last starts, as
        // in Jaeger UI; one that does not is hidden behind that child.
        while (f.next < f.last && (m_candidates[f.next].clipped.end > f.bound ||
                                   (f.picked && m_candidates[f.next].clipped.end == f.bound)))
            ++f.next;
        if (f.next == f.last) {
            emit(f.span, f.clipped.start, f.bound);
            m_candidates.resize(f.first);
            m_frames.pop_back();
            return;
        }
        const Candidate child = m_candidates[f.next++];
        emit(f.span, child.clipped.end, f.bound);
        f.bound = child.clipped.start;
        f.picked = true;
        pushFrame(child.span, child.clipped); // invalidates f
    }

    void pushFrame(std::uint32_t span, Interval clipped)
    {
        const Span& s = m_data.spans[span];
        const std::size_t first = m_candidates.size();
        for (std::uint32_t c = span + 1; c < s.subtreeEnd; c = m_data.spans[c].subtreeEnd) {
            const Span& child = m_data.spans[c];
            if (!blocksParent(child, s))
                continue;
            if (const std::optional<Interval> cut = clipToParent(child, clipped))
                m_candidates.push_back({*cut, c});
        }
        // Latest end first; among equal ends the earliest start (siblings are in start order), as Jaeger UI.
        std::sort(m_candidates.begin() + static_cast<std::ptrdiff_t>(first), m_candidates.end(),
                  [](const Candidate& a, const Candidate& b) {
            return a.clipped.end != b.clipped.end ? a.clipped.end > b.clipped.end : a.span < b.span;
        });
        m_frames.push_back({span, clipped, clipped.end, first, first, m_candidates.size()});
    }

    void emit(std::uint32_t span, TimeNs start, TimeNs end)
    {
        if (end <= start)
            return;
        if (!m_segments.empty() && m_segments.back().span == span && m_segments.back().start == end)
            m_segments.back().start = start; // continues across a zero-length child
        else
            m_segments.push_back({span, start, end});
    }

    const Dataset& m_data;
    std::vector<Frame> m_frames;
    std::vector<Candidate> m_candidates;
    std::vector<CriticalSegment> m_segments; // latest first while walking
};

} // namespace

std::vector<CriticalSegment> criticalPath(const Dataset& data, std::uint32_t root)
{
    return CriticalPathWalk(data).run(root);
}

std::vector<CriticalSegment> criticalPath(const Dataset& data, const Trace& trace)
{
    std::vector<CriticalSegment> path;
    std::size_t roots = 0;
    for (std::uint32_t root = trace.first; root < trace.end_index(); root = data.spans[root].subtreeEnd, ++roots) {
        const std::vector<CriticalSegment> part = criticalPath(data, root);
        path.insert(path.end(), part.begin(), part.end());
    }
    if (roots > 1)
        std::stable_sort(path.begin(), path.end(),
                         [](const CriticalSegment& a, const CriticalSegment& b) { return a.start < b.start; });
    return path;
}

std::vector<TimeNs> criticalTimePerSpan(const Trace& trace, std::span<const CriticalSegment> path)
{
    std::vector<TimeNs> time(trace.count, 0);
    for (const CriticalSegment& segment : path)
        time[segment.span - trace.first] += segment.length();
    return time;
}

} // namespace spanwise
