#include "clock_skew.h"

namespace spanwise {

namespace {

StringId hostOf(const Dataset& data, const Span& span)
{
    return span.resource != kNoIndex ? data.resources[span.resource].host : span.service;
}

// How far a server span must move to sit inside its client parent, or 0 when it already does.
TimeNs deltaToFit(const Span& parent, const Span& child)
{
    if (child.start >= parent.start && child.end <= parent.end)
        return 0;
    const TimeNs parentDuration = parent.duration();
    const TimeNs childDuration = child.duration();
    if (childDuration <= parentDuration) // centre it: split the difference as network latency
        return parent.start + (parentDuration - childDuration) / 2 - child.start;
    return child.start < parent.start ? parent.start - child.start : 0;
}

} // namespace

void adjustClockSkew(Dataset& data, Trace& trace, std::span<const std::uint32_t> parent,
                     std::span<const std::uint32_t> topDown)
{
    Span* spans = data.spans.data() + trace.first;
    for (std::uint32_t local : topDown) {
        const std::uint32_t p = parent[local];
        Span& child = spans[local];
        if (p == kNoIndex || child.has(MarkNoTiming)) // an untimed span is placed after adjustment
            continue;
        const Span& up = spans[p];
        const bool sameHost = hostOf(data, child) == hostOf(data, up);
        TimeNs delta = sameHost ? up.skewDelta : 0; // one host, one clock
        child.start += delta;
        child.end += delta;
        const bool crossHostCall = !sameHost && child.kind == SpanKind::Server && up.kind == SpanKind::Client &&
                                   !child.has(MarkFollowsFrom) && !up.has(MarkNoTiming);
        if (crossHostCall) {
            const TimeNs fit = deltaToFit(up, child);
            if (fit != 0) {
                child.start += fit;
                child.end += fit;
                delta += fit;
                trace.spanWarnings.push_back(
                    {trace.first + local, "clock skew: moved by " + std::string(fit > 0 ? "+" : "") +
                                              formatDuration(fit) + " to fit its client parent on another host"});
            }
        }
        child.skewDelta = delta;
        if (delta != 0) {
            child.marks |= MarkSkewAdjusted;
            ++trace.skewAdjustedCount;
            for (std::uint32_t e = child.events.first; e < child.events.end(); ++e)
                data.events[e].time += delta;
        }
    }
}

} // namespace spanwise
