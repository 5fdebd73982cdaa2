#include "part_reader.h"

#include <parallel_for.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

namespace spanwise {

namespace {

struct PartSlot {
    std::unique_ptr<DatasetBuilder> builder; // from the run's spare builders
    ImportReport report;
    std::atomic<bool> read{false};
};

class PartRun {
public:
    PartRun(std::span<const InputPart> parts, DatasetBuilder& builder, ImportReport& report, const ReadPart& readPart,
            const PartAppended& partAppended)
        : m_parts(parts), m_builder(builder), m_report(report), m_readPart(readPart), m_partAppended(partAppended),
          m_slots(std::make_unique<PartSlot[]>(parts.size()))
    {
    }

    // Reads every part on up to `threads` threads and appends them in order.
    void run(unsigned threads)
    {
        runTasks(
            std::min<std::size_t>(std::max(threads, 1u), m_parts.size()), m_parts.size(),
            [this](std::size_t index, bool) {
            readOne(index);
            appendReady();
            },
            &m_stop);
        std::lock_guard lock(m_appendMutex);
        appendInOrder();
        if (m_stop)
            throw ImportCancelled();
    }

private:
    void readOne(std::size_t index)
    {
        PartSlot& slot = m_slots[index];
        slot.builder = spareBuilder();
        const InputPart part = m_parts[index];
        std::uint64_t reached = part.begin;
        slot.report.onProgress = [&](std::uint64_t offset) {
            offset = std::clamp(offset, reached, part.end);
            const bool go = progress(reached, offset);
            reached = offset;
            return go;
        };
        m_readPart(index, *slot.builder, slot.report);
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

    // An emptied builder of a part already appended, or a new one: reading into memory already
    // touched spares the kernel a page fault per fresh page.
    std::unique_ptr<DatasetBuilder> spareBuilder()
    {
        std::lock_guard lock(m_spareMutex);
        if (m_spare.empty())
            return std::make_unique<DatasetBuilder>();
        std::unique_ptr<DatasetBuilder> builder = std::move(m_spare.back());
        m_spare.pop_back();
        return builder;
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
            const AppendedPart appended = m_builder.append(*m_slots[f].builder);
            if (m_partAppended)
                m_partAppended(f, appended);
            m_report.append(std::move(m_slots[f].report));
            m_slots[f].report = ImportReport();
            std::lock_guard spare(m_spareMutex);
            m_spare.push_back(std::move(m_slots[f].builder));
            m_frontier.store(f + 1, std::memory_order_release);
        }
    }

    std::span<const InputPart> m_parts;
    DatasetBuilder& m_builder;
    ImportReport& m_report;
    const ReadPart& m_readPart;
    const PartAppended& m_partAppended;
    std::unique_ptr<PartSlot[]> m_slots; // a slot stays where it is: other threads look at it
    std::atomic<std::size_t> m_frontier{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_appendMutex;
    std::mutex m_spareMutex;
    std::vector<std::unique_ptr<DatasetBuilder>> m_spare;
    std::mutex m_progressMutex;
    std::uint64_t m_done = 0;
};

} // namespace

void readInParts(const Input& input, std::span<const InputPart> parts, DatasetBuilder& builder, ImportReport& report,
                 const ReadPart& readPart, const PartAppended& partAppended)
{
    PartRun(parts, builder, report, readPart, partAppended).run(input.threads);
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
