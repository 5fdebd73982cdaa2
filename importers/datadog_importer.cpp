// Datadog APM JSON: the agent intake form (/v0.3, /v0.4: a list of traces, each a list of spans,
// one list possibly holding only part of a trace), a flat list of spans, and the snapshot files of
// Datadog's test agent (lists of traces with renumbered ids, so trace id 0 occurs). Ids are
// unsigned 64-bit numbers; the upper half of a 128-bit trace id is meta `_dd.p.tid`.

#include "datadog_importer.h"

#include "ids.h"
#include "json_reader.h"
#include "json_root_array.h"
#include "part_reader.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace spanwise {

namespace {

namespace od = json::od;

constexpr std::string_view kWhat = "a JSON list of Datadog traces (lists of spans) or of spans";

int sniff(std::string_view head)
{
    if (json::firstSignificantChar(head) != '[')
        return 0;
    if (!json::hasKey(head, "\"span_id\"") || !json::hasKey(head, "\"trace_id\""))
        return 0;
    if (json::hasKey(head, "\"service\"") || json::hasKey(head, "\"resource\"") || json::hasKey(head, "\"duration\""))
        return 90;
    return 60;
}

SpanKind kindNamed(std::string_view name)
{
    static constexpr std::pair<std::string_view, SpanKind> kinds[] = {
        {"server", SpanKind::Server},     {"client", SpanKind::Client},     {"producer", SpanKind::Producer},
        {"consumer", SpanKind::Consumer}, {"internal", SpanKind::Internal},
    };
    for (const auto& [text, kind] : kinds) {
        if (name == text)
            return kind;
    }
    return SpanKind::Unspecified;
}

// What meta holds about an error, used once the whole span is read (error may come after meta).
struct ErrorMeta {
    std::string_view message;
    std::string_view type;
    std::string_view stack;
    std::uint64_t offset = 0;
};

class Reader : public json::ReaderCore {
public:
    Reader(DatasetBuilder& builder, ImportReport& report) : ReaderCore(builder, report)
    {
        m_keys.resourceName = builder.intern("resource.name");
        m_keys.spanType = builder.intern("span.type");
        m_keys.exception = builder.intern("exception");
        m_keys.exceptionType = builder.intern("exception.type");
        m_keys.exceptionMessage = builder.intern("exception.message");
        m_keys.exceptionStack = builder.intern("exception.stacktrace");
    }

    simdjson::error_code readText(const Input& input);
    // A span element [begin, end) of the input read as a document of its own; false when it does
    // not read as reading the whole input would (simdjson's error), the report then saying nothing.
    bool readSpanElement(od::parser& parser, std::uint64_t begin, std::uint64_t end);
    // What parts read: lists or loose spans, and the upper trace id halves they learnt, in order.
    void sawElements(bool lists, bool looseSpans);
    void learnHighs(const Reader& part);
    void finish();

private:
    void readList(od::array list);
    void readSpan(od::value value);
    void readSpanAt(od::object object);
    bool readSpanObject(od::object object);
    bool readId(od::value value, std::string_view field, std::uint64_t& out);
    bool readTime(od::value value, std::string_view field, std::optional<std::int64_t>& out);
    void readMeta(od::value value);
    void readMetaEntry(std::string_view key, od::value value);
    void readNumbers(od::value value);
    void readLinks(od::value value, bool hexIds);
    void readEvents(od::value value, bool typed);
    bool readNested(std::string_view key, std::string_view text, std::uint64_t offset);
    Value typedValue(od::value value);
    void addError();
    void add(SpanRecord& record);

    struct Keys {
        StringId resourceName, spanType, exception, exceptionType, exceptionMessage, exceptionStack;
    };

