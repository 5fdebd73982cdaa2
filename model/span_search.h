#pragma once
// Finding spans: the query language of the find bar and the spans table, and the search itself.
//
// A query is terms separated by spaces; a span matches when every term does (ignoring ASCII case):
//   checkout          a word in the service, operation, span id (hex), attribute key or string value
//                     (a pasted W3C traceparent finds its span)
//   "GET /cart"       a phrase with spaces, matched as one word
//   /^GET .*cart$/    a regular expression (ECMAScript) searched in the same strings, ids aside
//   key=value         an attribute of the span or of its resource equal to value; `*` in the value
//                     matches any run of characters (key=* : the attribute is present); quote a value
//                     with spaces: key="a b"; key!=value: no such attribute with that value
//   key>N, >=, <, <=  a numeric attribute (or a string holding a number) compared with N
//   service=NAME, operation=NAME (also op=)    the span's own names, `*` globs as for attributes
//   duration>10ms     the span's duration compared (>, >=, <, <=, =) with a time: 10ms, 1.5s, 250us
//   status=error|ok|unset, kind=server|client|producer|consumer|internal|unspecified  (also !=)
// A word holding `=`, `<` or `>` is searched as text when quoted: "a=b".

#include "dataset.h"

#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace spanwise {

enum class Compare : std::uint8_t { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

struct QueryTerm {
    enum class Kind : std::uint8_t { Text, Regex, Attribute, Service, Operation, Duration, Status, SpanKind };
    Kind kind = Kind::Text;
    Compare compare = Compare::Equal;
    std::string key;                         // Attribute: its key
    std::string value;                       // Text: the word; Attribute, Service, Operation: the glob
    std::shared_ptr<const std::regex> regex; // Regex
    double number = 0;                       // Attribute compared by order
    TimeNs duration = 0;                     // Duration
    StatusCode status = StatusCode::Unset;   // Status
    spanwise::SpanKind spanKind = spanwise::SpanKind::Unspecified; // SpanKind
};

struct SpanQuery {
    std::vector<QueryTerm> terms; // all must match
    StringId service = kNoIndex;  // only this service
    TimeNs minDuration = 0;       // only spans at least this long
    bool errorsOnly = false;      // only failed spans

    bool empty() const { return terms.empty() && service == kNoIndex && minDuration <= 0 && !errorsOnly; }
};

struct ParsedQuery {
    SpanQuery query;
    std::string error;       // empty when the text parsed
    std::size_t errorAt = 0; // byte offset in the text of what is wrong

    bool ok() const { return error.empty(); }
};

// The terms of the query language above; an error names what was expected and where.
ParsedQuery parseSpanQuery(std::string_view text);

// Spans first <= span < end matching every part of the query, ascending. Each distinct string is
// tested once per term, so a million spans with few distinct names are searched in milliseconds,
// by regular expressions too; beyond a million, the cores share the spans (each testing the strings
// of its part). Empty query: no spans.
std::vector<std::uint32_t> searchSpans(const Dataset& data, std::uint32_t first, std::uint32_t end,
                                       const SpanQuery& query);
inline std::vector<std::uint32_t> searchSpans(const Dataset& data, const Trace& trace, const SpanQuery& query)
{
    return searchSpans(data, trace.first, trace.end_index(), query);
}

// Whether text matches the glob (`*` any run of characters), ignoring ASCII case.
bool globMatches(std::string_view text, std::string_view glob);

} // namespace spanwise
