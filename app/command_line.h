#pragma once
// Small helpers for the headless subcommands: argument scanning, exit codes and terminal-safe text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanwise::cli {

enum ExitCode { Success = 0, LoadFailed = 1, BadUsage = 2 };

// "spanwise COMMAND: message" on stderr, then the command's usage; the bad-usage exit status.
int usageError(std::string_view command, std::string_view message, std::string_view usage);
// "spanwise COMMAND: message" on stderr; the failure exit status.
int failure(std::string_view command, std::string_view message);

struct Arguments {
    std::vector<std::string> positional;
    std::vector<std::string> flags;                          // "--json", ...
    std::vector<std::pair<std::string, std::string>> values; // ("--width", "1200"), ...
    std::string unknown;                                     // first option not in the accepted list, if any
    std::string missingValue;                                // first option given without its value, if any

    bool has(const std::string& flag) const;
    // The last value given to an option ("--width 1200" or "--width=1200"), if any.
    std::optional<std::string> value(const std::string& option) const;
};

// Text from a trace file made safe for a terminal: control characters (ANSI escape sequences
// among them) are shown as \xNN instead of being sent to the terminal; newlines are kept when asked.
std::string terminalSafe(std::string_view text, bool keepNewlines = false);

// Splits args into positional arguments, the accepted flags and the accepted options that take a value.
Arguments parseArguments(const std::vector<std::string>& args, const std::vector<std::string>& acceptedFlags,
                         const std::vector<std::string>& valueOptions = {});

// Pads to a width in characters, not bytes ("µs" is two bytes in UTF-8).
std::string padded(std::string text, std::size_t width, bool right);
// Cut to at most `width` characters, "..." in place of the rest, never inside a UTF-8 sequence.
std::string truncated(std::string text, std::size_t width);

} // namespace spanwise::cli
