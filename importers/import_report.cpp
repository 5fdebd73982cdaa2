#include "import_report.h"

#include <algorithm>

namespace spanwise {

namespace {
constexpr std::size_t kMaxDiagnostics = 200; // a broken file must not flood memory or the screen
}

void ImportReport::add(Diagnostic::Severity severity, std::uint64_t offset, std::string message)
{
    // A cut-off JSON text is read from a copy closed after its end (json::closeTruncated): a
    // position in the brackets added there is the end of the input.
    if (!m_text.empty())
        offset = std::min<std::uint64_t>(offset, m_text.size());
    if (diagnostics.size() == kMaxDiagnostics) {
        diagnostics.push_back({Diagnostic::Severity::Warning, offset, 0, "further problems not listed"});
        return;
    }
    if (diagnostics.size() > kMaxDiagnostics) {
        if (severity == Diagnostic::Severity::Error)
            diagnostics.back().severity = severity;
        return;
    }
    const std::uint64_t line = m_text.empty() ? 0 : 1 + std::count(m_text.begin(), m_text.begin() + offset, '\n');
    diagnostics.push_back({severity, offset, line, std::move(message)});
}

void ImportReport::error(std::uint64_t offset, std::string message)
{
    add(Diagnostic::Severity::Error, offset, std::move(message));
}

void ImportReport::warning(std::uint64_t offset, std::string message)
{
    add(Diagnostic::Severity::Warning, offset, std::move(message));
}

void ImportReport::skipSpan(std::uint64_t offset, std::string message)
{
    ++skippedSpans;
    add(Diagnostic::Severity::Error, offset, "span skipped: " + std::move(message));
}

bool ImportReport::hasErrors() const
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

} // namespace spanwise