    Keys m_keys{};
    od::parser m_parser;
    od::parser m_nestedParser;
    std::string m_nestedText;
    // The span being read.
    SpanRecord m_span;
    std::uint64_t m_offset = 0;
    bool m_hasTraceId = false;
    bool m_hasSpanId = false;
    bool m_error = false;
    std::optional<std::uint64_t> m_traceIdHigh;
    std::optional<std::int64_t> m_start, m_duration;
    SpanKind m_metaKind = SpanKind::Unspecified;
    std::string_view m_type;
    ErrorMeta m_errorMeta;
    std::vector<Attribute> m_attributes;
    std::vector<Event> m_events;
    std::vector<Link> m_links;
    std::vector<Attribute> m_scratch;
    // Upper trace id halves by lower half, the first given for each.
    std::unordered_map<std::uint64_t, std::uint64_t> m_highOf;
    std::vector<std::uint64_t> m_lowsInOrder; // the keys of m_highOf as they were learnt
    std::size_t m_lists = 0;
    std::size_t m_looseSpans = 0;
};

simdjson::error_code Reader::readText(const Input& input)
{
    setInput(input);
    od::document doc;
    od::array top;
    if (const simdjson::error_code error = json::start(m_parser, input, 0, input.size, doc))
        return error;
    if (const simdjson::error_code error = doc.get_array().get(top))
        return error;
    json::readGuarded(input, doc, report(), kWhat, [&](od::document& d) {
        for (od::value element : top) {
            const od::json_type type = element.type();
            if (type == od::json_type::array) {
                ++m_lists;
                readList(element.get_array());
            } else if (type == od::json_type::object) {
                ++m_looseSpans;
                readSpan(element);
            } else {
                fail(element, "traces[]", "a list of spans or a span object");
                skipSpanWithProblem();
            }
        }
        if (const std::uint64_t rest = json::currentOffset(input, d); rest < input.size)
            report().error(rest, "unexpected content after the list of traces; ignored");
    });
    return simdjson::SUCCESS;
}

void Reader::readList(od::array list)
{
    for (od::value span : list)
        readSpan(span);
}

void Reader::readSpan(od::value value)
{
    m_offset = offsetOf(value);
    report().advance(m_offset);
    if (isCutOff(m_offset)) {
        report().skipSpan(m_offset, "cut off: the input ends inside this span");
        return;
    }
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        fail(value, "span", "an object");
        skipSpanWithProblem();
        return;
    }
    readSpanAt(object);
}

bool Reader::readSpanElement(od::parser& parser, std::uint64_t begin, std::uint64_t end)
{
    od::document doc;
    od::object object;
    if (!json::startObject(parser, input(), begin, end, doc, object))
        return false;
    m_offset = begin;
    report().advance(begin);
    try {
        readSpanAt(object);
    } catch (const simdjson::simdjson_error&) {
        return false;
    }
    return true;
}

void Reader::readSpanAt(od::object object)
{
    m_span = {};
    m_hasTraceId = m_hasSpanId = m_error = false;
    m_traceIdHigh.reset();
    m_metaKind = SpanKind::Unspecified;
    m_type = {};
    m_errorMeta = {};
    m_attributes.clear();
    m_events.clear();
    m_links.clear();
    if (!readSpanObject(object) || (!m_hasTraceId && !missing(m_offset, "trace_id")) ||
        (!m_hasSpanId && !missing(m_offset, "span_id"))) {
        skipSpanWithProblem();
        return;
    }
    SpanRecord& r = m_span;
    r.kind = m_metaKind != SpanKind::Unspecified ? m_metaKind
             : m_type == "web"                   ? SpanKind::Server
             : m_type == "http"                  ? SpanKind::Client
                                                 : SpanKind::Unspecified;
    if (!m_type.empty())
        m_attributes.push_back({m_keys.spanType, Value::string(m_builder.intern(m_type))});
    addError();
    for (Event& e : m_events) {
        if (e.time == 0)
            e.time = r.end;
    }
    r.resource = m_builder.serviceResource(r.service);
    r.attributes = m_builder.appendAttributes(m_attributes);
    r.events = m_builder.appendEvents(m_events);
    r.links = m_builder.appendLinks(m_links);
    add(r);
}

bool Reader::readId(od::value value, std::string_view field, std::uint64_t& out)
{
    const std::optional<std::uint64_t> id = json::uint64Of(value);
    out = id.value_or(0);
    return id || fail(value, field, "an unsigned 64-bit integer");
}

