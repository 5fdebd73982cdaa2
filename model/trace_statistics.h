#pragma once
// Statistics across the traces of a set: durations grouped by root operation, by service or by
// "service: operation", with nearest-rank percentiles, a log-spaced latency histogram, and where the
// time of each group's traces went (self time and critical-path time per trace).

#include "trace_set.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace spanwise {

enum class StatisticsGrouping : std::uint8_t {
    Root,      // traces, by their root span's "service: operation"
    Service,   // spans, by service
    Operation, // spans, by "service: operation"
};

// The ⌈p/100 · n⌉-th smallest of sorted values (the smallest for p = 0); 0 for no values.
TimeNs nearestRank(std::span<const TimeNs> sorted, double percentile);

// A member of a group: a trace (Root) or a span (Service, Operation) and its duration.
struct StatisticsMember {
    TimeNs duration = 0;
    TraceRef trace;
    std::uint32_t span = kNoIndex; // the span in its file's dataset: the root span for Root
};

struct LatencyHistogram {
    std::vector<TimeNs> edges;         // bucket i holds durations in [edges[i], edges[i + 1]); the last
                                       // bucket also holds edges.back()
    std::vector<std::uint32_t> counts; // edges.size() - 1 buckets
};

// Log-spaced buckets (at most maxBuckets) from the smallest to the largest of sorted durations; a
// single distinct value gets one bucket (both edges that value). Edges are whole nanoseconds, so a
// narrow range gets fewer buckets. Zero has no place on a log axis: the steps start from 1 ns and
// zero durations fall in the first bucket, whose edge is then 0. Empty for no durations.
LatencyHistogram logHistogram(std::span<const TimeNs> sorted, std::size_t maxBuckets = 40);

struct StatisticsGroup {
    // "service: operation" (Root, Operation) or "service". Operations are named as the flame graph and
    // the comparison merge them (call_path.h): ids and numbers in names replaced by placeholders, case
    // ignored (the first spelling seen is shown), a Datadog resource after the operation.
    std::string key;
    std::uint32_t count = 0;      // members: traces (Root) or spans (Service, Operation)
    std::uint32_t errorCount = 0; // members that failed: traces with a failed span (Root), failed spans
    std::uint32_t traceCount = 0; // distinct traces with a member
    TimeNs minNanos = 0;
    TimeNs p50Nanos = 0;
    TimeNs p90Nanos = 0;
    TimeNs p99Nanos = 0;
    TimeNs maxNanos = 0;
    // Per trace with a member: the mean of the group's self time, and of the time the group's spans
    // spend on their trace's critical path. For Root, a trace's self time is its root span's, and its
    // critical time the length of the whole trace's critical path (every top-level span's).
    double meanSelfNanos = 0;
    double meanCriticalNanos = 0;
    std::vector<StatisticsMember> members; // sorted by duration, then trace, then span
    LatencyHistogram histogram;
};

struct TraceStatistics {
    StatisticsGrouping grouping = StatisticsGrouping::Root;
    std::size_t traceCount = 0;          // traces looked at
    std::size_t spanCount = 0;           // their spans
    std::vector<StatisticsGroup> groups; // by p99, descending; ties by key
};

// The statistics of the given traces of a set (set.traces for all of them). A trace's critical path
// is computed once. `cancelled` is asked between traces; when it says so, returns no groups.
TraceStatistics computeStatistics(const TraceSet& set, std::span<const TraceRef> traces, StatisticsGrouping grouping,
                                  const std::function<bool()>& cancelled = {});

} // namespace spanwise
