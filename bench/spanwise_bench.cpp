// One load measurement per invocation, printed as one JSON line for bench/run-bench:
//
//   spanwise_bench load [--threads N] FILE
//                                       spanwise::loadFile: the whole pipeline, builder finish() included,
//                                       finish() on N threads (default: BuildOptions' default, every core)
//   spanwise_bench simdjson FILE        simdjson DOM parse of the file: the baseline of JSON formats
//   spanwise_bench simdjson-lines FILE  the same, every line parsed as one document (JSON lines)
//   spanwise_bench protobuf FILE        protobuf's generated otlp::TracesData::ParseFromArray: the OTLP
//                                       protobuf baseline
//   spanwise_bench versions             library versions and the simdjson kernels in use
//
// Each run is a fresh process that reads the file once before timing (page cache warm). Ours is
// timed once. Baselines time reading the file into memory, a parse with a fresh parser and a
// second parse with the same parser, so "file to DOM" and simdjson's steady-state parse speed
// can both be compared.

#include "otlp_trace.pb.h"
#include "peak_rss.h"

#include <loader.h>

#include <google/protobuf/stubs/common.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#ifndef SPANWISE_BUILD_TYPE
#define SPANWISE_BUILD_TYPE "unknown"
#endif

namespace spanwise {

namespace {

using Clock = std::chrono::steady_clock;

// Wall-clock time, and the CPU time of the process (user and system, page faults included): when
// the CPU time is much lower, other work on the machine took the CPU away.
struct Timing {
    double wall = 0;
    double cpu = 0;
    Timing operator+(const Timing& other) const { return {wall + other.wall, cpu + other.cpu}; }
};

double processCpuSeconds()
{
    timespec time{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_nsec) * 1e-9;
}

template <typename Work>
Timing timed(Work&& work)
{
    const double cpuStart = processCpuSeconds();
    const auto start = Clock::now();
    work();
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    return {wall, processCpuSeconds() - cpuStart};
}

// Builds the one JSON object line the driver reads.
class JsonLine {
public:
    JsonLine& text(std::string_view key, std::string_view value)
    {
        begin(key);
        m_line += '"';
        for (const char c : value) {
            if (c == '"' || c == '\\')
                m_line += '\\';
            m_line += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
        }
        m_line += '"';
        return *this;
    }
    JsonLine& count(std::string_view key, std::uint64_t value)
    {
        begin(key);
        m_line += std::to_string(value);
        return *this;
    }
    JsonLine& seconds(std::string_view key, double value)
    {
        begin(key);
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.6f", value);
        m_line += buffer;
        return *this;
    }
    JsonLine& flag(std::string_view key, bool value)
    {
        begin(key);
        m_line += value ? "true" : "false";
        return *this;
    }
    void print() const { std::printf("%s}\n", m_line.c_str()); }

private:
    void begin(std::string_view key)
    {
        m_line += m_line.empty() ? "{\"" : ",\"";
        m_line += key;
        m_line += "\":";
    }

    std::string m_line;
};

// Reads the file through a small buffer: its pages land in the page cache without raising the peak RSS.
void warmPageCache(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chunk(1 << 20);
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    }
}

int fail(JsonLine& line, std::string_view error)
{
    line.flag("ok", false).text("error", error).print();
    return 1;
}

std::string_view firstLine(std::string_view text)
{
    return text.substr(0, text.find('\n'));
}

// What the command line asked for besides the mode and the file.
struct BenchOptions {
    std::optional<unsigned> threads; // of DatasetBuilder::finish()
};

int measureLoad(const std::string& path, const BenchOptions& bench, JsonLine& line)
{
    LoadOptions options;
    if (bench.threads)
        options.build.threads = *bench.threads;
    // finish() reports the whole input read before it starts building (its first cancellation check):
    // from then on the time is the builder's.
    std::optional<Clock::time_point> buildStart;
    double buildCpuStart = 0;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        if (done == total && !buildStart) {
            buildStart = Clock::now();
            buildCpuStart = processCpuSeconds();
        }
        return true;
    };
    LoadResult result;
    const Timing time = timed([&] { result = loadFile(path, options); });
    const double buildSeconds = buildStart ? std::chrono::duration<double>(Clock::now() - *buildStart).count() : 0;
    const double buildCpuSeconds = buildStart ? processCpuSeconds() - buildCpuStart : 0;

