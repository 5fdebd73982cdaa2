#pragma once
// The trace a command line's --trace ID names in a loaded file.

#include <dataset.h>

#include <optional>
#include <string>

namespace spanwise::cli {

// The index of the one trace `id` names (see tracesNamed); otherwise none, and `problem` says why
// (no such trace, listing a few the file holds, or a prefix naming several).
std::optional<std::uint32_t> findTrace(const Dataset& data, const std::string& id, std::string& problem);

} // namespace spanwise::cli
