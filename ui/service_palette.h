#pragma once
// A stable colour per service name: the same service has the same colour in every trace and
// every session, readable on light and dark backgrounds; and the light or dark choice itself.

#include <QColor>
#include <QPalette>

#include <string_view>

namespace spanwise {

QColor serviceColor(std::string_view service, bool darkBackground);

// Whether a palette draws on a dark background: the views choose their shades by it.
bool hasDarkBase(const QPalette& palette);

// Black or white, whichever reads better on a fill of this colour.
QColor textColorOn(const QColor& fill);

} // namespace spanwise