bool Reader::readTime(od::value value, std::string_view field, std::optional<std::int64_t>& out)
{
    out = json::int64Of(value);
    return out || fail(value, field, "integer nanoseconds");
}

// Stops at a field that makes the span unreadable; the list iteration skips the rest of it. Fields
// the table does not name are attributes.
bool Reader::readSpanObject(od::object object)
{
    using Field = json::Field<Reader>;
    static constexpr Field kFields[] =
        {
            {"trace_id",
             [](Reader& r, od::value v) { return r.m_hasTraceId = r.readId(v, "trace_id", r.m_span.traceId.low); }},
            {"span_id", [](Reader& r, od::value v) { return r.m_hasSpanId = r.readId(v, "span_id", r.m_span.id); }},
            {"parent_id", [](Reader& r, od::value v) { return r.readId(v, "parent_id", r.m_span.parentId); }},
            {"start", [](Reader& r, od::value v) { return r.readTime(v, "start", r.m_start); }},
            {"duration", [](Reader& r, od::value v) { return r.readTime(v, "duration", r.m_duration); }},
            {"name",
             [](Reader& r, od::value v) {
        return (r.m_span.name = r.m_builder.intern(json::stringOf(v).value_or(""))), true;
             }},
            {"service",
             [](Reader& r, od::value v) {
        return (r.m_span.service = r.m_builder.intern(json::stringOf(v).value_or(""))), true;
             }},
                           {"resource",
                            [](Reader& r, od::value v) {
        const std::string_view text = json::stringOf(v).value_or("");
        if (!text.empty())
            r.m_attributes.push_back({r.m_keys.resourceName, Value::string(r.m_builder.intern(text))});
        return true;
                            }},
        {"type", [](Reader& r, od::value v) { return (r.m_type = json::stringOf(v).value_or("")), true; }},
        {"error",
         [](Reader& r, od::value v) {
        const std::optional<std::int64_t> error = json::int64Of(v);
        r.m_error = error ? *error != 0 : json::boolOf(v).value_or(false);
        return true;
         }},
        {"meta", [](Reader& r, od::value v) { return r.readMeta(v), true; }},
        {"metrics", [](Reader& r, od::value v) { return r.readNumbers(v), true; }},
        {"meta_struct",
         [](Reader& r, od::value v) {
        od::object entries;
        if (v.get_object().get(entries) != simdjson::SUCCESS)
            return true;
        for (od::field entry : entries) {
            const StringId name = r.m_builder.intern("meta_struct." + std::string(json::keyOf(entry)));
            r.m_attributes.push_back({name, json::plainValue(entry.value(), r.m_builder)});
        }
        return true;
         }},
        {"span_links", [](Reader& r, od::value v) { return r.readLinks(v, false), true; }},
        {"span_events", [](Reader& r, od::value v) { return r.readEvents(v, true), true; }},
        };
    SpanRecord& r = m_span;
    m_start.reset();
    m_duration.reset();
    for (od::field field : object) {
        std::string_view key;
        const std::optional<bool> read = json::readField(kFields, *this, field, &key);
        if (!read)
            m_attributes.push_back({m_builder.intern(key), json::plainValue(field.value(), m_builder)});
        else if (!*read)
            return false;
    }
    r.start = m_start.value_or(0);
    if (!m_start) // placed by the builder at its parent's start
        r.marks |= MarkNoTiming;
    if (m_duration && __builtin_add_overflow(r.start, *m_duration, &r.end))
        return fail(m_offset, "start + duration: beyond the year 2262");
    if (!m_duration)
        r.end = r.start;
    return true;
}

void Reader::readMeta(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        if (value.type() != od::json_type::null)
            report().warning(offsetOf(value),
                             json::expectedMessage(value, "meta", "an object of strings") + "; left out");
        return;
    }
    for (od::field field : object)
        readMetaEntry(json::keyOf(field), field.value());
}

