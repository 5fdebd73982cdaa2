#pragma once
// Traces read from one or more files, looked at as one set: the trace list, its scatter plot and the
// statistics across traces all work on a set. Each file keeps its own dataset (annotations and
// reloading stay per file); a trace of the set is named by its file and its index there.

#include "dataset.h"

#include <memory>
#include <string>
#include <vector>

namespace spanwise {

struct TraceSetFile {
    std::string path = {};
    std::string format = {};                // the importer's format, empty when none was recognised
    std::shared_ptr<const Dataset> dataset; // never null: empty when nothing could be read
    std::string error = {};                 // what went wrong reading it (one line each), empty when nothing
    bool skipped = false;                   // not a trace file (found in a folder): listed, not an error
};

struct TraceRef {
    std::uint32_t file = 0;  // index in TraceSet::files
    std::uint32_t trace = 0; // index in that file's Dataset::traces

    auto operator<=>(const TraceRef&) const = default;
};

struct TraceSet {
    std::vector<TraceSetFile> files;
    std::vector<TraceRef> traces; // every trace of every file: files in order, each file's traces in order

    // A set of one file's traces.
    static TraceSet ofDataset(std::shared_ptr<const Dataset> data, std::string path = {});
    // Appends the file and its traces.
    void add(TraceSetFile file);

    const Dataset& dataset(TraceRef ref) const { return *files[ref.file].dataset; }
    const Trace& trace(TraceRef ref) const { return files[ref.file].dataset->traces[ref.trace]; }
    std::size_t spanCount() const;
    // Files that could not be read, wholly or in part (skipped files are not counted).
    std::size_t failedFileCount() const;
    // Each file's path from the deepest folder holding them all ("a.json", "sub/b.json"): short, and
    // still telling apart files of the same name in different folders.
    std::vector<std::string> shortNames() const;
};

} // namespace spanwise
