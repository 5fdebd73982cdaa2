// Zipkin JSON, v1 and v2: a flat array of spans, an array of traces (arrays of spans) as
// /api/v2/traces returns it, or one span object (Zipkin's single-span encoding). Each span object is read in one pass;
// whether it is v1 or v2 is told from its fields, v1 spans are converted to v2, then repeats of an id are merged or
// flagged. A big array is read span by span, in parts on several threads (zipkin_parts.h).

#include "ids.h"
#include "json_reader.h"
#include "json_root_array.h"
#include "part_reader.h"
#include "zipkin_parts.h"
#include "zipkin_spans.h"

#include <algorithm>
#include <atomic>
#include <charconv>
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

int sniff(std::string_view head)
{
    const char first = json::firstSignificantChar(head);
    if (first != '[' && first != '{')
        return 0;
    if (!json::contains(head, "\"traceId\"") || !json::contains(head, "\"id\""))
        return 0;
    if (json::contains(head, "\"spanId\"") || json::contains(head, "\"resourceSpans\"")) // OpenTelemetry
        return 0;
    for (std::string_view zipkinOnly : {"\"localEndpoint\"", "\"remoteEndpoint\"", "\"binaryAnnotations\""}) {
        if (json::contains(head, zipkinOnly))
            return 95;
    }
    return 70;
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

// The OpenTelemetry JavaScript exporter writes microseconds with a fraction (1767225600123456.8):
// kept to the nanosecond, read from the number's text (a double would lose the last digits).
std::optional<TimeNs> decimalMicrosAsNanos(od::value value)
{
    const std::string_view token = value.raw_json_token();
    const std::size_t dot = token.find('.');
    if (dot == std::string_view::npos || token.empty() || token.front() == '"')
        return std::nullopt;
    std::int64_t whole = 0;
    const auto [wholeEnd, error] = std::from_chars(token.data(), token.data() + dot, whole);
    if (error != std::errc() || wholeEnd != token.data() + dot)
        return std::nullopt;
    std::int64_t fraction = 0; // in nanoseconds: three digits, further ones dropped
    int digits = 0;
    std::size_t i = dot + 1;
    for (; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i, ++digits) {
        if (digits < 3)
            fraction = fraction * 10 + (token[i] - '0');
    }
    if (digits == 0 || token.find_first_not_of(" \t\r\n", i) != std::string_view::npos) // an exponent
        return std::nullopt;
    for (; digits < 3; ++digits)
        fraction *= 10;
    const std::optional<TimeNs> nanos = scaleChecked(whole, kNsPerMicrosecond);
    TimeNs sum = 0;
    if (!nanos || __builtin_add_overflow(*nanos, token.front() == '-' ? -fraction : fraction, &sum))
        return std::nullopt;
    return sum;
}

// What a part's reader read (reading in parts), its strings those of the part's builder.
struct PartRead {
    zipkin::SpanAssembler::Collected fragments;
    std::size_t v1Spans = 0;
    std::size_t v2Spans = 0;
};

class Reader : public json::ReaderCore {
public:
    using Resources = zipkin::SpanAssembler::Resources;
    Reader(DatasetBuilder& builder, ImportReport& report, Resources resources = Resources::Made)
        : ReaderCore(builder, report), m_names(builder), m_v1(m_names), m_assembler(builder, report, m_names, resources)
    {
    }

    // Reads the spans of text; an error when its root array could not even be started.
    simdjson::error_code readText(const Input& text);
    // Reads the span object input()[begin, end) as a document of its own; false, having read
    // nothing, when that document is not valid JSON (the whole reading reports it).
    bool readSpanAt(od::parser& parser, const InputPart& span, std::uint32_t depthInFile);
    // Room for about this many spans.
    void reserve(std::size_t spans) { m_assembler.reserve(spans); }
    // What a part's reader read, moved out.
    PartRead takePart();
    // Adds a part's reading after what this one read; appended tells where its strings went.
    void appendPart(PartRead&& part, const AppendedPart& appended);
    void finish();

private:
    void readSpans(od::array spans, od::document& doc);
    void readOneSpan(od::document& doc);
    void expectEnd(od::document& doc, const char* after);
    void readElement(od::value element);
    void readSpan(od::value value);
    bool readSpanObject(od::value value);
    bool readField(od::field& field);
    // Fields only v2 spans have tell the version.
    bool v2Field(bool ok)
    {
        m_span.hasV2Fields = true;
        return ok;
    }
    void addSpan();

    bool readTraceId(od::value value);
    bool readBool(od::value value, std::string_view field, bool& out);
    bool readKind(od::value value);
    bool readTime(od::value value, std::string_view field, std::optional<TimeNs>& out);
    bool readEndpoint(od::value value, std::string_view field, Endpoint& out);
    bool readPort(od::value value, std::uint16_t& out);
    bool readAnnotations(od::value value);
    bool readAnnotation(od::value value);
    bool readTags(od::value value);
    bool readBinaryAnnotations(od::value value);
    bool readBinaryAnnotation(od::value value);
    bool readScalar(od::value value, Value& out);

    zipkin::Names m_names;
    zipkin::V1Converter m_v1;
    zipkin::SpanAssembler m_assembler;
    RawSpan m_span;
    bool m_hasTraceId = false;
    bool m_hasId = false;
    std::size_t m_v1Spans = 0;
    std::size_t m_v2Spans = 0;
};

simdjson::error_code Reader::readText(const Input& text)
{
    setInput(text);
    od::parser parser;
    od::document doc;
    od::array spans;
    if (const simdjson::error_code error = json::start(parser, text, 0, text.size, doc))
        return error;
    od::json_type type;
    if (const simdjson::error_code error = doc.type().get(type))
        return error;
    if (type == od::json_type::object) {
        json::readGuarded(text, doc, report(), kWhat, [this](od::document& d) { readOneSpan(d); });
        return simdjson::SUCCESS;
    }
    if (const simdjson::error_code error = doc.get_array().get(spans))
        return error;
    const auto readAll = [&](od::document& d) { readSpans(spans, d); };
    json::readGuarded(text, doc, report(), kWhat, readAll);
    return simdjson::SUCCESS;
}

bool Reader::readSpanAt(od::parser& parser, const InputPart& span, std::uint32_t depthInFile)
{
    od::document doc;
    if (json::start(parser, input(), span.begin, span.end, doc) != simdjson::SUCCESS)
        return false;
    const json::EnclosingDepth depth(static_cast<std::int32_t>(depthInFile));
    try {
        readSpan(doc.get_value());
    } catch (const simdjson::simdjson_error&) {
        return false;
    }
    return true;
}

PartRead Reader::takePart()
{
    return {m_assembler.take(), std::exchange(m_v1Spans, 0), std::exchange(m_v2Spans, 0)};
}

void Reader::appendPart(PartRead&& part, const AppendedPart& appended)
{
    m_assembler.append(std::move(part.fragments), appended);
    m_v1Spans += part.v1Spans;
    m_v2Spans += part.v2Spans;
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
    if (const std::uint64_t rest = json::currentOffset(input(), doc); rest < input().size)
        report().error(rest, std::string("unexpected content after ") + after + "; ignored");
}

void Reader::finish()
{
    m_assembler.finish();
    if (m_v1Spans && m_v2Spans)
        report().variant = "zipkin-v1+v2";
    else
        report().variant = m_v1Spans ? "zipkin-v1" : "zipkin-v2";
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
        fail(element, "spans[]", "a span object or an array of spans");
        skipSpanWithProblem();
    }
}

