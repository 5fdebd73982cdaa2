#include "trace_scatter_math.h"

#include "time_scale.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace spanwise {

double ScatterAxis::toPixel(double value) const
{
    if (log) {
        if (value <= 0 || min <= 0 || max <= min)
            return from;
        return from + (std::log10(value) - std::log10(min)) / (std::log10(max) - std::log10(min)) * (to - from);
    }
    return max > min ? from + (value - min) / (max - min) * (to - from) : from;
}

double ScatterAxis::toValue(double pixel) const
{
    if (to == from)
        return min;
    const double f = (pixel - from) / (to - from);
    if (log && min > 0 && max > min)
        return std::pow(10.0, std::log10(min) + f * (std::log10(max) - std::log10(min)));
    return min + f * (max - min);
}

bool prefersLogScale(TimeNs lo, TimeNs hi)
{
    return hi > 0 && static_cast<double>(hi) > 100.0 * static_cast<double>(std::max<TimeNs>(lo, 1));
}

ScatterAxis durationAxis(TimeNs lo, TimeNs hi, bool log)
{
    ScatterAxis axis;
    axis.log = log;
    if (!log) {
        axis.min = 0;
        axis.max = hi > 0 ? static_cast<double>(hi) * 1.06 : 1000.0;
        return axis;
    }
    const double low = std::log10(static_cast<double>(std::max<TimeNs>(lo, 1)));
    const double high = std::log10(static_cast<double>(std::max<TimeNs>(hi, 1)));
    const double pad = std::max(0.15, (high - low) * 0.06);
    axis.min = std::pow(10.0, std::max(0.0, low - pad));
    axis.max = std::pow(10.0, high + pad);
    return axis;
}

std::vector<ScatterTick> durationTicks(const ScatterAxis& axis, double minSpacing)
{
    std::vector<ScatterTick> ticks;
    const double length = std::abs(axis.to - axis.from);
    if (length <= 0 || axis.max <= axis.min)
        return ticks;
    if (!axis.log) {
        const TimeScale scale{.viewStart = static_cast<TimeNs>(std::floor(axis.min)),
                              .viewEnd = static_cast<TimeNs>(std::ceil(axis.max)),
                              .width = length};
        for (const TimeTick& tick : scale.ticks(minSpacing))
            ticks.push_back({static_cast<double>(tick.time), tick.label});
        return ticks;
    }
    const double low = std::log10(axis.min);
    const double high = std::log10(axis.max);
    const double perDecade = length / (high - low);
    const bool between = std::log10(2.0) * perDecade >= minSpacing;
    // Too little room for each decade: every 2nd, 3rd, ... so that the units stay round (1 µs, 1 ms, 1 s).
    int every = 1;
    for (const int n : {1, 2, 3, 6, 9, 18}) {
        every = n;
        if (n * perDecade >= minSpacing)
            break;
    }
    TimeNs decade = 1;
    for (int exponent = 0; exponent < 18 && static_cast<double>(decade) <= axis.max; ++exponent, decade *= 10) {
        if (exponent % every != 0) // decades too close for a label each
            continue;
        for (const TimeNs factor : {TimeNs(1), TimeNs(2), TimeNs(5)}) {
            if (factor > 1 && !between)
                break;
            const TimeNs value = decade * factor;
            const double v = static_cast<double>(value);
            if (v >= axis.min && v <= axis.max)
                ticks.push_back({v, formatTickLabel(value, value)});
        }
    }
    return ticks;
}

namespace {

constexpr TimeNs kSecond = 1'000'000'000;
constexpr TimeNs kMinute = 60 * kSecond;
constexpr TimeNs kHour = 60 * kMinute;
constexpr TimeNs kDay = 24 * kHour;

std::vector<TimeNs> wallClockSteps()
{
    std::vector<TimeNs> steps;
    for (TimeNs decade = 1; decade < kSecond; decade *= 10) {
        for (TimeNs factor : {1, 2, 5})
            steps.push_back(decade * factor);
    }
    for (TimeNs unit : {kSecond, kMinute}) {
        for (TimeNs n : {1, 2, 5, 10, 15, 30})
            steps.push_back(n * unit);
    }
    for (TimeNs n : {1, 2, 3, 6, 12})
        steps.push_back(n * kHour);
    for (TimeNs n : {1, 2, 7, 14, 30, 60, 90, 180, 365, 730, 1825, 3650})
        steps.push_back(n * kDay);
    return steps;
}

TimeNs floorDiv(TimeNs a, TimeNs b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}

struct UtcParts {
    int year;
    unsigned month;
    unsigned day;
    TimeNs ofDay; // nanoseconds since midnight
};

UtcParts utcParts(TimeNs time)
{
    const TimeNs days = floorDiv(time, kDay);
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
    return {static_cast<int>(date.year()), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
            time - days * kDay};
}

// "HH:mm:ss" followed by `decimals` digits of the second (none for 0).
std::string timeOfDay(TimeNs ofDay, int decimals, bool seconds)
{
    const auto h = static_cast<int>(ofDay / kHour);
    const auto m = static_cast<int>(ofDay / kMinute % 60);
    const auto s = static_cast<int>(ofDay / kSecond % 60);
    char buf[40];
    if (!seconds) {
        std::snprintf(buf, sizeof buf, "%02d:%02d", h, m);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, m, s);
    std::string text = buf;
    if (decimals > 0) {
        char fraction[16];
        std::snprintf(fraction, sizeof fraction, "%09lld", static_cast<long long>(ofDay % kSecond));
        text += '.';
        text.append(fraction, static_cast<std::size_t>(decimals));
    }
    return text;
}

std::string wallClockLabel(TimeNs time, TimeNs step)
{
    if (step >= kDay)
        return utcDate(time);
    const UtcParts parts = utcParts(time);
    if (step >= kMinute)
        return timeOfDay(parts.ofDay, 0, false);
    int decimals = 0;
    for (TimeNs unit = kSecond; step % unit != 0; unit /= 10)
        ++decimals;
    return timeOfDay(parts.ofDay, decimals, true);
}

} // namespace

