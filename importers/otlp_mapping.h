#pragma once
// How OpenTelemetry (OTLP) spans map to the model, shared by the OTLP JSON and protobuf importers so
// both read the same file content into the same spans.
//
// Rules both importers follow:
// - Trace and span ids that are missing or all zeros make the span unreadable (skipped); an empty or
//   all-zero parent span id means a root span.
// - A kind or status number (or name) the specification does not define keeps the span, as
//   SpanKind::Unspecified / StatusCode::Unset, with a span warning.
// - Times go through spanTimes(); events with an out-of-range time skip their span.

#include <dataset_builder.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace spanwise::otlp {

// Span.SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
std::optional<SpanKind> kindFromNumber(std::int64_t number);
// The protobuf enum names the JSON mapping may write: "SPAN_KIND_SERVER" and so on.
std::optional<SpanKind> kindFromName(std::string_view name);
// Status.StatusCode: 0 unset, 1 ok, 2 error.
std::optional<StatusCode> statusFromNumber(std::int64_t number);
std::optional<StatusCode> statusFromName(std::string_view name);

// A *_unix_nano value as model time; nullopt when it does not fit (after the year 2262).
std::optional<TimeNs> timeFromUnixNano(std::uint64_t ns);

// Sets record.start and record.end from the span's start and end fields (0 = not written). An end that
// was not written marks the span in progress, drawn with zero length. A start that was not written (the
// JSON mapping leaves zeros out, and test suites export spans without times) keeps the span at its end
// time with zero length, marked MarkInvalidTime: warnMissingStart() then says so. Neither written:
// MarkNoTiming, the builder places it. Returns why the span cannot be kept (a time out of range), or nullptr.
const char* setSpanTimes(SpanRecord& record, std::uint64_t startNs, std::uint64_t endNs);
// Adds the span warning of a span kept without a start time.
void warnMissingStart(DatasetBuilder& builder, std::uint32_t spanIndex, const SpanRecord& record);

// Adds the resource of a ResourceSpans. Its service is the string value of "service.name"; the builder
// names it "unknown_service" when that is missing, empty or not a string, as OpenTelemetry SDKs do.
// attributes: the resource's attributes, not yet appended to the builder.
std::uint32_t addResource(DatasetBuilder& builder, std::span<const Attribute> attributes);
// The service.name among a resource's attributes, or 0 (unknown_service).
StringId serviceOf(const DatasetBuilder& builder, std::span<const Attribute> attributes);

// What an SDK reported dropping from a span (dropped_attributes_count and so on).
struct DroppedCounts {
    std::uint64_t attributes = 0;
    std::uint64_t events = 0;
    std::uint64_t links = 0;
};
// Adds a span warning naming what was dropped, when anything was.
void warnDropped(DatasetBuilder& builder, std::uint32_t spanIndex, const DroppedCounts& dropped);

} // namespace spanwise::otlp
