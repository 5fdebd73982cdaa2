// Jaeger JSON as the query API and the UI write it: {"data": [trace...]}, a bare trace object
// {traceID, spans, processes, warnings} or an array of trace objects. Times are microseconds.

#include "jaeger_parts.h"
#include "jaeger_reader.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace spanwise::jaeger {

namespace {

constexpr std::int64_t kNanosPerMicro = 1000;

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view text, std::string_view lowerCase)
{
    return std::equal(text.begin(), text.end(), lowerCase.begin(), lowerCase.end(),
                      [](char a, char b) { return asciiLower(a) == b; });
}

std::optional<double> parseDouble(std::string_view text)
{
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

SpanKind kindFrom(std::string_view text)
{
    static constexpr std::pair<std::string_view, SpanKind> kinds[] = {
        {"server", SpanKind::Server},     {"client", SpanKind::Client},     {"producer", SpanKind::Producer},
        {"consumer", SpanKind::Consumer}, {"internal", SpanKind::Internal},
    };
    for (const auto& [name, kind] : kinds) {
        if (equalsIgnoringCase(text, name))
            return kind;
    }
    return SpanKind::Unspecified;
}

TagType tagTypeFrom(std::string_view text)
{
    static constexpr std::pair<std::string_view, TagType> types[] = {
        {"string", TagType::String},   {"bool", TagType::Bool},     {"int64", TagType::Int64},
        {"float64", TagType::Float64}, {"binary", TagType::Binary},
    };
    for (const auto& [name, type] : types) {
        if (equalsIgnoringCase(text, name))
            return type;
    }
    return TagType::Inferred;
}

bool samePayload(const Value& a, const Value& b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case ValueType::Empty:
        return true;
    case ValueType::String:
    case ValueType::Bytes:
        return a.stringId() == b.stringId();
    case ValueType::Int:
        return a.integer() == b.integer();
    case ValueType::Double:
        return a.real() == b.real();
    case ValueType::Bool:
        return a.boolean() == b.boolean();
    case ValueType::Array:
    case ValueType::KeyValueList:
        return a.range().first == b.range().first && a.range().count == b.range().count;
    }
    return false;
}

bool sameAttributes(const std::vector<Attribute>& a, const std::vector<Attribute>& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Attribute& x, const Attribute& y) {
        return x.key == y.key && samePayload(x.value, y.value);
    });
}

Link linkTo(const TraceId& traceId, SpanId spanId, LinkType type)
{
    Link link;
    link.traceId = traceId;
    link.spanId = spanId;
    link.type = type;
    return link;
}

} // namespace

bool holdsSpan(od::object& object)
{
    bool span = false;
    // Raw keys: unescaping a key twice (here and when the object is read again) would overrun
    // simdjson's string buffer, which holds one unescaped copy of each string.
    for (od::field field : object) {
        const od::raw_json_string key = field.key();
        if (key.unsafe_is_equal("spans") || key.unsafe_is_equal("processes"))
            break;
        if (key.unsafe_is_equal("spanID") || key.unsafe_is_equal("operationName") || key.unsafe_is_equal("startTime")) {
            span = true;
            break;
        }
    }
    object.reset();
    return span;
}

namespace {

// Starts reading the outermost object or array; false when the text ends before it does.
template <typename Container>
bool startRoot(simdjson::simdjson_result<Container> result, Container& out)
{
    const simdjson::error_code error = std::move(result).get(out);
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT)
        return false;
    if (error != simdjson::SUCCESS)
        throw simdjson::simdjson_error(error);
    return true;
}

} // namespace

