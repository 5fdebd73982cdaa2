// The Datadog APM importer: intake lists of traces, flat span lists, test-agent snapshots (trace id
// 0), exact 64-bit ids, _dd.p.tid, kinds, errors, meta and metrics, links and events in both forms,
// the real samples, and bad input. (Raw strings here hold balanced quotes: moc reads them as plain
// strings.)
#include <test_support.h>

#include <invariants.h>
#include <span_resource.h>
#include <span_search.h>

#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

// A span; extra fields go before the closing brace.
std::string span(const std::string& traceId, const std::string& spanId, const std::string& parentId,
                 const std::string& extra = {})
{
    return "{\"trace_id\":" + traceId + ",\"span_id\":" + spanId + ",\"parent_id\":" + parentId +
           R"(,"name":"web.request","service":"shop","resource":"GET /cart","type":"web",)"
           R"("start":1700000000000000000,"duration":2500)" +
           extra + "}";
}

} // namespace

class TestDatadog : public QObject {
    Q_OBJECT
private slots:
    void shapes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("traces");
        QTest::addColumn<QString>("variant");
        const std::string root = span("1", "10", "0", R"(,"meta":{"_dd.p.tid":"6a00000000000001"})");
        const std::string child = span("1", "11", "10");
        const std::string other = span("2", "20", "0");
        QTest::newRow("list of traces") << QString::fromStdString("[[" + root + "," + child + "],[" + other + "]]") << 2
                                        << "traces";
        QTest::newRow("one trace over two lists, _dd.p.tid in the second")
            << QString::fromStdString("[[" + child + "],[" + root + "]]") << 1 << "traces";
        QTest::newRow("flat list of spans")
            << QString::fromStdString("[" + child + "," + other + "," + root + "]") << 2 << "spans";
    }
    void shapes()
    {
        QFETCH(QString, text);
        QFETCH(int, traces);
        QFETCH(QString, variant);
        const LoadResult r = loadText(text.toStdString(), false);
        QVERIFY(r.complete());
        QCOMPARE(r.format, std::string("datadog"));
        QCOMPARE(r.report.variant, variant.toStdString());
        QCOMPARE(int(r.dataset.traces.size()), traces);
        QCOMPARE(findInvariantViolation(r.dataset), std::string());
        const Span& child = *findSpan(r.dataset, 11);
        QCOMPARE(toHex(r.dataset.traces[0].id), std::string("6a000000000000010000000000000001"));
        QVERIFY(child.parent != kNoIndex); // the _dd.p.tid of its root applies to it too
        QCOMPARE(r.dataset.spans[child.parent].id, SpanId(10));
        QCOMPARE(child.start, TimeNs(1700000000000000000));
        QCOMPARE(child.end, TimeNs(1700000000000002500));
    }

    void exactIdsAndTraceIdZero()
    {
        const std::string text = "[[" + span("0", "18446744073709551615", "0") + "," +
                                 span("0", "9007199254740993", "18446744073709551615") + "]]";
        const LoadResult r = loadText(text, false);
        QVERIFY(r.complete());
        QCOMPARE(r.dataset.traces.size(), std::size_t(1));
        QVERIFY(r.dataset.traces[0].id.isZero());
        const Span* child = findSpan(r.dataset, 9007199254740993ull);
        QVERIFY(child);
        QCOMPARE(child->parentId, SpanId(18446744073709551615ull));
        QCOMPARE(r.dataset.traces[0].rootCount, 1u);
        QCOMPARE(r.dataset.traces[0].orphanCount, 0u);
    }

    void kinds_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<int>("kind");
        QTest::newRow("type web") << "" << int(SpanKind::Server);
        QTest::newRow("type http") << R"("type":"http")" << int(SpanKind::Client);
        QTest::newRow("type sql") << R"("type":"sql")" << int(SpanKind::Unspecified);
        QTest::newRow("meta span.kind first") << R"("meta":{"span.kind":"producer"})" << int(SpanKind::Producer);
    }
    void kinds()
    {
        QFETCH(QString, fields);
        QFETCH(int, kind);
        const std::string extra = fields.isEmpty() ? "" : "," + fields.toStdString();
        const LoadResult r = loadText("[[" + span("1", "1", "0", extra) + "]]", false);
        QVERIFY(r.complete());
        QCOMPARE(int(r.dataset.spans[0].kind), kind);
    }

    void fields()
    {
        const LoadResult r = loadText(
            "[[" +
                span(
                    "1", "1", "0",
                    R"(,"meta":{"http.url":"https://x/cart","component":"flask"},"metrics":{"_sampling_priority_v1":1.0,"http.status_code":200},)"
                    R"("meta_struct":{"appsec":{"triggers":[1]}},"custom":"kept")") +
                "]]",
            false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& s = d.spans[0];
        QCOMPARE(d.str(s.name), std::string_view("web.request"));
        QCOMPARE(d.str(s.service), std::string_view("shop"));
        QCOMPARE(stringOf(d, attribute(d, s, "resource.name")), std::string("GET /cart"));
        QCOMPARE(resourceNameOf(d, s), std::string_view("GET /cart"));
        // The search finds spans by their resource.
        QCOMPARE(searchSpans(d, d.traces[0], parseSpanQuery("get /CART").query), std::vector<std::uint32_t>{0});
        QCOMPARE(stringOf(d, attribute(d, s, "span.type")), std::string("web"));
        QCOMPARE(stringOf(d, attribute(d, s, "http.url")), std::string("https://x/cart"));
        QCOMPARE(attribute(d, s, "http.status_code").integer(), std::int64_t(200));
        QCOMPARE(attribute(d, s, "_sampling_priority_v1").real(), 1.0);
        QCOMPARE(attribute(d, s, "meta_struct.appsec").type(), ValueType::KeyValueList);
        QCOMPARE(stringOf(d, attribute(d, s, "custom")), std::string("kept"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<bool>("error");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("events");
        QTest::newRow("no error") << "" << false << "" << 0;
        QTest::newRow("error with type and stack")
            << R"("error":1,"meta":{"error.message":"boom","error.type":"ValueError","error.stack":"Traceback"})"
            << true << "boom" << 1;
        QTest::newRow("error.msg, meta before error")
            << R"("meta":{"error.msg":"old style"},"error":1)" << true << "old style" << 0;
        QTest::newRow("exception event already there")
            << QString::fromStdString(R"("error":1,"meta":{"error.type":"E","events":)" +
                                      quotedJson(R"([{"name":"exception","time_unix_nano":1700000000000000001}])") +
                                      "}")
            << true << "" << 1;
    }
    void errors()
    {
        QFETCH(QString, fields);
        QFETCH(bool, error);
        QFETCH(QString, message);
        QFETCH(int, events);
        const std::string extra = fields.isEmpty() ? "" : "," + fields.toStdString();
        const LoadResult r = loadText("[[" + span("1", "1", "0", extra) + "]]", false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& s = d.spans[0];
        QCOMPARE(s.status, error ? StatusCode::Error : StatusCode::Unset);
        QCOMPARE(QString::fromStdString(std::string(d.str(s.statusMessage))), message);
        QCOMPARE(int(s.events.count), events);
        if (events && fields.contains("error.stack"_L1)) {
            Span holder;
            holder.attributes = d.events[s.events.first].attributes;
            QCOMPARE(stringOf(d, attribute(d, holder, "exception.type")), std::string("ValueError"));
            QCOMPARE(stringOf(d, attribute(d, holder, "exception.message")), std::string("boom"));
            QCOMPARE(stringOf(d, attribute(d, holder, "exception.stacktrace")), std::string("Traceback"));
        }
    }

    void linksAndEvents()
    {
        const LoadResult r = loadText(
            "[[" +
                span(
                    "1", "1", "0",
                    R"(,"span_links":[{"trace_id":5,"trace_id_high":7,"span_id":9,"attributes":{"k":"v"},"tracestate":"dd=s:1","flags":1}],)"
                    R"("span_events":[{"name":"retry","time_unix_nano":1700000000000000100,"attributes":{"n":{"type":2,"int_value":3},)"
                    R"("tags":{"type":4,"array_value":{"values":[{"type":0,"string_value":"a"}]}}}}],)"
                    R"("meta":{"_dd.span_links":)" +
                        quotedJson(
                            R"([{"trace_id": "69de531200000000428252973eaf1842", "span_id": "bb6f224cb84fb9c8"}])") +
                        "}") +
                "]]",
            false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& s = d.spans[0];
        QCOMPARE(s.links.count, 2u);
        const Link& link = d.links[s.links.first];
        QCOMPARE(link.traceId.high, 7ull);
        QCOMPARE(link.traceId.low, 5ull);
        QCOMPARE(link.spanId, SpanId(9));
        QCOMPARE(d.str(link.traceState), std::string_view("dd=s:1"));
        const Link& legacy = d.links[s.links.first + 1];
        QCOMPARE(toHex(legacy.traceId), std::string("69de531200000000428252973eaf1842"));
        QCOMPARE(legacy.spanId, SpanId(0xbb6f224cb84fb9c8ull));
        QCOMPARE(s.events.count, 1u);
        const Event& e = d.events[s.events.first];
        QCOMPARE(d.str(e.name), std::string_view("retry"));
        QCOMPARE(e.time, TimeNs(1700000000000000100));
        Span holder;
        holder.attributes = e.attributes;
        QCOMPARE(attribute(d, holder, "n").integer(), std::int64_t(3));
        QCOMPARE(attribute(d, holder, "tags").type(), ValueType::Array);
    }

    void realSamples_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("traces");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("errors");
        QTest::addColumn<int>("links");
        QTest::newRow("span kinds") << "datadog-otel-span-kinds.json" << 5 << 5 << 0 << 0;
        QTest::newRow("graphql error") << "datadog-graphql-error.json" << 1 << 3 << 2 << 0;
        QTest::newRow("legacy span links") << "datadog-span-links-legacy.json" << 2 << 3 << 0 << 1;
    }
    void realSamples()
    {
        QFETCH(QString, file);
        QFETCH(int, traces);
        QFETCH(int, spans);
        QFETCH(int, errors);
        QFETCH(int, links);
        const LoadResult r = load(dataPath(u"samples/"_s + file));
        QCOMPARE(r.format, std::string("datadog"));
        const Dataset& d = r.dataset;
        QCOMPARE(findInvariantViolation(d), std::string());
        QCOMPARE(int(d.traces.size()), traces);
        QCOMPARE(int(d.spans.size()), spans);
        int errorCount = 0;
        for (const Trace& t : d.traces) {
            errorCount += int(t.errorCount);
            QCOMPARE(t.orphanCount, 0u);
            QCOMPARE(t.rootCount, 1u);
        }
        QCOMPARE(errorCount, errors);
        QCOMPARE(int(d.links.size()), links);
    }

    void spanKindSample()
    {
        const LoadResult r = load(dataPath(u"samples/datadog-otel-span-kinds.json"_s));
        const Dataset& d = r.dataset;
        QCOMPARE(toHex(d.traces[0].id), std::string("69eb932d000000000000000000000000"));
        for (const Span& s : d.spans) {
            const std::string_view name = d.str(s.name);
            const SpanKind expected = name == "client"     ? SpanKind::Client
                                      : name == "server"   ? SpanKind::Server
                                      : name == "producer" ? SpanKind::Producer
                                      : name == "consumer" ? SpanKind::Consumer
                                                           : SpanKind::Unspecified; // no span.kind, type ""
            QCOMPARE(s.kind, expected);
        }
    }

    // The agent's own structs leave start and service at their zero values when a tracer omits them.
    void spanWithoutStartSitsAtItsParentsStart()
    {
        const std::string child =
            "{\"trace_id\":1,\"span_id\":11,\"parent_id\":10,\"name\":\"db.query\",\"duration\":700}";
        const LoadResult r = loadText("[[" + span("1", "10", "0") + "," + child + "]]", false);
        QVERIFY(r.complete());
        const Span* root = findSpan(r.dataset, 10);
        const Span* untimed = findSpan(r.dataset, 11);
        QVERIFY(root && untimed);
        QVERIFY(untimed->has(MarkNoTiming));
        QCOMPARE(untimed->start, root->start);
        QCOMPARE(untimed->duration(), TimeNs(700));
        QCOMPARE(r.dataset.str(untimed->service), std::string_view("unknown_service"));
        QCOMPARE(r.dataset.traces[0].start, root->start);
    }

    void spanWithEmptyServiceIsUnknownService()
    {
        const LoadResult r = loadText("[[" + span("1", "10", "0", ",\"service\":\"\"") + "]]", false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        QCOMPARE(r.dataset.str(r.dataset.spans[0].service), std::string_view("unknown_service"));
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("spans");
        QTest::newRow("id as a double") << QString::fromStdString("[[" + span("1", "1.5", "0") + "," +
                                                                  span("1", "2", "0") + "]]")
                                        << "span_id: expected an unsigned 64-bit integer, found 1.5" << 1;
        QTest::newRow("id beyond 64 bits")
            << QString::fromStdString("[" + span("18446744073709551616", "1", "0") + "]")
            << "trace_id: expected an unsigned 64-bit integer, found 18446744073709551616" << 0;
        QTest::newRow("no span_id") << QString::fromStdString("[[{\"trace_id\":1,\"start\":1}," + span("1", "2", "0") +
                                                              "]]")
                                    << "span_id: missing" << 1;
        QTest::newRow("start a string of letters")
            << QString::fromStdString("[[" + span("1", "1", "0", ",\"start\":\"soon\"") + "]]")
            << "start: expected integer nanoseconds, found \"soon\"" << 0;
        QTest::newRow("cut off") << QString::fromStdString(
                                        ("[[" + span("1", "1", "0") + "," + span("1", "2", "1")).substr(0, 250))
                                 << "cut off" << 1;
    }
    void badInput()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QFETCH(int, spans);
        verifyBadInput(text, "datadog", expected, spans);
    }
};

QTEST_GUILESS_MAIN(TestDatadog)
#include "tst_datadog.moc"
