#include "folded_stacks.h"

#include <algorithm>

namespace spanwise {

std::string foldedFrame(std::string_view label)
{
    std::string frame(label);
    std::replace_if(
        frame.begin(), frame.end(), [](char c) { return c == ';' || c == '\n' || c == '\r'; }, ' ');
    return frame;
}

void FoldedStacks::add(const CallTree& tree, FoldedWeight weight)
{
    std::vector<TimeNs> childrenTotal;
    if (weight == FoldedWeight::Total) {
        childrenTotal.assign(tree.nodes.size(), 0);
        for (const CallTreeNode& n : tree.nodes) {
            if (n.parent != kNoIndex)
                childrenTotal[n.parent] = saturatingAdd(childrenTotal[n.parent], n.totalNanos);
        }
    }
    // Depth-first: the path of a node is its parent's, which was built just before its subtree.
    std::string path;
    std::vector<std::size_t> pathLength(tree.nodes.size()); // of each node's path
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const CallTreeNode& node = tree.nodes[n];
        path.resize(node.parent == kNoIndex ? 0 : pathLength[node.parent]);
        if (node.parent != kNoIndex)
            path += ';';
        path += foldedFrame(tree.labelOf(n));
        pathLength[n] = path.size();
        const TimeNs value = weight == FoldedWeight::Self ? node.selfNanos
                                                          : std::max<TimeNs>(0, node.totalNanos - childrenTotal[n]);
        const auto [it, added] = m_lineOfPath.try_emplace(path, m_lines.size());
        if (added)
            m_lines.push_back({path, 0});
        m_lines[it->second].value = saturatingAdd(m_lines[it->second].value, value);
    }
}

std::vector<FoldedStacks::Line> FoldedStacks::lines() const
{
    std::vector<Line> result;
    std::copy_if(m_lines.begin(), m_lines.end(), std::back_inserter(result), [](const Line& l) { return l.value > 0; });
    return result;
}

std::string FoldedStacks::text() const
{
    std::string text;
    for (const Line& line : m_lines) {
        if (line.value <= 0)
            continue;
        text += line.path;
        text += ' ';
        text += std::to_string(line.value);
        text += '\n';
    }
    return text;
}

} // namespace spanwise
