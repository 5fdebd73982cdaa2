#include "same_model.h"

#include "same_spans.h"

#include <QTest>

namespace spanwise::test {

namespace {

// Where an empty range starts means nothing.
bool same(Range a, Range b)
{
    return a.count == b.count && (a.count == 0 || a.first == b.first);
}

QByteArray at(const char* what, std::size_t index)
{
    return QByteArray(what) + ' ' + QByteArray::number(qulonglong(index));
}

void verifySameArrays(const Dataset& a, const Dataset& b)
{
    QCOMPARE(b.strings.size(), a.strings.size());
    for (StringId id = 0; id < a.strings.size(); ++id)
        QCOMPARE(b.str(id), a.str(id));
    QCOMPARE(b.resources.size(), a.resources.size());
    for (std::size_t i = 0; i < a.resources.size(); ++i) {
        const Resource& x = a.resources[i];
        const Resource& y = b.resources[i];
        QVERIFY2(y.service == x.service && y.host == x.host && same(y.attributes, x.attributes), at("resource", i));
    }
    QCOMPARE(b.scopes.size(), a.scopes.size());
    for (std::size_t i = 0; i < a.scopes.size(); ++i) {
        const Scope& x = a.scopes[i];
        const Scope& y = b.scopes[i];
        QVERIFY2(y.name == x.name && y.version == x.version && same(y.attributes, x.attributes), at("scope", i));
    }
    QCOMPARE(b.attributes.size(), a.attributes.size());
    for (std::size_t i = 0; i < a.attributes.size(); ++i) {
        const Attribute& x = a.attributes[i];
        const Attribute& y = b.attributes[i];
        // integer() is a value's bits, whatever its type.
        QVERIFY2(y.key == x.key && y.value.type() == x.value.type() && y.value.integer() == x.value.integer(),
                 at("attribute", i));
    }
    QCOMPARE(b.events.size(), a.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        const Event& x = a.events[i];
        const Event& y = b.events[i];
        QVERIFY2(y.time == x.time && y.name == x.name && same(y.attributes, x.attributes), at("event", i));
    }
    QCOMPARE(b.links.size(), a.links.size());
    for (std::size_t i = 0; i < a.links.size(); ++i) {
        const Link& x = a.links[i];
        const Link& y = b.links[i];
        QVERIFY2(y.traceId == x.traceId && y.spanId == x.spanId && y.type == x.type && y.traceState == x.traceState &&
                     same(y.attributes, x.attributes),
                 at("link", i));
    }
}

void verifySameTraces(const Dataset& a, const Dataset& b)
{
    QCOMPARE(b.traces.size(), a.traces.size());
    for (std::size_t t = 0; t < a.traces.size(); ++t) {
        const Trace& x = a.traces[t];
        const Trace& y = b.traces[t];
        QVERIFY2(y.id == x.id && y.first == x.first && y.count == x.count && y.start == x.start && y.end == x.end,
                 at("trace", t));
        QVERIFY2(y.rootCount == x.rootCount && y.orphanCount == x.orphanCount && y.errorCount == x.errorCount &&
                     y.duplicateCount == x.duplicateCount && y.cycleCount == x.cycleCount &&
                     y.skewAdjustedCount == x.skewAdjustedCount,
                 at("counts of trace", t));
        QCOMPARE(y.warnings, x.warnings);
        QCOMPARE(y.spanWarnings.size(), x.spanWarnings.size());
        for (std::size_t w = 0; w < x.spanWarnings.size(); ++w) {
            QCOMPARE(y.spanWarnings[w].span, x.spanWarnings[w].span);
            QCOMPARE(y.spanWarnings[w].text, x.spanWarnings[w].text);
        }
    }
}

} // namespace

void verifySameModel(const Dataset& a, const Dataset& b)
{
    verifySameSpans(a, b);
    if (QTest::currentTestFailed())
        return;
    verifySameArrays(a, b);
    if (QTest::currentTestFailed())
        return;
    verifySameTraces(a, b);
    if (QTest::currentTestFailed())
        return;
    for (std::size_t i = 0; i < a.spans.size(); ++i) {
        const Span& x = a.spans[i];
        const Span& y = b.spans[i];
        QVERIFY2(y.parent == x.parent && y.subtreeEnd == x.subtreeEnd && y.depth == x.depth, at("span", i));
        QVERIFY2(y.start == x.start && y.end == x.end && y.skewDelta == x.skewDelta && y.marks == x.marks,
                 at("span", i));
        QVERIFY2(y.resource == x.resource && y.scope == x.scope && y.service == x.service && y.name == x.name &&
                     y.statusMessage == x.statusMessage && y.traceState == x.traceState,
                 at("span", i));
        QVERIFY2(same(y.attributes, x.attributes) && same(y.events, x.events) && same(y.links, x.links), at("span", i));
    }
}

void verifySameReport(const ImportReport& a, const ImportReport& b)
{
    QCOMPARE(b.variant, a.variant);
    QCOMPARE(b.skippedSpans, a.skippedSpans);
    QCOMPARE(b.inputErrors, a.inputErrors);
    QCOMPARE(b.diagnostics.size(), a.diagnostics.size());
    for (std::size_t i = 0; i < a.diagnostics.size(); ++i) {
        const Diagnostic& x = a.diagnostics[i];
        const Diagnostic& y = b.diagnostics[i];
        QCOMPARE(y.message, x.message);
        QCOMPARE(y.offset, x.offset);
        QCOMPARE(y.line, x.line);
        QCOMPARE(y.column, x.column);
        QCOMPARE(y.severity, x.severity);
        QCOMPARE(y.skippedSpan, x.skippedSpan);
    }
}

void forThreadsAndPartSizes(const std::function<void(unsigned threads, std::size_t partBytes)>& check)
{
    for (const unsigned threads : {1u, 2u, 4u}) {
        for (const std::size_t partBytes : {std::size_t(1), std::size_t(3000), std::size_t(1) << 20}) {
            check(threads, partBytes);
            if (QTest::currentTestFailed()) {
                qWarning() << "threads" << threads << "part bytes" << partBytes;
                return;
            }
        }
    }
}

} // namespace spanwise::test
