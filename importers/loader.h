#pragma once
// The front door: read a file (mapped, decompressed when gzip or zstd), find its format from the
// content, import it and build the dataset.

#include "import_report.h"

#include <dataset_builder.h>

#include <functional>
#include <string>

namespace spanwise {

struct DecompressionLimits {
    // Decompressed output may be at most ratio × the compressed size and at most maxBytes.
    std::uint64_t ratio = 200;
    std::uint64_t maxBytes = std::uint64_t(8) << 30;
};

struct LoadOptions {
    BuildOptions build;
    DecompressionLimits decompression;
    // Progress as (bytes read, total bytes); returning false cancels the load.
    std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
};

struct LoadResult {
    std::string path;
    std::string format;      // Importer::format ("jaeger", "zipkin", ..., "datadog"); empty when unknown
    std::string compression; // "gzip", "zstd" or empty
    bool cancelled = false;  // the progress callback stopped the load: the dataset is empty
    bool notTrace = false;   // the content is in no format the loader knows (or the file is empty)
    ImportReport report;
    Dataset dataset;

    // False when anything was lost: the file could not be read, or spans or parts were skipped.
    bool complete() const { return !format.empty() && !cancelled && !report.hasErrors(); }
    // One line per error: "path: offset N (line L): message".
    std::string errorText() const;
};

LoadResult loadFile(const std::string& path, const LoadOptions& options = {});
// The same for bytes already in memory; name is used in messages.
LoadResult loadBytes(std::string_view bytes, const std::string& name, const LoadOptions& options = {});

} // namespace spanwise
