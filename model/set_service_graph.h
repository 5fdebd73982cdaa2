#pragma once
// The services of a set of traces and the calls between them: one node per service, one edge per
// caller service → callee service pair seen anywhere in the set, with how many calls it carried, how
// many failed and how long the 95th percentile call took (the callee span's duration). Calls within a
// service are its own work, not a dependency: they make no edge.

#include "trace_set.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace spanwise {

struct SetServiceNode {
    std::string service;
    std::uint32_t spans = 0;
    std::uint32_t errors = 0; // failed spans
    std::uint32_t traces = 0; // traces with a span of it
    TimeNs selfNanos = 0;     // sum of its spans' self times
    TimeNs totalNanos = 0;    // sum of their durations
};

struct SetServiceEdge {
    std::uint32_t from = 0; // caller node
    std::uint32_t to = 0;   // callee node
    std::uint32_t calls = 0;
    std::uint32_t errors = 0; // calls whose callee span failed
    TimeNs p95Nanos = 0;      // nearest-rank 95th percentile of the callee spans' durations

    double errorRate() const { return calls > 0 ? double(errors) / double(calls) : 0.0; }
};

struct SetServiceGraph {
    std::vector<SetServiceNode> nodes; // by service name
    std::vector<SetServiceEdge> edges; // by caller, then callee
    std::size_t traceCount = 0;
    std::size_t spanCount = 0;
};

// The service graph of the given traces of a set (set.traces for all). When cancelled says so,
// returns an empty graph.
SetServiceGraph buildSetServiceGraph(const TraceSet& set, std::span<const TraceRef> traces,
                                     const std::function<bool()>& cancelled = {});

} // namespace spanwise
