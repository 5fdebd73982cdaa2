#include "utf8_repair.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace spanwise {

namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when invalid; *consumed is then the length
// of the maximal subpart of a sequence found there (at least 1), which one U+FFFD replaces.
std::size_t validSequence(std::string_view text, std::size_t i, std::size_t* consumed)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0; // overlong
        if (lead == 0xED)
            high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90; // overlong
        if (lead == 0xF4)
            high = 0x8F; // beyond U+10FFFF
    } else {
        *consumed = 1;
        return 0;
    }
    std::size_t k = 1;
    for (; k < length && i + k < text.size(); ++k) {
        const unsigned char c = byte(i + k);
        const bool ok = k == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
        if (!ok)
            break;
    }
    *consumed = k;
    return k == length ? length : 0;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    return simdjson::validate_utf8(text.data(), text.size());
}

Utf8Repair::Utf8Repair(std::string_view text, FileBuffer& out)
{
    constexpr char kReplacement[] = "\xEF\xBF\xBD";
    if (!out.resizeHeap(text.size() * 3))
        return;
    char* const begin = out.writableData();
    char* to = begin;
    std::size_t i = 0;
    while (i < text.size()) {
        // Copy the run of ASCII at once; it is nearly all of any file.
        std::size_t run = i;
        while (run < text.size() && static_cast<unsigned char>(text[run]) < 0x80)
            ++run;
        std::memcpy(to, text.data() + i, run - i);
        to += run - i;
        i = run;
        if (i == text.size())
            break;
        std::size_t consumed = 0;
        if (const std::size_t length = validSequence(text, i, &consumed)) {
            std::memcpy(to, text.data() + i, length);
            to += length;
            i += length;
            continue;
        }
        if (m_replaced++ == 0)
            m_firstInvalid = i;
        std::memcpy(to, kReplacement, 3);
        to += 3;
        i += consumed;
        if (m_shifts.size() < kMaxShifts)
            m_shifts.push_back({static_cast<std::uint64_t>(to - begin), i});
    }
    m_ok = out.resizeHeap(static_cast<std::size_t>(to - begin));
}

std::uint64_t Utf8Repair::originalOffset(std::uint64_t repairedOffset) const
{
    const auto after = std::upper_bound(m_shifts.begin(), m_shifts.end(), repairedOffset,
                                        [](std::uint64_t offset, const Shift& s) { return offset < s.repaired; });
    if (after == m_shifts.begin())
        return repairedOffset;
    const Shift& last = *std::prev(after);
    return last.original + (repairedOffset - last.repaired);
}

} // namespace spanwise
