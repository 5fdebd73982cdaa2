#include "service_palette.h"

#include <algorithm>
#include <array>
#include <cmath>

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

struct Lab {
    double l, a, b;
};

// OKLab: distances in it follow how different two colours look.
Lab oklab(QRgb rgb)
{
    const auto linear = [](int c) {
        const double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const double r = linear(qRed(rgb)), g = linear(qGreen(rgb)), b = linear(qBlue(rgb));
    const double l = std::cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
    const double m = std::cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
    const double s = std::cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
    return {0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

double oklabDistance(int slotA, int slotB)
{
    static const auto labs = [] {
        std::array<Lab, ServiceColors::kPaletteSize> labs{};
        for (std::size_t i = 0; i < labs.size(); ++i)
            labs[i] = oklab(kLight[i]);
        return labs;
    }();
    const Lab& x = labs[static_cast<std::size_t>(slotA)];
    const Lab& y = labs[static_cast<std::size_t>(slotB)];
    return std::hypot(x.l - y.l, x.a - y.a, x.b - y.b);
}

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
    // Close enough to an earlier service's colour to be taken for it: look for another.
    constexpr double kTooClose = 0.13;
    std::vector<std::string_view> names = services;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::vector<int> taken;
    for (std::string_view name : names) {
        if (taken.size() == kPaletteSize)
            taken.clear(); // more services than colours: a second round
        const auto nearest = [&](int slot) {
            double d = 1e9;
            for (const int other : taken)
                d = std::min(d, other == slot ? 0.0 : ServiceColors::difference(slot, other));
            return d;
        };
        // The colour the name points at, unless a service before it in name order has that colour
        // or one like it; then the free colour least like those taken.
        int slot = preferredSlot(name);
        if (nearest(slot) < kTooClose) {
            double best = -1;
            for (int candidate = 0; candidate < kPaletteSize; ++candidate) {
                if (const double d = nearest(candidate); d > best) {
                    best = d;
                    slot = candidate;
                }
            }
        }
        taken.push_back(slot);
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

double ServiceColors::difference(int slotA, int slotB)
{
    return oklabDistance(slotA, slotB);
}

QColor ServiceColors::paletteColor(int slot, bool darkBackground)
{
    return QColor::fromRgb((darkBackground ? kDark : kLight)[static_cast<std::size_t>(slot) % kPaletteSize]);
}

} // namespace spanwise
