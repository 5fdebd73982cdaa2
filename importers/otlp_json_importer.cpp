// OpenTelemetry OTLP JSON: a TracesData / ExportTraceServiceRequest object, or JSON lines of them (the
// collector's file exporter), including the dialects of Grafana Tempo (base64 ids, enum names,
// snake_case keys, "batches") and Jaeger's api_v3 ({"result": {...}}).

#include "ids.h"
#include "json_reader.h"
#include "otlp_mapping.h"
#include "part_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace spanwise {

namespace {

namespace od = json::od;
using json::excerpt;
using json::isNull;

// Member names the importer reads. Tables list both the protobuf JSON mapping's camelCase and the
// snake_case of the .proto field names, which Tempo and some hand-written files use.
enum class Key : std::uint8_t {
    Other,
    ResourceSpans,
    Batches,
    JaegerResult,
    TempoTrace,
    Resource,
    ScopeSpans,
    Scope,
    Spans,
    TraceId,
    SpanId,
    ParentSpanId,
    TraceState,
    Flags,
    Name,
    Version,
    Kind,
    StartTime,
    EndTime,
    Time,
    Attributes,
    Events,
    Links,
    Status,
    DroppedAttributes,
    DroppedEvents,
    DroppedLinks,
    Code,
    Message,
    AttributeKey,
    AttributeValue,
    StringValue,
    BoolValue,
    IntValue,
    DoubleValue,
    BytesValue,
    ArrayValue,
    KvlistValue,
    Values,
};

struct KeyName {
    json::KeyPattern key;
    Key value;
};

constexpr KeyName kTracesDataKeys[] = {
    {"resourceSpans", Key::ResourceSpans},
    {"resource_spans", Key::ResourceSpans},
    {"batches", Key::Batches},
    {"result", Key::JaegerResult},
    {"trace", Key::TempoTrace},
};
constexpr KeyName kResourceSpansKeys[] = {
    {"resource", Key::Resource},
    {"scopeSpans", Key::ScopeSpans},
    {"scope_spans", Key::ScopeSpans},
    {"instrumentationLibrarySpans", Key::ScopeSpans},
    {"instrumentation_library_spans", Key::ScopeSpans},
};
constexpr KeyName kScopeSpansKeys[] = {
    {"spans", Key::Spans},
    {"scope", Key::Scope},
    {"instrumentationLibrary", Key::Scope},
    {"instrumentation_library", Key::Scope},
};
constexpr KeyName kResourceKeys[] = {{"attributes", Key::Attributes}};
constexpr KeyName kScopeKeys[] = {{"name", Key::Name}, {"version", Key::Version}, {"attributes", Key::Attributes}};
constexpr KeyName kSpanKeys[] = {
    {"traceId", Key::TraceId},
    {"spanId", Key::SpanId},
    {"parentSpanId", Key::ParentSpanId},
    {"name", Key::Name},
    {"kind", Key::Kind},
    {"startTimeUnixNano", Key::StartTime},
    {"endTimeUnixNano", Key::EndTime},
    {"attributes", Key::Attributes},
    {"events", Key::Events},
    {"links", Key::Links},
    {"status", Key::Status},
    {"traceState", Key::TraceState},
    {"flags", Key::Flags},
    {"droppedAttributesCount", Key::DroppedAttributes},
    {"droppedEventsCount", Key::DroppedEvents},
    {"droppedLinksCount", Key::DroppedLinks},
    {"trace_id", Key::TraceId},
    {"span_id", Key::SpanId},
    {"parent_span_id", Key::ParentSpanId},
    {"start_time_unix_nano", Key::StartTime},
    {"end_time_unix_nano", Key::EndTime},
    {"trace_state", Key::TraceState},
    {"dropped_attributes_count", Key::DroppedAttributes},
    {"dropped_events_count", Key::DroppedEvents},
    {"dropped_links_count", Key::DroppedLinks},
};
constexpr KeyName kEventKeys[] = {
    {"timeUnixNano", Key::Time}, {"name", Key::Name}, {"attributes", Key::Attributes}, {"time_unix_nano", Key::Time}};
constexpr KeyName kLinkKeys[] = {
    {"traceId", Key::TraceId},        {"spanId", Key::SpanId},    {"traceState", Key::TraceState},
    {"attributes", Key::Attributes},  {"trace_id", Key::TraceId}, {"span_id", Key::SpanId},
    {"trace_state", Key::TraceState},
};
constexpr KeyName kStatusKeys[] = {{"code", Key::Code}, {"message", Key::Message}};
constexpr KeyName kKeyValueKeys[] = {{"key", Key::AttributeKey}, {"value", Key::AttributeValue}};
constexpr KeyName kAnyValueKeys[] = {
    {"stringValue", Key::StringValue},  {"intValue", Key::IntValue},        {"boolValue", Key::BoolValue},
    {"doubleValue", Key::DoubleValue},  {"arrayValue", Key::ArrayValue},    {"kvlistValue", Key::KvlistValue},
    {"bytesValue", Key::BytesValue},    {"string_value", Key::StringValue}, {"int_value", Key::IntValue},
    {"bool_value", Key::BoolValue},     {"double_value", Key::DoubleValue}, {"array_value", Key::ArrayValue},
    {"kvlist_value", Key::KvlistValue}, {"bytes_value", Key::BytesValue},
};
constexpr KeyName kValuesKeys[] = {{"values", Key::Values}};

template <std::size_t N>
Key keyOf(const KeyName (&table)[N], od::field& field)
{
    const std::size_t i = json::findKey(table, field);
    return i == N ? Key::Other : table[i].value;
}

// Each level of AnyValue nesting takes four JSON levels; simdjson's On-Demand API does not limit
// depth itself, so this bounds the recursion well within its 1024-level document limit.
constexpr std::size_t kMaxValueNesting = 128;

// OTLP JSON writes ids in hex; Tempo in base64. Many hex ids are valid base64 too, so only the
// length tells them apart: 32 or 16 characters are hex, 24 or 12 base64 (22 or 11 unpadded).
bool isBase64Length(std::size_t length, std::size_t bytes)
{
    const std::size_t unpadded = (bytes * 4 + 2) / 3;
    return length == unpadded || length == (bytes + 2) / 3 * 4;
}

std::string describe(simdjson::error_code error)
{
    switch (error) {
    case simdjson::INCORRECT_TYPE:
        return "another kind of JSON value";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TAPE_ERROR:
        return "an unterminated or malformed object";
    case simdjson::UNCLOSED_STRING:
        return "an unterminated string";
    default:
        return simdjson::error_message(error);
    }
}

// What a span object said, before it becomes a SpanRecord.
struct SpanDraft {
    SpanRecord record;
    std::uint64_t startNs = 0;
    std::uint64_t endNs = 0;
    bool hasTraceId = false;
    bool hasSpanId = false;
    otlp::DroppedCounts dropped;
    std::string warning; // values the importer could not map, for a span warning
};

// Dialects seen while reading, which name the variant.
struct Sightings {
    bool base64 = false;
    bool tempo = false;
    bool jaegerResult = false;

