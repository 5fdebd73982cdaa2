#pragma once
// The critical path: the chain of work that decided when a trace finished, computed per root as
// Jaeger UI does, without recursion.

#include "dataset.h"

#include <span>
#include <vector>

namespace spanwise {

// A stretch of time during which `span` itself (not one of its children) was on the critical path.
struct CriticalSegment {
    std::uint32_t span = 0; // index in Dataset::spans
    TimeNs start = 0;
    TimeNs end = 0;

    TimeNs length() const { return end - start; }
    friend bool operator==(const CriticalSegment&, const CriticalSegment&) = default;
};

// The critical path of the tree under `root`, in time order; the lengths add up to the root's duration.
// Walking back from the root's end, each span hands over to its last-finishing child, then to the child
// that finished last before that one started, and so on; the time between them is the span's own.
// Children are clipped to their (clipped) parent first; children lying wholly outside it, FOLLOWS_FROM
// children and consumers of a producer do not block their parent and are left out with their subtrees.
// As in Jaeger UI, a child ending exactly when the one handled after it starts does not finish before
// it: back-to-back calls leave the earlier one's time to the parent.
std::vector<CriticalSegment> criticalPath(const Dataset& data, std::uint32_t root);

// The critical paths of every top-level span (roots and orphans) of a trace, merged in time order.
std::vector<CriticalSegment> criticalPath(const Dataset& data, const Trace& trace);

// Time each span of the trace spends on the critical path, indexed by span index minus trace.first.
std::vector<TimeNs> criticalTimePerSpan(const Trace& trace, std::span<const CriticalSegment> path);

} // namespace spanwise
