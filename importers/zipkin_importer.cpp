// Zipkin JSON, v1 and v2: a flat array of spans, an array of traces (arrays of spans) as
// /api/v2/traces returns it, or one span object (Zipkin's single-span encoding). Each span object is read in one pass; whether it is v1 or v2 is told
// from its fields, v1 spans are converted to v2, then repeats of an id are merged or flagged.

#include "ids.h"
#include "json_support.h"
#include "zipkin_spans.h"

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

namespace od = json::od;
using zipkin::Annotation;
using zipkin::BinaryAnnotation;
using zipkin::Endpoint;
using zipkin::RawSpan;

constexpr std::int64_t kNsPerMicrosecond = 1000;
constexpr std::string_view kWhat = "a JSON array of Zipkin spans, or one span";

bool contains(std::string_view text, std::string_view what)
{
    return text.find(what) != std::string_view::npos;
}

int sniff(std::string_view head)
{
    const char first = json::firstSignificantChar(head);
    if (first != '[' && first != '{')
        return 0;
    if (!contains(head, "\"traceId\"") || !contains(head, "\"id\""))
        return 0;
    if (contains(head, "\"spanId\"") || contains(head, "\"resourceSpans\"")) // OpenTelemetry
        return 0;
    for (std::string_view zipkinOnly : {"\"localEndpoint\"", "\"remoteEndpoint\"", "\"binaryAnnotations\""}) {
        if (contains(head, zipkinOnly))
            return 95;
    }
    return 70;
}

// A string from the file inside a message: quoted, and cut when long.
std::string quoted(std::string_view text)
{
    constexpr std::size_t kMax = 40;
    return "\"" + std::string(text.substr(0, kMax)) + (text.size() > kMax ? "…\"" : "\"");
}

std::optional<SpanKind> kindNamed(std::string_view name)
{
    if (name == "CLIENT")
        return SpanKind::Client;
    if (name == "SERVER")
        return SpanKind::Server;
    if (name == "PRODUCER")
        return SpanKind::Producer;
    if (name == "CONSUMER")
        return SpanKind::Consumer;
    return std::nullopt;
}

// Zipkin's field names need no unescaping: compared as written, they are found without a copy.
bool named(const od::raw_json_string& key, std::string_view name)
{
    return key.unsafe_is_equal(name);
}

bool isNull(od::value& value)
{
    bool null = false;
    return value.is_null().get(null) == simdjson::SUCCESS && null;
}

// Some JSON encoders (Brave 3 through Gson, pretty-printers) write microseconds in exponent form,
// 1.463737111294e+15: accepted when the double is an integer it holds exactly.
std::optional<std::int64_t> exactIntegerOf(od::value value)
{
    constexpr double kExactLimit = 9007199254740992.0; // 2^53
    double number = 0;
    if (value.get_double().get(number) != simdjson::SUCCESS || std::trunc(number) != number ||
        std::fabs(number) > kExactLimit)
        return std::nullopt;
    return static_cast<std::int64_t>(number);
}

class Reader {
public:
    Reader(DatasetBuilder& builder, ImportReport& report)
        : m_builder(builder), m_report(report), m_names(builder), m_v1(m_names), m_assembler(builder, report, m_names)
    {
    }

    // Reads the spans of text; an error when its root array could not even be started.
    simdjson::error_code readText(const Input& text);
    // Reading a truncated text closed at a cut: the objects open there are spans cut off.
    void setCutOff(std::vector<std::uint64_t> openAtCut) { m_cutOff = std::move(openAtCut); }
    void finish();

private:
    void readSpans(od::array spans, od::document& doc);
    void readOneSpan(od::document& doc);
    void expectEnd(od::document& doc, const char* after);
    void readElement(od::value element);
    void readSpan(od::value value);
    bool readSpanObject(od::value value);
    bool readField(const od::raw_json_string& key, od::value value);
    // Fields only v2 spans have tell the version.
    bool v2Field(bool ok) { m_span.hasV2Fields = true; return ok; }
    void addSpan();

    bool readHexId(od::value value, const char* what, SpanId& out);
    bool readTraceId(od::value value);
    bool readString(od::value value, const char* what, StringId& out, bool* present = nullptr);
    bool readBool(od::value value, const char* what, bool& out);
    bool readKind(od::value value);
    bool readTime(od::value value, const char* what, std::optional<TimeNs>& out);
    bool readEndpoint(od::value value, const char* what, Endpoint& out);
    bool readPort(od::value value, std::uint16_t& out);
    bool readAnnotations(od::value value);
    bool readAnnotation(od::value value);
    bool readTags(od::value value);
    bool readBinaryAnnotations(od::value value);
    bool readBinaryAnnotation(od::value value);
    bool readScalar(od::value value, Value& out);

