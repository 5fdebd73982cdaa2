#include "trace_statistics.h"

#include "call_path.h"
#include "critical_path.h"
#include "self_time.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace spanwise {

TimeNs nearestRank(std::span<const TimeNs> sorted, double percentile)
{
    if (sorted.empty())
        return 0;
    // p · n is exact for whole percentiles, so a rank such as 90 % of 10 is 9, not 9.000000000000002 → 10.
    const double rank = std::ceil(percentile * static_cast<double>(sorted.size()) / 100.0);
    const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size()))) - 1;
    return sorted[index];
}

LatencyHistogram logHistogram(std::span<const TimeNs> sorted, std::size_t maxBuckets)
{
    LatencyHistogram histogram;
    if (sorted.empty() || maxBuckets == 0)
        return histogram;
    const TimeNs lowest = sorted.front();
    const TimeNs highest = sorted.back();
    histogram.edges.push_back(lowest);
    // Zero has no place on a log axis: the steps start from 1 ns and zero joins the first bucket.
    const double from = static_cast<double>(std::max<TimeNs>(lowest, 1));
    const double ratio = std::log(static_cast<double>(highest) / from);
    for (std::size_t i = 1; i < maxBuckets && highest > lowest; ++i) {
        const double step = static_cast<double>(i) / static_cast<double>(maxBuckets);
        const auto edge = static_cast<TimeNs>(std::llround(from * std::exp(ratio * step)));
        if (edge > histogram.edges.back() && edge < highest)
            histogram.edges.push_back(edge);
    }
    histogram.edges.push_back(highest);
    histogram.counts.assign(histogram.edges.size() - 1, 0);
    std::size_t bucket = 0;
    for (const TimeNs value : sorted) {
        while (bucket + 1 < histogram.counts.size() && value >= histogram.edges[bucket + 1])
            ++bucket;
        ++histogram.counts[bucket];
    }
    return histogram;
}

namespace {

// Finds each span's group, making the groups as their keys first appear.
class GroupIndex {
public:
    explicit GroupIndex(StatisticsGrouping grouping) : m_grouping(grouping) {}

    std::uint32_t groupOf(const Dataset& data, const Span& span)
    {
        if (m_grouping == StatisticsGrouping::Service)
            return serviceGroup(data, span.service);
        // Operations as the flame graph and the comparison merge them: names normalised, case ignored.
        const std::uint32_t label = m_operations.labelOf(data, span);
        if (label >= m_groupOfLabel.size())
            m_groupOfLabel.resize(label + 1, kNoIndex);
        if (m_groupOfLabel[label] == kNoIndex)
            m_groupOfLabel[label] = add(m_operations.labels()[label]);
        return m_groupOfLabel[label];
    }

    std::vector<StatisticsGroup>& groups() { return m_groups; }

private:
    std::uint32_t serviceGroup(const Dataset& data, StringId service)
    {
        if (m_serviceData != &data) {
            m_serviceData = &data;
            m_groupOfService.assign(data.strings.size(), kNoIndex);
        }
        std::uint32_t& group = m_groupOfService[service];
        if (group == kNoIndex) {
            const std::string name(data.str(service));
            const auto [it, added] = m_groupOfName.try_emplace(name, static_cast<std::uint32_t>(m_groups.size()));
            if (added)
                add(name);
            group = it->second;
        }
        return group;
    }

    std::uint32_t add(std::string key)
    {
        m_groups.emplace_back().key = std::move(key);
        return static_cast<std::uint32_t>(m_groups.size() - 1);
    }

    StatisticsGrouping m_grouping;
    std::vector<StatisticsGroup> m_groups;
    CallPathMerger m_operations{0};
    std::vector<std::uint32_t> m_groupOfLabel; // label of m_operations → group
    const Dataset* m_serviceData = nullptr;
    std::vector<std::uint32_t> m_groupOfService; // service string of m_serviceData → group
    std::unordered_map<std::string, std::uint32_t> m_groupOfName;
};

// Self and critical-path time of each group in the trace being added, then summed over the traces.
class TimeTotals {
public:
    void add(std::uint32_t group, TimeNs self, TimeNs critical)
    {
        if (group >= m_self.size()) {
            m_self.resize(group + 1, 0);
            m_critical.resize(group + 1, 0);
            m_selfSum.resize(group + 1, 0);
            m_criticalSum.resize(group + 1, 0);
            m_traces.resize(group + 1, 0);
            m_inTrace.resize(group + 1, 0);
        }
        if (!m_inTrace[group]) {
            m_inTrace[group] = 1;
            m_touched.push_back(group);
        }
        m_self[group] += self;
        m_critical[group] += critical;
    }

