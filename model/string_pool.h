#pragma once
// Interned strings: each distinct string is stored once and named by a small integer.

#include "types.h"

#include <memory>
#include <string_view>
#include <vector>

namespace spanwise {

class StringPool {
public:
    StringPool();
    StringPool(StringPool&&) noexcept = default;
    StringPool& operator=(StringPool&&) noexcept = default;

    StringId intern(std::string_view text);
    // Interns every string of other in its order; returns other's id → this pool's id.
    std::vector<StringId> internAll(const StringPool& other);
    // Id of text when already interned, else kNoIndex.
    StringId find(std::string_view text) const;
    std::string_view view(StringId id) const { return m_views[id]; }
    std::size_t size() const { return m_views.size(); }
    std::size_t memoryBytes() const;

private:
    StringId intern(std::string_view text, std::uint32_t hash);
    std::string_view store(std::string_view text);
    void grow();

    std::vector<std::unique_ptr<char[]>> m_blocks;
    std::size_t m_blockUsed = 0;
    std::size_t m_blockSize = 0;
    std::size_t m_blockBytes = 0;
    std::vector<std::string_view> m_views;
    std::vector<std::uint32_t> m_slots;  // open addressing: id + 1, or 0 when empty
    std::vector<std::uint32_t> m_hashes; // hash per id, to grow without rehashing text
};

} // namespace spanwise
