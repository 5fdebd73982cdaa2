#include "payload_import.h"

#include <file_buffer.h>
#include <importer.h>
#include <utf8_repair.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace spanwise {

namespace {

const Importer* importerFor(std::string_view format)
{
    for (const Importer* importer : allImporters())
        if (format == importer->format)
            return importer;
    return nullptr;
}

std::string describe(const Diagnostic& d)
{
    std::string text = "offset " + std::to_string(d.offset);
    if (d.line)
        text += " (line " + std::to_string(d.line) + ", column " + std::to_string(d.column) + ")";
    return text + ": " + d.message;
}

} // namespace

PayloadOutcome importPayload(const ReceivedPayload& payload, DatasetBuilder& builder, ImportReport& report)
{
    PayloadOutcome outcome;
    const Importer* importer = importerFor(payload.format);
    if (!importer) {
        outcome.error = "no importer reads the format \"" + payload.format + "\"";
        return outcome;
    }
    FileBuffer buffer; // the importers read a few bytes past the end: the buffer pads them
    if (!buffer.resizeHeap(payload.bytes.size())) {
        outcome.error = "out of memory";
        return outcome;
    }
    std::copy(payload.bytes.begin(), payload.bytes.end(), buffer.writableData());
    std::optional<Utf8Repair> repair;
    if (importer->text && !isValidUtf8(buffer.input().text())) {
        FileBuffer repaired;
        repair.emplace(buffer.input().text(), repaired);
        if (!repair->ok()) {
            outcome.error = "out of memory replacing invalid UTF-8";
            return outcome;
        }
        buffer = std::move(repaired);
    }

    const std::size_t spansBefore = builder.spanCount();
    const std::size_t diagnosticsBefore = report.diagnostics.size();
    const std::uint64_t skippedBefore = report.skippedSpans;
    const std::uint64_t errorsBefore = report.inputErrors;
    importer->read(buffer.input(), builder, report);
    report.setText({});

    if (repair) {
        for (std::size_t i = diagnosticsBefore; i < report.diagnostics.size(); ++i)
            report.diagnostics[i].offset = repair->originalOffset(report.diagnostics[i].offset);
        report.warning(repair->firstInvalidOffset(),
                       std::to_string(repair->replaced()) + " invalid UTF-8 sequence(s) replaced by U+FFFD");
    }

    const auto diagnostics = std::span(report.diagnostics).subspan(diagnosticsBefore);
    const auto firstOf = [&](Diagnostic::Severity severity) {
        return std::find_if(diagnostics.begin(), diagnostics.end(),
                            [&](const Diagnostic& d) { return d.severity == severity; });
    };
    if (report.inputErrors != errorsBefore) {
        const auto it = std::find_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::Error && !d.skippedSpan;
        });
        outcome.error = it != diagnostics.end() ? describe(*it) : "the body is not readable";
        outcome.rejectedSpans = builder.spanCount() - spansBefore + report.skippedSpans - skippedBefore;
        return outcome;
    }
    outcome.acceptedSpans = builder.spanCount() - spansBefore;
    outcome.rejectedSpans = report.skippedSpans - skippedBefore;
    if (const auto error = firstOf(Diagnostic::Severity::Error); error != diagnostics.end())
        outcome.warning = describe(*error);
    else if (const auto warning = firstOf(Diagnostic::Severity::Warning); warning != diagnostics.end())
        outcome.warning = describe(*warning);
    return outcome;
}

} // namespace spanwise
