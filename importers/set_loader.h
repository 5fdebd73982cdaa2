#pragma once
// Many trace files read as one set: folders searched for files, the files loaded in parallel with one
// progress and one cancel, and a file that fails kept with its error beside the ones that loaded.

#include "loader.h"

#include <trace_set.h>

#include <string>
#include <vector>

namespace spanwise {

// A file to load, as found from the paths given.
struct SetEntry {
    std::string path;
    std::uint64_t size = 0; // bytes on disk, 0 when unknown
    bool inFolder = false;  // found by searching a folder: content that is not a trace is skipped, not an error
    std::string error = {}; // the path cannot be loaded at all (it does not exist, a folder is unreadable)
};

// The paths with each folder replaced by the regular files under it, searched recursively, each
// folder's entries in natural order (file2 before file10); hidden files and folders, symbolic links
// to folders and Spanwise's annotation files (*.spanwise.json) found in a folder are left out. A file
// reached twice is kept the first time.
std::vector<SetEntry> expandPaths(const std::vector<std::string>& paths);

struct SetLoadOptions {
    // For every file. progress is over the whole set (bytes of every file, compressed files counted by
    // their size on disk), called from the loading threads one at a time, the bytes done never going
    // back; returning false cancels the set.
    LoadOptions load = {};
    unsigned threads = 0; // files loaded at once; 0: one per core
};

// The files in the order given, each with what could be read and its errors (LoadResult::errorText,
// one line each). When the progress callback cancels, the set is empty.
TraceSet loadSetEntries(const std::vector<SetEntry>& entries, const SetLoadOptions& options = {});
// expandPaths, then loadSetEntries.
TraceSet loadTraceSet(const std::vector<std::string>& paths, const SetLoadOptions& options = {});

} // namespace spanwise
