#include "summary_command.h"

#include "command_line.h"

#include <breakdown.h>
#include <findings.h>
#include <loader.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace spanwise {

namespace {

const char* const kUsage = "usage: spanwise summary FILE... [--json] [--no-skew-adjust]\n"
                           "  --json           one JSON document for all the files instead of the tables\n"
                           "  --no-skew-adjust span times as written, without clock-skew adjustment\n";

std::vector<std::string> rootSpanIds(const Dataset& data, const Trace& trace)
{
    std::vector<std::string> ids;
    for (std::uint32_t i : data.topLevelSpans(trace)) {
        const Span& s = data.spans[i];
        if (s.parentId == 0 && !s.has(MarkShared))
            ids.push_back(toHex(s.id));
    }
    return ids;
}

std::vector<std::string> traceWarnings(const Trace& trace)
{
    std::vector<std::string> warnings = trace.warnings;
    auto count = [&](std::uint32_t n, const char* what) {
        if (n)
            warnings.push_back(std::to_string(n) + " " + what);
    };
    count(trace.orphanCount, "span(s) whose parent is missing, shown as extra roots");
    count(trace.duplicateCount, "span(s) repeating another span's id");
    count(trace.cycleCount, "parent cycle(s) broken");
    count(trace.skewAdjustedCount, "span(s) moved by clock-skew adjustment");
    return warnings;
}

// Where one trace's time went: computed once, printed as JSON or as tables.
struct TraceAnalysis {
    std::vector<CriticalSegment> criticalPath;
    std::vector<BreakdownRow> services;
    std::vector<Finding> findings;
};

TraceAnalysis analyse(const Dataset& data, const Trace& trace)
{
    TraceAnalysis a;
    a.criticalPath = criticalPath(data, trace);
    a.services = computeBreakdown(data, trace, BreakdownGrouping::Service, a.criticalPath);
    a.findings = findFindings(data, trace, a.criticalPath);
    return a;
}

nlohmann::json criticalPathJson(const Dataset& data, const std::vector<CriticalSegment>& path)
{
    nlohmann::json segments = nlohmann::json::array();
    for (const CriticalSegment& s : path)
        segments.push_back({{"spanId", toHex(data.spans[s.span].id)}, {"startNanos", s.start}, {"endNanos", s.end}});
    return segments;
}

nlohmann::json breakdownJson(const Dataset& data, const std::vector<BreakdownRow>& rows)
{
    nlohmann::json result = nlohmann::json::array();
    for (const BreakdownRow& row : rows)
        result.push_back({{"service", std::string(data.str(row.service))},
                          {"spanCount", row.spanCount},
                          {"selfNanos", row.selfNanos},
                          {"totalNanos", row.totalNanos},
                          {"criticalPathNanos", row.criticalPathNanos},
                          {"errorCount", row.errorCount}});
    return result;
}

nlohmann::json findingsJson(const Dataset& data, const std::vector<Finding>& findings)
{
    nlohmann::json result = nlohmann::json::array();
    for (const Finding& f : findings) {
        std::vector<std::string> ids;
        for (std::uint32_t i : f.spans)
            ids.push_back(toHex(data.spans[i].id));
        result.push_back({{"kind", toString(f.kind)}, {"message", f.message}, {"spanIds", ids}, {"nanos", f.nanos}});
    }
    return result;
}

std::string utcTime(TimeNs ns)
{
    const std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ns / 1'000'000 % 1000));
    return buf;
}

nlohmann::json fileJson(const LoadResult& result)
{
    const Dataset& data = result.dataset;
    nlohmann::json traces = nlohmann::json::array();
    for (const Trace& trace : data.traces) {
        std::vector<std::string> services;
        for (std::string_view s : data.services(trace))
            services.emplace_back(s);
        const TraceAnalysis analysis = analyse(data, trace);
        traces.push_back({{"traceId", toHex(trace.id)},
                          {"spanCount", trace.count},
                          {"serviceCount", services.size()},
                          {"services", services},
                          {"rootSpanIds", rootSpanIds(data, trace)},
                          {"startUnixNano", trace.start},
                          {"durationNanos", trace.duration()},
                          {"errorCount", trace.errorCount},
                          {"orphanCount", trace.orphanCount},
                          {"warnings", traceWarnings(trace)},
                          {"criticalPath", criticalPathJson(data, analysis.criticalPath)},
                          {"breakdown", breakdownJson(data, analysis.services)},
                          {"findings", findingsJson(data, analysis.findings)}});
    }
    nlohmann::json file = {{"path", result.path}, {"format", result.format}, {"traces", traces}};
    if (!result.report.variant.empty())
        file["variant"] = result.report.variant;
    if (!result.compression.empty())
        file["compression"] = result.compression;
    if (!result.complete()) {
        nlohmann::json errors = nlohmann::json::array();
        for (const Diagnostic& d : result.report.diagnostics) {
            if (d.severity == Diagnostic::Severity::Error)
                errors.push_back({{"offset", d.offset}, {"line", d.line}, {"message", d.message}});
        }
        file["errors"] = errors;
        file["skippedSpans"] = result.report.skippedSpans;
    }
    return file;
}