    void add(const Sightings& other)
    {
        base64 = base64 || other.base64;
        tempo = tempo || other.tempo;
        jaegerResult = jaegerResult || other.jaegerResult;
    }
    std::string variant(bool lines) const;
};

class Reader : public json::ReaderCore {
public:
    Reader(const Input& input, DatasetBuilder& builder, ImportReport& report)
        : ReaderCore(builder, report), m_input(input), m_scratch(kMaxValueNesting + 1)
    {
        setInput(input);
    }

    void readLine(std::size_t begin, std::size_t end);
    void readWhole(std::size_t begin, std::size_t end);
    const Sightings& sightings() const { return m_seen; }

private:
    static constexpr std::string_view kWholeDocument = "an OTLP TracesData JSON object";

    void readStarted(od::document& doc, const Input& input, std::size_t begin, std::size_t end, std::string_view what);
    void readTracesData(od::object object, bool wrapped);
    void readWrapped(od::value value);
    void readResourceSpans(od::value value);
    std::uint32_t readResource(od::value value);
    void readScopeSpans(od::value value);
    std::uint32_t readScope(od::value value);
    void addPending(std::size_t first);
    void addSpan(SpanDraft& span);
    void readSpan(od::value value);
    void readSpanMember(Key key, od::value value, SpanDraft& span);
    bool readEvent(od::value value);
    bool readLink(od::value value);
    bool readStatus(od::value value, SpanRecord& record, std::string& warning);

