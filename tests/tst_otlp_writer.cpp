// The OTLP writer: what it writes loads again into the same spans, in both encodings, from every
// format Spanwise reads.
#include <test_support.h>

#include <otlp_writer.h>

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <set>

using namespace Qt::StringLiterals;
using namespace spanwise;

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

// b (written from a and loaded again) holds a's spans, span for span in the same depth-first order.
void verifySameSpans(const Dataset& a, const Dataset& b)
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
            QVERIFY2(linksOf(b, *tb, y, false) == linksOf(a, ta, x, true), where);
            QVERIFY2(resourceOf(b, y) == resourceOf(a, x), where);
            QVERIFY2(scopeOf(b, y) == scopeOf(a, x), where);
        }
    }
}

LoadResult reload(const std::string& bytes, const char* expectedFormat)
{
    LoadResult result = loadBytes(bytes, "written");
    if (!result.complete())
        QTest::qFail(("written file does not load:\n" + result.errorText()).c_str(), __FILE__, __LINE__);
    if (result.format != expectedFormat)
        QTest::qFail(("read as " + result.format).c_str(), __FILE__, __LINE__);
    return result;
}

const char* formatOf(OtlpEncoding encoding)
{
    return encoding == OtlpEncoding::Protobuf ? "otlp-proto" : "otlp-json";
}

// Every value type, nesting, an event, a link, an error status, trace state and flags, a scope.
const char* const kEveryField = R"({"resourceSpans":[{"resource":{"attributes":[
  {"key":"service.name","value":{"stringValue":"shop"}},{"key":"host.name","value":{"stringValue":"h1"}}]},
 "scopeSpans":[{"scope":{"name":"lib","version":"1.2","attributes":[{"key":"a","value":{"intValue":"1"}}]},
  "spans":[
  {"traceId":"5759e988bd862e3fe1be46a994272793","spanId":"0000000000000001","name":"root","kind":2,
   "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600005000000",
   "traceState":"vendor=x","flags":257,
   "attributes":[
    {"key":"s","value":{"stringValue":"text ✓"}},
    {"key":"i","value":{"intValue":"-9223372036854775808"}},
    {"key":"d","value":{"doubleValue":0.1}},
    {"key":"nan","value":{"doubleValue":"NaN"}},
    {"key":"inf","value":{"doubleValue":"-Infinity"}},
    {"key":"b","value":{"boolValue":true}},
    {"key":"y","value":{"bytesValue":"AAH/"}},
    {"key":"empty","value":{}},
    {"key":"arr","value":{"arrayValue":{"values":[{"intValue":"1"},{"arrayValue":{"values":[{"stringValue":"x"}]}}]}}},
    {"key":"kv","value":{"kvlistValue":{"values":[{"key":"inner","value":{"kvlistValue":{"values":[
      {"key":"deep","value":{"boolValue":false}}]}}}]}}}],
   "events":[{"timeUnixNano":"1767225600001000000","name":"exception","attributes":[
     {"key":"exception.message","value":{"stringValue":"boom"}}]}],
   "links":[{"traceId":"00000000000000000000000000000abc","spanId":"0000000000000def","traceState":"k=v",
     "attributes":[{"key":"why","value":{"stringValue":"batch"}}]}],
   "status":{"code":2,"message":"failed"}},
  {"traceId":"5759e988bd862e3fe1be46a994272793","spanId":"0000000000000002","parentSpanId":"0000000000000001",
   "name":"still running","kind":3,"startTimeUnixNano":"1767225600002000000"}]}]}]})";

// A Zipkin client span and the server half sharing its id, with a child under the server half.
const char* const kZipkinShared = R"([
 {"traceId":"00000000000000aa","id":"000000000000000b","parentId":"000000000000000a","name":"get","kind":"CLIENT",
  "timestamp":1767225600000100,"duration":900,"localEndpoint":{"serviceName":"web"}},
 {"traceId":"00000000000000aa","id":"000000000000000b","parentId":"000000000000000a","name":"get","kind":"SERVER",
  "shared":true,"timestamp":1767225600000200,"duration":700,"localEndpoint":{"serviceName":"api"}},
 {"traceId":"00000000000000aa","id":"000000000000000c","parentId":"000000000000000b","name":"query",
  "timestamp":1767225600000300,"duration":100,"localEndpoint":{"serviceName":"api"}},
 {"traceId":"00000000000000aa","id":"000000000000000a","name":"page","kind":"SERVER",
  "timestamp":1767225600000000,"duration":1000,"localEndpoint":{"serviceName":"web"}}])";

} // namespace

