#include "tree_builder.h"

#include "clock_skew.h"

#include <algorithm>
#include <numeric>
#include <optional>

namespace spanwise {

namespace {

// Span id → local index, keeping the Zipkin shared (server) half apart from the client half.
// Slots hold the id itself, so probing never touches the spans.
class SpanIdIndex {
public:
    explicit SpanIdIndex(std::size_t count)
    {
        std::size_t size = 16;
        while (size < count * 2)
            size *= 2;
        m_slots.assign(size, Slot{});
    }

    // Inserts local unless an entry with the same key exists; returns that entry or local.
    std::uint32_t insert(SpanId id, bool shared, std::uint32_t local)
    {
        const std::uint32_t tag = (local << 1 | shared) + 1;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash(id, shared) & mask;; i = (i + 1) & mask) {
            Slot& slot = m_slots[i];
            if (slot.tag == 0) {
                slot = {id, tag};
                return local;
            }
            if (slot.id == id && ((slot.tag - 1) & 1) == shared)
                return (slot.tag - 1) >> 1;
        }
    }

    std::uint32_t find(SpanId id, bool shared) const
    {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash(id, shared) & mask; m_slots[i].tag != 0; i = (i + 1) & mask) {
            const Slot& slot = m_slots[i];
            if (slot.id == id && ((slot.tag - 1) & 1) == shared)
                return (slot.tag - 1) >> 1;
        }
        return kNoIndex;
    }

private:
    struct Slot {
        SpanId id = 0;
        std::uint32_t tag = 0; // (local index << 1 | shared) + 1, or 0 when empty
    };
    static std::size_t hash(SpanId id, bool shared)
    {
        const std::uint64_t h = (id ^ (shared ? 0x5bd1e995u : 0)) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::size_t>(h >> 20);
    }
    std::vector<Slot> m_slots;
};

// Children lists of a parent array, in compressed form.
struct ChildLists {
    std::vector<std::uint32_t> offsets; // n + 2 entries: one list per span, and the top level last
    std::vector<std::uint32_t> items;

    ChildLists(std::span<const std::uint32_t> parent)
    {
        const std::size_t n = parent.size();
        offsets.assign(n + 2, 0);
        for (std::uint32_t p : parent)
            ++offsets[(p == kNoIndex ? n : p) + 1];
        std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
        items.resize(n);
        std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
        for (std::uint32_t i = 0; i < n; ++i)
            items[cursor[parent[i] == kNoIndex ? n : parent[i]]++] = i;
    }
    std::span<std::uint32_t> of(std::size_t list)
    {
        return {items.data() + offsets[list], items.data() + offsets[list + 1]};
    }
};

void resolveParents(Span* spans, std::uint32_t n, Trace& trace, std::vector<std::uint32_t>& parent)
{
    SpanIdIndex index(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (index.insert(spans[i].id, spans[i].has(MarkShared), i) != i) {
            spans[i].marks |= MarkDuplicateId;
            ++trace.duplicateCount;
        }
    }
    parent.assign(n, kNoIndex);
    for (std::uint32_t i = 0; i < n; ++i) {
        Span& span = spans[i];
        std::uint32_t p = kNoIndex;
        if (span.has(MarkShared))
            p = index.find(span.id, false); // the client half this server half belongs to
        if (p == kNoIndex && span.parentId != 0) {
            // Children of a shared id ran in the server half.
            p = index.find(span.parentId, true);
            if (p == kNoIndex || p == i)
                p = index.find(span.parentId, false);
            if (p == kNoIndex) {
                span.marks |= MarkOrphan;
                ++trace.orphanCount;
            }
        }
        if (span.parentId == 0 && !span.has(MarkShared))
            ++trace.rootCount;
        if (p == i) {
            span.marks |= MarkCycleBroken;
            ++trace.cycleCount;
            p = kNoIndex;
        }
        parent[i] = p;
    }
}

// Marks everything reachable from the top level; spans left over hang in parent cycles. Each
// cycle is cut at one span, which becomes a top-level span. Returns the spans top-down.
std::vector<std::uint32_t> breakCycles(Span* spans, Trace& trace, std::vector<std::uint32_t>& parent)
{
    const auto n = static_cast<std::uint32_t>(parent.size());
    ChildLists children(parent);
    std::vector<std::uint8_t> reached(n, 0);
    std::vector<std::uint32_t> topDown;
    topDown.reserve(n);
    auto reachFrom = [&](std::uint32_t start) {
        std::size_t next = topDown.size();
        reached[start] = 1;
        topDown.push_back(start);
        for (; next < topDown.size(); ++next) {
            for (std::uint32_t c : children.of(topDown[next])) {
                if (!reached[c] && parent[c] == topDown[next]) {
                    reached[c] = 1;
                    topDown.push_back(c);
                }
            }
        }
    };
    for (std::uint32_t r : children.of(n))
        reachFrom(r);
    std::vector<std::uint32_t> walkStamp(n, kNoIndex);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (reached[i])
            continue;
        std::uint32_t v = i;
        while (walkStamp[v] != i) { // walk up until a span repeats: it lies on the cycle
            walkStamp[v] = i;
            v = parent[v];
        }
        parent[v] = kNoIndex;
        spans[v].marks |= MarkCycleBroken;
        ++trace.cycleCount;
        reachFrom(v);
    }
    return topDown;
}

