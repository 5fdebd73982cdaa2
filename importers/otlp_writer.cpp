#include "otlp_writer.h"

#include "file_buffer.h"
#include "utf8_repair.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <otlp_trace.pb.h>
#include <unordered_set>

namespace spanwise {

namespace {

namespace pb = spanwise::otlp;
using KeyValues = google::protobuf::RepeatedPtrField<pb::KeyValue>;

constexpr int kMaxValueDepth = 64; // as deep as the importers read

std::string traceIdBytes(const TraceId& id)
{
    std::string bytes(16, '\0');
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<char>(id.high >> (56 - 8 * i));
        bytes[8 + i] = static_cast<char>(id.low >> (56 - 8 * i));
    }
    return bytes;
}

std::string spanIdBytes(SpanId id)
{
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>(id >> (56 - 8 * i));
    return bytes;
}

const char* refType(LinkType type)
{
    return type == LinkType::ChildOf ? "child_of" : "follows_from";
}

// Model spans of one trace → one TracesData: spans grouped by resource (and the service they run in)
// and instrumentation scope, in the trace's depth-first order.
class TraceWriter {
public:
    explicit TraceWriter(const Dataset& data) : m_data(data) {}

    void write(const Trace& trace, pb::TracesData& out)
    {
        m_resourceSpans.clear();
        m_scopeSpans.clear();
        m_sharedIds.clear();
        assignSharedIds(trace);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
            writeSpan(trace, m_data.spans[i], *scopeSpans(out, m_data.spans[i])->add_spans());
    }

private:
    // protobuf strings must be UTF-8: what the importers kept as read is repaired (U+FFFD).
    std::string text(StringId id)
    {
        const std::string_view s = m_data.str(id);
        if (isValidUtf8(s))
            return std::string(s);
        FileBuffer repaired;
        const Utf8Repair repair(s, repaired);
        return repair.ok() ? std::string(repaired.input().text()) : std::string();
    }

    // A Zipkin server half shares its client's span id; OTLP has no such thing, so it gets an id of its
    // own (derived from the shared one, unused in the trace) and its children name that as their parent.
    void assignSharedIds(const Trace& trace)
    {
        std::unordered_set<SpanId> used;
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
            used.insert(m_data.spans[i].id);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            if (!sharesItsParentsId(m_data.spans[i]))
                continue;
            SpanId id = m_data.spans[i].id;
            do
                id = (id ^ (id >> 31)) * 0x9E3779B97F4A7C15ull + 1;
            while (id == 0 || !used.insert(id).second);
            m_sharedIds.emplace(i, id);
        }
    }

    bool sharesItsParentsId(const Span& span) const
    {
        return span.has(MarkShared) && span.parent != kNoIndex && m_data.spans[span.parent].id == span.id;
    }

    SpanId writtenId(std::uint32_t index) const
    {
        const auto found = m_sharedIds.find(index);
        return found == m_sharedIds.end() ? m_data.spans[index].id : found->second;
    }

    pb::ScopeSpans* scopeSpans(pb::TracesData& out, const Span& span)
    {
        const std::pair resourceKey{span.resource, span.service};
        auto [resource, added] = m_resourceSpans.try_emplace(resourceKey, nullptr);
        if (added) {
            resource->second = out.add_resource_spans();
            writeResource(span, *resource->second->mutable_resource());
        }
        auto [scope, scopeAdded] = m_scopeSpans.try_emplace(std::tuple{span.resource, span.service, span.scope},
                                                            nullptr);
        if (scopeAdded) {
            scope->second = resource->second->add_scope_spans();
            if (span.scope != kNoIndex)
                writeScope(m_data.scopes[span.scope], *scope->second->mutable_scope());
        }
        return scope->second;
    }

    // service.name is the span's service (a Zipkin or Jaeger span may name its own), then the rest.
    void writeResource(const Span& span, pb::Resource& out)
    {
        pb::KeyValue& service = *out.add_attributes();
        service.set_key("service.name");
        service.mutable_value()->set_string_value(text(span.service));
        if (span.resource == kNoIndex)
            return;
        const Range attributes = m_data.resources[span.resource].attributes;
        for (std::uint32_t i = attributes.first; i < attributes.end(); ++i) {
            if (m_data.str(m_data.attributes[i].key) != "service.name")
                writeKeyValue(m_data.attributes[i], *out.add_attributes(), 0);
        }
    }

