#include "trace_diff.h"

#include "breakdown.h"
#include "critical_path.h"
#include "operation_name.h"
#include "self_time.h"
#include "span_resource.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

namespace spanwise {

OperationKey operationKeyOf(const Dataset& data, const Span& span)
{
    OperationKey key;
    key.label = std::string(data.str(span.service)) + ": " +
                normaliseOperationName(data.str(span.name), &key.normalisations);
    // Datadog names operations generically ("http.request"): its resource tells them apart.
    if (const std::string_view resource = resourceNameOf(data, span);
        !resource.empty() && resource != data.str(span.name))
        key.label += " " + normaliseOperationName(resource, &key.normalisations);
    key.match = key.label;
    std::transform(key.match.begin(), key.match.end(), key.match.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
}

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

// Nodes while they are being built, before they are laid out depth-first.
struct BuildNode {
    std::uint32_t label = 0;
    std::uint32_t parent = kNoIndex;
    std::uint32_t firstChild = kNoIndex; // children in the order they were added, linked
    std::uint32_t lastChild = kNoIndex;
    std::uint32_t nextSibling = kNoIndex;
    DiffSide a{};
    DiffSide b{};
};

// (parent node, label) → node: open addressing, sized once for every node there can be (one per span),
// as this lookup is made for every span and a chained hash map's cache misses dominate otherwise.
class ChildIndex {
public:
    explicit ChildIndex(std::size_t capacity)
    {
        std::size_t size = 16;
        while (size < 2 * capacity)
            size *= 2;
        m_keys.resize(size);
        m_nodes.assign(size, kNoIndex);
        m_mask = size - 1;
    }

    // The node stored for the key, or `node` after storing it; true when it was stored.
    std::pair<std::uint32_t, bool> findOrAdd(std::uint64_t key, std::uint32_t node)
    {
        for (std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> 32 & m_mask;; i = (i + 1) & m_mask) {
            if (m_nodes[i] == kNoIndex) {
                m_keys[i] = key;
                m_nodes[i] = node;
                return {node, true};
            }
            if (m_keys[i] == key)
                return {m_nodes[i], false};
        }
    }

private:
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_nodes; // kNoIndex: empty slot
    std::size_t m_mask = 0;
};

class DiffBuilder {
public:
    DiffBuilder(std::size_t spans, CancelCheck& cancel) : m_children(spans), m_cancel(cancel)
    {
        m_nodes.reserve(spans);
    }

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
            const std::uint32_t node = childNode(parentNode, labelOf(operationKeyOf(data, s)));
            nodeOfSpan[i - trace.first] = node;
            DiffSide& side = sideB ? m_nodes[node].b : m_nodes[node].a;
            ++side.count;
            side.errors += s.status == StatusCode::Error ? 1 : 0;
            side.totalNanos = saturatingAdd(side.totalNanos, s.duration());
            side.selfNanos = saturatingAdd(side.selfNanos, selfTime(data, i));
            side.criticalNanos += critical[i - trace.first];
        }
        return nodeOfSpan;
    }

    unsigned normalisations() const { return m_normalisations; }

    // Lays the nodes out depth-first; `order[old]` is the new index of node `old`.
    std::vector<DiffNode> finish(std::vector<std::uint32_t>& order)
    {
        std::vector<DiffNode> nodes;
        nodes.reserve(m_nodes.size());
        order.assign(m_nodes.size(), kNoIndex);
        std::vector<std::uint32_t> stack;
        const auto pushChildren = [&](std::uint32_t first) { // in reverse, so the first comes off first
            const std::size_t from = stack.size();
            for (std::uint32_t c = first; c != kNoIndex; c = m_nodes[c].nextSibling)
                stack.push_back(c);
            std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(from), stack.end());
        };
        pushChildren(m_firstTopLevel);
        while (!stack.empty()) {
            m_cancel.step();
            const std::uint32_t old = stack.back();
            stack.pop_back();
            const BuildNode& b = m_nodes[old];
            DiffNode n;
            n.label = m_labels[b.label];
            n.parent = b.parent == kNoIndex ? kNoIndex : order[b.parent];
            n.depth = n.parent == kNoIndex ? 0 : nodes[n.parent].depth + 1;
            n.a = b.a;
            n.b = b.b;
            order[old] = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back(std::move(n));
            pushChildren(b.firstChild);
        }
        // Bottom-up: a node's subtree ends where its last child's does.
        for (std::uint32_t i = static_cast<std::uint32_t>(nodes.size()); i-- > 0;) {
            if (nodes[i].subtreeEnd == 0)
                nodes[i].subtreeEnd = i + 1;
            if (nodes[i].parent != kNoIndex)
                nodes[nodes[i].parent].subtreeEnd = std::max(nodes[nodes[i].parent].subtreeEnd, nodes[i].subtreeEnd);
        }
        return nodes;
    }

private:
    std::uint32_t labelOf(OperationKey key)
    {
        m_normalisations |= key.normalisations;
        const auto [it, added] = m_labelIds.try_emplace(std::move(key.match),
                                                        static_cast<std::uint32_t>(m_labels.size()));
        if (added)
            m_labels.push_back(std::move(key.label));
        return it->second;
    }

    std::uint32_t childNode(std::uint32_t parent, std::uint32_t label)
    {
        const std::uint64_t key = std::uint64_t(parent) << 32 | label;
        const auto [node, added] = m_children.findOrAdd(key, static_cast<std::uint32_t>(m_nodes.size()));
        if (added) {
            m_nodes.push_back({label, parent});
            std::uint32_t& first = parent == kNoIndex ? m_firstTopLevel : m_nodes[parent].firstChild;
            std::uint32_t& last = parent == kNoIndex ? m_lastTopLevel : m_nodes[parent].lastChild;
            (last == kNoIndex ? first : m_nodes[last].nextSibling) = node;
            last = node;
        }
        return node;
    }

    std::unordered_map<std::string, std::uint32_t> m_labelIds; // OperationKey::match → label id
    std::vector<std::string> m_labels;
    ChildIndex m_children;
    std::vector<BuildNode> m_nodes;
    std::uint32_t m_firstTopLevel = kNoIndex;
    std::uint32_t m_lastTopLevel = kNoIndex;
    unsigned m_normalisations = 0;
    CancelCheck& m_cancel;
};

bool beyondNoise(TimeNs a, TimeNs b, const DiffOptions& options)
{
    const double difference = std::abs(static_cast<double>(b) - static_cast<double>(a));
    const double larger = static_cast<double>(std::max(std::abs(a), std::abs(b)));
    return difference > static_cast<double>(options.absoluteNanos) && difference > options.relative * larger;
}

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