void Reader::readMetaEntry(std::string_view key, od::value value)
{
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
        m_attributes.push_back({m_builder.intern(key), json::plainValue(value, m_builder)});
        return;
    }
    const std::uint64_t offset = offsetOf(value);
    if (key == "_dd.p.tid") {
        if (const std::optional<SpanId> high = parseHexSpanId(text); high && text.size() == 16) {
            m_traceIdHigh = *high;
            return;
        }
        report().warning(offset, json::expectedMessage(value, "meta._dd.p.tid", "16 hex digits") +
                                     "; the trace id is read as 64-bit");
    } else if (key == "span.kind" && kindNamed(text) != SpanKind::Unspecified) {
        m_metaKind = kindNamed(text);
        return;
    } else if (key == "error.message" || key == "error.msg") {
        m_errorMeta.message = text;
        m_errorMeta.offset = offset;
        return;
    } else if (key == "error.type" || key == "error.stack") {
        (key == "error.type" ? m_errorMeta.type : m_errorMeta.stack) = text;
        return;
    } else if ((key == "events" || key == "_dd.span_links") && readNested(key, text, offset)) {
        return;
    }
    m_attributes.push_back({m_builder.intern(key), Value::string(m_builder.intern(text))});
}

// Older tracers write span events and links as a JSON string in meta.
bool Reader::readNested(std::string_view key, std::string_view text, std::uint64_t offset)
{
    m_nestedText.assign(text);
    m_nestedText.append(kInputPadding, '\0');
    try {
        od::document doc = m_nestedParser.iterate(m_nestedText.data(), text.size(), m_nestedText.size());
        od::value root = doc.get_value();
        if (root.type() != od::json_type::array)
            throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
        if (key == "events")
            readEvents(root, false);
        else
            readLinks(root, true);
        return true;
    } catch (const simdjson::simdjson_error& e) {
        report().warning(offset,
                         "meta " + std::string(key) + " is not a JSON array (" + e.what() + "): kept as a string");
        return false;
    }
}

void Reader::readNumbers(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        if (value.type() != od::json_type::null)
            report().warning(offsetOf(value),
                             json::expectedMessage(value, "metrics", "an object of numbers") + "; left out");
        return;
    }
    for (od::field field : object)
        m_attributes.push_back({m_builder.intern(json::keyOf(field)), json::plainValue(field.value(), m_builder)});
}

// span_links: numeric ids, trace_id_high apart; meta _dd.span_links: hex strings.
void Reader::readLinks(od::value value, bool hexIds)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
        report().warning(offsetOf(value), json::expectedMessage(value, "span links", "an array") + "; left out");
        return;
    }
    for (od::value element : array) {
        od::object object;
        if (element.get_object().get(object) != simdjson::SUCCESS)
            continue;
        Link link;
        bool hasSpanId = false;
        m_scratch.clear();
        for (od::field field : object) {
            const std::string_view key = json::keyOf(field);
            od::value v = field.value();
            std::string_view text;
            const bool isString = v.get_string().get(text) == simdjson::SUCCESS;
            if (key == "trace_id") {
                if (hexIds && isString)
                    link.traceId = parseHexTraceId(text).value_or(TraceId{});
                else
                    link.traceId.low = json::uint64Of(v).value_or(0);
            } else if (key == "trace_id_high") {
                link.traceId.high = json::uint64Of(v).value_or(0);
            } else if (key == "span_id") {
                const std::optional<SpanId> id = hexIds && isString ? parseHexSpanId(text) : json::uint64Of(v);
                hasSpanId = id.has_value();
                link.spanId = id.value_or(0);
            } else if (key == "tracestate" && isString) {
                link.traceState = m_builder.intern(text);
            } else if (key == "attributes" && v.type() == od::json_type::object) {
                for (od::field a : v.get_object())
                    m_scratch.push_back({m_builder.intern(json::keyOf(a)), json::plainValue(a.value(), m_builder)});
            }
        }
        if (!hasSpanId)
            continue;
        link.attributes = m_builder.appendAttributes(m_scratch);
        m_links.push_back(link);
    }
}

