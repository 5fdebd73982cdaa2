#pragma once
// Spans received live from running applications: each received payload, read by the importers into a
// dataset of its own, is kept and its spans grouped into traces by trace id across payloads (the spans
// of one trace arrive in many requests from many services). A trace counts as complete once no span of
// it arrived for a quiet period. Memory is bounded by a cap on spans kept: over it, the traces updated
// longest ago (complete ones first, as those are the oldest) are dropped whole, and counted. The cap
// counts every span held: a payload stays in memory while any of its traces is kept, so its spans
// count until the last of them goes (traces that keep receiving spans long after the others of
// their payloads were dropped hold those payloads).
// Thread-safe: payloads are added from the receivers' threads while a snapshot is taken.

#include "dataset_builder.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace spanwise {

using LiveClock = std::chrono::steady_clock;

struct LiveStoreOptions {
    std::uint64_t maxSpans = 1'000'000;
    LiveClock::duration quietPeriod = std::chrono::seconds(5);
    std::function<LiveClock::time_point()> now = LiveClock::now; // tests set the time
};

struct LiveCounts {
    std::uint64_t payloads = 0;      // payloads added
    std::uint64_t receivedSpans = 0; // spans in them
    std::uint64_t keptSpans = 0;     // in the traces kept
    std::uint64_t heldSpans = 0;     // in the payloads held in memory for them: at most the cap
    std::uint64_t keptTraces = 0;
    std::uint64_t completeTraces = 0; // of the kept ones
    std::uint64_t droppedTraces = 0;  // dropped to stay under the cap
    std::uint64_t droppedSpans = 0;
    std::optional<LiveClock::time_point> lastArrival; // of any span
};

struct LiveTrace {
    TraceId id;
    std::uint64_t spans = 0;
    LiveClock::time_point firstArrival;
    LiveClock::time_point lastArrival;
    bool complete = false;
};

class LiveStore {
public:
    explicit LiveStore(LiveStoreOptions options = {});

    // The spans of one payload, built without clock-skew adjustment (the snapshot adjusts, once the
    // trace's spans are together). A payload without spans changes nothing.
    void add(Dataset payload);

    // Forgets every span kept; the counts of what was received and dropped stay.
    void clear();

    LiveCounts counts() const;
    // The traces kept, the one updated longest ago first.
    std::vector<LiveTrace> traces() const;
    // Every span kept, built into one dataset; traces in the order their first span arrived.
    Dataset snapshot(const BuildOptions& options = {}) const;
    // The spans kept of one trace, built into a dataset of their own; empty when it is not kept.
    Dataset snapshotOf(const TraceId& id, const BuildOptions& options = {}) const;

private:
    struct Payload {
        Dataset data;
        std::uint32_t keptTraces = 0; // entries holding a part of it; changed under the lock
    };
    struct Part {
        std::shared_ptr<Payload> payload; // shared with snapshots being taken
        std::uint32_t trace = 0;          // index in payload->data.traces
    };
    struct Entry {
        std::vector<Part> parts;
        std::uint64_t spans = 0;
        std::uint64_t order = 0; // of first arrival
        LiveClock::time_point firstArrival;
        LiveClock::time_point lastArrival;
        std::list<TraceId>::iterator recency; // place in m_byRecency
    };

    void dropOverCap();
    bool isComplete(const Entry& entry, LiveClock::time_point now) const;

    LiveStoreOptions m_options;
    mutable std::mutex m_mutex;
    std::unordered_map<TraceId, Entry> m_traces;
    std::list<TraceId> m_byRecency; // updated longest ago first
    std::uint64_t m_nextOrder = 0;
    LiveCounts m_counts;
};

} // namespace spanwise