simdjson::error_code JaegerReader::readText(const Input& text)
{
    setInput(text);
    od::parser parser;
    od::document doc;
    if (const simdjson::error_code error = json::start(parser, text, 0, text.size, doc)) {
        if (error == simdjson::UNCLOSED_STRING)
            return error;
        report().error(0, std::string("not readable as JSON: ") + simdjson::error_message(error));
        return simdjson::SUCCESS;
    }
    bool complete = true;
    const auto readAll = [&](od::document& d) { complete = readDocument(d); };
    if (!json::readGuarded(text, doc, report(), "Jaeger trace JSON", readAll) && m_readingSpan)
        report().skipSpan(m_span.offset, "unfinished where reading stopped");
    finishTrace(); // keeps the spans read before a syntax error
    return complete ? simdjson::SUCCESS : simdjson::INCOMPLETE_ARRAY_OR_OBJECT;
}

bool JaegerReader::readDocument(od::document& doc)
{
    switch (doc.type().value()) {
    case od::json_type::array: {
        od::array traces;
        if (!startRoot(doc.get_array(), traces))
            return false;
        report().variant = "trace-array";
        for (od::value trace : traces)
            readTrace(trace);
        return true;
    }
    case od::json_type::object: {
        od::object object;
        if (!startRoot(doc.get_object(), object))
            return false;
        readTopLevelObject(object);
        return true;
    }
    default:
        report().error(json::currentOffset(input(), doc),
                       "expected a Jaeger trace object, an array of them or a query response {\"data\": [...]}");
        return true;
    }
}

// Either a query response {"data": [...], "errors": ...} or a single trace object.
void JaegerReader::readTopLevelObject(od::object object)
{
    report().variant = "trace-object";
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        if (key == "data") {
            report().variant = "query-api";
            readTraceList(field.value());
        } else if (key == "errors") {
            readQueryErrors(field.value());
        } else {
            readTraceField(key, field.value());
        }
    }
    finishTrace();
}

// The query API lists traces; Jaeger UI's own fixtures hold a single trace object under "data".
void JaegerReader::readTraceList(od::value value)
{
    if (value.type() == od::json_type::object) {
        readTrace(value);
        return;
    }
    if (!forEachElement(value, "data", [this](od::value trace) {
            readTrace(trace);
            return true;
        }))
        reportProblem();
}

void JaegerReader::readTrace(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        report().error(offset, json::expectedMessage(value, "trace", "an object {traceID, spans, processes}"));
        return;
    }
    if (holdsSpan(object)) {
        if (report().variant == "trace-array")
            report().variant = "span-array";
        readSpanObject(object, offset); // finished with the spans around it
        return;
    }
    m_trace.offset = offset;
    for (od::field field : object)
        readTraceField(json::keyOf(field), field.value());
    finishTrace();
}

void JaegerReader::readTraceField(std::string_view key, od::value value)
{
    if (key == "spans") {
        if (m_holes && claimHole(value))
            return;
        if (!forEachElement(value, "spans", [this](od::value span) {
                readSpanEntry(span);
                return true;
            }))
            reportProblem();
    } else if (key == "traceID") {
        readEnclosingTraceId(value);
    } else if (key == "processes") {
        if (m_holes && value.type() == od::json_type::object)
            m_trace.processObjects.push_back(offsetOf(value));
        readProcesses(value);
    } else if (key == "warnings") {
        if (!readStrings(value, "trace warnings", m_trace.warnings))
            reportProblem();
    }
}

void JaegerReader::readEnclosingTraceId(od::value value)
{
    TraceId id;
    if (readTraceId(value, "trace traceID", id))
        m_trace.id = id;
    else
        reportProblem();
}

void JaegerReader::readProcesses(od::value value)
{
    if (json::isNull(value))
        return;
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        report().error(
            offset, json::expectedMessage(value, "processes", "an object mapping process ids to {serviceName, tags}"));
        return;
    }
    readProcessMap(object);
}

void JaegerReader::readProcessMap(od::object object)
{
    for (od::field field : object) {
        const std::string_view id = json::keyOf(field);
        StringId service = 0;
        m_processTags.clear();
        if (!readProcess(field.value(), service, m_processTags)) {
            json::Problem problem = takeProblem();
            report().error(problem.offset, "process \"" + std::string(id) + "\" left out: " + problem.message);
            continue;
        }
        m_trace.processes[id] = m_builder.addResource(service, m_builder.appendAttributes(m_processTags));
    }
}

