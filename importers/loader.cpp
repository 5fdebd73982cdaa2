#include "loader.h"

#include "decompress.h"
#include "file_buffer.h"
#include "importer.h"
#include "utf8_repair.h"

#include <algorithm>
#include <optional>

namespace spanwise {

namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;
// Fewer bytes than any format spends on a typical span (ids, times, names and a few attributes),
// so reserving input size / this never falls short for real files.
constexpr std::size_t kSmallestSpanBytes = 150;

const Importer* pickImporter(std::string_view head)
{
    const Importer* best = nullptr;
    int bestScore = 0;
    for (const Importer* importer : allImporters()) {
        const int score = importer->sniff(head);
        if (score > bestScore) {
            best = importer;
            bestScore = score;
        }
    }
    return best;
}

std::string describeUnknown(std::string_view head)
{
    const auto firstNonBlank = head.find_first_not_of(" \t\r\n");
    if (firstNonBlank == std::string_view::npos)
        return "the file is empty";
    return "not a trace file: expected Jaeger, Zipkin, OpenTelemetry (OTLP), AWS X-Ray or Datadog JSON, or "
           "OTLP protobuf content, possibly gzip or zstd compressed";
}

// Bytes that vanished under the mapping read as zeros: say so, rather than blame the content.
void reportCut(LoadResult& result, const FileBuffer& buffer)
{
    if (const auto cut = buffer.cutAt())
        result.report.error(*cut, "the file shrank while it was being read: its bytes from offset " +
                                      std::to_string(*cut) + " on were gone; reading what came before");
}

// Offsets of what the importer reported are into the repaired copy: give them as the file's.
void noteRepair(LoadResult& result, const Utf8Repair& repair, std::size_t firstDiagnostic)
{
    for (std::size_t i = firstDiagnostic; i < result.report.diagnostics.size(); ++i)
        result.report.diagnostics[i].offset = repair.originalOffset(result.report.diagnostics[i].offset);
    const std::string note = std::to_string(repair.replaced()) +
                             " invalid UTF-8 sequence(s) in the file (the first at offset " +
                             std::to_string(repair.firstInvalidOffset()) + ") are shown as U+FFFD";
    result.report.warning(repair.firstInvalidOffset(), note);
    for (Trace& trace : result.dataset.traces)
        trace.warnings.push_back(note);
}

void load(LoadResult& result, FileBuffer& buffer, const LoadOptions& options)
{
    const Compression compression = detectCompression(buffer.input().text());
    if (compression != Compression::None) {
        result.compression = toString(compression);
        const std::uint64_t compressedSize = buffer.input().size;
        const std::uint64_t cap = std::min<std::uint64_t>(
            options.decompression.maxBytes,
            std::max<std::uint64_t>(compressedSize * options.decompression.ratio, 1 << 20));
        FileBuffer plain;
        const DecompressResult d = decompress(buffer.input(), compression, cap, plain);
        reportCut(result, buffer);
        buffer = std::move(plain);
        if (!d.ok)
            result.report.error(buffer.input().size, result.compression + " data unreadable at compressed byte " +
                                                         std::to_string(d.errorOffset) + ": " + d.error +
                                                         "; reading what was decompressed before it");
    }
    const std::string_view head = buffer.input().text().substr(0, kSniffBytes);
    const Importer* importer = pickImporter(head);
    if (!importer) {
        if (compression == Compression::None || !result.report.hasErrors()) {
            result.notTrace = true;
            result.report.error(0, describeUnknown(head));
        }
        return;
    }
    result.format = importer->format;
    std::optional<Utf8Repair> repair;
    if (importer->text && !isValidUtf8(buffer.input().text())) {
        reportCut(result, buffer);
        FileBuffer repaired;
        repair.emplace(buffer.input().text(), repaired);
        if (!repair->ok()) {
            result.report.error(0, "out of memory replacing invalid UTF-8");
            return;
        }
        buffer = std::move(repaired);
    }
    Input input = buffer.input();
    input.threads = std::max(options.build.threads, 1u);
    DatasetBuilder builder;
    builder.reserve(input.size / kSmallestSpanBytes);
    result.report.onProgress = [&](std::uint64_t offset) {
        buffer.releaseBefore(offset);
        return !options.progress || options.progress(offset, input.size);
    };
    result.report.onPartProgress = [&](std::uint64_t begin, std::uint64_t end, std::uint64_t done) {
        buffer.releaseRange(begin, end);
        return !options.progress || options.progress(done, input.size);
    };
    const std::size_t diagnosticsBefore = result.report.diagnostics.size();
    try {
        importer->read(input, builder, result.report);
    } catch (const ImportCancelled&) {
        result.cancelled = true;
    }
    result.report.onProgress = nullptr;
    result.report.onPartProgress = nullptr;
    reportCut(result, buffer);
    if (result.cancelled)
        return;
    result.report.setText({});
    buffer = FileBuffer(); // the model holds copies of what it needs: free the input first
    BuildOptions build = options.build;
    if (options.progress) {
        // Everything is read; building the traces can still be called off.
        build.cancelled = [&result, &options, size = input.size] {
            result.cancelled = result.cancelled || !options.progress(size, size);
            return result.cancelled;
        };
    }
    result.dataset = builder.finish(build);
    if (result.cancelled)
        return;
    if (repair)
        noteRepair(result, *repair, diagnosticsBefore);
}

} // namespace

std::string LoadResult::errorText() const
{
    std::string text;
    for (const Diagnostic& d : report.diagnostics) {
        if (d.severity != Diagnostic::Severity::Error)
            continue;
        text += path;
        if (!compression.empty())
            text += " (" + compression + ", offsets in the decompressed content)";
        text += ": offset " + std::to_string(d.offset);
        if (d.line)
            text += " (line " + std::to_string(d.line) + ", column " + std::to_string(d.column) + ")";
        text += ": " + d.message + "\n";
    }
    if (report.skippedSpans)
        text += path + ": " + std::to_string(report.skippedSpans) + " span(s) skipped in all\n";
    return text;
}

LoadResult loadFile(const std::string& path, const LoadOptions& options)
{
    LoadResult result;
    result.path = path;
    FileBuffer buffer;
    std::string error;
    if (!buffer.map(path, error)) {
        result.report.error(0, "cannot open: " + error);
        return result;
    }
    load(result, buffer, options);
    return result;
}

LoadResult loadBytes(std::string_view bytes, const std::string& name, const LoadOptions& options)
{
    LoadResult result;
    result.path = name;
    FileBuffer buffer;
    if (!buffer.resizeHeap(bytes.size())) {
        result.report.error(0, "out of memory");
        return result;
    }
    std::copy(bytes.begin(), bytes.end(), buffer.writableData());
    load(result, buffer, options);
    return result;
}

} // namespace spanwise