    std::uint64_t offsetOf(od::value& value) const { return json::offsetOf(m_input, value.raw_json_token().data()); }
    bool fail(std::uint64_t offset, std::string message);
    bool fail(od::value& value, std::string message) { return fail(offsetOf(value), std::move(message)); }

    Input m_input;
    DatasetBuilder& m_builder;
    ImportReport& m_report;
    zipkin::Names m_names;
    zipkin::V1Converter m_v1;
    zipkin::SpanAssembler m_assembler;
    std::vector<std::uint64_t> m_cutOff;
    std::string_view m_lastTraceIdText;
    TraceId m_lastTraceId;
    RawSpan m_span;
    bool m_hasTraceId = false;
    bool m_hasId = false;
    std::uint64_t m_problemOffset = 0;
    std::string m_problem;
    std::size_t m_v1Spans = 0;
    std::size_t m_v2Spans = 0;
};

simdjson::error_code Reader::readText(const Input& text)
{
    m_input = text;
    m_lastTraceIdText = {};
    od::parser parser;
    od::document doc;
    od::array spans;
    try {
        doc = json::iterate(parser, text, 0, text.size);
    } catch (const simdjson::simdjson_error& e) {
        return e.error();
    }
    od::json_type type;
    if (const simdjson::error_code error = doc.type().get(type))
        return error;
    if (type == od::json_type::object) {
        json::readGuarded(text, doc, m_report, kWhat, [this](od::document& d) { readOneSpan(d); });
        return simdjson::SUCCESS;
    }
    if (const simdjson::error_code error = doc.get_array().get(spans))
        return error;
    const auto readAll = [&](od::document& d) { readSpans(spans, d); };
    json::readGuarded(text, doc, m_report, kWhat, readAll);
    return simdjson::SUCCESS;
}

void Reader::readSpans(od::array spans, od::document& doc)
{
    for (od::value element : spans)
        readElement(element);
    expectEnd(doc, "the array of spans");
}

void Reader::readOneSpan(od::document& doc)
{
    readSpan(doc.get_value());
    expectEnd(doc, "the span");
}

void Reader::expectEnd(od::document& doc, const char* after)
{
    if (const std::uint64_t rest = json::currentOffset(m_input, doc); rest < m_input.size)
        m_report.error(rest, std::string("unexpected content after ") + after + "; ignored");
}

void Reader::finish()
{
    m_assembler.finish();
    if (m_v1Spans && m_v2Spans)
        m_report.variant = "zipkin-v1+v2";
    else
        m_report.variant = m_v1Spans ? "zipkin-v1" : "zipkin-v2";
}

void Reader::readElement(od::value element)
{
    const od::json_type type = element.type();
    if (type == od::json_type::object) {
        readSpan(element);
    } else if (type == od::json_type::array) { // a trace, as /api/v2/traces lists them
        for (od::value span : element.get_array())
            readSpan(span);
    } else {
        m_report.skipSpan(offsetOf(element), "expected a span object or an array of spans");
    }
}

void Reader::readSpan(od::value value)
{
    m_span.clear();
    m_span.offset = offsetOf(value);
    m_report.advance(m_span.offset);
    m_hasTraceId = m_hasId = false;
    if (std::binary_search(m_cutOff.begin(), m_cutOff.end(), m_span.offset)) {
        m_report.skipSpan(m_span.offset, "cut off: the input ends inside this span");
        return;
    }
    if (!readSpanObject(value)) {
        m_report.skipSpan(m_problemOffset, std::move(m_problem));
        return;
    }
    addSpan();
}

// Stops at the first bad field; the array iteration skips the rest of the object.
bool Reader::readSpanObject(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(m_span.offset, "expected a span object");
    for (od::field field : object) {
        if (!readField(field.key(), field.value()))
            return false;
    }
    if (!m_hasTraceId)
        return fail(m_span.offset, "expected a traceId");
    if (!m_hasId)
        return fail(m_span.offset, "expected an id");
    return true;
}

bool Reader::fail(std::uint64_t offset, std::string message)
{
    m_problemOffset = offset;
    m_problem = std::move(message);
    return false;
}

