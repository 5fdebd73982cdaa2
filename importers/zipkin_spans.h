#pragma once
// Internal to the Zipkin importer: spans as the JSON reader saw them, the v1 → v2 conversion and
// the assembly of the v2 spans (merging fragments reported in parts) into the builder.

#include "importer.h"

#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace spanwise::zipkin {

// Strings the importer compares or writes, interned once per file.
struct Names {
    explicit Names(DatasetBuilder& builder);
    StringId cs, sr, ss, cr, ms, mr, ws, wr; // v1 core annotations
    StringId ca, sa, ma, lc;                 // v1 address and marker keys
    StringId error, otelStatusCode, otelStatusDescription;
    StringId peerService, peerIp, peerIpv6, peerPort;
    StringId ipv4, ipv6, port, debug;
};

struct Endpoint {
    StringId service = 0;
    StringId ipv4 = 0;
    StringId ipv6 = 0;
    std::uint16_t port = 0; // 0: not written
    bool empty() const { return service == 0 && ipv4 == 0 && ipv6 == 0 && port == 0; }
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct Annotation {
    TimeNs time = 0;
    StringId value = 0;
    Endpoint endpoint; // v1 only
};

// A v1 binary annotation: a tag, or the address of a peer ("ca", "sa", "ma" with the value true).
struct BinaryAnnotation {
    StringId key = 0;
    Value value;
    Endpoint endpoint;
};

// The fields of one v2 span that are not shared by every span a v1 span converts to.
struct SpanPart {
    Endpoint local;
    Endpoint remote;
    SpanKind kind = SpanKind::Unspecified; // Unspecified: not written
    bool shared = false;
    std::optional<TimeNs> timestamp;
    std::optional<TimeNs> duration;
    std::vector<Event> events;
    std::vector<Attribute> tags;

    void clear();
};

// One span object of the file, in either version. Times are already in nanoseconds.
struct RawSpan {
    std::uint64_t offset = 0;
    TraceId traceId;
    SpanId id = 0;
    SpanId parentId = 0;
    StringId name = 0;
    bool debug = false;
    bool hasV2Fields = false; // localEndpoint, remoteEndpoint, kind, tags or shared
    bool hasV1Fields = false; // binaryAnnotations, or annotations naming an endpoint
    SpanPart v2;              // everything of a v2 span, and a v1 span's timestamp and duration
    std::vector<Annotation> annotations;
    std::vector<BinaryAnnotation> binaryAnnotations;

    void clear();
};

// Splits a v1 span into the v2 spans it stands for (one per local endpoint: a client span and
// the shared server span of the same RPC), following the rules of Zipkin's V1SpanConverter.
class V1Converter {
public:
    explicit V1Converter(const Names& names) : m_names(names) {}
    std::span<SpanPart> convert(const RawSpan& span);

private:
    void collectAnnotations(const RawSpan& span);
    void deriveMissingStarts(const RawSpan& span);
    void applyRpcTimes(const RawSpan& span);
    void applyMessagingTimes(const RawSpan& span);
    void applyIncompleteRpc(const RawSpan& span);
    void applyBinaryAnnotations(const RawSpan& span);
    void applyAddresses(const Endpoint* ca, const Endpoint* sa, const Endpoint* ma);
    void timeFromSourceOr(const RawSpan& span, const Annotation& begin, const Annotation* end);
    std::size_t forEndpoint(const Endpoint* endpoint);
    std::size_t newPart(const Endpoint& endpoint);
    SpanPart& part(std::size_t index) { return m_parts[index]; }

