#include "same_spans.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <set>

namespace spanwise::test {

namespace {

// A value as text, nested values included, so two datasets' values can be compared.
std::string describe(const Dataset& d, const Value& v)
{
    switch (v.type()) {
    case ValueType::Empty:
        return "empty";
    case ValueType::String:
        return "s:" + std::string(d.str(v.stringId()));
    case ValueType::Bytes:
        return "y:" + std::string(d.str(v.stringId()));
    case ValueType::Int:
        return "i:" + std::to_string(v.integer());
    case ValueType::Bool:
        return v.boolean() ? "true" : "false";
    case ValueType::Double: {
        const double x = v.real();
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        return std::isnan(x) ? "d:nan" : "d:" + std::to_string(bits);
    }
    case ValueType::Array:
    case ValueType::KeyValueList: {
        std::string out = v.type() == ValueType::Array ? "[" : "{";
        for (std::uint32_t i = v.range().first; i < v.range().end(); ++i)
            out += std::string(d.str(d.attributes[i].key)) + "=" + describe(d, d.attributes[i].value) + ",";
        return out + (v.type() == ValueType::Array ? "]" : "}");
    }
    }
    return {};
}

std::multiset<std::string> attributesOf(const Dataset& d, Range r, std::string_view leaveOut = {})
{
    std::multiset<std::string> out;
    for (std::uint32_t i = r.first; i < r.end(); ++i) {
        if (d.str(d.attributes[i].key) != leaveOut)
            out.insert(std::string(d.str(d.attributes[i].key)) + "=" + describe(d, d.attributes[i].value));
    }
    return out;
}

std::vector<std::string> eventsOf(const Dataset& d, const Span& s)
{
    std::vector<std::string> out;
    for (std::uint32_t i = s.events.first; i < s.events.end(); ++i) {
        const Event& e = d.events[i];
        std::string text = std::to_string(e.time) + " " + std::string(d.str(e.name));
        for (const std::string& a : attributesOf(d, e.attributes))
            text += " " + a;
        out.push_back(text);
    }
    return out;
}

// Links as OTLP carries them: a Jaeger reference with its opentracing.ref_type, a FOLLOWS_FROM parent as
// a link to the parent.
std::multiset<std::string> linksOf(const Dataset& d, const Trace& t, const Span& s, bool asWritten)
{
    std::multiset<std::string> out;
    bool parentLinked = false;
    for (std::uint32_t i = s.links.first; i < s.links.end(); ++i) {
        const Link& l = d.links[i];
        parentLinked |= l.type == LinkType::Link && l.spanId == s.parentId && l.traceId == t.id;
        std::string text = toHex(l.traceId) + "/" + toHex(l.spanId) + " " + std::string(d.str(l.traceState));
        for (const std::string& a : attributesOf(d, l.attributes))
            text += " " + a;
        if (asWritten && l.type != LinkType::Link)
            text += l.type == LinkType::ChildOf ? " opentracing.ref_type=s:child_of"
                                                : " opentracing.ref_type=s:follows_from";
        out.insert(text);
    }
    if (asWritten && s.has(MarkFollowsFrom) && !parentLinked && s.parentId != 0)
        out.insert(toHex(t.id) + "/" + toHex(s.parentId) + "  opentracing.ref_type=s:follows_from");
    return out;
}

std::multiset<std::string> resourceOf(const Dataset& d, const Span& s)
{
    return s.resource == kNoIndex ? std::multiset<std::string>{}
                                  : attributesOf(d, d.resources[s.resource].attributes, "service.name");
}

std::string scopeOf(const Dataset& d, const Span& s)
{
    if (s.scope == kNoIndex)
        return "-";
    const Scope& scope = d.scopes[s.scope];
    std::string text = std::string(d.str(scope.name)) + "@" + std::string(d.str(scope.version));
    for (const std::string& a : attributesOf(d, scope.attributes))
        text += " " + a;
    return text;
}

} // namespace

// b (written from a and loaded again) holds a's spans, span for span in the same depth-first order.
void verifySameSpans(const Dataset& a, const Dataset& b, const SameSpansOptions& options)
{
    QCOMPARE(b.traces.size(), a.traces.size());
    QCOMPARE(b.spans.size(), a.spans.size());
    for (const Trace& ta : a.traces) {
        const Trace* tb = b.findTrace(ta.id);
        QVERIFY(tb);
        QCOMPARE(tb->count, ta.count);
        QCOMPARE(tb->start, ta.start);
        QCOMPARE(tb->end, ta.end);
        QCOMPARE(tb->errorCount, ta.errorCount);
        QCOMPARE(tb->orphanCount, ta.orphanCount);
        QCOMPARE(tb->duplicateCount, ta.duplicateCount);
        for (std::uint32_t i = 0; i < ta.count; ++i) {
            const Span& x = a.spans[ta.first + i];
            const Span& y = b.spans[tb->first + i];
            const QByteArray where = "span " + QByteArray::fromStdString(toHex(x.id));
            QVERIFY2(y.id == x.id, where);
            QVERIFY2(y.parentId == x.parentId, where);
            QVERIFY2(y.parent - tb->first == x.parent - ta.first, where);
            QVERIFY2(y.start == x.start && y.end == x.end, where);
            QVERIFY2(y.skewDelta == x.skewDelta, where);
            QCOMPARE(b.str(y.name), a.str(x.name));
            QCOMPARE(b.str(y.service), a.str(x.service));
            QVERIFY2(y.kind == x.kind, where);
            QVERIFY2(y.status == x.status, where);
            QCOMPARE(b.str(y.statusMessage), a.str(x.statusMessage));
            QCOMPARE(b.str(y.traceState), a.str(x.traceState));
            QVERIFY2(y.flags == x.flags, where);
            QVERIFY2(y.marks == x.marks, where);
            QVERIFY2(attributesOf(b, y.attributes) == attributesOf(a, x.attributes), where);
            QVERIFY2(eventsOf(b, y) == eventsOf(a, x), where);
            QVERIFY2(linksOf(b, *tb, y, false) == linksOf(a, ta, x, options.linksAsOtlp), where);
            QVERIFY2(resourceOf(b, y) == resourceOf(a, x), where);
            QVERIFY2(scopeOf(b, y) == scopeOf(a, x), where);
        }
    }
}

} // namespace spanwise::test
