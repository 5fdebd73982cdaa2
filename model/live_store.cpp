#include "live_store.h"

#include <algorithm>
#include <map>

namespace spanwise {

namespace {

// What the importers know about a span; the tree builder and clock-skew adjustment set the rest again.
constexpr std::uint16_t kImporterMarks = MarkShared | MarkFollowsFrom | MarkInvalidTime | MarkInProgress | MarkMerged |
                                         MarkInferred | MarkNoTiming;

// Copies spans of finished payload datasets into one builder: strings, attributes (nested values
// first, so each list stays contiguous), events, links, resources and scopes.
class SpanCopier {
public:
    explicit SpanCopier(DatasetBuilder& builder) : m_builder(builder) {}

    void copyTrace(const Dataset& from, const Trace& trace)
    {
        m_from = &from;
        std::vector<std::uint32_t> copied(trace.count);
        for (std::uint32_t i = 0; i < trace.count; ++i)
            copied[i] = copySpan(trace.id, from.spans[trace.first + i]);
        for (const std::string& warning : trace.warnings)
            m_builder.addTraceWarning(trace.id, warning);
        for (const SpanWarning& warning : trace.spanWarnings) {
            const Span& span = from.spans[warning.span];
            if (!(span.has(MarkNoTiming) && isUntimedWarning(warning.text))) // added again with the span
                m_builder.addSpanWarning(copied[warning.span - trace.first], warning.text);
        }
    }

private:
    static bool isUntimedWarning(std::string_view text)
    {
        return text == "no start time in the file: placed at its parent's start" || text == "no timing in the file";
    }

    StringId str(StringId id) { return m_builder.intern(m_from->str(id)); }

    std::uint32_t copySpan(const TraceId& traceId, const Span& s)
    {
        SpanRecord r;
        r.traceId = traceId;
        r.id = s.id;
        r.parentId = s.parentId;
        r.service = str(s.service);
        r.name = str(s.name);
        r.resource = resource(s.resource);
        r.scope = scope(s.scope);
        r.start = s.start; // a span without timing keeps its duration as end - start
        r.end = s.end;
        r.kind = s.kind;
        r.status = s.status;
        r.statusMessage = str(s.statusMessage);
        r.traceState = str(s.traceState);
        r.flags = s.flags;
        r.marks = s.marks & kImporterMarks;
        r.attributes = attributes(s.attributes);
        r.events = events(s.events);
        r.links = links(s.links);
        return m_builder.addSpan(r);
    }

    Range attributes(Range range)
    {
        std::vector<Attribute> copy;
        copy.reserve(range.count);
        for (std::uint32_t i = range.first; i < range.end(); ++i) {
            const Attribute& a = m_from->attributes[i];
            Value v = a.value;
            switch (v.type()) {
            case ValueType::String:
                v = Value::string(str(v.stringId()));
                break;
            case ValueType::Bytes:
                v = Value::bytes(str(v.stringId()));
                break;
            case ValueType::Array:
                v = Value::array(attributes(v.range()));
                break;
            case ValueType::KeyValueList:
                v = Value::keyValueList(attributes(v.range()));
                break;
            default:
                break;
            }
            copy.push_back({str(a.key), v});
        }
        return m_builder.appendAttributes(copy);
    }

    Range events(Range range)
    {
        std::vector<Event> copy;
        for (std::uint32_t i = range.first; i < range.end(); ++i) {
            const Event& e = m_from->events[i];
            copy.push_back({e.time, str(e.name), attributes(e.attributes)});
        }
        return m_builder.appendEvents(copy);
    }

    Range links(Range range)
    {
        std::vector<Link> copy;
        for (std::uint32_t i = range.first; i < range.end(); ++i) {
            const Link& l = m_from->links[i];
            copy.push_back({l.traceId, l.spanId, l.type, str(l.traceState), attributes(l.attributes)});
        }
        return m_builder.appendLinks(copy);
    }

    std::uint32_t resource(std::uint32_t index)
    {
        if (index == kNoIndex)
            return kNoIndex;
        const auto [it, added] = m_resources.try_emplace({m_from, index}, kNoIndex);
        if (added) {
            const Resource& r = m_from->resources[index];
            it->second = m_builder.addResource(str(r.service), attributes(r.attributes));
        }
        return it->second;
    }

    std::uint32_t scope(std::uint32_t index)
    {
        if (index == kNoIndex)
            return kNoIndex;
        const auto [it, added] = m_scopes.try_emplace({m_from, index}, kNoIndex);
        if (added) {
            const Scope& s = m_from->scopes[index];
            it->second = m_builder.addScope(str(s.name), str(s.version), attributes(s.attributes));
        }
        return it->second;
    }

