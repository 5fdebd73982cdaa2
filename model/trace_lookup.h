#pragma once
// Finding a trace by the id a person types on a command line.

#include "dataset.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace spanwise {

// The traces text names, as indexes into data.traces: the one whose id it is (hex, any case,
// leading zeros optional), else every trace whose 32-digit id starts with it when it has 8 or
// more digits. One index when the name is unique.
std::vector<std::uint32_t> tracesNamed(const Dataset& data, std::string_view text);

} // namespace spanwise
