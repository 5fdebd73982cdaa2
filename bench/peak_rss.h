#pragma once
// The process's peak resident set size, as the kernel counts it (VmHWM).

#include <cstdint>
#include <fstream>
#include <string>

inline std::uint64_t peakRssBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmHWM:"))
            return std::stoull(line.substr(6)) * 1024; // "VmHWM:   123456 kB"
    }
    return 0;
}
