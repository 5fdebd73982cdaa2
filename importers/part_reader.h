#pragma once
// Reading one input on several threads. The importer cuts the input into parts (byte ranges in
// input order); each part is read into a builder and a report of its own, and appended to the
// importer's builder and report in input order (DatasetBuilder::append), as soon as the parts
// before it are. The dataset is the same as one thread reading the parts one after another, and
// parts wait in memory only while an earlier part is still being read.

#include "importer.h"

#include <functional>
#include <span>
#include <vector>

namespace spanwise {

struct InputPart {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

// Reads part `index` into builder and report, calling report.advance(offset) with offsets within
// the part as usual (and never report.setText: the report appended to locates lines).
using ReadPart = std::function<void(std::size_t index, DatasetBuilder& builder, ImportReport& report)>;

// Called once part `index` is appended, in input order and one at a time: an importer that keeps
// what a part read outside its builder moves it along (see AppendedPart).
using PartAppended = std::function<void(std::size_t index, const AppendedPart& appended)>;

// Runs readPart for every part on up to input.threads threads, the calling one included, and
// appends the parts to builder and report. Progress goes to report.onPartProgress. Once every
// thread has stopped, throws ImportCancelled when progress said to stop, or the first exception a
// part threw; what was appended until then stays appended.
void readInParts(const Input& input, std::span<const InputPart> parts, DatasetBuilder& builder, ImportReport& report,
                 const ReadPart& readPart, const PartAppended& partAppended = {});

// Parts of about this size keep the threads evenly busy and the parts waiting to be appended small.
inline constexpr std::uint64_t kPartBytes = std::uint64_t(4) << 20;

// Cuts [begin, end) into parts of about partBytes. nextBoundary(offset) is the first offset at or
// after offset where a part may start (an element's or a line's start), or end.
std::vector<InputPart> cutIntoParts(std::uint64_t begin, std::uint64_t end, std::uint64_t partBytes,
                                    const std::function<std::uint64_t(std::uint64_t offset)>& nextBoundary);

} // namespace spanwise
