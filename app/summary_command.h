#pragma once

#include <string>
#include <vector>

namespace spanwise {

struct Dataset;
struct Trace;

// "service: operation" of the trace's first top-level span, "(+N more)" when it has several.
std::string traceRootLabel(const Dataset& data, const Trace& trace);

// `spanwise summary FILE... [--json] [--no-skew-adjust]`: per file and trace, what it holds.
int runSummaryCommand(const std::vector<std::string>& args);

} // namespace spanwise
