#pragma once

#include "dataset.h"

#include <string>

namespace spanwise {

// Checks the structure every view and analysis relies on: traces contiguous, parents before
// their children in the same trace, depth-first subtrees nested, no span ending before it
// starts, every span with a service name. Returns the first violation found, or an empty string.
std::string findInvariantViolation(const Dataset& data);

} // namespace spanwise
