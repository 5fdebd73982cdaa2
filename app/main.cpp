#include "main_window.h"
#include "summary_command.h"

#include <QApplication>

#include <iostream>
#include <string>
#include <vector>

namespace {

void printUsage(std::ostream& out)
{
    out << "usage: spanwise [FILE...]                                   open the viewer\n"
           "       spanwise summary FILE... [--json] [--no-skew-adjust]  print what the files hold\n"
           "       spanwise --help | --version\n";
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
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

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Spanwise"));
    QApplication::setOrganizationName(QStringLiteral("Spanwise"));
    QApplication::setApplicationVersion(QStringLiteral(SPANWISE_VERSION));
    spanwise::MainWindow window;
    for (const QString& path : QApplication::arguments().mid(1)) {
        if (!path.startsWith(QLatin1Char('-')))
            window.openFile(path);
    }
    window.show();
    return QApplication::exec();
}