// The query API lists what it could not find or read, e.g. {"code": 404, "msg": "trace not found"}.
void JaegerReader::readQueryErrors(od::value value)
{
    const auto readError = [this](od::value error) {
        const std::uint64_t offset = offsetOf(error);
        std::string text = "no message";
        od::object object;
        if (error.get_object().get(object) == simdjson::SUCCESS) {
            for (od::field field : object) {
                const std::optional<std::string_view> message = json::keyOf(field) == "msg"
                                                                    ? json::stringOf(field.value())
                                                                    : std::nullopt;
                if (message)
                    text = *message;
            }
        }
        report().warning(offset, "the Jaeger query reported an error: " + text);
        return true;
    };
    if (!forEachElement(value, "errors", readError)) {
        json::Problem problem = takeProblem();
        report().warning(problem.offset, problem.message);
    }
}

void JaegerReader::finishTrace()
{
    if (m_holes && deferTrace()) {
        m_trace.clear();
        return;
    }
    std::optional<TraceId> firstSpanTrace;
    for (PendingSpan& span : m_trace.spans) {
        if (addSpan(span) && !firstSpanTrace)
            firstSpanTrace = span.record.traceId;
    }
    addTraceWarnings(firstSpanTrace);
    m_trace.clear();
}

// Reading with span holes: a spans array emptied out of the text is the trace's when the reading
// comes upon it.
bool JaegerReader::claimHole(od::value& value)
{
    const std::uint64_t offset = offsetOf(value);
    const auto found = std::lower_bound(m_holes->at.begin(), m_holes->at.end(), offset);
    if (found == m_holes->at.end() || *found != offset)
        return false;
    const auto hole = static_cast<std::uint32_t>(found - m_holes->at.begin());
    ++m_holes->claims[hole];
    m_trace.holes.push_back(hole);
    return true;
}

// A trace object whose spans are in holes is noted for the parts, which add its spans and warnings.
// False when its holes held no span: it is then finished as it is.
bool JaegerReader::deferTrace()
{
    std::uint64_t spans = 0;
    for (const std::uint32_t hole : m_trace.holes)
        spans += m_holes->spanCount[hole];
    if (spans == 0)
        return false;
    // Spans read here, or warnings given to the first span's trace, would need the parts' order.
    if (!m_trace.spans.empty() || (!m_trace.warnings.empty() && !m_trace.id))
        m_holes->unsupported = true;
    m_holes->traces.push_back(
        {m_trace.offset, m_trace.id, std::move(m_trace.processObjects), m_trace.holes, std::move(m_trace.warnings)});
    return true;
}

void JaegerReader::startPart(const TraceJob* trace)
{
    m_trace.clear();
    if (trace) {
        m_trace.offset = trace->offset;
        m_trace.id = trace->id;
    }
}

bool JaegerReader::readPartProcesses(od::parser& parser, std::uint64_t begin, std::uint64_t end)
{
    od::document doc;
    od::object object;
    if (!json::startObject(parser, input(), begin, end, doc, object))
        return false;
    readProcessMap(object);
    return true;
}

bool JaegerReader::readPartSpan(od::parser& parser, std::uint64_t begin, std::uint64_t end, bool bareSpan)
{
    od::document doc;
    od::object object;
    if (!json::startObject(parser, input(), begin, end, doc, object) || (bareSpan && !holdsSpan(object)))
        return false;
    report().advance(begin);
    readSpanObject(object, begin);
    // The span's process id may lie in the parser's string buffer, which the next element reuses.
    addPendingSpans();
    return true;
}

void JaegerReader::finishPartTrace(const TraceJob& trace)
{
    for (const std::string& warning : trace.warnings)
        m_builder.addTraceWarning(*trace.id, warning);
}

