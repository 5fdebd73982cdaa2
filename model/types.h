#pragma once
// Basic value types of the span model. Times are integer nanoseconds since the Unix epoch.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace spanwise {

using TimeNs = std::int64_t;
using SpanId = std::uint64_t;
using StringId = std::uint32_t; // index into StringPool; 0 is the empty string

inline constexpr std::uint32_t kNoIndex = std::numeric_limits<std::uint32_t>::max();

struct TraceId {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    friend constexpr bool operator==(const TraceId&, const TraceId&) = default;
    friend constexpr bool operator<(const TraceId& a, const TraceId& b)
    {
        return a.high != b.high ? a.high < b.high : a.low < b.low;
    }
    constexpr bool isZero() const { return high == 0 && low == 0; }
};

enum class SpanKind : std::uint8_t { Unspecified, Internal, Server, Client, Producer, Consumer };
enum class StatusCode : std::uint8_t { Unset, Ok, Error };

// Facts about a span found while building the tree, for the views to show.
enum SpanMark : std::uint16_t {
    MarkOrphan = 1 << 0,         // its parent id is not in the trace: shown as an extra root
    MarkDuplicateId = 1 << 1,    // another span of the trace has the same id (and shared flag)
    MarkCycleBroken = 1 << 2,    // its parent link closed a cycle and was cut
    MarkShared = 1 << 3,         // Zipkin server half reusing the client's span id
    MarkFollowsFrom = 1 << 4,    // its parent is a FOLLOWS_FROM reference (asynchronous)
    MarkOutlivesParent = 1 << 5, // ends after its parent ends
    MarkSkewAdjusted = 1 << 6,   // times moved by clock-skew adjustment (see Span::skewDelta)
    MarkInvalidTime = 1 << 7,    // end before start or time out of range: drawn as zero length
    MarkInProgress = 1 << 8,     // no end time in the file (still running when exported)
    MarkMerged = 1 << 9,         // assembled from several fragments reporting the same span
    MarkInferred = 1 << 10,      // not reported by the service itself but inferred by the backend
    MarkNoTiming = 1 << 11,      // no start time in the file: placed at its parent's start (a root at the
                                 // trace start), zero length unless the file gives a duration
};

// Sums of many durations stop at the largest time instead of wrapping around.
inline TimeNs saturatingAdd(TimeNs a, TimeNs b)
{
    TimeNs sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<TimeNs>::max() : std::numeric_limits<TimeNs>::min();
    return sum;
}

const char* toString(SpanKind kind);
const char* toString(StatusCode code);

// Lower-case hex: 32 characters for trace ids, 16 for span ids.
std::string toHex(const TraceId& id);
std::string toHex(SpanId id);

// "1.23 ms", "850 µs", "2.5 s": three significant digits.
std::string formatDuration(TimeNs ns);
// "250ms", "1.5 s", "80 µs", "80us", "300ns", or a bare number of milliseconds; nullopt otherwise.
std::optional<TimeNs> parseDuration(std::string_view text);

} // namespace spanwise

template <>
struct std::hash<spanwise::TraceId> {
    std::size_t operator()(const spanwise::TraceId& id) const noexcept
    {
        return std::hash<std::uint64_t>{}(id.low * 0x9E3779B97F4A7C15ull ^ id.high);
    }
};
