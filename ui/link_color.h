#pragma once
// The colour of links in rich text: the palette's, unless a dark palette left Link at its default
// dark blue, which cannot be read on a dark background.

#include "service_palette.h"

#include <QColor>
#include <QPalette>

namespace spanwise {

inline QColor readableLinkColor(const QPalette& palette)
{
    const QColor link = palette.color(QPalette::Link);
    return hasDarkBase(palette) && link.lightness() < 140 ? QColor(0x6c, 0xb4, 0xff) : link;
}

} // namespace spanwise
