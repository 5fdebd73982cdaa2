#pragma once
// Time ↔ pixel mapping of a time axis, and its adaptive ticks. Plain arithmetic, unit-tested.

#include <types.h>

#include <string>
#include <vector>

namespace spanwise {

struct TimeTick {
    TimeNs time;       // absolute
    double x;          // pixel position
    std::string label; // relative to the origin, in human units
};

struct TimeScale {
    TimeNs viewStart = 0; // time at x = 0
    TimeNs viewEnd = 1;   // time at x = width
    double width = 1;     // pixels
    TimeNs origin = 0;    // tick labels count from here (the trace start)

    double toX(TimeNs t) const;
    TimeNs toTime(double x) const;
    double nsPerPixel() const;
    // Ticks at a 1-2-5 step chosen so that labels are at least minSpacing pixels apart.
    std::vector<TimeTick> ticks(double minSpacing) const;
    // The step between ticks for that spacing.
    TimeNs tickStep(double minSpacing) const;
};

// "0", "250 µs", "1.5 ms", "2 s": a tick label, with as many decimals as the step needs.
std::string formatTickLabel(TimeNs relative, TimeNs step);

} // namespace spanwise
