#include "file_buffer.h"

#include <cerrno>
#include <cstdlib>
#include <algorithm>
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
        m_heap = std::move(other.m_heap);
    }
    return *this;
}

void FileBuffer::release()
{
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

bool FileBuffer::map(const std::string& path, std::string& error)
{
    release();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        ::close(fd);
        return false;
    }
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    // Reserve the file's pages plus one more of zeros, then map the file over the start:
    // the padding after the end of the file is then readable and zero.
    const std::size_t total = (size + kInputPadding + page - 1) / page * page + page;
    void* area = mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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
    ::close(fd);
    madvise(area, size, MADV_SEQUENTIAL);
    m_mapping = area;
    m_mappingSize = total;
    m_data = static_cast<const char*>(area);
    m_size = size;
    return true;
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
