#pragma once
// The model's text as Qt text: strings from the pool are UTF-8 views, durations are formatted by
// the model.

#include <repeat_groups.h>
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

// "min 1.20 ms / median 3.40 ms / max 9.00 ms": how long a group's calls took.
inline QString groupTimesText(const RepeatGroup& group)
{
    return QStringLiteral("min %1 / median %2 / max %3")
        .arg(durationText(group.minDuration), durationText(group.medianDuration), durationText(group.maxDuration));
}

} // namespace spanwise
