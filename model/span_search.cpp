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
    StringMatches(const StringPool& pool, std::string_view query)
        : m_pool(pool), m_query(query), m_state(pool.size(), 0)
    {
    }
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

std::vector<std::uint32_t> searchSpans(const Dataset& data, const Trace& trace, const SpanQuery& query)
{
    std::vector<std::uint32_t> found;
    if (query.empty())
        return found;
    std::string_view text = query.text;
    // A pasted W3C traceparent (version-traceid-spanid-flags) finds its span.
    if (text.size() == 55 && text[2] == '-' && text[35] == '-' && text[52] == '-')
        text = text.substr(36, 16);
    StringMatches matches(data.strings, text);
    const bool hexText = !text.empty() && text.size() <= 16 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
    });
    auto textMatches = [&](const Span& s) {
        if (text.empty() || matches(s.service) || matches(s.name))
            return true;
        if (hexText) {
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(s.id));
            if (containsIgnoringCase(hex, text))
                return true;
        }
        for (std::uint32_t a = s.attributes.first; a < s.attributes.end(); ++a) {
            const Attribute& attribute = data.attributes[a];
            if (matches(attribute.key) ||
                (attribute.value.type() == ValueType::String && matches(attribute.value.stringId())))
                return true;
        }
        return false;
    };
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = data.spans[i];
        if ((query.service != kNoIndex && s.service != query.service) || s.duration() < query.minDuration ||
            (query.errorsOnly && s.status != StatusCode::Error))
            continue;
        if (textMatches(s))
            found.push_back(i);
    }
    return found;
}

} // namespace spanwise
