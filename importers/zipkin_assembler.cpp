// Zipkin spans reported in parts (one fragment at start, one at finish, or one per host of a
// v1 span) carry the same id: they are merged into one span, as Zipkin's Trace.merge does.

#include "zipkin_spans.h"

#include <algorithm>
#include <utility>

namespace spanwise::zipkin {

namespace {

enum Role : std::uint8_t { Single, FirstOfRepeats, LaterRepeat };

// A fragment is compared with at most this many distinct spans of its id, so a hostile file
// repeating one id a million times stays linear.
constexpr std::size_t kMaxSpansPerId = 64;

// Fragments per chunk of attributes and events: small enough that finish() frees them soon after
// reading them, big enough that the chunks' own cost does not count.
constexpr std::size_t kChunkFragments = std::size_t(1) << 16;

template <typename T>
Range appendTo(std::vector<T>& arena, const std::vector<T>& items)
{
    const auto first = static_cast<std::uint32_t>(arena.size());
    arena.insert(arena.end(), items.begin(), items.end());
    return {first, static_cast<std::uint32_t>(items.size())};
}

} // namespace

Names::Names(DatasetBuilder& b)
    : cs(b.intern("cs")), sr(b.intern("sr")), ss(b.intern("ss")), cr(b.intern("cr")), ms(b.intern("ms")),
      mr(b.intern("mr")), ws(b.intern("ws")), wr(b.intern("wr")), ca(b.intern("ca")), sa(b.intern("sa")),
      ma(b.intern("ma")), lc(b.intern("lc")), error(b.intern("error")), otelStatusCode(b.intern("otel.status_code")),
      otelStatusDescription(b.intern("otel.status_description")), peerService(b.intern("peer.service")),
      peerIp(b.intern("net.peer.ip")), peerIpv6(b.intern("net.peer.ipv6")), peerPort(b.intern("net.peer.port")),
      ipv4(b.intern("ipv4")), ipv6(b.intern("ipv6")), port(b.intern("port")), debug(b.intern("debug"))
{
}

void SpanPart::clear()
{
    local = remote = {};
    kind = SpanKind::Unspecified;
    shared = false;
    timestamp.reset();
    duration.reset();
    events.clear();
    tags.clear();
}

void RawSpan::clear()
{
    traceId = {};
    id = parentId = 0;
    name = 0;
    debug = hasV2Fields = hasV1Fields = false;
    v2.clear();
    annotations.clear();
    binaryAnnotations.clear();
}

std::size_t SpanAssembler::EndpointHash::operator()(const Endpoint& e) const
{
    std::uint64_t h = e.service;
    h = h * 0x9E3779B97F4A7C15ull ^ e.ipv4;
    h = h * 0x9E3779B97F4A7C15ull ^ e.ipv6;
    h = h * 0x9E3779B97F4A7C15ull ^ e.port;
    return static_cast<std::size_t>(h ^ h >> 29);
}

SpanAssembler::SpanAssembler(DatasetBuilder& builder, ImportReport& report, const Names& names, Resources resources)
    : m_builder(builder), m_report(report), m_names(names), m_makesResources(resources)
{
}

void SpanAssembler::reserve(std::size_t fragments)
{
    m_fragments.reserve(fragments);
    m_roles.reserve(fragments);
    std::size_t size = 16;
    while (size < fragments * 2)
        size *= 2;
    if (size > m_keySlots.size())
        growKeySlots(size);
}

void SpanAssembler::add(const RawSpan& span, SpanPart& part)
{
    if (m_chunks.empty() || m_chunkFragments == kChunkFragments) {
        m_chunks.emplace_back();
        m_chunkFragments = 0;
    }
    ++m_chunkFragments;
    Chunk& chunk = m_chunks.back();
    Fragment f;
    f.chunk = static_cast<std::uint32_t>(m_chunks.size() - 1);
    f.traceId = span.traceId;
    f.id = span.id;
    f.parentId = span.parentId;
    f.offset = span.offset;
    f.name = span.name;
    f.kind = part.kind;
    f.timestamp = part.timestamp.value_or(0);
    f.duration = part.duration.value_or(0);
    f.flags = (part.timestamp ? HasTimestamp : 0) | (part.duration ? HasDuration : 0) | (part.shared ? Shared : 0) |
              (part.remote.empty() ? 0 : HasRemote);
    f.endpoint = part.local.empty() ? kNoIndex : endpointIndex(part.local);

    std::vector<Attribute>& attributes = chunk.attributes;
    f.attributes.first = static_cast<std::uint32_t>(attributes.size());
    attributes.insert(attributes.end(), part.tags.begin(), part.tags.end());
    appendEndpointAttributes(attributes, part.remote);
    if (span.debug)
        attributes.push_back({m_names.debug, Value::boolean(true)});
    f.attributes.count = static_cast<std::uint32_t>(attributes.size()) - f.attributes.first;
    readStatus(f, attributes);

    std::stable_sort(part.events.begin(), part.events.end(),
                     [](const Event& a, const Event& b) { return a.time < b.time; });
    f.events = appendTo(chunk.events, part.events);
    m_fragments.push_back(f);
    if (m_makesResources == Resources::Made) // a part's repeats are found once it is appended
        noteKey(static_cast<std::uint32_t>(m_fragments.size() - 1));
}

// Endpoints become resources, one per distinct (service, ipv4, ipv6, port).
std::uint32_t SpanAssembler::endpointIndex(const Endpoint& endpoint)
{
    if (!m_endpoints.empty() && m_endpoints[m_lastEndpoint] == endpoint)
        return m_lastEndpoint;
    const auto [it, inserted] = m_endpointIndex.try_emplace(endpoint, static_cast<std::uint32_t>(m_endpoints.size()));
    if (inserted) {
        m_endpoints.push_back(endpoint);
        if (m_makesResources == Resources::Made) {
            Attribute attributes[3];
            std::size_t count = 0;
            if (endpoint.ipv4)
                attributes[count++] = {m_names.ipv4, Value::string(endpoint.ipv4)};
            if (endpoint.ipv6)
                attributes[count++] = {m_names.ipv6, Value::string(endpoint.ipv6)};
            if (endpoint.port)
                attributes[count++] = {m_names.port, Value::integer(endpoint.port)};
            const Range range = m_builder.appendAttributes({attributes, count});
            m_resources.push_back(m_builder.addResource(endpoint.service, range));
        } else if (endpoint.service == 0) {
            // Where making its resource would have named the service: that name's string then
            // has the id it gets when one assembler reads everything.
            m_builder.namedService(0);
        }
    }
    m_lastEndpoint = it->second;
    return it->second;
}

SpanAssembler::Collected SpanAssembler::take()
{
    Collected collected{std::exchange(m_fragments, {}), std::exchange(m_chunks, {}), std::exchange(m_endpoints, {})};
    m_chunkFragments = 0;
    m_endpointIndex.clear();
    m_resources.clear();
    m_lastEndpoint = 0;
    return collected;
}

// The part's chunks are moved here, their strings renamed where they lie; only the fragments are
// copied.
void SpanAssembler::append(Collected&& part, const AppendedPart& appended)
{
    std::vector<std::uint32_t> endpoints(part.endpoints.size());
    for (std::size_t i = 0; i < part.endpoints.size(); ++i) {
        const Endpoint& e = part.endpoints[i];
        endpoints[i] = endpointIndex(
            {appended.string(e.service), appended.string(e.ipv4), appended.string(e.ipv6), e.port});
    }
    const auto chunks = static_cast<std::uint32_t>(m_chunks.size());
    for (Chunk& chunk : part.chunks) {
        for (Attribute& a : chunk.attributes)
            a = {appended.string(a.key), appended.value(a.value)};
        for (Event& e : chunk.events)
            e.name = appended.string(e.name);
        m_chunks.push_back(std::move(chunk));
    }
    m_chunkFragments = kChunkFragments; // what is added next starts a chunk of its own
    for (Fragment f : part.fragments) {
        f.name = appended.string(f.name);
        f.statusMessage = appended.string(f.statusMessage);
        f.chunk += chunks;
        if (f.endpoint != kNoIndex)
            f.endpoint = endpoints[f.endpoint];
        m_fragments.push_back(f);
        noteKey(static_cast<std::uint32_t>(m_fragments.size() - 1));
    }
    part = {};
}

void SpanAssembler::appendEndpointAttributes(std::vector<Attribute>& attributes, const Endpoint& remote)
{
    if (remote.service)
        attributes.push_back({m_names.peerService, Value::string(remote.service)});
    if (remote.ipv4)
        attributes.push_back({m_names.peerIp, Value::string(remote.ipv4)});
    if (remote.ipv6)
        attributes.push_back({m_names.peerIpv6, Value::string(remote.ipv6)});
    if (remote.port)
        attributes.push_back({m_names.peerPort, Value::integer(remote.port)});
}

// Zipkin marks errors with the tag "error" (its value the message, possibly empty); OpenTelemetry
// exporters also write otel.status_code and otel.status_description.
void SpanAssembler::readStatus(Fragment& f, const std::vector<Attribute>& attributes) const
{
    const Attribute *error = nullptr, *code = nullptr, *description = nullptr;
    for (std::uint32_t i = f.attributes.first; i < f.attributes.end(); ++i) {
        const Attribute& a = attributes[i];
        if (a.key == m_names.error)
            error = &a;
        else if (a.key == m_names.otelStatusCode)
            code = &a;
        else if (a.key == m_names.otelStatusDescription)
            description = &a;
    }
    auto text = [](const Attribute* a) { return a && a->value.type() == ValueType::String ? a->value.stringId() : 0; };
    const std::string_view codeText = m_builder.str(text(code));
    if (error || codeText == "ERROR") {
        f.status = StatusCode::Error;
        f.statusMessage = text(error) ? text(error) : text(description);
    } else if (codeText == "OK") {
        f.status = StatusCode::Ok;
    }
}

// The first fragment with the key of fragment i takes its slot in m_keySlots; a later one is noted
// as its repeat. The table is kept at most half full.
void SpanAssembler::noteKey(std::uint32_t i)
{
    if ((std::size_t(i) + 1) * 2 > m_keySlots.size())
        growKeySlots(std::max<std::size_t>(16, m_keySlots.size() * 2));
    m_roles.push_back(Single);
    const std::size_t slot = keySlot(m_fragments[i]);
    if (m_keySlots[slot] == 0) {
        m_keySlots[slot] = i + 1;
        return;
    }
    const std::uint32_t first = m_keySlots[slot] - 1;
    m_repeats.push_back({first, i});
    m_roles[first] = FirstOfRepeats;
    m_roles[i] = LaterRepeat;
}

// The slot of the fragment's key: the one holding a fragment with that key, else an empty one.
std::size_t SpanAssembler::keySlot(const Fragment& f) const
{
    auto sameKey = [](const Fragment& a, const Fragment& b) {
        return a.id == b.id && a.traceId == b.traceId && a.has(Shared) == b.has(Shared);
    };
    std::uint64_t h = (f.id ^ f.traceId.low ^ (f.has(Shared) ? 0x5bd1e995u : 0)) * 0x9E3779B97F4A7C15ull;
    h ^= f.traceId.high * 0xC2B2AE3D27D4EB4Full;
    const std::size_t mask = m_keySlots.size() - 1;
    for (std::size_t s = (h >> 20) & mask;; s = (s + 1) & mask) {
        if (m_keySlots[s] == 0 || sameKey(m_fragments[m_keySlots[s] - 1], f))
            return s;
    }
}

void SpanAssembler::growKeySlots(std::size_t size)
{
    std::vector<std::uint32_t> old = std::exchange(m_keySlots, std::vector<std::uint32_t>(size, 0));
    for (const std::uint32_t held : old) {
        if (held != 0)
            m_keySlots[keySlot(m_fragments[held - 1])] = held;
    }
}

// A shared server half reported without a parent id takes the parent of the span it shares the id
// with (its client), as Zipkin's Trace.merge does.
void SpanAssembler::backfillSharedParents()
{
    std::unordered_map<TraceId, std::unordered_map<SpanId, SpanId>> parentOf;
    for (const Fragment& f : m_fragments) {
        if (f.has(Shared) && f.parentId == 0)
            parentOf[f.traceId][f.id] = 0;
    }
    if (parentOf.empty())
        return;
    for (const Fragment& f : m_fragments) {
        if (f.has(Shared) || f.parentId == 0)
            continue;
        const auto trace = parentOf.find(f.traceId);
        if (trace == parentOf.end())
            continue;
        const auto id = trace->second.find(f.id);
        if (id != trace->second.end() && (id->second == 0 || f.kind == SpanKind::Client))
            id->second = f.parentId;
    }
    for (Fragment& f : m_fragments) {
        if (f.has(Shared) && f.parentId == 0)
            f.parentId = parentOf[f.traceId][f.id];
    }
}

void SpanAssembler::finish()
{
    // Room for every span and its attributes at once, sparing the builder a last doubling of its
    // arrays: it reserves four attributes a span, and Zipkin spans often carry more (their tags and
    // their remote endpoint). Room never written costs no memory.
    std::size_t attributes = m_endpoints.size() * 3;
    for (const Chunk& chunk : m_chunks)
        attributes += chunk.attributes.size();
    m_builder.reserve(std::max(m_fragments.size(), attributes / 4 + 1));
    backfillSharedParents();
    m_keySlots = {};
    std::stable_sort(m_repeats.begin(), m_repeats.end(),
                     [](const Repeat& a, const Repeat& b) { return a.first < b.first; });
    const std::vector<std::uint8_t>& role = m_roles;
    const std::vector<Repeat>& repeats = m_repeats;
    auto next = repeats.begin();
    std::vector<std::uint32_t> group;
    std::uint32_t done = 0; // chunks before this one are no longer needed: their spans are added
    for (std::uint32_t i = 0; i < m_fragments.size(); ++i) {
        for (; done < m_fragments[i].chunk; ++done)
            m_chunks[done] = {};
        if (role[i] == Single) {
            addToBuilder(m_fragments[i]);
        } else if (role[i] == FirstOfRepeats) {
            group.assign(1, i);
            for (; next != repeats.end() && next->first == i; ++next)
                group.push_back(next->repeat);
            addGroup(group);
        }
    }
    for (const auto& [trace, count] : m_mergeCounts) {
        m_builder.addTraceWarning(trace, std::to_string(count.fragments) + " span fragments merged into " +
                                             std::to_string(count.spans) + (count.spans == 1 ? " span" : " spans"));
    }
    m_fragments = {};
    m_chunks = {};
    m_roles = {};
    m_repeats = {};
}

// Fragments with one id: those whose local endpoints agree (no field set differently) are one
// span; the others are distinct spans reusing the id, which the builder flags as duplicates.
void SpanAssembler::addGroup(std::span<const std::uint32_t> members)
{
    struct Candidate {
        Endpoint endpoint;
        std::vector<std::uint32_t> fragments;
    };
    std::vector<Candidate> spans;
    for (std::uint32_t m : members) {
        const Fragment& f = m_fragments[m];
        const Endpoint endpoint = f.endpoint == kNoIndex ? Endpoint{} : m_endpoints[f.endpoint];
        auto joins = [&](Candidate& c) { return tryMergeEndpoint(c.endpoint, endpoint); };
        const auto found = std::find_if(spans.begin(), spans.end(), joins);
        if (found != spans.end())
            found->fragments.push_back(m);
        else if (spans.size() < kMaxSpansPerId)
            spans.push_back({endpoint, {m}});
        else
            addToBuilder(f);
    }

    std::vector<Fragment> merged;
    for (const Candidate& c : spans)
        merged.push_back(c.fragments.size() == 1 ? m_fragments[c.fragments[0]] : merge(c.fragments, c.endpoint));
    // Some instrumentation reuses the client's id on the server without flagging it shared.
    const auto client = std::find_if(merged.begin(), merged.end(),
                                     [](const Fragment& f) { return f.kind == SpanKind::Client && !f.has(Shared); });
    const bool hasClient = client != merged.end();
    const SpanId clientParent = hasClient ? client->parentId : 0;
    for (Fragment& f : merged) {
        const bool unflaggedServer = hasClient && f.kind == SpanKind::Server && !f.has(Shared);
        if (unflaggedServer) {
            f.flags |= Shared;
            f.parentId = f.parentId ? f.parentId : clientParent;
        }
        const auto index = addToBuilder(f);
        if (unflaggedServer && index)
            m_builder.addSpanWarning(*index, "server span reusing its client's id without the shared flag: "
                                             "taken as the shared server half");
    }
}

bool SpanAssembler::tryMergeEndpoint(Endpoint& into, const Endpoint& next)
{
    auto conflict = [](auto a, auto b) { return a != 0 && b != 0 && a != b; };
    if (conflict(into.service, next.service) || conflict(into.ipv4, next.ipv4) || conflict(into.ipv6, next.ipv6) ||
        conflict(into.port, next.port))
        return false;
    into.service = into.service ? into.service : next.service;
    into.ipv4 = into.ipv4 ? into.ipv4 : next.ipv4;
    into.ipv6 = into.ipv6 ? into.ipv6 : next.ipv6;
    into.port = into.port ? into.port : next.port;
    return true;
}

// Fields come from the first fragment that has them; tags are unioned (a later value for the
// same key wins), annotations unioned without exact repeats.
SpanAssembler::Fragment SpanAssembler::merge(std::span<const std::uint32_t> parts, const Endpoint& endpoint)
{
    Fragment out = m_fragments[parts[0]];
    m_scratchAttributes.clear();
    m_scratchEvents.clear();
    m_scratchKeys.clear();
    for (std::uint32_t p : parts) {
        const Fragment& f = m_fragments[p];
        out.name = out.name ? out.name : f.name;
        out.parentId = out.parentId ? out.parentId : f.parentId;
        out.kind = out.kind != SpanKind::Unspecified ? out.kind : f.kind;
        if (!out.has(HasTimestamp) && f.has(HasTimestamp)) {
            out.timestamp = f.timestamp;
            out.flags |= HasTimestamp;
        }
        if (!out.has(HasDuration) && f.has(HasDuration)) {
            out.duration = f.duration;
            out.flags |= HasDuration;
        }
        out.flags |= f.flags & HasRemote;
        const Chunk& chunk = m_chunks[f.chunk];
        for (std::uint32_t i = f.attributes.first; i < f.attributes.end(); ++i) {
            const Attribute& a = chunk.attributes[i];
            const auto [it, inserted] = m_scratchKeys.try_emplace(a.key, m_scratchAttributes.size());
            if (inserted)
                m_scratchAttributes.push_back(a);
            else
                m_scratchAttributes[it->second] = a;
        }
        m_scratchEvents.insert(m_scratchEvents.end(), chunk.events.begin() + f.events.first,
                               chunk.events.begin() + f.events.end());
    }
    auto byTimeAndName = [](const Event& a, const Event& b) {
        return a.time != b.time ? a.time < b.time : a.name < b.name;
    };
    auto same = [](const Event& a, const Event& b) { return a.time == b.time && a.name == b.name; };
    std::stable_sort(m_scratchEvents.begin(), m_scratchEvents.end(), byTimeAndName);
    m_scratchEvents.erase(std::unique(m_scratchEvents.begin(), m_scratchEvents.end(), same), m_scratchEvents.end());

    Chunk& chunk = m_chunks[out.chunk]; // the first part's: not freed before the merged span is added
    out.attributes = appendTo(chunk.attributes, m_scratchAttributes);
    out.events = appendTo(chunk.events, m_scratchEvents);
    out.status = StatusCode::Unset;
    out.statusMessage = 0;
    readStatus(out, chunk.attributes);
    out.endpoint = endpoint.empty() ? kNoIndex : endpointIndex(endpoint);
    out.flags |= Merged;

    MergeCount& count = m_mergeCounts[out.traceId];
    count.fragments += static_cast<std::uint32_t>(parts.size());
    ++count.spans;
    return out;
}

std::optional<std::uint32_t> SpanAssembler::addToBuilder(const Fragment& f)
{
    const Chunk& chunk = m_chunks[f.chunk];
    const char* note = nullptr;
    TimeNs start = f.timestamp;
    std::uint16_t marks = 0;
    if (!f.has(HasTimestamp)) {
        if (f.events.empty()) {
            marks = MarkNoTiming; // a fragment reported alone, or a span never finished: Zipkin keeps it
            start = 0;
        } else {
            start = chunk.events[f.events.first].time;
            note = "no timestamp: starts at its first annotation";
        }
    }
    TimeNs end = start;
    if (f.has(HasDuration)) {
        if (__builtin_add_overflow(start, f.duration, &end)) {
            m_report.skipSpan(f.offset, "timestamp + duration: expected within the range of 64-bit nanoseconds");
            return std::nullopt;
        }
    } else if (!marks) {
        note = f.has(HasTimestamp) ? "no duration: drawn with zero length"
                                   : "no timestamp and no duration: placed at its first annotation, zero length";
    }

    SpanRecord r;
    r.traceId = f.traceId;
    r.id = f.id;
    r.parentId = f.parentId;
    r.name = f.name;
    r.resource = f.endpoint == kNoIndex ? kNoIndex : m_resources[f.endpoint];
    r.start = start;
    r.end = end;
    // Zipkin leaves kind out on local spans, and on remote ones whose role is not known.
    r.kind = f.kind == SpanKind::Unspecified && !f.has(HasRemote) ? SpanKind::Internal : f.kind;
    r.status = f.status;
    r.statusMessage = f.statusMessage;
    r.marks = marks | (f.has(Shared) ? MarkShared : 0) | (f.has(Merged) ? MarkMerged : 0);
    r.attributes = m_builder.appendAttributes({chunk.attributes.data() + f.attributes.first, f.attributes.count});
    r.events = m_builder.appendEvents({chunk.events.data() + f.events.first, f.events.count});
    const std::uint32_t index = m_builder.addSpan(r);
    if (note)
        m_builder.addSpanWarning(index, note);
    return index;
}

} // namespace spanwise::zipkin
