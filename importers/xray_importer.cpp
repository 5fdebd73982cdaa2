// AWS X-Ray segment documents: the output of BatchGetTraces (`aws xray batch-get-traces`), whose
// segments hold each document as a JSON string, parsed again here; one document, an array of them,
// one per line, or the daemon's UDP form (a {"format": "json", "version": 1} header line before
// each document). Every segment and nested subsegment becomes a span; times are decimal seconds.

#include "ids.h"
#include "xray_parts.h"
#include "xray_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace spanwise {

namespace {

namespace od = json::od;

constexpr std::string_view kWhat = "X-Ray segment documents ({\"Traces\": [...]} from BatchGetTraces, a segment "
                                   "document, an array of them or one per line)";

std::string_view trimmed(std::string_view line)
{
    const std::size_t begin = line.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos)
        return {};
    return line.substr(begin, line.find_last_not_of(" \t\r\n") + 1 - begin);
}

using xray::isDaemonHeader;

int sniff(std::string_view head)
{
    const char first = json::firstSignificantChar(head);
    if (first != '{' && first != '[')
        return 0;
    if (json::hasKey(head, "\"Traces\"") && (json::hasKey(head, "\"Segments\"") || json::hasKey(head, "\"Document\"")))
        return 95;
    if (json::hasKey(head, "\"TraceSummaries\""))
        return 90;
    if (json::hasKey(head, "\"span_id\"")) // Datadog spans have trace_id and parent_id too
        return 0;
    const bool daemon = isDaemonHeader(head.substr(0, head.find('\n')));
    const bool segment = json::hasKey(head, "\"start_time\"") &&
                         (json::hasKey(head, "\"trace_id\"") || json::hasKey(head, "\"subsegments\"") ||
                          json::hasKey(head, "\"in_progress\""));
    if (segment)
        return daemon ? 95 : 85;
    return 0;
}

// "1-5759e988-bd862e3fe1be46a994272793" is 5759e988bd862e3fe1be46a994272793, as OpenTelemetry's
// X-Ray propagator maps it (the first part is the epoch second the trace started).
std::optional<TraceId> parseXrayTraceId(std::string_view text)
{
    if (text.size() != 35 || text.substr(0, 2) != "1-" || text[10] != '-')
        return std::nullopt;
    char hex[32];
    std::copy_n(text.data() + 2, 8, hex);
    std::copy_n(text.data() + 11, 24, hex + 8);
    return parseHexTraceId({hex, sizeof hex});
}

