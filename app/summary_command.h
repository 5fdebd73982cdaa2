#pragma once

#include <loader.h>

#include <string>
#include <vector>

namespace spanwise {

// `spanwise summary FILE... [--json] [--no-skew-adjust]`: per file and trace, what it holds.
int runSummaryCommand(const std::vector<std::string>& args);
// The tables `spanwise summary` prints for the files loaded.
void printSummaryTables(const std::vector<LoadResult>& results);

} // namespace spanwise
