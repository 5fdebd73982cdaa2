#pragma once
// Transparent gzip and zstd, recognised by their magic bytes, with a cap on the output so a
// small crafted file cannot inflate to gigabytes.

#include "file_buffer.h"

#include <string>

namespace spanwise {

enum class Compression { None, Gzip, Zstd };

Compression detectCompression(std::string_view head);
const char* toString(Compression compression);

struct DecompressResult {
    bool ok = false;
    std::uint64_t errorOffset = 0; // in the compressed input
    std::string error;
};

// Decompresses all of input (concatenated gzip members or zstd frames) into out.
DecompressResult decompress(const Input& input, Compression compression, std::uint64_t maxOutput, FileBuffer& out);

} // namespace spanwise
