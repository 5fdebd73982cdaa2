#include "dataset_builder.h"

#include <algorithm>

namespace spanwise {

namespace {

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

} // namespace

Value AppendedPart::value(const Value& value) const
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

SpanRecord AppendedPart::record(SpanRecord r) const
{
    r.service = strings[r.service];
    r.name = strings[r.name];
    r.statusMessage = strings[r.statusMessage];
    r.traceState = strings[r.traceState];
    if (r.resource != kNoIndex)
        r.resource = resources[r.resource];
    if (r.scope != kNoIndex)
        r.scope = scopes[r.scope];
    r.attributes = moved(r.attributes, attributes);
    r.events = moved(r.events, events);
    r.links = moved(r.links, links);
    return r;
}

std::uint32_t DatasetBuilder::serviceResource(StringId service)
{
    const auto [it, inserted] = m_serviceResources.try_emplace(service, 0);
    if (inserted)
        it->second = addResource(service, {});
    return it->second;
}

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

AppendedPart DatasetBuilder::append(DatasetBuilder& part)
{
    Dataset& from = part.m_data;
    AppendedPart to;
    to.strings = m_data.strings.internAll(from.strings);
    const std::vector<StringId>& strings = to.strings;
    to.attributes = static_cast<std::uint32_t>(m_data.attributes.size());
    to.events = static_cast<std::uint32_t>(m_data.events.size());
    to.links = static_cast<std::uint32_t>(m_data.links.size());

    makeRoom(m_data.attributes, from.attributes.size());
    for (const Attribute& a : from.attributes)
        m_data.attributes.push_back({strings[a.key], to.value(a.value)});
    makeRoom(m_data.events, from.events.size());
    for (const Event& e : from.events)
        m_data.events.push_back({e.time, strings[e.name], moved(e.attributes, to.attributes)});
    makeRoom(m_data.links, from.links.size());
    for (const Link& l : from.links)
        m_data.links.push_back(
            {l.traceId, l.spanId, l.type, strings[l.traceState], moved(l.attributes, to.attributes)});

    // A service's resource joins the one already here; a continued resource (scope) is the last one.
    std::vector<StringId> serviceOf(from.resources.size(), kNoIndex);
    for (const auto& [service, index] : part.m_serviceResources)
        serviceOf[index] = service;
    to.resources.resize(from.resources.size());
    for (std::size_t i = 0; i < from.resources.size(); ++i) {
        if (i == 0 && part.m_continuesResource && !m_data.resources.empty()) {
            to.resources[i] = static_cast<std::uint32_t>(m_data.resources.size() - 1);
            continue;
        }
        if (serviceOf[i] != kNoIndex) {
            const auto [it, inserted] = m_serviceResources.try_emplace(strings[serviceOf[i]], 0);
            if (!inserted) {
                to.resources[i] = it->second;
                continue;
            }
            it->second = static_cast<std::uint32_t>(m_data.resources.size());
        }
        const Resource& r = from.resources[i];
        to.resources[i] = static_cast<std::uint32_t>(m_data.resources.size());
        m_data.resources.push_back({strings[r.service], strings[r.host], moved(r.attributes, to.attributes)});
    }
    to.scopes.resize(from.scopes.size());
    for (std::size_t i = 0; i < from.scopes.size(); ++i) {
        if (i == 0 && part.m_continuesScope && !m_data.scopes.empty()) {
            to.scopes[i] = static_cast<std::uint32_t>(m_data.scopes.size() - 1);
            continue;
        }
        const Scope& s = from.scopes[i];
        to.scopes[i] = static_cast<std::uint32_t>(m_data.scopes.size());
        m_data.scopes.push_back({strings[s.name], strings[s.version], moved(s.attributes, to.attributes)});
    }

    std::vector<std::uint32_t> traces(from.traces.size());
    for (std::size_t t = 0; t < from.traces.size(); ++t) {
        traces[t] = traceIndex(from.traces[t].id);
        std::vector<std::string>& warnings = m_data.traces[traces[t]].warnings;
        for (std::string& w : from.traces[t].warnings)
            warnings.push_back(std::move(w));
    }

    to.spans = static_cast<std::uint32_t>(m_data.spans.size());
    makeRoom(m_data.spans, from.spans.size());
    makeRoom(m_traceOfSpan, from.spans.size());
    for (std::size_t i = 0; i < from.spans.size(); ++i) {
        Span s = from.spans[i];
        s.service = strings[s.service];
        s.name = strings[s.name];
        s.statusMessage = strings[s.statusMessage];
        s.traceState = strings[s.traceState];
        if (s.resource != kNoIndex)
            s.resource = to.resources[s.resource];
        if (s.scope != kNoIndex)
            s.scope = to.scopes[s.scope];
        s.attributes = moved(s.attributes, to.attributes);
        s.events = moved(s.events, to.events);
        s.links = moved(s.links, to.links);
        m_data.spans.push_back(s);
        m_traceOfSpan.push_back(traces[part.m_traceOfSpan[i]]);
    }
    for (SpanWarning& w : part.m_spanWarnings)
        m_spanWarnings.push_back({w.span + to.spans, std::move(w.text)});
    if (m_unknownService == 0 && part.m_unknownService != 0)
        m_unknownService = strings[part.m_unknownService];
    part.clear();
    return to;
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
    m_serviceResources.clear();
    m_spanWarnings.clear();
    m_unknownService = 0;
    m_continuesResource = false;
    m_continuesScope = false;
}

} // namespace spanwise
