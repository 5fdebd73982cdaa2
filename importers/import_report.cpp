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
    diagnostics.push_back({severity, offset, lineAt(offset), std::move(message)});
}

std::uint64_t ImportReport::lineAt(std::uint64_t offset)
{
    if (m_text.empty())
        return 0;
    // Problems mostly come in file order: count on from the previous one instead of from the start.
    if (offset < m_countedTo) {
        m_countedTo = 0;
        m_linesBefore = 0;
    }
    m_linesBefore += std::count(m_text.begin() + m_countedTo, m_text.begin() + offset, '\n');
    m_countedTo = offset;
    return 1 + m_linesBefore;
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