void Reader::readSpan(od::value value)
{
    m_span.clear();
    m_span.offset = offsetOf(value);
    report().advance(m_span.offset);
    m_hasTraceId = m_hasId = false;
    if (isCutOff(m_span.offset)) {
        report().skipSpan(m_span.offset, "cut off: the input ends inside this span");
        return;
    }
    if (!readSpanObject(value)) {
        skipSpanWithProblem();
        return;
    }
    addSpan();
}

// Stops at the first bad field; the array iteration skips the rest of the object.
bool Reader::readSpanObject(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "span", "an object");
    for (od::field field : object) {
        if (!readField(field))
            return false;
    }
    if (!m_hasTraceId)
        return missing(m_span.offset, "traceId");
    if (!m_hasId)
        return missing(m_span.offset, "id");
    return true;
}

// Fields Zipkin does not define are ignored, as Zipkin does.
bool Reader::readField(od::field& field)
{
    using Field = json::Field<Reader>;
    static constexpr Field kFields[] =
        {
            {"traceId", [](Reader& r, od::value v) { return r.readTraceId(v); }},
            {"id",
             [](Reader& r, od::value v) {
        r.m_hasId = true;
        return r.readSpanId(v, "id", r.m_span.id, true) && (r.m_span.id != 0 || r.fail(v, "id", "a non-zero id"));
             }},
            {"parentId", [](Reader& r, od::value v) { return r.readSpanId(v, "parentId", r.m_span.parentId, true); }},
            {"name", [](Reader& r, od::value v) { return r.readString(v, "name", r.m_span.name); }},
            {"timestamp", [](Reader& r, od::value v) { return r.readTime(v, "timestamp", r.m_span.v2.timestamp); }},
            {"duration", [](Reader& r, od::value v) { return r.readTime(v, "duration", r.m_span.v2.duration); }},
            {"kind", [](Reader& r, od::value v) { return r.v2Field(r.readKind(v)); }},
            {"localEndpoint",
             [](Reader& r, od::value v) { return r.v2Field(r.readEndpoint(v, "localEndpoint", r.m_span.v2.local)); }},
            {"remoteEndpoint",
             [](Reader& r, od::value v) { return r.v2Field(r.readEndpoint(v, "remoteEndpoint", r.m_span.v2.remote)); }},
            {"tags", [](Reader& r, od::value v) { return r.v2Field(r.readTags(v)); }},
            {"shared", [](Reader& r, od::value v) { return r.v2Field(r.readBool(v, "shared", r.m_span.v2.shared)); }},
            {"annotations", [](Reader& r, od::value v) { return r.readAnnotations(v); }},
            {"binaryAnnotations", [](Reader& r, od::value v) { return r.readBinaryAnnotations(v); }},
            {"debug", [](Reader& r, od::value v) { return r.readBool(v, "debug", r.m_span.debug); }},
    };
    return json::readField(kFields, *this, field).value_or(true);
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
        report().warning(m_span.offset, "span with both v2 fields and v1 binaryAnnotations: read as v2, its "
                                        "binaryAnnotations left out");
    for (const Annotation& a : m_span.annotations)
        m_span.v2.events.push_back({a.time, a.value, {}});
    m_assembler.add(m_span, m_span.v2);
}

