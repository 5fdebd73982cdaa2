#include "command_line.h"

#include <algorithm>

namespace spanwise::cli {

bool Arguments::has(const std::string& flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

Arguments parseArguments(const std::vector<std::string>& args, const std::vector<std::string>& acceptedFlags)
{
    Arguments result;
    bool onlyPositional = false;
    for (const std::string& arg : args) {
        if (onlyPositional || arg.size() < 2 || arg[0] != '-') {
            result.positional.push_back(arg);
        } else if (arg == "--") {
            onlyPositional = true;
        } else if (std::find(acceptedFlags.begin(), acceptedFlags.end(), arg) != acceptedFlags.end()) {
            result.flags.push_back(arg);
        } else if (result.unknown.empty()) {
            result.unknown = arg;
        }
    }
    return result;
}

} // namespace spanwise::cli
