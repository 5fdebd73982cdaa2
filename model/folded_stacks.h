#pragma once
// Merged call paths in the folded-stack format that flame-graph tools read (Brendan Gregg's
// flamegraph.pl, speedscope, inferno): `frame;frame;frame value` per line, root first, the value an
// integer of nanoseconds that the tools add up along each path to get a frame's width.

#include "call_tree.h"

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
// names became spaces) print once with their values summed; paths worth 0 are left out.
class FoldedStacks {
public:
    void add(const CallTree& tree, FoldedWeight weight);

    struct Line {
        std::string path; // frames joined by ';'
        TimeNs value = 0;
    };
    // In the order the paths were first added (depth-first, left heavy), those worth 0 left out.
    std::vector<Line> lines() const;
    // The lines, each ending in '\n'.
    std::string text() const;

private:
    std::vector<Line> m_lines;
    std::unordered_map<std::string, std::size_t> m_lineOfPath;
};

// A frame's name as the format allows it: ';' separates frames and a line break ends the line.
std::string foldedFrame(std::string_view label);

} // namespace spanwise