    bool collectAttributes(od::value value, std::size_t level, std::string_view field);
    bool readAttributes(od::value value, Range& out);
    bool readKeyValue(od::value value, std::size_t level, Attribute& out);
    bool readAnyValue(od::value value, std::size_t level, Value& out);
    bool readValueList(od::value value, std::size_t level, bool keyed);

    bool readTraceId(od::value value, std::string_view field, TraceId& out);
    bool readSpanId(od::value value, std::string_view field, SpanId& out, bool zeroAllowed);
    bool readUnsigned(od::value value, std::string_view field, std::uint64_t& out);
    template <typename T>
    bool readEnum(od::value value, std::string_view field, std::optional<T> (*fromNumber)(std::int64_t),
                  std::optional<T> (*fromName)(std::string_view), T& out, std::string& warning);

    const Input& m_input; // the file; ReaderCore::input() is what is being read, maybe a closed copy
    od::parser m_parser;
    std::optional<std::uint32_t> m_resource;       // of the ResourceSpans being read, once known
    std::optional<std::uint32_t> m_scope;          // of the ScopeSpans being read, once known
    std::vector<SpanDraft> m_pending;              // spans read before their resource or scope
    std::vector<std::vector<Attribute>> m_scratch; // one attribute list per nesting level
    std::vector<Event> m_events;
    std::vector<Link> m_links;
    Sightings m_seen;
};

// ---------------------------------------------------------------- documents

void Reader::readLine(std::size_t begin, std::size_t end)
{
    constexpr std::string_view what = "one TracesData object per line";
    od::document doc;
    if (const auto error = json::start(m_parser, m_input, begin, end, doc)) {
        report().error(begin, "expected " + std::string(what) + ", found " + describe(error) + "; line skipped");
        return;
    }
    readStarted(doc, m_input, begin, end, what);
}

void Reader::readWhole(std::size_t begin, std::size_t end)
{
    const std::string_view text = m_input.text().substr(0, end);
    od::document doc;
    // simdjson refuses to start on an object that does not end with '}'
    const std::size_t last = text.find_last_not_of(" \t\r\n") + 1; // 0 when blank
    const auto error = last > begin && text[last - 1] == '}' ? json::start(m_parser, m_input, begin, end, doc)
                                                             : simdjson::INCOMPLETE_ARRAY_OR_OBJECT;
    if (error == simdjson::SUCCESS) {
        readStarted(doc, m_input, begin, end, kWholeDocument);
        return;
    }
    auto closed = error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || error == simdjson::UNCLOSED_STRING
                      ? json::closeTruncated(text)
                      : std::nullopt;
    if (!closed) {
        report().error(begin,
                       "expected " + std::string(kWholeDocument) + ", found " + describe(error) + "; nothing read");
        return;
    }
    report().error(last, "the file ends inside an unclosed string, object or array (cut off?): "
                         "read up to the last complete value");
    const Input input = closed->input();
    setCutOff(std::move(closed->openAtCut));
    if (json::start(m_parser, input, begin, input.size, doc) == simdjson::SUCCESS)
        readStarted(doc, input, begin, input.size, kWholeDocument);
    setCutOff({});
}

void Reader::readStarted(od::document& doc, const Input& input, std::size_t begin, std::size_t end,
                         std::string_view what)
{
    setInput(input);
    json::readGuarded(input, doc, report(), what, [&](od::document& d) {
        od::object top;
        if (const auto error = d.get_object().get(top)) {
            report().error(begin, "expected " + std::string(what) + " such as {\"resourceSpans\": [...]}, found " +
                                      describe(error));
            return;
        }
        readTracesData(top, false);
        const std::uint64_t after = json::currentOffset(input, d);
        if (after < end)
            report().error(after, "unexpected content after the TracesData object: ignored");
    });
    clearProblem();
    addPending(0); // spans of a ResourceSpans the error cut short
    setInput(m_input);
}

std::string Sightings::variant(bool lines) const
{
    std::string text = lines ? "json-lines" : "";
    const auto add = [&](bool seen, std::string_view name) {
        if (seen)
            text += (text.empty() ? "" : "+") + std::string(name);
    };
    add(jaegerResult, "jaeger-api-v3");
    add(base64 || tempo, "tempo");
    return text;
}

// ---------------------------------------------------------------- structure

void Reader::readTracesData(od::object object, bool wrapped)
{
    for (od::field field : object) {
        const Key key = keyOf(kTracesDataKeys, field);
        switch (key) {
        case Key::Batches:
            m_seen.tempo = true;
            [[fallthrough]];
        case Key::ResourceSpans:
            forEachElement(field.value(), "resourceSpans", [&](od::value element) {
                readResourceSpans(element);
                return true;
            });
            reportProblem("; these resource spans are left out");
            break;
        case Key::JaegerResult:
        case Key::TempoTrace:
            if (wrapped)
                break;
            (key == Key::JaegerResult ? m_seen.jaegerResult : m_seen.tempo) = true;
            readWrapped(field.value());
            break;
        default:
            break;
        }
    }
}

void Reader::readWrapped(od::value value)
{
    od::object inner;
    if (value.get_object().get(inner) != simdjson::SUCCESS) {
        fail(value, "result", "a TracesData object");
        reportProblem("; ignored");
        return;
    }
    readTracesData(inner, true);
}

// Spans wait in m_pending while the resource or scope they belong to is not known yet: files may
// write "resource" after "scopeSpans", or "scope" after "spans", or leave them out.
void Reader::readResourceSpans(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        fail(value, "resourceSpans[]", "a ResourceSpans object");
        reportProblem("; left out");
        return;
    }
    m_resource.reset();
    const std::size_t firstPending = m_pending.size();
    for (od::field field : object) {
        switch (keyOf(kResourceSpansKeys, field)) {
        case Key::Resource:
            m_resource = readResource(field.value());
            break;
        case Key::ScopeSpans:
            forEachElement(field.value(), "scopeSpans", [&](od::value element) {
                readScopeSpans(element);
                return true;
            });
            reportProblem("; these spans are left out");
            break;
        default:
            break;
        }
    }
    addPending(firstPending);
}

