#pragma once
// Importers write spans here in any order; finish() groups them into traces, builds each
// span tree (orphans, duplicates, cycles, Zipkin shared spans), adjusts clock skew and lays
// the spans out depth-first.

#include "dataset.h"

#include <functional>
#include <span>
#include <thread>
#include <unordered_map>

namespace spanwise {

// One span as an importer read it. Ranges refer to what was appended to the builder.
struct SpanRecord {
    TraceId traceId;
    SpanId id = 0;
    SpanId parentId = 0;  // 0: no parent
    StringId service = 0; // 0: take it from the resource; without one, unknown_service
    StringId name = 0;
    std::uint32_t resource = kNoIndex;
    std::uint32_t scope = kNoIndex;
    TimeNs start = 0;
    TimeNs end = 0;
    SpanKind kind = SpanKind::Unspecified;
    StatusCode status = StatusCode::Unset;
    StringId statusMessage = 0;
    StringId traceState = 0;
    std::uint32_t flags = 0;
    std::uint16_t marks = 0; // facts the importer knows: MarkFollowsFrom (parent reference is
                             // asynchronous), MarkShared, MarkInProgress, MarkMerged, MarkInferred,
                             // MarkNoTiming (start unknown; start is then ignored, end - start kept
                             // as the duration the file gives)
    Range attributes;
    Range events;
    Range links;
};

struct BuildOptions {
    bool adjustClockSkew = true;
    // Asked between the steps of finish() (each a fraction of a second on a million spans): returning
    // true stops it, and finish() returns an empty dataset.
    std::function<bool()> cancelled = {};
    // Threads that read the input (importers that read it in parts) and build the traces' trees, the
    // calling one included; 0 or 1: only the calling one. A trace of 64k spans or more that outweighs
    // a thread's share is built by all of them together.
    unsigned threads = std::thread::hardware_concurrency();
};

// Thrown between the steps of finish() when BuildOptions::cancelled says so; finish() catches it.
struct BuildCancelled {};
// Throws BuildCancelled when the options say the build is no longer wanted.
void throwIfCancelled(const BuildOptions& options);

// Where DatasetBuilder::append put what a part held, for an importer to move what it kept of the
// part outside the builder (records it adds at the end, names it remembers) along with it.
struct AppendedPart {
    std::vector<StringId> strings;        // by the part's string id
    std::vector<std::uint32_t> resources; // by the part's resource index
    std::vector<std::uint32_t> scopes;    // by the part's scope index
    std::uint32_t attributes = 0;         // added to the part's attribute, event and link ranges
    std::uint32_t events = 0;
    std::uint32_t links = 0;
    std::uint32_t spans = 0; // the index the part's first span got

    StringId string(StringId id) const { return strings[id]; }
    Value value(const Value& value) const;
    SpanRecord record(SpanRecord record) const;
};

class DatasetBuilder {
public:
    DatasetBuilder();

    // Room for about this many spans (and their attributes and events), so a big file does not
    // grow and copy the arrays over and over. Pages never written are never resident.
    void reserve(std::size_t spans);

    StringId intern(std::string_view text) { return m_data.strings.intern(text); }
    std::string_view str(StringId id) const { return m_data.strings.view(id); }

    Range appendAttributes(std::span<const Attribute> attributes);
    Range appendEvents(std::span<const Event> events);
    Range appendLinks(std::span<const Link> links);
    // A service without a name (0, the empty string) is unknown_service, OpenTelemetry's name for it.
    StringId namedService(StringId service);
    std::uint32_t addResource(StringId service, Range attributes);
    std::uint32_t addScope(StringId name, StringId version, Range attributes);
    // The resource of a service known by its name alone (X-Ray, Datadog): one per service, also
    // across the parts appended.
    std::uint32_t serviceResource(StringId service);
    const Resource& resource(std::uint32_t index) const { return m_data.resources[index]; }
    // For a builder that reads a later part of an input whose resource (scope) began in an earlier
    // part: stands for that resource, and must be the first added. Appended (see append), it is
    // the last resource (scope) of the builder appended to; it brings no attributes of its own.
    std::uint32_t continueResource(StringId service);
    std::uint32_t continueScope(StringId name, StringId version);

    // Returns the span's index among added spans, for addSpanWarning.
    std::uint32_t addSpan(const SpanRecord& record);
    void addSpanWarning(std::uint32_t spanIndex, std::string text);
    void addTraceWarning(const TraceId& trace, std::string text);
    // Gives the spans added under each `from` id the `to` id, as if added with it: a trace of that id
    // takes them in, and stands where the earlier of the two stood. Meant for an id learnt late
    // (Datadog's upper halves); costs a pass over the spans when traces merge.
    void renameTraces(std::span<const std::pair<TraceId, TraceId>> renames);
    std::size_t spanCount() const { return m_data.spans.size(); }
    // Nothing was added yet.
    bool empty() const { return m_data.spans.empty() && m_data.resources.empty() && m_data.scopes.empty(); }

    // Adds what part read, the next part of the same input, as if this builder had read it after
    // what it holds: strings are interned in their order, ranges and indexes moved past this
    // builder's, spans of a known trace id join that trace. So reading an input in parts into
    // builders of their own and appending them in order gives the same dataset as reading it here.
    // part is left empty (see clear).
    AppendedPart append(DatasetBuilder& part);
    // Empties the builder, keeping the room its arrays took, so reading another part into it
    // touches no fresh memory.
    void clear();

    // The traces with their trees built; an empty dataset when cancelled.
    Dataset finish(const BuildOptions& options = {});

private:
    std::uint32_t traceIndex(const TraceId& id);
    // The record's parent is also one of its links: it was started by its parent, not called.
    bool linksToParentAsynchronously(const SpanRecord& r) const;

    Dataset m_data;
    std::vector<std::uint32_t> m_traceOfSpan;
    std::unordered_map<TraceId, std::uint32_t> m_traceIndex;
    std::unordered_map<StringId, std::uint32_t> m_serviceResources; // by the service as given
    std::vector<SpanWarning> m_spanWarnings;                        // span = index among added spans
    StringId m_unknownService = 0;
    bool m_continuesResource = false; // resource 0 stands for the last of the builder appended to
    bool m_continuesScope = false;
};

} // namespace spanwise
