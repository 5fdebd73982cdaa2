#pragma once
// Where a trace's time went, grouped by service, operation or both: one row per group, ready for a table.

#include "critical_path.h"

namespace spanwise {

enum class BreakdownGrouping : std::uint8_t { Service, Operation, ServiceOperation };

struct BreakdownRow {
    StringId service = 0;   // 0 when grouping by operation only
    StringId operation = 0; // 0 when grouping by service only
    std::uint32_t spanCount = 0;
    std::uint32_t errorCount = 0;
    TimeNs totalNanos = 0; // sum of the spans' durations
    TimeNs selfNanos = 0;  // sum of their self times (see selfTime)
    double selfShare = 0;  // selfNanos over the self time of all spans of the trace, 0..1
    TimeNs avgNanos = 0;   // of the durations, as are min, max and the percentiles (nearest rank)
    TimeNs minNanos = 0;
    TimeNs maxNanos = 0;
    TimeNs p50Nanos = 0;
    TimeNs p95Nanos = 0;
    TimeNs criticalPathNanos = 0;
    std::vector<std::uint32_t> spans; // indices in Dataset::spans, depth-first order
};

// One row per group, by selfNanos descending (ties by first span).
std::vector<BreakdownRow> computeBreakdown(const Dataset& data, const Trace& trace, BreakdownGrouping grouping,
                                           std::span<const CriticalSegment> criticalPath);

} // namespace spanwise
