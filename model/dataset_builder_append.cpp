#include "dataset_builder.h"

#include <algorithm>

namespace spanwise {

namespace {

// Moves ranges of part's arenas past what the builder appended to already holds.
struct Offsets {
    std::uint32_t attributes = 0, events = 0, links = 0;
};

// Room for extra more items, growing geometrically: reserving just enough would move the whole
// array again at every part appended.
template <typename T>
void makeRoom(std::vector<T>& items, std::size_t extra)
{
    if (items.capacity() - items.size() < extra)
        items.reserve(std::max(items.size() + extra, items.capacity() * 2));
}

Range moved(Range range, std::uint32_t by)
{
    return {range.first + by, range.count};
}

Value remapped(const Value& value, const std::vector<StringId>& strings, std::uint32_t attributes)
{
    switch (value.type()) {
    case ValueType::String:
        return Value::string(strings[value.stringId()]);
    case ValueType::Bytes:
        return Value::bytes(strings[value.stringId()]);
    case ValueType::Array:
        return Value::array(moved(value.range(), attributes));
    case ValueType::KeyValueList:
        return Value::keyValueList(moved(value.range(), attributes));
    default:
        return value;
    }
}

} // namespace

std::uint32_t DatasetBuilder::continueResource(StringId service)
{
    m_continuesResource = m_data.resources.empty();
    service = namedService(service);
    m_data.resources.push_back({service, service, {}});
    return static_cast<std::uint32_t>(m_data.resources.size() - 1);
}

std::uint32_t DatasetBuilder::continueScope(StringId name, StringId version)
{
    m_continuesScope = m_data.scopes.empty();
    return addScope(name, version, {});
}

void DatasetBuilder::append(DatasetBuilder& part)
{
    Dataset& from = part.m_data;
    const std::vector<StringId> strings = m_data.strings.internAll(from.strings);
    const Offsets by{static_cast<std::uint32_t>(m_data.attributes.size()),
                     static_cast<std::uint32_t>(m_data.events.size()), static_cast<std::uint32_t>(m_data.links.size())};

    makeRoom(m_data.attributes, from.attributes.size());
    for (const Attribute& a : from.attributes)
        m_data.attributes.push_back({strings[a.key], remapped(a.value, strings, by.attributes)});
    makeRoom(m_data.events, from.events.size());
    for (const Event& e : from.events)
        m_data.events.push_back({e.time, strings[e.name], moved(e.attributes, by.attributes)});
    makeRoom(m_data.links, from.links.size());
    for (const Link& l : from.links)
        m_data.links.push_back(
            {l.traceId, l.spanId, l.type, strings[l.traceState], moved(l.attributes, by.attributes)});

    const auto indexes = [](std::size_t count, bool continues, std::size_t before) {
        std::vector<std::uint32_t> to(count);
        for (std::size_t i = 0; i < count; ++i)
            to[i] = static_cast<std::uint32_t>(continues && before > 0 ? before - 1 + i : before + i);
        return to;
    };
    const bool resourceContinues = part.m_continuesResource && !m_data.resources.empty();
    const std::vector<std::uint32_t> resources = indexes(from.resources.size(), resourceContinues,
                                                         m_data.resources.size());
    for (std::size_t i = resourceContinues ? 1 : 0; i < from.resources.size(); ++i) {
        const Resource& r = from.resources[i];
        m_data.resources.push_back({strings[r.service], strings[r.host], moved(r.attributes, by.attributes)});
    }
    const bool scopeContinues = part.m_continuesScope && !m_data.scopes.empty();
    const std::vector<std::uint32_t> scopes = indexes(from.scopes.size(), scopeContinues, m_data.scopes.size());
    for (std::size_t i = scopeContinues ? 1 : 0; i < from.scopes.size(); ++i) {
        const Scope& s = from.scopes[i];
        m_data.scopes.push_back({strings[s.name], strings[s.version], moved(s.attributes, by.attributes)});
    }

    std::vector<std::uint32_t> traces(from.traces.size());
    for (std::size_t t = 0; t < from.traces.size(); ++t) {
        traces[t] = traceIndex(from.traces[t].id);
        std::vector<std::string>& warnings = m_data.traces[traces[t]].warnings;
        for (std::string& w : from.traces[t].warnings)
            warnings.push_back(std::move(w));
    }

    const auto spanBase = static_cast<std::uint32_t>(m_data.spans.size());
    makeRoom(m_data.spans, from.spans.size());
    makeRoom(m_traceOfSpan, from.spans.size());
    for (std::size_t i = 0; i < from.spans.size(); ++i) {
        Span s = from.spans[i];
        s.service = strings[s.service];
        s.name = strings[s.name];
        s.statusMessage = strings[s.statusMessage];
        s.traceState = strings[s.traceState];
        if (s.resource != kNoIndex)
            s.resource = resources[s.resource];
        if (s.scope != kNoIndex)
            s.scope = scopes[s.scope];
        s.attributes = moved(s.attributes, by.attributes);
        s.events = moved(s.events, by.events);
        s.links = moved(s.links, by.links);
        m_data.spans.push_back(s);
        m_traceOfSpan.push_back(traces[part.m_traceOfSpan[i]]);
    }
    for (SpanWarning& w : part.m_spanWarnings)
        m_spanWarnings.push_back({w.span + spanBase, std::move(w.text)});
    if (m_unknownService == 0 && part.m_unknownService != 0)
        m_unknownService = strings[part.m_unknownService];
    part.clear();
}

void DatasetBuilder::clear()
{
    m_data.strings.clear();
    m_data.attributes.clear();
    m_data.events.clear();
    m_data.links.clear();
    m_data.resources.clear();
    m_data.scopes.clear();
    m_data.spans.clear();
    m_data.traces.clear();
    m_traceOfSpan.clear();
    m_traceIndex.clear();
    m_spanWarnings.clear();
    m_unknownService = 0;
    m_continuesResource = false;
    m_continuesScope = false;
}

} // namespace spanwise