std::uint32_t Reader::readResource(od::value value)
{
    od::object object;
    m_scratch[0].clear();
    if (value.get_object().get(object) == simdjson::SUCCESS) {
        for (od::field field : object) {
            if (keyOf(kResourceKeys, field) == Key::Attributes)
                collectAttributes(field.value(), 0, "resource.attributes");
        }
    } else if (!isNull(value)) {
        fail(value, "resource", "an object");
    }
    reportProblem("; the resource keeps the attributes before it");
    return otlp::addResource(m_builder, m_scratch[0]);
}

void Reader::readScopeSpans(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        fail(value, "scopeSpans[]", "a ScopeSpans object");
        reportProblem("; left out");
        return;
    }
    m_scope.reset();
    const std::size_t firstPending = m_pending.size();
    for (od::field field : object) {
        switch (keyOf(kScopeSpansKeys, field)) {
        case Key::Scope:
            m_scope = readScope(field.value());
            break;
        case Key::Spans:
            forEachElement(field.value(), "spans", [&](od::value span) {
                readSpan(span);
                return true;
            });
            reportProblem("; these spans are left out");
            break;
        default:
            break;
        }
    }
    for (std::size_t i = firstPending; i < m_pending.size(); ++i)
        m_pending[i].record.scope = m_scope.value_or(kNoIndex);
    if (m_resource)
        addPending(firstPending);
}

// Adds the spans pending since first, now that their resource is known (or will never be).
void Reader::addPending(std::size_t first)
{
    if (first == m_pending.size())
        return;
    if (!m_resource)
        m_resource = otlp::addResource(m_builder, {});
    for (std::size_t i = first; i < m_pending.size(); ++i) {
        m_pending[i].record.resource = *m_resource;
        addSpan(m_pending[i]);
    }
    m_pending.resize(first);
}

void Reader::addSpan(SpanDraft& span)
{
    const std::uint32_t index = m_builder.addSpan(span.record);
    otlp::warnMissingStart(m_builder, index, span.record);
    otlp::warnDropped(m_builder, index, span.dropped);
    if (!span.warning.empty())
        m_builder.addSpanWarning(index, std::move(span.warning));
}