bool Reader::readTraceId(od::value value)
{
    m_hasTraceId = true;
    return ReaderCore::readTraceId(value, "traceId", m_span.traceId);
}

bool Reader::readBool(od::value value, std::string_view field, bool& out)
{
    if (value.get_bool().get(out) == simdjson::SUCCESS)
        return true;
    return json::isNull(value) || fail(value, field, "true or false");
}

bool Reader::readKind(od::value value)
{
    std::string_view text;
    std::optional<SpanKind> kind;
    if (value.get_string().get(text) == simdjson::SUCCESS)
        kind = kindNamed(text);
    else if (json::isNull(value))
        return true;
    if (!kind)
        return fail(value, "kind", "CLIENT, SERVER, PRODUCER or CONSUMER");
    m_span.v2.kind = *kind;
    return true;
}

// Microseconds since the epoch (or a duration in microseconds), as nanoseconds.
bool Reader::readTime(od::value value, std::string_view field, std::optional<TimeNs>& out)
{
    std::int64_t number = 0;
    const bool plain = value.get_int64().get(number) == simdjson::SUCCESS; // the usual form, read in one step
    auto micros = plain ? std::optional<std::int64_t>(number) : json::int64Of(value);
    if (!micros)
        micros = exactIntegerOf(value);
    if (micros) {
        out = scaleChecked(*micros, kNsPerMicrosecond);
        return out || fail(value, field, "microseconds within the range of 64-bit nanoseconds");
    }
    out = decimalMicrosAsNanos(value);
    return out || json::isNull(value) || fail(value, field, "a number of microseconds");
}

bool Reader::readEndpoint(od::value value, std::string_view field, Endpoint& out)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return json::isNull(value) || fail(value, field, "an object");
    for (od::field member : object) {
        const std::string_view key = json::keyOf(member);
        od::value v = member.value();
        const bool ok = key == "serviceName" ? readString(v, "serviceName", out.service)
                        : key == "ipv4"      ? readString(v, "ipv4", out.ipv4)
                        : key == "ipv6"      ? readString(v, "ipv6", out.ipv6)
                        : key == "port"      ? readPort(v, out.port)
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
        return json::isNull(value) || fail(value, "port", "an integer");
    if (*port < -32768 || *port > 65535)
        return fail(value, "port", "a port within 0–65535");
    out = static_cast<std::uint16_t>(*port);
    return true;
}

bool Reader::readAnnotations(od::value value)
{
    return forEachElement(value, "annotations", [this](od::value annotation) { return readAnnotation(annotation); });
}

bool Reader::readAnnotation(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "annotations[]", "an object with timestamp and value");
    std::optional<TimeNs> time;
    Annotation a;
    bool hasValue = false;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        od::value v = field.value();
        bool ok = true;
        if (key == "timestamp")
            ok = readTime(v, "annotations[].timestamp", time);
        else if (key == "value")
            ok = readString(v, "annotations[].value", a.value, &hasValue);
        else if (key == "endpoint")
            ok = readEndpoint(v, "annotations[].endpoint", a.endpoint);
        if (!ok)
            return false;
    }
    if (!time)
        return missing(offset, "annotations[].timestamp");
    if (!hasValue)
        return missing(offset, "annotations[].value");
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
        return json::isNull(value) || fail(value, "tags", "an object");
    for (od::field field : object) {
        const StringId key = m_builder.intern(json::keyOf(field));
        od::value v = field.value();
        Value tag;
        if (readScalar(v, tag))
            m_span.v2.tags.push_back({key, tag});
        else if (!json::isNull(v)) // null tags are dropped, as Zipkin does
            return fail(v, "tags[" + std::string(m_builder.str(key)) + "]", "a string");
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
    m_span.hasV1Fields = true;
    return forEachElement(value, "binaryAnnotations",
                          [this](od::value annotation) { return readBinaryAnnotation(annotation); });
}

