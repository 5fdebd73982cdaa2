#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise summary FILE... [--json] [--no-skew-adjust]`: per file and trace, what it holds.
int runSummaryCommand(const std::vector<std::string>& args);

} // namespace spanwise