// The path of an HTTP URL, without query or fragment.
std::string_view urlPath(std::string_view url)
{
    const std::size_t scheme = url.find("://");
    if (scheme != std::string_view::npos) {
        const std::size_t slash = url.find('/', scheme + 3);
        url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    return url.substr(0, url.find_first_of("?#"));
}

// Position in a JSON string's raw (escaped) text of the byte at `unescaped` in its unescaped value.
const char* rawPositionOf(const char* quote, std::uint64_t unescaped)
{
    const char* p = quote + 1;
    for (std::uint64_t i = 0; i < unescaped && *p != '"' && *p != '\0';) {
        if (*p != '\\') {
            ++p;
            ++i;
        } else if (p[1] != 'u') {
            p += 2;
            ++i;
        } else {
            const std::optional<SpanId> unit = parseHexSpanId({p + 2, 4});
            const std::uint64_t cp = unit.value_or(0);
            if (cp >= 0xD800 && cp < 0xDC00 && p[6] == '\\' && p[7] == 'u') {
                p += 12;
                i += 4;
            } else {
                p += 6;
                i += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            }
        }
    }
    return p;
}

// The character each short escape stands for, by the letter after the backslash; 0: none.
constexpr std::array<char, 256> shortEscapes = [] {
    std::array<char, 256> meaning{};
    constexpr std::string_view kEscaped = "\"\\/bfnrt", kMeaning = "\"\\/\b\f\n\r\t";
    for (std::size_t i = 0; i < kEscaped.size(); ++i)
        meaning[static_cast<unsigned char>(kEscaped[i])] = kMeaning[i];
    return meaning;
}();

constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080, kLows = 0x7F7F7F7F7F7F7F7F;

// The high bit of each of the eight bytes in x that is zero.
constexpr std::uint64_t zeroBytes(std::uint64_t x)
{
    return ~(((x & kLows) + kLows) | x) & kHighs;
}

constexpr std::uint64_t bytesEqual(std::uint64_t x, char c)
{
    return zeroBytes(x ^ (kOnes * static_cast<unsigned char>(c)));
}

// The JSON string whose escaped text starts `raw` (from its opening quote), unescaped into `out`
// and followed by kInputPadding zeros; its size. Only when it holds nothing but short escapes
// (\" \\ \/ \b \f \n \r \t), as Document strings do; a \u escape or a control character is left to
// simdjson (nullopt). At least 8 readable bytes follow the closing quote (the input's padding).
// Eight bytes at a time: a segment document escapes a quote every ten bytes or so, too often for
// simdjson, which unescapes 64 bytes at a time and starts again after each escape.
std::optional<std::size_t> unescapeShort(std::string_view raw, std::string& out)
{
    if constexpr (std::endian::native != std::endian::little) // the first byte is the lowest
        return std::nullopt;
    if (out.size() < raw.size() + kInputPadding + 8)
        out.resize(raw.size() + kInputPadding + 8);
    const char* in = raw.data() + 1;
    char* const begin = out.data();
    char* dst = begin;
    for (;;) {
        std::uint64_t chunk;
        std::memcpy(&chunk, in, 8);
        const std::uint64_t quotes = bytesEqual(chunk, '"'), backslashes = bytesEqual(chunk, '\\');
        const std::uint64_t controls = zeroBytes(chunk & (kOnes * 0xE0));
        const std::uint64_t escaped = backslashes << 8;
        const std::uint64_t allowed = quotes | bytesEqual(chunk, '/'); // what the eight bytes escape alone
        if ((controls | (escaped & ~allowed) | (quotes & ~escaped)) == 0) {
            // Only \" and \/ escapes: the backslashes are dropped. A backslash in the last byte is
            // left for the next eight, which hold what it escapes.
            const int last = static_cast<int>(backslashes >> 63);
            int dropped = 0;
            for (std::uint64_t b = backslashes & (kHighs >> 8); b != 0; b &= b - 1, ++dropped) {
                const std::uint64_t below = (std::uint64_t(1) << (std::countr_zero(b) - 7 - 8 * dropped)) - 1;
                chunk = (chunk & below) | ((chunk >> 8) & ~below);
            }
            std::memcpy(dst, &chunk, 8);
            in += 8 - last;
            dst += 8 - last - dropped;
            continue;
        }
        // Up to the first quote, backslash or control character, and that one.
        const int n = std::countr_zero(quotes | backslashes | controls) / 8;
        std::memcpy(dst, in, 8); // the bytes past n are overwritten next
        const char meaning = shortEscapes[static_cast<unsigned char>(in[n + 1])];
        if (in[n] != '\\' || meaning == 0) {
            if (in[n] != '"')
                return std::nullopt;
            dst += n;
            break;
        }
        dst[n] = meaning;
        in += n + 2;
        dst += n + 1;
    }
    std::memset(dst, 0, kInputPadding);
    return static_cast<std::size_t>(dst - begin);
}

} // namespace

