#pragma once
// Small helpers for the headless subcommands: argument scanning and exit codes.

#include <string>
#include <string_view>
#include <vector>

namespace spanwise::cli {

enum ExitCode { Success = 0, LoadFailed = 1, BadUsage = 2 };

struct Arguments {
    std::vector<std::string> positional;
    std::vector<std::string> flags; // "--json", ...
    std::string unknown;            // first option not in the accepted list, if any

    bool has(const std::string& flag) const;
};

// Text from a trace file made safe for a terminal: control characters (ANSI escape sequences
// among them) are shown as \xNN instead of being sent to the terminal; newlines are kept when asked.
std::string terminalSafe(std::string_view text, bool keepNewlines = false);

// Splits args into positional arguments and the accepted flags.
Arguments parseArguments(const std::vector<std::string>& args, const std::vector<std::string>& acceptedFlags);

} // namespace spanwise::cli
