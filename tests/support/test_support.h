#pragma once
// Helpers shared by the tests: fixture paths, gen_trace.py output, loading shortcuts, a small
// hand-made trace, child processes and lookups into a load result.

#include <loader.h>

#include <QString>
#include <QStringList>

#include <memory>

namespace spanwise::test {

// Absolute path of a file under tests/data.
QString dataPath(const QString& relative);

// A file made by scripts/gen_trace.py with these arguments, generated once and cached in the
// build tree. Fails the running test (and returns an empty string) when generation fails.
QString generatedTrace(const QString& format, int spans, const QStringList& extraArgs = {});

// The bytes of a file; stops the test program when it cannot be read (a fixture is missing).
QByteArray readFile(const QString& path);
// Writes a file whole; false when it could not (QVERIFY it).
bool writeFile(const QString& path, const QByteArray& bytes);

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
// The spanwise executable run so (a test target that calls it depends on the spanwise target).
ProcessRun runSpanwise(const QStringList& args);

// The example trace the project bundles, resources/examples/checkout.json.
QString exampleTrace();
// Its generator, resources/examples/make_checkout.py, run with `args`.
ProcessRun runExampleScript(const QStringList& args);

// The first diagnostic whose message contains part, or nullptr.
const Diagnostic* findDiagnostic(const ImportReport& report, const QString& part);
// Loads bad input and checks it was read as `format`, with an error mentioning `expected`, keeping
// `spans` spans; fails the running test otherwise.
void verifyBadInput(const QString& text, const char* format, const QString& expected, int spans);

// Spans of the dataset whose id is given, or nullptr.
const Span* findSpan(const Dataset& data, SpanId id);
// The value of a span's attribute, or an empty Value when absent.
Value attribute(const Dataset& data, const Span& span, std::string_view key);
// The text of a string value; empty for a value of any other type.
std::string stringOf(const Dataset& data, const Value& value);
// A JSON string literal holding text (quotes and backslashes escaped): a document inside a string,
// as X-Ray and Datadog files carry them.
std::string quotedJson(const std::string& text);

// root(0..1000 µs) → a(100..400) → a1(150..200); root → b(500..900): span ids 1..4 of trace 0x42,
// services frontend, cart, db and payment; db's span an error when asked.
std::shared_ptr<const Dataset> smallTrace(bool error = false);
// One trace of 1 + calls × (1 + leaves) spans: a root, `calls` spans under it (7 operation names)
// and `leaves` spans under each call (13 names); quick to build at any size.
std::shared_ptr<const Dataset> wideTrace(int calls, int leaves);

} // namespace spanwise::test
