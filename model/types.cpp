#include "types.h"

#include <cmath>
#include <cstdio>

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

} // namespace spanwise
