#include "parallel_for.h"

#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace spanwise {

void runTasks(std::size_t threads, std::size_t tasks, const std::function<void(std::size_t task, bool onCaller)>& task,
              std::atomic<bool>* stop)
{
    threads = std::min(std::max<std::size_t>(threads, 1), tasks); // 0 threads, as when the cores are not known: one
    if (threads == 0)
        return;
    std::atomic<bool> ownStop{false};
    std::atomic<bool>& stopping = stop ? *stop : ownStop;
    std::exception_ptr failure;
    std::mutex failureMutex;
    std::atomic<std::size_t> next{threads};
    auto work = [&](std::size_t first, std::size_t end, bool onCaller) {
        try {
            for (std::size_t t = first; t < end && !stopping; ++t)
                task(t, onCaller);
            for (std::size_t t = next++; t < tasks && !stopping; t = next++)
                task(t, onCaller);
        } catch (...) {
            const std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            stopping = true;
        }
    };
    {
        std::vector<std::jthread> helpers;
        helpers.reserve(threads - 1);
        try {
            for (std::size_t i = 0; i + 1 < threads; ++i)
                helpers.emplace_back(work, i, i + 1, false);
        } catch (const std::system_error&) {
            // The system has no more threads to give: the caller takes the tasks of those not started.
        }
        work(helpers.size(), threads, true);
    } // joins the helpers
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace spanwise