namespace xray {

bool isDaemonHeader(std::string_view line)
{
    line = trimmed(line);
    return line.size() < 80 && line.starts_with('{') && line.ends_with('}') && json::hasKey(line, "\"format\"") &&
           json::hasKey(line, "\"version\"") && !json::hasKey(line, "\"trace_id\"");
}

std::uint32_t Reader::allocate()
{
    if (m_used == m_nodes.size())
        m_nodes.emplace_back();
    m_nodes[m_used].clear();
    return static_cast<std::uint32_t>(m_used++);
}

void Reader::readPiece(std::size_t begin, std::size_t end, bool recover)
{
    const std::string_view text = m_file.text().substr(begin, end - begin);
    od::document doc;
    const simdjson::error_code error = json::start(m_parser, m_file, begin, end, doc);
    if (error == simdjson::SUCCESS) {
        readStarted(doc, m_file, end);
        return;
    }
    std::optional<json::ClosedJson> closed;
    if (recover && (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || error == simdjson::UNCLOSED_STRING))
        closed = json::closeTruncated(std::string(begin, ' ') + std::string(text)); // offsets stay the file's
    if (!closed) {
        m_fileReport.error(begin, "expected " + std::string(kWhat) + ", found " + simdjson::error_message(error) +
                                      "; not read");
        return;
    }
    m_fileReport.error(end, "the input ends inside an unclosed string, object or array (cut off?): read up to "
                            "the last complete value");
    const Input input = closed->input();
    setCutOff(std::move(closed->openAtCut));
    if (json::start(m_parser, input, begin, input.size, doc) == simdjson::SUCCESS) {
        setInput(input);
        readStarted(doc, input, input.size);
    }
    setInput(m_file);
    setCutOff({});
}

void Reader::readLines(std::size_t begin, std::size_t end)
{
    const std::string_view text = m_file.text();
    for (std::size_t at = begin; at < end;) {
        const std::size_t lineEnd = std::min(text.find('\n', at), text.size());
        if (!json::isBlank(text.substr(at, lineEnd - at)))
            readPiece(at, lineEnd, false);
        at = lineEnd + 1;
    }
}

void Reader::readDaemonDocuments(std::size_t begin, std::size_t end)
{
    const std::string_view text = m_file.text();
    std::size_t docBegin = begin;
    const auto readDocument = [&](std::size_t docEnd) {
        if (!json::isBlank(text.substr(docBegin, docEnd - docBegin)))
            readPiece(docBegin, docEnd, true);
    };
    for (std::size_t at = begin; at < end;) {
        const std::size_t lineEnd = std::min(text.find('\n', at + 1), text.size());
        if (isDaemonHeader(text.substr(at, lineEnd - at))) {
            readDocument(at);
            docBegin = lineEnd;
        }
        at = lineEnd;
    }
    readDocument(end);
}

void Reader::readStarted(od::document& doc, const Input& input, std::size_t end)
{
    json::readGuarded(input, doc, report(), kWhat, [&](od::document& d) {
        readRoot(d.get_value());
        const std::uint64_t after = json::currentOffset(input, d);
        if (after < end)
            problem(after, "unexpected content after the document: ignored");
    });
    m_used = 0; // the nodes of a document cut short by an error
}

void Reader::readRoot(od::value value)
{
    const od::json_type type = value.type();
    if (type == od::json_type::object) {
        readDocument(value.get_object(), offsetOf(value));
    } else if (type == od::json_type::array) {
        for (od::value element : value.get_array()) {
            od::object object;
            if (element.get_object().get(object) == simdjson::SUCCESS)
                readDocument(object, offsetOf(element));
            else
                report().skipSpan(offsetOf(element), json::expectedMessage(element, "segment document", "an object"));
        }
    } else {
        problem(value, "document", kWhat);
    }
}

void Reader::readDocument(od::object object, std::uint64_t offset)
{
    const std::size_t first = m_used;
    const std::uint32_t index = allocate();
    Node& root = m_nodes[index];
    root.offset = offset;
    readNode(object, index);
    if (!root.wrapper || root.hasId)
        addSpans(first);
    m_used = first;
}

// Fields X-Ray defines, read through a table; the others are attributes (objects flattened), or
// on a root the fields of the BatchGetTraces output wrapped around segment documents.
void Reader::readNode(od::object object, std::uint32_t index)
{
    using Field = json::Field<Reader>;
    static constexpr Field kFields[] =
        {
            {"id",
             [](Reader& r, od::value v) {
        std::string_view text;
        const std::optional<SpanId> id = v.get_string().get(text) ? std::nullopt : parseHexSpanId(text);
        if (!id || *id == 0) {
            r.problem(v, "id", "16 hex digits, not all zero");
            return true;
        }
        r.node().record.id = *id;
        r.node().hasId = true;
        return true;
             }},
            {"trace_id",
             [](Reader& r, od::value v) {
        std::string_view text;
        const std::optional<TraceId> id = v.get_string().get(text) ? std::nullopt : parseXrayTraceId(text);
        if (!id) {
            r.problem(v, "trace_id", "1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy");
            return true;
        }
        Node& node = r.node();
        node.record.traceId = *id;
        node.traceIdText = r.m_builder.intern(text);
        node.hasTraceId = true;
        return true;
             }},
                           {"parent_id",
                            [](Reader& r, od::value v) {
        std::string_view text;
        const std::optional<SpanId> id = v.get_string().get(text) ? std::nullopt : parseHexSpanId(text);
        if (!id)
            r.problem(v, "parent_id", "16 hex digits");
        r.node().record.parentId = id.value_or(0);
        return true;
                            }},
        {"name",
         [](Reader& r, od::value v) {
        std::string_view text;
        if (v.get_string().get(text) == simdjson::SUCCESS)
            r.node().name = r.m_builder.intern(text);
        return true;
         }},
        {"start_time",
         [](Reader& r, od::value v) {
        return r.readTime(v, "start_time", r.node().record.start, r.node().hasStart), true;
         }},
        {"end_time",
         [](Reader& r, od::value v) { return r.readTime(v, "end_time", r.node().record.end, r.node().hasEnd), true; }},
        {"in_progress",
         [](Reader& r, od::value v) { return (r.node().inProgress = json::boolOf(v).value_or(false)), true; }},
        {"type",
         [](Reader& r, od::value v) { return (r.node().independent = json::stringOf(v) == "subsegment"), true; }},
        {"inferred",
         [](Reader& r, od::value v) {
        if (json::boolOf(v).value_or(false))
            r.node().record.marks |= MarkInferred;
        return true;
         }},
        {"error", [](Reader& r, od::value v) { return (r.node().error = json::boolOf(v).value_or(false)), true; }},
        {"fault", [](Reader& r, od::value v) { return (r.node().fault = json::boolOf(v).value_or(false)), true; }},
        {"throttle",
         [](Reader& r, od::value v) { return (r.node().throttle = json::boolOf(v).value_or(false)), true; }},
        {"subsegments", [](Reader& r, od::value v) { return r.readSubsegments(v), true; }},
        {"cause", [](Reader& r, od::value v) { return r.readCause(v, r.node()), true; }},
        {"links", [](Reader& r, od::value v) { return r.readLinks(v, r.node()), true; }},
        {"annotations",
         [](Reader& r, od::value v) {
        od::object annotations;
        if (v.get_object().get(annotations) != simdjson::SUCCESS)
            return false; // kept as an attribute, like any field of an unexpected form
        for (od::field annotation : annotations)
            r.node().attributes.push_back(
                {r.m_builder.intern(json::keyOf(annotation)), json::plainValue(annotation.value(), r.m_builder)});
        return true;
         }},
        };
    const std::uint32_t outer = std::exchange(m_node, index);
    const bool root = node().parent == kNoIndex;
    for (od::field field : object) {
        std::string_view key;
        const std::optional<bool> read = json::readField(kFields, *this, field, &key);
        if (read.value_or(false)) // false: a field X-Ray defines, in a form it does not, kept as it is
            continue;
        od::value value = field.value();
        Node& n = node();
        if (root && readWrapperField(key, value, n))
            continue;
        if (key == "namespace")
            n.nameSpace = json::stringOf(value).value_or("");
        m_key.assign(key);
        flatten(m_key, value, n.attributes);
    }
    m_node = outer;
}

void Reader::readSubsegments(od::value value)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
        problem(value, "subsegments", "an array");
        return;
    }
    if (value.current_depth() > static_cast<std::int32_t>(simdjson::DEFAULT_MAX_DEPTH))
        throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
    for (od::value element : array) {
        od::object child;
        const std::uint64_t offset = offsetOf(element);
        if (element.get_object().get(child) != simdjson::SUCCESS) {
            report().skipSpan(offset, json::expectedMessage(element, "subsegments[]", "an object"));
            continue;
        }
        const std::uint32_t c = allocate();
        m_nodes[c].parent = m_node;
        m_nodes[c].offset = offset;
        readNode(child, c);
    }
}

