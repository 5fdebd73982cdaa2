#include "call_tree.h"

#include "critical_path.h"
#include "self_time.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace spanwise {

std::uint32_t CallTree::nodeOf(std::uint32_t span) const
{
    return span >= firstSpan && span - firstSpan < nodeOfSpan.size() ? nodeOfSpan[span - firstSpan] : kNoIndex;
}

TimeNs CallTree::topLevelTotal() const
{
    TimeNs total = 0;
    for (std::uint32_t n = 0; n < nodes.size(); n = nodes[n].subtreeEnd)
        total = saturatingAdd(total, nodes[n].totalNanos);
    return total;
}

const char* toString(FrameChange change)
{
    switch (change) {
    case FrameChange::Same:
        return "same";
    case FrameChange::Slower:
        return "slower";
    case FrameChange::Faster:
        return "faster";
    case FrameChange::Added:
        return "added";
    }
    return "same";
}

namespace {

// What spans add to a node.
struct Weight {
    std::uint32_t count = 0;
    std::uint32_t errors = 0;
    TimeNs total = 0;
    TimeNs self = 0;
    TimeNs critical = 0;
    TimeNs max = 0;

    void add(const Weight& w)
    {
        count += w.count;
        errors += w.errors;
        total = saturatingAdd(total, w.total);
        self = saturatingAdd(self, w.self);
        critical = saturatingAdd(critical, w.critical);
        max = std::max(max, w.max);
    }
};

// The spans [first, end) of a trace and what is known of each.
struct SpanRange {
    const Dataset& data;
    const Trace& trace;
    std::uint32_t first;
    std::uint32_t end;
    std::span<const TimeNs> criticalTimes;

    std::uint32_t size() const { return end - first; }
    bool contains(std::uint32_t span) const { return span >= first && span < end; }
    // The span's parent when it lies in the range, else kNoIndex.
    std::uint32_t parentOf(std::uint32_t span) const
    {
        const std::uint32_t parent = data.spans[span].parent;
        return parent != kNoIndex && contains(parent) ? parent : kNoIndex;
    }
    Weight weightOf(std::uint32_t span) const
    {
        const Span& s = data.spans[span];
        Weight w;
        w.count = 1;
        w.errors = s.status == StatusCode::Error ? 1 : 0;
        w.total = s.duration();
        w.self = selfTime(data, span); // visits the children once: linear over all spans
        w.critical = criticalTimes.empty() ? 0 : criticalTimes[span - trace.first];
        w.max = w.total;
        return w;
    }
};

// The weights of a merger's nodes, and the longest span seen on each.
class NodeStats {
public:
    // Adds a weight to a node, `span` lasting `duration` being one of the node's.
    void add(std::uint32_t node, const Weight& w, std::uint32_t span, TimeNs duration)
    {
        while (node >= m_weights.size()) { // nodes come one after another
            m_weights.emplace_back();
            m_longest.emplace_back(kNoIndex, 0);
        }
        m_weights[node].add(w);
        auto& [longest, longestDuration] = m_longest[node];
        if (longest == kNoIndex || duration > longestDuration)
            m_longest[node] = {span, duration};
    }

    const std::vector<Weight>& weights() const { return m_weights; }
    std::uint32_t longest(std::uint32_t node) const { return m_longest[node].first; }

private:
    std::vector<Weight> m_weights;
    std::vector<std::pair<std::uint32_t, TimeNs>> m_longest;
};

// The median duration of each node's spans: the spans bucketed by node (counting sort), then the
// middle one of each bucket selected in linear time.
void fillMedians(CallTree& tree, const Dataset& data)
{
    std::vector<std::size_t> offset(tree.nodes.size() + 1, 0);
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n)
        offset[n + 1] = offset[n] + tree.nodes[n].count;
    std::vector<TimeNs> durations(offset.back());
    std::vector<std::size_t> fill(offset.begin(), offset.end() - 1);
    for (std::uint32_t i = 0; i < tree.nodeOfSpan.size(); ++i) {
        if (const std::uint32_t node = tree.nodeOfSpan[i]; node != kNoIndex)
            durations[fill[node]++] = data.spans[tree.firstSpan + i].duration();
    }
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const std::size_t count = offset[n + 1] - offset[n];
        if (count == 0)
            continue;
        const std::size_t rank = (count * 50 + 99) / 100; // nearest rank, as the breakdown's percentiles
        const auto begin = durations.begin() + static_cast<std::ptrdiff_t>(offset[n]);
        const auto middle = begin + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
        std::nth_element(begin, middle, begin + static_cast<std::ptrdiff_t>(count));
        tree.nodes[n].p50Nanos = *middle;
    }
}

