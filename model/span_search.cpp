#include "span_search.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>
#include <system_error>
#include <thread>

namespace spanwise {

namespace {

char lower(char c)
{
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equalIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool containsIgnoringCase(std::string_view text, std::string_view query)
{
    return std::search(text.begin(), text.end(), query.begin(), query.end(),
                       [](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

bool isSpace(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

template <typename T>
bool compares(T a, Compare compare, T b)
{
    switch (compare) {
    case Compare::Equal:
        return a == b;
    case Compare::NotEqual:
        return a != b;
    case Compare::Less:
        return a < b;
    case Compare::LessEqual:
        return a <= b;
    case Compare::Greater:
        return a > b;
    case Compare::GreaterEqual:
        return a >= b;
    }
    return false;
}

bool ordered(Compare compare)
{
    return compare != Compare::Equal && compare != Compare::NotEqual;
}

// A W3C traceparent (version-traceid-spanid-flags) stands for its span id.
std::string_view spanIdOfTraceparent(std::string_view word)
{
    if (word.size() == 55 && word[2] == '-' && word[35] == '-' && word[52] == '-')
        return word.substr(36, 16);
    return word;
}

// What is wrong with a regular expression, in fewer words than the library's.
std::string regexProblem(std::regex_constants::error_type code, std::string_view pattern)
{
    namespace rc = std::regex_constants;
    if (code == rc::error_paren) {
        // libstdc++ says so too for a leading quantifier and for (?<name>...): balanced parentheses
        // point at those.
        int depth = 0;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (pattern[i] == '\\')
                ++i;
            else if (pattern[i] == '(')
                ++depth;
            else if (pattern[i] == ')')
                --depth;
        }
        return depth != 0 ? "unbalanced ( )" : "nothing to repeat before * + ?, or an unsupported (? group";
    }
    if (code == rc::error_brack)
        return "unbalanced [ ]";
    if (code == rc::error_brace)
        return "unbalanced { }";
    if (code == rc::error_badbrace)
        return "invalid count in { }";
    if (code == rc::error_range)
        return "invalid range in [ ]";
    if (code == rc::error_escape)
        return "invalid escape";
    if (code == rc::error_badrepeat)
        return "nothing to repeat before * + ?";
    if (code == rc::error_backref)
        return "invalid back reference";
    if (code == rc::error_ctype || code == rc::error_collate)
        return "unknown character class";
    return "too complex";
}

struct Operator {
    Compare compare;
    std::string_view text;
};

std::optional<Operator> operatorAt(std::string_view text, std::size_t at)
{
    const std::string_view rest = text.substr(at);
    for (const Operator op :
         {Operator{Compare::NotEqual, "!="}, Operator{Compare::GreaterEqual, ">="}, Operator{Compare::LessEqual, "<="},
          Operator{Compare::Equal, "="}, Operator{Compare::Greater, ">"}, Operator{Compare::Less, "<"}}) {
        if (rest.substr(0, op.text.size()) == op.text)
            return op;
    }
    return std::nullopt;
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    ParsedQuery parse()
    {
        while (m_result.ok()) {
            while (m_at < m_text.size() && isSpace(m_text[m_at]))
                ++m_at;
            if (m_at == m_text.size())
                break;
            if (m_text[m_at] == '"') {
                const std::size_t start = m_at;
                if (const std::optional<std::string_view> phrase = quoted(); phrase && !phrase->empty())
                    addText(*phrase);
                else if (phrase)
                    fail(start, "expected text between the quotes");
            } else if (!(m_text[m_at] == '/' && regex())) {
                word();
            }
        }
        if (!m_result.ok())
            m_result.query.terms.clear();
        return std::move(m_result);
    }

private:
    void fail(std::size_t at, std::string message)
    {
        if (m_result.ok()) {
            m_result.error = std::move(message);
            m_result.errorAt = at;
        }
    }

    void addText(std::string_view word)
    {
        QueryTerm term;
        term.kind = QueryTerm::Kind::Text;
        term.value = spanIdOfTraceparent(word);
        m_result.query.terms.push_back(std::move(term));
    }

    // At a quote: the text up to the closing one, after which the parser moves.
    std::optional<std::string_view> quoted()
    {
        const std::size_t close = m_text.find('"', m_at + 1);
        if (close == std::string_view::npos) {
            fail(m_at, "expected a closing quote");
            return std::nullopt;
        }
        const std::string_view inside = m_text.substr(m_at + 1, close - m_at - 1);
        m_at = close + 1;
        return inside;
    }

    // At a slash: a regular expression when a later slash ends a word (so "/api/v1" is a word).
    bool regex()
    {
        std::size_t end = m_at + 1;
        for (; end < m_text.size(); ++end) {
            if (m_text[end] == '\\') {
                ++end;
            } else if (m_text[end] == '/' && (end + 1 == m_text.size() || isSpace(m_text[end + 1]))) {
                break;
            }
        }
        if (end >= m_text.size() || end == m_at + 1)
            return false;
        QueryTerm term;
        term.kind = QueryTerm::Kind::Regex;
        term.value = m_text.substr(m_at + 1, end - m_at - 1);
        try {
            term.regex = std::make_shared<const std::regex>(term.value, std::regex::ECMAScript | std::regex::icase |
                                                                            std::regex::optimize);
        } catch (const std::regex_error& error) {
            fail(m_at, "invalid regular expression: " + regexProblem(error.code(), term.value));
            return true;
        }
        m_result.query.terms.push_back(std::move(term));
        m_at = end + 1;
        return true;
    }

    void word()
    {
        const std::size_t start = m_at;
        std::size_t end = start;
        std::optional<Operator> op;
        while (end < m_text.size() && !isSpace(m_text[end]) && !(op = operatorAt(m_text, end)))
            ++end;
        if (!op) {
            m_at = end;
            addText(m_text.substr(start, end - start));
            return;
        }
        if (end == start) {
            fail(start, "expected a key before '" + std::string(op->text) + "'");
            return;
        }
        const std::string_view key = m_text.substr(start, end - start);
        m_at = end + op->text.size();
        const std::size_t valueAt = m_at;
        std::string_view value;
        if (m_at < m_text.size() && m_text[m_at] == '"') {
            const std::optional<std::string_view> inside = quoted();
            if (!inside)
                return;
            value = *inside;
        } else {
            while (m_at < m_text.size() && !isSpace(m_text[m_at]))
                ++m_at;
            value = m_text.substr(valueAt, m_at - valueAt);
            if (value.empty()) {
                fail(valueAt, "expected a value after '" + std::string(key) + std::string(op->text) + "'");
                return;
            }
        }
        term(key, op->compare, value, start, valueAt);
    }

    void term(std::string_view key, Compare compare, std::string_view value, std::size_t keyAt, std::size_t valueAt)
    {
        QueryTerm term;
        term.compare = compare;
        term.value = value;
        if (equalIgnoringCase(key, "duration")) {
            term.kind = QueryTerm::Kind::Duration;
            const std::optional<TimeNs> duration = parseDuration(value);
            if (!duration)
                return fail(valueAt, "expected a time such as 10ms, 1.5s or 250us after '" + std::string(key) + "'");
            term.duration = *duration;
        } else if (equalIgnoringCase(key, "status") || equalIgnoringCase(key, "kind")) {
            const bool status = equalIgnoringCase(key, "status");
            if (ordered(compare))
                return fail(keyAt, "'" + std::string(key) + "' compares with = or != only");
            term.kind = status ? QueryTerm::Kind::Status : QueryTerm::Kind::SpanKind;
            bool known = false;
            for (StatusCode code : {StatusCode::Unset, StatusCode::Ok, StatusCode::Error}) {
                if (status && equalIgnoringCase(value, toString(code))) {
                    term.status = code;
                    known = true;
                }
            }
            for (SpanKind kind : {SpanKind::Unspecified, SpanKind::Internal, SpanKind::Server, SpanKind::Client,
                                  SpanKind::Producer, SpanKind::Consumer}) {
                if (!status && equalIgnoringCase(value, toString(kind))) {
                    term.spanKind = kind;
                    known = true;
                }
            }
            if (!known)
                return fail(valueAt, status ? "expected error, ok or unset after 'status'"
                                            : "expected server, client, producer, consumer, internal or "
                                              "unspecified after 'kind'");
        } else if (equalIgnoringCase(key, "service") || equalIgnoringCase(key, "operation") ||
                   equalIgnoringCase(key, "op")) {
            if (ordered(compare))
                return fail(keyAt, "'" + std::string(key) + "' compares with = or != only");
            term.kind = equalIgnoringCase(key, "service") ? QueryTerm::Kind::Service : QueryTerm::Kind::Operation;
        } else {
            term.kind = QueryTerm::Kind::Attribute;
            term.key = key;
            if (ordered(compare)) {
                const std::optional<double> number = parseNumber(value);
                if (!number)
                    return fail(valueAt, "expected a number after '" + std::string(key) + "'");
                term.number = *number;
            }
        }
        m_result.query.terms.push_back(std::move(term));
    }

    std::string_view m_text;
    std::size_t m_at = 0;
    ParsedQuery m_result;
};

// Per string id: 0 untested, 1 passes, 2 does not.
class StringCache {
public:
    explicit StringCache(std::size_t size) : m_state(size, 0) {}
    template <typename Test>
    bool operator()(StringId id, Test&& test)
    {
        if (m_state[id] == 0)
            m_state[id] = test(id) ? 1 : 2;
        return m_state[id] == 1;
    }

private:
    std::vector<std::uint8_t> m_state;
};

// One term tested against spans, remembering what it found for each distinct string.
class TermMatcher {
public:
    TermMatcher(const Dataset& data, const QueryTerm& term)
        : m_data(data), m_term(term), m_strings(data.strings.size()), m_keys(data.strings.size()),
          m_resources(data.resources.size(), 0)
    {
        m_hexWord = term.kind == QueryTerm::Kind::Text && term.value.size() <= 16 &&
                    std::all_of(term.value.begin(), term.value.end(),
                                [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    }

    bool operator()(const Span& s)
    {
        switch (m_term.kind) {
        case QueryTerm::Kind::Text:
        case QueryTerm::Kind::Regex:
            return anyString(s);
        case QueryTerm::Kind::Attribute: {
            bool found = anyAttribute(s.attributes);
            if (!found && s.resource != kNoIndex) {
                std::uint8_t& known = m_resources[s.resource];
                if (known == 0)
                    known = anyAttribute(m_data.resources[s.resource].attributes) ? 1 : 2;
                found = known == 1;
            }
            return m_term.compare == Compare::NotEqual ? !found : found;
        }
        case QueryTerm::Kind::Service:
        case QueryTerm::Kind::Operation: {
            const StringId name = m_term.kind == QueryTerm::Kind::Service ? s.service : s.name;
            const bool found = m_strings(name, [&](StringId id) { return globMatches(m_data.str(id), m_term.value); });
            return m_term.compare == Compare::NotEqual ? !found : found;
        }
        case QueryTerm::Kind::Duration:
            return compares(s.duration(), m_term.compare, m_term.duration);
        case QueryTerm::Kind::Status:
            return compares(s.status, m_term.compare, m_term.status);
        case QueryTerm::Kind::SpanKind:
            return compares(s.kind, m_term.compare, m_term.spanKind);
        }
        return false;
    }

private:
    bool stringMatches(StringId id)
    {
        return m_strings(id, [&](StringId text) {
            const std::string_view view = m_data.str(text);
            return m_term.kind == QueryTerm::Kind::Regex ? std::regex_search(view.begin(), view.end(), *m_term.regex)
                                                         : containsIgnoringCase(view, m_term.value);
        });
    }

    bool anyString(const Span& s)
    {
        if (stringMatches(s.service) || stringMatches(s.name))
            return true;
        if (m_hexWord) {
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(s.id));
            if (containsIgnoringCase(hex, m_term.value))
                return true;
        }
        for (std::uint32_t a = s.attributes.first; a < s.attributes.end(); ++a) {
            const Attribute& attribute = m_data.attributes[a];
            if (stringMatches(attribute.key) ||
                (attribute.value.type() == ValueType::String && stringMatches(attribute.value.stringId())))
                return true;
        }
        return false;
    }

    // Some attribute in the range has the key and a value passing the term (!= asks for = here).
    bool anyAttribute(Range attributes)
    {
        for (std::uint32_t a = attributes.first; a < attributes.end(); ++a) {
            const Attribute& attribute = m_data.attributes[a];
            if (m_keys(attribute.key, [&](StringId key) { return equalIgnoringCase(m_data.str(key), m_term.key); }) &&
                valueMatches(attribute.value))
                return true;
        }
        return false;
    }

    bool valueMatches(const Value& value)
    {
        const Compare compare = m_term.compare == Compare::NotEqual ? Compare::Equal : m_term.compare;
        if (value.type() == ValueType::String) {
            return m_strings(value.stringId(), [&](StringId id) {
                if (!ordered(compare))
                    return globMatches(m_data.str(id), m_term.value);
                const std::optional<double> number = parseNumber(m_data.str(id));
                return number && compares(*number, compare, m_term.number);
            });
        }
        if (ordered(compare)) {
            if (value.type() == ValueType::Int)
                return compares(static_cast<double>(value.integer()), compare, m_term.number);
            if (value.type() == ValueType::Double)
                return compares(value.real(), compare, m_term.number);
            return false;
        }
        char text[64];
        std::to_chars_result written{text, std::errc()};
        switch (value.type()) {
        case ValueType::Int:
            written = std::to_chars(text, text + sizeof text, value.integer());
            break;
        case ValueType::Double:
            written = std::to_chars(text, text + sizeof text, value.real());
            break;
        case ValueType::Bool:
            return globMatches(value.boolean() ? "true" : "false", m_term.value);
        default:
            return m_term.value == "*"; // present, whatever its type
        }
        return globMatches(std::string_view(text, static_cast<std::size_t>(written.ptr - text)), m_term.value);
    }

    const Dataset& m_data;
    const QueryTerm& m_term;
    StringCache m_strings; // the term's verdict on a string (a name, or a value)
    StringCache m_keys;    // an attribute key is the term's key
    std::vector<std::uint8_t> m_resources;
    bool m_hexWord = false;
};

// The spans first <= span < end matching every part of the query, ascending, added to `found`.
void searchPart(const Dataset& data, std::uint32_t first, std::uint32_t end, const SpanQuery& query,
                std::vector<std::uint32_t>& found)
{
    std::vector<TermMatcher> matchers;
    matchers.reserve(query.terms.size());
    for (const QueryTerm& term : query.terms)
        matchers.emplace_back(data, term);
    for (std::uint32_t i = first; i < end; ++i) {
        const Span& s = data.spans[i];
        if ((query.service != kNoIndex && s.service != query.service) || s.duration() < query.minDuration ||
            (query.errorsOnly && s.status != StatusCode::Error))
            continue;
        if (std::all_of(matchers.begin(), matchers.end(), [&](TermMatcher& matches) { return matches(s); }))
            found.push_back(i);
    }
}

} // namespace

bool globMatches(std::string_view text, std::string_view glob)
{
    // Greedy with one backtrack point: the last star, which absorbs one more character on a mismatch.
    std::size_t t = 0, g = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = t;
        } else if (g < glob.size() && lower(glob[g]) == lower(text[t])) {
            ++g;
            ++t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*')
        ++g;
    return g == glob.size();
}

ParsedQuery parseSpanQuery(std::string_view text)
{
    return Parser(text).parse();
}

std::vector<std::uint32_t> searchSpans(const Dataset& data, std::uint32_t first, std::uint32_t end,
                                       const SpanQuery& query)
{
    std::vector<std::uint32_t> found;
    if (query.empty() || first >= end)
        return found;
    // Reading the spans is what takes the time: a few million are shared among the cores, each
    // part searched on its own and the parts' matches joined in order.
    constexpr std::uint32_t kSpansPerThread = 1u << 20; // fewer: starting a thread costs more than it saves
    const std::uint32_t count = end - first;
    const unsigned threads = std::clamp(count / kSpansPerThread, 1u, std::max(1u, std::thread::hardware_concurrency()));
    const auto bound = [&](unsigned part) {
        return first + static_cast<std::uint32_t>(std::uint64_t(count) * part / threads);
    };
    std::vector<std::vector<std::uint32_t>> parts(threads);
    std::vector<std::exception_ptr> failures(threads);
    const auto search = [&](unsigned part) {
        try {
            searchPart(data, bound(part), bound(part + 1), query, parts[part]);
        } catch (...) { // a regular expression too complex for the library: thrown again to the caller
            failures[part] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> helpers;
        unsigned part = 1;
        try {
            for (; part < threads; ++part)
                helpers.emplace_back(search, part);
        } catch (const std::system_error&) {
            // The system has no more threads to give: the caller searches the parts of those not started.
        }
        search(0);
        for (; part < threads; ++part)
            search(part);
    } // joins the helpers
    for (const std::exception_ptr& failure : failures) {
        if (failure)
            std::rethrow_exception(failure);
    }
    found = std::move(parts[0]);
    for (unsigned part = 1; part < threads; ++part)
        found.insert(found.end(), parts[part].begin(), parts[part].end());
    return found;
}

} // namespace spanwise
