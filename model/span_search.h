#pragma once

#include "dataset.h"

#include <string_view>
#include <vector>

namespace spanwise {

// Spans of a trace whose service, operation, id (hex) or any string attribute value contains
// the query, ignoring ASCII case. Each distinct string is tested once, so a million spans
// with few distinct names are searched in milliseconds.
std::vector<std::uint32_t> searchSpans(const Dataset& data, const Trace& trace, std::string_view query);

} // namespace spanwise