bool Reader::readField(const od::raw_json_string& key, od::value value)
{
    RawSpan& s = m_span;
    if (named(key, "traceId"))
        return readTraceId(value);
    if (named(key, "id")) {
        m_hasId = true;
        return readHexId(value, "id", s.id) && (s.id != 0 || fail(value, "expected a non-zero id"));
    }
    if (named(key, "parentId"))
        return readHexId(value, "parentId", s.parentId);
    if (named(key, "name"))
        return readString(value, "name", s.name);
    if (named(key, "timestamp"))
        return readTime(value, "timestamp", s.v2.timestamp);
    if (named(key, "duration"))
        return readTime(value, "duration", s.v2.duration);
    if (named(key, "kind"))
        return v2Field(readKind(value));
    if (named(key, "localEndpoint"))
        return v2Field(readEndpoint(value, "localEndpoint", s.v2.local));
    if (named(key, "remoteEndpoint"))
        return v2Field(readEndpoint(value, "remoteEndpoint", s.v2.remote));
    if (named(key, "tags"))
        return v2Field(readTags(value));
    if (named(key, "shared"))
        return v2Field(readBool(value, "shared", s.v2.shared));
    if (named(key, "annotations"))
        return readAnnotations(value);
    if (named(key, "binaryAnnotations"))
        return readBinaryAnnotations(value);
    if (named(key, "debug"))
        return readBool(value, "debug", s.debug);
    return true; // fields Zipkin does not define are ignored, as Zipkin does
}

void Reader::addSpan()
{
    if (m_span.hasV1Fields && !m_span.hasV2Fields) {
        ++m_v1Spans;
        for (zipkin::SpanPart& part : m_v1.convert(m_span))
            m_assembler.add(m_span, part);
        return;
    }
    if (m_span.hasV2Fields)
        ++m_v2Spans;
    if (!m_span.binaryAnnotations.empty())
        m_report.warning(m_span.offset, "span with both v2 fields and v1 binaryAnnotations: read as v2, its "
                                        "binaryAnnotations left out");
    for (const Annotation& a : m_span.annotations)
        m_span.v2.events.push_back({a.time, a.value, {}});
    m_assembler.add(m_span, m_span.v2);
}

bool Reader::readHexId(od::value value, const char* what, SpanId& out)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return isNull(value) || fail(value, std::string("expected ") + what + " as a string of hex digits");
    const auto id = parseHexSpanId(text);
    if (!id)
        return fail(value, std::string("expected ") + what + " as up to 16 hex digits, found " + quoted(text));
    out = *id;
    return true;
}

bool Reader::readTraceId(od::value value)
{
    m_hasTraceId = true;
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
        return fail(value, "expected traceId as a string of hex digits");
    if (text == m_lastTraceIdText) { // spans of a trace mostly come together
        m_span.traceId = m_lastTraceId;
        return true;
    }
    const auto id = parseHexTraceId(text);
    if (!id || id->isZero())
        return fail(value, "expected traceId as 16 or 32 hex digits, not all zero, found " + quoted(text));
    m_span.traceId = m_lastTraceId = *id;
    m_lastTraceIdText = text; // simdjson keeps the strings of a document until it is done
    return true;
}

// A string or null; present tells which.
bool Reader::readString(od::value value, const char* what, StringId& out, bool* present)
{
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
        out = m_builder.intern(text);
        if (present)
            *present = true;
        return true;
    }
    return isNull(value) || fail(value, std::string("expected ") + what + " as a string");
}

bool Reader::readBool(od::value value, const char* what, bool& out)
{
    if (value.get_bool().get(out) == simdjson::SUCCESS)
        return true;
    return isNull(value) || fail(value, std::string("expected ") + what + " as true or false");
}

bool Reader::readKind(od::value value)
{
    std::string_view text;
    std::optional<SpanKind> kind;
    if (value.get_string().get(text) == simdjson::SUCCESS)
        kind = kindNamed(text);
    else if (isNull(value))
        return true;
    if (!kind)
        return fail(value, "expected kind CLIENT, SERVER, PRODUCER or CONSUMER");
    m_span.v2.kind = *kind;
    return true;
}

// Microseconds since the epoch (or a duration in microseconds), as nanoseconds.
bool Reader::readTime(od::value value, const char* what, std::optional<TimeNs>& out)
{
    std::int64_t number = 0;
    const bool plain = value.get_int64().get(number) == simdjson::SUCCESS; // the usual form, read in one step
    auto micros = plain ? std::optional<std::int64_t>(number) : json::int64Of(value);
    if (!micros)
        micros = exactIntegerOf(value);
    if (!micros)
        return isNull(value) || fail(value, std::string("expected ") + what + " as integer microseconds");
    out = scaleChecked(*micros, kNsPerMicrosecond);
    return out || fail(value, std::string(what) + " out of range: " + std::to_string(*micros) + " µs");
}

