#include "operation_graph.h"

#include "self_time.h"
#include "span_resource.h"
#include "trace_diff.h"

#include <algorithm>
#include <unordered_map>

namespace spanwise {

namespace {

// A span's operation as its strings name it, before normalisation: spans naming it alike share a
// node without building their key again (building it allocates, and a trace has a million spans).
struct RawOperation {
    StringId service = 0;
    StringId name = 0;
    const char* resource = nullptr; // interned, so one string has one address

    friend bool operator==(const RawOperation&, const RawOperation&) = default;
};

struct RawOperationHash {
    std::size_t operator()(const RawOperation& op) const noexcept
    {
        const std::uint64_t ids = std::uint64_t{op.service} << 32 | op.name;
        return std::hash<std::uint64_t>{}(ids * 0x9E3779B97F4A7C15ull ^ reinterpret_cast<std::uintptr_t>(op.resource));
    }
};

// Decides the node of every span of [first, end) and names the nodes.
class NodeAssigner {
public:
    NodeAssigner(const Dataset& data, GraphMode mode) : m_data(data), m_mode(mode) {}

    // nodeOfSpan for the range; the nodes get their label and service.
    std::vector<std::uint32_t> assign(std::uint32_t first, std::uint32_t end, std::vector<GraphNode>& nodes)
    {
        std::vector<std::uint32_t> nodeOfSpan(end - first);
        for (std::uint32_t i = first; i < end; ++i)
            nodeOfSpan[i - first] = nodeFor(m_data.spans[i], nodes);
        return nodeOfSpan;
    }

private:
    std::uint32_t nodeFor(const Span& s, std::vector<GraphNode>& nodes)
    {
        if (m_mode == GraphMode::Services) {
            const auto [it, added] = m_byService.try_emplace(s.service, static_cast<std::uint32_t>(nodes.size()));
            if (added)
                nodes.push_back(GraphNode{std::string(m_data.str(s.service)), s.service});
            return it->second;
        }
        const RawOperation raw{s.service, s.name, resourceNameOf(m_data, s).data()};
        if (const auto known = m_byRaw.find(raw); known != m_byRaw.end())
            return known->second;
        OperationKey key = operationKeyOf(m_data, s);
        const auto [it, added] = m_byMatch.try_emplace(std::move(key.match), static_cast<std::uint32_t>(nodes.size()));
        if (added)
            nodes.push_back(GraphNode{std::move(key.label), s.service});
        m_byRaw.emplace(raw, it->second);
        return it->second;
    }

    const Dataset& m_data;
    GraphMode m_mode;
    std::unordered_map<StringId, std::uint32_t> m_byService;
    std::unordered_map<RawOperation, std::uint32_t, RawOperationHash> m_byRaw;
    std::unordered_map<std::string, std::uint32_t> m_byMatch;
};

class EdgeIndex {
public:
    explicit EdgeIndex(std::vector<GraphEdge>& edges) : m_edges(edges) {}

    GraphEdge& edge(std::uint32_t from, std::uint32_t to)
    {
        const auto [it, added] = m_index.try_emplace(key(from, to), static_cast<std::uint32_t>(m_edges.size()));
        if (added)
            m_edges.push_back(GraphEdge{from, to});
        return m_edges[it->second];
    }

private:
    static std::uint64_t key(std::uint32_t from, std::uint32_t to) { return std::uint64_t{from} << 32 | to; }

    std::vector<GraphEdge>& m_edges;
    std::unordered_map<std::uint64_t, std::uint32_t> m_index;
};

// Node statistics, edges and critical-path marks of a graph whose nodes are assigned.
void aggregate(const Dataset& data, const Trace& trace, std::span<const CriticalSegment> path, OperationGraph& graph)
{
    const std::uint32_t first = graph.first;
    const std::uint32_t end = graph.end;
    const std::vector<TimeNs> critical = criticalTimePerSpan(trace, path);
    EdgeIndex edges(graph.edges);
    for (std::uint32_t i = first; i < end; ++i) {
        const Span& s = data.spans[i];
        const std::uint32_t nodeIndex = graph.nodeOfSpan[i - first];
        GraphNode& node = graph.nodes[nodeIndex];
        const bool failed = s.status == StatusCode::Error;
        ++node.spans;
        node.errors += failed ? 1 : 0;
        const TimeNs self = selfTime(data, i);
        node.selfNanos = saturatingAdd(node.selfNanos, self);
        graph.selfNanos = saturatingAdd(graph.selfNanos, self);
        node.totalNanos = saturatingAdd(node.totalNanos, s.duration());
        node.criticalNanos += critical[i - trace.first];
        if (node.longestSpan == kNoIndex || s.duration() > data.spans[node.longestSpan].duration())
            node.longestSpan = i;
        if (s.parent != kNoIndex && s.parent >= first) {
            GraphEdge& edge = edges.edge(graph.nodeOfSpan[s.parent - first], nodeIndex);
            ++edge.calls;
            edge.errors += failed ? 1 : 0;
        }
    }

    // The path enters a span only from its parent: a span with a segment has all its ancestors on
    // the path too, even those handing over to a child at the very instant they start.
    std::vector<std::uint8_t> onPath(end - first, 0);
    for (const CriticalSegment& segment : path) {
        for (std::uint32_t s = segment.span; s >= first && s < end && !onPath[s - first]; s = data.spans[s].parent)
            onPath[s - first] = 1;
    }
    for (std::uint32_t i = first; i < end; ++i) {
        if (!onPath[i - first])
            continue;
        graph.nodes[graph.nodeOfSpan[i - first]].onCriticalPath = true;
        if (const std::uint32_t parent = data.spans[i].parent; parent != kNoIndex && parent >= first)
            edges.edge(graph.nodeOfSpan[parent - first], graph.nodeOfSpan[i - first]).onCriticalPath = true;
    }
}

void assignNodes(const Dataset& data, GraphMode mode, OperationGraph& graph)
{
    graph.mode = mode;
    graph.nodes.clear();
    graph.edges.clear();
    graph.selfNanos = 0;
    graph.nodeOfSpan = NodeAssigner(data, mode).assign(graph.first, graph.end, graph.nodes);
}

} // namespace

OperationGraph buildOperationGraph(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                                   std::span<const CriticalSegment> path, const GraphOptions& options)
{
    OperationGraph graph;
    graph.first = std::clamp(first, trace.first, trace.end_index());
    graph.end = std::clamp(end, graph.first, trace.end_index());
    assignNodes(data, options.mode, graph);
    if (graph.mode == GraphMode::Operations && graph.nodes.size() > options.maxNodes) {
        graph.coarsening = Coarsening::TooManyOperations;
        graph.operationCount = graph.nodes.size();
        assignNodes(data, GraphMode::Services, graph);
    }
    aggregate(data, trace, path, graph);
    if (graph.mode == GraphMode::Operations &&
        graph.edges.size() > std::max(options.maxEdges, graph.nodes.size() * 13 / 10)) {
        graph.coarsening = Coarsening::TooTangled;
        graph.operationCount = graph.nodes.size();
        graph.operationEdgeCount = graph.edges.size();
        assignNodes(data, GraphMode::Services, graph);
        aggregate(data, trace, path, graph);
    }
    return graph;
}

} // namespace spanwise
