#include "otlp_mapping.h"

#include <algorithm>
#include <array>
#include <limits>

namespace spanwise::otlp {

namespace {

constexpr std::array kKinds = {SpanKind::Unspecified, SpanKind::Internal, SpanKind::Server,
                               SpanKind::Client,      SpanKind::Producer, SpanKind::Consumer};
constexpr std::array<std::string_view, kKinds.size()> kKindNames = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
                                                                    "SPAN_KIND_SERVER",      "SPAN_KIND_CLIENT",
                                                                    "SPAN_KIND_PRODUCER",    "SPAN_KIND_CONSUMER"};

constexpr std::array kStatuses = {StatusCode::Unset, StatusCode::Ok, StatusCode::Error};
constexpr std::array<std::string_view, kStatuses.size()> kStatusNames = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                                         "STATUS_CODE_ERROR"};

template <typename T, std::size_t N>
std::optional<T> byNumber(const std::array<T, N>& values, std::int64_t number)
{
    if (number < 0 || number >= static_cast<std::int64_t>(N))
        return std::nullopt;
    return values[static_cast<std::size_t>(number)];
}

template <typename T, std::size_t N>
std::optional<T> byName(const std::array<T, N>& values, const std::array<std::string_view, N>& names,
                        std::string_view name)
{
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end())
        return std::nullopt;
    return values[static_cast<std::size_t>(found - names.begin())];
}

void appendCount(std::string& text, std::uint64_t count, std::string_view what)
{
    if (count == 0)
        return;
    text += text.empty() ? " " : ", ";
    text += std::to_string(count) + " " + std::string(what) + (count == 1 ? "" : "s");
}

} // namespace

std::optional<SpanKind> kindFromNumber(std::int64_t number)
{
    return byNumber(kKinds, number);
}

std::optional<SpanKind> kindFromName(std::string_view name)
{
    return byName(kKinds, kKindNames, name);
}

std::optional<StatusCode> statusFromNumber(std::int64_t number)
{
    return byNumber(kStatuses, number);
}

std::optional<StatusCode> statusFromName(std::string_view name)
{
    return byName(kStatuses, kStatusNames, name);
}

std::optional<TimeNs> timeFromUnixNano(std::uint64_t ns)
{
    if (ns > static_cast<std::uint64_t>(std::numeric_limits<TimeNs>::max()))
        return std::nullopt;
    return static_cast<TimeNs>(ns);
}

const char* setSpanTimes(SpanRecord& record, std::uint64_t startNs, std::uint64_t endNs)
{
    const auto start = timeFromUnixNano(startNs);
    if (!start)
        return "start time beyond the year 2262 (startTimeUnixNano)";
    const auto end = endNs == 0 ? start : timeFromUnixNano(endNs);
    if (!end)
        return "end time beyond the year 2262 (endTimeUnixNano)";
    record.start = startNs == 0 ? *end : *start;
    record.end = *end;
    if (startNs == 0 && endNs == 0) // placed by the builder at its parent's start
        record.marks |= MarkNoTiming;
    else if (startNs == 0)
        record.marks |= MarkInvalidTime;
    else if (endNs == 0)
        record.marks |= MarkInProgress;
    return nullptr;
}

void warnMissingStart(DatasetBuilder& builder, std::uint32_t spanIndex, const SpanRecord& record)
{
    if ((record.marks & MarkInvalidTime) != 0)
        builder.addSpanWarning(spanIndex, "no start time (startTimeUnixNano missing or 0): drawn with zero length");
}

StringId serviceOf(const DatasetBuilder& builder, std::span<const Attribute> attributes)
{
    for (const Attribute& a : attributes) {
        if (builder.str(a.key) == "service.name" && a.value.type() == ValueType::String)
            return a.value.stringId();
    }
    return 0;
}

std::uint32_t addResource(DatasetBuilder& builder, std::span<const Attribute> attributes)
{
    return builder.addResource(serviceOf(builder, attributes), builder.appendAttributes(attributes));
}

void warnDropped(DatasetBuilder& builder, std::uint32_t spanIndex, const DroppedCounts& dropped)
{
    std::string text;
    appendCount(text, dropped.attributes, "attribute");
    appendCount(text, dropped.events, "event");
    appendCount(text, dropped.links, "link");
    if (!text.empty())
        builder.addSpanWarning(spanIndex, "the SDK dropped" + text + " of this span");
}

} // namespace spanwise::otlp
