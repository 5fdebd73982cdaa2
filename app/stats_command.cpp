#include "stats_command.h"

#include "command_line.h"

#include <set_loader.h>
#include <trace_statistics.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace spanwise {

namespace {

const char* const kUsage =
    "usage: spanwise stats FILE|DIR... [--group root|service|operation] [--json] [--no-skew-adjust]\n"
    "  Prints durations across every trace of the files (folders searched), grouped, with nearest-rank percentiles, errors,\n"
    "  and per trace the mean self time and time on the critical path of each group.\n"
    "  --group root       each trace, by its root span's `service: operation` (default)\n"
    "  --group service    each span, by its service\n"
    "  --group operation  each span, by its `service: operation`\n"
    "  --json             one JSON document instead of the table\n"
    "  --no-skew-adjust   span times as written, without clock-skew adjustment\n";

int usageError(const std::string& message)
{
    return cli::usageError("stats", message, kUsage);
}

std::optional<StatisticsGrouping> groupingNamed(const std::string& name)
{
    if (name == "root")
        return StatisticsGrouping::Root;
    if (name == "service")
        return StatisticsGrouping::Service;
    if (name == "operation")
        return StatisticsGrouping::Operation;
    return std::nullopt;
}

// Every file of the paths (folders searched) read, those that failed wholly or in part named on stderr.
TraceSet loadSet(const std::vector<std::string>& paths, const LoadOptions& options)
{
    TraceSet set = loadTraceSet(paths, {.load = options});
    for (const TraceSetFile& file : set.files) {
        if (!file.skipped && !file.error.empty())
            std::cerr << cli::terminalSafe(file.error, true) << '\n';
    }
    return set;
}

TimeNs rounded(double nanos)
{
    return static_cast<TimeNs>(std::llround(nanos));
}

std::string statisticsJson(const TraceStatistics& stats)
{
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const StatisticsGroup& g : stats.groups)
        groups.push_back({{"key", g.key},
                          {"count", g.count},
                          {"errorCount", g.errorCount},
                          {"minNanos", g.minNanos},
                          {"p50Nanos", g.p50Nanos},
                          {"p90Nanos", g.p90Nanos},
                          {"p99Nanos", g.p99Nanos},
                          {"maxNanos", g.maxNanos},
                          {"traceCount", g.traceCount},
                          {"meanSelfNanos", rounded(g.meanSelfNanos)},
                          {"meanCriticalNanos", rounded(g.meanCriticalNanos)}});
    const nlohmann::ordered_json document = {
        {"traces", stats.traceCount}, {"spans", stats.spanCount}, {"groups", groups}};
    // Names from the files may hold invalid UTF-8 (protobuf does not check it): replaced, not fatal.
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

void printTable(const TraceStatistics& stats, const TraceSet& set)
{
    const char* const by = stats.grouping == StatisticsGrouping::Root      ? "root operation"
                           : stats.grouping == StatisticsGrouping::Service ? "service"
                                                                           : "operation";
    const auto skipped = static_cast<std::size_t>(
        std::count_if(set.files.begin(), set.files.end(), [](const TraceSetFile& f) { return f.skipped; }));
    const std::string others = skipped ? ", " + std::to_string(skipped) + " more skipped (no traces)" : "";
    std::printf("%zu trace(s), %zu span(s) from %zu file(s)%s, by %s\n", stats.traceCount, stats.spanCount,
                set.files.size() - skipped, others.c_str(), by);
    if (stats.groups.empty())
        return;
    constexpr std::size_t kMaxKeyWidth = 48;
    std::size_t keyWidth = 5;
    for (const StatisticsGroup& g : stats.groups)
        keyWidth = std::min(kMaxKeyWidth, std::max(keyWidth, cli::terminalSafe(g.key).size()));
    const bool spans = stats.grouping != StatisticsGrouping::Root;
    std::printf("\n%s %8s %s%7s %9s %9s %9s %9s %9s %10s %10s\n", cli::padded("GROUP", keyWidth, false).c_str(),
                spans ? "SPANS" : "TRACES", spans ? "  TRACES " : "", "ERRORS", "MIN", "P50", "P90", "P99", "MAX",
                "SELF", "CRITICAL");
    const auto duration = [](TimeNs ns, std::size_t width) { return cli::padded(formatDuration(ns), width, true); };
    for (const StatisticsGroup& g : stats.groups) {
        const std::string key = cli::padded(cli::truncated(cli::terminalSafe(g.key), keyWidth), keyWidth, false);
        const std::string traces = spans ? " " + cli::padded(std::to_string(g.traceCount), 8, true) : "";
        std::printf("%s %8u%s %7u %s %s %s %s %s %s %s\n", key.c_str(), g.count, traces.c_str(), g.errorCount,
                    duration(g.minNanos, 9).c_str(), duration(g.p50Nanos, 9).c_str(), duration(g.p90Nanos, 9).c_str(),
                    duration(g.p99Nanos, 9).c_str(), duration(g.maxNanos, 9).c_str(),
                    duration(rounded(g.meanSelfNanos), 10).c_str(), duration(rounded(g.meanCriticalNanos), 10).c_str());
    }
    std::printf("\nSELF and CRITICAL: per trace with the group, the mean of its self time and of its time on the\n"
                "trace's critical path%s.\n",
                spans ? "" : " (of the root span's self time, and of the whole critical path)");
}

} // namespace

int runStatsCommand(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = cli::parseArguments(args, {"--json", "--no-skew-adjust", "--help", "-h"},
                                                      {"--group"});
    if (parsed.has("--help") || parsed.has("-h")) {
        std::cout << kUsage;
        return cli::Success;
    }
    if (!parsed.unknown.empty())
        return usageError("unknown option " + cli::terminalSafe(parsed.unknown));
    if (!parsed.missingValue.empty())
        return usageError(parsed.missingValue + " needs a value");
    if (parsed.positional.empty())
        return usageError("no file given");
    StatisticsGrouping grouping = StatisticsGrouping::Root;
    if (const auto name = parsed.value("--group")) {
        const auto named = groupingNamed(*name);
        if (!named)
            return usageError("--group takes root, service or operation, not " + cli::terminalSafe(*name));
        grouping = *named;
    }

    LoadOptions options;
    options.build.adjustClockSkew = !parsed.has("--no-skew-adjust");
    const TraceSet set = loadSet(parsed.positional, options);
    const TraceStatistics stats = computeStatistics(set, set.traces, grouping);
    if (parsed.has("--json"))
        std::cout << statisticsJson(stats) << '\n';
    else
        printTable(stats, set);
    return set.failedFileCount() == 0 ? cli::Success : cli::LoadFailed;
}

} // namespace spanwise