    DatasetBuilder& m_builder;
    const Dataset* m_from = nullptr;
    // (payload, its index) → index in the builder
    std::map<std::pair<const Dataset*, std::uint32_t>, std::uint32_t> m_resources;
    std::map<std::pair<const Dataset*, std::uint32_t>, std::uint32_t> m_scopes;
};

} // namespace

LiveStore::LiveStore(LiveStoreOptions options) : m_options(std::move(options)) {}

void LiveStore::add(Dataset payload)
{
    if (payload.spans.empty())
        return;
    const auto shared = std::make_shared<Payload>(Payload{std::move(payload)});
    const Dataset& data = shared->data;
    const std::lock_guard lock(m_mutex);
    const LiveClock::time_point now = m_options.now(); // under the lock: arrivals stay in order
    ++m_counts.payloads;
    m_counts.receivedSpans += data.spans.size();
    m_counts.heldSpans += data.spans.size();
    m_counts.lastArrival = now;
    shared->keptTraces = static_cast<std::uint32_t>(data.traces.size());
    for (std::uint32_t t = 0; t < data.traces.size(); ++t) {
        const Trace& trace = data.traces[t];
        auto [it, added] = m_traces.try_emplace(trace.id);
        Entry& entry = it->second;
        if (added) {
            entry.order = m_nextOrder++;
            entry.firstArrival = now;
            entry.recency = m_byRecency.insert(m_byRecency.end(), trace.id);
        } else {
            m_byRecency.splice(m_byRecency.end(), m_byRecency, entry.recency);
        }
        entry.parts.push_back({shared, t});
        entry.spans += trace.count;
        entry.lastArrival = now;
        m_counts.keptSpans += trace.count;
    }
    dropOverCap();
}

void LiveStore::dropOverCap()
{
    while (m_counts.heldSpans > m_options.maxSpans && !m_byRecency.empty()) {
        const auto it = m_traces.find(m_byRecency.front());
        for (const Part& part : it->second.parts) {
            if (--part.payload->keptTraces == 0)
                m_counts.heldSpans -= part.payload->data.spans.size();
        }
        m_counts.keptSpans -= it->second.spans;
        m_counts.droppedSpans += it->second.spans;
        ++m_counts.droppedTraces;
        m_traces.erase(it);
        m_byRecency.pop_front();
    }
}

bool LiveStore::isComplete(const Entry& entry, LiveClock::time_point now) const
{
    return now - entry.lastArrival >= m_options.quietPeriod;
}

void LiveStore::clear()
{
    const std::lock_guard lock(m_mutex);
    m_traces.clear();
    m_byRecency.clear();
    m_counts.keptSpans = 0;
    m_counts.heldSpans = 0;
}

LiveCounts LiveStore::counts() const
{
    const LiveClock::time_point now = m_options.now();
    const std::lock_guard lock(m_mutex);
    LiveCounts counts = m_counts;
    counts.keptTraces = m_traces.size();
    counts.completeTraces = 0;
    // Complete traces are the ones updated longest ago: a prefix of the recency list.
    for (const TraceId& id : m_byRecency) {
        if (!isComplete(m_traces.at(id), now))
            break;
        ++counts.completeTraces;
    }
    return counts;
}

std::vector<LiveTrace> LiveStore::traces() const
{
    const LiveClock::time_point now = m_options.now();
    const std::lock_guard lock(m_mutex);
    std::vector<LiveTrace> out;
    out.reserve(m_traces.size());
    for (const TraceId& id : m_byRecency) {
        const Entry& entry = m_traces.at(id);
        out.push_back({id, entry.spans, entry.firstArrival, entry.lastArrival, isComplete(entry, now)});
    }
    return out;
}

Dataset LiveStore::snapshot(const BuildOptions& options) const
{
    // The payloads never change once added: their parts are collected under the lock, copied outside it.
    std::vector<std::pair<std::uint64_t, std::vector<Part>>> traces;
    std::uint64_t spans = 0;
    {
        const std::lock_guard lock(m_mutex);
        traces.reserve(m_traces.size());
        for (const auto& [id, entry] : m_traces)
            traces.emplace_back(entry.order, entry.parts);
        spans = m_counts.keptSpans;
    }
    std::sort(traces.begin(), traces.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    DatasetBuilder builder;
    builder.reserve(spans);
    SpanCopier copier(builder);
    for (const auto& [order, parts] : traces) {
        for (const Part& part : parts)
            copier.copyTrace(part.payload->data, part.payload->data.traces[part.trace]);
    }
    return builder.finish(options);
}

Dataset LiveStore::snapshotOf(const TraceId& id, const BuildOptions& options) const
{
    std::vector<Part> parts;
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_traces.find(id); it != m_traces.end())
            parts = it->second.parts;
    }
    DatasetBuilder builder;
    SpanCopier copier(builder);
    for (const Part& part : parts)
        copier.copyTrace(part.payload->data, part.payload->data.traces[part.trace]);
    return builder.finish(options);
}

} // namespace spanwise
