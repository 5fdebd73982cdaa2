#include "summary_command.h"

#include "command_line.h"

#include <loader.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace spanwise {

namespace {

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

std::vector<std::string> traceWarnings(const Dataset& data, const Trace& trace)
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
    (void)data;
    return warnings;
}

std::string utcTime(TimeNs ns)
{
    const std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ns / 1'000'000 % 1000));
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
        traces.push_back({{"traceId", toHex(trace.id)},
                          {"spanCount", trace.count},
                          {"serviceCount", services.size()},
                          {"services", services},
                          {"rootSpanIds", rootSpanIds(data, trace)},
                          {"startUnixNano", trace.start},
                          {"durationNanos", trace.duration()},
                          {"errorCount", trace.errorCount},
                          {"orphanCount", trace.orphanCount},
                          {"warnings", traceWarnings(data, trace)}});
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

std::string rootLabel(const Dataset& data, const Trace& trace)
{
    const std::vector<std::uint32_t> top = data.topLevelSpans(trace);
    if (top.empty())
        return "-";
    const Span& root = data.spans[top.front()];
    std::string label = std::string(data.str(root.service)) + ": " + std::string(data.str(root.name));
    if (top.size() > 1)
        label += " (+" + std::to_string(top.size() - 1) + " more)";
    return label;
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
            std::string root = rootLabel(data, trace);
            if (root.size() > 40)
                root = root.substr(0, 37) + "...";
            std::printf("  %-32s  %-40s %8u %8zu  %-24s %10s %6u %7u %8zu\n", toHex(trace.id).c_str(), root.c_str(),
                        trace.count, data.services(trace).size(), utcTime(trace.start).c_str(),
                        formatDuration(trace.duration()).c_str(), trace.errorCount, trace.orphanCount,
                        traceWarnings(data, trace).size());
        }
        for (const Trace& trace : data.traces) {
            for (const std::string& w : traceWarnings(data, trace))
                std::printf("  warning %s: %s\n", toHex(trace.id).c_str(), w.c_str());
        }
        std::printf("\n");
    }
}

} // namespace

int runSummaryCommand(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = cli::parseArguments(args, {"--json", "--no-skew-adjust"});
    if (!parsed.unknown.empty() || parsed.positional.empty()) {
        std::cerr << (parsed.unknown.empty() ? std::string("no file given") : "unknown option " + parsed.unknown)
                  << "\nusage: spanwise summary FILE... [--json] [--no-skew-adjust]\n";
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
            std::cerr << results.back().errorText();
        }
    }
    if (parsed.has("--json")) {
        nlohmann::json files = nlohmann::json::array();
        for (const LoadResult& r : results)
            files.push_back(fileJson(r));
        std::cout << nlohmann::json{{"files", files}}.dump(2) << '\n';
    } else {
        printTable(results);
    }
    return allComplete ? cli::Success : cli::LoadFailed;
}

} // namespace spanwise