void JaegerReader::addPendingSpans()
{
    for (PendingSpan& span : m_trace.spans)
        addSpan(span);
    m_trace.spans.clear();
    m_trace.references.clear();
    m_trace.spanWarnings.clear();
}

void JaegerReader::addTraceWarnings(const std::optional<TraceId>& firstSpanTrace)
{
    if (m_trace.warnings.empty())
        return;
    for (std::string& warning : m_trace.warnings) {
        if (firstSpanTrace)
            m_builder.addTraceWarning(m_trace.id.value_or(*firstSpanTrace), std::move(warning));
        else
            report().warning(m_trace.offset, "warning of a trace without spans: " + warning);
    }
}

void JaegerReader::readSpanEntry(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    report().advance(offset);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        report().skipSpan(offset, json::expectedMessage(value, "spans[]", "a span object"));
        return;
    }
    readSpanObject(object, offset);
}

void JaegerReader::readSpanObject(od::object object, std::uint64_t offset)
{
    m_span = PendingSpan{};
    m_span.offset = offset;
    const std::size_t referencesBefore = m_trace.references.size();
    const std::size_t warningsBefore = m_trace.spanWarnings.size();
    m_readingSpan = true;
    const bool read = readSpan(object);
    m_readingSpan = false;
    if (read) {
        m_trace.spans.push_back(m_span);
        return;
    }
    m_trace.references.resize(referencesBefore);
    m_trace.spanWarnings.resize(warningsBefore);
    skipSpanWithProblem();
}

bool JaegerReader::readSpan(od::object object)
{
    PendingSpan& span = m_span;
    if (isCutOff(span.offset))
        return fail(span.offset, "cut off by the end of the input");
    m_spanTags.clear();
    m_events.clear();
    span.references.first = static_cast<std::uint32_t>(m_trace.references.size());
    span.warnings.first = static_cast<std::uint32_t>(m_trace.spanWarnings.size());
    m_times = {};
    for (od::field field : object) {
        if (!readSpanField(field))
            return false;
    }
    if (span.record.id == 0)
        return missing(span.offset, "spanID");
    if (!setTimes(m_times, span))
        return false;
    classify(span.record);
    span.record.attributes = m_builder.appendAttributes(m_spanTags);
    span.record.events = m_builder.appendEvents(m_events);
    span.references.count = static_cast<std::uint32_t>(m_trace.references.size()) - span.references.first;
    span.warnings.count = static_cast<std::uint32_t>(m_trace.spanWarnings.size()) - span.warnings.first;
    return true;
}

// Fields Jaeger does not define are ignored.
bool JaegerReader::readSpanField(od::field& field)
{
    using Field = json::Field<JaegerReader>;
    static constexpr Field kFields[] =
        {
            {"spanID", [](JaegerReader& r, od::value v) { return r.readSpanId(v, "spanID", r.m_span.record.id); }},
            {"traceID",
             [](JaegerReader& r, od::value v) {
        r.m_span.hasTraceId = true;
        return r.readTraceId(v, "traceID", r.m_span.record.traceId);
             }},
            {"operationName",
             [](JaegerReader& r, od::value v) { return r.readString(v, "operationName", r.m_span.record.name); }},
            {"startTime", [](JaegerReader& r, od::value v) { return r.readMicros(v, "startTime", r.m_times.start); }},
            {"duration", [](JaegerReader& r, od::value v) { return r.readMicros(v, "duration", r.m_times.duration); }},
            {"tags", [](JaegerReader& r, od::value v) { return r.readTags(v, "tags", r.m_spanTags); }},
            {"references",
             [](JaegerReader& r, od::value v) {
        return r.forEachElement(v, "references", [&r](od::value ref) { return r.readReference(ref); });
             }},
                           {"logs",
                            [](JaegerReader& r, od::value v) {
        return r.forEachElement(v, "logs", [&r](od::value log) { return r.readLog(log); });
                            }},
        {"processID", [](JaegerReader& r, od::value v) { return r.readString(v, "processID", r.m_span.processId); }},
        {"process", [](JaegerReader& r, od::value v) { return r.readInlineProcess(v, r.m_span.record.resource); }},
        {"warnings", [](JaegerReader& r, od::value v) { return r.readStrings(v, "warnings", r.m_trace.spanWarnings); }},
        {"flags", [](JaegerReader& r, od::value v) { return r.readFlags(v, r.m_span.record.flags); }},
        {"parentSpanID",
         [](JaegerReader& r, od::value v) { return r.readSpanId(v, "parentSpanID", r.m_span.legacyParentId); }},
        };
    return json::readField(kFields, *this, field).value_or(true);
}

