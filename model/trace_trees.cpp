#include "trace_trees.h"

#include "parallel_for.h"
#include "tree_builder.h"

#include <algorithm>
#include <atomic>

namespace spanwise {

namespace {

// Fewer spans per thread build in well under a millisecond: not worth starting a thread for.
constexpr std::size_t kMinSpansPerThread = 4096;
// Work is handed out in chunks, several per thread, so a thread done early takes more.
constexpr std::size_t kChunksPerThread = 8;

// Splitting a trace costs more work in all than building it whole, so only a trace that would hold
// up the end is split: one bigger than a thread's share of all spans.
bool builtByAllThreads(const Trace& trace, std::size_t threads, std::size_t spanCount)
{
    return threads > 1 && trace.count >= kTraceSpansForAllThreads && trace.count * threads > spanCount;
}

struct Chunk {
    std::uint32_t firstTrace = 0;
    std::uint32_t endTrace = 0;
    std::uint64_t spans = 0;
};

// Consecutive traces of about `target` spans together (a bigger trace is a chunk of its own),
// largest first: a big trace starts at once instead of holding up the end. Traces built by all
// threads are left out.
std::vector<Chunk> chunksOf(const std::vector<Trace>& traces, std::uint64_t target, std::size_t threads,
                            std::size_t spanCount)
{
    std::vector<Chunk> chunks;
    Chunk open;
    for (std::uint32_t t = 0; t < traces.size(); ++t) {
        if (builtByAllThreads(traces[t], threads, spanCount)) {
            if (open.endTrace > open.firstTrace)
                chunks.push_back(open);
            open = {t + 1, t + 1, 0};
            continue;
        }
        open.endTrace = t + 1;
        open.spans += traces[t].count;
        if (open.spans >= target) {
            chunks.push_back(open);
            open = {t + 1, t + 1, 0};
        }
    }
    if (open.endTrace > open.firstTrace)
        chunks.push_back(open);
    std::stable_sort(chunks.begin(), chunks.end(), [](const Chunk& a, const Chunk& b) { return a.spans > b.spans; });
    return chunks;
}

} // namespace

void buildTraceTrees(Dataset& data, const BuildOptions& options)
{
    const std::size_t allThreads = std::max(1u, options.threads);
    std::size_t smallSpans = 0, smallTraces = 0;
    for (Trace& trace : data.traces) {
        if (builtByAllThreads(trace, allThreads, data.spans.size())) {
            throwIfCancelled(options);
            buildTraceTree(data, trace, options, allThreads);
        } else {
            smallSpans += trace.count;
            ++smallTraces;
        }
    }
    std::size_t threads = std::min<std::size_t>({allThreads, smallTraces, smallSpans / kMinSpansPerThread});
    if (threads <= 1) {
        for (Trace& trace : data.traces) {
            if (!builtByAllThreads(trace, allThreads, data.spans.size())) {
                throwIfCancelled(options);
                buildTraceTree(data, trace, options);
            }
        }
        return;
    }
    const std::vector<Chunk> chunks = chunksOf(data.traces, smallSpans / (threads * kChunksPerThread) + 1, allThreads,
                                               data.spans.size());
    threads = std::min(threads, chunks.size());

    std::atomic<bool> stop{false};
    // The callback may not be safe to call from other threads: the caller asks it, helpers follow.
    BuildOptions callerOptions = options;
    callerOptions.cancelled = [&] {
        if (!stop && options.cancelled && options.cancelled())
            stop = true;
        return stop.load();
    };
    BuildOptions helperOptions = options;
    helperOptions.cancelled = [&stop] { return stop.load(); };

    throwIfCancelled(callerOptions);
    runTasks(
        threads, chunks.size(),
        [&](std::size_t c, bool onCaller) {
        const BuildOptions& own = onCaller ? callerOptions : helperOptions;
        for (std::uint32_t t = chunks[c].firstTrace; t < chunks[c].endTrace; ++t) {
            throwIfCancelled(own);
            buildTraceTree(data, data.traces[t], own);
        }
        },
        &stop);
    throwIfCancelled(callerOptions); // asked for while the caller waited for the helpers
}

} // namespace spanwise
