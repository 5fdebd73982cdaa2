#include "dataset_builder.h"

#include "parallel_for.h"
#include "trace_trees.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <numeric>

namespace spanwise {

namespace {

template <typename T>
Range appendTo(std::vector<T>& arena, std::span<const T> items)
{
    const auto first = static_cast<std::uint32_t>(arena.size());
    arena.insert(arena.end(), items.begin(), items.end());
    return {first, static_cast<std::uint32_t>(items.size())};
}

// Where each added span goes so that the spans of each trace are together, in file order (a
// counting sort); fills each trace's first and count. Blocks of the spans are counted on threads of
// their own when the table of counts (traces × blocks) stays small.
std::vector<std::uint32_t> groupedPositions(std::vector<Trace>& traces, std::span<const std::uint32_t> traceOfSpan,
                                            std::size_t threads)
{
    const std::size_t spanCount = traceOfSpan.size();
    std::size_t blocks = parallelBlocks(threads, spanCount, 1 << 16);
    if (traces.size() * blocks > spanCount / 4)
        blocks = 1;
    // counts[b * traces + t]: spans of trace t in block b; then where block b's first one of trace t goes.
    std::vector<std::uint32_t> counts(blocks * traces.size(), 0);
    auto blockBegin = [&](std::size_t b) { return spanCount * b / blocks; };
    runTasks(blocks, blocks, [&](std::size_t b, bool) {
        std::uint32_t* own = counts.data() + b * traces.size();
        for (std::size_t i = blockBegin(b); i < blockBegin(b + 1); ++i)
            ++own[traceOfSpan[i]];
    });
    std::uint32_t next = 0;
    for (std::size_t t = 0; t < traces.size(); ++t) {
        traces[t].first = next;
        for (std::size_t b = 0; b < blocks; ++b) {
            const std::uint32_t count = counts[b * traces.size() + t];
            counts[b * traces.size() + t] = next;
            next += count;
        }
        traces[t].count = next - traces[t].first;
    }
    std::vector<std::uint32_t> destination(spanCount); // added index → grouped position
    runTasks(blocks, blocks, [&](std::size_t b, bool) {
        std::uint32_t* cursor = counts.data() + b * traces.size();
        for (std::size_t i = blockBegin(b); i < blockBegin(b + 1); ++i)
            destination[i] = cursor[traceOfSpan[i]]++;
    });
    return destination;
}

// Moves every span to its destination. Every swap puts one span at its final position; a file of one
// trace, or of traces one after the other, has nothing to move, and finds that out on all threads.
void scatterInPlace(std::vector<Span>& spans, std::vector<std::uint32_t>& destination, std::size_t threads)
{
    std::atomic<bool> moves{false};
    parallelFor(threads, destination.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t i = begin; i < end && !moves.load(std::memory_order_relaxed); ++i) {
            if (destination[i] != i)
                moves = true;
        }
    });
    if (!moves)
        return;
    for (std::uint32_t i = 0; i < destination.size(); ++i) {
        while (destination[i] != i) {
            const std::uint32_t j = destination[i];
            std::swap(spans[i], spans[j]);
            std::swap(destination[i], destination[j]);
        }
    }
}

// Which resource attribute names the host, best first; without one, the service stands in.
constexpr std::array kHostKeys = {"host.name", "host.id", "hostname", "host.ip", "ip", "ipv4", "ipv6", "net.host.ip"};

} // namespace

DatasetBuilder::DatasetBuilder() = default;

void DatasetBuilder::reserve(std::size_t spans)
{
    m_data.spans.reserve(spans);
    m_traceOfSpan.reserve(spans);
    m_data.attributes.reserve(spans * 4);
    m_data.events.reserve(spans / 4);
}

Range DatasetBuilder::appendAttributes(std::span<const Attribute> attributes)
{
    return appendTo(m_data.attributes, attributes);
}

Range DatasetBuilder::appendEvents(std::span<const Event> events)
{
    return appendTo(m_data.events, events);
}