    const Names& m_names;
    std::vector<SpanPart> m_parts; // reused: the first m_count are this span's
    std::size_t m_count = 0;
    const Annotation *m_cs = nullptr, *m_sr = nullptr, *m_ss = nullptr, *m_cr = nullptr;
    const Annotation *m_ms = nullptr, *m_mr = nullptr, *m_ws = nullptr, *m_wr = nullptr;
    Annotation m_derivedCs, m_derivedSr;
};

// Collects v2 spans, merges the fragments of one span reported in parts, and adds the spans to
// the builder. Spans are held until the end because a fragment may come anywhere in the file.
//
// Reading in parts: each part's assembler collects the fragments of its part without making its
// endpoints resources (Resources::Deferred); they are appended (take, append) in input order to
// the input's assembler, which makes the resources as one assembler reading it all would have.
// Fragments' attributes and events are kept in chunks of 64k fragments each, which a
// part hands over without copying them and finish() frees as soon as it has added their spans.
class SpanAssembler {
public:
    enum class Resources { Made, Deferred };
    enum Flag : std::uint8_t { HasTimestamp = 1, HasDuration = 2, Shared = 4, HasRemote = 8, Merged = 16 };
    struct Fragment {
        TraceId traceId;
        SpanId id = 0;
        SpanId parentId = 0;
        TimeNs timestamp = 0;
        TimeNs duration = 0;
        std::uint64_t offset = 0;
        Range attributes; // in its chunk
        Range events;     // in its chunk
        std::uint32_t chunk = 0;
        StringId name = 0;
        StringId statusMessage = 0;
        std::uint32_t endpoint = kNoIndex; // in m_endpoints; kNoIndex: no local endpoint
        SpanKind kind = SpanKind::Unspecified;
        StatusCode status = StatusCode::Unset;
        std::uint8_t flags = 0;
        bool has(Flag flag) const { return (flags & flag) != 0; }
    };
    struct Chunk {
        std::vector<Attribute> attributes;
        std::vector<Event> events;
    };
    // What a part's assembler collected, its strings those of the part's builder.
    struct Collected {
        std::vector<Fragment> fragments;
        std::vector<Chunk> chunks;
        std::vector<Endpoint> endpoints;
    };

    SpanAssembler(DatasetBuilder& builder, ImportReport& report, const Names& names,
                  Resources resources = Resources::Made);
    // Room for about this many fragments.
    void reserve(std::size_t fragments);
    void add(const RawSpan& span, SpanPart& part);
    // What was collected, moved out (a part's assembler, once its part is read).
    Collected take();
    // Adds what a part collected after what this holds; appended tells where the part's builder's
    // strings went in this one's. part is left empty.
    void append(Collected&& part, const AppendedPart& appended);
    void finish();

private:
    struct EndpointHash {
        std::size_t operator()(const Endpoint& e) const;
    };
    struct Repeat {
        std::uint32_t first;  // the first fragment with the key
        std::uint32_t repeat; // a later one
    };
    struct MergeCount {
        std::uint32_t fragments = 0;
        std::uint32_t spans = 0;
    };

    std::uint32_t endpointIndex(const Endpoint& endpoint);
    void appendEndpointAttributes(std::vector<Attribute>& attributes, const Endpoint& remote);
    void readStatus(Fragment& fragment, const std::vector<Attribute>& attributes) const;
    void backfillSharedParents();
    void noteKey(std::uint32_t fragment);
    std::size_t keySlot(const Fragment& fragment) const;
    void growKeySlots(std::size_t size);
    void addGroup(std::span<const std::uint32_t> members);
    static bool tryMergeEndpoint(Endpoint& into, const Endpoint& next);
    Fragment merge(std::span<const std::uint32_t> parts, const Endpoint& endpoint);
    std::optional<std::uint32_t> addToBuilder(const Fragment& fragment);

    DatasetBuilder& m_builder;
    ImportReport& m_report;
    const Names& m_names;
    Resources m_makesResources;
    std::vector<Fragment> m_fragments;
    std::vector<Chunk> m_chunks;
    std::size_t m_chunkFragments = 0; // fragments in the last chunk
    std::vector<Endpoint> m_endpoints;
    std::vector<std::uint32_t> m_resources; // per endpoint
    std::unordered_map<Endpoint, std::uint32_t, EndpointHash> m_endpointIndex;
    std::uint32_t m_lastEndpoint = 0; // neighbouring spans mostly share their endpoint
    // Fragments sharing a key (id, trace id, shared), found as they come (noteKey).
    std::vector<std::uint32_t> m_keySlots; // fragment index + 1 of a key's first fragment, or 0
    std::vector<std::uint8_t> m_roles;     // by fragment: Single, FirstOfRepeats, LaterRepeat
    std::vector<Repeat> m_repeats;
    std::unordered_map<TraceId, MergeCount> m_mergeCounts;
    std::vector<Attribute> m_scratchAttributes;
    std::vector<Event> m_scratchEvents;
    std::unordered_map<StringId, std::size_t> m_scratchKeys;
};

} // namespace spanwise::zipkin