// The merger's nodes laid out depth-first, siblings by total descending; nodeOfSpan holds the
// merger's node of each span of the range and becomes the tree's.
CallTree layOut(CallPathMerger& merger, const NodeStats& stats, std::vector<std::uint32_t> nodeOfSpan,
                std::uint32_t firstSpan)
{
    const std::vector<Weight>& weights = stats.weights();
    const std::vector<CallPathMerger::Node>& built = merger.nodes();
    CallTree tree;
    tree.nodes.reserve(built.size());
    std::vector<std::uint32_t> order(built.size(), kNoIndex);
    for (const std::uint32_t old :
         merger.depthFirst([&](std::uint32_t a, std::uint32_t b) { return weights[a].total > weights[b].total; })) {
        const Weight& w = weights[old];
        CallTreeNode n;
        n.label = built[old].label;
        n.parent = built[old].parent == kNoIndex ? kNoIndex : order[built[old].parent];
        n.depth = n.parent == kNoIndex ? 0 : tree.nodes[n.parent].depth + 1;
        n.count = w.count;
        n.errors = w.errors;
        n.totalNanos = w.total;
        n.selfNanos = w.self;
        n.criticalNanos = w.critical;
        n.maxNanos = w.max;
        n.longestSpan = stats.longest(old);
        order[old] = static_cast<std::uint32_t>(tree.nodes.size());
        tree.nodes.push_back(n);
    }
    fillSubtreeEnds(tree.nodes);
    for (std::uint32_t& node : nodeOfSpan) {
        if (node != kNoIndex)
            node = order[node];
    }
    tree.nodeOfSpan = std::move(nodeOfSpan);
    tree.firstSpan = firstSpan;
    tree.normalisations = merger.normalisations();
    tree.labels = merger.takeLabels();
    return tree;
}

// The merged tree of a range: `nodeFor(merger, parent's node, label)` gives each span its node, or
// none to leave it out; the parent's node is kNoIndex for a top-level span and under a left-out one.
template <typename NodeFor>
CallTree mergeRange(const SpanRange& range, NodeFor nodeFor)
{
    CallPathMerger merger(range.size());
    NodeStats stats;
    std::vector<std::uint32_t> nodeOfSpan(range.size(), kNoIndex);
    for (std::uint32_t i = range.first; i < range.end; ++i) {
        const std::uint32_t parent = range.parentOf(i);
        const std::uint32_t parentNode = parent == kNoIndex ? kNoIndex : nodeOfSpan[parent - range.first];
        const std::uint32_t label = merger.labelOf(range.data, range.data.spans[i]);
        const std::optional<std::uint32_t> node = nodeFor(merger, parentNode, label);
        if (!node)
            continue;
        nodeOfSpan[i - range.first] = *node;
        const Weight w = range.weightOf(i);
        stats.add(*node, w, i, w.total);
    }
    CallTree tree = layOut(merger, stats, std::move(nodeOfSpan), range.first);
    fillMedians(tree, range.data);
    return tree;
}

// The callers of the operation `x`: walking up from each outermost occurrence, the path of labels
// above it. Occurrences are gathered per span as (node, weight) entries, spans visited from the
// last to the first so a span's descendants are done before it; entries reaching a span on the
// same node merge there, so shared ancestors are walked once per distinct path, not per occurrence.
CallTree callersOf(const SpanRange& range, std::uint32_t operationSpan)
{
    CallPathMerger merger(range.size());
    NodeStats stats;
    const std::uint32_t x = merger.labelOf(range.data, range.data.spans[operationSpan]);
    std::vector<std::uint32_t> labels(range.size());
    std::vector<std::uint8_t> inside(range.size(), 0); // below an occurrence
    for (std::uint32_t i = range.first; i < range.end; ++i) {
        labels[i - range.first] = merger.labelOf(range.data, range.data.spans[i]);
        if (const std::uint32_t parent = range.parentOf(i); parent != kNoIndex)
            inside[i - range.first] = inside[parent - range.first] || labels[parent - range.first] == x;
    }
    struct Entry {
        std::uint32_t node;
        Weight weight;
    };
    std::unordered_map<std::uint32_t, std::vector<Entry>> pending; // by span reached
    std::vector<std::uint32_t> nodeOfSpan(range.size(), kNoIndex);
    for (std::uint32_t i = range.end; i-- > range.first;) {
        std::vector<Entry> entries;
        if (const auto it = pending.find(i); it != pending.end()) {
            entries = std::move(it->second);
            pending.erase(it);
        }
        if (labels[i - range.first] == x && !inside[i - range.first]) {
            const std::uint32_t root = merger.child(kNoIndex, x);
            const Weight w = range.weightOf(i);
            stats.add(root, w, i, w.total);
            nodeOfSpan[i - range.first] = root;
            entries.push_back({root, w});
        }
        const std::uint32_t parent = range.parentOf(i);
        if (entries.empty() || parent == kNoIndex)
            continue;
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.node < b.node; });
        std::vector<Entry>& up = pending[parent];
        for (std::size_t e = 0; e < entries.size();) {
            Weight merged = entries[e].weight;
            const std::uint32_t node = entries[e].node;
            for (++e; e < entries.size() && entries[e].node == node; ++e)
                merged.add(entries[e].weight);
            const std::uint32_t caller = merger.child(node, labels[parent - range.first]);
            stats.add(caller, merged, parent, range.data.spans[parent].duration());
            nodeOfSpan[parent - range.first] = caller;
            up.push_back({caller, merged});
        }
    }
    CallTree tree = layOut(merger, stats, std::move(nodeOfSpan), range.first);
    tree.hasMedians = false;
    return tree;
}

} // namespace