// An unusable start skips the span; an unusable duration keeps it with zero length. A span without
// startTime is placed by the builder (MarkNoTiming); one without duration has zero length, as the
// protobuf JSON encoding leaves a zero duration out.
bool JaegerReader::setTimes(const SpanTimesUs& times, PendingSpan& span)
{
    if (!times.duration)
        m_trace.spanWarnings.push_back("no duration in the file: drawn with zero length");
    const std::int64_t durationUs = times.duration.value_or(0);
    if (!times.start) {
        span.record.marks |= MarkNoTiming;
        span.record.start = 0;
        span.record.end = scaleChecked(durationUs, kNanosPerMicro).value_or(0);
        return true;
    }
    const std::optional<TimeNs> start = scaleChecked(*times.start, kNanosPerMicro);
    if (!start)
        return fail(span.offset, "startTime: expected microseconds within the range of 64-bit nanoseconds, found " +
                                     std::to_string(*times.start));
    span.record.start = *start;
    const std::optional<TimeNs> duration = scaleChecked(durationUs, kNanosPerMicro);
    if (!duration || __builtin_add_overflow(*start, *duration, &span.record.end)) {
        span.record.end = *start;
        span.record.marks |= MarkInvalidTime;
        m_trace.spanWarnings.push_back("duration " + std::to_string(durationUs) + " µs is out of range");
    }
    return true;
}

bool JaegerReader::readReference(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "references[]", "an object {refType, traceID, spanID}");
    Reference ref;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        if (key == "refType") {
            std::string_view type;
            if (!readString(field.value(), "refType", type))
                return false;
            if (equalsIgnoringCase(type, "follows_from"))
                ref.type = LinkType::FollowsFrom;
            else if (!equalsIgnoringCase(type, "child_of"))
                return fail(offset, "refType: expected CHILD_OF or FOLLOWS_FROM, found " +
                                        json::excerpt("\"" + std::string(type) + "\""));
        } else if (key == "traceID") {
            ref.hasTraceId = true;
            if (!readTraceId(field.value(), "reference traceID", ref.traceId))
                return false;
        } else if (key == "spanID") {
            if (!readSpanId(field.value(), "reference spanID", ref.spanId))
                return false;
        }
    }
    if (ref.spanId == 0)
        return missing(offset, "references[].spanID");
    m_trace.references.push_back(ref);
    return true;
}

bool JaegerReader::readLog(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "logs[]", "an object {timestamp, fields}");
    std::optional<std::int64_t> timestampUs;
    m_logFields.clear();
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        if (key == "timestamp" && !readMicros(field.value(), "log timestamp", timestampUs))
            return false;
        if (key == "fields" && !readTags(field.value(), "log fields", m_logFields))
            return false;
    }
    if (!timestampUs)
        return missing(offset, "logs[].timestamp");
    const std::optional<TimeNs> time = scaleChecked(*timestampUs, kNanosPerMicro);
    if (!time)
        return fail(offset, "logs[].timestamp: expected microseconds within the range of 64-bit nanoseconds, found " +
                                std::to_string(*timestampUs));
    m_events.push_back({*time, eventName(), m_builder.appendAttributes(m_logFields)});
    return true;
}