    const Dataset& d = result.dataset;
    const std::size_t modelBytes = d.memoryBytes();
    const std::size_t attributePayload = d.strings.memoryBytes() + d.attributes.size() * sizeof(Attribute);
    std::uint64_t errors = 0;
    for (const Diagnostic& diagnostic : result.report.diagnostics)
        errors += diagnostic.severity == Diagnostic::Severity::Error;

    line.seconds("seconds", time.wall)
        .seconds("cpu_seconds", time.cpu)
        .seconds("build_seconds", buildSeconds)
        .seconds("build_cpu_seconds", buildCpuSeconds)
        .count("threads", options.build.threads)
        .text("format", result.format)
        .count("spans", d.spans.size())
        .count("traces", d.traces.size())
        .count("model_bytes", modelBytes)
        .count("model_bytes_without_attributes", modelBytes - attributePayload)
        .count("skipped_spans", result.report.skippedSpans)
        .count("errors", errors)
        .count("peak_rss_bytes", peakRssBytes());
    if (result.format.empty() || d.spans.empty())
        return fail(line, errors ? firstLine(result.errorText()) : "no spans loaded");
    line.flag("complete", result.complete()).flag("ok", true).print();
    return 0;
}

// A baseline's times: reading the file into memory, parsing it with a fresh parser (first touch of
// all its memory included), and parsing it again with the same, now warm, parser.
struct BaselineTimes {
    Timing read;
    Timing cold;
    Timing warm;
};

void printBaseline(JsonLine& line, const BaselineTimes& times)
{
    const Timing fileToParsed = times.read + times.cold;
    line.seconds("seconds", fileToParsed.wall)
        .seconds("cpu_seconds", fileToParsed.cpu)
        .seconds("read_seconds", times.read.wall)
        .seconds("parse_seconds", times.cold.wall)
        .seconds("warm_parse_seconds", times.warm.wall)
        .seconds("warm_parse_cpu_seconds", times.warm.cpu)
        .count("peak_rss_bytes", peakRssBytes())
        .flag("ok", true)
        .print();
}

struct ParseOutcome {
    std::uint64_t documents = 0;
    std::string error;
};

ParseOutcome parseDocument(simdjson::dom::parser& parser, const simdjson::padded_string& text)
{
    simdjson::dom::element root;
    if (const auto error = parser.parse(text).get(root))
        return {0, simdjson::error_message(error)};
    return {1, {}};
}

// The rest of the file follows each line, so simdjson's padding is readable without a copy.
ParseOutcome parseEachLine(simdjson::dom::parser& parser, const simdjson::padded_string& text)
{
    ParseOutcome outcome;
    const char* const end = text.data() + text.size();
    for (const char* begin = text.data(); begin < end;) {
        const char* newline = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
        const char* lineEnd = newline ? newline : end;
        const std::string_view line(begin, lineEnd - begin);
        begin = lineEnd + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        simdjson::dom::element root;
        if (const auto error = parser.parse(line.data(), line.size(), false).get(root)) {
            outcome.error = "line " + std::to_string(outcome.documents + 1) + ": " + simdjson::error_message(error);
            return outcome;
        }
        ++outcome.documents;
    }
    return outcome;
}

int measureSimdjson(const std::string& path, bool jsonLines, JsonLine& line)
{
    simdjson::dom::parser parser;
    BaselineTimes times;
    simdjson::padded_string text;
    simdjson::error_code readError = simdjson::SUCCESS;
    times.read = timed([&] { readError = simdjson::padded_string::load(path).get(text); });
    if (readError)
        return fail(line, simdjson::error_message(readError));
    const auto parse = [&] { return jsonLines ? parseEachLine(parser, text) : parseDocument(parser, text); };
    ParseOutcome outcome;
    times.cold = timed([&] { outcome = parse(); });
    if (!outcome.error.empty())
        return fail(line, outcome.error);
    times.warm = timed([&] { outcome = parse(); });
    printBaseline(line.count("documents", outcome.documents), times);
    return 0;
}

// Uninitialised storage: zero-filling it first would add work the parsers being compared don't do.
bool readWholeFile(const std::string& path, std::unique_ptr<char[]>& bytes, std::size_t& size)
{
    std::error_code error;
    size = std::filesystem::file_size(path, error);
    if (error)
        return false;
    bytes = std::make_unique_for_overwrite<char[]>(size);
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file)
        return false;
    const bool complete = std::fread(bytes.get(), 1, size, file) == size;
    std::fclose(file);
    return complete;
}

