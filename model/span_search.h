#pragma once

#include "dataset.h"

#include <string>
#include <vector>

namespace spanwise {

struct SpanQuery {
    std::string text;            // in service, operation, id (hex), attribute keys or string values
                                 // (the Datadog resource, resource.name, among them)
    StringId service = kNoIndex; // only this service
    TimeNs minDuration = 0;      // only spans at least this long
    bool errorsOnly = false;     // only failed spans

    bool empty() const { return text.empty() && service == kNoIndex && minDuration <= 0 && !errorsOnly; }
};

// Spans of a trace matching every part of the query, ascending. Text matches ignore ASCII case;
// a W3C traceparent header value finds its span. Each distinct string is tested once, so a
// million spans with few distinct names are searched in milliseconds. Empty query: no spans.
std::vector<std::uint32_t> searchSpans(const Dataset& data, const Trace& trace, const SpanQuery& query);

} // namespace spanwise
