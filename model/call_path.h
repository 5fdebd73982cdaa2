#pragma once
// Spans merged by their path of operations from the root: what makes two spans "the same
// operation", and the tree of nodes keyed by (parent node, operation). The one place that decides
// which spans fall on one node, shared by the comparison (trace_diff.h) and the flame graph
// (call_tree.h).

#include "dataset.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace spanwise {

struct OperationKey {
    std::string label;           // "service: operation", the operation name normalised
    std::string match;           // what is compared: the label in lower case (Zipkin lower-cases names)
    unsigned normalisations = 0; // Normalisation bits the name needed (see operation_name.h)
};
// "service: operation", with a Datadog span's resource after the operation when it differs.
OperationKey operationKeyOf(const Dataset& data, const Span& span);

// Builds the merged nodes one span at a time, a parent's node before its children's: linear in the
// spans, no recursion. Spans of several datasets may be merged (one side of a comparison each).
class CallPathMerger {
public:
    struct Node {
        std::uint32_t label = 0; // index in labels()
        std::uint32_t parent = kNoIndex;
        std::uint32_t firstChild = kNoIndex; // children in the order they were added, linked
        std::uint32_t lastChild = kNoIndex;
        std::uint32_t nextSibling = kNoIndex;
        std::uint32_t childCount = 0;
    };

    // Room for `capacity` nodes (one per span added is the most a plain tree needs).
    explicit CallPathMerger(std::size_t capacity);

    // The label of a span's operation: spans whose OperationKey::match is equal share it. The key is
    // made once per distinct service, name and resource of a dataset.
    std::uint32_t labelOf(const Dataset& data, const Span& span);
    // The node of `label` under `parent` (kNoIndex: a top-level node), added when new.
    std::uint32_t child(std::uint32_t parent, std::uint32_t label);

    const std::vector<Node>& nodes() const { return m_nodes; }
    // OperationKey::label of the first span seen with each label.
    const std::vector<std::string>& labels() const { return m_labels; }
    std::vector<std::string> takeLabels() { return std::move(m_labels); }
    unsigned normalisations() const { return m_normalisations; }

    // The nodes depth-first, children in the order they were added, or sorted by `before` (stable).
    std::vector<std::uint32_t> depthFirst() const
    {
        return depthFirst([](std::uint32_t, std::uint32_t) { return false; });
    }
    template <typename Before>
    std::vector<std::uint32_t> depthFirst(Before before) const
    {
        std::vector<std::uint32_t> sequence;
        sequence.reserve(m_nodes.size());
        std::vector<std::uint32_t> stack;
        const auto pushChildren = [&](std::uint32_t first) { // in reverse, so the first comes off first
            const auto from = static_cast<std::ptrdiff_t>(stack.size());
            for (std::uint32_t c = first; c != kNoIndex; c = m_nodes[c].nextSibling)
                stack.push_back(c);
            std::stable_sort(stack.begin() + from, stack.end(), before);
            std::reverse(stack.begin() + from, stack.end());
        };
        pushChildren(m_firstTopLevel);
        while (!stack.empty()) {
            const std::uint32_t node = stack.back();
            stack.pop_back();
            sequence.push_back(node);
            pushChildren(m_nodes[node].firstChild);
        }
        return sequence;
    }

private:
    // A node with at most this many children finds one by scanning them, cheaper than the cache miss
    // of a lookup in m_children, which indexes the children of the others.
    static constexpr std::uint32_t kScannedChildren = 8;

    // (parent node, label) → node: open addressing, as this lookup is made for most spans of a wide
    // tree and a chained hash map's cache misses dominate otherwise.
    class ChildIndex {
    public:
        explicit ChildIndex(std::size_t capacity);
        // The node stored for the key, or `node` after storing it; true when it was stored.
        std::pair<std::uint32_t, bool> findOrAdd(std::uint64_t key, std::uint32_t node);

    private:
        void resize(std::size_t slots);

        struct Slot {
            std::uint64_t key = 0;
            std::uint32_t node = kNoIndex; // kNoIndex: empty
        };
        std::vector<Slot> m_slots; // key and node side by side: one cache miss per probe
        std::size_t m_mask = 0;
        std::size_t m_used = 0;
    };

    struct SpanName {
        StringId service;
        StringId name;
        const char* resource; // in the dataset's string pool: one pointer per distinct string
        bool operator==(const SpanName&) const = default;
    };
    struct SpanNameHash {
        std::size_t operator()(const SpanName& n) const noexcept;
    };

    std::unordered_map<std::string, std::uint32_t> m_labelIds; // OperationKey::match → label
    std::vector<std::string> m_labels;
    const Dataset* m_cachedData = nullptr;
    std::unordered_map<SpanName, std::uint32_t, SpanNameHash> m_labelOfName; // of m_cachedData's spans
    ChildIndex m_children;
    std::vector<Node> m_nodes;
    std::uint32_t m_firstTopLevel = kNoIndex;
    std::uint32_t m_lastTopLevel = kNoIndex;
    std::uint32_t m_topLevelCount = 0;
    unsigned m_normalisations = 0;
};

// Where each subtree of nodes laid out depth-first ends: one past its last descendant, from the
// nodes' parents (indices in the same order). Bottom-up, no recursion.
template <typename NodeVector>
void fillSubtreeEnds(NodeVector& nodes)
{
    for (auto i = static_cast<std::uint32_t>(nodes.size()); i-- > 0;) {
        if (nodes[i].subtreeEnd == 0)
            nodes[i].subtreeEnd = i + 1;
        if (nodes[i].parent != kNoIndex)
            nodes[nodes[i].parent].subtreeEnd = std::max(nodes[nodes[i].parent].subtreeEnd, nodes[i].subtreeEnd);
    }
}

} // namespace spanwise