std::uint32_t Reader::readScope(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        if (!isNull(value)) {
            fail(value, "scope", "an object");
            reportProblem("; its spans have no scope");
        }
        return kNoIndex;
    }
    StringId name = 0;
    StringId version = 0;
    Range attributes;
    for (od::field field : object) {
        switch (keyOf(kScopeKeys, field)) {
        case Key::Name:
            readString(field.value(), "scope.name", name);
            break;
        case Key::Version:
            readString(field.value(), "scope.version", version);
            break;
        case Key::Attributes:
            readAttributes(field.value(), attributes);
            break;
        default:
            break;
        }
    }
    reportProblem("; the scope is read without it");
    return m_builder.addScope(name, version, attributes);
}

// ---------------------------------------------------------------- spans

void Reader::readSpan(od::value value)
{
    report().advance(offsetOf(value));
    clearProblem();
    SpanDraft span;
    span.record.resource = m_resource.value_or(kNoIndex);
    span.record.scope = m_scope.value_or(kNoIndex);
    od::object object;
    if (value.get_object().get(object) == simdjson::SUCCESS) {
        for (od::field field : object) {
            const Key key = keyOf(kSpanKeys, field);
            if (key != Key::Other && !hasProblem()) // after a problem the span is only skipped over
                readSpanMember(key, field.value(), span);
        }
        if (!span.hasTraceId)
            missing(value, "traceId");
        if (!span.hasSpanId)
            missing(value, "spanId");
        const char* why = hasProblem() ? nullptr : otlp::setSpanTimes(span.record, span.startNs, span.endNs);
        if (isCutOff(offsetOf(value)))
            why = "cut off by the end of the file";
        if (why)
            fail(offsetOf(value), why);
    } else {
        fail(value, "spans[]", "a span object");
    }
    if (hasProblem()) {
        skipSpanWithProblem();
    } else if (m_resource && m_scope) {
        addSpan(span);
    } else {
        m_pending.push_back(std::move(span));
    }
}

// Reads one member of a span; what is wrong is noted as the problem (fail).
void Reader::readSpanMember(Key key, od::value value, SpanDraft& span)
{
    SpanRecord& r = span.record;
    switch (key) {
    case Key::TraceId:
        span.hasTraceId = readTraceId(value, "traceId", r.traceId);
        break;
    case Key::SpanId:
        span.hasSpanId = readSpanId(value, "spanId", r.id, false);
        break;
    case Key::ParentSpanId:
        readSpanId(value, "parentSpanId", r.parentId, true);
        break;
    case Key::Name:
        readString(value, "name", r.name);
        break;
    case Key::TraceState:
        readString(value, "traceState", r.traceState);
        break;
    case Key::Kind:
        readEnum(value, "kind", otlp::kindFromNumber, otlp::kindFromName, r.kind, span.warning);
        break;
    case Key::StartTime:
        readUnsigned(value, "startTimeUnixNano", span.startNs);
        break;
    case Key::EndTime:
        readUnsigned(value, "endTimeUnixNano", span.endNs);
        break;
    case Key::Attributes:
        readAttributes(value, r.attributes);
        break;
    case Key::Events:
        m_events.clear();
        if (forEachElement(value, "events", [&](od::value e) { return readEvent(e); }))
            r.events = m_builder.appendEvents(m_events);
        break;
    case Key::Links:
        m_links.clear();
        if (forEachElement(value, "links", [&](od::value l) { return readLink(l); }))
            r.links = m_builder.appendLinks(m_links);
        break;
    case Key::Status:
        readStatus(value, r, span.warning);
        break;
    case Key::Flags: {
        std::uint64_t flags = 0;
        if (readUnsigned(value, "flags", flags) && flags > UINT32_MAX)
            fail(value, "flags", "a 32-bit unsigned integer");
        r.flags = static_cast<std::uint32_t>(flags);
        break;
    }
    case Key::DroppedAttributes:
        readUnsigned(value, "droppedAttributesCount", span.dropped.attributes);
        break;
    case Key::DroppedEvents:
        readUnsigned(value, "droppedEventsCount", span.dropped.events);
        break;
    case Key::DroppedLinks:
        readUnsigned(value, "droppedLinksCount", span.dropped.links);
        break;
    default:
        break;
    }
}