// span_events hold typed attribute values ({"type": 0, "string_value": …}); meta events plain ones.
void Reader::readEvents(od::value value, bool typed)
{
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
        report().warning(offsetOf(value), json::expectedMessage(value, "span events", "an array") + "; left out");
        return;
    }
    for (od::value element : array) {
        od::object object;
        if (element.get_object().get(object) != simdjson::SUCCESS)
            continue;
        Event event;
        m_scratch.clear();
        for (od::field field : object) {
            const std::string_view key = json::keyOf(field);
            od::value v = field.value();
            if (key == "name") {
                event.name = m_builder.intern(json::stringOf(v).value_or(""));
            } else if (key == "time_unix_nano") {
                const std::optional<std::uint64_t> ns = json::uint64Of(v);
                event.time = ns && *ns <= static_cast<std::uint64_t>(std::numeric_limits<TimeNs>::max())
                                 ? static_cast<TimeNs>(*ns)
                                 : 0;
            } else if (key == "attributes" && v.type() == od::json_type::object) {
                for (od::field a : v.get_object()) {
                    const StringId name = m_builder.intern(json::keyOf(a));
                    m_scratch.push_back({name, typed ? typedValue(a.value()) : json::plainValue(a.value(), m_builder)});
                }
            }
        }
        event.attributes = m_builder.appendAttributes(m_scratch);
        m_events.push_back(event);
    }
}

Value Reader::typedValue(od::value value)
{
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return json::plainValue(value, m_builder);
    if (value.current_depth() > static_cast<std::int32_t>(simdjson::DEFAULT_MAX_DEPTH))
        throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
    Value out;
    for (od::field field : object) {
        const std::string_view key = json::keyOf(field);
        od::value v = field.value();
        if (key == "array_value") {
            std::vector<Attribute> elements;
            od::object holder;
            if (v.get_object().get(holder) == simdjson::SUCCESS) {
                for (od::field f : holder) {
                    if (json::keyOf(f) == "values" && f.value().type() == od::json_type::array) {
                        for (od::value element : f.value().get_array())
                            elements.push_back({0, typedValue(element)});
                    }
                }
            }
            out = Value::array(m_builder.appendAttributes(elements));
        } else if (key.ends_with("_value")) {
            out = json::plainValue(v, m_builder);
        }
    }
    return out;
}

// error ≠ 0: error status with the message; error.type and error.stack an exception event, unless
// the span has one already.
void Reader::addError()
{
    const ErrorMeta& e = m_errorMeta;
    if (m_error) {
        m_span.status = StatusCode::Error;
        m_span.statusMessage = m_builder.intern(e.message);
    }
    const bool hasException = std::any_of(m_events.begin(), m_events.end(),
                                          [&](const Event& event) { return event.name == m_keys.exception; });
    if ((!e.type.empty() || !e.stack.empty()) && !hasException) {
        m_scratch.clear();
        if (!e.type.empty())
            m_scratch.push_back({m_keys.exceptionType, Value::string(m_builder.intern(e.type))});
        if (!e.message.empty())
            m_scratch.push_back({m_keys.exceptionMessage, Value::string(m_builder.intern(e.message))});
        if (!e.stack.empty())
            m_scratch.push_back({m_keys.exceptionStack, Value::string(m_builder.intern(e.stack))});
        m_events.push_back({0, m_keys.exception, m_builder.appendAttributes(m_scratch)});
    } else if (!m_error && !e.message.empty()) {
        m_attributes.push_back({m_builder.intern("error.message"), Value::string(m_builder.intern(e.message))});
    }
}

// _dd.p.tid is often on the first span of a trace chunk only. The others are added under their
// lower half alone, and take the upper half the first span with it gave, once the input is read.
void Reader::add(SpanRecord& record)
{
    if (m_traceIdHigh) {
        record.traceId.high = *m_traceIdHigh;
        if (m_highOf.emplace(record.traceId.low, *m_traceIdHigh).second)
            m_lowsInOrder.push_back(record.traceId.low);
    }
    m_builder.addSpan(record);
}

void Reader::sawElements(bool lists, bool looseSpans)
{
    m_lists += lists ? 1 : 0;
    m_looseSpans += looseSpans ? 1 : 0;
}

void Reader::learnHighs(const Reader& part)
{
    for (const std::uint64_t low : part.m_lowsInOrder) {
        if (m_highOf.emplace(low, part.m_highOf.at(low)).second)
            m_lowsInOrder.push_back(low);
    }
}

