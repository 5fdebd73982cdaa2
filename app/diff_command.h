#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise diff A B [--a-trace ID] [--b-trace ID] [--json] [--no-skew-adjust]`: what changed from
// trace A to trace B.
int runDiffCommand(const std::vector<std::string>& args);
// Whether these arguments ask for a picture (-o): then it needs a QApplication.
bool diffDraws(const std::vector<std::string>& args);

} // namespace spanwise
