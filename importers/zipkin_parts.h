#pragma once
// A big Zipkin JSON array, of spans or of traces (arrays of spans), read in parts on several
// threads: the span objects are found with the JSON skeleton and each is read as a document of its
// own. The fragments of every part are assembled together at the end, as reading it whole does.

#include "part_reader.h"

namespace spanwise::zipkin {

struct PartOptions {
    std::size_t partBytes = kPartBytes;               // spans per part: about this many bytes
    std::size_t minInputBytes = std::size_t(4) << 20; // smaller inputs are read whole
    std::size_t skeletonBlockBytes = 0;               // JsonSkeleton's block size; 0: its own choice
};

// Reads the input in parts on input.threads threads (on one, span by span); the dataset and report
// are those of reading it whole, with less memory (no index of the whole document). False, leaving
// builder and report as they were, when the input is small, not one of those shapes, or a span
// object is not valid JSON: the caller then reads the input whole, which reports the problem.
bool readSpansInParts(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options);

// The input read as one document, as the importer reads what is not read in parts.
void readWhole(const Input& input, DatasetBuilder& builder, ImportReport& report);

} // namespace spanwise::zipkin