bool Reader::readEndpoint(od::value value, const char* what, Endpoint& out)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return isNull(value) || fail(value, std::string("expected ") + what + " as an object");
    for (od::field field : object) {
        const od::raw_json_string key = field.key();
        od::value v = field.value();
        const bool ok = named(key, "serviceName") ? readString(v, "serviceName", out.service)
                        : named(key, "ipv4")      ? readString(v, "ipv4", out.ipv4)
                        : named(key, "ipv6")      ? readString(v, "ipv6", out.ipv6)
                        : named(key, "port")      ? readPort(v, out.port)
                                                  : true;
        if (!ok)
            return false;
    }
    return true;
}

// Thrift-era writers wrote ports as signed 16-bit numbers: negative ones wrap around.
bool Reader::readPort(od::value value, std::uint16_t& out)
{
    const auto port = json::int64Of(value);
    if (!port)
        return isNull(value) || fail(value, "expected port as an integer");
    if (*port < -32768 || *port > 65535)
        return fail(value, "expected port within 0–65535, found " + std::to_string(*port));
    out = static_cast<std::uint16_t>(*port);
    return true;
}

bool Reader::readAnnotations(od::value value)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS)
        return isNull(value) || fail(value, "expected annotations as an array");
    for (od::value annotation : array) {
        if (!readAnnotation(annotation))
            return false;
    }
    return true;
}

bool Reader::readAnnotation(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(offset, "expected an annotation object with timestamp and value");
    std::optional<TimeNs> time;
    Annotation a;
    bool hasValue = false;
    for (od::field field : object) {
        const od::raw_json_string key = field.key();
        od::value v = field.value();
        bool ok = true;
        if (named(key, "timestamp")) {
            ok = readTime(v, "annotation timestamp", time);
        } else if (named(key, "value")) {
            ok = readString(v, "annotation value", a.value, &hasValue);
        } else if (named(key, "endpoint")) {
            ok = readEndpoint(v, "annotation endpoint", a.endpoint);
        }
        if (!ok)
            return false;
    }
    if (!time || !hasValue)
        return fail(offset, "expected an annotation with timestamp and value");
    a.time = *time;
    m_span.hasV1Fields |= !a.endpoint.empty();
    m_span.annotations.push_back(a);
    return true;
}

// Tag values are strings in Zipkin; numbers and booleans some writers put there are kept as such.
bool Reader::readTags(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return isNull(value) || fail(value, "expected tags as an object");
    for (od::field field : object) {
        const StringId key = m_builder.intern(field.unescaped_key().value());
        od::value v = field.value();
        Value tag;
        if (readScalar(v, tag))
            m_span.v2.tags.push_back({key, tag});
        else if (!isNull(v)) // null tags are dropped, as Zipkin does
            return fail(v, "expected tag values as strings");
    }
    return true;
}

bool Reader::readScalar(od::value value, Value& out)
{
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
        out = Value::string(m_builder.intern(text));
        return true;
    }
    switch (value.type().value()) {
    case od::json_type::number:
    case od::json_type::boolean:
        out = json::plainValue(value, m_builder);
        return true;
    default:
        return false;
    }
}

bool Reader::readBinaryAnnotations(od::value value)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS)
        return isNull(value) || fail(value, "expected binaryAnnotations as an array");
    m_span.hasV1Fields = true;
    for (od::value annotation : array) {
        if (!readBinaryAnnotation(annotation))
            return false;
    }
    return true;
}

bool Reader::readBinaryAnnotation(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(offset, "expected a binary annotation object with key and value");
    BinaryAnnotation b;
    bool hasKey = false;
    for (od::field field : object) {
        const od::raw_json_string key = field.key();
        od::value v = field.value();
        bool ok = true;
        if (named(key, "key")) {
            ok = readString(v, "binary annotation key", b.key, &hasKey);
        } else if (named(key, "value")) {
            ok = readScalar(v, b.value) || isNull(v) ||
                 fail(v, "expected a binary annotation value as a string, number or boolean");
        } else if (named(key, "endpoint")) {
            ok = readEndpoint(v, "binary annotation endpoint", b.endpoint);
        }
        if (!ok)
            return false;
    }
    if (!hasKey)
        return fail(offset, "expected a binary annotation with a key");
    if (b.value.type() != ValueType::Empty) // Zipkin drops those without a value too
        m_span.binaryAnnotations.push_back(b);
    return true;
}

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    report.setText(input.text());
    Reader reader(builder, report);
    json::readRecoveringTruncation(input, reader, report, kWhat);
    reader.finish(); // keeps the spans read before a syntax error
}

} // namespace

const Importer& zipkinImporter()
{
    static const Importer importer{"zipkin", sniff, read};
    return importer;
}

} // namespace spanwise