std::string utcDate(TimeNs time)
{
    const UtcParts parts = utcParts(time);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", parts.year, parts.month, parts.day);
    return buf;
}

std::string utcDateTime(TimeNs time)
{
    return utcDate(time) + " " + timeOfDay(utcParts(time).ofDay, 3, true);
}

std::vector<ScatterTick> wallClockTicks(const ScatterAxis& axis, TimeNs origin,
                                        const std::function<double(const std::string&)>& textWidth, double gap)
{
    std::vector<ScatterTick> ticks;
    const double length = std::abs(axis.to - axis.from);
    if (length <= 0 || axis.max <= axis.min)
        return ticks;
    const TimeNs lo = origin + static_cast<TimeNs>(std::ceil(axis.min));
    const TimeNs hi = origin + static_cast<TimeNs>(std::floor(axis.max));
    const double pixelsPerNs = length / (axis.max - axis.min);
    for (const TimeNs step : wallClockSteps()) {
        const double spacing = static_cast<double>(step) * pixelsPerNs;
        const TimeNs first = (floorDiv(lo - 1, step) + 1) * step;
        if (first > hi) { // no tick in view at this step: the coarser steps have none either
            if (spacing >= length)
                break;
            continue;
        }
        const double labelWidth = std::max(textWidth(wallClockLabel(first, step)), textWidth(wallClockLabel(hi, step)));
        if (spacing < labelWidth + gap)
            continue;
        for (TimeNs t = first; t <= hi; t += step)
            ticks.push_back({static_cast<double>(t - origin), wallClockLabel(t, step)});
        break;
    }
    return ticks;
}

double dotRadius(std::uint32_t count, std::uint32_t minCount, std::uint32_t maxCount, double minRadius,
                 double maxRadius)
{
    const double f = maxCount > minCount ? (static_cast<double>(std::clamp(count, minCount, maxCount)) - minCount) /
                                               static_cast<double>(maxCount - minCount)
                                         : 0.1; // all alike: small, for the many dots such a set has
    return std::sqrt(minRadius * minRadius + f * (maxRadius * maxRadius - minRadius * minRadius));
}

void DotGrid::build(std::vector<Dot> dots, double width, double height, double cellSize)
{
    m_dots = std::move(dots);
    m_cellSize = std::max(1.0, cellSize);
    m_columns = std::max(1, static_cast<int>(std::ceil(width / m_cellSize)));
    m_rows = std::max(1, static_cast<int>(std::ceil(height / m_cellSize)));
    m_maxRadius = 0;
    const auto cellOf = [this](const Dot& d) {
        const int c = std::clamp(static_cast<int>(d.x / m_cellSize), 0, m_columns - 1);
        const int r = std::clamp(static_cast<int>(d.y / m_cellSize), 0, m_rows - 1);
        return static_cast<std::size_t>(r) * static_cast<std::size_t>(m_columns) + static_cast<std::size_t>(c);
    };
    m_cellStart.assign(static_cast<std::size_t>(m_columns) * static_cast<std::size_t>(m_rows) + 1, 0);
    for (const Dot& d : m_dots) {
        ++m_cellStart[cellOf(d) + 1];
        m_maxRadius = std::max(m_maxRadius, d.radius);
    }
    for (std::size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_cells.resize(m_dots.size());
    std::vector<std::uint32_t> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::uint32_t i = 0; i < m_dots.size(); ++i) // in order: each cell lists its dots bottom to top
        m_cells[fill[cellOf(m_dots[i])]++] = i;
}

int DotGrid::hit(double x, double y, double tolerance) const
{
    if (m_dots.empty())
        return -1;
    const double reach = m_maxRadius + tolerance;
    const int c0 = std::max(0, static_cast<int>(std::floor((x - reach) / m_cellSize)));
    const int c1 = std::min(m_columns - 1, static_cast<int>(std::floor((x + reach) / m_cellSize)));
    const int r0 = std::max(0, static_cast<int>(std::floor((y - reach) / m_cellSize)));
    const int r1 = std::min(m_rows - 1, static_cast<int>(std::floor((y + reach) / m_cellSize)));
    int top = -1;
    int nearest = -1;
    double nearestDistance = 0;
    for (int r = r0; r <= r1; ++r) {
        for (int c = c0; c <= c1; ++c) {
            const std::size_t cell = static_cast<std::size_t>(r) * static_cast<std::size_t>(m_columns) +
                                     static_cast<std::size_t>(c);
            for (std::uint32_t k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const std::uint32_t i = m_cells[k];
                const Dot& d = m_dots[i];
                const double distance = std::hypot(d.x - x, d.y - y);
                if (distance <= d.radius)
                    top = std::max(top, static_cast<int>(i));
                else if (distance <= d.radius + tolerance && (nearest < 0 || distance < nearestDistance)) {
                    nearest = static_cast<int>(i);
                    nearestDistance = distance;
                }
            }
        }
    }
    return top >= 0 ? top : nearest;
}

} // namespace spanwise