bool Reader::readEvent(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "events[]", "an event object");
    Event event;
    std::optional<std::uint64_t> timeNs;
    for (od::field field : object) {
        od::value member = field.value();
        switch (keyOf(kEventKeys, field)) {
        case Key::Time:
            timeNs.emplace();
            if (!readUnsigned(member, "events[].timeUnixNano", *timeNs))
                return false;
            break;
        case Key::Name:
            if (!readString(member, "events[].name", event.name))
                return false;
            break;
        case Key::Attributes:
            if (!readAttributes(member, event.attributes))
                return false;
            break;
        default:
            break;
        }
    }
    if (!timeNs)
        return missing(value, "events[].timeUnixNano");
    const auto time = otlp::timeFromUnixNano(*timeNs);
    if (!time)
        return fail(value, "events[].timeUnixNano", "a time before the year 2262");
    event.time = *time;
    m_events.push_back(event);
    return true;
}

bool Reader::readLink(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "links[]", "a link object");
    Link link;
    link.type = LinkType::Link;
    bool hasTraceId = false;
    bool hasSpanId = false;
    for (od::field field : object) {
        od::value member = field.value();
        bool ok = true;
        switch (keyOf(kLinkKeys, field)) {
        case Key::TraceId:
            ok = hasTraceId = readTraceId(member, "links[].traceId", link.traceId);
            break;
        case Key::SpanId:
            ok = hasSpanId = readSpanId(member, "links[].spanId", link.spanId, false);
            break;
        case Key::TraceState:
            ok = readString(member, "links[].traceState", link.traceState);
            break;
        case Key::Attributes:
            ok = readAttributes(member, link.attributes);
            break;
        default:
            break;
        }
        if (!ok)
            return false;
    }
    if (!hasTraceId || !hasSpanId)
        return missing(value, hasTraceId ? "links[].spanId" : "links[].traceId");
    m_links.push_back(link);
    return true;
}

bool Reader::readStatus(od::value value, SpanRecord& record, std::string& warning)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return isNull(value) || fail(value, "status", "an object");
    for (od::field field : object) {
        od::value member = field.value();
        bool ok = true;
        switch (keyOf(kStatusKeys, field)) {
        case Key::Code:
            ok = readEnum(member, "status.code", otlp::statusFromNumber, otlp::statusFromName, record.status, warning);
            break;
        case Key::Message:
            ok = readString(member, "status.message", record.statusMessage);
            break;
        default:
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}

// ---------------------------------------------------------------- attributes

// Reads a list of KeyValue into m_scratch[level] without appending it, so a resource can look at it.
bool Reader::collectAttributes(od::value value, std::size_t level, std::string_view field)
{
    m_scratch[level].clear();
    return forEachElement(value, field, [&](od::value element) {
        Attribute attribute;
        if (!readKeyValue(element, level, attribute))
            return false;
        m_scratch[level].push_back(attribute);
        return true;
    });
}

bool Reader::readAttributes(od::value value, Range& out)
{
    if (!collectAttributes(value, 0, "attributes"))
        return false;
    out = m_builder.appendAttributes(m_scratch[0]);
    return true;
}

bool Reader::readKeyValue(od::value value, std::size_t level, Attribute& out)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "attributes[]", "a {\"key\", \"value\"} object");
    bool hasKey = false;
    for (od::field field : object) {
        od::value member = field.value();
        switch (keyOf(kKeyValueKeys, field)) {
        case Key::AttributeKey:
            if (!readString(member, "attributes[].key", out.key))
                return false;
            hasKey = true;
            break;
        case Key::AttributeValue:
            if (!readAnyValue(member, level + 1, out.value))
                return false;
            break;
        default:
            break;
        }
    }
    return hasKey || missing(value, "attributes[].key");
}

