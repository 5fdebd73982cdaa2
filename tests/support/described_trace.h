#pragma once
// A trace from a compact description, for model tests: one span per word,
// "id:parent:start:end:service:operation[:e]", with one-character ids (parent "-" for none), times
// in µs, `_` in names standing for a space and a trailing "e" marking an error.

#include <dataset_builder.h>

#include <QString>
#include <QStringList>

namespace spanwise::test {

inline void addDescribedTrace(DatasetBuilder& b, TraceId traceId, const QString& description)
{
    for (const QString& word : description.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList f = word.split(QLatin1Char(':'));
        SpanRecord r;
        r.traceId = traceId;
        r.id = static_cast<SpanId>(f[0].at(0).unicode());
        r.parentId = f[1] == QLatin1String("-") ? 0 : static_cast<SpanId>(f[1].at(0).unicode());
        r.start = f[2].toLongLong() * 1000;
        r.end = f[3].toLongLong() * 1000;
        r.service = b.intern(f[4].toStdString());
        r.name = b.intern(QString(f[5]).replace(QLatin1Char('_'), QLatin1Char(' ')).toStdString());
        r.status = f.value(6) == QLatin1String("e") ? StatusCode::Error : StatusCode::Unset;
        b.addSpan(r);
    }
}

// One described trace, without clock-skew adjustment.
inline Dataset describedTrace(const QString& description)
{
    DatasetBuilder b;
    addDescribedTrace(b, {0, 1}, description);
    return b.finish(BuildOptions{.adjustClockSkew = false});
}

inline Dataset describedTrace(const char* description)
{
    return describedTrace(QString::fromLatin1(description));
}

} // namespace spanwise::test
