#pragma once

#include "dataset.h"

namespace spanwise {

// A span's duration minus the union of its children's intervals clipped to it: the time it
// spent on its own work rather than waiting for its children.
TimeNs selfTime(const Dataset& data, std::uint32_t span);

} // namespace spanwise
