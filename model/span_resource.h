#pragma once
// The Datadog resource of a span (the endpoint or query its operation handled), kept as the string
// attribute resource.name, so views can show it beside the operation name.

#include "dataset.h"

#include <string_view>

namespace spanwise {

// Empty when the span has none.
std::string_view resourceNameOf(const Dataset& data, const Span& span);

} // namespace spanwise
