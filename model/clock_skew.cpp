#include "clock_skew.h"

#include "parallel_for.h"

#include <atomic>
#include <iterator>
#include <limits>

namespace spanwise {

namespace {

StringId hostOf(const Dataset& data, const Span& span)
{
    return span.resource != kNoIndex ? data.resources[span.resource].host : span.service;
}

__extension__ typedef __int128 Wide; // holds any sum or difference of two TimeNs

// How far a server span must move to sit inside its client parent, or 0 when it already does (or
// the move does not fit in TimeNs: only hostile files have such times).
TimeNs deltaToFit(const Span& parent, const Span& child)
{
    if (child.start >= parent.start && child.end <= parent.end)
        return 0;
    const Wide parentDuration = Wide(parent.end) - parent.start;
    const Wide childDuration = Wide(child.end) - child.start;
    Wide fit = 0;
    if (childDuration <= parentDuration) // centre it: split the difference as network latency
        fit = parent.start + (parentDuration - childDuration) / 2 - child.start;
    else if (child.start < parent.start)
        fit = Wide(parent.start) - child.start;
    return fit >= std::numeric_limits<TimeNs>::min() && fit <= std::numeric_limits<TimeNs>::max() ? TimeNs(fit) : 0;
}

// Whether the span can move by delta without leaving TimeNs.
bool movable(const Span& span, TimeNs delta)
{
    TimeNs moved = 0;
    return !__builtin_add_overflow(span.start, delta, &moved) && !__builtin_add_overflow(span.end, delta, &moved);
}

// time + delta, held at the ends of TimeNs (an event's time need not lie within its span's).
TimeNs movedTime(TimeNs time, TimeNs delta)
{
    TimeNs moved = 0;
    if (!__builtin_add_overflow(time, delta, &moved))
        return moved;
    return delta > 0 ? std::numeric_limits<TimeNs>::max() : std::numeric_limits<TimeNs>::min();
}

// Adjusts one span whose parent is adjusted already; returns whether it moved.
bool adjustSpan(Dataset& data, Trace& trace, Span* spans, std::uint32_t local, std::uint32_t p,
                std::vector<SpanWarning>& warnings)
{
    Span& child = spans[local];
    if (p == kNoIndex || child.has(MarkNoTiming)) // an untimed span is placed after adjustment
        return false;
    const Span& up = spans[p];
    const bool sameHost = hostOf(data, child) == hostOf(data, up);
    TimeNs delta = sameHost ? up.skewDelta : 0; // one host, one clock
    if (!movable(child, delta))
        delta = 0;
    child.start += delta;
    child.end += delta;
    const bool crossHostCall = !sameHost && child.kind == SpanKind::Server && up.kind == SpanKind::Client &&
                               !child.has(MarkFollowsFrom) && !up.has(MarkNoTiming);
    if (crossHostCall) {
        TimeNs fit = deltaToFit(up, child);
        TimeNs total = 0;
        if (!movable(child, fit) || __builtin_add_overflow(delta, fit, &total))
            fit = 0;
        if (fit != 0) {
            child.start += fit;
            child.end += fit;
            delta += fit;
            warnings.push_back({trace.first + local, "clock skew: moved by " + std::string(fit > 0 ? "+" : "") +
                                                         formatDuration(fit) +
                                                         " to fit its client parent on another host"});
        }
    }
    child.skewDelta = delta;
    if (delta == 0)
        return false;
    child.marks |= MarkSkewAdjusted;
    for (std::uint32_t e = child.events.first; e < child.events.end(); ++e)
        data.events[e].time = movedTime(data.events[e].time, delta);
    return true;
}

} // namespace

void adjustClockSkew(Dataset& data, Trace& trace, std::span<const std::uint32_t> parent,
                     std::span<const std::uint32_t> topDown, std::span<const std::uint32_t> levels, std::size_t threads)
{
    Span* spans = data.spans.data() + trace.first;
    auto adjustSerially = [&](std::size_t first, std::size_t end) {
        for (std::size_t k = first; k < end; ++k)
            trace.skewAdjustedCount += adjustSpan(data, trace, spans, topDown[k], parent[topDown[k]],
                                                  trace.spanWarnings);
    };
    // The spans of a level depend only on the levels above: a big level is split among the threads.
    std::size_t done = 0;
    for (std::size_t l = 0; l + 1 < levels.size(); done = levels[++l]) {
        const std::size_t first = levels[l], count = levels[l + 1] - first;
        const std::size_t blocks = parallelBlocks(threads, count);
        if (blocks == 1) {
            adjustSerially(first, first + count);
            continue;
        }
        std::vector<std::vector<SpanWarning>> warnings(blocks);
        std::atomic<std::uint32_t> adjusted{0};
        parallelFor(threads, count, [&](std::size_t begin, std::size_t end, std::size_t block) {
            std::uint32_t own = 0;
            for (std::size_t k = first + begin; k < first + end; ++k)
                own += adjustSpan(data, trace, spans, topDown[k], parent[topDown[k]], warnings[block]);
            adjusted += own;
        });
        trace.skewAdjustedCount += adjusted;
        for (auto& block : warnings)
            std::move(block.begin(), block.end(), std::back_inserter(trace.spanWarnings));
    }
    adjustSerially(done, topDown.size());
}

} // namespace spanwise
