#pragma once

#include "dataset.h"

namespace spanwise {

// An event recording an exception: named "exception" (OpenTelemetry) or "error" (OpenTracing
// logs), or carrying exception.* attributes.
bool isExceptionEvent(const Dataset& data, const Event& event);

} // namespace spanwise