// Spans without a start in the file (MarkNoTiming) sit at their parent's start, a top-level one at
// the earliest start the trace knows, as Zipkin's UI lines them up; a duration the file gives is kept.
void placeUntimed(Span* spans, std::uint32_t n, std::span<const std::uint32_t> parent,
                  std::span<const std::uint32_t> topDown)
{
    std::optional<TimeNs> earliest, earliestInvalid;
    bool any = false;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Span& s = spans[i];
        std::optional<TimeNs>& into = s.has(MarkInvalidTime) ? earliestInvalid : earliest;
        if (s.has(MarkNoTiming))
            any = true;
        else
            into = into ? std::min(*into, s.start) : s.start;
    }
    if (!any)
        return;
    const TimeNs traceStart = earliest.value_or(earliestInvalid.value_or(0));
    for (std::uint32_t v : topDown) {
        Span& s = spans[v];
        if (!s.has(MarkNoTiming))
            continue;
        const TimeNs duration = s.end - s.start;
        s.start = parent[v] == kNoIndex ? traceStart : spans[parent[v]].start;
        s.end = saturatingAdd(s.start, duration);
    }
}

// The trace's time range, from spans whose times are known. A span whose times are missing or
// unusable (MarkInvalidTime) and lie outside that range is drawn at the trace start instead of
// stretching the trace back to 1970; one still in progress is drawn up to the trace end.
void placeTimes(Span* spans, std::uint32_t n, Trace& trace)
{
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass) {
        for (std::uint32_t i = 0; i < n; ++i) {
            const Span& s = spans[i];
            if (pass == 0 && s.has(MarkInvalidTime))
                continue;
            trace.start = found ? std::min(trace.start, s.start) : s.start;
            trace.end = found ? std::max(trace.end, s.end) : s.end;
            found = true;
        }
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        Span& s = spans[i];
        if (s.has(MarkInvalidTime) && (s.start < trace.start || s.end > trace.end))
            s.start = s.end = trace.start;
        else if (s.has(MarkInProgress)) // still running when written: drawn up to the end of the trace
            s.end = std::max(s.end, trace.end);
    }
}

} // namespace

void buildTraceTree(Dataset& data, Trace& trace, const BuildOptions& options)
{
    Span* spans = data.spans.data() + trace.first;
    const std::uint32_t n = trace.count;
    std::vector<std::uint32_t> parent;
    resolveParents(spans, n, trace, parent);
    throwIfCancelled(options);
    {
        const std::vector<std::uint32_t> topDown = breakCycles(spans, trace, parent);
        throwIfCancelled(options);
        if (options.adjustClockSkew)
            adjustClockSkew(data, trace, parent, topDown);
        placeUntimed(spans, n, parent, topDown);
    }
    throwIfCancelled(options);

    // Depth-first order, siblings by start time.
    ChildLists children(parent);
    auto byStart = [spans](std::uint32_t a, std::uint32_t b) {
        return spans[a].start != spans[b].start ? spans[a].start < spans[b].start : a < b;
    };
    for (std::uint32_t list = 0; list <= n; ++list) {
        auto c = children.of(list);
        if (c.size() > 1)
            std::sort(c.begin(), c.end(), byStart);
    }
    throwIfCancelled(options);
    std::vector<std::uint32_t> order; // new position → local index
    order.reserve(n);
    std::vector<std::uint32_t> stack;
    auto top = children.of(n);
    stack.assign(top.rbegin(), top.rend());
    while (!stack.empty()) {
        const std::uint32_t v = stack.back();
        stack.pop_back();
        order.push_back(v);
        auto c = children.of(v);
        stack.insert(stack.end(), c.rbegin(), c.rend());
    }

    std::vector<std::uint32_t> position(n); // local index → new position
    for (std::uint32_t pos = 0; pos < n; ++pos)
        position[order[pos]] = pos;
    // Gather the spans in their new order: the reads are independent, so the memory system can
    // overlap them (following permutation cycles in place would chain one cache miss after another).
    {
        std::vector<Span> laidOut(n);
        constexpr std::uint32_t kAhead = 16;
        for (std::uint32_t pos = 0; pos < n; ++pos) {
            if (pos + kAhead < n)
                __builtin_prefetch(&spans[order[pos + kAhead]]);
            laidOut[pos] = spans[order[pos]];
        }
        std::copy(laidOut.begin(), laidOut.end(), spans);
    }
    for (std::uint32_t pos = 0; pos < n; ++pos) {
        Span& s = spans[pos];
        const std::uint32_t p = parent[order[pos]];
        s.parent = p == kNoIndex ? kNoIndex : trace.first + position[p];
        s.depth = p == kNoIndex ? 0 : spans[position[p]].depth + 1;
        s.subtreeEnd = trace.first + pos + 1;
    }
    // Subtree ends, bottom-up: in depth-first order every child comes after its parent.
    for (std::uint32_t pos = n; pos-- > 0;) {
        const Span& s = spans[pos];
        if (s.parent != kNoIndex) {
            Span& up = data.spans[s.parent];
            up.subtreeEnd = std::max(up.subtreeEnd, s.subtreeEnd);
        }
    }

    placeTimes(spans, n, trace);
    for (std::uint32_t i = 0; i < n; ++i) {
        Span& s = spans[i];
        if (s.status == StatusCode::Error)
            ++trace.errorCount;
        if (s.parent != kNoIndex && s.end > data.spans[s.parent].end && !data.spans[s.parent].has(MarkNoTiming))
            s.marks |= MarkOutlivesParent;
    }
    for (SpanWarning& w : trace.spanWarnings)
        w.span = trace.first + position[w.span - trace.first];
    std::stable_sort(trace.spanWarnings.begin(), trace.spanWarnings.end(),
                     [](const SpanWarning& a, const SpanWarning& b) { return a.span < b.span; });
}

} // namespace spanwise
