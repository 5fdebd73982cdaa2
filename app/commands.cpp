#include "commands.h"

#include "diff_command.h"
#include "export_command.h"
#include "folded_command.h"
#include "record_command.h"
#include "stats_command.h"
#include "summary_command.h"

#include <array>

namespace spanwise {

namespace {

Command::Needs nothing(const std::vector<std::string>&)
{
    return Command::Needs::Nothing;
}

Command::Needs drawing(const std::vector<std::string>&)
{
    return Command::Needs::Drawing;
}

Command::Needs diffNeeds(const std::vector<std::string>& args)
{
    return diffDraws(args) ? Command::Needs::Drawing : Command::Needs::Nothing;
}

const std::array<Command, 6> kCommands = {{
    {"summary", runSummaryCommand, nothing},
    {"diff", runDiffCommand, diffNeeds},
    {"export", runExportCommand, drawing},
    {"folded", runFoldedCommand, nothing},
    {"stats", runStatsCommand, nothing},
    {"record", runRecordCommand, nothing},
}};

} // namespace

const Command* findCommand(std::string_view name)
{
    for (const Command& command : kCommands) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

} // namespace spanwise
