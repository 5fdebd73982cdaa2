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
        diagnostics.push_back({Diagnostic::Severity::Warning, offset, 0, 0, "further problems not listed"});
        return;
    }
    if (diagnostics.size() > kMaxDiagnostics) {
        if (severity == Diagnostic::Severity::Error)
            diagnostics.back().severity = severity;
        return;
    }
    Diagnostic& d = diagnostics.emplace_back(Diagnostic{severity, offset, 0, 0, std::move(message)});
    locate(d);
}

void ImportReport::locate(Diagnostic& d)
{
    if (m_text.empty())
        return;
    // Problems mostly come in file order: count on from the previous one instead of from the start.
    if (d.offset < m_countedTo)
        m_countedTo = m_linesBefore = m_lineStart = 0;
    const std::string_view part = m_text.substr(m_countedTo, d.offset - m_countedTo);
    m_linesBefore += std::count(part.begin(), part.end(), '\n');
    if (const std::size_t newline = part.rfind('\n'); newline != std::string_view::npos)
        m_lineStart = m_countedTo + newline + 1;
    m_countedTo = d.offset;
    d.line = 1 + m_linesBefore;
    d.column = 1 + d.offset - m_lineStart;
}

void ImportReport::error(std::uint64_t offset, std::string message)
{
    ++inputErrors;
    add(Diagnostic::Severity::Error, offset, std::move(message));
}

void ImportReport::append(ImportReport&& part)
{
    skippedSpans += part.skippedSpans;
    inputErrors += part.inputErrors;
    for (std::size_t i = 0; i < part.diagnostics.size(); ++i) {
        Diagnostic& d = part.diagnostics[i];
        // The part's note for its problems past the limit comes with its own first one: when it is
        // also this report's first beyond the limit, it is the note, severity and all.
        const bool noteForNote = i == kMaxDiagnostics && diagnostics.size() == kMaxDiagnostics;
        add(d.severity, d.offset, std::move(d.message));
        if (noteForNote)
            diagnostics.back().severity = d.severity;
        if (d.skippedSpan && diagnostics.size() <= kMaxDiagnostics)
            diagnostics.back().skippedSpan = true;
    }
    part.diagnostics.clear();
}

void ImportReport::warning(std::uint64_t offset, std::string message)
{
    add(Diagnostic::Severity::Warning, offset, std::move(message));
}

void ImportReport::skipSpan(std::uint64_t offset, std::string message)
{
    ++skippedSpans;
    add(Diagnostic::Severity::Error, offset, "span skipped: " + std::move(message));
    if (diagnostics.size() <= kMaxDiagnostics)
        diagnostics.back().skippedSpan = true;
}

bool ImportReport::hasErrors() const
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

} // namespace spanwise
