#pragma once
// Service colours: 24 hues people can tell apart, none of them red (red means an error), each in
// a shade for light and one for dark backgrounds. A service's colour follows from its name, so it
// is mostly the same in every trace and session; where a service's colour is taken, or looks like
// one taken, by a service before it in name order, it gets the free colour least like those taken,
// so a trace repeats a colour only when it has more than 24 services.

#include "theme.h"

#include <QColor>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace spanwise {

class ServiceColors {
public:
    static constexpr int kPaletteSize = 24;

    ServiceColors() = default;
    explicit ServiceColors(const std::vector<std::string_view>& services);

    // A service outside the set gets the colour its name points at.
    QColor color(std::string_view service, bool darkBackground) const;
    int slotOf(std::string_view service) const;

    static QColor paletteColor(int slot, bool darkBackground);
    // How different two palette colours look (distance in OKLab; 0.13 and more is plainly different).
    static double difference(int slotA, int slotB);

private:
    std::map<std::string, int, std::less<>> m_slots;
};

} // namespace spanwise