    void writeScope(const Scope& scope, pb::InstrumentationScope& out)
    {
        out.set_name(text(scope.name));
        out.set_version(text(scope.version));
        writeAttributes(scope.attributes, *out.mutable_attributes());
    }

    void writeSpan(const Trace& trace, const Span& span, pb::Span& out)
    {
        const auto index = static_cast<std::uint32_t>(&span - m_data.spans.data());
        out.set_trace_id(traceIdBytes(trace.id));
        out.set_span_id(spanIdBytes(writtenId(index)));
        // A shared server half's parent is its client half, which has the id it shared.
        const bool parentShared = span.parent != kNoIndex && m_sharedIds.count(span.parent) > 0;
        const SpanId parentId = sharesItsParentsId(span) ? span.id
                                : parentShared           ? writtenId(span.parent)
                                                         : span.parentId;
        if (parentId != 0)
            out.set_parent_span_id(spanIdBytes(parentId));
        out.set_trace_state(text(span.traceState));
        out.set_flags(span.flags);
        out.set_name(text(span.name));
        out.set_kind(static_cast<pb::Span::SpanKind>(span.kind));
        writeTimes(span, out);
        writeAttributes(span.attributes, *out.mutable_attributes());
        for (std::uint32_t i = span.events.first; i < span.events.end(); ++i) {
            const Event& event = m_data.events[i];
            pb::Span::Event& written = *out.add_events();
            written.set_time_unix_nano(static_cast<std::uint64_t>(event.time - span.skewDelta));
            written.set_name(text(event.name));
            writeAttributes(event.attributes, *written.mutable_attributes());
        }
        writeLinks(trace, span, out);
        if (span.status != StatusCode::Unset || span.statusMessage != 0) {
            out.mutable_status()->set_code(static_cast<pb::Status::StatusCode>(span.status));
            out.mutable_status()->set_message(text(span.statusMessage));
        }
    }

    // As the input had them: an untimed span without times, one still running without an end.
    static void writeTimes(const Span& span, pb::Span& out)
    {
        if (span.has(MarkNoTiming))
            return;
        out.set_start_time_unix_nano(static_cast<std::uint64_t>(span.start - span.skewDelta));
        if (!span.has(MarkInProgress))
            out.set_end_time_unix_nano(static_cast<std::uint64_t>(span.end - span.skewDelta));
    }

    void writeLinks(const Trace& trace, const Span& span, pb::Span& out)
    {
        bool parentLinked = false;
        for (std::uint32_t i = span.links.first; i < span.links.end(); ++i) {
            const Link& link = m_data.links[i];
            parentLinked |= link.type == LinkType::Link && link.spanId == span.parentId && link.traceId == trace.id;
            pb::Span::Link& written = *out.add_links();
            written.set_trace_id(traceIdBytes(link.traceId));
            written.set_span_id(spanIdBytes(link.spanId));
            written.set_trace_state(text(link.traceState));
            writeAttributes(link.attributes, *written.mutable_attributes());
            if (link.type != LinkType::Link)
                addRefType(written, link.type);
        }
        if (span.has(MarkFollowsFrom) && !parentLinked && span.parentId != 0) {
            pb::Span::Link& written = *out.add_links();
            written.set_trace_id(traceIdBytes(trace.id));
            written.set_span_id(spanIdBytes(span.parentId));
            addRefType(written, LinkType::FollowsFrom);
        }
    }

    // The OpenTracing shim's mark of what a reference was.
    static void addRefType(pb::Span::Link& link, LinkType type)
    {
        pb::KeyValue& kv = *link.add_attributes();
        kv.set_key("opentracing.ref_type");
        kv.mutable_value()->set_string_value(refType(type));
    }

