#include "command_line.h"

#include <algorithm>
#include <cstdio>

namespace spanwise::cli {

bool Arguments::has(const std::string& flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string terminalSafe(std::string_view text, bool keepNewlines)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        // C1 controls arrive in UTF-8 as C2 80..9F.
        const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((c < 0x20 && !(keepNewlines && c == '\n')) || c == 0x7F || c1) {
            const unsigned value = c1 ? static_cast<unsigned char>(text[++i]) : c;
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", value);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
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
