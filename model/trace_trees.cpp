#include "trace_trees.h"

#include "tree_builder.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace spanwise {

namespace {

// Fewer spans per thread build in well under a millisecond: not worth starting a thread for.
constexpr std::size_t kMinSpansPerThread = 4096;
// Work is handed out in chunks, several per thread, so a thread done early takes more.
constexpr std::size_t kChunksPerThread = 8;

struct Chunk {
    std::uint32_t firstTrace = 0;
    std::uint32_t endTrace = 0;
    std::uint64_t spans = 0;
};

// Consecutive traces of about `target` spans together (a bigger trace is a chunk of its own),
// largest first: a huge trace starts at once instead of holding up the end.
std::vector<Chunk> chunksOf(const std::vector<Trace>& traces, std::uint64_t target)
{
    std::vector<Chunk> chunks;
    Chunk open;
    for (std::uint32_t t = 0; t < traces.size(); ++t) {
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

void buildSerially(Dataset& data, const BuildOptions& options)
{
    for (Trace& trace : data.traces) {
        throwIfCancelled(options);
        buildTraceTree(data, trace, options);
    }
}

} // namespace

void buildTraceTrees(Dataset& data, const BuildOptions& options)
{
    const std::size_t spanCount = data.spans.size();
    std::size_t threads = std::min<std::size_t>({options.threads, data.traces.size(), spanCount / kMinSpansPerThread});
    if (threads <= 1)
        return buildSerially(data, options);
    const std::vector<Chunk> chunks = chunksOf(data.traces, spanCount / (threads * kChunksPerThread) + 1);
    threads = std::min(threads, chunks.size());

    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    // The callback may not be safe to call from other threads: the caller asks it, helpers follow.
    BuildOptions callerOptions = options;
    callerOptions.cancelled = [&] {
        if (!stop && options.cancelled && options.cancelled())
            stop = true;
        return stop.load();
    };
    BuildOptions helperOptions = options;
    helperOptions.cancelled = [&stop] { return stop.load(); };

    // Each thread starts with chunks of its own, so every thread gets work even when the others
    // start late, then takes the next chunk left until none is.
    std::atomic<std::size_t> nextChunk{threads};
    auto work = [&](const BuildOptions& own, std::size_t ownFirst, std::size_t ownEnd) {
        auto build = [&](std::size_t c) {
            for (std::uint32_t t = chunks[c].firstTrace; t < chunks[c].endTrace; ++t) {
                throwIfCancelled(own);
                buildTraceTree(data, data.traces[t], own);
            }
        };
        try {
            for (std::size_t c = ownFirst; c < ownEnd; ++c)
                build(c);
            for (std::size_t c = nextChunk++; c < chunks.size(); c = nextChunk++)
                build(c);
        } catch (...) {
            const std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
    };
    throwIfCancelled(callerOptions);
    {
        std::vector<std::jthread> helpers;
        helpers.reserve(threads - 1);
        try {
            for (std::size_t i = 0; i + 1 < threads; ++i)
                helpers.emplace_back(work, std::cref(helperOptions), i, i + 1);
        } catch (const std::system_error&) {
            // The system has no more threads to give: the caller takes the chunks of those not started.
        }
        work(callerOptions, helpers.size(), threads);
    } // joins the helpers
    if (failure)
        std::rethrow_exception(failure);
    throwIfCancelled(callerOptions); // asked for while the caller waited for the helpers
}

} // namespace spanwise