// Fields of the BatchGetTraces and GetTraceSummaries output, and of its trace objects.
bool Reader::readWrapperField(std::string_view key, od::value value, Node& node)
{
    if (key == "Traces") {
        m_sawBatch = node.wrapper = true;
        od::array traces;
        if (value.get_array().get(traces) != simdjson::SUCCESS) {
            problem(value, "Traces", "an array of traces");
            return true;
        }
        for (od::value trace : traces) {
            od::object object;
            if (trace.get_object().get(object) != simdjson::SUCCESS) {
                problem(trace, "Traces[]", "a trace object with Id and Segments");
                continue;
            }
            for (od::field field : object) {
                if (json::keyOf(field) == "Segments")
                    readSegments(field.value());
            }
        }
        return true;
    }
    if (key == "Segments") {
        node.wrapper = true;
        readSegments(value);
        return true;
    }
    if (key == "TraceSummaries") {
        m_sawSummaries = node.wrapper = true;
        return true;
    }
    if (std::find(std::begin(kWrapperKeys), std::end(kWrapperKeys), key) == std::end(kWrapperKeys))
        return false;
    node.wrapper = true;
    return true;
}

void Reader::readSegments(od::value value)
{
    od::array segments;
    if (value.get_array().get(segments) != simdjson::SUCCESS) {
        problem(value, "Segments", "an array of {Id, Document}");
        return;
    }
    for (od::value segment : segments) {
        od::object object;
        if (segment.get_object().get(object) != simdjson::SUCCESS) {
            report().skipSpan(offsetOf(segment),
                              json::expectedMessage(segment, "Segments[]", "an object with Id and Document"));
            continue;
        }
        readSegment(object);
    }
}