void Reader::finish()
{
    std::vector<std::pair<TraceId, TraceId>> renames;
    renames.reserve(m_lowsInOrder.size());
    for (const std::uint64_t low : m_lowsInOrder)
        renames.push_back({{0, low}, {m_highOf[low], low}});
    m_builder.renameTraces(renames);
    report().variant = m_lists && m_looseSpans ? "traces+spans" : m_looseSpans ? "spans" : "traces";
}

// Reads spans [first, last) of spans; false on anything the whole reading would report.
bool readSpans(Reader& reader, const json::ArrayObjects& spans, std::size_t first, std::size_t last,
               const ImportReport& report)
{
    od::parser parser;
    const json::EnclosingDepth depth(static_cast<std::int32_t>(spans.depth));
    for (std::size_t i = first; i < last; ++i) {
        if (!reader.readSpanElement(parser, spans.objects[i].begin, spans.objects[i].end))
            return false;
    }
    return report.diagnostics.empty() && report.skippedSpans == 0 && report.inputErrors == 0;
}

// A big list of traces ([[span...]...]) or of spans read in parts on input.threads threads; false,
// leaving builder and report as they were, when it is small, mixes the two, or holds anything for
// the whole reading to report.
bool readSpansInParts(const Input& input, DatasetBuilder& builder, ImportReport& report,
                      const DatadogPartOptions& options)
{
    if (input.size < options.minInputBytes)
        return false;
    const std::optional<json::ArrayObjects> spans = json::objectsOfRootArray(input, input.threads);
    if (!spans)
        return false;
    std::vector<std::size_t> firsts; // the first span of each part, and the end
    std::vector<InputPart> parts;
    for (std::size_t i = 0; i < spans->objects.size(); ++i) {
        const InputPart& span = spans->objects[i];
        if (parts.empty() || parts.back().end - parts.back().begin >= options.partBytes) {
            firsts.push_back(i);
            parts.push_back({span.begin, span.end});
        }
        parts.back().end = span.end;
    }
    firsts.push_back(spans->objects.size());

    // The parts go to a builder of their own, so a failed one leaves the caller's untouched.
    DatasetBuilder read;
    read.reserve(spans->objects.size());
    ImportReport partsReport;
    partsReport.onProgress = report.onProgress;
    partsReport.onPartProgress = report.onPartProgress;
    Reader reader(read, partsReport);
    reader.setInput(input);
    if (input.threads <= 1) { // appending would only cost time
        if (!readSpans(reader, *spans, 0, spans->objects.size(), partsReport))
            return false;
    } else {
        std::vector<std::unique_ptr<Reader>> partReaders(parts.size());
        std::atomic<bool> failed{false};
        readInParts(
            input, parts, read, partsReport,
            [&](std::size_t part, DatasetBuilder& partBuilder, ImportReport& partReport) {
            partReaders[part] = std::make_unique<Reader>(partBuilder, partReport);
            partReaders[part]->setInput(input);
            if (!failed && !readSpans(*partReaders[part], *spans, firsts[part], firsts[part + 1], partReport))
                failed = true;
            },
            [&](std::size_t part, const AppendedPart&) {
            reader.learnHighs(*partReaders[part]);
            partReaders[part].reset();
        });
        if (failed || !partsReport.diagnostics.empty())
            return false;
    }
    reader.sawElements(spans->depth == 2, spans->depth == 1);
    reader.finish();
    if (builder.empty())
        builder = std::move(read);
    else
        builder.append(read);
    report.variant = partsReport.variant;
    return true;
}

} // namespace

void readDatadog(const Input& input, DatasetBuilder& builder, ImportReport& report, const DatadogPartOptions& options)
{
    report.setText(input.text());
    if (readSpansInParts(input, builder, report, options))
        return;
    Reader reader(builder, report);
    json::readRecoveringTruncation(input, reader, report, kWhat);
    reader.finish();
}

namespace {

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    readDatadog(input, builder, report);
}

} // namespace

const Importer& datadogImporter()
{
    static const Importer importer{"datadog", sniff, read};
    return importer;
}

} // namespace spanwise
