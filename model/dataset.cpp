#include "dataset.h"

#include <algorithm>

namespace spanwise {

std::vector<std::uint32_t> Dataset::topLevelSpans(const Trace& trace) const
{
    std::vector<std::uint32_t> result;
    for (std::uint32_t i = trace.first; i < trace.end_index(); i = spans[i].subtreeEnd)
        result.push_back(i);
    return result;
}

std::string Dataset::rootLabel(const Trace& trace) const
{
    const std::vector<std::uint32_t> top = topLevelSpans(trace);
    if (top.empty())
        return "-";
    const Span& root = spans[top.front()];
    std::string label = std::string(str(root.service)) + ": " + std::string(str(root.name));
    if (top.size() > 1)
        label += " (+" + std::to_string(top.size() - 1) + " more)";
    return label;
}

std::vector<std::string_view> Dataset::services(const Trace& trace) const
{
    std::vector<std::uint8_t> seen(strings.size(), 0);
    std::vector<std::string_view> names;
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const StringId service = spans[i].service;
        if (!seen[service]) {
            seen[service] = 1;
            names.push_back(str(service));
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

const Trace* Dataset::findTrace(const TraceId& id) const
{
    const auto it = std::find_if(traces.begin(), traces.end(), [&](const Trace& t) { return t.id == id; });
    return it == traces.end() ? nullptr : &*it;
}

std::size_t Dataset::memoryBytes() const
{
    std::size_t bytes = strings.memoryBytes();
    bytes += attributes.size() * sizeof(Attribute) + events.size() * sizeof(Event) + links.size() * sizeof(Link) +
             resources.size() * sizeof(Resource) + scopes.size() * sizeof(Scope) + spans.size() * sizeof(Span) +
             traces.size() * sizeof(Trace);
    for (const Trace& t : traces)
        bytes += t.spanWarnings.size() * sizeof(SpanWarning) + t.warnings.size() * sizeof(std::string);
    return bytes;
}

} // namespace spanwise
