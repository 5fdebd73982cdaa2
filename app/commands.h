#pragma once
// The headless subcommands (`spanwise summary|diff|export|folded|stats|record ...`): each says how it runs and whether,
// given its arguments, it draws a picture (and so needs a GUI application without a display).

#include <string>
#include <string_view>
#include <vector>

namespace spanwise {

struct Command {
    std::string_view name;
    int (*run)(const std::vector<std::string>& args);
    // What the application must provide before run().
    enum class Needs { Nothing, Drawing };
    Needs (*needs)(const std::vector<std::string>& args);
};

// The command named by the first argument, or nullptr.
const Command* findCommand(std::string_view name);

} // namespace spanwise
