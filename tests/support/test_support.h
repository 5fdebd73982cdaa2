#pragma once
// Helpers shared by the tests: fixture paths, gen_trace.py output, loading shortcuts.

#include <loader.h>

#include <QString>
#include <QStringList>

namespace spanwise::test {

// Absolute path of a file under tests/data.
QString dataPath(const QString& relative);

// A file made by scripts/gen_trace.py with these arguments, generated once and cached in the
// build tree. Fails the running test (and returns an empty string) when generation fails.
QString generatedTrace(const QString& format, int spans, const QStringList& extraArgs = {});

// Loads a file; fails the running test with the load errors unless allowErrors.
LoadResult load(const QString& path, bool allowErrors = false, const LoadOptions& options = {});
LoadResult loadText(std::string_view text, bool allowErrors = true, const LoadOptions& options = {});

// A program run to its end (two minutes at most): exit code and what it printed.
struct ProcessRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
ProcessRun runProgram(const QString& program, const QStringList& args);

// Spans of the dataset whose id is given, or nullptr.
const Span* findSpan(const Dataset& data, SpanId id);
// The value of a span's attribute, or an empty Value when absent.
Value attribute(const Dataset& data, const Span& span, std::string_view key);

} // namespace spanwise::test
