#include "service_palette.h"

#include <algorithm>
#include <array>
#include <bitset>

namespace spanwise {

namespace {

// Picked in OKLab, greedily, for the largest smallest distance between any two, to the error red,
// and to white and black; hues within 50° of the error red left out. The dark shades keep the hue
// and are a little darker and less saturated, so that they do not glare on a dark background.
constexpr std::array<QRgb, ServiceColors::kPaletteSize> kLight = {
    0x1292e6, 0x92ac18, 0xef87d7, 0x35dde2, 0x8747aa, 0x237a57, 0xfcb52c, 0x9b722c,
    0x98aef1, 0xaa77af, 0x3b6ca1, 0x7edf7f, 0x15b898, 0xc19652, 0x548c03, 0x6e6ad5,
    0xa588f7, 0x4caccb, 0xe0b0ee, 0x028a9b, 0xb24f9e, 0x659c65, 0x99bf7c, 0xcfcb37};
constexpr std::array<QRgb, ServiceColors::kPaletteSize> kDark = {
    0x187bc0, 0x7b901d, 0xc872b4, 0x35babe, 0x8f5aad, 0x408465, 0xd3992d, 0x906e36,
    0x8093ca, 0x8e6492, 0x4e77a5, 0x6cbb6c, 0x1e9a80, 0xa17f47, 0x558423, 0x6968c1,
    0x8a73ce, 0x4290aa, 0xbc94c8, 0x278290, 0xa45292, 0x568355, 0x81a069, 0xaeab35};

int preferredSlot(std::string_view text)
{
    std::uint32_t h = 2166136261u; // FNV-1a: fixed across runs and platforms, unlike std::hash
    for (unsigned char c : text)
        h = (h ^ c) * 16777619u;
    return static_cast<int>(h % ServiceColors::kPaletteSize);
}

} // namespace

ServiceColors::ServiceColors(const std::vector<std::string_view>& services)
{
    std::vector<std::string_view> names = services;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::bitset<kPaletteSize> taken;
    for (std::string_view name : names) {
        int slot = preferredSlot(name);
        if (taken.all())
            taken.reset(); // more services than colours: a second round
        while (taken.test(static_cast<std::size_t>(slot)))
            slot = (slot + 1) % kPaletteSize;
        taken.set(static_cast<std::size_t>(slot));
        m_slots.emplace(name, slot);
    }
}

int ServiceColors::slotOf(std::string_view service) const
{
    const auto it = m_slots.find(service);
    return it == m_slots.end() ? preferredSlot(service) : it->second;
}

QColor ServiceColors::color(std::string_view service, bool darkBackground) const
{
    return paletteColor(slotOf(service), darkBackground);
}

QColor ServiceColors::paletteColor(int slot, bool darkBackground)
{
    return QColor::fromRgb((darkBackground ? kDark : kLight)[static_cast<std::size_t>(slot) % kPaletteSize]);
}

} // namespace spanwise
