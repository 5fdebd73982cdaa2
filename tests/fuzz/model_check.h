#pragma once
// What a loaded model must satisfy whatever the input was: the structural invariants every view
// relies on, every index and range pointing inside its array, self times within their spans and
// diagnostics pointing into the input. Shared by the fuzz targets and the hostile-corpus test.

#include <invariants.h>
#include <loader.h>
#include <self_time.h>

#include <algorithm>
#include <string>

namespace spanwise::check {

class ReferenceChecker {
public:
    explicit ReferenceChecker(const Dataset& data) : m_data(data) {}

    std::string firstProblem() const
    {
        for (std::size_t i = 0; i < m_data.attributes.size(); ++i)
            if (!attributeOk(m_data.attributes[i]))
                return "attribute " + std::to_string(i) + " refers outside the model";
        for (const Event& e : m_data.events)
            if (!stringOk(e.name) || !attributesOk(e.attributes))
                return "event refers outside the model";
        for (const Link& l : m_data.links)
            if (!stringOk(l.traceState) || !attributesOk(l.attributes))
                return "link refers outside the model";
        for (const Resource& r : m_data.resources)
            if (!stringOk(r.service) || !stringOk(r.host) || !attributesOk(r.attributes))
                return "resource refers outside the model";
        for (const Scope& s : m_data.scopes)
            if (!stringOk(s.name) || !stringOk(s.version) || !attributesOk(s.attributes))
                return "scope refers outside the model";
        for (std::uint32_t i = 0; i < m_data.spans.size(); ++i)
            if (std::string problem = spanProblem(i); !problem.empty())
                return "span " + std::to_string(i) + ": " + problem;
        for (const Trace& t : m_data.traces)
            for (const SpanWarning& w : t.spanWarnings)
                if (w.span < t.first || w.span >= t.end_index())
                    return "span warning outside its trace";
        return {};
    }

private:
    static bool within(Range r, std::size_t size) { return std::uint64_t(r.first) + r.count <= size; }
    static bool indexOk(std::uint32_t index, std::size_t size) { return index == kNoIndex || index < size; }
    bool stringOk(StringId id) const { return id < m_data.strings.size(); }
    bool attributesOk(Range r) const { return within(r, m_data.attributes.size()); }

    bool attributeOk(const Attribute& a) const
    {
        if (!stringOk(a.key))
            return false;
        switch (a.value.type()) {
        case ValueType::String:
        case ValueType::Bytes:
            return stringOk(a.value.stringId());
        case ValueType::Array:
        case ValueType::KeyValueList:
            return attributesOk(a.value.range());
        default:
            return true;
        }
    }

    std::string spanProblem(std::uint32_t i) const
    {
        const Span& s = m_data.spans[i];
        if (!stringOk(s.service) || !stringOk(s.name) || !stringOk(s.statusMessage) || !stringOk(s.traceState))
            return "string outside the pool";
        if (!indexOk(s.resource, m_data.resources.size()) || !indexOk(s.scope, m_data.scopes.size()))
            return "resource or scope outside the model";
        if (!attributesOk(s.attributes) || !within(s.events, m_data.events.size()) ||
            !within(s.links, m_data.links.size()))
            return "attributes, events or links outside the model";
        const TimeNs self = selfTime(m_data, i);
        if (self < 0 || self > s.duration())
            return "self time outside the span";
        return {};
    }

    const Dataset& m_data;
};

// The first thing wrong with a model read from inputSize bytes, or an empty string.
inline std::string findModelProblem(const Dataset& data, const ImportReport& report, std::uint64_t inputSize)
{
    if (std::string violation = findInvariantViolation(data); !violation.empty())
        return violation;
    if (std::string problem = ReferenceChecker(data).firstProblem(); !problem.empty())
        return problem;
    for (const Diagnostic& d : report.diagnostics)
        if (d.offset > inputSize)
            return "diagnostic offset " + std::to_string(d.offset) + " past the input: " + d.message;
    return {};
}

// The same for a whole load. Offsets in compressed input count in the decompressed content, at
// most ratio × the input size or 1 MiB (the loader's floor for small files).
inline std::string findLoadProblem(const LoadResult& result, std::uint64_t inputSize)
{
    const std::uint64_t contentBound = result.compression.empty()
                                           ? inputSize
                                           : std::max<std::uint64_t>(inputSize * DecompressionLimits().ratio, 1 << 20);
    return findModelProblem(result.dataset, result.report, contentBound);
}

} // namespace spanwise::check