void Reader::readSegment(od::object object)
{
    for (od::field field : object) {
        if (json::keyOf(field) == "Document")
            readEmbedded(field.value());
    }
}

bool Reader::readSegmentElement(std::size_t begin, std::size_t end)
{
    od::document doc;
    if (json::start(m_parser, m_file, begin, end, doc) != simdjson::SUCCESS)
        return false;
    readSegment(doc.get_object());
    return true;
}

// A Document string holds a segment document: parsed on its own, with positions in its problems
// translated back to the file.
void Reader::readEmbedded(od::value value)
{
    if (m_embeddedAt) { // a Document inside a Document
        problem(offsetOf(value), "unexpected Document inside a segment document: ignored");
        return;
    }
    const std::string_view raw = value.raw_json_token();
    const char* quote = raw.data();
    std::optional<std::size_t> size = raw.starts_with('"') ? unescapeShort(raw, m_embedded) : std::nullopt;
    if (!size) {
        std::string_view text;
        if (value.get_string().get(text) != simdjson::SUCCESS) {
            report().skipSpan(offsetOf(value),
                              json::expectedMessage(value, "Document", "a string holding a segment document"));
            return;
        }
        m_embedded.assign(text);
        m_embedded.append(kInputPadding, '\0'); // simdjson reads past the end of what it parses
        size = text.size();
    }
    m_sawEmbedded = true;
    const Input outer = input();
    const Input inner{m_embedded.data(), *size};
    ImportReport embedded;
    setInput(inner);
    setReport(embedded);
    m_embeddedAt = json::offsetOf(outer, quote);
    std::vector<std::uint64_t> cutOff = takeCutOff(); // a whole string is never cut
    const std::size_t used = m_used;
    try {
        od::document doc = m_embeddedParser.iterate(inner.data, inner.size, inner.size + kInputPadding);
        json::readGuarded(inner, doc, embedded, "a segment document in Document", [&](od::document& d) {
            od::object object;
            if (d.get_object().get(object) != simdjson::SUCCESS) {
                embedded.skipSpan(0, "expected a segment document object in Document");
                return;
            }
            readDocument(object, 0);
            if (const std::uint64_t after = json::currentOffset(inner, d); after < inner.size)
                embedded.error(after, "unexpected content after the segment document: ignored");
        });
    } catch (const simdjson::simdjson_error& e) {
        embedded.skipSpan(0, std::string("expected a segment document in Document, found ") + e.what());
    }
    m_used = used;
    setCutOff(std::move(cutOff));
    setInput(outer);
    setReport(m_fileReport);
    m_embeddedAt = 0;
    m_fileReport.skippedSpans += embedded.skippedSpans;
    for (Diagnostic& d : embedded.diagnostics) {
        const std::uint64_t at = json::offsetOf(outer, rawPositionOf(quote, std::min(d.offset, inner.size)));
        std::string message = "in a Document string: " + d.message;
        if (d.severity == Diagnostic::Severity::Error)
            m_fileReport.error(at, std::move(message));
        else
            m_fileReport.warning(at, std::move(message));
    }
}