Range DatasetBuilder::appendLinks(std::span<const Link> links)
{
    return appendTo(m_data.links, links);
}

StringId DatasetBuilder::namedService(StringId service)
{
    if (service != 0)
        return service;
    if (m_unknownService == 0)
        m_unknownService = intern("unknown_service");
    return m_unknownService;
}

std::uint32_t DatasetBuilder::addResource(StringId service, Range attributes)
{
    service = namedService(service);
    Resource resource{service, service, attributes};
    for (const char* key : kHostKeys) {
        const StringId keyId = m_data.strings.find(key);
        if (keyId == kNoIndex)
            continue;
        const auto begin = m_data.attributes.begin() + attributes.first;
        const auto found = std::find_if(begin, begin + attributes.count, [&](const Attribute& a) {
            return a.key == keyId && a.value.type() == ValueType::String && a.value.stringId() != 0;
        });
        if (found != begin + attributes.count) {
            resource.host = found->value.stringId();
            break;
        }
    }
    m_data.resources.push_back(resource);
    return static_cast<std::uint32_t>(m_data.resources.size() - 1);
}

std::uint32_t DatasetBuilder::addScope(StringId name, StringId version, Range attributes)
{
    m_data.scopes.push_back({name, version, attributes});
    return static_cast<std::uint32_t>(m_data.scopes.size() - 1);
}

std::uint32_t DatasetBuilder::traceIndex(const TraceId& id)
{
    const auto [it, inserted] = m_traceIndex.try_emplace(id, static_cast<std::uint32_t>(m_data.traces.size()));
    if (inserted) {
        m_data.traces.emplace_back();
        m_data.traces.back().id = id;
    }
    return it->second;
}

bool DatasetBuilder::linksToParentAsynchronously(const SpanRecord& r) const
{
    // OpenTracing's FOLLOWS_FROM, as OpenTelemetry carries it: the parent is also a link, marked
    // opentracing.ref_type = follows_from by the OpenTracing shim, or unmarked.
    if (r.parentId == 0)
        return false;
    for (std::uint32_t i = r.links.first; i < r.links.end(); ++i) {
        const Link& link = m_data.links[i];
        if (link.type != LinkType::Link || link.spanId != r.parentId || !(link.traceId == r.traceId))
            continue;
        for (std::uint32_t a = link.attributes.first; a < link.attributes.end(); ++a) {
            const Attribute& attribute = m_data.attributes[a];
            if (str(attribute.key) == "opentracing.ref_type" && attribute.value.type() == ValueType::String)
                return str(attribute.value.stringId()) == "follows_from";
        }
        return true;
    }
    return false;
}

std::uint32_t DatasetBuilder::addSpan(const SpanRecord& r)
{
    Span s;
    s.start = r.start;
    s.end = r.end;
    s.id = r.id;
    s.parentId = r.parentId;
    s.service = namedService(r.service != 0 || r.resource == kNoIndex ? r.service
                                                                      : m_data.resources[r.resource].service);
    s.name = r.name;
    s.resource = r.resource;
    s.scope = r.scope;
    s.attributes = r.attributes;
    s.events = r.events;
    s.links = r.links;
    s.statusMessage = r.statusMessage;
    s.traceState = r.traceState;
    s.flags = r.flags;
    s.kind = r.kind;
    s.status = r.status;
    s.marks = r.marks;
    if (linksToParentAsynchronously(r))
        s.marks |= MarkFollowsFrom;
    if (s.has(MarkNoTiming)) { // placed by the tree builder once the parent is known
        s.end = s.end > s.start ? s.end - s.start : 0;
        s.start = 0;
    }
    const bool endsBeforeStart = s.end < s.start;
    if (endsBeforeStart) {
        s.end = s.start;
        s.marks |= MarkInvalidTime;
    }
    m_traceOfSpan.push_back(traceIndex(r.traceId));
    m_data.spans.push_back(s);
    const auto index = static_cast<std::uint32_t>(m_data.spans.size() - 1);
    if (endsBeforeStart)
        addSpanWarning(index, "ends before it starts: drawn with zero length");
    if (s.has(MarkNoTiming))
        addSpanWarning(index,
                       s.end > 0 ? "no start time in the file: placed at its parent's start" : "no timing in the file");
    return index;
}

