#pragma once
// A big AWS X-Ray input read in parts on several threads: BatchGetTraces output cut between the
// elements of its Segments arrays (each element read as a document of its own), documents one per
// line cut at line starts, the daemon's form cut before header lines. Each part is read by a reader of its own; what it
// keeps outside its builder (spans added at the end, the services of its spans) joins the main reader as the part is
// appended, so the dataset and report are those of reading the input whole, on any number of threads.

#include "part_reader.h"
#include "xray_reader.h"

namespace spanwise::xray {

struct PartOptions {
    std::uint64_t partBytes = kPartBytes;                 // about this many bytes per part
    std::uint64_t minInputBytes = std::uint64_t(4) << 20; // smaller inputs are read whole
    std::size_t skeletonBlockBytes = 0;                   // JsonSkeleton's block size; 0: its own choice
};

// Reads an X-Ray input as xrayImporter() does, cutting it in parts as options say.
void read(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options);

// A BatchGetTraces document read in parts; false, leaving builder and report untouched, when the
// input is small, input.threads is 1, or anything is not as the parts can repeat exactly (a member the wrapper does not
// have, a trace or segment that is no object, broken JSON): the caller then reads it whole, which
// reports the problem precisely.
bool readBatchInParts(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options);

// Documents one per line, from begin (a line start) to the end of the input, read by reader into
// builder and report (the reader's), in parts when the input is big.
void readLinesInParts(Reader& reader, const Input& input, std::size_t begin, DatasetBuilder& builder,
                      ImportReport& report, const PartOptions& options);

// The daemon's form, header line, document, header line, document…, from the end of the first
// header line (firstLineEnd) on, read by reader into builder and report (the reader's), in parts
// cut before header lines when the input is big.
void readDaemonInParts(Reader& reader, const Input& input, std::size_t firstLineEnd, DatasetBuilder& builder,
                       ImportReport& report, const PartOptions& options);

} // namespace spanwise::xray
