#include "file_buffer.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace spanwise {

FileBuffer::~FileBuffer()
{
    release();
}

FileBuffer::FileBuffer(FileBuffer&& other) noexcept
{
    *this = std::move(other);
}

FileBuffer& FileBuffer::operator=(FileBuffer&& other) noexcept
{
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_mapping = std::exchange(other.m_mapping, nullptr);
        m_released = std::exchange(other.m_released, 0);
        m_mappingSize = std::exchange(other.m_mappingSize, 0);
        m_guard = std::move(other.m_guard);
        m_fd = std::exchange(other.m_fd, -1);
        m_heap = std::move(other.m_heap);
    }
    return *this;
}

void FileBuffer::release()
{
    m_guard = MappingGuard();
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (m_mapping)
        munmap(m_mapping, m_mappingSize);
    m_mapping = nullptr;
    m_released = 0;
    m_heap.reset();
    m_data = nullptr;
    m_size = 0;
}

void FileBuffer::releaseBefore(std::uint64_t offset)
{
    constexpr std::size_t kBehind = std::size_t(16) << 20; // keep a margin the reader may look back into
    constexpr std::size_t kStep = std::size_t(32) << 20;
    if (!m_mapping || offset <= kBehind)
        return;
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t end = (std::min<std::uint64_t>(offset, m_size) - kBehind) / page * page;
    if (end < m_released + kStep)
        return;
    madvise(static_cast<char*>(m_mapping) + m_released, end - m_released, MADV_DONTNEED);
    m_released = end;
}

void FileBuffer::releaseRange(std::uint64_t begin, std::uint64_t end)
{
    if (!m_mapping)
        return;
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::uint64_t first = (begin + page - 1) / page * page;
    const std::uint64_t last = std::min<std::uint64_t>(end, m_size) / page * page;
    if (last > first)
        madvise(static_cast<char*>(m_mapping) + first, last - first, MADV_DONTNEED);
}

bool FileBuffer::map(const std::string& path, std::string& error)
{
    release();
    // Non-blocking, so that opening a FIFO does not wait for a writer (it is refused below).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        error = S_ISDIR(st.st_mode)    ? "it is a directory"
                : S_ISFIFO(st.st_mode) ? "it is a FIFO (named pipe), not a file"
                                       : "not a regular file";
        ::close(fd);
        return false;
    }
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    // Reserve the file's pages plus one more, then map the file over the start: the padding
    // after the end of the file is then readable and zero, and followed by quotes (see
    // fillWithStringEnds).
    const std::size_t filePages = (size + page - 1) / page * page;
    const std::size_t total = (size + kInputPadding + page - 1) / page * page + page;
    void* area = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        error = std::strerror(errno);
        ::close(fd);
        return false;
    }
    if (size > 0 && mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
        error = std::strerror(errno);
        munmap(area, total);
        ::close(fd);
        return false;
    }
    const std::size_t stringEnds = std::max(filePages, size + kInputPadding);
    fillWithStringEnds(static_cast<char*>(area) + stringEnds, total - stringEnds);
    mprotect(static_cast<char*>(area) + filePages, total - filePages, PROT_READ);
    madvise(area, size, MADV_SEQUENTIAL);
    m_fd = fd;
    m_mapping = area;
    m_mappingSize = total;
    m_data = static_cast<const char*>(area);
    m_size = size;
    m_guard = MappingGuard(m_data, size);
    return true;
}

std::optional<std::uint64_t> FileBuffer::cutAt() const
{
    std::optional<std::uint64_t> cut = m_guard.cutAt();
    struct stat st {};
    if (m_fd >= 0 && fstat(m_fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < m_size)
        cut = std::min<std::uint64_t>(cut.value_or(m_size), static_cast<std::uint64_t>(st.st_size));
    return cut;
}

void FileBuffer::Free::operator()(char* p) const
{
    std::free(p);
}

bool FileBuffer::resizeHeap(std::size_t size)
{
    if (m_mapping)
        release();
    char* grown = static_cast<char*>(std::realloc(m_heap.get(), size + kInputPadding));
    if (!grown)
        return false;
    (void)m_heap.release();
    m_heap.reset(grown);
    std::memset(grown + size, 0, kInputPadding);
    m_data = grown;
    m_size = size;
    return true;
}

} // namespace spanwise
