#pragma once
// Two traces compared: one merged tree of nodes keyed by the path of (service, operation) from the
// root, with for each node and side how many spans it has and where their time went.

#include "call_path.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace spanwise {

// Noise threshold: a node's total or self time has changed only when the difference exceeds both
// `relative` of the larger side and `absoluteNanos`, so neither a 20 µs span doubling nor a 10 s span
// moving by 1 ms makes a node flap.
struct DiffOptions {
    double relative = 0.10;
    TimeNs absoluteNanos = 100'000; // 100 µs
};
// Whether a time moved from a to b by more than the noise threshold.
bool beyondNoise(TimeNs a, TimeNs b, const DiffOptions& options);

enum class DiffStatus : std::uint8_t {
    Same,    // same count, errors, and times within the noise threshold
    Changed, // count or errors differ, or total or self time beyond the threshold
    Added,   // only in B
    Removed, // only in A
};
const char* toString(DiffStatus status);

// One side of a node: the spans of that trace that fall on it.
struct DiffSide {
    std::uint32_t count = 0;
    std::uint32_t errors = 0;
    TimeNs totalNanos = 0;    // sum of the spans' durations
    TimeNs selfNanos = 0;     // sum of their self times (selfTime)
    TimeNs criticalNanos = 0; // time they spend on the critical path
};

struct DiffNode {
    std::string label;               // OperationKey::label of the first span seen (A's, if A has one)
    std::uint32_t parent = kNoIndex; // index in TraceDiff::nodes; kNoIndex for top-level nodes
    std::uint32_t depth = 0;
    std::uint32_t subtreeEnd = 0; // one past the last descendant (depth-first order)
    DiffSide a;
    DiffSide b;
    DiffStatus status = DiffStatus::Same;

    TimeNs totalDelta() const { return b.totalNanos - a.totalNanos; }
    TimeNs selfDelta() const { return b.selfNanos - a.selfNanos; }
};

struct ServiceDelta {
    std::string service;
    TimeNs selfNanosA = 0;
    TimeNs selfNanosB = 0;
    TimeNs criticalPathNanosA = 0;
    TimeNs criticalPathNanosB = 0;
};

struct TraceDiff {
    // Depth-first; children in the order they first appear (A's, then those only B has).
    std::vector<DiffNode> nodes;
    // By service name.
    std::vector<ServiceDelta> services;
    TimeNs durationA = 0;
    TimeNs durationB = 0;
    unsigned normalisations = 0; // Normalisation bits applied to any operation name of either trace
    DiffOptions options;         // the noise threshold the statuses were decided with
    // The node of each span, indexed by span index minus the trace's first span.
    std::vector<std::uint32_t> nodeOfSpanA;
    std::vector<std::uint32_t> nodeOfSpanB;

    std::size_t count(DiffStatus status) const;
};

// Linear in the spans (plus the critical paths' and breakdowns' sorting); no recursion.
TraceDiff diffTraces(const Dataset& dataA, const Trace& traceA, const Dataset& dataB, const Trace& traceB,
                     const DiffOptions& options = {});
// The same, stopping early with none once `cancelled` returns true: it is asked every few thousand
// spans and nodes and between the steps, from the thread running the diff.
std::optional<TraceDiff> diffTraces(const Dataset& dataA, const Trace& traceA, const Dataset& dataB,
                                    const Trace& traceB, const DiffOptions& options,
                                    const std::function<bool()>& cancelled);

// Node indices by |totalNanosB − totalNanosA| descending, ties in tree order.
std::vector<std::uint32_t> nodesByTotalDelta(const TraceDiff& diff);

// "+1.20 ms", "-850 µs", "0 ns".
std::string formatDurationDelta(TimeNs delta);
// (b − a) / a, as a fraction; none when a is 0.
std::optional<double> relativeChange(TimeNs a, TimeNs b);

// The labels from the top-level node down to `node`.
std::vector<std::string> nodePath(const TraceDiff& diff, std::uint32_t node);

} // namespace spanwise
