#pragma once
// Bytes of a file, followed by kInputPadding zero bytes: mapped when possible, never copied
// for plain files.

#include "importer.h"
#include "mapping_guard.h"

#include <memory>
#include <string>

namespace spanwise {

class FileBuffer {
public:
    FileBuffer() = default;
    ~FileBuffer();
    FileBuffer(FileBuffer&& other) noexcept;
    FileBuffer& operator=(FileBuffer&& other) noexcept;

    // Maps the file; on failure returns false and sets error to the reason.
    bool map(const std::string& path, std::string& error);
    // Makes this a heap buffer of the given size (growing or shrinking it, keeping its bytes),
    // zero-padded, for decompressed or in-memory data. False when memory ran out.
    bool resizeHeap(std::size_t size);
    char* writableData() { return m_heap.get(); }

    Input input() const { return {m_data, m_size}; }
    // Lets the kernel drop the mapped pages before offset from this process's memory: reading is
    // past them. Reading them again still works (they come back from the page cache). No effect
    // on heap buffers, whose contents exist nowhere else.
    void releaseBefore(std::uint64_t offset);
    // The same for the whole pages within [begin, end), read by one of several threads.
    void releaseRange(std::uint64_t begin, std::uint64_t end);
    // Where the mapped file was found cut short while being read, if it was: bytes from there
    // on read as zeros (after a SIGBUS, see MappingGuard, or straight away on some kernels).
    std::optional<std::uint64_t> cutAt() const;

private:
    void release();

    const char* m_data = nullptr;
    std::size_t m_size = 0;
    void* m_mapping = nullptr;
    std::size_t m_released = 0; // bytes at the start already released
    std::size_t m_mappingSize = 0;
    MappingGuard m_guard;
    int m_fd = -1; // kept open to notice the file shrinking
    struct Free {
        void operator()(char* p) const;
    };
    std::unique_ptr<char, Free> m_heap;
};

} // namespace spanwise
