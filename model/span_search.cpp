#include "span_search.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace spanwise {

namespace {

bool containsIgnoringCase(std::string_view text, std::string_view query)
{
    return std::search(text.begin(), text.end(), query.begin(), query.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != text.end();
}

// Per string id: 0 untested, 1 matches, 2 does not.
class StringMatches {
public:
    StringMatches(const StringPool& pool, std::string_view query) : m_pool(pool), m_query(query), m_state(pool.size(), 0) {}
    bool operator()(StringId id)
    {
        if (m_state[id] == 0)
            m_state[id] = containsIgnoringCase(m_pool.view(id), m_query) ? 1 : 2;
        return m_state[id] == 1;
    }

private:
    const StringPool& m_pool;
    std::string_view m_query;
    std::vector<std::uint8_t> m_state;
};

} // namespace

std::vector<std::uint32_t> searchSpans(const Dataset& data, const Trace& trace, std::string_view query)
{
    std::vector<std::uint32_t> found;
    if (query.empty())
        return found;
    StringMatches matches(data.strings, query);
    const bool hexQuery = query.size() <= 16 && std::all_of(query.begin(), query.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    char hex[17];
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = data.spans[i];
        bool hit = matches(s.service) || matches(s.name);
        if (!hit && hexQuery) {
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(s.id));
            hit = containsIgnoringCase(hex, query);
        }
        for (std::uint32_t a = s.attributes.first; !hit && a < s.attributes.end(); ++a) {
            const Value& v = data.attributes[a].value;
            hit = v.type() == ValueType::String && matches(v.stringId());
        }
        if (hit)
            found.push_back(i);
    }
    return found;
}

} // namespace spanwise