void printBreakdown(const Dataset& data, const std::vector<BreakdownRow>& rows)
{
    constexpr std::size_t kMaxServiceWidth = 32;
    std::size_t serviceWidth = 7;
    for (const BreakdownRow& row : rows)
        serviceWidth = std::min(kMaxServiceWidth, std::max(serviceWidth, data.str(row.service).size()));
    std::printf("    %s %8s %10s %6s %10s %10s %6s\n", cli::padded("SERVICE", serviceWidth, false).c_str(), "SPANS",
                "SELF", "SHARE", "TOTAL", "CRITICAL", "ERRORS");
    for (const BreakdownRow& row : rows) {
        const std::string service = cli::truncated(cli::terminalSafe(data.str(row.service)), serviceWidth);
        std::printf("    %s %8u %s %5.0f%% %s %s %6u\n", cli::padded(service, serviceWidth, false).c_str(),
                    row.spanCount, cli::padded(formatDuration(row.selfNanos), 10, true).c_str(), row.selfShare * 100,
                    cli::padded(formatDuration(row.totalNanos), 10, true).c_str(),
                    cli::padded(formatDuration(row.criticalPathNanos), 10, true).c_str(), row.errorCount);
    }
}

void printFindings(const std::vector<Finding>& findings)
{
    constexpr std::size_t kMaxShown = 10;
    if (findings.empty()) {
        std::printf("    no findings\n");
        return;
    }
    for (std::size_t i = 0; i < std::min(findings.size(), kMaxShown); ++i)
        std::printf("    %-10s  %s\n", toString(findings[i].kind), cli::terminalSafe(findings[i].message).c_str());
    if (findings.size() > kMaxShown)
        std::printf("    ... and %zu more (see --json)\n", findings.size() - kMaxShown);
}

void printAnalysis(const Dataset& data, const Trace& trace)
{
    const TraceAnalysis analysis = analyse(data, trace);
    TimeNs critical = 0;
    for (const CriticalSegment& s : analysis.criticalPath)
        critical += s.length();
    std::printf("  trace %s: critical path %s in %zu segment(s)\n", toHex(trace.id).c_str(),
                formatDuration(critical).c_str(), analysis.criticalPath.size());
    printBreakdown(data, analysis.services);
    std::printf("    FINDINGS\n");
    printFindings(analysis.findings);
}

void printTable(const std::vector<LoadResult>& results)
{
    for (const LoadResult& result : results) {
        std::printf("%s  [%s%s%s]\n", result.path.c_str(), result.format.empty() ? "unreadable" : result.format.c_str(),
                    result.report.variant.empty() ? "" : (", " + result.report.variant).c_str(),
                    result.compression.empty() ? "" : (", " + result.compression).c_str());
        if (result.dataset.traces.empty()) {
            std::printf("  no traces\n\n");
            continue;
        }
        const Dataset& data = result.dataset;
        std::printf("  %-32s  %-40s %8s %8s  %-24s %10s %6s %7s %8s\n", "TRACE ID", "ROOT", "SPANS", "SERVICES",
                    "START (UTC)", "DURATION", "ERRORS", "ORPHANS", "WARNINGS");
        for (const Trace& trace : data.traces) {
            const std::string root = cli::padded(cli::truncated(cli::terminalSafe(data.rootLabel(trace)), 40), 40,
                                                 false);
            std::printf("  %-32s  %s %8u %8zu  %-24s %10s %6u %7u %8zu\n", toHex(trace.id).c_str(), root.c_str(),
                        trace.count, data.services(trace).size(), utcTime(trace.start).c_str(),
                        formatDuration(trace.duration()).c_str(), trace.errorCount, trace.orphanCount,
                        traceWarnings(trace).size());
        }
        for (const Trace& trace : data.traces) {
            for (const std::string& w : traceWarnings(trace))
                std::printf("  warning %s: %s\n", toHex(trace.id).c_str(), cli::terminalSafe(w).c_str());
        }
        for (const Trace& trace : data.traces) {
            std::printf("\n");
            printAnalysis(data, trace);
        }
        std::printf("\n");
    }
}

} // namespace

void printSummaryTables(const std::vector<LoadResult>& results)
{
    printTable(results);
}

int runSummaryCommand(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = cli::parseArguments(args, {"--json", "--no-skew-adjust", "--help", "-h"});
    if (parsed.has("--help") || parsed.has("-h")) {
        std::cout << kUsage;
        return cli::Success;
    }
    if (!parsed.unknown.empty() || parsed.positional.empty()) {
        std::cerr << "spanwise summary: "
                  << cli::terminalSafe(parsed.unknown.empty() ? std::string("no file given")
                                                              : "unknown option " + parsed.unknown)
                  << '\n'
                  << kUsage;
        return cli::BadUsage;
    }
    LoadOptions options;
    options.build.adjustClockSkew = !parsed.has("--no-skew-adjust");
    std::vector<LoadResult> results;
    bool allComplete = true;
    for (const std::string& path : parsed.positional) {
        results.push_back(loadFile(path, options));
        if (!results.back().complete()) {
            allComplete = false;
            std::cerr << cli::terminalSafe(results.back().errorText(), true);
        }
    }
    if (parsed.has("--json")) {
        nlohmann::json files = nlohmann::json::array();
        for (const LoadResult& r : results)
            files.push_back(fileJson(r));
        // Strings from the file may hold invalid UTF-8 (protobuf does not check it): replaced, not fatal.
        std::cout << nlohmann::json{{"files", files}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << '\n';
    } else {
        printTable(results);
    }
    return allComplete ? cli::Success : cli::LoadFailed;
}

} // namespace spanwise
