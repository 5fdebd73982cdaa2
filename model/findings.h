#pragma once
// Automatic findings: patterns in a trace that usually explain why it was slow or failed.

#include "critical_path.h"

#include <string>

namespace spanwise {

enum class FindingKind : std::uint8_t {
    NPlusOne, // one parent making the same call again and again, one after another
    FanOut,   // one parent making the same call many times in parallel
    Error,    // failing spans: where the failure started and how far up it propagated
    Gap,      // a parent working on its own on the critical path, not explained by any child
};

// "n-plus-one", "fan-out", "error", "gap".
const char* toString(FindingKind kind);

struct Finding {
    FindingKind kind = FindingKind::Error;
    std::string message;              // one line
    std::vector<std::uint32_t> spans; // indices in Dataset::spans, in depth-first order
    TimeNs nanos = 0;                 // time at stake
};

struct FindingOptions {
    std::uint32_t minRepeatedCalls = 5;
    // Calls overlapping by at most this share of their summed durations run "in sequence".
    double maxSequentialOverlap = 0.1;
    // A parent's own time on the critical path is a gap when it reaches both limits.
    double minGapShare = 0.1; // of the critical path
    TimeNs minGapNanos = 1'000'000;
};

// Findings of one trace, the most time at stake first. `criticalPath` is criticalPath(data, trace).
std::vector<Finding> findFindings(const Dataset& data, const Trace& trace,
                                  std::span<const CriticalSegment> criticalPath, const FindingOptions& options = {});

} // namespace spanwise
