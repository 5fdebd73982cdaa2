#include "folded_command.h"

#include "command_line.h"
#include "trace_choice.h"

#include <critical_path.h>
#include <folded_stacks.h>
#include <loader.h>

#include <cstdio>
#include <iostream>

namespace spanwise {

namespace {

const char* const kUsage =
    "usage: spanwise folded FILE [--trace ID] [--weight self|total]\n"
    "  Prints the trace's merged call paths as folded stacks, `frame;frame;frame value` per line with\n"
    "  frames `service: operation` from the root down and values in nanoseconds, for flamegraph.pl,\n"
    "  speedscope or inferno.\n"
    "  --trace ID           the trace: its id, leading zeros optional, or a unique prefix of 8 digits or\n"
    "                       more (default: every trace of the file, their paths added together)\n"
    "  --weight self|total  self: each path's self time, so a frame is as wide as the time its subtree\n"
    "                       worked (default); total: a frame is as wide as its spans' durations (its\n"
    "                       children's, when they run in parallel and last longer together)\n";

int usageError(const std::string& message)
{
    return cli::usageError("folded", message, kUsage);
}

int failure(const std::string& message)
{
    return cli::failure("folded", message);
}

} // namespace

int runFoldedCommand(const std::vector<std::string>& args)
{
    const cli::Arguments parsed = cli::parseArguments(args, {"--help", "-h"}, {"--trace", "--weight"});
    if (parsed.has("--help") || parsed.has("-h")) {
        std::cout << kUsage;
        return cli::Success;
    }
    if (!parsed.unknown.empty())
        return usageError("unknown option " + cli::terminalSafe(parsed.unknown));
    if (!parsed.missingValue.empty())
        return usageError(parsed.missingValue + " needs a value");
    if (parsed.positional.size() != 1)
        return usageError(parsed.positional.empty() ? "no file given" : "one trace file at a time");
    FoldedWeight weight = FoldedWeight::Self;
    if (const auto text = parsed.value("--weight")) {
        if (*text == "total")
            weight = FoldedWeight::Total;
        else if (*text != "self")
            return usageError("--weight takes self or total, not " + cli::terminalSafe(*text));
    }

    const std::string& path = parsed.positional.front();
    const LoadResult loaded = loadFile(path);
    if (!loaded.complete())
        std::cerr << cli::terminalSafe(loaded.errorText(), true);
    const Dataset& data = loaded.dataset;
    if (data.traces.empty())
        return failure(cli::terminalSafe(path) + ": no trace could be read");
    std::uint32_t first = 0;
    std::uint32_t end = static_cast<std::uint32_t>(data.traces.size());
    if (const auto id = parsed.value("--trace")) {
        std::string problem;
        const auto found = cli::findTrace(data, *id, problem);
        if (!found)
            return failure(cli::terminalSafe(path) + ": " + problem);
        first = *found;
        end = first + 1;
    }

    FoldedStacks stacks;
    for (std::uint32_t t = first; t < end; ++t) {
        const Trace& trace = data.traces[t];
        // Critical times are not part of the format: the tree is built without them.
        stacks.add(buildCallTree(data, trace, trace.first, trace.end_index()), weight);
    }
    if (!stacks.write(stdout))
        return failure("could not write the output");
    if (!loaded.complete()) {
        std::cerr << "spanwise folded: " << cli::terminalSafe(path)
                  << " was not read completely; the stacks hold what could be read\n";
        return cli::LoadFailed;
    }
    return cli::Success;
}

} // namespace spanwise