// An AnyValue object; arrays and key-value lists inside it collect into m_scratch[level].
bool Reader::readAnyValue(od::value value, std::size_t level, Value& out)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return isNull(value) || fail(value, "value", "an AnyValue object such as {\"stringValue\": \"...\"}");
    for (od::field field : object) {
        const Key key = keyOf(kAnyValueKeys, field);
        od::value member = field.value();
        switch (key) {
        case Key::StringValue: {
            StringId s = 0;
            if (!readString(member, "stringValue", s))
                return false;
            out = Value::string(s);
            break;
        }
        case Key::BoolValue: {
            const auto b = json::boolOf(member);
            if (!b)
                return fail(member, "boolValue", "true or false");
            out = Value::boolean(*b);
            break;
        }
        case Key::IntValue: {
            const auto i = json::int64Of(member);
            if (!i)
                return fail(member, "intValue", "a 64-bit integer as a number or a decimal string");
            out = Value::integer(*i);
            break;
        }
        case Key::DoubleValue: {
            const auto d = json::doubleOf(member);
            if (!d)
                return fail(member, "doubleValue", "a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
            out = Value::real(*d);
            break;
        }
        case Key::BytesValue: {
            const auto text = json::stringOf(member);
            const auto bytes = text ? decodeBase64(*text) : std::nullopt;
            if (!bytes)
                return fail(member, "bytesValue", "a base64 string");
            out = Value::bytes(m_builder.intern(*bytes));
            break;
        }
        case Key::ArrayValue:
        case Key::KvlistValue: {
            const bool keyed = key == Key::KvlistValue;
            if (!readValueList(member, level, keyed))
                return false;
            const Range elements = m_builder.appendAttributes(m_scratch[level]);
            out = keyed ? Value::keyValueList(elements) : Value::array(elements);
            break;
        }
        default:
            break;
        }
    }
    return true;
}

// {"values": [...]} of an arrayValue (AnyValues) or a kvlistValue (KeyValues, keyed), into
// m_scratch[level].
bool Reader::readValueList(od::value value, std::size_t level, bool keyed)
{
    const std::string_view field = keyed ? "kvlistValue" : "arrayValue";
    if (level >= m_scratch.size())
        return fail(value, field, "values nested at most " + std::to_string(kMaxValueNesting) + " levels deep");
    m_scratch[level].clear();
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, field, "an object {\"values\": [...]}");
    for (od::field member : object) {
        if (keyOf(kValuesKeys, member) != Key::Values)
            continue;
        const bool ok = forEachElement(member.value(), "values", [&](od::value element) {
            Attribute attribute;
            if (keyed) {
                if (!readKeyValue(element, level, attribute))
                    return false;
            } else if (!readAnyValue(element, level + 1, attribute.value)) {
                return false;
            }
            m_scratch[level].push_back(attribute);
            return true;
        });
        if (!ok)
            return false;
    }
    return true;
}

// ---------------------------------------------------------------- scalars

bool Reader::readTraceId(od::value value, std::string_view field, TraceId& out)
{
    std::string_view text;
    std::optional<TraceId> id;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
        if (text.size() == 32 || text.size() == 16) {
            id = parseHexTraceId(text);
        } else if (isBase64Length(text.size(), 16)) {
            const auto bytes = decodeBase64(text);
            if (bytes && bytes->size() == 16)
                id = traceIdFromBytes(*bytes);
            m_seen.base64 = true;
        }
    }
    if (!id || id->isZero())
        return fail(value, field, "32 hex digits or 24 base64 characters, not all zeros");
    out = *id;
    return true;
}

bool Reader::readSpanId(od::value value, std::string_view field, SpanId& out, bool zeroAllowed)
{
    std::string_view text;
    std::optional<SpanId> id;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
        if (text.empty() && zeroAllowed) {
            id = 0;
        } else if (text.size() == 16) {
            id = parseHexSpanId(text);
        } else if (isBase64Length(text.size(), 8)) {
            const auto bytes = decodeBase64(text);
            if (bytes && bytes->size() == 8)
                id = spanIdFromBytes(*bytes);
            m_seen.base64 = true;
        }
    }
    if (!id || (*id == 0 && !zeroAllowed))
        return fail(value, field, "16 hex digits or 12 base64 characters, not all zeros");
    out = *id;
    return true;
}

