#include "theme.h"

namespace spanwise {

bool hasDarkBase(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor textColorOn(const QColor& fill)
{
    return fill.lightness() < 140 ? QColor(Qt::white) : QColor(Qt::black);
}

namespace theme {

QColor error(bool dark)
{
    return dark ? QColor(0xf0, 0x4a, 0x4a) : QColor(0xd0, 0x30, 0x30);
}

QColor warning(bool dark)
{
    return dark ? QColor(0xf0, 0xa0, 0x30) : QColor(0xe0, 0x90, 0x20);
}

QColor slower(bool dark)
{
    return dark ? QColor(0xf0, 0x5a, 0x4a) : QColor(0xc0, 0x39, 0x2b);
}

QColor faster(bool dark)
{
    return dark ? QColor(0x4c, 0xc0, 0x70) : QColor(0x1e, 0x84, 0x49);
}

QColor searchMatch(bool dark)
{
    return dark ? QColor(110, 95, 20) : QColor(255, 236, 140);
}

QColor criticalPath(bool dark)
{
    return dark ? QColor(250, 250, 250, 230) : QColor(15, 15, 15, 210);
}

QColor link(const QPalette& palette)
{
    const QColor link = palette.color(QPalette::Link);
    return hasDarkBase(palette) && link.lightness() < 140 ? QColor(0x6c, 0xb4, 0xff) : link;
}

} // namespace theme
} // namespace spanwise