// Epoch seconds with a fraction, read from the number's text.
void Reader::readTime(od::value value, const char* what, TimeNs& out, bool& present)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
        text = value.raw_json_token(); // up to the next token: the number and any white space
        std::size_t length = 0;
        while (length < text.size() && text[length] != ' ' && text[length] != '\t' && text[length] != '\r' &&
               text[length] != '\n' && text[length] != ',' && text[length] != '}' && text[length] != ']')
            ++length;
        text = text.substr(0, length);
    }
    const std::optional<std::int64_t> ns = decimalSecondsToNanos(text);
    if (!ns) {
        problem(value, what, "epoch seconds");
        return;
    }
    out = *ns;
    present = true;
}

void Reader::readCause(od::value value, Node& node)
{
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) { // the id of an exception recorded elsewhere
        node.attributes.push_back({m_builder.intern("cause.id"), Value::string(m_builder.intern(text))});
        return;
    }
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        problem(value, "cause", "an object or an exception id");
        return;
    }
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        od::value v = field.value();
        if (key == "exceptions" && v.type() == od::json_type::array) {
            for (od::value exception : v.get_array())
                readException(exception, node);
        } else {
            m_key.assign("cause.").append(key);
            flatten(m_key, v, node.attributes);
        }
    }
}

// An exception becomes an event with OpenTelemetry's names; its time is set with the span's end.
void Reader::readException(od::value value, Node& node)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        problem(value, "cause.exceptions[]", "an object");
        return;
    }
    m_scratch.clear();
    std::string stack;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        od::value v = field.value();
        if (key == "stack" && v.type() == od::json_type::array) {
            for (od::value frame : v.get_array()) {
                std::string_view label, path;
                std::optional<std::int64_t> line;
                if (frame.type() != od::json_type::object)
                    continue;
                for (od::field f : frame.get_object()) {
                    const std::string_view k = json::keyOf(f);
                    if (k == "label")
                        label = json::stringOf(f.value()).value_or("");
                    else if (k == "path")
                        path = json::stringOf(f.value()).value_or("");
                    else if (k == "line")
                        line = json::int64Of(f.value());
                }
                stack.append("at ").append(label).append(" (").append(path);
                if (line)
                    stack.append(":").append(std::to_string(*line));
                stack.append(")\n");
            }
            continue;
        }
        const std::string_view name = key == "type" ? "exception.type" : key == "message" ? "exception.message" : "";
        if (!name.empty()) {
            const StringId text = m_builder.intern(json::stringOf(v).value_or(""));
            if (key == "message" && node.exceptionMessage == 0)
                node.exceptionMessage = text;
            m_scratch.push_back({m_builder.intern(name), Value::string(text)});
        } else {
            m_key.assign("exception.").append(key);
            flatten(m_key, v, m_scratch);
        }
    }
    if (!stack.empty()) {
        stack.pop_back();
        m_scratch.push_back({m_builder.intern("exception.stacktrace"), Value::string(m_builder.intern(stack))});
    }
    node.events.push_back({0, m_builder.intern("exception"), m_builder.appendAttributes(m_scratch)});
}

void Reader::readLinks(od::value value, Node& node)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
        problem(value, "links", "an array");
        return;
    }
    for (od::value element : array) {
        od::object object;
        if (element.get_object().get(object) != simdjson::SUCCESS) {
            problem(element, "links[]", "an object with trace_id and id");
            continue;
        }
        Link link;
        bool ok = true;
        m_scratch.clear();
        for (od::field field : object) {
            const std::string_view key = json::keyOf(field);
            od::value v = field.value();
            std::string_view text;
            if (key == "trace_id") {
                const std::optional<TraceId> id = v.get_string().get(text) ? std::nullopt : parseXrayTraceId(text);
                ok = ok && id;
                link.traceId = id.value_or(TraceId{});
            } else if (key == "id") {
                const std::optional<SpanId> id = v.get_string().get(text) ? std::nullopt : parseHexSpanId(text);
                ok = ok && id;
                link.spanId = id.value_or(0);
            } else if (key == "attributes" && v.type() == od::json_type::object) {
                for (od::field a : v.get_object())
                    m_scratch.push_back({m_builder.intern(json::keyOf(a)), json::plainValue(a.value(), m_builder)});
            }
        }
        if (!ok) {
            problem(offsetOf(element), "links[]: expected trace_id 1-xxxxxxxx-yyyy… and id as 16 hex digits");
            continue;
        }
        link.attributes = m_builder.appendAttributes(m_scratch);
        node.links.push_back(link);
    }
}

