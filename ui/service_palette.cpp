#include "service_palette.h"

#include <array>

namespace spanwise {

namespace {

constexpr int kHueSteps = 24; // 15° apart
struct Shade {
    int saturation;
    int lightness;
};
// Three shades per hue: 72 colours before two services can share one.
constexpr std::array<Shade, 3> kLightShades = {{{170, 95}, {150, 125}, {190, 150}}};
constexpr std::array<Shade, 3> kDarkShades = {{{150, 125}, {130, 155}, {170, 180}}};

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
    const int hue = static_cast<int>(h % kHueSteps) * (360 / kHueSteps);
    const Shade shade = (darkBackground ? kDarkShades : kLightShades)[(h / kHueSteps) % 3];
    return QColor::fromHsl(hue, shade.saturation, shade.lightness);
}

bool hasDarkBase(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor textColorOn(const QColor& fill)
{
    return fill.lightness() < 140 ? QColor(Qt::white) : QColor(Qt::black);
}

} // namespace spanwise