void DatasetBuilder::addSpanWarning(std::uint32_t spanIndex, std::string text)
{
    m_spanWarnings.push_back({spanIndex, std::move(text)});
}

void DatasetBuilder::addTraceWarning(const TraceId& trace, std::string text)
{
    m_data.traces[traceIndex(trace)].warnings.push_back(std::move(text));
}

void DatasetBuilder::renameTraces(std::span<const std::pair<TraceId, TraceId>> renames)
{
    std::vector<std::uint32_t> into; // merged traces: the index of the trace taking them in
    for (const auto& [from, to] : renames) {
        const auto found = m_traceIndex.find(from);
        if (found == m_traceIndex.end() || from == to)
            continue;
        const std::uint32_t renamed = found->second;
        m_traceIndex.erase(found);
        const auto [target, inserted] = m_traceIndex.try_emplace(to, renamed);
        m_data.traces[renamed].id = to;
        if (inserted)
            continue;
        if (into.empty()) {
            into.resize(m_data.traces.size());
            std::iota(into.begin(), into.end(), 0u);
        }
        const std::uint32_t kept = std::min(renamed, target->second);
        const std::uint32_t gone = std::max(renamed, target->second);
        std::vector<std::string>& warnings = m_data.traces[gone].warnings;
        std::vector<std::string>& keptWarnings = m_data.traces[kept].warnings;
        keptWarnings.insert(keptWarnings.end(), std::make_move_iterator(warnings.begin()),
                            std::make_move_iterator(warnings.end()));
        into[gone] = kept;
        target->second = kept;
    }
    if (into.empty())
        return;
    std::vector<std::uint32_t> index(m_data.traces.size());
    std::uint32_t kept = 0;
    for (std::uint32_t t = 0; t < m_data.traces.size(); ++t) {
        if (into[t] != t)
            continue;
        index[t] = kept;
        if (kept != t)
            m_data.traces[kept] = std::move(m_data.traces[t]);
        ++kept;
    }
    for (std::uint32_t t = 0; t < m_data.traces.size(); ++t) {
        std::uint32_t root = t;
        while (into[root] != root)
            root = into[root];
        index[t] = index[root];
    }
    m_data.traces.resize(kept);
    for (std::uint32_t& trace : m_traceOfSpan)
        trace = index[trace];
    for (auto& [id, trace] : m_traceIndex)
        trace = index[trace];
}

void throwIfCancelled(const BuildOptions& options)
{
    if (options.cancelled && options.cancelled())
        throw BuildCancelled{};
}

Dataset DatasetBuilder::finish(const BuildOptions& options)
{
    Dataset data = std::move(m_data);
    m_data = Dataset();
    m_unknownService = 0;
    std::vector<std::uint32_t> traceOfSpan = std::move(m_traceOfSpan);
    m_traceOfSpan = {};
    std::vector<SpanWarning> spanWarnings = std::move(m_spanWarnings);
    m_spanWarnings = {};
    m_traceIndex.clear();
    m_serviceResources.clear();
    try {
        throwIfCancelled(options);
        std::vector<std::uint32_t> destination = groupedPositions(data.traces, traceOfSpan, options.threads);
        for (SpanWarning& w : spanWarnings) {
            Trace& trace = data.traces[traceOfSpan[w.span]];
            w.span = destination[w.span];
            trace.spanWarnings.push_back(std::move(w));
        }
        spanWarnings = {};
        traceOfSpan = {};
        scatterInPlace(data.spans, destination, options.threads);
        destination = {};
        throwIfCancelled(options);
        buildTraceTrees(data, options);
    } catch (const BuildCancelled&) {
        return {};
    }
    return data;
}

} // namespace spanwise