std::uint64_t countSpans(const otlp::TracesData& data)
{
    std::uint64_t spans = 0;
    for (const auto& resourceSpans : data.resource_spans()) {
        for (const auto& scopeSpans : resourceSpans.scope_spans())
            spans += scopeSpans.spans_size();
    }
    return spans;
}

int measureProtobuf(const std::string& path, JsonLine& line)
{
    otlp::TracesData data;
    BaselineTimes times;
    std::unique_ptr<char[]> bytes;
    std::size_t size = 0;
    bool read = false;
    times.read = timed([&] { read = readWholeFile(path, bytes, size); });
    if (!read)
        return fail(line, "cannot read the file");
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return fail(line, "file larger than protobuf's 2 GiB message limit");
    // ParseFromArray clears the message first; cleared repeated elements stay allocated for reuse.
    const auto parse = [&] { return data.ParseFromArray(bytes.get(), static_cast<int>(size)); };
    bool parsed = false;
    times.cold = timed([&] { parsed = parse(); });
    if (!parsed)
        return fail(line, "protobuf rejected the file");
    times.warm = timed([&] { parsed = parse(); });
    printBaseline(line.count("spans", countSpans(data)), times);
    return 0;
}

void printVersions()
{
    const simdjson::implementation& kernel = *simdjson::get_active_implementation();
    const std::string simdjsonVersion = std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + '.' +
                                        std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + '.' +
                                        std::to_string(simdjson::SIMDJSON_VERSION_REVISION);
    JsonLine()
        .text("simdjson", simdjsonVersion)
        .text("simdjson_kernel", kernel.name() + " (" + kernel.description() + ")")
        // On-Demand, which the importers use, is compiled in for the best kernel the compiler flags
        // allow (this file is built with the same flags as the importers).
        .text("simdjson_ondemand_kernel", SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION))
        .text("protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION))
        .text("compiler", __VERSION__)
        .text("build_type", SPANWISE_BUILD_TYPE)
        .print();
}

int measureSimdjsonDocument(const std::string& path, const BenchOptions&, JsonLine& line)
{
    return measureSimdjson(path, false, line);
}

int measureSimdjsonLines(const std::string& path, const BenchOptions&, JsonLine& line)
{
    return measureSimdjson(path, true, line);
}

int measureProtobufMessage(const std::string& path, const BenchOptions&, JsonLine& line)
{
    return measureProtobuf(path, line);
}

struct Mode {
    std::string_view name;
    int (*measure)(const std::string& path, const BenchOptions& options, JsonLine& line);
};

constexpr Mode kModes[] = {
    {"load", measureLoad},
    {"simdjson", measureSimdjsonDocument},
    {"simdjson-lines", measureSimdjsonLines},
    {"protobuf", measureProtobufMessage},
};

int usage()
{
    std::fprintf(stderr, "usage: spanwise_bench load [--threads N] FILE\n"
                         "       spanwise_bench simdjson|simdjson-lines|protobuf FILE\n"
                         "       spanwise_bench versions\n");
    return 2;
}

// "N" as a thread count of at least 1.
std::optional<unsigned> parseThreads(std::string_view text)
{
    unsigned threads = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), threads);
    if (error != std::errc() || end != text.data() + text.size() || threads == 0)
        return std::nullopt;
    return threads;
}

int run(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.size() == 1 && args[0] == "versions") {
        printVersions();
        return 0;
    }
    BenchOptions options;
    if (args.size() == 4 && args[0] == "load" && args[1] == "--threads") {
        options.threads = parseThreads(args[2]);
        if (!options.threads)
            return usage();
        args.erase(args.begin() + 1, args.begin() + 3);
    }
    if (args.size() != 2)
        return usage();
    const auto mode = std::ranges::find(kModes, args[0], &Mode::name);
    if (mode == std::end(kModes))
        return usage();
    const std::string path(args[1]);
    JsonLine line;
    line.text("mode", args[0]);
    std::error_code error;
    const auto fileBytes = std::filesystem::file_size(path, error);
    if (error)
        return fail(line, path + ": " + error.message());
    line.count("file_bytes", fileBytes);
    warmPageCache(path);
    return mode->measure(path, options, line);
}

} // namespace

} // namespace spanwise

int main(int argc, char** argv)
{
    return spanwise::run(argc, argv);
}