StringId JaegerReader::eventName() const
{
    StringId message = 0;
    for (const Attribute& field : m_logFields) {
        if (field.value.type() != ValueType::String)
            continue;
        if (field.key == m_keys.event)
            return field.value.stringId();
        if (field.key == m_keys.message && message == 0)
            message = field.value.stringId();
    }
    return message != 0 ? message : m_keys.log;
}

bool JaegerReader::readTags(od::value value, std::string_view what, std::vector<Attribute>& out)
{
    return forEachElement(value, what, [&](od::value tag) {
        Attribute attribute;
        if (!readTag(tag, attribute))
            return false;
        out.push_back(attribute);
        return true;
    });
}

bool JaegerReader::readTag(od::value value, Attribute& out)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "tags[]", "an object {key, type, value}");
    std::optional<std::string_view> key;
    std::string_view typeName;
    WrittenValue written;
    for (od::field field : object) {
        const std::string_view name = json::keyOf(field);
        if (name == "key") {
            key = json::stringOf(field.value());
            if (!key)
                return fail(offset, "tag key: expected a string");
        } else if (name == "type") {
            if (!readString(field.value(), "tag type", typeName))
                return false;
        } else if (name == "value") {
            written = readWrittenValue(field.value());
        }
    }
    if (!key)
        return missing(offset, "tags[].key");
    const std::optional<Value> typed = typedValue(tagTypeFrom(typeName), written);
    if (!typed)
        return fail(offset, "tag \"" + std::string(*key) + "\": the value is not of its type " + std::string(typeName));
    out = {m_builder.intern(*key), *typed};
    return true;
}

WrittenValue JaegerReader::readWrittenValue(od::value value)
{
    WrittenValue written;
    written.type = value.type().value();
    switch (written.type) {
    case od::json_type::string:
        written.text = value.get_string().value();
        break;
    case od::json_type::number:
        written.readable = value.get_number().get(written.number) == simdjson::SUCCESS;
        break;
    case od::json_type::boolean:
        written.boolean = value.get_bool().value();
        break;
    case od::json_type::array:
    case od::json_type::object:
        written.nested = json::plainValue(value, m_builder);
        break;
    case od::json_type::null:
        break;
    }
    return written;
}

// nullopt when the written value does not fit the declared type.
std::optional<Value> JaegerReader::typedValue(TagType type, const WrittenValue& written)
{
    using JsonType = od::json_type;
    if (written.type == JsonType::null)
        return Value();
    if (!written.readable)
        return std::nullopt;
    const bool isString = written.type == JsonType::string;
    const bool isNumber = written.type == JsonType::number;
    switch (type) {
    case TagType::Inferred:
        return inferredValue(written);
    case TagType::String:
        if (isString)
            return Value::string(m_builder.intern(written.text));
        break;
    case TagType::Bool:
        if (written.type == JsonType::boolean)
            return Value::boolean(written.boolean);
        if (isString && (written.text == "true" || written.text == "false"))
            return Value::boolean(written.text == "true");
        break;
    case TagType::Int64:
        if (isNumber && written.number.is_int64())
            return Value::integer(written.number.get_int64());
        if (const auto i = isString ? parseInt64(written.text) : std::nullopt)
            return Value::integer(*i);
        break;
    case TagType::Float64:
        if (isNumber)
            return Value::real(written.number.as_double());
        if (const auto d = isString ? parseDouble(written.text) : std::nullopt)
            return Value::real(*d);
        break;
    case TagType::Binary:
        if (const auto bytes = isString ? decodeBase64(written.text) : std::nullopt)
            return Value::bytes(m_builder.intern(*bytes));
        break;
    }
    return std::nullopt;
}

Value JaegerReader::inferredValue(const WrittenValue& written)
{
    switch (written.type) {
    case od::json_type::string:
        return Value::string(m_builder.intern(written.text));
    case od::json_type::number:
        if (written.number.is_int64())
            return Value::integer(written.number.get_int64());
        return Value::real(written.number.as_double());
    case od::json_type::boolean:
        return Value::boolean(written.boolean);
    case od::json_type::array:
    case od::json_type::object:
        return written.nested;
    case od::json_type::null:
        break;
    }
    return {};
}

