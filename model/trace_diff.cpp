#include "trace_diff.h"

#include "breakdown.h"
#include "critical_path.h"
#include "self_time.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace spanwise {

const char* toString(DiffStatus status)
{
    switch (status) {
    case DiffStatus::Same:
        return "same";
    case DiffStatus::Changed:
        return "changed";
    case DiffStatus::Added:
        return "added";
    case DiffStatus::Removed:
        return "removed";
    }
    return "same";
}

std::size_t TraceDiff::count(DiffStatus status) const
{
    return static_cast<std::size_t>(
        std::count_if(nodes.begin(), nodes.end(), [status](const DiffNode& n) { return n.status == status; }));
}

namespace {

// Thrown out of the diff's steps when it is cancelled.
struct DiffCancelled {};

// Asks the cancel predicate once every kEvery steps: a call per span would show in the diff's time.
class CancelCheck {
public:
    explicit CancelCheck(const std::function<bool()>& cancelled) : m_cancelled(cancelled) {}

    void step()
    {
        if (++m_steps % kEvery == 0)
            now();
    }
    void now() const
    {
        if (m_cancelled && m_cancelled())
            throw DiffCancelled();
    }

private:
    static constexpr std::uint32_t kEvery = 4096;
    const std::function<bool()>& m_cancelled;
    std::uint32_t m_steps = 0;
};

class DiffBuilder {
public:
    DiffBuilder(std::size_t spans, CancelCheck& cancel) : m_merger(spans), m_cancel(cancel) { m_sides.reserve(spans); }

    // Adds the spans of one side; returns the node of each span.
    std::vector<std::uint32_t> addSide(const Dataset& data, const Trace& trace, std::span<const CriticalSegment> path,
                                       bool sideB)
    {
        const std::vector<TimeNs> critical = criticalTimePerSpan(trace, path);
        std::vector<std::uint32_t> nodeOfSpan(trace.count);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            m_cancel.step();
            const Span& s = data.spans[i];
            // Depth-first order: a span's parent comes before it.
            const std::uint32_t parentNode = s.parent == kNoIndex ? kNoIndex : nodeOfSpan[s.parent - trace.first];
            const std::uint32_t node = m_merger.child(parentNode, m_merger.labelOf(data, s));
            nodeOfSpan[i - trace.first] = node;
            if (node == m_sides.size())
                m_sides.emplace_back();
            DiffSide& side = sideB ? m_sides[node].second : m_sides[node].first;
            ++side.count;
            side.errors += s.status == StatusCode::Error ? 1 : 0;
            side.totalNanos = saturatingAdd(side.totalNanos, s.duration());
            side.selfNanos = saturatingAdd(side.selfNanos, selfTime(data, i));
            side.criticalNanos += critical[i - trace.first];
        }
        return nodeOfSpan;
    }

    unsigned normalisations() const { return m_merger.normalisations(); }

    // Lays the nodes out depth-first; `order[old]` is the new index of node `old`.
    std::vector<DiffNode> finish(std::vector<std::uint32_t>& order)
    {
        const std::vector<CallPathMerger::Node>& built = m_merger.nodes();
        const std::vector<std::string>& labels = m_merger.labels();
        std::vector<DiffNode> nodes;
        nodes.reserve(built.size());
        order.assign(built.size(), kNoIndex);
        for (const std::uint32_t old : m_merger.depthFirst()) {
            m_cancel.step();
            const CallPathMerger::Node& b = built[old];
            DiffNode n;
            n.label = labels[b.label];
            n.parent = b.parent == kNoIndex ? kNoIndex : order[b.parent];
            n.depth = n.parent == kNoIndex ? 0 : nodes[n.parent].depth + 1;
            n.a = m_sides[old].first;
            n.b = m_sides[old].second;
            order[old] = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back(std::move(n));
        }
        fillSubtreeEnds(nodes);
        return nodes;
    }

private:
    CallPathMerger m_merger;
    std::vector<std::pair<DiffSide, DiffSide>> m_sides; // A's and B's, by node of m_merger
    CancelCheck& m_cancel;
};

} // namespace

bool beyondNoise(TimeNs a, TimeNs b, const DiffOptions& options)
{
    const double difference = std::abs(static_cast<double>(b) - static_cast<double>(a));
    const double larger = static_cast<double>(std::max(std::abs(a), std::abs(b)));
    return difference > static_cast<double>(options.absoluteNanos) && difference > options.relative * larger;
}