    void writeAttributes(Range attributes, KeyValues& out)
    {
        for (std::uint32_t i = attributes.first; i < attributes.end(); ++i)
            writeKeyValue(m_data.attributes[i], *out.Add(), 0);
    }

    void writeKeyValue(const Attribute& attribute, pb::KeyValue& out, int depth)
    {
        out.set_key(text(attribute.key));
        writeValue(attribute.value, *out.mutable_value(), depth);
    }

    void writeValue(const Value& value, pb::AnyValue& out, int depth)
    {
        switch (value.type()) {
        case ValueType::Empty:
            break;
        case ValueType::String:
            out.set_string_value(text(value.stringId()));
            break;
        case ValueType::Int:
            out.set_int_value(value.integer());
            break;
        case ValueType::Double:
            out.set_double_value(value.real());
            break;
        case ValueType::Bool:
            out.set_bool_value(value.boolean());
            break;
        case ValueType::Bytes:
            out.set_bytes_value(std::string(m_data.str(value.stringId())));
            break;
        case ValueType::Array: {
            pb::ArrayValue& array = *out.mutable_array_value();
            const Range elements = value.range();
            for (std::uint32_t i = elements.first; i < elements.end() && depth < kMaxValueDepth; ++i)
                writeValue(m_data.attributes[i].value, *array.add_values(), depth + 1);
            break;
        }
        case ValueType::KeyValueList: {
            pb::KeyValueList& list = *out.mutable_kvlist_value();
            const Range entries = value.range();
            for (std::uint32_t i = entries.first; i < entries.end() && depth < kMaxValueDepth; ++i)
                writeKeyValue(m_data.attributes[i], *list.add_values(), depth + 1);
            break;
        }
        }
    }

    const Dataset& m_data;
    std::map<std::pair<std::uint32_t, StringId>, pb::ResourceSpans*> m_resourceSpans;
    std::map<std::tuple<std::uint32_t, StringId, std::uint32_t>, pb::ScopeSpans*> m_scopeSpans;
    std::map<std::uint32_t, SpanId> m_sharedIds; // span index → the id it is written with
};

// ---- OTLP JSON mapping of the protobuf messages

std::string hex(std::string_view bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out += kDigits[byte >> 4];
        out += kDigits[byte & 15];
    }
    return out;
}

std::string base64(std::string_view bytes)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = 0;
        for (std::size_t k = 0; k < 3; ++k)
            group = group << 8 | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 63] : '=';
    }
    return out;
}

nlohmann::json keyValuesJson(const KeyValues& values);

nlohmann::json doubleJson(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "Infinity" : "-Infinity";
    return d;
}

nlohmann::json anyValueJson(const pb::AnyValue& value)
{
    switch (value.value_case()) {
    case pb::AnyValue::kStringValue:
        return {{"stringValue", value.string_value()}};
    case pb::AnyValue::kBoolValue:
        return {{"boolValue", value.bool_value()}};
    case pb::AnyValue::kIntValue:
        return {{"intValue", std::to_string(value.int_value())}};
    case pb::AnyValue::kDoubleValue:
        return {{"doubleValue", doubleJson(value.double_value())}};
    case pb::AnyValue::kBytesValue:
        return {{"bytesValue", base64(value.bytes_value())}};
    case pb::AnyValue::kArrayValue: {
        nlohmann::json values = nlohmann::json::array();
        for (const pb::AnyValue& element : value.array_value().values())
            values.push_back(anyValueJson(element));
        return {{"arrayValue", {{"values", values}}}};
    }
    case pb::AnyValue::kKvlistValue:
        return {{"kvlistValue", {{"values", keyValuesJson(value.kvlist_value().values())}}}};
    case pb::AnyValue::VALUE_NOT_SET:
        break;
    }
    return nlohmann::json::object();
}

nlohmann::json keyValuesJson(const KeyValues& values)
{
    nlohmann::json out = nlohmann::json::array();
    for (const pb::KeyValue& kv : values)
        out.push_back({{"key", kv.key()}, {"value", anyValueJson(kv.value())}});
    return out;
}

