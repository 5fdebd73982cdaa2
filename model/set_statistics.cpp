#include "set_statistics.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

namespace spanwise {

namespace {

double perTraceOf(const TraceStatistics& statistics, const StatisticsGroup& group, double meanPerMemberTrace)
{
    return statistics.traceCount > 0 ? meanPerMemberTrace * group.traceCount / double(statistics.traceCount) : 0.0;
}

// Operations merge ignoring case, each group showing the first spelling seen: the slowest traces may
// have seen another spelling first. Services are grouped by their exact names.
std::string matchKey(const std::string& key, StatisticsGrouping grouping)
{
    if (grouping == StatisticsGrouping::Service)
        return key;
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

} // namespace

double SetStatistics::criticalPerTrace(std::size_t group) const
{
    const StatisticsGroup& g = all.groups[group];
    return perTraceOf(all, g, g.meanCriticalNanos);
}

double SetStatistics::selfPerTrace(std::size_t group) const
{
    const StatisticsGroup& g = all.groups[group];
    return perTraceOf(all, g, g.meanSelfNanos);
}

double SetStatistics::criticalPerSlowTrace(std::size_t group) const
{
    const std::uint32_t slow = slowestGroupOf[group];
    return slow == kNoIndex ? 0.0 : perTraceOf(slowest, slowest.groups[slow], slowest.groups[slow].meanCriticalNanos);
}

double SetStatistics::selfPerSlowTrace(std::size_t group) const
{
    const std::uint32_t slow = slowestGroupOf[group];
    return slow == kNoIndex ? 0.0 : perTraceOf(slowest, slowest.groups[slow], slowest.groups[slow].meanSelfNanos);
}

SetStatistics computeSetStatistics(const TraceSet& set, StatisticsGrouping grouping,
                                   const std::function<bool()>& cancelled)
{
    SetStatistics result;
    std::vector<TimeNs> durations;
    durations.reserve(set.traces.size());
    double total = 0;
    for (const TraceRef ref : set.traces) {
        durations.push_back(set.trace(ref).duration());
        total += double(durations.back());
    }
    std::vector<TimeNs> sorted = durations;
    std::sort(sorted.begin(), sorted.end());
    result.slowThreshold = nearestRank(sorted, 99);
    result.meanTraceNanos = durations.empty() ? 0.0 : total / double(durations.size());
    std::vector<TraceRef> slow;
    double slowTotal = 0;
    for (std::size_t i = 0; i < durations.size(); ++i) {
        if (durations[i] >= result.slowThreshold) {
            slow.push_back(set.traces[i]);
            slowTotal += double(durations[i]);
        }
    }
    result.slowestTraceCount = slow.size();
    result.meanSlowestTraceNanos = slow.empty() ? 0.0 : slowTotal / double(slow.size());

    result.all = computeStatistics(set, set.traces, grouping, cancelled);
    result.slowest = computeStatistics(set, slow, grouping, cancelled);
    std::unordered_map<std::string, std::uint32_t> slowByKey;
    for (std::uint32_t i = 0; i < result.slowest.groups.size(); ++i)
        slowByKey.emplace(matchKey(result.slowest.groups[i].key, grouping), i);
    result.slowestGroupOf.reserve(result.all.groups.size());
    for (const StatisticsGroup& g : result.all.groups) {
        const auto found = slowByKey.find(matchKey(g.key, grouping));
        result.slowestGroupOf.push_back(found == slowByKey.end() ? kNoIndex : found->second);
    }
    return result;
}

} // namespace spanwise
