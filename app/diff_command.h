#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise diff A B [--a-trace ID] [--b-trace ID] [--json] [--no-skew-adjust]`: what changed from
// trace A to trace B.
int runDiffCommand(const std::vector<std::string>& args);

} // namespace spanwise
