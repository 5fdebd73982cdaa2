#pragma once
// Loops and tasks spread over a few threads, the calling one included. model/ has no Qt: plain
// std::jthread, started per call (tens of microseconds), so callers hand out work in pieces of
// at least a few thousand items.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>

namespace spanwise {

// Runs task(i, onCaller) for every i in [0, tasks) on up to `threads` threads, the calling one
// included. Each thread starts with a task of its own, then takes the next task left until none is;
// when the system gives no more threads, the calling one takes the tasks of those not started. When a task throws, or
// *stop becomes true, no further task starts; what a task threw is rethrown once all threads have stopped (and *stop,
// when given, is set so long-running tasks can stop early).
void runTasks(std::size_t threads, std::size_t tasks, const std::function<void(std::size_t task, bool onCaller)>& task,
              std::atomic<bool>* stop = nullptr);

// How many blocks parallelFor splits [0, n) into: one per thread, each of at least minBlock items.
inline std::size_t parallelBlocks(std::size_t threads, std::size_t n, std::size_t minBlock = 4096)
{
    const std::size_t most = n / (minBlock ? minBlock : 1);
    return std::max<std::size_t>(1, std::min(threads, most));
}

// Runs body(begin, end, block) over [0, n) cut into parallelBlocks(threads, n, minBlock) equal blocks,
// each on a thread of its own (when the system gives them). A single block runs inline.
template <typename Body>
void parallelFor(std::size_t threads, std::size_t n, Body&& body, std::size_t minBlock = 4096)
{
    const std::size_t blocks = parallelBlocks(threads, n, minBlock);
    if (blocks == 1) {
        body(std::size_t(0), n, std::size_t(0));
        return;
    }
    runTasks(blocks, blocks, [&](std::size_t b, bool) { body(n * b / blocks, n * (b + 1) / blocks, b); });
}

} // namespace spanwise