bool JaegerReader::readProcess(od::value value, StringId& service, std::vector<Attribute>& tags)
{
    const std::uint64_t offset = offsetOf(value);
    if (isCutOff(offset))
        return fail(offset, "cut off by the end of the input");
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "process", "an object {serviceName, tags}");
    bool named = false;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        if (key == "serviceName") {
            std::string_view name;
            if (!readString(field.value(), "serviceName", name))
                return false;
            service = m_builder.intern(name);
            named = true;
        } else if (key == "tags" && !readTags(field.value(), "process tags", tags)) {
            return false;
        }
    }
    if (!named) // shown under unknown_service, as Jaeger UI shows it without a name
        service = 0;
    return true;
}

// Spans carrying their process inline share one resource per service while its tags stay the same.
bool JaegerReader::readInlineProcess(od::value value, std::uint32_t& resource)
{
    StringId service = 0;
    m_processTags.clear();
    if (!readProcess(value, service, m_processTags))
        return false;
    InlineProcess& latest = m_trace.inlineProcesses[service];
    if (latest.resource == kNoIndex || !sameAttributes(latest.attributes, m_processTags)) {
        latest.resource = m_builder.addResource(service, m_builder.appendAttributes(m_processTags));
        latest.attributes = m_processTags;
    }
    resource = latest.resource;
    return true;
}

// Kind and status from the tags OpenTracing and the OpenTelemetry Jaeger exporter write.
void JaegerReader::classify(SpanRecord& record) const
{
    StringId errorMessage = 0;
    StringId statusDescription = 0;
    const auto text = [this](const Value& v) {
        return v.type() == ValueType::String ? m_builder.str(v.stringId()) : std::string_view();
    };
    for (const Attribute& tag : m_spanTags) {
        if (tag.key == m_keys.spanKind) {
            record.kind = kindFrom(text(tag.value));
        } else if (tag.key == m_keys.error) {
            const bool isTrue = tag.value.type() == ValueType::Bool ? tag.value.boolean()
                                                                    : equalsIgnoringCase(text(tag.value), "true");
            if (isTrue)
                record.status = StatusCode::Error;
        } else if (tag.key == m_keys.otelStatusCode) {
            if (equalsIgnoringCase(text(tag.value), "error"))
                record.status = StatusCode::Error;
            else if (equalsIgnoringCase(text(tag.value), "ok") && record.status != StatusCode::Error)
                record.status = StatusCode::Ok;
        } else if (tag.key == m_keys.errorMessage && tag.value.type() == ValueType::String) {
            errorMessage = tag.value.stringId();
        } else if (tag.key == m_keys.otelStatusDescription && tag.value.type() == ValueType::String) {
            statusDescription = tag.value.stringId();
        }
    }
    if (record.status == StatusCode::Error)
        record.statusMessage = errorMessage != 0 ? errorMessage : statusDescription;
}

bool JaegerReader::addSpan(PendingSpan& span)
{
    if (!span.hasTraceId) {
        if (!m_trace.id) {
            report().skipSpan(span.offset, "no traceID, neither in the span nor in its trace");
            return false;
        }
        span.record.traceId = *m_trace.id;
    }
    std::optional<std::string> processWarning = resolveProcess(span);
    resolveReferences(span);
    const std::uint32_t index = m_builder.addSpan(span.record);
    for (std::uint32_t i = span.warnings.first; i < span.warnings.end(); ++i)
        m_builder.addSpanWarning(index, std::move(m_trace.spanWarnings[i]));
    if (processWarning)
        m_builder.addSpanWarning(index, std::move(*processWarning));
    return true;
}

