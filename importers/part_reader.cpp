#include "part_reader.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace spanwise {

namespace {

struct PartSlot {
    DatasetBuilder builder;
    ImportReport report;
    std::atomic<bool> read{false};
};

class PartRun {
public:
    PartRun(std::span<const InputPart> parts, DatasetBuilder& builder, ImportReport& report, const ReadPart& readPart)
        : m_parts(parts), m_builder(builder), m_report(report), m_readPart(readPart),
          m_slots(std::make_unique<PartSlot[]>(parts.size()))
    {
    }

    // Reads parts until none is left or the run stops.
    void work()
    {
        try {
            for (std::size_t i; !m_stop && (i = m_next++) < m_parts.size();) {
                readOne(i);
                appendReady();
            }
        } catch (...) {
            std::lock_guard lock(m_progressMutex);
            if (!m_failure)
                m_failure = std::current_exception();
            m_stop = true;
        }
    }

    // After every thread stopped: appends what is left in order and rethrows what stopped the run.
    void finish()
    {
        {
            std::lock_guard lock(m_appendMutex);
            appendInOrder();
        }
        if (m_failure)
            std::rethrow_exception(m_failure);
        if (m_stop)
            throw ImportCancelled();
    }

private:
    void readOne(std::size_t index)
    {
        PartSlot& slot = m_slots[index];
        const InputPart part = m_parts[index];
        std::uint64_t reached = part.begin;
        slot.report.onProgress = [&](std::uint64_t offset) {
            offset = std::clamp(offset, reached, part.end);
            const bool go = progress(reached, offset);
            reached = offset;
            return go;
        };
        m_readPart(index, slot.builder, slot.report);
        slot.report.onProgress = nullptr;
        if (!progress(reached, part.end))
            throw ImportCancelled();
        slot.read.store(true, std::memory_order_release);
    }

    bool progress(std::uint64_t begin, std::uint64_t end)
    {
        std::lock_guard lock(m_progressMutex);
        m_done += end - begin;
        if (!m_stop && m_report.onPartProgress && !m_report.onPartProgress(begin, end, m_done))
            m_stop = true;
        return !m_stop;
    }

    // One thread appends at a time; one that finds another appending goes on reading. A part read
    // while the other was finishing up is appended by that one's next look.
    void appendReady()
    {
        while (frontierRead()) {
            std::unique_lock lock(m_appendMutex, std::try_to_lock);
            if (!lock)
                return;
            appendInOrder();
        }
    }

    bool frontierRead() const
    {
        const std::size_t f = m_frontier.load(std::memory_order_acquire);
        return f < m_parts.size() && m_slots[f].read.load(std::memory_order_acquire);
    }

    void appendInOrder()
    {
        while (frontierRead()) {
            const std::size_t f = m_frontier.load(std::memory_order_relaxed);
            m_builder.append(std::move(m_slots[f].builder));
            m_report.append(std::move(m_slots[f].report));
            m_slots[f].report = ImportReport();
            m_frontier.store(f + 1, std::memory_order_release);
        }
    }

    std::span<const InputPart> m_parts;
    DatasetBuilder& m_builder;
    ImportReport& m_report;
    const ReadPart& m_readPart;
    std::unique_ptr<PartSlot[]> m_slots; // a slot stays where it is: other threads look at it
    std::atomic<std::size_t> m_next{0};
    std::atomic<std::size_t> m_frontier{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_appendMutex;
    std::mutex m_progressMutex;
    std::uint64_t m_done = 0;
    std::exception_ptr m_failure;
};

} // namespace

void readInParts(const Input& input, std::span<const InputPart> parts, DatasetBuilder& builder, ImportReport& report,
                 const ReadPart& readPart)
{
    PartRun run(parts, builder, report, readPart);
    std::vector<std::jthread> helpers;
    const std::size_t wanted = std::min<std::size_t>(std::max(input.threads, 1u), parts.size());
    try {
        for (std::size_t i = 1; i < wanted; ++i)
            helpers.emplace_back([&run] { run.work(); });
    } catch (const std::system_error&) { // no more threads: those started and this one do the work
    }
    run.work();
    helpers.clear(); // joins
    run.finish();
}

std::vector<InputPart> cutIntoParts(std::uint64_t begin, std::uint64_t end, std::uint64_t partBytes,
                                    const std::function<std::uint64_t(std::uint64_t offset)>& nextBoundary)
{
    std::vector<InputPart> parts;
    while (begin < end) {
        const std::uint64_t cut = end - begin <= partBytes ? end : std::min(end, nextBoundary(begin + partBytes));
        parts.push_back({begin, cut});
        begin = cut;
    }
    return parts;
}

} // namespace spanwise
