#include "string_pool.h"

#include <cstring>

namespace spanwise {

namespace {

constexpr std::size_t kMinBlock = 64 * 1024;

std::uint32_t hashText(std::string_view text)
{
    // FNV-1a over 8-byte words, then a final mix: fast and good enough for interning.
    std::uint64_t h = 0xcbf29ce484222325ull ^ text.size();
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, text.data() + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < text.size(); ++i)
        h = (h ^ static_cast<unsigned char>(text[i])) * 0x100000001b3ull;
    h ^= h >> 32;
    h *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::uint32_t>(h >> 32);
}

} // namespace

StringPool::StringPool()
{
    m_slots.assign(1024, 0);
    intern({});
}

std::string_view StringPool::store(std::string_view text)
{
    if (text.empty())
        return {};
    if (m_blocks.empty() || m_blockSize - m_blockUsed < text.size()) {
        const std::size_t size = std::max(kMinBlock, text.size());
        m_blocks.emplace_back(new char[size]);
        m_blockSize = size;
        m_blockUsed = 0;
        m_blockBytes += size;
    }
    char* at = m_blocks.back().get() + m_blockUsed;
    std::memcpy(at, text.data(), text.size());
    m_blockUsed += text.size();
    return {at, text.size()};
}

void StringPool::grow()
{
    std::vector<std::uint32_t> slots(m_slots.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t id = 0; id < m_views.size(); ++id) {
        std::size_t i = m_hashes[id] & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = id + 1;
    }
    m_slots = std::move(slots);
}

StringId StringPool::find(std::string_view text) const
{
    const std::uint32_t hash = hashText(text);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash & mask; m_slots[i] != 0; i = (i + 1) & mask) {
        const std::uint32_t id = m_slots[i] - 1;
        if (m_hashes[id] == hash && m_views[id] == text)
            return id;
    }
    return kNoIndex;
}

StringId StringPool::intern(std::string_view text)
{
    return intern(text, hashText(text));
}

std::vector<StringId> StringPool::internAll(const StringPool& other)
{
    std::vector<StringId> ids(other.size());
    for (StringId id = 0; id < other.size(); ++id)
        ids[id] = intern(other.m_views[id], other.m_hashes[id]);
    return ids;
}

StringId StringPool::intern(std::string_view text, std::uint32_t hash)
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = hash & mask;
    for (; m_slots[i] != 0; i = (i + 1) & mask) {
        const std::uint32_t id = m_slots[i] - 1;
        if (m_hashes[id] == hash && m_views[id] == text)
            return id;
    }
    const auto id = static_cast<StringId>(m_views.size());
    m_views.push_back(store(text));
    m_hashes.push_back(hash);
    m_slots[i] = id + 1;
    if (m_views.size() * 2 > m_slots.size())
        grow();
    return id;
}

std::size_t StringPool::memoryBytes() const
{
    return m_blockBytes + m_slots.capacity() * sizeof(std::uint32_t) + m_hashes.capacity() * sizeof(std::uint32_t) +
           m_views.capacity() * sizeof(std::string_view);
}

} // namespace spanwise