CallTree buildCallTree(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                       std::span<const TimeNs> criticalTimes)
{
    const SpanRange range{data, trace, first, end, criticalTimes};
    return mergeRange(range, [](CallPathMerger& merger, std::uint32_t parentNode, std::uint32_t label) {
        return std::optional<std::uint32_t>(merger.child(parentNode, label));
    });
}

Sandwich buildSandwich(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                       std::uint32_t operationSpan, std::span<const TimeNs> criticalTimes)
{
    const SpanRange range{data, trace, first, end, criticalTimes};
    Sandwich sandwich;
    sandwich.callers = callersOf(range, operationSpan);
    std::uint32_t x = kNoIndex;
    sandwich.callees = mergeRange(
        range,
        [&](CallPathMerger& merger, std::uint32_t parentNode, std::uint32_t label) -> std::optional<std::uint32_t> {
            if (x == kNoIndex)
                x = merger.labelOf(data, data.spans[operationSpan]);
            if (parentNode != kNoIndex) // below an occurrence: a callee
                return merger.child(parentNode, label);
            if (label == x) // an outermost occurrence: all of them merge into the one top-level node
                return merger.child(kNoIndex, x);
            return std::nullopt;
        });
    return sandwich;
}

CallTreeDiff diffCallTrees(const Dataset& dataA, const Trace& traceA, const Dataset& dataB, const Trace& traceB,
                           const DiffOptions& options)
{
    return diffCallTrees(diffTraces(dataA, traceA, dataB, traceB, options), dataB, traceB);
}

CallTreeDiff diffCallTrees(const TraceDiff& diff, const Dataset& dataB, const Trace& traceB)
{
    const DiffOptions& options = diff.options;
    CallTreeDiff result;
    result.options = options;
    const std::vector<TimeNs> critical = criticalTimePerSpan(traceB, criticalPath(dataB, traceB));
    result.tree = buildCallTree(dataB, traceB, traceB.first, traceB.end_index(), critical);
    const CallTree& tree = result.tree;
    // Both trees merge B's spans by the same path keys: each node of one is exactly one node of the other.
    std::vector<std::uint32_t> diffNodeOf(tree.nodes.size(), kNoIndex);
    std::vector<std::uint32_t> treeNodeOf(diff.nodes.size(), kNoIndex);
    for (std::uint32_t i = 0; i < traceB.count; ++i) {
        diffNodeOf[tree.nodeOfSpan[i]] = diff.nodeOfSpanB[i];
        treeNodeOf[diff.nodeOfSpanB[i]] = tree.nodeOfSpan[i];
    }
    result.a.resize(tree.nodes.size());
    result.change.resize(tree.nodes.size());
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const DiffSide& a = diff.nodes[diffNodeOf[n]].a;
        const TimeNs b = tree.nodes[n].totalNanos;
        result.a[n] = a;
        if (a.count == 0)
            result.change[n] = FrameChange::Added;
        else if (beyondNoise(a.totalNanos, b, options))
            result.change[n] = b > a.totalNanos ? FrameChange::Slower : FrameChange::Faster;
        else
            result.change[n] = FrameChange::Same;
    }
    for (const DiffNode& d : diff.nodes) {
        if (d.status != DiffStatus::Removed ||
            (d.parent != kNoIndex && diff.nodes[d.parent].status == DiffStatus::Removed))
            continue;
        result.removed.push_back({d.parent == kNoIndex ? kNoIndex : treeNodeOf[d.parent], d.label, d.a});
    }
    std::stable_sort(result.removed.begin(), result.removed.end(),
                     [](const RemovedFrame& x, const RemovedFrame& y) { return x.a.totalNanos > y.a.totalNanos; });
    return result;
}

} // namespace spanwise
