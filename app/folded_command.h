#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise folded FILE [--trace ID] [--weight self|total]`: the merged call paths of a trace in the
// folded-stack format of flame-graph tools, on standard output.
int runFoldedCommand(const std::vector<std::string>& args);

} // namespace spanwise
