#include "breakdown.h"

#include "self_time.h"

#include <algorithm>
#include <unordered_map>

namespace spanwise {

namespace {

std::uint64_t groupKey(const Span& s, BreakdownGrouping grouping)
{
    switch (grouping) {
    case BreakdownGrouping::Service:
        return s.service;
    case BreakdownGrouping::Operation:
        return s.name;
    case BreakdownGrouping::ServiceOperation:
        break;
    }
    return std::uint64_t(s.service) << 32 | s.name;
}

BreakdownRow emptyRow(const Span& s, BreakdownGrouping grouping)
{
    BreakdownRow row;
    row.service = grouping == BreakdownGrouping::Operation ? 0 : s.service;
    row.operation = grouping == BreakdownGrouping::Service ? 0 : s.name;
    return row;
}

// Nearest-rank percentile of sorted values.
TimeNs percentile(const std::vector<TimeNs>& sorted, int percent)
{
    const std::size_t rank = (sorted.size() * static_cast<std::size_t>(percent) + 99) / 100;
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

void fillDurationStatistics(const Dataset& data, BreakdownRow& row, std::vector<TimeNs>& durations)
{
    durations.clear();
    for (std::uint32_t i : row.spans)
        durations.push_back(data.spans[i].duration());
    std::sort(durations.begin(), durations.end());
    row.minNanos = durations.front();
    row.maxNanos = durations.back();
    row.p50Nanos = percentile(durations, 50);
    row.p95Nanos = percentile(durations, 95);
    row.avgNanos = row.totalNanos / static_cast<TimeNs>(row.spanCount);
}

} // namespace

std::vector<BreakdownRow> computeBreakdown(const Dataset& data, const Trace& trace, BreakdownGrouping grouping,
                                           std::span<const CriticalSegment> criticalPath)
{
    const std::vector<TimeNs> critical = criticalTimePerSpan(trace, criticalPath);
    std::unordered_map<std::uint64_t, std::uint32_t> rowOfKey;
    std::vector<BreakdownRow> rows;
    TimeNs traceSelf = 0;
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = data.spans[i];
        const auto [it, added] = rowOfKey.try_emplace(groupKey(s, grouping), static_cast<std::uint32_t>(rows.size()));
        if (added)
            rows.push_back(emptyRow(s, grouping));
        BreakdownRow& row = rows[it->second];
        const TimeNs self = selfTime(data, i);
        ++row.spanCount;
        row.errorCount += s.status == StatusCode::Error ? 1 : 0;
        row.totalNanos = saturatingAdd(row.totalNanos, s.duration());
        row.selfNanos = saturatingAdd(row.selfNanos, self);
        row.criticalPathNanos += critical[i - trace.first];
        row.spans.push_back(i);
        traceSelf = saturatingAdd(traceSelf, self);
    }
    std::vector<TimeNs> durations;
    for (BreakdownRow& row : rows) {
        fillDurationStatistics(data, row, durations);
        row.selfShare = traceSelf > 0 ? static_cast<double>(row.selfNanos) / static_cast<double>(traceSelf) : 0.0;
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const BreakdownRow& a, const BreakdownRow& b) { return a.selfNanos > b.selfNanos; });
    return rows;
}

} // namespace spanwise
