#include "import_report.h"

#include <algorithm>

namespace spanwise {

namespace {
constexpr std::size_t kMaxDiagnostics = 200; // a broken file must not flood memory or the screen
}

void ImportReport::add(Diagnostic::Severity severity, std::uint64_t offset, std::string message)
{
    if (diagnostics.size() == kMaxDiagnostics) {
        diagnostics.push_back({Diagnostic::Severity::Warning, offset, 0, "further problems not listed"});
        return;
    }
    if (diagnostics.size() > kMaxDiagnostics) {
        if (severity == Diagnostic::Severity::Error)
            diagnostics.back().severity = severity;
        return;
    }
    std::uint64_t line = 0;
    if (!m_text.empty()) {
        const auto end = m_text.begin() + std::min<std::uint64_t>(offset, m_text.size());
        line = 1 + std::count(m_text.begin(), end, '\n');
    }
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
