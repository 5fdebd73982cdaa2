#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise stats FILE|DIR... [--group root|service|operation] [--json] [--no-skew-adjust]`: durations
// across every trace of the files, grouped, with percentiles.
int runStatsCommand(const std::vector<std::string>& args);

} // namespace spanwise
