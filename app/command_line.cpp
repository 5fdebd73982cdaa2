#include "command_line.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace spanwise::cli {

int usageError(std::string_view command, std::string_view message, std::string_view usage)
{
    std::cerr << "spanwise " << command << ": " << message << '\n' << usage;
    return BadUsage;
}

int failure(std::string_view command, std::string_view message)
{
    std::cerr << "spanwise " << command << ": " << message << '\n';
    return LoadFailed;
}

bool Arguments::has(const std::string& flag) const
{
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::optional<std::string> Arguments::value(const std::string& option) const
{
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
        if (it->first == option)
            return it->second;
    }
    return std::nullopt;
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

Arguments parseArguments(const std::vector<std::string>& args, const std::vector<std::string>& acceptedFlags,
                         const std::vector<std::string>& valueOptions)
{
    auto accepted = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    Arguments result;
    bool onlyPositional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const std::size_t equals = arg.find('=');
        const std::string name = arg.substr(0, equals);
        if (onlyPositional || arg.size() < 2 || arg[0] != '-') {
            result.positional.push_back(arg);
        } else if (arg == "--") {
            onlyPositional = true;
        } else if (accepted(acceptedFlags, arg)) {
            result.flags.push_back(arg);
        } else if (accepted(valueOptions, name)) {
            if (equals != std::string::npos)
                result.values.emplace_back(name, arg.substr(equals + 1));
            else if (i + 1 < args.size())
                result.values.emplace_back(name, args[++i]);
            else if (result.missingValue.empty())
                result.missingValue = name;
        } else if (result.unknown.empty()) {
            result.unknown = arg;
        }
    }
    return result;
}

namespace {

bool continuesSequence(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

std::string padded(std::string text, std::size_t width, bool right)
{
    const auto chars = static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !continuesSequence(c); }));
    if (chars >= width)
        return text;
    const std::string fill(width - chars, ' ');
    return right ? fill + text : text + fill;
}

std::string truncated(std::string text, std::size_t width)
{
    std::size_t chars = 0;
    std::size_t cut = std::string::npos; // byte offset where the text is cut to leave room for "..."
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (continuesSequence(text[i]))
            continue;
        if (chars == width - std::min<std::size_t>(width, 3))
            cut = i;
        if (++chars > width)
            return text.substr(0, cut) + "...";
    }
    return text;
}

} // namespace spanwise::cli
