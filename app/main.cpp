#include "summary_command.h"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

void printUsage(std::ostream& out)
{
    out << "usage: spanwise [FILE...]\n"
           "       spanwise summary FILE... [--json] [--no-skew-adjust]\n"
           "       spanwise --help | --version\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        printUsage(std::cout);
        return 0;
    }
    if (!args.empty() && args[0] == "--version") {
        std::cout << "spanwise " SPANWISE_VERSION "\n";
        return 0;
    }
    if (!args.empty() && args[0] == "summary")
        return spanwise::runSummaryCommand({args.begin() + 1, args.end()});
    // The viewer window is not built yet: until it is, opening files shows their summary.
    if (args.empty()) {
        printUsage(std::cerr);
        return 2;
    }
    return spanwise::runSummaryCommand(args);
}
