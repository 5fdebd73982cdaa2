#include "service_palette.h"

#include <array>

namespace spanwise {

namespace {

// Distinct hues, spread so neighbours in the list differ strongly.
constexpr std::array<int, 16> kHues = {210, 30, 140, 330, 260, 90, 190, 0, 50, 290, 160, 15, 230, 110, 350, 70};

std::uint32_t stableHash(std::string_view text)
{
    std::uint32_t h = 2166136261u; // FNV-1a: fixed across runs and platforms, unlike std::hash
    for (unsigned char c : text)
        h = (h ^ c) * 16777619u;
    return h;
}

} // namespace

QColor serviceColor(std::string_view service, bool darkBackground)
{
    const std::uint32_t h = stableHash(service);
    const int hue = kHues[h % kHues.size()];
    const int variant = static_cast<int>((h / kHues.size()) % 3); // more services than hues: vary lightness
    if (darkBackground)
        return QColor::fromHsl(hue, 150, 120 + variant * 20);
    return QColor::fromHsl(hue, 160, 105 + variant * 18);
}

} // namespace spanwise
