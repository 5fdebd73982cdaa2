#include "types.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace spanwise {

const char* toString(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Internal:
        return "internal";
    case SpanKind::Server:
        return "server";
    case SpanKind::Client:
        return "client";
    case SpanKind::Producer:
        return "producer";
    case SpanKind::Consumer:
        return "consumer";
    case SpanKind::Unspecified:
        break;
    }
    return "unspecified";
}

const char* toString(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok:
        return "ok";
    case StatusCode::Error:
        return "error";
    case StatusCode::Unset:
        break;
    }
    return "unset";
}

std::string toHex(const TraceId& id)
{
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(id.high),
                  static_cast<unsigned long long>(id.low));
    return buf;
}

std::string toHex(SpanId id)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
    return buf;
}

std::string formatDuration(TimeNs ns)
{
    struct Unit {
        double scale;
        const char* name;
    };
    static constexpr Unit units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    const double magnitude = std::fabs(static_cast<double>(ns));
    for (const Unit& unit : units) {
        if (magnitude < unit.scale && unit.scale > 1)
            continue;
        const double value = static_cast<double>(ns) / unit.scale;
        const double abs = std::fabs(value);
        const int decimals = unit.scale == 1 ? 0 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.*f %s", decimals, value, unit.name);
        return buf;
    }
    return "0 ns";
}

std::optional<TimeNs> parseDuration(std::string_view text)
{
    auto trim = [](std::string_view t) {
        while (!t.empty() && t.front() == ' ')
            t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ')
            t.remove_suffix(1);
        return t;
    };
    text = trim(text);
    std::size_t numberEnd = 0;
    while (numberEnd < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[numberEnd])) || text[numberEnd] == '.'))
        ++numberEnd;
    if (numberEnd == 0)
        return std::nullopt;
    const std::string number(text.substr(0, numberEnd));
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size())
        return std::nullopt;
    const std::string_view unit = trim(text.substr(numberEnd));
    double scale = 0;
    if (unit == "ns")
        scale = 1;
    else if (unit == "us" || unit == "µs")
        scale = 1e3;
    else if (unit == "ms" || unit.empty())
        scale = 1e6;
    else if (unit == "s")
        scale = 1e9;
    else
        return std::nullopt;
    const double ns = value * scale;
    if (!(ns < 9.2e18))
        return std::nullopt;
    return static_cast<TimeNs>(std::llround(ns));
}

} // namespace spanwise