nlohmann::json spanJson(const pb::Span& span)
{
    nlohmann::json out = {{"traceId", hex(span.trace_id())}, {"spanId", hex(span.span_id())}};
    if (!span.trace_state().empty())
        out["traceState"] = span.trace_state();
    if (!span.parent_span_id().empty())
        out["parentSpanId"] = hex(span.parent_span_id());
    if (span.flags() != 0)
        out["flags"] = span.flags();
    out["name"] = span.name();
    out["kind"] = static_cast<int>(span.kind());
    if (span.start_time_unix_nano() != 0)
        out["startTimeUnixNano"] = std::to_string(span.start_time_unix_nano());
    if (span.end_time_unix_nano() != 0)
        out["endTimeUnixNano"] = std::to_string(span.end_time_unix_nano());
    out["attributes"] = keyValuesJson(span.attributes());
    nlohmann::json events = nlohmann::json::array();
    for (const pb::Span::Event& event : span.events())
        events.push_back({{"timeUnixNano", std::to_string(event.time_unix_nano())},
                          {"name", event.name()},
                          {"attributes", keyValuesJson(event.attributes())}});
    out["events"] = events;
    nlohmann::json links = nlohmann::json::array();
    for (const pb::Span::Link& link : span.links()) {
        nlohmann::json written = {{"traceId", hex(link.trace_id())}, {"spanId", hex(link.span_id())}};
        if (!link.trace_state().empty())
            written["traceState"] = link.trace_state();
        written["attributes"] = keyValuesJson(link.attributes());
        links.push_back(written);
    }
    out["links"] = links;
    if (span.has_status()) {
        nlohmann::json status = {{"code", static_cast<int>(span.status().code())}};
        if (!span.status().message().empty())
            status["message"] = span.status().message();
        out["status"] = status;
    }
    return out;
}

nlohmann::json tracesDataJson(const pb::TracesData& data)
{
    nlohmann::json resourceSpans = nlohmann::json::array();
    for (const pb::ResourceSpans& rs : data.resource_spans()) {
        nlohmann::json scopeSpans = nlohmann::json::array();
        for (const pb::ScopeSpans& ss : rs.scope_spans()) {
            nlohmann::json spans = nlohmann::json::array();
            for (const pb::Span& span : ss.spans())
                spans.push_back(spanJson(span));
            nlohmann::json written = {{"spans", spans}};
            if (ss.has_scope())
                written["scope"] = {{"name", ss.scope().name()},
                                    {"version", ss.scope().version()},
                                    {"attributes", keyValuesJson(ss.scope().attributes())}};
            scopeSpans.push_back(written);
        }
        resourceSpans.push_back(
            {{"resource", {{"attributes", keyValuesJson(rs.resource().attributes())}}}, {"scopeSpans", scopeSpans}});
    }
    return {{"resourceSpans", resourceSpans}};
}

} // namespace

std::optional<OtlpEncoding> otlpEncodingForPath(std::string_view path)
{
    if (path.ends_with(".otlp.pb"))
        return OtlpEncoding::Protobuf;
    if (path.ends_with(".otlp.jsonl"))
        return OtlpEncoding::JsonLines;
    return std::nullopt;
}

std::string writeOtlp(const Dataset& data, OtlpEncoding encoding, std::span<const std::uint32_t> traces)
{
    std::string out;
    TraceWriter writer(data);
    pb::TracesData message;
    const auto writeTrace = [&](const Trace& trace) {
        message.Clear();
        writer.write(trace, message);
        if (encoding == OtlpEncoding::Protobuf)
            message.AppendToString(&out);
        else
            out += tracesDataJson(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    };
    if (traces.empty()) {
        for (const Trace& trace : data.traces)
            writeTrace(trace);
    } else {
        for (const std::uint32_t t : traces)
            writeTrace(data.traces[t]);
    }
    if (out.empty()) { // no spans: still a file the importers recognise, holding no traces
        message.Clear();
        message.add_resource_spans()->mutable_resource();
        if (encoding == OtlpEncoding::Protobuf)
            message.AppendToString(&out);
        else
            out = tracesDataJson(message).dump() + '\n';
    }
    return out;
}

} // namespace spanwise
