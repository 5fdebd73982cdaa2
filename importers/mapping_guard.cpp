#include "mapping_guard.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>

namespace spanwise {

namespace {

constexpr std::uint64_t kNotCut = UINT64_MAX;

// Mappings being read, one per slot; the handler only reads them (atomics, no locks).
struct Slot {
    std::atomic<std::uintptr_t> begin{0};
    std::atomic<std::uintptr_t> end{0};
    std::atomic<std::uint64_t> cut{kNotCut};
};
constexpr int kSlots = 64;
Slot g_slots[kSlots];
std::mutex g_slotsMutex; // taking and giving back slots, never in the handler
struct sigaction g_previous {};
std::uintptr_t g_pageSize = 4096;

void passOn(int signal, siginfo_t* info, void* context)
{
    if (g_previous.sa_flags & SA_SIGINFO) {
        if (g_previous.sa_sigaction)
            g_previous.sa_sigaction(signal, info, context);
        return;
    }
    if (g_previous.sa_handler == SIG_DFL || g_previous.sa_handler == SIG_IGN) {
        // Returning re-runs the faulting access, which then gets the default action.
        std::signal(SIGBUS, SIG_DFL);
        return;
    }
    g_previous.sa_handler(signal);
}

void onBusError(int signal, siginfo_t* info, void* context)
{
    const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (Slot& slot : g_slots) {
        const std::uintptr_t begin = slot.begin.load(std::memory_order_acquire);
        const std::uintptr_t end = slot.end.load(std::memory_order_acquire);
        if (begin == 0 || address < begin || address >= end)
            continue;
        // The file is shorter than when it was mapped: everything from this page on is gone.
        // A page of quotes first ends any string being scanned, then zeros.
        const std::uintptr_t from = address / g_pageSize * g_pageSize;
        const std::uintptr_t to = (end + g_pageSize - 1) / g_pageSize * g_pageSize;
        void* area = reinterpret_cast<void*>(from);
        if (mmap(area, to - from, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            break;
        fillWithStringEnds(area, g_pageSize);
        mprotect(area, to - from, PROT_READ);
        const std::uint64_t offset = std::max(from, begin) - begin;
        std::uint64_t previous = slot.cut.load(std::memory_order_relaxed);
        while (offset < previous && !slot.cut.compare_exchange_weak(previous, offset, std::memory_order_relaxed)) {
        }
        return;
    }
    passOn(signal, info, context);
}

void installHandler()
{
    g_pageSize = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = onBusError;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &g_previous);
}

} // namespace

void fillWithStringEnds(void* memory, std::size_t size)
{
    std::memset(memory, '"', size);
}

MappingGuard::MappingGuard(const char* data, std::size_t size)
{
    if (size == 0)
        return;
    static std::once_flag installed;
    std::call_once(installed, installHandler);
    const std::lock_guard lock(g_slotsMutex);
    for (int i = 0; i < kSlots; ++i) {
        if (g_slots[i].begin.load(std::memory_order_relaxed) != 0)
            continue;
        g_slots[i].cut.store(kNotCut, std::memory_order_relaxed);
        g_slots[i].end.store(reinterpret_cast<std::uintptr_t>(data) + size, std::memory_order_release);
        g_slots[i].begin.store(reinterpret_cast<std::uintptr_t>(data), std::memory_order_release);
        m_slot = i;
        return;
    }
    // More than kSlots files read at once: this one is read unguarded.
}

MappingGuard::~MappingGuard()
{
    if (m_slot < 0)
        return;
    const std::lock_guard lock(g_slotsMutex);
    g_slots[m_slot].begin.store(0, std::memory_order_release);
    g_slots[m_slot].end.store(0, std::memory_order_release);
}

MappingGuard::MappingGuard(MappingGuard&& other) noexcept : m_slot(std::exchange(other.m_slot, -1)) {}

MappingGuard& MappingGuard::operator=(MappingGuard&& other) noexcept
{
    if (this != &other) {
        MappingGuard old(std::move(*this));
        m_slot = std::exchange(other.m_slot, -1);
    }
    return *this;
}

std::optional<std::uint64_t> MappingGuard::cutAt() const
{
    if (m_slot < 0)
        return std::nullopt;
    const std::uint64_t cut = g_slots[m_slot].cut.load(std::memory_order_relaxed);
    return cut == kNotCut ? std::nullopt : std::optional(cut);
}

} // namespace spanwise
