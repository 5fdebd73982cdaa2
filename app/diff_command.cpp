#include "diff_command.h"

#include "command_line.h"
#include "image_arguments.h"

#include <compare_image.h>
#include <comparison.h>
#include <loader.h>
#include <operation_name.h>
#include <trace_diff.h>

#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>

namespace spanwise {

namespace {

constexpr const char* kUsage =
    "usage: spanwise diff A B [--a-trace ID] [--b-trace ID] [--json] [--no-skew-adjust]\n"
    "                         [-o OUT.png|OUT.svg|OUT.pdf [--width PX] [--scale 1|2] [--theme light|dark]]\n"
    "  -o FILE    also draw the comparison as an image (header, change by service, largest changes,\n"
    "             the largest change in both waterfalls); what is printed stays the same\n"
    "  --width PX image width in pixels, 640 to 4000 (default 1400)\n"
    "  --scale N  PNG pixels per image pixel, 1 or 2 (default 1)\n"
    "  --theme    document theme, light (default) or dark\n"
    "  --a-trace ID, --b-trace ID  the trace of A or B, for a file holding several (hex, any case,\n"
    "             leading zeros optional)\n"
    "  --json     the comparison as JSON  --no-skew-adjust  times as written\n";
constexpr std::size_t kMaxNodesShown = 25;
constexpr std::size_t kMaxTracesListed = 20;

// Trace ids as written by users: any case, leading zeros optional (a 64-bit id is the low half).
std::string canonicalTraceId(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    if (text.size() < 32)
        text.insert(0, 32 - text.size(), '0');
    return text;
}

struct Side {
    const char* name;   // "A" or "B"
    const char* option; // "--a-trace" or "--b-trace"
    std::shared_ptr<const LoadResult> file;
    const Trace* trace = nullptr;
};

std::string traceList(const Dataset& data)
{
    std::string list;
    for (std::size_t i = 0; i < std::min(data.traces.size(), kMaxTracesListed); ++i) {
        const Trace& t = data.traces[i];
        list += "  " + toHex(t.id) + "  " + std::to_string(t.count) + " spans  " +
                cli::terminalSafe(data.rootLabel(t)) + "\n";
    }
    if (data.traces.size() > kMaxTracesListed)
        list += "  ... and " + std::to_string(data.traces.size() - kMaxTracesListed) +
                " more (spanwise summary lists them all)\n";
    return list;
}

// The trace named by the side's option, else the file's only trace; an error message otherwise.
std::string pickTrace(Side& side, const std::string& wanted)
{
    const Dataset& data = side.file->dataset;
    const std::string path = cli::terminalSafe(side.file->path);
    if (wanted.empty()) {
        if (data.traces.size() == 1) {
            side.trace = &data.traces.front();
            return {};
        }
        return path + " holds " + std::to_string(data.traces.size()) + " traces: choose " + side.name + "'s with " +
               side.option + " ID\n" + traceList(data);
    }
    const std::string id = canonicalTraceId(wanted);
    const auto it = std::find_if(data.traces.begin(), data.traces.end(),
                                 [&](const Trace& t) { return toHex(t.id) == id; });
    if (it == data.traces.end())
        return "no trace " + cli::terminalSafe(wanted) + " in " + path + "; it holds:\n" + traceList(data);
    side.trace = &*it;
    return {};
}

nlohmann::json sideJson(const Side& side)
{
    return {{"path", side.file->path}, {"traceId", toHex(side.trace->id)}, {"durationNanos", side.trace->duration()}};
}

nlohmann::json nodeJson(const TraceDiff& diff, std::uint32_t i)
{
    const DiffNode& n = diff.nodes[i];
    return {{"path", nodePath(diff, i)},
            {"status", toString(n.status)},
            {"countA", n.a.count},
            {"countB", n.b.count},
            {"totalNanosA", n.a.totalNanos},
            {"totalNanosB", n.b.totalNanos},
            {"selfNanosA", n.a.selfNanos},
            {"selfNanosB", n.b.selfNanos},
            {"criticalPathNanosA", n.a.criticalNanos},
            {"criticalPathNanosB", n.b.criticalNanos},
            {"errorCountA", n.a.errors},
            {"errorCountB", n.b.errors}};
}

// Written node by node: every node carries its whole path, so a deep tree's document is far larger
// than the diff and is never held in memory at once. One node per line.
void printJson(const Side& a, const Side& b, const TraceDiff& diff)
{
    // Strings from the file may hold invalid UTF-8 (protobuf does not check it): replaced, not fatal.
    const auto dump = [](const nlohmann::json& value) {
        return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    std::cout << "{\"a\": " << dump(sideJson(a)) << ",\n \"b\": " << dump(sideJson(b))
              << ",\n \"normalisations\": " << dump(normalisationNames(diff.normalisations)) << ",\n \"nodes\": [";
    const char* separator = "\n  ";
    for (std::uint32_t i : nodesByTotalDelta(diff)) {
        std::cout << separator << dump(nodeJson(diff, i));
        separator = ",\n  ";
    }
    std::cout << "],\n \"services\": [";
    separator = "\n  ";
    for (const ServiceDelta& s : diff.services) {
        std::cout << separator
                  << dump({{"service", s.service},
                           {"selfNanosA", s.selfNanosA},
                           {"selfNanosB", s.selfNanosB},
                           {"criticalPathNanosA", s.criticalPathNanosA},
                           {"criticalPathNanosB", s.criticalPathNanosB}});
        separator = ",\n  ";
    }
    std::cout << "]}\n";
}

std::string percent(TimeNs a, TimeNs b)
{
    const std::optional<double> change = relativeChange(a, b);
    if (!change)
        return b == 0 ? "0%" : "new";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.0f%%", *change * 100);
    return buf;
}

// The end of a node's path that fits in `width` characters, "... › " in front when cut.
std::string pathLabel(const TraceDiff& diff, std::uint32_t node, std::size_t width)
{
    std::string label = cli::terminalSafe(diff.nodes[node].label);
    for (std::uint32_t p = diff.nodes[node].parent; p != kNoIndex; p = diff.nodes[p].parent) {
        std::string longer = cli::terminalSafe(diff.nodes[p].label) + " › " + label;
        if (longer.size() > width)
            return "... › " + label;
        label = std::move(longer);
    }
    return label;
}

void printSide(const Side& side)
{
    std::printf("%s  %s  trace %s  %s  (%u spans)\n", side.name, cli::terminalSafe(side.file->path).c_str(),
                toHex(side.trace->id).c_str(), formatDuration(side.trace->duration()).c_str(), side.trace->count);
}

void printNodes(const TraceDiff& diff)
{
    const DiffOptions& options = diff.options;
    std::printf("nodes: %zu (%zu changed, %zu added, %zu removed, %zu same); noise threshold %.0f%% and %s\n\n",
                diff.nodes.size(), diff.count(DiffStatus::Changed), diff.count(DiffStatus::Added),
                diff.count(DiffStatus::Removed), diff.count(DiffStatus::Same), options.relative * 100,
                formatDuration(options.absoluteNanos).c_str());
    std::vector<std::uint32_t> changes;
    for (std::uint32_t i : nodesByTotalDelta(diff)) {
        if (diff.nodes[i].status != DiffStatus::Same)
            changes.push_back(i);
    }
    if (changes.empty()) {
        std::printf("no differences beyond the noise threshold\n");
        return;
    }
    std::printf("%-8s %15s %10s %10s %11s %6s  %s\n", "STATUS", "COUNT A→B", "TOTAL A", "TOTAL B", "Δ TOTAL", "Δ%",
                "NODE");
    for (std::size_t k = 0; k < std::min(changes.size(), kMaxNodesShown); ++k) {
        const DiffNode& n = diff.nodes[changes[k]];
        const std::string counts = std::to_string(n.a.count) + " → " + std::to_string(n.b.count);
        std::printf("%-8s %s %s %s %s %s  %s\n", toString(n.status), cli::padded(counts, 15, true).c_str(),
                    cli::padded(formatDuration(n.a.totalNanos), 10, true).c_str(),
                    cli::padded(formatDuration(n.b.totalNanos), 10, true).c_str(),
                    cli::padded(formatDurationDelta(n.totalDelta()), 11, true).c_str(),
                    cli::padded(percent(n.a.totalNanos, n.b.totalNanos), 6, true).c_str(),
                    pathLabel(diff, changes[k], 90).c_str());
    }
    if (changes.size() > kMaxNodesShown)
        std::printf("... and %zu more (see --json)\n", changes.size() - kMaxNodesShown);
}

void printServices(const TraceDiff& diff)
{
    std::vector<ServiceDelta> services = diff.services;
    const auto magnitude = [](const ServiceDelta& s) {
        return std::abs(static_cast<double>(s.selfNanosB - s.selfNanosA)) +
               std::abs(static_cast<double>(s.criticalPathNanosB - s.criticalPathNanosA));
    };
    std::stable_sort(services.begin(), services.end(),
                     [&](const ServiceDelta& x, const ServiceDelta& y) { return magnitude(x) > magnitude(y); });
    std::size_t width = 7;
    for (const ServiceDelta& s : services)
        width = std::min<std::size_t>(32, std::max(width, s.service.size()));
    std::printf("\n%s %10s %10s %11s %10s %10s %11s\n", cli::padded("SERVICE", width, false).c_str(), "SELF A",
                "SELF B", "Δ SELF", "CRIT A", "CRIT B", "Δ CRIT");
    for (const ServiceDelta& s : services) {
        std::printf("%s %s %s %s %s %s %s\n",
                    cli::padded(cli::truncated(cli::terminalSafe(s.service), width), width, false).c_str(),
                    cli::padded(formatDuration(s.selfNanosA), 10, true).c_str(),
                    cli::padded(formatDuration(s.selfNanosB), 10, true).c_str(),
                    cli::padded(formatDurationDelta(s.selfNanosB - s.selfNanosA), 11, true).c_str(),
                    cli::padded(formatDuration(s.criticalPathNanosA), 10, true).c_str(),
                    cli::padded(formatDuration(s.criticalPathNanosB), 10, true).c_str(),
                    cli::padded(formatDurationDelta(s.criticalPathNanosB - s.criticalPathNanosA), 11, true).c_str());
    }
}

void printDiff(const Side& a, const Side& b, const TraceDiff& diff)
{
    printSide(a);
    printSide(b);
    std::printf("duration %s (%s)\n", formatDurationDelta(diff.durationB - diff.durationA).c_str(),
                percent(diff.durationA, diff.durationB).c_str());
    const std::vector<std::string> normalised = normalisationNames(diff.normalisations);
    std::string list;
    for (const std::string& n : normalised)
        list += (list.empty() ? "" : ", ") + n;
    std::printf("operation names normalised: %s\n", list.empty() ? "none needed" : list.c_str());
    printNodes(diff);
    printServices(diff);
}

CompareSide compareSide(const Side& side)
{
    // The dataset shares the loaded file's lifetime.
    return {std::shared_ptr<const Dataset>(side.file, &side.file->dataset),
            static_cast<std::uint32_t>(side.trace - side.file->dataset.traces.data()),
            QFileInfo(QString::fromStdString(side.file->path)).fileName()};
}

// The picture of the comparison the compare page would show with its largest change selected.
std::string writeDiffImage(const Side& a, const Side& b, std::shared_ptr<const TraceDiff> diff,
                           const cli::ImageArguments& image)
{
    Comparison comparison(compareSide(a), compareSide(b), diff);
    for (std::uint32_t node : nodesByTotalDelta(*diff)) {
        if (diff->nodes[node].status != DiffStatus::Same) {
            comparison.showNode(node);
            break;
        }
    }
    CompareImageOptions options;
    options.width = image.width.value_or(options.width);
    options.dark = image.dark;
    const CompareImage picture(comparison, options);
    // Quiet on success: stdout is the table or the JSON document, as without -o, and a headless
    // command prints nothing on stderr when it succeeds.
    return writeImage(picture, image.path, image.format, image.scale).toStdString();
}

cli::Arguments parseDiffArguments(const std::vector<std::string>& args)
{
    std::vector<std::string> valueOptions = cli::imageValueOptions();
    valueOptions.insert(valueOptions.end(), {"--a-trace", "--b-trace"});
    return cli::parseArguments(args, {"--json", "--no-skew-adjust", "--help", "-h"}, valueOptions);
}

} // namespace

bool diffDraws(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = parseDiffArguments(args);
    return parsed.value("-o") || parsed.value("--output");
}

int runDiffCommand(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = parseDiffArguments(args);
    if (parsed.has("--help") || parsed.has("-h")) {
        std::cout << kUsage;
        return cli::Success;
    }
    std::string problem;
    const std::optional<cli::ImageArguments> image = cli::imageArguments(parsed, problem);
    if (!parsed.unknown.empty() || !parsed.missingValue.empty() || parsed.positional.size() != 2 || !image) {
        const bool traceOption = parsed.missingValue == "--a-trace" || parsed.missingValue == "--b-trace";
        problem = !parsed.unknown.empty() ? "unknown option " + parsed.unknown
                  : !parsed.missingValue.empty()
                      ? parsed.missingValue + (traceOption ? " needs a trace id" : " needs a value")
                  : parsed.positional.size() != 2 ? std::string("two files are needed")
                                                  : problem;
        std::cerr << "spanwise diff: " << cli::terminalSafe(problem) << '\n' << kUsage;
        return cli::BadUsage;
    }
    LoadOptions options;
    options.build.adjustClockSkew = !parsed.has("--no-skew-adjust");
    Side a{"A", "--a-trace", std::make_shared<const LoadResult>(loadFile(parsed.positional[0], options))};
    // One file compared with itself (two of its traces) is read once.
    Side b{"B", "--b-trace",
           parsed.positional[1] == parsed.positional[0]
               ? a.file
               : std::make_shared<const LoadResult>(loadFile(parsed.positional[1], options))};
    bool complete = true;
    for (const Side* side : {&a, &b}) {
        if (!side->file->complete() && (side == &a || b.file != a.file)) {
            complete = false;
            std::cerr << cli::terminalSafe(side->file->errorText(), true);
        }
        if (side->file->dataset.traces.empty()) {
            std::cerr << cli::terminalSafe(side->file->path) << ": no traces to compare\n";
            return cli::LoadFailed;
        }
    }
    for (const std::string& error :
         {pickTrace(a, parsed.value("--a-trace").value_or("")), pickTrace(b, parsed.value("--b-trace").value_or(""))}) {
        if (!error.empty()) {
            std::cerr << error << kUsage;
            return cli::BadUsage;
        }
    }
    const auto diff = std::make_shared<const TraceDiff>(
        diffTraces(a.file->dataset, *a.trace, b.file->dataset, *b.trace));
    if (parsed.has("--json"))
        printJson(a, b, *diff);
    else
        printDiff(a, b, *diff);
    if (!image->path.isEmpty()) {
        std::cout.flush();
        if (const std::string error = writeDiffImage(a, b, diff, *image); !error.empty()) {
            std::cerr << "spanwise diff: " << cli::terminalSafe(error) << '\n';
            return cli::LoadFailed;
        }
    }
    return complete ? cli::Success : cli::LoadFailed;
}

} // namespace spanwise
