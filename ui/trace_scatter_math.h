#pragma once
// The arithmetic of the trace scatter plot, apart from its painting: the value ↔ pixel mapping of an
// axis (linear or log), its ticks (wall-clock start times, durations in human units), dot radii, the
// percentiles drawn across, and a grid of the dots for hit-testing thousands of them.

#include <types.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace spanwise {

// Maps values in [min, max] to pixels [from, to] (to < from for an upward axis). A log axis maps
// log10 of the value and puts values at or below zero on `from`.
struct ScatterAxis {
    double min = 0;
    double max = 1;
    double from = 0;
    double to = 1;
    bool log = false;

    double toPixel(double value) const;
    double toValue(double pixel) const;
};

struct ScatterTick {
    double value;
    std::string label;
};

// The duration axis's domain for durations from lo to hi: linear from 0 to a little above hi, log from a
// little below lo (at least 1 ns) to a little above hi. A single value gets room on both sides.
ScatterAxis durationAxis(TimeNs lo, TimeNs hi, bool log);
// Whether durations from lo to hi are better read on a log axis: they span more than two decades.
bool prefersLogScale(TimeNs lo, TimeNs hi);

// Duration ticks ("0", "250 µs", "1.5 ms") at least minSpacing pixels apart. Linear: a 1-2-5 step;
// log: the decades, with 2 and 5 between them when there is room.
std::vector<ScatterTick> durationTicks(const ScatterAxis& axis, double minSpacing);

// Wall-clock ticks (UTC) at a round step (1-2-5 of sub-seconds, 1 2 5 10 15 30 s and min, 1 2 3 6 12 h,
// days) chosen so that labels of textWidth pixels and a gap between them fit. The axis's values are
// nanoseconds after origin (an epoch time: doubles could not hold it to the nanosecond). Labels carry
// as much as the step needs: "yyyy-MM-dd", "HH:mm", "HH:mm:ss", "HH:mm:ss.fff".
std::vector<ScatterTick> wallClockTicks(const ScatterAxis& axis, TimeNs origin,
                                        const std::function<double(const std::string&)>& textWidth, double gap);
// "2026-12-07": the UTC date of a time (nanoseconds since the epoch).
std::string utcDate(TimeNs time);
// "2026-12-07 14:03:21.125": a UTC time to the millisecond.
std::string utcDateTime(TimeNs time);

// The radius of a dot for a trace of `count` spans when counts run from minCount to maxCount: the dot's
// area grows with the count, from minRadius to maxRadius.
double dotRadius(std::uint32_t count, std::uint32_t minCount, std::uint32_t maxCount, double minRadius,
                 double maxRadius);

// A region brushed on the plot: the traces that started and lasted within it (bounds included).
struct ScatterBrush {
    TimeNs startFrom = 0;
    TimeNs startTo = 0;
    TimeNs durationFrom = 0;
    TimeNs durationTo = 0;

    bool contains(TimeNs start, TimeNs duration) const
    {
        return start >= startFrom && start <= startTo && duration >= durationFrom && duration <= durationTo;
    }
    bool operator==(const ScatterBrush&) const = default;
};

// Dots bucketed by cell for hit-testing: the dot under a point is found by looking at a few cells.
class DotGrid {
public:
    struct Dot {
        double x = 0;
        double y = 0;
        double radius = 0;
    };

    // Dots in drawing order: where dots overlap, the later one is on top and wins the hit.
    void build(std::vector<Dot> dots, double width, double height, double cellSize);
    // The topmost dot whose disc holds the point; else the one with the nearest centre among those whose
    // disc grown by tolerance holds it; -1 for none.
    int hit(double x, double y, double tolerance) const;
    const std::vector<Dot>& dots() const { return m_dots; }

private:
    std::vector<Dot> m_dots;
    std::vector<std::uint32_t> m_cellStart; // m_cells[m_cellStart[c] .. m_cellStart[c + 1]) are cell c's dots
    std::vector<std::uint32_t> m_cells;
    int m_columns = 0;
    int m_rows = 0;
    double m_cellSize = 1;
    double m_maxRadius = 0;
};

} // namespace spanwise
