#pragma once
// Jaeger JSON reading, shared by the reader of a whole document (jaeger_importer.cpp) and the
// reading of a big document in parts on several threads (jaeger_parts.cpp).

#include "ids.h"
#include "importer.h"
#include "json_reader.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace spanwise::jaeger {

namespace od = json::od;

// Whether an element of a trace list is a span rather than a trace: jaeger-anonymizer and UI span
// exports write a bare array of spans, each with its process inline. Told by the first key that only
// one of the two has; the object is then rewound.
bool holdsSpan(od::object& object);

// A trace object whose spans are read in parts: what reading its text without the spans learnt.
struct TraceJob {
    std::uint64_t offset = 0; // of the trace object
    std::optional<TraceId> id;
    std::vector<std::uint64_t> processObjects; // offsets of its "processes" objects, in reading order
    std::vector<std::uint32_t> holes;          // its spans arrays (indices into SpanHoles::at), in order
    std::vector<std::string> warnings;
};

// The spans arrays emptied out of a document before reading it (offsets in the text read). Reading
// it then notes, instead of reading their spans, each trace object holding one, in the order the
// reading of the whole document adds spans.
struct SpanHoles {
    std::vector<std::uint64_t> at;        // offset of each emptied array, ascending
    std::vector<std::uint64_t> spanCount; // elements it held
    std::vector<std::uint32_t> claims;    // times a trace object read it
    std::vector<TraceJob> traces;
    bool unsupported = false; // something was read that the parts cannot repeat exactly
};

// The declared type of a tag; exporters write it in lower or upper case, or leave it out.
enum class TagType { Inferred, String, Bool, Int64, Float64, Binary };

// A tag's value as written. It is converted once the whole tag is read, since "type" may follow "value".
struct WrittenValue {
    od::json_type type = od::json_type::null;
    bool readable = true; // false for a number simdjson cannot represent
    std::string_view text;
    od::number number{};
    bool boolean = false;
    Value nested; // arrays and objects
};

struct Reference {
    TraceId traceId;
    bool hasTraceId = false; // without one, the reference is to the span's own trace
    SpanId spanId = 0;
    LinkType type = LinkType::ChildOf;
};

// A span as read, added to the builder once its trace object is complete: the trace's traceID
// and processes may come after its spans.
struct PendingSpan {
    SpanRecord record;
    std::uint64_t offset = 0;
    bool hasTraceId = false;
    SpanId legacyParentId = 0;  // parentSpanID
    std::string_view processId; // in the parser's string buffer, valid for the whole document
    Range references;           // in TraceState::references
    Range warnings;             // in TraceState::spanWarnings
};

struct InlineProcess {
    std::uint32_t resource = kNoIndex;
    std::vector<Attribute> attributes;
};

struct TraceState {
    std::uint64_t offset = 0;
    std::optional<TraceId> id;
    std::vector<PendingSpan> spans;
    std::vector<Reference> references;
    std::vector<std::string> spanWarnings;
    std::vector<std::string> warnings;
    std::unordered_map<std::string_view, std::uint32_t> processes; // processID → resource
    std::unordered_map<StringId, InlineProcess> inlineProcesses;   // service → its latest inline process
    // Reading with span holes (SpanHoles): the trace's emptied spans arrays and its processes objects.
    std::vector<std::uint32_t> holes;
    std::vector<std::uint64_t> processObjects;

    void clear()
    {
        offset = 0;
        id.reset();
        spans.clear();
        references.clear();
        spanWarnings.clear();
        warnings.clear();
        processes.clear();
        inlineProcesses.clear();
        holes.clear();
        processObjects.clear();
    }
};

struct SpanTimesUs {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> duration;
};

class JaegerReader : public json::ReaderCore {
public:
    JaegerReader(DatasetBuilder& builder, ImportReport& report) : ReaderCore(builder, report) {}

    // INCOMPLETE_ARRAY_OR_OBJECT or UNCLOSED_STRING when the text ends before its outermost value
    // does: then nothing was read.
    simdjson::error_code readText(const Input& text);

    // Makes readText note the trace objects whose spans are in the holes instead of reading spans.
    void setSpanHoles(SpanHoles* holes) { m_holes = holes; }

    // Reading in parts: a part reads some span elements of one trace object (or of a bare array of
    // spans), each element a document of its own, with the same code as readText. The reader's input
    // is the whole text, so offsets are the file's. False when an element cannot be started as JSON.
    void startPart(const TraceJob* trace);
    bool readPartProcesses(od::parser& parser, std::uint64_t begin, std::uint64_t end);
    bool readPartSpan(od::parser& parser, std::uint64_t begin, std::uint64_t end, bool bareSpan);
    void finishPartTrace(const TraceJob& trace);

private:
    bool readDocument(od::document& doc);
    void readTopLevelObject(od::object object);
    void readTraceList(od::value value);
    void readTrace(od::value value);
    void readTraceField(std::string_view key, od::value value);
    void readEnclosingTraceId(od::value value);
    void readProcesses(od::value value);
    void readProcessMap(od::object object);
    void readQueryErrors(od::value value);
    void finishTrace();
    bool claimHole(od::value& value);
    bool deferTrace();
    void addPendingSpans();

    void readSpanEntry(od::value value);
    void readSpanObject(od::object object, std::uint64_t offset);
    bool readSpan(od::object object);
    bool readSpanField(od::field& field);
    bool setTimes(const SpanTimesUs& times, PendingSpan& span);
    bool readReference(od::value value);
    bool readLog(od::value value);
    bool readTags(od::value value, std::string_view what, std::vector<Attribute>& out);
    bool readTag(od::value value, Attribute& out);
    WrittenValue readWrittenValue(od::value value);
    std::optional<Value> typedValue(TagType type, const WrittenValue& written);
    Value inferredValue(const WrittenValue& written);
    bool readProcess(od::value value, StringId& service, std::vector<Attribute>& tags);
    bool readInlineProcess(od::value value, std::uint32_t& resource);
    void classify(SpanRecord& record) const;
    StringId eventName() const;

    bool addSpan(PendingSpan& span);
    std::optional<std::string> resolveProcess(PendingSpan& span) const;
    void resolveReferences(PendingSpan& span);
    void addTraceWarnings(const std::optional<TraceId>& firstSpanTrace);

    bool readStrings(od::value value, std::string_view what, std::vector<std::string>& out);
    bool readMicros(od::value value, std::string_view what, std::optional<std::int64_t>& out);
    bool readFlags(od::value value, std::uint32_t& out);

    TraceState m_trace;
    SpanHoles* m_holes = nullptr;
    PendingSpan m_span;
    SpanTimesUs m_times; // of m_span
    bool m_readingSpan = false;

    // Scratch space reused from span to span.
    std::vector<Attribute> m_spanTags;
    std::vector<Attribute> m_logFields;
    std::vector<Attribute> m_processTags;
    std::vector<Event> m_events;
    std::vector<Link> m_links;

    struct Keys {
        StringId spanKind, error, errorMessage, otelStatusCode, otelStatusDescription, event, message, log;
    };
    const Keys m_keys{m_builder.intern("span.kind"),
                      m_builder.intern("error"),
                      m_builder.intern("error.message"),
                      m_builder.intern("otel.status_code"),
                      m_builder.intern("otel.status_description"),
                      m_builder.intern("event"),
                      m_builder.intern("message"),
                      m_builder.intern("log")};
};

} // namespace spanwise::jaeger
