#pragma once
// A trace from a compact description, for model tests: one span per word,
// "id:parent:start:end:service:operation[:e]", with one-character ids (parent "-" for none), times
// in µs, `_` in names standing for a space and a trailing "e" marking an error.

#include <dataset_builder.h>

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <string>

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

// Described traces with ids 1, 2, … in one dataset, without clock-skew adjustment.
inline std::shared_ptr<const Dataset> describedTraces(const QStringList& descriptions)
{
    DatasetBuilder b;
    std::uint64_t id = 1;
    for (const QString& d : descriptions)
        addDescribedTrace(b, {0, id++}, d);
    return std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
}

inline Dataset describedTrace(const char* description)
{
    return describedTrace(QString::fromLatin1(description));
}

// A chain of `depth` spans of service "svc", each the only child of the one before and inside it;
// span i (from the root, 0) is named name(i). For code that must not recurse.
inline Dataset chainTrace(int depth, const std::function<std::string(int)>& name)
{
    DatasetBuilder b;
    for (int i = 0; i < depth; ++i) {
        SpanRecord r;
        r.traceId = {0, 9};
        r.id = static_cast<SpanId>(i + 1);
        r.parentId = static_cast<SpanId>(i);
        r.start = i;
        r.end = 2 * depth - i;
        r.service = b.intern("svc");
        r.name = b.intern(name(i));
        b.addSpan(r);
    }
    return b.finish(BuildOptions{.adjustClockSkew = false});
}

} // namespace spanwise::test
