#pragma once
// A big Jaeger JSON document read in parts on several threads: its shallow structure is found in
// parallel (JsonSkeleton), the trace objects are read without their spans, and the spans are cut into
// parts of a few megabytes, each span element parsed as a document of its own.

#include "importer.h"

namespace spanwise::jaeger {

struct PartOptions {
    std::size_t partBytes = std::size_t(4) << 20;     // spans per part: about this many bytes
    std::size_t minInputBytes = std::size_t(8) << 20; // smaller inputs are read whole
    std::size_t skeletonBlockBytes = 0;               // JsonSkeleton's block size; 0: its own choice
};

// Reads the input in parts on input.threads threads; the dataset and report are those of reading
// it whole. Even on one thread it needs half the memory of the whole reading (simdjson's index of a
// whole document takes about 4 bytes per structural character) and less time. False, leaving builder
// and report as they were, when the input is small or anything at all is not as the parts can repeat exactly (a span
// that fails to read, a shape of document they do not cut, broken JSON): the caller then reads the input whole, which
// reports the problem precisely.
bool readSpansInParts(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options);

} // namespace spanwise::jaeger
