#pragma once
// Spans of the model written as OpenTelemetry OTLP, which Spanwise and other tools read again:
// protobuf (one TracesData message per trace, concatenated, which protobuf parsers read as one
// message) or JSON lines (one TracesData object per trace and line, as the collector's file exporter
// writes, with the OTLP JSON mapping's hex ids, integer enums and int64 as strings).
//
// Times are written as the input had them: clock-skew adjustment is undone. What OTLP has no field
// for is carried as OpenTelemetry's conventions do: a Jaeger FOLLOWS_FROM parent becomes a link to
// the parent (opentracing.ref_type = follows_from), other Jaeger references links marked with their
// ref_type, and a Zipkin shared server half (the client's span id reused) gets an id of its own,
// its children following it.

#include <dataset.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace spanwise {

enum class OtlpEncoding { Protobuf, JsonLines };

// ".otlp.pb" → protobuf, ".otlp.jsonl" → JSON lines; nullopt for any other name.
std::optional<OtlpEncoding> otlpEncodingForPath(std::string_view path);

// The traces (indices into data.traces; every trace when empty) in the encoding.
std::string writeOtlp(const Dataset& data, OtlpEncoding encoding, std::span<const std::uint32_t> traces = {});

} // namespace spanwise