bool Reader::readUnsigned(od::value value, std::string_view field, std::uint64_t& out)
{
    const auto number = json::uint64Of(value);
    if (!number)
        return fail(value, field, "an unsigned 64-bit integer as a number or a decimal string");
    out = *number;
    return true;
}

// An enum written as its number or its name. Values OTLP does not define keep the default with a warning.
template <typename T>
bool Reader::readEnum(od::value value, std::string_view field, std::optional<T> (*fromNumber)(std::int64_t),
                      std::optional<T> (*fromName)(std::string_view), T& out, std::string& warning)
{
    std::int64_t number = 0;
    std::string_view name;
    std::optional<T> mapped;
    if (value.get_int64().get(number) == simdjson::SUCCESS)
        mapped = fromNumber(number);
    else if (value.get_string().get(name) == simdjson::SUCCESS)
        mapped = fromName(name);
    else
        return fail(value, field, "a number or an enum name");
    if (mapped) {
        out = *mapped;
        return true;
    }
    warning += (warning.empty() ? "" : "; ") + std::string(field) + " " + excerpt(value.raw_json_token()) +
               " is not defined by OTLP: left unset";
    return true;
}

// ---------------------------------------------------------------- format

std::size_t byteOrderMarkLength(std::string_view text)
{
    return text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

// One TracesData per line (the collector's file exporter) or one object, possibly pretty-printed: lines
// when the first non-blank line holds a whole object and more content follows it.
bool isJsonLines(std::string_view text)
{
    const std::size_t begin = text.find_first_not_of(" \t\r\n", byteOrderMarkLength(text));
    if (begin == std::string_view::npos)
        return false;
    const std::size_t newline = text.find('\n', begin);
    if (newline == std::string_view::npos || json::isBlank(text.substr(newline)))
        return false;
    std::string_view line = text.substr(begin, newline - begin);
    line = line.substr(0, line.find_last_not_of(" \t\r") + 1);
    return line.front() == '{' && line.back() == '}';
}

int sniff(std::string_view head)
{
    if (json::firstSignificantChar(head) != '{')
        return 0;
    const std::string_view start = head.substr(0, 4096);
    for (std::string_view key : {"\"resourceSpans\"", "\"resource_spans\""}) {
        if (json::hasKey(start, key))
            return 90;
    }
    if (json::hasKey(start, "\"batches\"") &&
        (json::hasKey(start, "\"resource\"") || json::hasKey(start, "\"scopeSpans\"") ||
         json::hasKey(start, "\"instrumentationLibrarySpans\"")))
        return 80;
    return 0;
}

// Lines are independent documents: they are read in parts on the threads the input allows.
Sightings readLines(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    const std::string_view text = input.text();
    const auto nextLine = [text](std::uint64_t offset) -> std::uint64_t {
        const std::size_t newline = text.find('\n', offset);
        return newline == std::string_view::npos ? text.size() : newline + 1;
    };
    const std::vector<InputPart> parts = cutIntoParts(byteOrderMarkLength(text), text.size(), kPartBytes, nextLine);
    std::vector<Sightings> seen(parts.size());
    readInParts(input, parts, builder, report, [&](std::size_t part, DatasetBuilder& b, ImportReport& r) {
        Reader reader(input, b, r);
        for (std::uint64_t begin = parts[part].begin; begin < parts[part].end;) {
            const std::size_t end = std::min<std::size_t>(nextLine(begin), parts[part].end);
            const std::size_t lineEnd = end > begin && text[end - 1] == '\n' ? end - 1 : end;
            if (!json::isBlank(text.substr(begin, lineEnd - begin)))
                reader.readLine(begin, lineEnd);
            begin = end;
        }
        seen[part] = reader.sightings();
    });
    Sightings all;
    for (const Sightings& s : seen)
        all.add(s);
    return all;
}

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    report.setText(input.text());
    const std::string_view text = input.text();
    if (isJsonLines(text)) {
        report.variant = readLines(input, builder, report).variant(true);
        return;
    }
    Reader reader(input, builder, report);
    reader.readWhole(byteOrderMarkLength(text), text.size());
    report.variant = reader.sightings().variant(false);
}

} // namespace

const Importer& otlpJsonImporter()
{
    static const Importer importer{"otlp-json", sniff, read};
    return importer;
}

} // namespace spanwise
