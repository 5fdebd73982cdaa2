#include "set_service_graph.h"

#include "self_time.h"
#include "trace_statistics.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

namespace spanwise {

namespace {

// Nodes and edges as they are first met; named and ordered at the end.
class GraphBuilder {
public:
    void addTrace(const Dataset& data, const Trace& trace, std::uint32_t traceNumber)
    {
        std::unordered_map<StringId, std::uint32_t>& nodeOfService = m_nodeOfService[&data];
        m_nodeOfSpan.resize(trace.count);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            const Span& s = data.spans[i];
            const auto [known, added] = nodeOfService.try_emplace(s.service, kNoIndex);
            if (added)
                known->second = nodeNamed(data.str(s.service));
            const std::uint32_t node = known->second;
            m_nodeOfSpan[i - trace.first] = node;
            SetServiceNode& n = m_nodes[node];
            const bool failed = s.status == StatusCode::Error;
            ++n.spans;
            n.errors += failed ? 1 : 0;
            n.selfNanos = saturatingAdd(n.selfNanos, selfTime(data, i));
            n.totalNanos = saturatingAdd(n.totalNanos, s.duration());
            if (m_lastTrace[node] != traceNumber) {
                m_lastTrace[node] = traceNumber;
                ++n.traces;
            }
            if (s.parent == kNoIndex || s.parent < trace.first)
                continue;
            const std::uint32_t caller = m_nodeOfSpan[s.parent - trace.first];
            if (caller == node)
                continue;
            Edge& edge = m_edges[std::uint64_t{caller} << 32 | node];
            edge.errors += failed ? 1 : 0;
            edge.durations.push_back(s.duration());
        }
    }

    SetServiceGraph finish()
    {
        SetServiceGraph graph;
        std::vector<std::uint32_t> byName(m_nodes.size());
        std::iota(byName.begin(), byName.end(), 0u);
        std::sort(byName.begin(), byName.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return m_nodes[a].service < m_nodes[b].service; });
        std::vector<std::uint32_t> renumbered(m_nodes.size());
        for (std::uint32_t i = 0; i < byName.size(); ++i) {
            renumbered[byName[i]] = i;
            graph.nodes.push_back(std::move(m_nodes[byName[i]]));
        }
        for (auto& [key, edge] : m_edges) {
            std::sort(edge.durations.begin(), edge.durations.end());
            graph.edges.push_back({.from = renumbered[key >> 32],
                                   .to = renumbered[key & 0xffffffffu],
                                   .calls = static_cast<std::uint32_t>(edge.durations.size()),
                                   .errors = edge.errors,
                                   .p95Nanos = nearestRank(edge.durations, 95)});
        }
        std::sort(graph.edges.begin(), graph.edges.end(), [](const SetServiceEdge& a, const SetServiceEdge& b) {
            return std::pair(a.from, a.to) < std::pair(b.from, b.to);
        });
        return graph;
    }

private:
    struct Edge {
        std::uint32_t errors = 0;
        std::vector<TimeNs> durations; // of the callee spans
    };

    std::uint32_t nodeNamed(std::string_view service)
    {
        const auto [it, added] = m_nodeOfName.try_emplace(std::string(service),
                                                          static_cast<std::uint32_t>(m_nodes.size()));
        if (added) {
            m_nodes.push_back({.service = it->first});
            m_lastTrace.push_back(kNoIndex);
        }
        return it->second;
    }

    std::vector<SetServiceNode> m_nodes;
    std::vector<std::uint32_t> m_lastTrace; // by node: the last trace that had a span of it
    std::map<std::string, std::uint32_t, std::less<>> m_nodeOfName;
    std::unordered_map<const Dataset*, std::unordered_map<StringId, std::uint32_t>> m_nodeOfService;
    std::unordered_map<std::uint64_t, Edge> m_edges;
    std::vector<std::uint32_t> m_nodeOfSpan; // of the trace being added
};

} // namespace

SetServiceGraph buildSetServiceGraph(const TraceSet& set, std::span<const TraceRef> traces,
                                     const std::function<bool()>& cancelled)
{
    GraphBuilder builder;
    std::size_t spans = 0;
    for (std::size_t i = 0; i < traces.size(); ++i) {
        if (cancelled && cancelled())
            return {};
        const Trace& trace = set.trace(traces[i]);
        builder.addTrace(set.dataset(traces[i]), trace, static_cast<std::uint32_t>(i));
        spans += trace.count;
    }
    SetServiceGraph graph = builder.finish();
    graph.traceCount = traces.size();
    graph.spanCount = spans;
    return graph;
}

} // namespace spanwise
