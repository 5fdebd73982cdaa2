// The OTLP writer: what it writes loads again into the same spans, in both encodings, from every
// format Spanwise reads.
#include <test_support.h>

#include <otlp_writer.h>
#include <same_spans.h>

#include <QTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

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
        test::verifySameSpans(original.dataset, written.dataset, {.linksAsOtlp = true});
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
        test::verifySameSpans(original.dataset, written.dataset, {.linksAsOtlp = true});
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
