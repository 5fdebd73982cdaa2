#pragma once
// A stable colour per service name: the same service has the same colour in every trace and
// every session, readable on light and dark backgrounds.

#include <QColor>

#include <string_view>

namespace spanwise {

QColor serviceColor(std::string_view service, bool darkBackground);

} // namespace spanwise
