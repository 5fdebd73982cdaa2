#pragma once
// The model's text as Qt text: strings from the pool are UTF-8 views, durations are formatted by
// the model.

#include <types.h>

#include <QString>

#include <string_view>

namespace spanwise {

inline QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

inline QString durationText(TimeNs ns)
{
    return qstr(formatDuration(ns));
}

} // namespace spanwise
