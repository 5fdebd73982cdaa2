#include "call_path.h"

#include "operation_name.h"
#include "span_resource.h"

namespace spanwise {

OperationKey operationKeyOf(const Dataset& data, const Span& span)
{
    OperationKey key;
    key.label = std::string(data.str(span.service)) + ": " +
                normaliseOperationName(data.str(span.name), &key.normalisations);
    // Datadog names operations generically ("http.request"): its resource tells them apart.
    if (const std::string_view resource = resourceNameOf(data, span);
        !resource.empty() && resource != data.str(span.name))
        key.label += " " + normaliseOperationName(resource, &key.normalisations);
    key.match = key.label;
    std::transform(key.match.begin(), key.match.end(), key.match.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
}

CallPathMerger::ChildIndex::ChildIndex(std::size_t capacity)
{
    std::size_t size = 16;
    while (size < 2 * capacity)
        size *= 2;
    resize(size);
}

void CallPathMerger::ChildIndex::resize(std::size_t slots)
{
    std::vector<Slot> old(slots);
    std::swap(old, m_slots);
    m_mask = slots - 1;
    m_used = 0;
    for (const Slot& slot : old) {
        if (slot.node != kNoIndex)
            findOrAdd(slot.key, slot.node);
    }
}

std::pair<std::uint32_t, bool> CallPathMerger::ChildIndex::findOrAdd(std::uint64_t key, std::uint32_t node)
{
    for (std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> 32 & m_mask;; i = (i + 1) & m_mask) {
        Slot& slot = m_slots[i];
        if (slot.node == kNoIndex) {
            if (2 * (m_used + 1) > m_slots.size()) { // at most half full, or probing grows long
                resize(2 * m_slots.size());
                return findOrAdd(key, node);
            }
            slot = {key, node};
            ++m_used;
            return {node, true};
        }
        if (slot.key == key)
            return {slot.node, false};
    }
}

std::size_t CallPathMerger::SpanNameHash::operator()(const SpanName& n) const noexcept
{
    const std::uint64_t ids = std::uint64_t(n.service) << 32 | n.name;
    return std::hash<std::uint64_t>{}(ids * 0x9E3779B97F4A7C15ull) ^ std::hash<const char*>{}(n.resource);
}

CallPathMerger::CallPathMerger(std::size_t capacity) : m_children(std::min<std::size_t>(capacity, 1 << 12))
{
    m_nodes.reserve(capacity);
}

std::uint32_t CallPathMerger::labelOf(const Dataset& data, const Span& span)
{
    if (m_cachedData != &data) {
        m_labelOfName.clear();
        m_cachedData = &data;
    }
    const SpanName name{span.service, span.name, resourceNameOf(data, span).data()};
    if (const auto known = m_labelOfName.find(name); known != m_labelOfName.end())
        return known->second;
    OperationKey key = operationKeyOf(data, span);
    m_normalisations |= key.normalisations;
    const auto [it, added] = m_labelIds.try_emplace(std::move(key.match), static_cast<std::uint32_t>(m_labels.size()));
    if (added)
        m_labels.push_back(std::move(key.label));
    m_labelOfName.emplace(name, it->second);
    return it->second;
}

std::uint32_t CallPathMerger::child(std::uint32_t parent, std::uint32_t label)
{
    const auto key = [parent](std::uint32_t childLabel) { return std::uint64_t(parent) << 32 | childLabel; };
    const auto firstChild = [&] { return parent == kNoIndex ? m_firstTopLevel : m_nodes[parent].firstChild; };
    const std::uint32_t count = parent == kNoIndex ? m_topLevelCount : m_nodes[parent].childCount;
    const auto node = static_cast<std::uint32_t>(m_nodes.size());
    if (count <= kScannedChildren) {
        for (std::uint32_t c = firstChild(); c != kNoIndex; c = m_nodes[c].nextSibling) {
            if (m_nodes[c].label == label)
                return c;
        }
    } else if (const auto [found, added] = m_children.findOrAdd(key(label), node); !added) {
        return found;
    }
    m_nodes.push_back({label, parent});
    std::uint32_t& first = parent == kNoIndex ? m_firstTopLevel : m_nodes[parent].firstChild;
    std::uint32_t& last = parent == kNoIndex ? m_lastTopLevel : m_nodes[parent].lastChild;
    (last == kNoIndex ? first : m_nodes[last].nextSibling) = node;
    last = node;
    ++(parent == kNoIndex ? m_topLevelCount : m_nodes[parent].childCount);
    if (count == kScannedChildren) { // one too many to scan: from now on they are looked up
        for (std::uint32_t c = firstChild(); c != kNoIndex; c = m_nodes[c].nextSibling)
            m_children.findOrAdd(key(m_nodes[c].label), c);
    }
    return node;
}

} // namespace spanwise
