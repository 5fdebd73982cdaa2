#pragma once
// AWS X-Ray reading, shared by the reading of a whole input (xray_importer.cpp) and the reading of a
// big input in parts on several threads (xray_parts.cpp).

#include "importer.h"
#include "json_reader.h"

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanwise::xray {

namespace od = json::od;

// The members of BatchGetTraces and GetTraceSummaries output around its traces, which say nothing
// about the spans.
inline constexpr std::string_view kWrapperKeys[] = {
    "Id", "Duration", "LimitExceeded", "UnprocessedTraceIds", "NextToken", "ApproximateTime", "TracesProcessedCount"};

// A segment or subsegment as read, made into a span once its whole document is read (subsegments
// take the trace id and service from their segment, whose fields may come after them).
struct Node {
    SpanRecord record;
    std::uint32_t parent = kNoIndex; // the enclosing node, in Reader::m_nodes
    std::uint64_t offset = 0;
    bool hasId = false;
    bool hasTraceId = false;
    bool hasStart = false;
    bool hasEnd = false;
    bool inProgress = false;
    bool independent = false; // "type": "subsegment", sent on its own
    bool wrapper = false;     // BatchGetTraces output or one of its traces rather than a segment
    bool error = false;
    bool fault = false;
    bool throttle = false;
    StringId name = 0;
    StringId traceIdText = 0;
    std::string_view nameSpace;
    StringId exceptionMessage = 0;
    std::vector<Attribute> attributes;
    std::vector<Event> events;
    std::vector<Link> links;

    void clear()
    {
        record = {};
        parent = kNoIndex;
        hasId = hasTraceId = hasStart = hasEnd = inProgress = independent = wrapper = false;
        error = fault = throttle = false;
        name = traceIdText = exceptionMessage = 0;
        nameSpace = {};
        attributes.clear();
        events.clear();
        links.clear();
    }
};

// The header the X-Ray SDKs put before each document they send to the daemon.
bool isDaemonHeader(std::string_view line);

class Reader : public json::ReaderCore {
public:
    Reader(const Input& input, DatasetBuilder& builder, ImportReport& report)
        : ReaderCore(builder, report), m_file(input), m_fileReport(report),
          m_traceIdKey(builder.intern("aws.xray.trace_id"))
    {
        setInput(input);
    }

    void readPiece(std::size_t begin, std::size_t end, bool recover);
    // Documents one per line, the lines starting in [begin, end); begin starts a line.
    void readLines(std::size_t begin, std::size_t end);
    // The daemon's form, header line, document, header line, document…, from the line break at begin
    // (the end of a header line, or the one before) to end (the end of the input or the line break
    // before a header line): each document runs to the next header line.
    void readDaemonDocuments(std::size_t begin, std::size_t end);
    // An element of a BatchGetTraces Segments array, [begin, end) of the input, read as a document of
    // its own, as the reading of the whole document reads it. False when simdjson refuses its text;
    // throws simdjson_error on broken JSON: the reading of the whole document reports those.
    bool readSegmentElement(std::size_t begin, std::size_t end);
    // The input is BatchGetTraces output, read in parts: its "Traces" member was seen.
    void sawBatch() { m_sawBatch = true; }
    // Takes over what the reader of a later part kept outside its builder (spans added at the end,
    // the services of its spans), as if this reader had read that part; appended says where its
    // builder went.
    void adopt(const Reader& part, const AppendedPart& appended);
    void finish();

private:
    void readStarted(od::document& doc, const Input& input, std::size_t end);
    void readRoot(od::value value);
    void readDocument(od::object object, std::uint64_t offset);
    void readNode(od::object object, std::uint32_t index);
    void readSubsegments(od::value value);
    Node& node() { return m_nodes[m_node]; } // the one being read
    bool readWrapperField(std::string_view key, od::value value, Node& node);
    void readSegments(od::value value);
    void readSegment(od::object object);
    void readEmbedded(od::value value);
    void readTime(od::value value, const char* what, TimeNs& out, bool& present);
    void readCause(od::value value, Node& node);
    void readException(od::value value, Node& node);
    void readLinks(od::value value, Node& node);
    void flatten(std::string& key, od::value value, std::vector<Attribute>& out);
    void addSpans(std::size_t first);
    void addSpan(Node& node, const Node& root);
    std::uint32_t commit(const SpanRecord& record);

    std::uint32_t allocate();
    std::uint64_t progressOffset(std::uint64_t offset) const { return m_embeddedAt ? m_embeddedAt : offset; }
    // A segment keeps going past a bad field: the problem is reported at once.
    void problem(std::uint64_t offset, std::string message) { report().error(offset, std::move(message)); }
    void problem(od::value& value, std::string_view field, std::string_view expected)
    {
        problem(offsetOf(value), json::expectedMessage(value, field, expected));
    }

    // ReaderCore::input() is the file, or the segment document read from a BatchGetTraces Document string.
    const Input m_file;
    ImportReport& m_fileReport;
    od::parser m_parser;
    od::parser m_embeddedParser;
    std::string m_embedded;
    std::uint64_t m_embeddedAt = 0; // offset of the Document string in the file while reading it
    std::deque<Node> m_nodes;       // references stay valid while subsegments are added
    std::size_t m_used = 0;
    std::uint32_t m_node = kNoIndex; // being read, in m_nodes
    std::vector<Attribute> m_scratch;
    std::string m_key;
    std::vector<std::pair<SpanId, StringId>> m_serviceOfSpan; // of the spans added
    // Added at the end: independent subsegments (they take their parent's service) and the spans
    // of documents still in progress (replaced by a complete document of the same id, if any).
    struct Pending {
        SpanRecord record;
        bool open = false;
    };
    std::vector<Pending> m_pending;
    const StringId m_traceIdKey;
    std::size_t m_spans = 0;
    bool m_sawSummaries = false;
    bool m_sawBatch = false;
    bool m_sawEmbedded = false;
};

} // namespace spanwise::xray
