#pragma once
// JSON parsers refuse a whole document for one invalid UTF-8 byte (simdjson validates while
// indexing). A trace file with a mangled name in it must still open: the text is copied with each
// maximal invalid subpart replaced by U+FFFD (as the WHATWG decoder does), and offsets into the
// copy are mapped back to the file for messages.

#include "file_buffer.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace spanwise {

bool isValidUtf8(std::string_view text);

class Utf8Repair {
public:
    // Copies text into out, repaired.
    Utf8Repair(std::string_view text, FileBuffer& out);

    bool ok() const { return m_ok; } // false when memory for the copy ran out
    std::uint64_t replaced() const { return m_replaced; }
    std::uint64_t firstInvalidOffset() const { return m_firstInvalid; } // in the original text
    // The offset in the original text of an offset in the repaired copy.
    std::uint64_t originalOffset(std::uint64_t repairedOffset) const;

private:
    struct Shift {
        std::uint64_t repaired; // just after a replacement character in the copy
        std::uint64_t original; // just after the bytes it replaced in the original
    };
    // Bounded so a file of binary garbage cannot take 16 bytes per byte: beyond it, offsets
    // after further replacements are off by up to 2 bytes per replacement.
    static constexpr std::size_t kMaxShifts = std::size_t(1) << 20;
    std::vector<Shift> m_shifts;
    bool m_ok = false;
    std::uint64_t m_replaced = 0;
    std::uint64_t m_firstInvalid = 0;
};

} // namespace spanwise
