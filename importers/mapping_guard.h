#pragma once
// Mapped files must not kill the process when they shrink while being read: the kernel answers a
// read past the new end of file with SIGBUS. While a mapping is guarded, a SIGBUS inside it maps
// zeros over the rest of it instead, so the importer reads on (and stops at the zeros as at any
// bad byte), and the loader reports where the file was cut.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace spanwise {

// Fills memory with '"'. Placed after a mapped file's padding and where a shrunk file's bytes
// vanished: simdjson trusts an index built on the earlier content and scans a string for its
// closing quote, which must come before the end of our memory.
void fillWithStringEnds(void* memory, std::size_t size);

class MappingGuard {
public:
    MappingGuard() = default;
    // Guards [data, data + size), a private read-only mapping of a file; size 0 guards nothing.
    MappingGuard(const char* data, std::size_t size);
    ~MappingGuard();
    MappingGuard(MappingGuard&& other) noexcept;
    MappingGuard& operator=(MappingGuard&& other) noexcept;

    // Offset of the first byte found missing, when the file shrank under the mapping.
    std::optional<std::uint64_t> cutAt() const;

private:
    int m_slot = -1;
};

} // namespace spanwise
