#pragma once
// A trace as a call graph: one node per operation ("service: operation", merged as the diff merges
// them) or per service, one edge per caller → callee pair, with how often and how badly they were
// called and where the time went.

#include "critical_path.h"

#include <span>
#include <string>
#include <vector>

namespace spanwise {

enum class GraphMode : std::uint8_t { Operations, Services };

struct GraphOptions {
    GraphMode mode = GraphMode::Operations;
    // More operation nodes than this cannot be read: the graph is built by service instead.
    std::size_t maxNodes = 500;
    // Nor can more caller-callee pairs than this and than 1.3 per node: a layered layout of so
    // tangled a graph is a knot, and takes Graphviz's dot seconds to minutes.
    std::size_t maxEdges = 200;
};

// Why a graph of operations was built by service.
enum class Coarsening : std::uint8_t { None, TooManyOperations, TooTangled };

struct GraphNode {
    std::string label;    // OperationKey::label of its first span, or the service name
    StringId service = 0; // of its first span: the node's colour
    std::uint32_t spans = 0;
    std::uint32_t errors = 0;
    TimeNs selfNanos = 0;                 // sum of its spans' self times
    TimeNs totalNanos = 0;                // sum of their durations
    TimeNs criticalNanos = 0;             // time its spans spend on the critical path
    std::uint32_t longestSpan = kNoIndex; // the span a click selects
    bool onCriticalPath = false;          // one of its spans is
};

struct GraphEdge {
    std::uint32_t from = 0; // caller node
    std::uint32_t to = 0;   // callee node
    std::uint32_t calls = 0;
    std::uint32_t errors = 0; // calls whose callee span failed
    bool onCriticalPath = false;
};

struct OperationGraph {
    GraphMode mode = GraphMode::Operations;   // what the nodes are (Services after coarsening)
    Coarsening coarsening = Coarsening::None; // operations were asked for, but could not be read
    std::size_t operationCount = 0;           // operation nodes there were, when coarsened
    std::size_t operationEdgeCount = 0;       // and the edges between them, when too tangled
    std::uint32_t first = 0;                  // the spans [first, end) the graph holds
    std::uint32_t end = 0;
    TimeNs selfNanos = 0;                  // of all its spans: the nodes' self shares are of this
    std::vector<GraphNode> nodes;          // in order of first appearance (depth-first)
    std::vector<GraphEdge> edges;          // likewise
    std::vector<std::uint32_t> nodeOfSpan; // indexed by span index minus first

    bool coarsened() const { return coarsening != Coarsening::None; }

    // The node holding a span, kNoIndex for a span outside [first, end).
    std::uint32_t nodeOf(std::uint32_t span) const
    {
        return span >= first && span < end ? nodeOfSpan[span - first] : kNoIndex;
    }
};

// The graph of the spans [first, end) of a trace (the whole trace, or a focused subtree): edges join
// a span's node to its parent's when the parent is in the range. `path` is the trace's critical path
// (its segments outside the range are ignored). A span is on it when it or a descendant has a
// segment; an edge is when one of its calls leads to such a span. Linear in the spans and the path,
// no recursion.
OperationGraph buildOperationGraph(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                                   std::span<const CriticalSegment> path, const GraphOptions& options = {});

} // namespace spanwise
