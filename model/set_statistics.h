#pragma once
// Statistics of a set of traces beside those of its slowest 1 % (the traces at or above the p99
// trace duration), so the group whose time grew in the slow traces can be named: per group, its
// critical-path and self time per trace in both.

#include "trace_statistics.h"

#include <functional>
#include <vector>

namespace spanwise {

struct SetStatistics {
    TraceStatistics all;
    TraceStatistics slowest; // of the traces at or above slowThreshold (same grouping)
    std::size_t slowestTraceCount = 0;
    TimeNs slowThreshold = 0;  // the p99 of the traces' durations
    double meanTraceNanos = 0; // over all traces
    double meanSlowestTraceNanos = 0;
    std::vector<std::uint32_t> slowestGroupOf; // by group of `all`: its group in `slowest`, kNoIndex for none

    // Per trace of the whole set (a trace without the group counts 0), so the groups add up: the
    // group's critical-path time per trace in all traces, and in the slowest.
    double criticalPerTrace(std::size_t group) const;
    double criticalPerSlowTrace(std::size_t group) const;
    double selfPerTrace(std::size_t group) const;
    double selfPerSlowTrace(std::size_t group) const;
};

// Both statistics of all the set's traces; empty groups when cancelled says so.
SetStatistics computeSetStatistics(const TraceSet& set, StatisticsGrouping grouping,
                                   const std::function<bool()>& cancelled = {});

} // namespace spanwise
