#pragma once
// The merged call-path tree of a trace or of one subtree, as a flame graph draws it: spans with the
// same path of `service: operation` from the top merge into one node (the comparison's path keys,
// call_path.h), children by total time descending ("left heavy"). Also the sandwich of one
// operation (its callers and its callees, merged over every place it occurs) and the differential
// of two traces (B's tree with A's time per node). All linear or n log n in the spans, no recursion.

#include "call_path.h"
#include "trace_diff.h"

#include <span>
#include <string>
#include <vector>

namespace spanwise {

struct CallTreeNode {
    std::uint32_t label = 0; // index in CallTree::labels
    std::uint32_t parent = kNoIndex;
    std::uint32_t depth = 0;
    std::uint32_t subtreeEnd = 0;         // one past the last descendant (depth-first order)
    std::uint32_t count = 0;              // spans merged into the node
    std::uint32_t errors = 0;             // of them, the failed ones
    TimeNs totalNanos = 0;                // sum of their durations
    TimeNs selfNanos = 0;                 // sum of their self times (self_time.h)
    TimeNs criticalNanos = 0;             // their time on the trace's critical path
    TimeNs p50Nanos = 0;                  // their median duration (nearest rank); 0 where CallTree::hasMedians is false
    TimeNs maxNanos = 0;                  // their longest duration
    std::uint32_t longestSpan = kNoIndex; // index in Dataset::spans: the span selecting the node selects
};

struct CallTree {
    std::vector<std::string> labels; // OperationKey::label, by CallTreeNode::label
    // Depth-first; siblings by total time descending, ties in the order they first occur.
    std::vector<CallTreeNode> nodes;
    // The node of each span, indexed by span index minus firstSpan; kNoIndex for spans on no node.
    std::uint32_t firstSpan = 0;
    std::vector<std::uint32_t> nodeOfSpan;
    unsigned normalisations = 0; // Normalisation bits applied to any operation name
    bool hasMedians = true;

    const std::string& labelOf(std::uint32_t node) const { return labels[nodes[node].label]; }
    // kNoIndex for a span outside the tree's range or on no node.
    std::uint32_t nodeOf(std::uint32_t span) const;
    // Sum of the top-level nodes' totals: the width of the whole graph.
    TimeNs topLevelTotal() const;
};

// The merged tree of spans [first, end) of the trace, a subtree ([span, subtreeEnd)) or the whole
// trace; a span whose parent lies outside is a top-level span. criticalTimes: the time each span of
// the trace spends on the critical path (criticalTimePerSpan, indexed by span minus trace.first), or
// empty for none.
CallTree buildCallTree(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                       std::span<const TimeNs> criticalTimes = {});

// The operation of one span seen from everywhere it occurs in spans [first, end). An occurrence
// inside another (recursion) is counted once, within the outer one.
struct Sandwich {
    // One top-level node, the operation; its children are its callers, theirs the callers' callers.
    // A node's count and times are those of the operation's spans reached through that path; its
    // longest span is the longest caller at that place. No medians.
    CallTree callers;
    // One top-level node, the operation (all its outermost spans); below it, merged, what they call.
    CallTree callees;
};
Sandwich buildSandwich(const Dataset& data, const Trace& trace, std::uint32_t first, std::uint32_t end,
                       std::uint32_t operationSpan, std::span<const TimeNs> criticalTimes = {});

// How a node of B compares with the node of A on the same path: its total time beyond the noise
// threshold (DiffOptions) or not, or only in B.
enum class FrameChange : std::uint8_t { Same, Slower, Faster, Added };
const char* toString(FrameChange change);

// A path only A has, under the deepest node both share.
struct RemovedFrame {
    std::uint32_t parent = kNoIndex; // node of CallTreeDiff::tree; kNoIndex: a top-level path of A
    std::string label;
    DiffSide a;
};

struct CallTreeDiff {
    CallTree tree;                     // B's merged tree (critical times B's)
    std::vector<DiffSide> a;           // per node of tree: A's spans on the same path (count 0 when added)
    std::vector<FrameChange> change;   // per node of tree
    std::vector<RemovedFrame> removed; // the topmost nodes only A has, by A's total descending
    DiffOptions options;
};
CallTreeDiff diffCallTrees(const Dataset& dataA, const Trace& traceA, const Dataset& dataB, const Trace& traceB,
                           const DiffOptions& options = {});
// The same from the comparison of A and B made already (diffTraces), with B's spans; its options.
CallTreeDiff diffCallTrees(const TraceDiff& diff, const Dataset& dataB, const Trace& traceB);

} // namespace spanwise