// Objects become one attribute per leaf, their keys joined with dots (http.request.method).
void Reader::flatten(std::string& key, od::value value, std::vector<Attribute>& out)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        out.push_back({m_builder.intern(key), json::plainValue(value, m_builder)});
        return;
    }
    if (value.current_depth() > static_cast<std::int32_t>(simdjson::DEFAULT_MAX_DEPTH))
        throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
    const std::size_t length = key.size();
    for (od::field field : object) {
        key.resize(length);
        key.append(".").append(json::keyOf(field));
        flatten(key, field.value(), out);
    }
    key.resize(length);
}

// The nodes of one document, read completely, become spans.
void Reader::addSpans(std::size_t first)
{
    Node& root = m_nodes[first];
    if (isCutOff(root.offset)) {
        report().skipSpan(root.offset, "cut off: the input ends inside this segment document");
        return;
    }
    const char* missing = !root.hasId ? "id" : !root.hasTraceId ? "trace_id" : !root.hasStart ? "start_time" : nullptr;
    if (missing) {
        report().skipSpan(root.offset, std::string(missing) + ": missing" +
                                           (m_used - first > 1 ? "; its subsegments were left out too" : ""));
        return;
    }
    for (std::size_t i = first; i < m_used; ++i) {
        Node& node = m_nodes[i];
        if (i != first && isCutOff(node.offset)) {
            report().skipSpan(node.offset, "cut off: the input ends inside this subsegment");
            continue;
        }
        if (!node.hasId || !node.hasStart) {
            if (i != first)
                report().skipSpan(node.offset,
                                  std::string("subsegments[].") + (node.hasId ? "start_time" : "id") + ": missing");
            continue;
        }
        addSpan(node, root);
    }
}

void Reader::addSpan(Node& node, const Node& root)
{
    SpanRecord& r = node.record;
    m_fileReport.advance(progressOffset(node.offset)); // a Document string's report has no progress
    const bool nested = node.parent != kNoIndex;
    if (nested)
        r.parentId = m_nodes[node.parent].record.id;
    r.traceId = root.record.traceId;
    const bool segment = !nested && !node.independent;
    if (segment) {
        r.kind = SpanKind::Server;
        r.service = node.name;
        r.resource = m_builder.serviceResource(node.name);
    } else {
        r.kind = node.nameSpace == "remote" || node.nameSpace == "aws" ? SpanKind::Client : SpanKind::Internal;
    }
    r.name = node.name;
    if (segment) {
        std::string_view method, url;
        for (const Attribute& a : node.attributes) {
            const std::string_view key = m_builder.str(a.key);
            if (a.value.type() == ValueType::String && key == "http.request.method")
                method = m_builder.str(a.value.stringId());
            else if (a.value.type() == ValueType::String && key == "http.request.url")
                url = m_builder.str(a.value.stringId());
        }
        if (!method.empty() && !url.empty())
            r.name = m_builder.intern(std::string(method) + " " + std::string(urlPath(url)));
    }
    if (!node.hasEnd) {
        r.end = r.start;
        if (node.inProgress)
            r.marks |= MarkInProgress;
        else
            r.marks |= MarkInvalidTime;
    }
    if (node.error || node.fault || node.throttle) {
        r.status = StatusCode::Error;
        std::string message = node.fault ? "fault" : node.error ? "error" : "";
        if (node.throttle)
            message += message.empty() ? "throttle" : ", throttle";
        if (node.exceptionMessage)
            message.append(": ").append(m_builder.str(node.exceptionMessage));
        r.statusMessage = m_builder.intern(message);
    }
    for (Event& e : node.events)
        e.time = r.end;
    node.attributes.push_back({m_traceIdKey, Value::string(root.traceIdText)});
    r.attributes = m_builder.appendAttributes(node.attributes);
    r.events = m_builder.appendEvents(node.events);
    r.links = m_builder.appendLinks(node.links);
    ++m_spans;
    const bool open = root.inProgress && !root.hasEnd; // the SDK sends the complete document later
    if (nested) {
        const Node* up = &node;
        while (up->parent != kNoIndex)
            up = &m_nodes[up->parent];
        if (!up->independent) {
            r.service = up->name;
            r.resource = m_builder.serviceResource(up->name);
        }
    }
    if (r.service == 0 || open)
        m_pending.push_back({r, open});
    else
        commit(r);
}

