#pragma once
// One importer per trace format. The loader picks one by sniffing the first bytes of the
// (decompressed) content, never by file name.

#include "import_report.h"

#include <dataset_builder.h>

#include <span>
#include <string_view>

namespace spanwise {

// The bytes to read. At least kInputPadding readable bytes follow data[size - 1] (zeros),
// as simdjson requires.
struct Input {
    const char* data = nullptr;
    std::size_t size = 0;
    unsigned threads = 1; // how many threads may read it at once (see readInParts)
    std::string_view text() const { return {data, size}; }
};
inline constexpr std::size_t kInputPadding = 64;

struct Importer {
    const char* format; // "jaeger", "zipkin", "otlp-json", "otlp-proto", "xray", "datadog"
    // How sure the importer is that head (the first few KiB) is its format: 0 = not at all.
    int (*sniff)(std::string_view head);
    void (*read)(const Input& input, DatasetBuilder& builder, ImportReport& report);
    bool text = true; // the format is UTF-8 text (JSON): invalid sequences are replaced before reading
};

const Importer& jaegerImporter();
const Importer& zipkinImporter();
const Importer& otlpJsonImporter();
const Importer& otlpProtoImporter();
const Importer& xrayImporter();
const Importer& datadogImporter();

// Every importer, in the order ties are broken.
std::span<const Importer* const> allImporters();

} // namespace spanwise
