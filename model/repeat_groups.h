#pragma once
// Repeated calls: runs of consecutive sibling spans (in start order under one parent) naming the
// same operation, as an N+1 loop or a fan-out makes them. The waterfall folds a run into one row.

#include "dataset.h"

#include <span>
#include <string>
#include <vector>

namespace spanwise {

// How sibling calls spread over time (they come in start order).
struct CallTiming {
    TimeNs summed = 0;  // durations added up
    TimeNs wall = 0;    // length of the union of their intervals
    TimeNs overlap = 0; // time a call ran while an earlier one was still running
};
CallTiming callTiming(const Dataset& data, std::span<const std::uint32_t> calls);
// Calls overlapping by at most `maxOverlap` of their summed durations ran one after another.
bool ranInSequence(const CallTiming& timing, double maxOverlap);

struct RepeatGroup {
    std::uint32_t first = kNoIndex;  // the first member; members are siblings following it
    std::uint32_t last = kNoIndex;   // the last member (its subtree ends the group's spans)
    std::uint32_t parent = kNoIndex; // the members' parent
    std::uint32_t count = 0;
    TimeNs start = 0; // start of the first member
    TimeNs end = 0;   // the latest end of a member (the last one's, when they ran in sequence)
    TimeNs minDuration = 0;
    TimeNs medianDuration = 0; // the lower middle one for an even count
    TimeNs maxDuration = 0;
    std::uint32_t errors = 0; // members that failed
    bool concurrent = false;  // the calls overlapped (a fan-out) rather than ran in sequence
    std::string label;        // "service: operation" (OperationKey::label of the first member)
};

struct RepeatGroupOptions {
    std::uint32_t minCount = 5;
    double maxSequentialOverlap = 0.1; // see ranInSequence
    unsigned threads = 1;              // subtrees big enough are read on threads of their own
};

// The groups of one trace, ordered by their first member. Spans are "the same operation" when
// operationKeyOf matches them. Top-level spans (no parent) are never grouped. Linear in the spans
// (plus sorting each group's durations for the median); no recursion. The same groups on any
// number of threads.
std::vector<RepeatGroup> findRepeatGroups(const Dataset& data, const Trace& trace,
                                          const RepeatGroupOptions& options = {});

} // namespace spanwise