void Reader::adopt(const Reader& part, const AppendedPart& appended)
{
    for (const auto& [id, service] : part.m_serviceOfSpan)
        m_serviceOfSpan.emplace_back(id, appended.string(service));
    for (const Pending& p : part.m_pending)
        m_pending.push_back({appended.record(p.record), p.open});
    m_spans += part.m_spans;
    m_sawSummaries = m_sawSummaries || part.m_sawSummaries;
    m_sawBatch = m_sawBatch || part.m_sawBatch;
    m_sawEmbedded = m_sawEmbedded || part.m_sawEmbedded;
}

std::uint32_t Reader::commit(const SpanRecord& r)
{
    m_serviceOfSpan.emplace_back(r.id, r.service);
    const std::uint32_t index = m_builder.addSpan(r);
    if ((r.marks & MarkInvalidTime) != 0)
        m_builder.addSpanWarning(index, "no end_time and not in_progress: drawn with zero length");
    return index;
}

// Spans of documents in progress are left out when a complete document has the same id;
// independent subsegments name no service: they take their parent's.
void Reader::finish()
{
    if (!m_pending.empty()) {
        std::unordered_map<SpanId, StringId> serviceOf(m_serviceOfSpan.begin(), m_serviceOfSpan.end());
        std::unordered_set<SpanId> completed;
        for (const auto& [id, service] : m_serviceOfSpan)
            completed.insert(id);
        for (const Pending& p : m_pending) {
            if (!p.open)
                completed.insert(p.record.id);
        }
        std::erase_if(m_pending, [&](const Pending& p) { return p.open && completed.count(p.record.id); });
        for (const Pending& p : m_pending) {
            if (p.record.service != 0)
                serviceOf.emplace(p.record.id, p.record.service);
        }
        for (bool progress = true; progress;) {
            progress = false;
            for (Pending& p : m_pending) {
                SpanRecord& r = p.record;
                if (r.service != 0)
                    continue;
                const auto it = serviceOf.find(r.parentId);
                if (it != serviceOf.end()) {
                    r.service = it->second;
                    serviceOf.emplace(r.id, r.service);
                    progress = true;
                }
            }
        }
        for (Pending& p : m_pending) {
            SpanRecord& r = p.record;
            const bool unknown = r.service == 0; // the builder names it unknown_service
            r.resource = m_builder.serviceResource(r.service);
            const std::uint32_t index = commit(r);
            if (unknown)
                m_builder.addSpanWarning(index, "independent subsegment whose parent is not in the file: its service "
                                                "is not known");
        }
    }
    if (m_spans == 0 && m_sawSummaries)
        m_fileReport.error(0, "this is GetTraceSummaries output (aws xray get-trace-summaries): it lists traces, "
                              "not their segments; fetch those with aws xray batch-get-traces --trace-ids … and "
                              "open its output");
    m_fileReport.variant = m_sawBatch || m_sawEmbedded ? "batch-get-traces" : "segment-documents";
}

void read(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options)
{
    report.setText(input.text());
    const std::string_view text = input.text();
    std::size_t begin = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    begin = std::min(text.find_first_not_of(" \t\r\n", begin), text.size());
    const std::size_t firstLineEnd = std::min(text.find('\n', begin), text.size());
    const std::string_view firstLine = trimmed(text.substr(begin, firstLineEnd - begin));
    const bool daemon = isDaemonHeader(firstLine);
    const bool lines = !daemon && firstLine.starts_with('{') && firstLine.ends_with('}') &&
                       !json::isBlank(text.substr(firstLineEnd));
    if (!daemon && !lines && begin < text.size() && readBatchInParts(input, builder, report, options))
        return;
    Reader reader(input, builder, report);
    if (daemon) {
        readDaemonInParts(reader, input, firstLineEnd, builder, report, options);
    } else if (lines) {
        readLinesInParts(reader, input, begin, builder, report, options);
    } else if (begin < text.size()) {
        reader.readPiece(begin, text.size(), true);
    } else {
        report.error(0, "expected " + std::string(kWhat) + ", found an empty file");
    }
    reader.finish();
}

} // namespace xray

namespace {

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    xray::read(input, builder, report, {});
}

} // namespace

const Importer& xrayImporter()
{
    static const Importer importer{"xray", sniff, read};
    return importer;
}

} // namespace spanwise
