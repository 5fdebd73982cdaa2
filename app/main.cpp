#include "commands.h"
#include "main_window.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QTemporaryDir>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

void printUsage(std::ostream& out)
{
    out << "usage: spanwise [FILE|DIR|URL...]                           open the viewer (several files or a\n"
           "                                                            folder: their traces as one list; URL: a\n"
           "                                                            trace on a Jaeger, Tempo or Zipkin server)\n"
           "       spanwise --compare A B                               compare two traces in the viewer\n"
           "       spanwise summary FILE... [--json] [--no-skew-adjust]\n"
           "                                                            print what the files hold\n"
           "       spanwise diff A B [--a-trace ID] [--b-trace ID] [--json] [--no-skew-adjust]\n"
           "                         [-o OUT.png|OUT.svg|OUT.pdf]      print (and draw) what changed from A to B\n"
           "       spanwise export FILE -o OUT.png|OUT.svg|OUT.pdf [options]\n"
           "                                                            draw a trace as an image\n"
           "       spanwise folded FILE [--trace ID] [--weight self|total]\n"
           "                                                            print merged call paths for flame-graph tools\n"
           "       spanwise stats FILE|DIR... [--group root|service|operation] [--json]\n"
           "                                                            print durations across traces, grouped\n"
           "       spanwise record -o OUT.otlp.pb|OUT.otlp.jsonl [--otlp-grpc ADDR] [--otlp-http ADDR]\n"
           "                       [--zipkin ADDR] [--idle SECONDS] [--max-spans N]\n"
           "                                                            receive spans from running applications\n"
           "       spanwise --help | --version\n"
           "Each subcommand explains its options with --help (spanwise summary --help, ...).\n";
}

} // namespace

int main(int argc, char** argv)
{
#ifdef SPANWISE_IMPORTERS_NEED_AVX2
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2")) {
        std::cerr << "spanwise: this build needs an x86-64 CPU with AVX2 and BMI2 (2013 or later); "
                     "rebuild with -DSPANWISE_IMPORTERS_AVX2=OFF for older CPUs\n";
        return 1;
    }
#endif
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        printUsage(std::cout);
        return 0;
    }
    if (!args.empty() && args[0] == "--version") {
        std::cout << "spanwise " SPANWISE_VERSION "\n";
        return 0;
    }
    if (const spanwise::Command* command = args.empty() ? nullptr : spanwise::findCommand(args[0])) {
        const std::vector<std::string> commandArgs(args.begin() + 1, args.end());
        const spanwise::Command::Needs needs = command->needs(commandArgs);
        // Drawing happens without a display: the offscreen platform, unless the caller chose one.
        int qtArgc = 1;                          // the command's options are not Qt's
        std::optional<QTemporaryDir> runtimeDir; // outlives the application
        std::optional<QGuiApplication> drawing;
        if (needs == spanwise::Command::Needs::Drawing) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            // Without a session (cron, CI, ssh) Qt warns that XDG_RUNTIME_DIR is not set; a private one
            // (0700, removed on exit) keeps a successful command silent.
            if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
                runtimeDir.emplace();
                if (runtimeDir->isValid())
                    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtimeDir->path()));
            }
            drawing.emplace(qtArgc, argv);
        }
        return command->run(commandArgs);
    }
    // A word such as "summry" is a mistyped command, not a file to open.
    if (!args.empty() && !args[0].starts_with('-') && args[0].find_first_of("/.:") == std::string::npos &&
        !QFileInfo::exists(QString::fromLocal8Bit(args[0]))) {
        std::cerr << "spanwise: unknown command or file '" << args[0] << "'\n";
        printUsage(std::cerr);
        return 2;
    }
    const bool compare = !args.empty() && args[0] == "--compare";
    if (compare && args.size() != 3) {
        std::cerr << "spanwise --compare needs two files\n";
        printUsage(std::cerr);
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Spanwise"));
    QApplication::setOrganizationName(QStringLiteral("Spanwise"));
    QApplication::setApplicationVersion(QStringLiteral(SPANWISE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("spanwise"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/spanwise.svg")));
    spanwise::MainWindow window;
    if (compare) {
        window.compareFiles(QString::fromLocal8Bit(args[1]), QString::fromLocal8Bit(args[2]));
    } else {
        QStringList paths = QApplication::arguments().mid(1);
        paths.removeIf([](const QString& path) { return path.startsWith(QLatin1Char('-')); });
        window.openPaths(paths);
    }
    window.show();
    return QApplication::exec();
}
