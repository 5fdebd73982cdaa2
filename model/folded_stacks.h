#pragma once
// Merged call paths in the folded-stack format that flame-graph tools read (Brendan Gregg's
// flamegraph.pl, speedscope, inferno): `frame;frame;frame value` per line, root first, the value an
// integer of nanoseconds that the tools add up along each path to get a frame's width.

#include "call_tree.h"

#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace spanwise {

enum class FoldedWeight : std::uint8_t {
    Self,  // each path's self time: frames as wide as the time their subtree worked
    Total, // each path's total time minus its children's totals (at least 0): frames as wide as their
           // spans' durations, wider only where children together last longer (parallel calls)
};

// The lines of one or more merged trees: paths spelt the same (after `;` and line breaks in frame
// names became spaces) print once with their values summed; paths worth 0 are left out. The paths
// are kept as a tree of frames, so a million deep paths cost their output, not a string each.
class FoldedStacks {
public:
    FoldedStacks();

    void add(const CallTree& tree, FoldedWeight weight);

    // The lines, each ending in '\n', depth-first in the order the paths were first added.
    std::string text() const;
    // The same, written to a file; false when writing failed.
    bool write(std::FILE* out) const;

private:
    // Calls emit(line) with each line's text, in chunks of whole lines.
    template <typename Emit>
    void emitLines(Emit emit) const;

    CallPathMerger m_paths; // a node per distinct path, its label a frame of m_frames
    std::vector<TimeNs> m_values;
    std::vector<std::string> m_frames;
    std::unordered_map<std::string, std::uint32_t> m_frameIds;
};

// A frame's name as the format allows it: ';' separates frames and a line break ends the line.
std::string foldedFrame(std::string_view label);

} // namespace spanwise