// A warning when the span's service is unknown.
std::optional<std::string> JaegerReader::resolveProcess(PendingSpan& span) const
{
    if (span.record.resource != kNoIndex)
        return std::nullopt;
    if (span.processId.empty())
        return "no process: the service is unknown";
    const auto found = m_trace.processes.find(span.processId);
    if (found == m_trace.processes.end())
        return "process \"" + std::string(span.processId) +
               "\" is not in the trace's processes: the service is unknown";
    span.record.resource = found->second;
    return std::nullopt;
}

// Parent: the first CHILD_OF reference within the trace, else the first FOLLOWS_FROM one, else
// parentSpanID. Every other reference is kept as a link.
void JaegerReader::resolveReferences(PendingSpan& span)
{
    SpanRecord& record = span.record;
    const auto begin = m_trace.references.begin() + span.references.first;
    const auto end = begin + span.references.count;
    const auto firstWithinTrace = [&](LinkType type) {
        return std::find_if(begin, end, [&](const Reference& r) {
            return r.type == type && (!r.hasTraceId || r.traceId == record.traceId);
        });
    };
    auto parent = firstWithinTrace(LinkType::ChildOf);
    if (parent == end)
        parent = firstWithinTrace(LinkType::FollowsFrom);
    m_links.clear();
    for (auto ref = begin; ref != end; ++ref) {
        if (ref != parent)
            m_links.push_back(linkTo(ref->hasTraceId ? ref->traceId : record.traceId, ref->spanId, ref->type));
    }
    if (parent == end) {
        record.parentId = span.legacyParentId;
    } else {
        record.parentId = parent->spanId;
        if (parent->type == LinkType::FollowsFrom)
            record.marks |= MarkFollowsFrom;
        if (span.legacyParentId != 0 && span.legacyParentId != parent->spanId)
            m_links.push_back(linkTo(record.traceId, span.legacyParentId, LinkType::ChildOf));
    }
    record.links = m_builder.appendLinks(m_links);
}

bool JaegerReader::readStrings(od::value value, std::string_view what, std::vector<std::string>& out)
{
    return forEachElement(value, what, [&](od::value element) {
        std::string_view text;
        if (!readString(element, what, text))
            return false;
        out.emplace_back(text);
        return true;
    });
}

bool JaegerReader::readMicros(od::value value, std::string_view what, std::optional<std::int64_t>& out)
{
    out = json::int64Of(value);
    return out || fail(value, what, "integer microseconds (a number or a decimal string)");
}

bool JaegerReader::readFlags(od::value value, std::uint32_t& out)
{
    const std::optional<std::uint64_t> flags = json::uint64Of(value);
    if (!flags || *flags > std::numeric_limits<std::uint32_t>::max())
        return fail(value, "flags", "an unsigned 32-bit integer");
    out = static_cast<std::uint32_t>(*flags);
    return true;
}

} // namespace spanwise::jaeger

namespace spanwise {

namespace {

// Jaeger spells "traceID" and "spanID" with a capital D; OTLP and Zipkin write "traceId".
int sniff(std::string_view head)
{
    const char first = json::firstSignificantChar(head);
    if (first != '{' && first != '[')
        return 0;
    if (json::contains(head, "\"traceID\"")) {
        if (json::contains(head, "\"spanID\"") || json::contains(head, "\"operationName\""))
            return 90;
        return json::contains(head, "\"spans\"") ? 70 : 20;
    }
    // A query response that found nothing still carries the query API's envelope and its errors.
    const bool queryEnvelope = json::contains(head, "\"total\"") && json::contains(head, "\"limit\"") &&
                               json::contains(head, "\"offset\"") && json::contains(head, "\"errors\"");
    return first == '{' && queryEnvelope ? 30 : 0;
}

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    report.setText(input.text());
    if (jaeger::readSpansInParts(input, builder, report, {}))
        return;
    jaeger::JaegerReader reader(builder, report);
    json::readRecoveringTruncation(input, reader, report, "Jaeger trace JSON");
}

} // namespace

const Importer& jaegerImporter()
{
    static const Importer importer{"jaeger", sniff, read};
    return importer;
}

} // namespace spanwise
