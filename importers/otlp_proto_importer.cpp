// OTLP protobuf: binary TracesData or ExportTraceServiceRequest (the same layout), several of them
// concatenated, or the Collector file exporter's stream of frames, each TracesData preceded by its
// length as a 4-byte big-endian integer. Decoded in place with pb::Reader.

#include "otlp_proto_importer.h"

#include "ids.h"
#include "otlp_mapping.h"
#include "part_reader.h"
#include "protobuf_reader.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <span>
#include <vector>

namespace spanwise {

namespace {

// Field numbers of opentelemetry-proto, as in importers/proto/otlp_trace.proto.
namespace traces_data_field {
constexpr std::uint32_t kResourceSpans = 1;
}
namespace resource_spans_field {
constexpr std::uint32_t kResource = 1, kScopeSpans = 2, kLegacyScopeSpans = 1000;
}
namespace resource_field {
constexpr std::uint32_t kAttributes = 1;
}
namespace scope_spans_field {
constexpr std::uint32_t kScope = 1, kSpans = 2;
}
namespace scope_field {
constexpr std::uint32_t kName = 1, kVersion = 2, kAttributes = 3;
}
namespace span_field {
constexpr std::uint32_t kTraceId = 1, kSpanId = 2, kTraceState = 3, kParentSpanId = 4, kName = 5, kKind = 6, kStart = 7,
                        kEnd = 8, kAttributes = 9, kDroppedAttributes = 10, kEvents = 11, kDroppedEvents = 12,
                        kLinks = 13, kDroppedLinks = 14, kStatus = 15, kFlags = 16;
}
namespace event_field {
constexpr std::uint32_t kTime = 1, kName = 2, kAttributes = 3;
}
namespace link_field {
constexpr std::uint32_t kTraceId = 1, kSpanId = 2, kTraceState = 3, kAttributes = 4;
}
namespace status_field {
constexpr std::uint32_t kMessage = 2, kCode = 3;
}
namespace key_value_field {
constexpr std::uint32_t kKey = 1, kValue = 2;
}
namespace any_value_field {
constexpr std::uint32_t kString = 1, kBool = 2, kInt = 3, kDouble = 4, kArray = 5, kKeyValueList = 6, kBytes = 7;
}
constexpr std::uint32_t kListValues = 1; // ArrayValue.values and KeyValueList.values

constexpr char kResourceSpansTag = 0x0a;     // TracesData field 1, length-delimited: the first byte of a TracesData
constexpr std::size_t kFrameLengthBytes = 4; // the file exporter's big-endian length before each TracesData
constexpr int kMaxValueDepth = 64;
constexpr int kSniffScore = 80;
constexpr std::size_t kTextSample = 1024;

// JSON and other text have no control characters but tab, newline and carriage return; protobuf
// has them in every tag and short length (KeyValue.value is 0x12).
bool looksLikeText(std::string_view head)
{
    const std::string_view sample = head.substr(0, kTextSample);
    return std::none_of(sample.begin(), sample.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f;
    });
}

// Starts with a TracesData field 1 (ResourceSpans) whose content starts with a valid field. head may
// end anywhere in the file, so lengths running past it are fine.
bool startsLikeTracesData(std::string_view head)
{
    pb::Reader reader(head);
    pb::Field field;
    const bool read = reader.next(field) || reader.problem() == pb::Problem::LengthPastEnd;
    if (!read || field.number != traces_data_field::kResourceSpans || field.type != pb::WireType::Bytes ||
        field.bytes.empty())
        return false;
    pb::Reader inner(field.bytes);
    pb::Field first;
    return inner.next(first) || inner.problem() == pb::Problem::LengthPastEnd ||
           inner.problem() == pb::Problem::Truncated;
}

int sniff(std::string_view head)
{
    if (looksLikeText(head))
        return 0;
    const bool framed = head.size() > kFrameLengthBytes && startsLikeTracesData(head.substr(kFrameLengthBytes));
    return startsLikeTracesData(head) || framed ? kSniffScore : 0;
}

std::uint32_t bigEndian32(const char* p)
{
    const auto byte = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
    return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// The whole data is a chain of frames: a 4-byte big-endian length, then that many bytes starting like
// a TracesData.
bool isFrameChain(std::string_view data)
{
    std::size_t pos = 0;
    while (data.size() - pos >= kFrameLengthBytes) {
        const std::size_t length = bigEndian32(data.data() + pos);
        pos += kFrameLengthBytes;
        if (length > data.size() - pos || (length > 0 && data[pos] != kResourceSpansTag))
            return false;
        pos += length;
    }
    return pos == data.size();
}

// A TracesData starts with its tag 0x0a. Otherwise sniff() found a frame length; with 0x0a the data
// may still be frames when the first one is longer than 0x0a000000 bytes.
bool isLengthPrefixed(std::string_view data)
{
    return !data.empty() && (data[0] != kResourceSpansTag || isFrameChain(data));
}

// What a span says that its record cannot hold, reported as span warnings once it is added.
struct SpanNotes {
    std::optional<std::int64_t> unknownKind; // protobuf enums are int32, written as varints
    std::optional<std::int64_t> unknownStatus;
    otlp::DroppedCounts dropped;
};

struct TimeField {
    std::uint64_t value = 0;
    const char* at = nullptr;
};

// A stretch of the input one part reads: fields of one ScopeSpans, or a ResourceSpans without any.
struct Chunk {
    std::optional<pb::Field> resource; // the last of its ResourceSpans, the one protobuf keeps
    std::optional<pb::Field> scope;    // the last of its ScopeSpans
    std::string_view fields;           // the stretch of the ScopeSpans' fields read here
    bool hasScopeSpans = true;
    bool startsResource = false; // else the resource is the one of the chunk before
    bool startsScope = false;
};

// The input cut into parts at span boundaries: part i reads chunks [firstChunks[i], firstChunks[i + 1]).
struct PartPlan {
    std::vector<Chunk> chunks;
    std::vector<std::size_t> firstChunks;
    std::vector<InputPart> parts;

    std::span<const Chunk> chunksOf(std::size_t part) const
    {
        const std::size_t end = part + 1 < firstChunks.size() ? firstChunks[part + 1] : chunks.size();
        return std::span<const Chunk>(chunks).subspan(firstChunks[part], end - firstChunks[part]);
    }
};

// Walks the messages holding the spans (frames, TracesData, ResourceSpans, ScopeSpans), skipping
// each span, and cuts a part before the first span at partBytes or more past the part's start.
// Fails at any wire problem among them: damaged input is read in one pass, which reports it.
class PartPlanner {
public:
    PartPlanner(std::string_view data, std::uint64_t partBytes) : m_data(data), m_partBytes(partBytes) {}

    std::optional<PartPlan> plan(bool lengthPrefixed)
    {
        m_plan.firstChunks.push_back(0);
        if (!(lengthPrefixed ? walkFrames() : walkTracesData(m_data)))
            return std::nullopt;
        m_plan.parts.push_back({m_partBegin, m_data.size()});
        return std::move(m_plan);
    }

private:
    bool walkFrames()
    {
        for (std::size_t pos = 0; pos < m_data.size();) {
            if (m_data.size() - pos < kFrameLengthBytes)
                return false;
            const std::size_t length = bigEndian32(m_data.data() + pos);
            const std::string_view rest = m_data.substr(pos + kFrameLengthBytes);
            if (length > rest.size() || !walkTracesData(rest.substr(0, length)))
                return false;
            pos += kFrameLengthBytes + length;
        }
        return true;
    }

    bool walkTracesData(std::string_view message)
    {
        pb::Reader reader(message);
        pb::Field field;
        while (reader.next(field)) {
            if (field.number != traces_data_field::kResourceSpans)
                continue;
            if (field.type != pb::WireType::Bytes || !walkResourceSpans(field.bytes))
                return false;
        }
        return reader.problem() == pb::Problem::None;
    }

    bool walkResourceSpans(std::string_view message)
    {
        const std::size_t firstChunk = m_plan.chunks.size();
        std::optional<pb::Field> resource;
        pb::Reader reader(message);
        pb::Field field;
        bool startsResource = true;
        while (reader.next(field)) {
            if (field.number == resource_spans_field::kResource)
                resource = field;
            if (field.number != resource_spans_field::kScopeSpans &&
                field.number != resource_spans_field::kLegacyScopeSpans)
                continue;
            if (field.type != pb::WireType::Bytes || !walkScopeSpans(field.bytes, startsResource))
                return false;
            startsResource = false;
        }
        if (startsResource)
            m_plan.chunks.push_back({.resource = {},
                                     .scope = {},
                                     .fields = {},
                                     .hasScopeSpans = false,
                                     .startsResource = true,
                                     .startsScope = false});
        for (std::size_t i = firstChunk; i < m_plan.chunks.size(); ++i)
            m_plan.chunks[i].resource = resource;
        return reader.problem() == pb::Problem::None;
    }

    bool walkScopeSpans(std::string_view message, bool startsResource)
    {
        const std::size_t firstChunk = m_plan.chunks.size();
        std::optional<pb::Field> scope;
        Chunk chunk{.resource = {},
                    .scope = {},
                    .fields = {},
                    .hasScopeSpans = true,
                    .startsResource = startsResource,
                    .startsScope = true};
        const char* from = message.data();
        pb::Reader reader(message);
        pb::Field field;
        while (reader.next(field)) {
            if (field.number == scope_spans_field::kScope)
                scope = field;
            const auto at = static_cast<std::uint64_t>(field.at - m_data.data());
            if (field.number != scope_spans_field::kSpans || at - m_partBegin < m_partBytes)
                continue;
            chunk.fields = {from, field.at};
            m_plan.chunks.push_back(chunk);
            m_plan.firstChunks.push_back(m_plan.chunks.size());
            m_plan.parts.push_back({m_partBegin, at});
            m_partBegin = at;
            from = field.at;
            chunk = Chunk{};
        }
        chunk.fields = {from, message.data() + message.size()};
        m_plan.chunks.push_back(chunk);
        for (std::size_t i = firstChunk; i < m_plan.chunks.size(); ++i)
            m_plan.chunks[i].scope = scope;
        return reader.problem() == pb::Problem::None;
    }

    std::string_view m_data;
    std::uint64_t m_partBytes;
    std::uint64_t m_partBegin = 0;
    PartPlan m_plan;
};

class ProtoImport {
public:
    ProtoImport(const Input& input, DatasetBuilder& builder, ImportReport& report)
        : m_input(input), m_builder(builder), m_report(report)
    {
    }

    void read(bool lengthPrefixed)
    {
        if (lengthPrefixed)
            readFrames(m_input.text());
        else
            readTracesData(m_input.text(), false);
    }

    // Reads what one part holds as read() does, so that the parts appended in order give its dataset.
    // A part starting inside a ScopeSpans continues the resource and scope the part before added.
    void readPart(std::span<const Chunk> chunks)
    {
        std::uint32_t resource = kNoIndex;
        std::uint32_t scope = kNoIndex;
        for (const Chunk& chunk : chunks) {
            const bool first = &chunk == chunks.data();
            if (chunk.startsResource)
                resource = readResource(chunk.resource);
            else if (first)
                resource = continueResource(chunk.resource);
            if (!chunk.hasScopeSpans)
                continue;
            if (chunk.startsScope)
                scope = readScope(chunk.scope);
            else if (first)
                scope = continueScope(chunk.scope);
            pb::Reader reader(chunk.fields);
            pb::Field field;
            while (reader.next(field))
                readScopeSpansField(field, false, resource, scope);
        }
    }

private:
    std::uint64_t offsetOf(const char* position) const { return static_cast<std::uint64_t>(position - m_input.data); }

    // ---- containers: a problem is reported and reading goes on with the next message it allows.
    // cut: the message is the part there is of one whose length ran past its end, which was reported.

    void readFrames(std::string_view data)
    {
        std::size_t pos = 0;
        while (pos < data.size()) {
            const std::size_t left = data.size() - pos;
            if (left < kFrameLengthBytes) {
                m_report.error(pos, "the data ends inside a frame length (" + std::to_string(left) + " of its " +
                                        std::to_string(kFrameLengthBytes) + " bytes)");
                return;
            }
            const std::size_t length = bigEndian32(data.data() + pos);
            const std::string_view rest = data.substr(pos + kFrameLengthBytes);
            if (length > rest.size()) {
                m_report.error(pos, "frame length of " + std::to_string(length) + " bytes, but only " +
                                        std::to_string(rest.size()) + " are left; reading the part that is there");
                readTracesData(rest, true);
                return;
            }
            readTracesData(rest.substr(0, length), false);
            pos += kFrameLengthBytes + length;
        }
    }

    // Calls onField(field, partial) for each field of a container message, then for the part there is
    // of a field whose length runs past the message's end (partial = true).
    template <typename OnField>
    void forEachField(std::string_view message, bool cut, const char* messageName, OnField onField)
    {
        pb::Reader reader(message);
        pb::Field field;
        while (reader.next(field))
            onField(field, false);
        const pb::Problem problem = reader.problem();
        if (problem == pb::Problem::None)
            return;
        const bool pastEnd = problem == pb::Problem::LengthPastEnd;
        const bool followsFromCut = cut && (pastEnd || problem == pb::Problem::Truncated);
        if (!followsFromCut)
            m_report.error(offsetOf(reader.problemAt()),
                           std::string(messageName) + ": " + pb::describe(reader) +
                               (pastEnd ? "; reading the part that is there" : "; the rest of it is left out"));
        if (pastEnd)
            onField(field, true);
    }

    // Calls onField(field) for each field of a message inside a span, stopping at the first it refuses
    // (after fail()); a malformed message is reported here. False when the span is to be skipped.
    template <typename OnField>
    bool decodeFields(std::string_view message, const char* messageName, OnField onField)
    {
        pb::Reader reader(message);
        pb::Field field;
        while (reader.next(field)) {
            if (!onField(field))
                return false;
        }
        return reader.problem() == pb::Problem::None || failWire(reader, messageName);
    }

    bool isContainer(const pb::Field& field, const char* name)
    {
        if (field.type == pb::WireType::Bytes)
            return true;
        m_report.error(offsetOf(field.at), std::string(name) + " has wire type " + pb::toString(field.type) +
                                               ", expected length-delimited: left out");
        return false;
    }

    void readTracesData(std::string_view message, bool cut)
    {
        forEachField(message, cut, "TracesData", [&](const pb::Field& field, bool partial) {
            if (field.number == traces_data_field::kResourceSpans && isContainer(field, "TracesData.resource_spans"))
                readResourceSpans(field.bytes, cut || partial);
        });
    }

    void readResourceSpans(std::string_view message, bool cut)
    {
        const std::uint32_t resource = readResource(lastField(message, resource_spans_field::kResource));
        forEachField(message, cut, "ResourceSpans", [&](const pb::Field& field, bool partial) {
            const bool scopeSpans = field.number == resource_spans_field::kScopeSpans ||
                                    field.number == resource_spans_field::kLegacyScopeSpans;
            if (scopeSpans && isContainer(field, "ResourceSpans.scope_spans"))
                readScopeSpans(field.bytes, resource, cut || partial);
        });
    }

    void readScopeSpans(std::string_view message, std::uint32_t resource, bool cut)
    {
        const std::uint32_t scope = readScope(lastField(message, scope_spans_field::kScope));
        forEachField(message, cut, "ScopeSpans", [&](const pb::Field& field, bool partial) {
            readScopeSpansField(field, partial, resource, scope);
        });
    }

    void readScopeSpansField(const pb::Field& field, bool partial, std::uint32_t resource, std::uint32_t scope)
    {
        if (field.number != scope_spans_field::kSpans)
            return;
        if (partial)
            m_report.skipSpan(offsetOf(field.at), "cut off: the message holding it ends before it does");
        else if (field.type != pb::WireType::Bytes)
            m_report.skipSpan(offsetOf(field.at), std::string("ScopeSpans.spans has wire type ") +
                                                      pb::toString(field.type) + ", expected length-delimited");
        else
            readSpan(field, resource, scope);
    }

    // The last complete occurrence of a field, which is the one protobuf keeps (a resource or scope may
    // come after the spans).
    static std::optional<pb::Field> lastField(std::string_view message, std::uint32_t number)
    {
        pb::Reader reader(message);
        pb::Field field;
        std::optional<pb::Field> found;
        while (reader.next(field)) {
            if (field.number == number)
                found = field;
        }
        return found;
    }

    std::uint32_t readResource(const std::optional<pb::Field>& field)
    {
        m_attributes.clear();
        if (field && !decodeResource(*field)) {
            m_report.error(offsetOf(m_failure.at),
                           "resource attributes left out, its spans are shown under unknown_service: " +
                               m_failure.reason);
            m_attributes.clear();
        }
        return otlp::addResource(m_builder, m_attributes);
    }

    // The resource readResource added in the part before, decoded again (the part before reported
    // its problems) for its service.
    std::uint32_t continueResource(const std::optional<pb::Field>& field)
    {
        m_attributes.clear();
        const StringId service = field && decodeResource(*field) ? otlp::serviceOf(m_builder, m_attributes) : 0;
        m_attributes.clear();
        return m_builder.continueResource(service);
    }

    bool decodeResource(const pb::Field& field)
    {
        if (!expect(field, pb::WireType::Bytes, "ResourceSpans.resource"))
            return false;
        return decodeFields(field.bytes, "Resource", [&](const pb::Field& f) {
            if (f.number == resource_field::kAttributes && !pushKeyValue(f, 0, "Resource.attributes"))
                return false;
            return true;
        });
    }

    std::uint32_t readScope(const std::optional<pb::Field>& field)
    {
        if (!field)
            return kNoIndex;
        m_attributes.clear();
        Scope scope;
        if (!decodeScope(*field, scope)) {
            m_report.error(offsetOf(m_failure.at), "instrumentation scope left out: " + m_failure.reason);
            return kNoIndex;
        }
        return m_builder.addScope(scope.name, scope.version, commitAttributes(0));
    }

    std::uint32_t continueScope(const std::optional<pb::Field>& field)
    {
        if (!field)
            return kNoIndex;
        m_attributes.clear();
        Scope scope;
        const bool decoded = decodeScope(*field, scope);
        m_attributes.clear();
        return decoded ? m_builder.continueScope(scope.name, scope.version) : kNoIndex;
    }

    bool decodeScope(const pb::Field& field, Scope& scope)
    {
        if (!expect(field, pb::WireType::Bytes, "ScopeSpans.scope"))
            return false;
        return decodeFields(field.bytes, "InstrumentationScope", [&](const pb::Field& f) {
            bool ok = true;
            switch (f.number) {
            case scope_field::kName:
                ok = readString(f, "InstrumentationScope.name", scope.name);
                break;
            case scope_field::kVersion:
                ok = readString(f, "InstrumentationScope.version", scope.version);
                break;
            case scope_field::kAttributes:
                ok = pushKeyValue(f, 0, "InstrumentationScope.attributes");
                break;
            default:
                break;
            }
            return ok;
        });
    }

    // ---- span content: the decode functions return false after fail(), and the span is skipped.

    void readSpan(const pb::Field& field, std::uint32_t resource, std::uint32_t scope)
    {
        m_report.advance(offsetOf(field.at));
        m_attributes.clear();
        m_events.clear();
        m_links.clear();
        SpanRecord record;
        record.resource = resource;
        record.scope = scope;
        SpanNotes notes;
        if (!decodeSpan(field, record, notes)) {
            m_report.skipSpan(offsetOf(m_failure.at), m_failure.reason);
            return;
        }
        const std::uint32_t index = m_builder.addSpan(record);
        otlp::warnMissingStart(m_builder, index, record);
        if (notes.unknownKind)
            warnUndefined(index, "kind", *notes.unknownKind);
        if (notes.unknownStatus)
            warnUndefined(index, "status.code", *notes.unknownStatus);
        otlp::warnDropped(m_builder, index, notes.dropped);
    }

    // The wording of the OTLP JSON importer, so both formats warn alike.
    void warnUndefined(std::uint32_t spanIndex, const char* field, std::int64_t number)
    {
        m_builder.addSpanWarning(spanIndex, std::string(field) + " " + std::to_string(number) +
                                                " is not defined by OTLP: left unset");
    }

    bool decodeSpan(const pb::Field& spanField, SpanRecord& span, SpanNotes& notes)
    {
        const char* traceIdAt = nullptr;
        const char* spanIdAt = nullptr;
        TimeField start;
        TimeField end;
        std::uint64_t kind = 0;
        if (!decodeFields(spanField.bytes, "Span", [&](const pb::Field& f) {
                bool ok = true;
                switch (f.number) {
                case span_field::kTraceId:
                    traceIdAt = f.at;
                    ok = readTraceId(f, "Span.trace_id", span.traceId);
                    break;
                case span_field::kSpanId:
                    spanIdAt = f.at;
                    ok = readSpanId(f, "Span.span_id", span.id);
                    break;
                case span_field::kTraceState:
                    ok = readString(f, "Span.trace_state", span.traceState);
                    break;
                case span_field::kParentSpanId:
                    ok = readParentId(f, span.parentId);
                    break;
                case span_field::kName:
                    ok = readString(f, "Span.name", span.name);
                    break;
                case span_field::kKind:
                    ok = readVarint(f, "Span.kind", kind);
                    break;
                case span_field::kStart:
                    ok = readTimeField(f, "Span.start_time_unix_nano", start);
                    break;
                case span_field::kEnd:
                    ok = readTimeField(f, "Span.end_time_unix_nano", end);
                    break;
                case span_field::kAttributes:
                    ok = pushKeyValue(f, 0, "Span.attributes");
                    break;
                case span_field::kDroppedAttributes:
                    ok = readVarint(f, "Span.dropped_attributes_count", notes.dropped.attributes);
                    break;
                case span_field::kEvents:
                    ok = readEvent(f);
                    break;
                case span_field::kDroppedEvents:
                    ok = readVarint(f, "Span.dropped_events_count", notes.dropped.events);
                    break;
                case span_field::kLinks:
                    ok = readLink(f);
                    break;
                case span_field::kDroppedLinks:
                    ok = readVarint(f, "Span.dropped_links_count", notes.dropped.links);
                    break;
                case span_field::kStatus:
                    ok = readStatus(f, span, notes);
                    break;
                case span_field::kFlags:
                    ok = expect(f, pb::WireType::Fixed32, "Span.flags");
                    span.flags = static_cast<std::uint32_t>(f.value);
                    break;
                default:
                    break;
                }
                return ok;
            }))
            return false;
        if (span.traceId.isZero())
            return fail(traceIdAt ? traceIdAt : spanField.at, traceIdAt ? "trace_id is all zeros" : "no trace_id");
        if (span.id == 0)
            return fail(spanIdAt ? spanIdAt : spanField.at, spanIdAt ? "span_id is all zeros" : "no span_id");
        if (const char* reason = otlp::setSpanTimes(span, start.value, end.value))
            return fail(otlp::timeFromUnixNano(start.value) ? end.at : start.at, reason);
        setKind(span, notes, kind);
        span.attributes = commitAttributes(0);
        span.events = m_builder.appendEvents(m_events);
        span.links = m_builder.appendLinks(m_links);
        return true;
    }

    static void setKind(SpanRecord& span, SpanNotes& notes, std::uint64_t number)
    {
        const auto signedNumber = static_cast<std::int64_t>(number);
        if (const auto kind = otlp::kindFromNumber(signedNumber))
            span.kind = *kind;
        else
            notes.unknownKind = signedNumber;
    }

    bool readEvent(const pb::Field& field)
    {
        if (!expect(field, pb::WireType::Bytes, "Span.events"))
            return false;
        const std::size_t base = m_attributes.size();
        Event event;
        if (!decodeFields(field.bytes, "Event", [&](const pb::Field& f) {
                bool ok = true;
                switch (f.number) {
                case event_field::kTime:
                    ok = readTime(f, "Event.time_unix_nano", event.time);
                    break;
                case event_field::kName:
                    ok = readString(f, "Event.name", event.name);
                    break;
                case event_field::kAttributes:
                    ok = pushKeyValue(f, 0, "Event.attributes");
                    break;
                default:
                    break;
                }
                return ok;
            }))
            return false;
        event.attributes = commitAttributes(base);
        m_events.push_back(event);
        return true;
    }

    bool readLink(const pb::Field& field)
    {
        if (!expect(field, pb::WireType::Bytes, "Span.links"))
            return false;
        const std::size_t base = m_attributes.size();
        Link link;
        bool hasTraceId = false;
        bool hasSpanId = false;
        if (!decodeFields(field.bytes, "Link", [&](const pb::Field& f) {
                bool ok = true;
                switch (f.number) {
                case link_field::kTraceId:
                    hasTraceId = true;
                    ok = readTraceId(f, "Link.trace_id", link.traceId);
                    break;
                case link_field::kSpanId:
                    hasSpanId = true;
                    ok = readSpanId(f, "Link.span_id", link.spanId);
                    break;
                case link_field::kTraceState:
                    ok = readString(f, "Link.trace_state", link.traceState);
                    break;
                case link_field::kAttributes:
                    ok = pushKeyValue(f, 0, "Link.attributes");
                    break;
                default:
                    break;
                }
                return ok;
            }))
            return false;
        if (!hasTraceId || !hasSpanId)
            return fail(field.at, hasTraceId ? "a link without span_id" : "a link without trace_id");
        link.attributes = commitAttributes(base);
        m_links.push_back(link);
        return true;
    }

    bool readStatus(const pb::Field& field, SpanRecord& span, SpanNotes& notes)
    {
        if (!expect(field, pb::WireType::Bytes, "Span.status"))
            return false;
        std::uint64_t code = 0;
        if (!decodeFields(field.bytes, "Status", [&](const pb::Field& f) {
                bool ok = true;
                if (f.number == status_field::kMessage)
                    ok = readString(f, "Status.message", span.statusMessage);
                else if (f.number == status_field::kCode)
                    ok = readVarint(f, "Status.code", code);
                return ok;
            }))
            return false;
        const auto signedCode = static_cast<std::int64_t>(code);
        if (const auto status = otlp::statusFromNumber(signedCode))
            span.status = *status;
        else
            notes.unknownStatus = signedCode;
        return true;
    }

    // ---- attributes: entries in progress wait on m_attributes, each list above the one containing it.

    Range commitAttributes(std::size_t base)
    {
        const Range range = m_builder.appendAttributes(std::span<const Attribute>(m_attributes).subspan(base));
        m_attributes.resize(base);
        return range;
    }

    bool pushKeyValue(const pb::Field& field, int depth, const char* name)
    {
        if (!expect(field, pb::WireType::Bytes, name))
            return false;
        Attribute attribute;
        if (!decodeFields(field.bytes, "KeyValue", [&](const pb::Field& f) {
                bool ok = true;
                if (f.number == key_value_field::kKey)
                    ok = readString(f, "KeyValue.key", attribute.key);
                else if (f.number == key_value_field::kValue)
                    ok = expect(f, pb::WireType::Bytes, "KeyValue.value") &&
                         decodeAnyValue(f.bytes, depth, attribute.value);
                return ok;
            }))
            return false;
        m_attributes.push_back(attribute);
        return true;
    }

    bool decodeAnyValue(std::string_view message, int depth, Value& value)
    {
        return decodeFields(message, "AnyValue", [&](const pb::Field& f) {
            bool ok = true;
            switch (f.number) {
            case any_value_field::kString: {
                StringId text = 0;
                ok = readString(f, "AnyValue.string_value", text);
                value = Value::string(text);
                break;
            }
            case any_value_field::kBool:
                ok = expect(f, pb::WireType::Varint, "AnyValue.bool_value");
                value = Value::boolean(f.value != 0);
                break;
            case any_value_field::kInt:
                ok = expect(f, pb::WireType::Varint, "AnyValue.int_value");
                value = Value::integer(static_cast<std::int64_t>(f.value));
                break;
            case any_value_field::kDouble:
                ok = expect(f, pb::WireType::Fixed64, "AnyValue.double_value");
                value = Value::real(std::bit_cast<double>(f.value));
                break;
            case any_value_field::kArray:
                ok = readArrayValue(f, depth, value);
                break;
            case any_value_field::kKeyValueList:
                ok = readKeyValueList(f, depth, value);
                break;
            case any_value_field::kBytes: {
                StringId bytes = 0;
                ok = readString(f, "AnyValue.bytes_value", bytes);
                value = Value::bytes(bytes);
                break;
            }
            default:
                break;
            }
            return ok;
        });
    }

    bool enterList(const pb::Field& field, int depth, const char* name)
    {
        if (!expect(field, pb::WireType::Bytes, name))
            return false;
        if (depth >= kMaxValueDepth)
            return fail(field.at,
                        "attribute values nested more than " + std::to_string(kMaxValueDepth) + " levels deep");
        return true;
    }

    bool readArrayValue(const pb::Field& field, int depth, Value& value)
    {
        if (!enterList(field, depth, "AnyValue.array_value"))
            return false;
        const std::size_t base = m_attributes.size();
        if (!decodeFields(field.bytes, "ArrayValue", [&](const pb::Field& f) {
                if (f.number != kListValues)
                    return true;
                Value element;
                if (!expect(f, pb::WireType::Bytes, "ArrayValue.values") ||
                    !decodeAnyValue(f.bytes, depth + 1, element))
                    return false;
                m_attributes.push_back({0, element});
                return true;
            }))
            return false;
        value = Value::array(commitAttributes(base));
        return true;
    }

    bool readKeyValueList(const pb::Field& field, int depth, Value& value)
    {
        if (!enterList(field, depth, "AnyValue.kvlist_value"))
            return false;
        const std::size_t base = m_attributes.size();
        if (!decodeFields(field.bytes, "KeyValueList", [&](const pb::Field& f) {
                if (f.number == kListValues && !pushKeyValue(f, depth + 1, "KeyValueList.values"))
                    return false;
                return true;
            }))
            return false;
        value = Value::keyValueList(commitAttributes(base));
        return true;
    }

    // ---- typed fields

    bool expect(const pb::Field& field, pb::WireType type, const char* name)
    {
        if (field.type == type)
            return true;
        return fail(field.at, std::string(name) + " has wire type " + pb::toString(field.type) + ", expected " +
                                  pb::toString(type));
    }

    bool readString(const pb::Field& field, const char* name, StringId& out)
    {
        if (!expect(field, pb::WireType::Bytes, name))
            return false;
        out = m_builder.intern(field.bytes);
        return true;
    }

    bool readVarint(const pb::Field& field, const char* name, std::uint64_t& out)
    {
        if (!expect(field, pb::WireType::Varint, name))
            return false;
        out = field.value;
        return true;
    }

    bool readTimeField(const pb::Field& field, const char* name, TimeField& out)
    {
        if (!expect(field, pb::WireType::Fixed64, name))
            return false;
        out = {field.value, field.at};
        return true;
    }

    bool readTime(const pb::Field& field, const char* name, TimeNs& out)
    {
        if (!expect(field, pb::WireType::Fixed64, name))
            return false;
        const auto time = otlp::timeFromUnixNano(field.value);
        if (!time)
            return fail(field.at, std::string(name) + " " + std::to_string(field.value) + " is beyond the year 2262");
        out = *time;
        return true;
    }

    bool checkIdSize(const pb::Field& field, const char* name, std::size_t size)
    {
        if (!expect(field, pb::WireType::Bytes, name))
            return false;
        if (field.bytes.size() == size)
            return true;
        return fail(field.at, std::string(name) + " has " + std::to_string(field.bytes.size()) + " bytes, expected " +
                                  std::to_string(size));
    }

    bool readTraceId(const pb::Field& field, const char* name, TraceId& out)
    {
        if (!checkIdSize(field, name, 16))
            return false;
        out = *traceIdFromBytes(field.bytes);
        return true;
    }

    bool readSpanId(const pb::Field& field, const char* name, SpanId& out)
    {
        if (!checkIdSize(field, name, 8))
            return false;
        out = *spanIdFromBytes(field.bytes);
        return true;
    }

    // Empty or all zeros: a root span.
    bool readParentId(const pb::Field& field, SpanId& out)
    {
        if (field.type == pb::WireType::Bytes && field.bytes.empty()) {
            out = 0;
            return true;
        }
        return readSpanId(field, "Span.parent_span_id", out);
    }

    bool fail(const char* at, std::string reason)
    {
        m_failure.at = at;
        m_failure.reason = std::move(reason);
        return false;
    }

    bool failWire(const pb::Reader& reader, const char* messageName)
    {
        return fail(reader.problemAt(), std::string(messageName) + ": " + pb::describe(reader));
    }

    const Input& m_input;
    DatasetBuilder& m_builder;
    ImportReport& m_report;
    std::vector<Attribute> m_attributes;
    std::vector<Event> m_events;
    std::vector<Link> m_links;
    struct {
        const char* at = nullptr;
        std::string reason;
    } m_failure;
};

void read(const Input& input, DatasetBuilder& builder, ImportReport& report)
{
    readOtlpProto(input, builder, report, kPartBytes);
}

} // namespace

void readOtlpProto(const Input& input, DatasetBuilder& builder, ImportReport& report, std::uint64_t partBytes)
{
    const bool lengthPrefixed = isLengthPrefixed(input.text());
    if (lengthPrefixed)
        report.variant = "length-prefixed";
    const std::optional<PartPlan> plan = partBytes > 0 ? PartPlanner(input.text(), partBytes).plan(lengthPrefixed)
                                                       : std::nullopt;
    if (!plan) {
        ProtoImport(input, builder, report).read(lengthPrefixed);
        return;
    }
    readInParts(input, plan->parts, builder, report, [&](std::size_t part, DatasetBuilder& b, ImportReport& r) {
        ProtoImport(input, b, r).readPart(plan->chunksOf(part));
    });
}

const Importer& otlpProtoImporter()
{
    static const Importer importer{"otlp-proto", sniff, read, false};
    return importer;
}

} // namespace spanwise