    void endTrace()
    {
        for (const std::uint32_t g : m_touched) {
            m_selfSum[g] += static_cast<double>(m_self[g]);
            m_criticalSum[g] += static_cast<double>(m_critical[g]);
            ++m_traces[g];
            m_self[g] = m_critical[g] = 0;
            m_inTrace[g] = 0;
        }
        m_touched.clear();
    }

    void fill(std::vector<StatisticsGroup>& groups) const
    {
        for (std::size_t g = 0; g < groups.size() && g < m_traces.size(); ++g) {
            groups[g].traceCount = m_traces[g];
            if (m_traces[g] > 0) {
                groups[g].meanSelfNanos = m_selfSum[g] / m_traces[g];
                groups[g].meanCriticalNanos = m_criticalSum[g] / m_traces[g];
            }
        }
    }

private:
    std::vector<TimeNs> m_self;
    std::vector<TimeNs> m_critical;
    std::vector<double> m_selfSum;
    std::vector<double> m_criticalSum;
    std::vector<std::uint32_t> m_traces;
    std::vector<std::uint8_t> m_inTrace;
    std::vector<std::uint32_t> m_touched;
};

void addTrace(const TraceSet& set, TraceRef ref, StatisticsGrouping grouping, GroupIndex& index, TimeTotals& totals)
{
    const Dataset& data = set.dataset(ref);
    const Trace& trace = set.trace(ref);
    if (trace.count == 0)
        return;
    const std::vector<CriticalSegment> path = criticalPath(data, trace);
    if (grouping == StatisticsGrouping::Root) {
        const std::uint32_t root = trace.first; // the first top-level span: they come in start order
        const std::uint32_t g = index.groupOf(data, data.spans[root]);
        StatisticsGroup& group = index.groups()[g];
        group.members.push_back({trace.duration(), ref, root});
        ++group.count;
        group.errorCount += trace.errorCount > 0;
        TimeNs critical = 0;
        for (const CriticalSegment& segment : path)
            critical += segment.length();
        totals.add(g, selfTime(data, root), critical);
    } else {
        const std::vector<TimeNs> onPath = criticalTimePerSpan(trace, path);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            const Span& span = data.spans[i];
            const std::uint32_t g = index.groupOf(data, span);
            StatisticsGroup& group = index.groups()[g];
            group.members.push_back({span.duration(), ref, i});
            ++group.count;
            group.errorCount += span.status == StatusCode::Error;
            totals.add(g, selfTime(data, i), onPath[i - trace.first]);
        }
    }
    totals.endTrace();
}

void summarise(StatisticsGroup& group)
{
    std::sort(group.members.begin(), group.members.end(), [](const StatisticsMember& a, const StatisticsMember& b) {
        if (a.duration != b.duration)
            return a.duration < b.duration;
        return a.trace != b.trace ? a.trace < b.trace : a.span < b.span;
    });
    std::vector<TimeNs> durations;
    durations.reserve(group.members.size());
    for (const StatisticsMember& m : group.members)
        durations.push_back(m.duration);
    group.minNanos = durations.empty() ? 0 : durations.front();
    group.maxNanos = durations.empty() ? 0 : durations.back();
    group.p50Nanos = nearestRank(durations, 50);
    group.p90Nanos = nearestRank(durations, 90);
    group.p99Nanos = nearestRank(durations, 99);
    group.histogram = logHistogram(durations);
}

} // namespace

TraceStatistics computeStatistics(const TraceSet& set, std::span<const TraceRef> traces, StatisticsGrouping grouping,
                                  const std::function<bool()>& cancelled)
{
    TraceStatistics result;
    result.grouping = grouping;
    result.traceCount = traces.size();
    GroupIndex index(grouping);
    TimeTotals totals;
    for (const TraceRef ref : traces) {
        if (cancelled && cancelled())
            return result;
        result.spanCount += set.trace(ref).count;
        addTrace(set, ref, grouping, index, totals);
    }
    result.groups = std::move(index.groups());
    totals.fill(result.groups);
    for (StatisticsGroup& group : result.groups) {
        if (cancelled && cancelled()) {
            result.groups.clear();
            return result;
        }
        summarise(group);
    }
    std::sort(result.groups.begin(), result.groups.end(), [](const StatisticsGroup& a, const StatisticsGroup& b) {
        return a.p99Nanos != b.p99Nanos ? a.p99Nanos > b.p99Nanos : a.key < b.key;
    });
    return result;
}

} // namespace spanwise
