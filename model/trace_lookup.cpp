#include "trace_lookup.h"

#include "hex_ids.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace spanwise {

std::vector<std::uint32_t> tracesNamed(const Dataset& data, std::string_view text)
{
    if (const auto id = parseHexTraceId(text)) {
        for (std::uint32_t i = 0; i < data.traces.size(); ++i) {
            if (data.traces[i].id == *id)
                return {i};
        }
    }
    std::vector<std::uint32_t> named;
    if (text.size() < 8 || text.size() > 32)
        return named;
    std::string prefix(text);
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::uint32_t i = 0; i < data.traces.size(); ++i) {
        if (toHex(data.traces[i].id).starts_with(prefix))
            named.push_back(i);
    }
    return named;
}

} // namespace spanwise