Q_DECLARE_METATYPE(spanwise::OtlpEncoding)

class TestOtlpWriter : public QObject {
    Q_OBJECT
private slots:
    void everyFormatRoundTrips_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("skew");
        QTest::addColumn<OtlpEncoding>("encoding");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl", "otlp-proto", "xray", "datadog"}) {
            for (const bool skew : {false, true}) {
                QTest::addRow("%s%s, protobuf", format, skew ? " skewed" : "")
                    << QString::fromLatin1(format) << skew << OtlpEncoding::Protobuf;
                QTest::addRow("%s%s, JSON lines", format, skew ? " skewed" : "")
                    << QString::fromLatin1(format) << skew << OtlpEncoding::JsonLines;
            }
        }
    }
    void everyFormatRoundTrips()
    {
        QFETCH(QString, format);
        QFETCH(bool, skew);
        QFETCH(OtlpEncoding, encoding);
        QStringList args = {u"--traces"_s, u"3"_s, u"--seed"_s, u"7"_s};
        if (skew)
            args += {u"--skew-us"_s, u"25000"_s};
        const LoadResult original = test::load(test::generatedTrace(format, 1500, args));
        if (skew)
            QVERIFY(std::any_of(original.dataset.traces.begin(), original.dataset.traces.end(),
                                [](const Trace& t) { return t.skewAdjustedCount > 0; }));
        const LoadResult written = reload(writeOtlp(original.dataset, encoding), formatOf(encoding));
        verifySameSpans(original.dataset, written.dataset);
    }

    void everyValueTypeAndField_data()
    {
        QTest::addColumn<OtlpEncoding>("encoding");
        QTest::newRow("protobuf") << OtlpEncoding::Protobuf;
        QTest::newRow("JSON lines") << OtlpEncoding::JsonLines;
    }
    void everyValueTypeAndField()
    {
        QFETCH(OtlpEncoding, encoding);
        const LoadResult original = test::loadText(kEveryField, false);
        QVERIFY(original.complete());
        QCOMPARE(original.dataset.spans.size(), 2u);
        const LoadResult written = reload(writeOtlp(original.dataset, encoding), formatOf(encoding));
        verifySameSpans(original.dataset, written.dataset);
        const Span* running = test::findSpan(written.dataset, 2);
        QVERIFY(running && running->has(MarkInProgress));
        // Written again from what was read, the bytes are the same: nothing drifts on a second pass.
        QCOMPARE(writeOtlp(written.dataset, encoding), writeOtlp(original.dataset, encoding));
    }

    void jsonLinesFollowTheOtlpJsonMapping()
    {
        const LoadResult original = test::loadText(kEveryField, false);
        const std::string text = writeOtlp(original.dataset, OtlpEncoding::JsonLines);
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 1); // one trace, one line
        const nlohmann::json line = nlohmann::json::parse(text);
        const nlohmann::json& span = line["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
        QCOMPARE(span["traceId"].dump(), nlohmann::json("5759e988bd862e3fe1be46a994272793").dump());
        QCOMPARE(span["spanId"].dump(), nlohmann::json("0000000000000001").dump());
        QCOMPARE(span["kind"].dump(), nlohmann::json(2).dump());
        QCOMPARE(span["status"]["code"].dump(), nlohmann::json(2).dump());
        QCOMPARE(span["startTimeUnixNano"].dump(), nlohmann::json("1767225600000000000").dump());
        QCOMPARE(span["attributes"][1]["value"]["intValue"].dump(), nlohmann::json("-9223372036854775808").dump());
        QCOMPARE(span["attributes"][3]["value"]["doubleValue"].dump(), nlohmann::json("NaN").dump());
        QCOMPARE(span["attributes"][6]["value"]["bytesValue"].dump(), nlohmann::json("AAH/").dump());
        QCOMPARE(line["resourceSpans"][0]["resource"]["attributes"][0]["key"].dump(),
                 nlohmann::json("service.name").dump());
    }

    void oneLinePerTraceAndChosenTraces()
    {
        const LoadResult original = test::load(
            test::generatedTrace(u"otlp-proto"_s, 300, {u"--traces"_s, u"3"_s, u"--seed"_s, u"3"_s}));
        const std::string all = writeOtlp(original.dataset, OtlpEncoding::JsonLines);
        QCOMPARE(std::count(all.begin(), all.end(), '\n'), 3);
        const std::uint32_t chosen[] = {2, 0};
        for (const OtlpEncoding encoding : {OtlpEncoding::Protobuf, OtlpEncoding::JsonLines}) {
            const LoadResult two = reload(writeOtlp(original.dataset, encoding, chosen), formatOf(encoding));
            QCOMPARE(two.dataset.traces.size(), 2u);
            QVERIFY(two.dataset.findTrace(original.dataset.traces[0].id));
            QVERIFY(two.dataset.findTrace(original.dataset.traces[2].id));
            QVERIFY(!two.dataset.findTrace(original.dataset.traces[1].id));
        }
    }

    void zipkinSharedServerHalfGetsItsOwnId()
    {
        const LoadResult original = test::loadText(kZipkinShared, false);
        QVERIFY(original.complete());
        const Dataset& a = original.dataset;
        QCOMPARE(a.spans.size(), 4u);
        const LoadResult written = reload(writeOtlp(a, OtlpEncoding::Protobuf), "otlp-proto");
        const Dataset& b = written.dataset;
        QCOMPARE(b.spans.size(), 4u);
        QCOMPARE(b.traces[0].duplicateCount, 0u);
        QCOMPARE(b.traces[0].orphanCount, 0u);
        // Same tree: page → get (client) → get (server, a new id whose parent is the client) → query.
        for (std::uint32_t i = 0; i < 4; ++i) {
            QCOMPARE(b.spans[i].depth, a.spans[i].depth);
            QCOMPARE(b.str(b.spans[i].service), a.str(a.spans[i].service));
            QCOMPARE(b.spans[i].start, a.spans[i].start);
        }
        const Span& server = b.spans[2];
        QCOMPARE(server.kind, SpanKind::Server);
        QCOMPARE(server.parentId, SpanId(0xb));
        QVERIFY(server.id != 0xb && server.id != 0xa && server.id != 0xc);
        QCOMPARE(b.spans[3].parentId, server.id);
    }

    void invalidUtf8IsRepaired()
    {
        Dataset data;
        DatasetBuilder builder;
        SpanRecord r;
        r.traceId = {0, 7};
        r.id = 1;
        r.name = builder.intern("bad \xff name");
        r.start = 1767225600000000000;
        r.end = r.start + 1000;
        builder.addSpan(r);
        data = builder.finish();
        for (const OtlpEncoding encoding : {OtlpEncoding::Protobuf, OtlpEncoding::JsonLines}) {
            const LoadResult written = reload(writeOtlp(data, encoding), formatOf(encoding));
            QCOMPARE(written.dataset.spans.size(), 1u);
            QCOMPARE(written.dataset.str(written.dataset.spans[0].name), "bad \xef\xbf\xbd name");
        }
    }

    void emptyDatasetStillLoads()
    {
        for (const OtlpEncoding encoding : {OtlpEncoding::Protobuf, OtlpEncoding::JsonLines}) {
            const LoadResult written = reload(writeOtlp(Dataset{}, encoding), formatOf(encoding));
            QVERIFY(written.dataset.traces.empty());
        }
    }

    void encodingFromFileName()
    {
        QCOMPARE(otlpEncodingForPath("run.otlp.pb"), OtlpEncoding::Protobuf);
        QCOMPARE(otlpEncodingForPath("/tmp/a.b/run.otlp.jsonl"), OtlpEncoding::JsonLines);
        QVERIFY(!otlpEncodingForPath("run.pb"));
        QVERIFY(!otlpEncodingForPath("run.json"));
        QVERIFY(!otlpEncodingForPath("run.otlp.jsonl.gz"));
    }
};

QTEST_GUILESS_MAIN(TestOtlpWriter)
#include "tst_otlp_writer.moc"
