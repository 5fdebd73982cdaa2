#include "trace_choice.h"

#include "command_line.h"

#include <trace_lookup.h>

#include <algorithm>

namespace spanwise::cli {

std::optional<std::uint32_t> findTrace(const Dataset& data, const std::string& id, std::string& problem)
{
    const std::vector<std::uint32_t> named = tracesNamed(data, id);
    if (named.size() == 1)
        return named.front();
    std::string known;
    for (std::size_t i = 0; i < std::min<std::size_t>(data.traces.size(), 5); ++i)
        known += (i ? ", " : "") + toHex(data.traces[i].id);
    if (data.traces.size() > 5)
        known += ", ...";
    problem = named.empty()
                  ? "no trace " + terminalSafe(id) + " in the file; it holds " + std::to_string(data.traces.size()) +
                        ": " + known
                  : "trace id prefix " + terminalSafe(id) + " matches " + std::to_string(named.size()) + " traces";
    return std::nullopt;
}

} // namespace spanwise::cli