namespace {

DiffStatus statusOf(const DiffNode& n, const DiffOptions& options)
{
    if (n.a.count == 0)
        return DiffStatus::Added;
    if (n.b.count == 0)
        return DiffStatus::Removed;
    const bool changed = n.a.count != n.b.count || n.a.errors != n.b.errors ||
                         beyondNoise(n.a.totalNanos, n.b.totalNanos, options) ||
                         beyondNoise(n.a.selfNanos, n.b.selfNanos, options);
    return changed ? DiffStatus::Changed : DiffStatus::Same;
}

// One side of a comparison with its critical path, computed once for the nodes and the services.
struct Side {
    const Dataset& data;
    const Trace& trace;
    std::vector<CriticalSegment> path;
};

std::vector<ServiceDelta> serviceDeltas(const Side& a, const Side& b, const CancelCheck& cancel)
{
    std::map<std::string, ServiceDelta> byName;
    const auto add = [&](const Side& side, bool sideB) {
        for (const BreakdownRow& row : computeBreakdown(side.data, side.trace, BreakdownGrouping::Service, side.path)) {
            ServiceDelta& d = byName[std::string(side.data.str(row.service))];
            (sideB ? d.selfNanosB : d.selfNanosA) = row.selfNanos;
            (sideB ? d.criticalPathNanosB : d.criticalPathNanosA) = row.criticalPathNanos;
        }
    };
    add(a, false);
    cancel.now();
    add(b, true);
    std::vector<ServiceDelta> result;
    for (auto& [name, delta] : byName) {
        delta.service = name;
        result.push_back(std::move(delta));
    }
    return result;
}

} // namespace

TraceDiff diffTraces(const Dataset& dataA, const Trace& traceA, const Dataset& dataB, const Trace& traceB,
                     const DiffOptions& options)
{
    return *diffTraces(dataA, traceA, dataB, traceB, options, nullptr);
}

std::optional<TraceDiff> diffTraces(const Dataset& dataA, const Trace& traceA, const Dataset& dataB,
                                    const Trace& traceB, const DiffOptions& options,
                                    const std::function<bool()>& cancelled)
try {
    CancelCheck cancel(cancelled);
    const Side a{dataA, traceA, criticalPath(dataA, traceA)};
    cancel.now();
    const Side b{dataB, traceB, criticalPath(dataB, traceB)};
    cancel.now();
    DiffBuilder builder(std::size_t(traceA.count) + traceB.count, cancel);
    TraceDiff diff;
    diff.nodeOfSpanA = builder.addSide(dataA, traceA, a.path, false);
    diff.nodeOfSpanB = builder.addSide(dataB, traceB, b.path, true);
    std::vector<std::uint32_t> order;
    diff.nodes = builder.finish(order);
    cancel.now();
    for (std::uint32_t& n : diff.nodeOfSpanA)
        n = order[n];
    for (std::uint32_t& n : diff.nodeOfSpanB)
        n = order[n];
    for (DiffNode& n : diff.nodes)
        n.status = statusOf(n, options);
    cancel.now();
    diff.services = serviceDeltas(a, b, cancel);
    diff.durationA = traceA.duration();
    diff.durationB = traceB.duration();
    diff.normalisations = builder.normalisations();
    diff.options = options;
    return diff;
} catch (const DiffCancelled&) {
    return std::nullopt;
}

std::vector<std::uint32_t> nodesByTotalDelta(const TraceDiff& diff)
{
    std::vector<std::uint32_t> order(diff.nodes.size());
    for (std::uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto magnitude = [&](std::uint32_t n) {
        return std::abs(static_cast<double>(diff.nodes[n].b.totalNanos) -
                        static_cast<double>(diff.nodes[n].a.totalNanos));
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return magnitude(x) > magnitude(y); });
    return order;
}

std::string formatDurationDelta(TimeNs delta)
{
    return delta > 0 ? "+" + formatDuration(delta) : formatDuration(delta);
}

std::optional<double> relativeChange(TimeNs a, TimeNs b)
{
    if (a == 0)
        return std::nullopt;
    return (static_cast<double>(b) - static_cast<double>(a)) / static_cast<double>(a);
}

std::vector<std::string> nodePath(const TraceDiff& diff, std::uint32_t node)
{
    std::vector<std::string> path;
    for (std::uint32_t n = node; n != kNoIndex; n = diff.nodes[n].parent)
        path.push_back(diff.nodes[n].label);
    std::reverse(path.begin(), path.end());
    return path;
}

} // namespace spanwise
