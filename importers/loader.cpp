#include "loader.h"

#include "decompress.h"
#include "file_buffer.h"
#include "importer.h"

#include <algorithm>

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
    return "not a trace file: expected Jaeger, Zipkin or OpenTelemetry (OTLP) JSON or OTLP protobuf "
           "content, possibly gzip or zstd compressed";
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
        buffer = std::move(plain);
        if (!d.ok)
            result.report.error(buffer.input().size, result.compression + " data unreadable at compressed byte " +
                                                         std::to_string(d.errorOffset) + ": " + d.error +
                                                         "; reading what was decompressed before it");
    }
    const Input input = buffer.input();
    const std::string_view head = input.text().substr(0, kSniffBytes);
    const Importer* importer = pickImporter(head);
    if (!importer) {
        if (compression == Compression::None || !result.report.hasErrors())
            result.report.error(0, describeUnknown(head));
        return;
    }
    result.format = importer->format;
    DatasetBuilder builder;
    builder.reserve(input.size / kSmallestSpanBytes);
    result.report.onProgress = [&](std::uint64_t offset) {
        buffer.releaseBefore(offset);
        return !options.progress || options.progress(offset, input.size);
    };
    try {
        importer->read(input, builder, result.report);
    } catch (const ImportCancelled&) {
        result.cancelled = true;
    }
    result.report.onProgress = nullptr;
    if (result.cancelled)
        return;
    result.report.setText({});
    buffer = FileBuffer(); // the model holds copies of what it needs: free the input first
    result.dataset = builder.finish(options.build);
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
            text += " (line " + std::to_string(d.line) + ")";
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