bool Reader::readBinaryAnnotation(od::value value)
{
    const std::uint64_t offset = offsetOf(value);
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return fail(value, "binaryAnnotations[]", "an object with key and value");
    BinaryAnnotation b;
    bool hasKey = false;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        od::value v = field.value();
        bool ok = true;
        if (key == "key")
            ok = readString(v, "binaryAnnotations[].key", b.key, &hasKey);
        else if (key == "value")
            ok = readScalar(v, b.value) || json::isNull(v) ||
                 fail(v, "binaryAnnotations[].value", "a string, number or boolean");
        else if (key == "endpoint")
            ok = readEndpoint(v, "binaryAnnotations[].endpoint", b.endpoint);
        if (!ok)
            return false;
    }
    if (!hasKey)
        return missing(offset, "binaryAnnotations[].key");
    if (b.value.type() != ValueType::Empty) // Zipkin drops those without a value too
        m_span.binaryAnnotations.push_back(b);
    return true;
}

// The span objects within part, read by reader; false when one is not valid JSON.
bool readObjectsIn(Reader& reader, const json::ArrayObjects& spans, InputPart part)
{
    od::parser parser;
    const auto first = std::lower_bound(spans.objects.begin(), spans.objects.end(), part.begin,
                                        [](const InputPart& span, std::uint64_t at) { return span.begin < at; });
    for (auto span = first; span != spans.objects.end() && span->end <= part.end; ++span) {
        if (!reader.readSpanAt(parser, *span, spans.depth))
            return false;
    }
    return true;
}

// Reads the span objects into builder and report: on one thread straight through, on several in
// parts, each part's fragments appended to the reader's assembler in input order. False when a span
// object is not valid JSON.
bool readSpanObjects(const Input& input, const json::ArrayObjects& spans, const zipkin::PartOptions& options,
                     DatasetBuilder& builder, ImportReport& report)
{
    Reader reader(builder, report);
    reader.setInput(input);
    reader.reserve(spans.objects.size());
    if (input.threads <= 1) {
        if (!readObjectsIn(reader, spans, {0, input.size}))
            return false;
        reader.finish();
        return true;
    }
    const std::vector<InputPart> parts = json::groupIntoParts(spans.objects, options.partBytes);
    std::vector<PartRead> partReads(parts.size());
    std::atomic<bool> failed{false}; // a failed part stops those not yet started
    readInParts(
        input, parts, builder, report,
        [&](std::size_t index, DatasetBuilder& partBuilder, ImportReport& partReport) {
        Reader partReader(partBuilder, partReport, Reader::Resources::Deferred);
        partReader.setInput(input);
        if (failed || !readObjectsIn(partReader, spans, parts[index]))
            failed = true;
        else
            partReads[index] = partReader.takePart();
        },
        [&](std::size_t index, const AppendedPart& appended) {
        if (!failed)
            reader.appendPart(std::move(partReads[index]), appended);
        partReads[index] = {};
    });
    if (failed)
        return false;
    reader.finish();
    return true;
}

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    report.setText(input.text());
    if (!zipkin::readSpansInParts(input, builder, report, {}))
        zipkin::readWhole(input, builder, report);
}

} // namespace

bool zipkin::readSpansInParts(const Input& input, DatasetBuilder& builder, ImportReport& report,
                              const PartOptions& options)
{
    if (input.size < options.minInputBytes)
        return false;
    const std::optional<json::ArrayObjects> spans = json::objectsOfRootArray(input, input.threads,
                                                                             options.skeletonBlockBytes);
    if (!spans)
        return false;
    // Read into a builder and report of their own, so a failure leaves the caller's untouched.
    DatasetBuilder read;
    read.reserve(spans->objects.size());
    ImportReport readReport;
    readReport.onProgress = report.onProgress;
    readReport.onPartProgress = report.onPartProgress;
    if (!readSpanObjects(input, *spans, options, read, readReport))
        return false;
    if (builder.empty())
        builder = std::move(read);
    else
        builder.append(read);
    report.variant = readReport.variant;
    report.append(std::move(readReport));
    return true;
}

void zipkin::readWhole(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    Reader reader(builder, report);
    json::readRecoveringTruncation(input, reader, report, kWhat);
    reader.finish(); // keeps the spans read before a syntax error
}

const Importer& zipkinImporter()
{
    static const Importer importer{"zipkin", sniff, read};
    return importer;
}

} // namespace spanwise
