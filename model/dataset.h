#pragma once
// The span model: every trace of a loaded file, spans in flat arrays in depth-first order.

#include "attributes.h"
#include "string_pool.h"

#include <string>
#include <vector>

namespace spanwise {

// The process (Jaeger) or resource (OpenTelemetry) that emitted spans; shared by its spans.
struct Resource {
    StringId service = 0;
    StringId host = 0; // host.name / host.id / ip, else the service: used for clock skew
    Range attributes;
};

// OpenTelemetry instrumentation scope (library name and version).
struct Scope {
    StringId name = 0;
    StringId version = 0;
    Range attributes;
};

// A timed event on a span: Jaeger log, Zipkin annotation, OTLP event.
struct Event {
    TimeNs time = 0;
    StringId name = 0;
    Range attributes;
};

enum class LinkType : std::uint8_t { ChildOf, FollowsFrom, Link };

// A reference to another span, possibly in another trace.
struct Link {
    TraceId traceId;
    SpanId spanId = 0;
    LinkType type = LinkType::Link;
    StringId traceState = 0;
    Range attributes;
};

struct Span {
    TimeNs start = 0;     // after clock-skew adjustment
    TimeNs end = 0;       // never before start (see MarkInvalidTime)
    TimeNs skewDelta = 0; // adjusted start minus the start written in the file
    SpanId id = 0;
    SpanId parentId = 0;             // as written in the file; 0 for none
    std::uint32_t parent = kNoIndex; // index in Dataset::spans, kNoIndex for top-level spans
    std::uint32_t subtreeEnd = 0;    // one past the last descendant (depth-first order)
    std::uint32_t depth = 0;
    StringId service = 0;
    StringId name = 0;
    std::uint32_t resource = kNoIndex;
    std::uint32_t scope = kNoIndex;
    Range attributes;
    Range events;
    Range links;
    StringId statusMessage = 0;
    StringId traceState = 0;
    std::uint32_t flags = 0; // W3C trace flags
    SpanKind kind = SpanKind::Unspecified;
    StatusCode status = StatusCode::Unset;
    std::uint16_t marks = 0; // SpanMark bits

    TimeNs duration() const { return end - start; }
    bool has(SpanMark mark) const { return (marks & mark) != 0; }
};

struct SpanWarning {
    std::uint32_t span = 0; // index in Dataset::spans
    std::string text;
};

struct Trace {
    TraceId id;
    std::uint32_t first = 0; // spans [first, first + count) of Dataset::spans
    std::uint32_t count = 0;
    TimeNs start = 0;              // earliest span start
    TimeNs end = 0;                // latest span end
    std::uint32_t rootCount = 0;   // spans without a parent id
    std::uint32_t orphanCount = 0; // spans whose parent is missing from the file
    std::uint32_t errorCount = 0;
    std::uint32_t duplicateCount = 0;
    std::uint32_t cycleCount = 0;
    std::uint32_t skewAdjustedCount = 0;
    std::vector<std::string> warnings;
    std::vector<SpanWarning> spanWarnings; // sorted by span index

    std::uint32_t end_index() const { return first + count; }
    TimeNs duration() const { return end - start; }
};

struct Dataset {
    StringPool strings;
    std::vector<Attribute> attributes;
    std::vector<Event> events;
    std::vector<Link> links;
    std::vector<Resource> resources;
    std::vector<Scope> scopes;
    std::vector<Span> spans;
    std::vector<Trace> traces;

    std::string_view str(StringId id) const { return strings.view(id); }
    // Top-level spans of a trace (roots and orphans) in start order.
    std::vector<std::uint32_t> topLevelSpans(const Trace& trace) const;
    // "service: operation" of the first top-level span, "(+N more)" when there are others; "-" for none.
    std::string rootLabel(const Trace& trace) const;
    // Sorted distinct service names of a trace.
    std::vector<std::string_view> services(const Trace& trace) const;
    const Trace* findTrace(const TraceId& id) const;
    // Bytes the model's arrays and strings use (reserved room never written is not resident).
    std::size_t memoryBytes() const;
};

} // namespace spanwise
