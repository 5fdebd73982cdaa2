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

FoldedStacks::FoldedStacks() : m_paths(1024) {}

void FoldedStacks::add(const CallTree& tree, FoldedWeight weight)
{
    std::vector<std::uint32_t> frameOfLabel(tree.labels.size());
    for (std::size_t l = 0; l < tree.labels.size(); ++l) {
        const auto [it, added] = m_frameIds.try_emplace(foldedFrame(tree.labels[l]),
                                                        static_cast<std::uint32_t>(m_frames.size()));
        if (added)
            m_frames.push_back(it->first);
        frameOfLabel[l] = it->second;
    }
    std::vector<TimeNs> childrenTotal;
    if (weight == FoldedWeight::Total) {
        childrenTotal.assign(tree.nodes.size(), 0);
        for (const CallTreeNode& n : tree.nodes) {
            if (n.parent != kNoIndex)
                childrenTotal[n.parent] = saturatingAdd(childrenTotal[n.parent], n.totalNanos);
        }
    }
    std::vector<std::uint32_t> pathOfNode(tree.nodes.size()); // parents come before their children
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const CallTreeNode& node = tree.nodes[n];
        const std::uint32_t path = m_paths.child(node.parent == kNoIndex ? kNoIndex : pathOfNode[node.parent],
                                                 frameOfLabel[node.label]);
        pathOfNode[n] = path;
        if (path == m_values.size())
            m_values.push_back(0);
        const TimeNs value = weight == FoldedWeight::Self ? node.selfNanos
                                                          : std::max<TimeNs>(0, node.totalNanos - childrenTotal[n]);
        m_values[path] = saturatingAdd(m_values[path], value);
    }
}

template <typename Emit>
void FoldedStacks::emitLines(Emit emit) const
{
    constexpr std::size_t kChunk = 1 << 20;
    const std::vector<CallPathMerger::Node>& paths = m_paths.nodes();
    std::vector<std::size_t> pathLength(paths.size());
    std::string path; // of the path visited last: a parent's path is a prefix of its children's
    std::string chunk;
    for (const std::uint32_t p : m_paths.depthFirst()) {
        const std::uint32_t parent = paths[p].parent;
        path.resize(parent == kNoIndex ? 0 : pathLength[parent]);
        if (parent != kNoIndex)
            path += ';';
        path += m_frames[paths[p].label];
        pathLength[p] = path.size();
        if (m_values[p] <= 0)
            continue;
        chunk += path;
        chunk += ' ';
        chunk += std::to_string(m_values[p]);
        chunk += '\n';
        if (chunk.size() >= kChunk) {
            emit(chunk);
            chunk.clear();
        }
    }
    if (!chunk.empty())
        emit(chunk);
}

std::string FoldedStacks::text() const
{
    std::string text;
    emitLines([&](const std::string& lines) { text += lines; });
    return text;
}

bool FoldedStacks::write(std::FILE* out) const
{
    bool ok = true;
    emitLines(
        [&](const std::string& lines) { ok = ok && std::fwrite(lines.data(), 1, lines.size(), out) == lines.size(); });
    return ok && std::fflush(out) == 0;
}

} // namespace spanwise
