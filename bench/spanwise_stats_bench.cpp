// Statistics-across-traces benchmark: loads files into one set of traces, then measures
// computeStatistics per grouping, and `spanwise stats` run as a user runs it (loading included), next
// to the load of the same run as a baseline. Prints one JSON line (times in ms, the best of --runs):
//
//   traces, spans, files       the set measured
//   load_ms, load_cpu_ms       loadTraceSet (folders searched, files read in parallel) in this process:
//                              the baseline
//   stats_GROUPING_ms, _cpu_ms computeStatistics over every trace, for root, service and operation
//   stats_GROUPING_groups      the groups it found
//   cli_ms, cli_cpu_ms         `spanwise stats PATH...` (root grouping, table to /dev/null), wall-clock
//                              and the child's CPU time
//   cli_vs_load                cli_ms / load_ms
#include <set_loader.h>
#include <spawn.h>
#include <trace_statistics.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace {

using namespace spanwise;

struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

double cpuMillis()
{
    timespec time{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
    return static_cast<double>(time.tv_sec) * 1e3 + static_cast<double>(time.tv_nsec) * 1e-6;
}

template <typename F>
Timing timed(F&& work)
{
    const double cpu = cpuMillis();
    const auto start = std::chrono::steady_clock::now();
    work();
    return {std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
            cpuMillis() - cpu};
}

Timing best(const std::vector<Timing>& runs)
{
    return *std::min_element(runs.begin(), runs.end(),
                             [](const Timing& a, const Timing& b) { return a.wallMs < b.wallMs; });
}

double childCpuMillis()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + t.tv_usec * 1e-3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// The program run with its output to /dev/null; its wall-clock and CPU time, nullopt when it failed.
std::optional<Timing> runProgram(const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const double cpu = childCpuMillis();
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (spawned != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::nullopt;
    return Timing{std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
                  childCpuMillis() - cpu};
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 3;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else
            paths.emplace_back(argv[i]);
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: spanwise_stats_bench [--runs N] FILE|DIR...\n");
        return 2;
    }
    const std::string spanwise = (std::filesystem::path(argv[0]).parent_path() / "spanwise").string();

    std::vector<Timing> loads;
    TraceSet set;
    for (int r = 0; r < runs; ++r) {
        set = {}; // the last run's set is freed untimed
        loads.push_back(timed([&] { set = loadTraceSet(paths); }));
    }
    if (set.failedFileCount() != 0) {
        for (const TraceSetFile& file : set.files) {
            if (!file.skipped && !file.error.empty())
                std::fprintf(stderr, "%s\n", file.error.c_str());
        }
        return 1;
    }
    const Timing load = best(loads);
    std::string out = "{\"files\": " + std::to_string(set.files.size()) +
                      ", \"traces\": " + std::to_string(set.traces.size()) +
                      ", \"spans\": " + std::to_string(set.spanCount()) + ", \"load_ms\": " + number(load.wallMs) +
                      ", \"load_cpu_ms\": " + number(load.cpuMs);

    const std::pair<const char*, StatisticsGrouping> groupings[] = {{"root", StatisticsGrouping::Root},
                                                                    {"service", StatisticsGrouping::Service},
                                                                    {"operation", StatisticsGrouping::Operation}};
    for (const auto& [name, grouping] : groupings) {
        std::vector<Timing> times;
        std::size_t groups = 0;
        for (int r = 0; r < runs; ++r) {
            TraceStatistics stats;
            times.push_back(timed([&] { stats = computeStatistics(set, set.traces, grouping); }));
            groups = stats.groups.size();
        }
        const Timing t = best(times);
        out += ", \"stats_" + std::string(name) + "_ms\": " + number(t.wallMs) + ", \"stats_" + name +
               "_cpu_ms\": " + number(t.cpuMs) + ", \"stats_" + name + "_groups\": " + std::to_string(groups);
    }
    set = {};

    std::vector<std::string> command{spanwise, "stats"};
    command.insert(command.end(), paths.begin(), paths.end());
    std::vector<Timing> cliRuns;
    for (int r = 0; r < runs; ++r) {
        const std::optional<Timing> t = runProgram(command);
        if (!t) {
            std::fprintf(stderr, "spanwise_stats_bench: %s stats failed\n", spanwise.c_str());
            return 1;
        }
        cliRuns.push_back(*t);
    }
    const Timing cli = best(cliRuns);
    out += ", \"cli_ms\": " + number(cli.wallMs) + ", \"cli_cpu_ms\": " + number(cli.cpuMs) +
           ", \"cli_vs_load\": " + number(cli.wallMs / load.wallMs) + "}";
    std::printf("%s\n", out.c_str());
    return 0;
}
