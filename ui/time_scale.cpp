#include "time_scale.h"

#include <cmath>
#include <cstdio>

namespace spanwise {

double TimeScale::nsPerPixel() const
{
    return width > 0 ? static_cast<double>(viewEnd - viewStart) / width : 1.0;
}

double TimeScale::toX(TimeNs t) const
{
    const double span = static_cast<double>(viewEnd - viewStart);
    return span > 0 ? static_cast<double>(t - viewStart) * width / span : 0.0;
}

TimeNs TimeScale::toTime(double x) const
{
    return viewStart + static_cast<TimeNs>(std::llround(x * nsPerPixel()));
}

TimeNs TimeScale::tickStep(double minSpacing) const
{
    const double wanted = std::max(1.0, nsPerPixel() * minSpacing);
    double magnitude = std::pow(10.0, std::floor(std::log10(wanted)));
    for (;; magnitude *= 10) {
        for (double factor : {1.0, 2.0, 5.0}) {
            if (magnitude * factor >= wanted)
                return static_cast<TimeNs>(magnitude * factor);
        }
    }
}

std::vector<TimeTick> TimeScale::ticks(double minSpacing) const
{
    std::vector<TimeTick> result;
    if (viewEnd <= viewStart || width <= 0)
        return result;
    const TimeNs step = tickStep(minSpacing);
    // First multiple of step (counted from the origin) at or after the view start.
    TimeNs relative = viewStart - origin;
    TimeNs first = relative / step * step;
    if (first < relative)
        first += step;
    for (TimeNs t = first + origin; t <= viewEnd; t += step)
        result.push_back({t, toX(t), formatTickLabel(t - origin, step)});
    return result;
}

std::string formatTickLabel(TimeNs relative, TimeNs step)
{
    if (relative == 0)
        return "0";
    struct Unit {
        TimeNs scale;
        const char* name;
    };
    static constexpr Unit units[] = {{1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "µs"}, {1, "ns"}};
    const TimeNs magnitude = std::max<TimeNs>(relative < 0 ? -relative : relative, step);
    for (const Unit& unit : units) {
        if (magnitude < unit.scale && unit.scale > 1)
            continue;
        int decimals = 0;
        for (TimeNs s = unit.scale; decimals < 6 && step % s != 0; s /= 10)
            ++decimals;
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.*f %s", decimals, static_cast<double>(relative) / unit.scale, unit.name);
        return buf;
    }
    return "0";
}

} // namespace spanwise
