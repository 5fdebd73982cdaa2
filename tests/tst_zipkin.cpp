// The Zipkin JSON importer: v2 layouts and fields, v1 conversion, shared spans, fragments and
// duplicates, real files from Zipkin's own tests, generated files and bad input.
#include <test_support.h>

#include <importer.h>
#include <invariants.h>

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

constexpr TimeNs kUs = 1000;
// 2019-10-24T05:52:55Z in microseconds, the era of the Yelp sample.
constexpr std::int64_t kT0 = 1571896375000000;

std::string us(std::int64_t micros)
{
    return std::to_string(micros);
}

// A v2 span with the given id and extra fields, in trace 1, starting at kT0 + 10 µs for 5 µs.
std::string v2Span(const std::string& id, const std::string& extra = {})
{
    return R"({"traceId":"0000000000000001","id":")" + id + R"(","name":"op","timestamp":)" + us(kT0 + 10) +
           R"(,"duration":5,"localEndpoint":{"serviceName":"svc","ipv4":"10.0.0.1"})" +
           (extra.empty() ? "" : "," + extra) + "}";
}

// Raw string literals here keep their double quotes paired: moc loses track of the class otherwise.
std::string spanWithIds(const std::string& traceId, const std::string& id, const std::string& extra = {})
{
    return "{\"traceId\":\"" + traceId + "\",\"id\":\"" + id + "\",\"timestamp\":" + us(kT0) + ",\"duration\":3" +
           (extra.empty() ? "" : "," + extra) + "}";
}

const Span* findSpan(const Dataset& data, SpanId id, bool shared)
{
    const auto found = std::find_if(data.spans.begin(), data.spans.end(),
                                    [&](const Span& s) { return s.id == id && s.has(MarkShared) == shared; });
    return found == data.spans.end() ? nullptr : &*found;
}

std::string text(const Dataset& data, const Value& value)
{
    return value.type() == ValueType::String ? std::string(data.str(value.stringId())) : std::string("<not a string>");
}

std::vector<std::string> spanWarnings(const Dataset& data, const Span& span)
{
    std::vector<std::string> out;
    const auto index = static_cast<std::uint32_t>(&span - data.spans.data());
    for (const Trace& t : data.traces) {
        for (const SpanWarning& w : t.spanWarnings) {
            if (w.span == index)
                out.push_back(w.text);
        }
    }
    return out;
}

bool anyContains(const std::vector<std::string>& texts, std::string_view part)
{
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

void verifySound(const LoadResult& r)
{
    const std::string violation = findInvariantViolation(r.dataset);
    QVERIFY2(violation.empty(), violation.c_str());
}

} // namespace

class Test_zipkin : public QObject {
    Q_OBJECT
private slots:
    void sniff_data()
    {
        QTest::addColumn<QString>("head");
        QTest::addColumn<bool>("claimed");
        QTest::newRow("v2 span") << QString::fromStdString("[" + v2Span("a")) << true;
        QTest::newRow("v2 trace list") << QString::fromStdString("[[" + v2Span("a") + "]]") << true;
        QTest::newRow("v1 span, cut") << R"([{"traceId":"a","id":"b","annotations":[{"endpoint":{"serviceName")"
                                      << true;
        QTest::newRow("after a byte order mark")
            << QString::fromUtf8("\xEF\xBB\xBF [{\"traceId\":\"a\",\"id\":\"b\"}]") << true;
        QTest::newRow("OTLP JSON") << R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"a","spanId":"b"}]}]}]})"
                                   << false;
        QTest::newRow("OTLP span array") << R"([{"traceId":"a","spanId":"b","id":"c"}])" << false;
        QTest::newRow("Jaeger") << R"({"data":[{"traceID":"a","spans":[{"traceID":"a","spanID":"b"}]}]})" << false;
        QTest::newRow("Datadog") << R"([[{"trace_id":1,"span_id":2,"name":"x"}]])" << false;
        QTest::newRow("empty array") << "[]" << false;
        QTest::newRow("single span object") << QString::fromStdString(v2Span("a")) << true;
        QTest::newRow("single v1 span object, cut")
            << R"({"traceId":"a","id":"b","annotations":[{"value":"cs")" << true;
    }
    void sniff()
    {
        QFETCH(QString, head);
        QFETCH(bool, claimed);
        const std::string bytes = head.toStdString();
        QCOMPARE(zipkinImporter().sniff(bytes) > 0, claimed);
        if (claimed) // no other importer claims it more strongly
            QCOMPARE(test::loadText(bytes).format, std::string("zipkin"));
    }

    void layouts_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("traces");
        const std::string a = v2Span("a"), b = v2Span("b", R"("parentId":"a")");
        const std::string other = R"({"traceId":"2","id":"c","name":"x","timestamp":)" + us(kT0) +
                                  R"(,"duration":1,"localEndpoint":{"serviceName":"s"}})";
        QTest::newRow("flat array") << QString::fromStdString("[" + a + "," + b + "," + other + "]") << 3 << 2;
        QTest::newRow("array of traces") << QString::fromStdString("[[" + a + "," + b + "],[" + other + "]]") << 3 << 2;
        QTest::newRow("traces and spans mixed") << QString::fromStdString("[[" + a + "]," + b + "]") << 2 << 1;
        QTest::newRow("empty trace first") << QString::fromStdString("[[],[" + a + "]]") << 1 << 1;
        QTest::newRow("whitespace everywhere") << QString::fromStdString("\n [ \n [ " + a + " ] \n ] \n") << 1 << 1;
    }
    void layouts()
    {
        QFETCH(QString, json);
        QFETCH(int, spans);
        QFETCH(int, traces);
        const LoadResult r = test::loadText(json.toStdString(), false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(spans));
        QCOMPARE(r.dataset.traces.size(), std::size_t(traces));
        QCOMPARE(r.report.variant, std::string("zipkin-v2"));
        verifySound(r);
    }

    void ids_data()
    {
        QTest::addColumn<QString>("traceId");
        QTest::addColumn<QString>("id");
        QTest::addColumn<quint64>("high");
        QTest::addColumn<quint64>("low");
        QTest::addColumn<quint64>("spanId");
        QTest::newRow("64-bit") << "a03ee8fff1dcd9b9"
                                << "15fc03927f0f68df" << quint64(0) << quint64(0xa03ee8fff1dcd9b9)
                                << quint64(0x15fc03927f0f68df);
        QTest::newRow("128-bit") << "5af7183fb1d4cf5f6b221d5bc9e6496c"
                                 << "6b221d5bc9e6496c" << quint64(0x5af7183fb1d4cf5f) << quint64(0x6b221d5bc9e6496c)
                                 << quint64(0x6b221d5bc9e6496c);
        QTest::newRow("128-bit with zero high half") << "0000000000000000a03ee8fff1dcd9b9"
                                                     << "1" << quint64(0) << quint64(0xa03ee8fff1dcd9b9) << quint64(1);
        QTest::newRow("short ids left-padded") << "abc"
                                               << "00f" << quint64(0) << quint64(0xabc) << quint64(0xf);
        QTest::newRow("upper case") << "A03EE8FFF1DCD9B9"
                                    << "15FC03927F0F68DF" << quint64(0) << quint64(0xa03ee8fff1dcd9b9)
                                    << quint64(0x15fc03927f0f68df);
    }
    void ids()
    {
        QFETCH(QString, traceId);
        QFETCH(QString, id);
        QFETCH(quint64, high);
        QFETCH(quint64, low);
        QFETCH(quint64, spanId);
        const LoadResult r = test::loadText("[" + spanWithIds(traceId.toStdString(), id.toStdString()) + "]", false);
        QCOMPARE(r.dataset.traces.size(), std::size_t(1));
        QCOMPARE(r.dataset.traces[0].id.high, high);
        QCOMPARE(r.dataset.traces[0].id.low, low);
        QCOMPARE(r.dataset.spans[0].id, spanId);
    }

    void shortAndLongFormOfOneTraceId()
    {
        const std::string json =
            R"([{"traceId":"a03ee8fff1dcd9b9","id":"1","timestamp":)" + us(kT0) +
            R"(,"duration":9},{"traceId":"0000000000000000a03ee8fff1dcd9b9","id":"2","parentId":"1","timestamp":)" +
            us(kT0 + 1) + R"(,"duration":2}])";
        const LoadResult r = test::loadText(json, false);
        QCOMPARE(r.dataset.traces.size(), std::size_t(1));
        QCOMPARE(r.dataset.spans[1].parent, 0u);
    }

    void v2Fields()
    {
        const std::string json = "[" +
                                 v2Span("1", R"("parentId":"0000000000000000","kind":"CLIENT","debug":true,
            "localEndpoint":{"serviceName":"frontend","ipv4":"10.1.2.3","ipv6":"::1","port":8080},
            "remoteEndpoint":{"serviceName":"backend","ipv4":"10.9.9.9","port":9000},
            "annotations":[{"timestamp":)" + us(kT0 + 14) +
                                                 R"(,"value":"late"},{"timestamp":)" + us(kT0 + 11) +
                                                 R"(,"value":"wire send"}],
            "tags":{"http.path":"/api","http.status_code":"200","retry":2,"cached":false,"nothing":null})") +
                                 "]";
        const LoadResult r = test::loadText(json, false);
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(1));
        const Span& s = d.spans[0];
        QCOMPARE(s.start, (kT0 + 10) * kUs);
        QCOMPARE(s.end, (kT0 + 15) * kUs);
        QCOMPARE(s.parentId, SpanId(0));
        QCOMPARE(s.kind, SpanKind::Client);
        QCOMPARE(d.str(s.name), std::string_view("op"));
        QCOMPARE(d.str(s.service), std::string_view("frontend"));
        QVERIFY(s.resource != kNoIndex);
        const Resource& res = d.resources[s.resource];
        QCOMPARE(d.str(res.host), std::string_view("10.1.2.3"));
        QCOMPARE(d.attributes[res.attributes.first + 2].value.integer(), std::int64_t(8080));
        QCOMPARE(text(d, test::attribute(d, s, "peer.service")), std::string("backend"));
        QCOMPARE(text(d, test::attribute(d, s, "net.peer.ip")), std::string("10.9.9.9"));
        QCOMPARE(test::attribute(d, s, "net.peer.port").integer(), std::int64_t(9000));
        QCOMPARE(text(d, test::attribute(d, s, "http.path")), std::string("/api"));
        QCOMPARE(text(d, test::attribute(d, s, "http.status_code")), std::string("200"));
        QCOMPARE(test::attribute(d, s, "retry").integer(), std::int64_t(2));
        QCOMPARE(test::attribute(d, s, "cached").type(), ValueType::Bool);
        QCOMPARE(test::attribute(d, s, "nothing").type(), ValueType::Empty);
        QVERIFY(test::attribute(d, s, "debug").boolean());
        QCOMPARE(s.events.count, 2u);
        QCOMPARE(d.str(d.events[s.events.first].name), std::string_view("wire send")); // sorted by time
        QCOMPARE(d.events[s.events.first].time, (kT0 + 11) * kUs);
        QCOMPARE(s.status, StatusCode::Unset);
        QVERIFY(r.report.diagnostics.empty());
    }

    void kinds_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<int>("kind");
        QTest::newRow("CLIENT") << R"("kind":"CLIENT")" << int(SpanKind::Client);
        QTest::newRow("SERVER") << R"("kind":"SERVER")" << int(SpanKind::Server);
        QTest::newRow("PRODUCER") << R"("kind":"PRODUCER")" << int(SpanKind::Producer);
        QTest::newRow("CONSUMER") << R"("kind":"CONSUMER")" << int(SpanKind::Consumer);
        QTest::newRow("absent: local span") << R"("tags":{})" << int(SpanKind::Internal);
        QTest::newRow("null: local span") << R"("kind":null)" << int(SpanKind::Internal);
        QTest::newRow("absent with a remote endpoint: unknown role")
            << R"("remoteEndpoint":{"serviceName":"db"})" << int(SpanKind::Unspecified);
    }
    void kinds()
    {
        QFETCH(QString, fields);
        QFETCH(int, kind);
        const LoadResult r = test::loadText("[" + v2Span("1", fields.toStdString()) + "]", false);
        QCOMPARE(int(r.dataset.spans.at(0).kind), kind);
    }

    void missingTimes_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("warning");
        QTest::newRow("no duration") << QString::fromStdString(R"([{"traceId":"1","id":"2","timestamp":)" + us(kT0) +
                                                               "}]")
                                     << qint64(kT0 * kUs) << qint64(kT0 * kUs) << "no duration";
        QTest::newRow("no timestamp, annotations")
            << QString::fromStdString(R"([{"traceId":"1","id":"2","duration":7,"annotations":[{"timestamp":)" +
                                      us(kT0 + 3) + R"(,"value":"b"},{"timestamp":)" + us(kT0 + 1) +
                                      R"(,"value":"a"}]}])")
            << qint64((kT0 + 1) * kUs) << qint64((kT0 + 8) * kUs) << "no timestamp";
        QTest::newRow("negative duration")
            << QString::fromStdString(R"([{"traceId":"1","id":"2","timestamp":)" + us(kT0) + R"(,"duration":-4}])")
            << qint64(kT0 * kUs) << qint64(kT0 * kUs) << "ends before it starts";
    }
    void missingTimes()
    {
        QFETCH(QString, json);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(QString, warning);
        const LoadResult r = test::loadText(json.toStdString(), false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        const Span& s = r.dataset.spans[0];
        QCOMPARE(s.start, start);
        QCOMPARE(s.end, end);
        const auto warnings = spanWarnings(r.dataset, s);
        QVERIFY2(anyContains(warnings, warning.toStdString()), warnings.empty() ? "none" : warnings[0].c_str());
    }

    // Zipkin keeps spans reported without timestamp and duration: a fragment whose other part
    // has the timing is merged with it, one without any timing sits at its parent's start.
    void spansWithoutTiming()
    {
        const LoadResult r = test::load(test::dataPath(QStringLiteral("zipkin/v2-fragments-without-timing.json")));
        QVERIFY(r.complete());
        QVERIFY(r.report.diagnostics.empty());
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(5));
        const Span* client = findSpan(d, 0x7c1d2e3f40516273, false);
        const Span* server = findSpan(d, 0x7c1d2e3f40516273, true);
        const Span* query = findSpan(d, 0x0a0b0c0d0e0f1011, false);
        const Span* render = findSpan(d, 0x1213141516171819, false);
        QVERIFY(client && server && query && render);
        QVERIFY(server->has(MarkMerged));
        QVERIFY(!server->has(MarkNoTiming)); // the timing of the fragment that has it
        QCOMPARE(server->duration(), 27000 * kUs);
        QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
        QCOMPARE(std::string(text(d, test::attribute(d, *server, "http.status_code"))), std::string("200"));
        QVERIFY(query->has(MarkNoTiming));
        QCOMPARE(query->parent, std::uint32_t(server - d.spans.data()));
        QCOMPARE(query->start, server->start);
        QCOMPARE(query->duration(), TimeNs(0));
        QVERIFY(!query->has(MarkOutlivesParent));
        QCOMPARE(spanWarnings(d, *query), std::vector<std::string>{"no timing in the file"});
        QCOMPARE(d.str(render->service), std::string_view("unknown_service"));
        verifySound(r);
    }

    void rootWithoutTimingStartsTheTrace()
    {
        const std::string json = R"([{"traceId":"1","id":"a","name":"root","localEndpoint":{"serviceName":"s"}},)" +
                                 v2Span("b", R"("parentId":"a")") + "]";
        const LoadResult r = test::loadText(json, false);
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(2));
        const Span& root = d.spans[0];
        QCOMPARE(root.id, SpanId(0xa));
        QVERIFY(root.has(MarkNoTiming));
        QCOMPARE(root.start, (kT0 + 10) * kUs);
        QCOMPARE(root.end, root.start);
        QCOMPARE(d.traces[0].start, root.start);
        QCOMPARE(d.traces[0].end, (kT0 + 15) * kUs);
        QVERIFY(!d.spans[1].has(MarkOutlivesParent)); // a parent without timing has no end to outlive
        verifySound(r);
    }

    // The OpenTelemetry JavaScript exporter writes the start in fractional microseconds: read to the
    // nanosecond from the text, further digits dropped, annotations too.
    void fractionalMicrosecondsKeepTheNanoseconds()
    {
        const std::string json =
            R"([{"traceId":"1","id":"a","timestamp":1767225600123456.8,"duration":376543,)"
            R"("annotations":[{"timestamp":1767225600123457.25,"value":"e"}]},)"
            R"({"traceId":"1","id":"b","parentId":"a","timestamp":1767225600123460.0004567,"duration":1.5}])";
        const LoadResult r = test::loadText(json, false);
        QVERIFY(r.report.diagnostics.empty());
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(2));
        QCOMPARE(d.spans[0].start, TimeNs(1767225600123456800));
        QCOMPARE(d.spans[0].end, TimeNs(1767225600123456800 + 376543000));
        QCOMPARE(d.events.at(d.spans[0].events.first).time, TimeNs(1767225600123457250));
        QCOMPARE(d.spans[1].start, TimeNs(1767225600123460000));
        QCOMPARE(d.spans[1].duration(), TimeNs(1500));
    }

    void durationWithoutTimestampKeepsTheDuration()
    {
        const std::string json = "[" + v2Span("a") + R"(,{"traceId":"1","id":"b","parentId":"a","duration":3}])";
        const LoadResult r = test::loadText(json, false);
        const Span* b = findSpan(r.dataset, 0xb, false);
        QVERIFY(b);
        QVERIFY(b->has(MarkNoTiming));
        QCOMPARE(b->start, (kT0 + 10) * kUs);
        QCOMPARE(b->duration(), 3 * kUs);
        QVERIFY(anyContains(spanWarnings(r.dataset, *b), "no start time in the file"));
    }

    // Zipkin's Trace.merge hands a shared server half without a parent id its client's parent.
    void sharedServerWithoutParentIdTakesTheClients()
    {
        const std::string json =
            "[" + v2Span("a", R"("kind":"CLIENT","parentId":"f","localEndpoint":{"serviceName":"client"})") + "," +
            v2Span("a", R"("kind":"SERVER","shared":true,"localEndpoint":{"serviceName":"server"})") + "]";
        const LoadResult r = test::loadText(json, false);
        const Span* server = findSpan(r.dataset, 0xa, true);
        QVERIFY(server);
        QCOMPARE(server->parentId, SpanId(0xf));
    }

    // Keys are matched on their raw text; one written with escapes takes the slow way, and only once.
    void keysWrittenWithEscapes()
    {
        const std::string json = "[" + v2Span("a") +
                                 ",{\"trace\\u0049d\":\"1\",\"\\u0069d\":\"2\",\"timestamp\":" + us(kT0) +
                                 ",\"duration\":4,\"x\\u0079z\":1,\"localEndpoint\":{\"service\\u004eame\":\"s\"}}]";
        const LoadResult r = test::loadText(json, false); // the first span lets the sniffer see Zipkin
        QCOMPARE(r.dataset.spans.size(), std::size_t(2));
        const Span* s = findSpan(r.dataset, 2, false);
        QVERIFY(s);
        QCOMPARE(s->duration(), 4 * kUs);
        QCOMPARE(r.dataset.str(s->service), std::string_view("s"));
    }

    void singleSpanObject()
    {
        const LoadResult r = test::load(test::dataPath(QStringLiteral("zipkin/v2-single-span.json")));
        QCOMPARE(r.format, std::string("zipkin"));
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        const Span& s = r.dataset.spans[0];
        QCOMPARE(s.id, SpanId(0x4d1e00c0db9010db));
        QCOMPARE(r.dataset.str(s.service), std::string_view("frontend"));
        QCOMPARE(s.duration(), 207000 * kUs);
        QVERIFY(s.has(MarkOrphan));
    }

    void singleSpanObjectWithTrailingContent()
    {
        const std::string json = v2Span("a") + " {}";
        const LoadResult r = test::loadText(json);
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        QVERIFY(test::findDiagnostic(r.report, QStringLiteral("unexpected content after the span")));
    }

    void spanWithoutServiceIsUnknownService_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::newRow("no localEndpoint") << "";
        QTest::newRow("localEndpoint without serviceName") << R"(,"localEndpoint":{"ipv4":"10.0.0.2"})";
        QTest::newRow("empty serviceName") << R"(,"localEndpoint":{"serviceName":""})";
    }
    void spanWithoutServiceIsUnknownService()
    {
        QFETCH(QString, endpoint);
        const std::string json = R"([{"traceId":"1","id":"2","timestamp":)" + us(kT0) + R"(,"duration":1)" +
                                 endpoint.toStdString() + "}]";
        const LoadResult r = test::loadText(json, false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        QCOMPARE(r.dataset.str(r.dataset.spans[0].service), std::string_view("unknown_service"));
        QCOMPARE(r.dataset.services(r.dataset.traces[0]), std::vector<std::string_view>{"unknown_service"});
    }

    void errorStatus_data()
    {
        QTest::addColumn<QString>("tags");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("error with a message")
            << R"("error":"connection refused")" << int(StatusCode::Error) << "connection refused";
        QTest::newRow("error, empty") << R"("error":"")" << int(StatusCode::Error) << "";
        QTest::newRow("OpenTelemetry error") << R"("otel.status_code":"ERROR","otel.status_description":"deadline")"
                                             << int(StatusCode::Error) << "deadline";
        QTest::newRow("OpenTelemetry ok") << R"("otel.status_code":"OK")" << int(StatusCode::Ok) << "";
        QTest::newRow("no error tag") << R"("http.status_code":"500")" << int(StatusCode::Unset) << "";
    }
    void errorStatus()
    {
        QFETCH(QString, tags);
        QFETCH(int, status);
        QFETCH(QString, message);
        const LoadResult r = test::loadText("[" + v2Span("1", "\"tags\":{" + tags.toStdString() + "}") + "]", false);
        const Span& s = r.dataset.spans.at(0);
        QCOMPARE(int(s.status), status);
        QCOMPARE(QString::fromUtf8(r.dataset.str(s.statusMessage)), message);
        QCOMPARE(r.dataset.traces[0].errorCount, status == int(StatusCode::Error) ? 1u : 0u);
    }

    void sharedServerIsChildOfClient()
    {
        const std::string json =
            "[" + v2Span("a", R"("kind":"SERVER","shared":true,"localEndpoint":{"serviceName":"server"})") + "," +
            v2Span("a", R"("kind":"CLIENT","parentId":"b","localEndpoint":{"serviceName":"client"})") + "," +
            v2Span("b", R"("kind":"SERVER")") + "," +
            v2Span("c", R"("parentId":"a","localEndpoint":{"serviceName":"server"})") + "]";
        const LoadResult r = test::loadText(json, false);
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(4));
        const Span* client = findSpan(d, 0xa, false);
        const Span* server = findSpan(d, 0xa, true);
        const Span* child = findSpan(d, 0xc, false);
        QVERIFY(client && server && child);
        QCOMPARE(d.str(server->service), std::string_view("server"));
        QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
        QCOMPARE(child->parent, std::uint32_t(server - d.spans.data())); // children of a shared id ran in the server
        QCOMPARE(d.traces[0].duplicateCount, 0u);
        QVERIFY(!server->has(MarkMerged));
    }

    void repeatedIds_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<int>("spans");
        QTest::addColumn<bool>("merged");
        QTest::addColumn<QString>("service");
        QTest::newRow("start and finish fragments")
            << uR"("name":"get","kind":"CLIENT","timestamp":)"_s + QString::number(kT0) +
                   uR"(,"tags":{"a":"1","b":"first"})"_s
            << uR"("duration":25,"tags":{"b":"second","c":"3"},"annotations":[{"timestamp":)"_s +
                   QString::number(kT0 + 2) + uR"(,"value":"done"}])"_s
            << 1 << true << "unknown_service";
        QTest::newRow("fragment without endpoint") << uR"("name":"get","timestamp":)"_s + QString::number(kT0) +
                                                          uR"(,"localEndpoint":{"serviceName":"svc","port":80})"_s
                                                   << uR"("duration":25,"localEndpoint":null)"_s << 1 << true << "svc";
        QTest::newRow("endpoint completed by the second fragment")
            << uR"("name":"get","timestamp":)"_s + QString::number(kT0) + uR"(,"localEndpoint":{"serviceName":"svc"})"_s
            << uR"("duration":25,"localEndpoint":{"serviceName":"svc","ipv4":"10.0.0.7"})"_s << 1 << true << "svc";
        QTest::newRow("different service: duplicate")
            << uR"("name":"get","timestamp":)"_s + QString::number(kT0) +
                   uR"(,"duration":25,"localEndpoint":{"serviceName":"one"})"_s
            << uR"("name":"get","timestamp":)"_s + QString::number(kT0) +
                   uR"(,"duration":25,"localEndpoint":{"serviceName":"two"})"_s
            << 2 << false << "";
        QTest::newRow("different port: duplicate")
            << uR"("timestamp":)"_s + QString::number(kT0) +
                   uR"(,"duration":2,"localEndpoint":{"serviceName":"s","port":1})"_s
            << uR"("timestamp":)"_s + QString::number(kT0) +
                   uR"(,"duration":2,"localEndpoint":{"serviceName":"s","port":2})"_s
            << 2 << false << "";
    }
    void repeatedIds()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(int, spans);
        QFETCH(bool, merged);
        QFETCH(QString, service);
        auto fragment = [](const QString& fields) {
            return R"({"traceId":"7","id":"1",)" + fields.toStdString() + "}";
        };
        const std::string json = "[" + fragment(first) + "," + v2Span("2") + "," + fragment(second) + "]";
        const LoadResult r = test::loadText(json, false);
        const Dataset& d = r.dataset;
        const Trace* trace = d.findTrace(TraceId{0, 7});
        QVERIFY(trace);
        QCOMPARE(trace->count, std::uint32_t(spans));
        QCOMPARE(trace->duplicateCount, merged ? 0u : 1u);
        QCOMPARE(trace->warnings.size(), std::size_t(merged ? 1 : 0));
        if (!merged) {
            QVERIFY(d.spans[trace->first].has(MarkDuplicateId) || d.spans[trace->first + 1].has(MarkDuplicateId));
            QVERIFY(!d.spans[trace->first].has(MarkMerged) && !d.spans[trace->first + 1].has(MarkMerged));
            return;
        }
        QCOMPARE(trace->warnings[0], std::string("2 span fragments merged into 1 span"));
        const Span& s = d.spans[trace->first];
        QVERIFY(s.has(MarkMerged));
        QCOMPARE(d.str(s.name), std::string_view("get"));
        QCOMPARE(s.start, kT0 * kUs);
        QCOMPARE(s.end, (kT0 + 25) * kUs);
        QCOMPARE(QString::fromUtf8(d.str(s.service)), service);
        QVERIFY(spanWarnings(d, s).empty());
    }

    void mergedFragmentsUnionTagsAndAnnotations()
    {
        const std::string started = R"({"traceId":"7","id":"1","name":"get","kind":"CLIENT","timestamp":)" + us(kT0) +
                                    R"(,"tags":{"a":"1","b":"first"},"annotations":[{"timestamp":)" + us(kT0 + 1) +
                                    R"(,"value":"sent"}]})";
        const std::string finished = R"({"traceId":"7","id":"1","duration":25,"tags":{"b":"second","error":"late"},)"
                                     R"("annotations":[{"timestamp":)" +
                                     us(kT0 + 1) + R"(,"value":"sent"},{"timestamp":)" + us(kT0 + 20) +
                                     R"(,"value":"received"}]})";
        const std::string tagged = R"({"traceId":"7","id":"1","tags":{"c":"3"}})";
        const LoadResult r = test::loadText("[" + started + "," + finished + "," + tagged + "]", false);
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(1));
        const Span& s = d.spans[0];
        QCOMPARE(s.kind, SpanKind::Client);
        QCOMPARE(text(d, test::attribute(d, s, "a")), std::string("1"));
        QCOMPARE(text(d, test::attribute(d, s, "b")), std::string("second")); // the later fragment's value
        QCOMPARE(text(d, test::attribute(d, s, "c")), std::string("3"));
        QCOMPARE(s.attributes.count, 4u);
        QCOMPARE(s.events.count, 2u); // the repeated "sent" once
        QCOMPARE(s.status, StatusCode::Error);
        QCOMPARE(d.str(s.statusMessage), std::string_view("late"));
        QCOMPARE(d.traces[0].warnings.at(0), std::string("3 span fragments merged into 1 span"));
    }

    void serverWithoutSharedFlag()
    {
        const std::string json = "[" + v2Span("a", R"("kind":"SERVER","localEndpoint":{"serviceName":"server"})") +
                                 "," + v2Span("a", R"("kind":"CLIENT","localEndpoint":{"serviceName":"client"})") + "]";
        const LoadResult r = test::loadText(json, false);
        const Dataset& d = r.dataset;
        const Span* client = findSpan(d, 0xa, false);
        const Span* server = findSpan(d, 0xa, true);
        QVERIFY(client && server);
        QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
        QCOMPARE(d.traces[0].duplicateCount, 0u);
        QVERIFY(anyContains(spanWarnings(d, *server), "without the shared flag"));
    }

    void v1Conversion_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("spans");
        QTest::addColumn<bool>("shared"); // which half of span 1 to check
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("startUs"); // offsets from kT0
        QTest::addColumn<qint64>("endUs");
        QTest::addColumn<QString>("service");
        auto ep = [](const char* service) {
            return uR"({"serviceName":"%1","ipv4":"10.0.0.1"})"_s.arg(QLatin1StringView(service));
        };
        auto ann = [&](int at, const char* value, const char* service) {
            return uR"({"timestamp":%1,"value":"%2","endpoint":%3})"_s.arg(kT0 + at).arg(QLatin1StringView(value),
                                                                                         ep(service));
        };
        auto span = [](const QString& fields) -> QString {
            return uR"([{"traceId":"9","id":"1","name":"rpc",)"_s + fields + u"}]"_s;
        };
        const QString rpc = u"\"annotations\":["_s + ann(0, "cs", "a") + u","_s + ann(2, "sr", "b") + u","_s +
                            ann(8, "ss", "b") + u","_s + ann(10, "cr", "a") + u"]"_s;
        QTest::newRow("cs sr ss cr: client half")
            << span(rpc) << 2 << false << int(SpanKind::Client) << 0ll << 10ll << "a";
        QTest::newRow("cs sr ss cr: server half")
            << span(rpc) << 2 << true << int(SpanKind::Server) << 2ll << 8ll << "b";
        QTest::newRow("span timestamp wins for the client")
            << span(uR"("timestamp":%1,"duration":20,)"_s.arg(kT0 - 1) + rpc) << 2 << false << int(SpanKind::Client)
            << -1ll << 19ll << "a";
        const QString loopback = u"\"annotations\":["_s + ann(0, "cs", "a") + u","_s + ann(2, "sr", "a") + u","_s +
                                 ann(8, "ss", "a") + u","_s + ann(10, "cr", "a") + u"]"_s;
        QTest::newRow("loopback: server half")
            << span(loopback) << 2 << true << int(SpanKind::Server) << 2ll << 8ll << "a";
        QTest::newRow("client only") << span(u"\"annotations\":["_s + ann(0, "cs", "a") + u","_s + ann(4, "cr", "a") +
                                             u"]"_s)
                                     << 1 << false << int(SpanKind::Client) << 0ll << 4ll << "a";
        QTest::newRow("server only, no timestamp: shared")
            << span(u"\"annotations\":["_s + ann(3, "sr", "b") + u","_s + ann(5, "ss", "b") + u"]"_s) << 1 << true
            << int(SpanKind::Server) << 3ll << 5ll << "b";
        QTest::newRow("server only, with timestamp: not shared")
            << span(uR"("timestamp":%1,"duration":2,)"_s.arg(kT0 + 3) + u"\"annotations\":["_s + ann(3, "sr", "b") +
                    u","_s + ann(5, "ss", "b") + u"]"_s)
            << 1 << false << int(SpanKind::Server) << 3ll << 5ll << "b";
        QTest::newRow("cs missing, timestamp ends at cr")
            << span(uR"("timestamp":%1,"duration":6,)"_s.arg(kT0) + u"\"annotations\":["_s + ann(6, "cr", "a") + u"]"_s)
            << 1 << false << int(SpanKind::Client) << 0ll << 6ll << "a";
        QTest::newRow("producer") << span(u"\"annotations\":["_s + ann(1, "ms", "a") + u","_s + ann(2, "ws", "a") +
                                          u"]"_s)
                                  << 1 << false << int(SpanKind::Producer) << 1ll << 2ll << "a";
        const QString messaging = u"\"annotations\":["_s + ann(1, "ms", "a") + u","_s + ann(4, "wr", "b") + u","_s +
                                  ann(6, "mr", "b") + u"]"_s;
        QTest::newRow("producer and consumer: consumer half")
            << span(messaging) << 2 << true << int(SpanKind::Consumer) << 4ll << 6ll << "b";
        QTest::newRow("local span from binary annotations")
            << span(uR"("timestamp":%1,"duration":3,"binaryAnnotations":[{"key":"lc","value":"","endpoint":%2}])"_s
                        .arg(kT0 + 1)
                        .arg(ep("a")))
            << 1 << false << int(SpanKind::Internal) << 1ll << 4ll << "a";
        QTest::newRow("address annotations only: ca makes a server")
            << span(uR"("timestamp":%1,"duration":3,"binaryAnnotations":[{"key":"ca","value":true,"endpoint":%2},)"
                    uR"({"key":"http.path","value":"/","endpoint":%3}])"_s.arg(kT0)
                        .arg(ep("client"), ep("b")))
            << 1 << false << int(SpanKind::Server) << 0ll << 3ll << "b";
    }
    void v1Conversion()
    {
        QFETCH(QString, json);
        QFETCH(int, spans);
        QFETCH(bool, shared);
        QFETCH(int, kind);
        QFETCH(qint64, startUs);
        QFETCH(qint64, endUs);
        QFETCH(QString, service);
        const LoadResult r = test::loadText(json.toStdString(), false);
        const Dataset& d = r.dataset;
        QCOMPARE(r.report.variant, std::string("zipkin-v1"));
        QCOMPARE(d.spans.size(), std::size_t(spans));
        const Span* s = findSpan(d, 1, shared);
        QVERIFY(s);
        QCOMPARE(int(s->kind), kind);
        QCOMPARE(s->start, (kT0 + startUs) * kUs);
        QCOMPARE(s->end, (kT0 + endUs) * kUs);
        QCOMPARE(QString::fromUtf8(d.str(s->service)), service);
        QCOMPARE(d.str(s->name), std::string_view("rpc"));
        if (spans == 2) // the halves of one RPC: the server is the client's child
            QCOMPARE(findSpan(d, 1, true)->parent, std::uint32_t(findSpan(d, 1, false) - d.spans.data()));
        QCOMPARE(d.traces[0].duplicateCount, 0u);
    }

    void v1File()
    {
        const LoadResult r = test::load(test::dataPath(u"zipkin/v1-rpc.json"_s));
        const Dataset& d = r.dataset;
        QCOMPARE(r.format, std::string("zipkin"));
        QCOMPARE(r.report.variant, std::string("zipkin-v1"));
        QCOMPARE(d.spans.size(), std::size_t(4));
        QCOMPARE(d.traces.size(), std::size_t(1));
        QCOMPARE(d.traces[0].rootCount, 1u);
        QCOMPARE(d.traces[0].orphanCount, 0u);

        const Span& root = d.spans[0];
        QCOMPARE(root.id, SpanId(0x6b221d5bc9e6496c));
        QCOMPARE(root.kind, SpanKind::Server);
        QVERIFY(!root.has(MarkShared));
        QCOMPARE(root.status, StatusCode::Error);
        QCOMPARE(d.str(root.statusMessage), std::string_view("backend slow"));
        QCOMPARE(root.duration(), 4500 * kUs);

        const Span* client = findSpan(d, 0x352bff9a74ca9ad2, false);
        const Span* server = findSpan(d, 0x352bff9a74ca9ad2, true);
        QVERIFY(client && server);
        QCOMPARE(d.str(client->service), std::string_view("frontend"));
        QCOMPARE(client->kind, SpanKind::Client);
        QCOMPARE(client->duration(), 1431 * kUs);
        QCOMPARE(text(d, test::attribute(d, *client, "peer.service")), std::string("backend"));
        QCOMPARE(text(d, test::attribute(d, *client, "net.peer.ip")), std::string("192.168.99.101"));
        QCOMPARE(text(d, test::attribute(d, *client, "http.path")), std::string("/api"));
        QCOMPARE(client->events.count, 0u);
        QCOMPARE(d.str(server->service), std::string_view("backend"));
        QCOMPARE(d.str(d.resources[server->resource].host), std::string_view("192.168.99.101"));
        QCOMPARE(server->kind, SpanKind::Server);
        QCOMPARE(server->duration(), (1556604172356936 - 1556604172356013) * kUs);
        QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
        QCOMPARE(server->events.count, 1u);
        QCOMPARE(d.str(d.events[server->events.first].name), std::string_view("cache miss"));
        QCOMPARE(text(d, test::attribute(d, *server, "net.peer.ip")), std::string("192.168.99.1")); // from "ca"
        QCOMPARE(test::attribute(d, *server, "net.peer.port").integer(), std::int64_t(50212));
        QCOMPARE(test::attribute(d, *server, "peer.service").type(), ValueType::Empty);

        const Span* local = findSpan(d, 0x1111111111111111, false);
        QVERIFY(local);
        QCOMPARE(local->kind, SpanKind::Internal);
        QCOMPARE(test::attribute(d, *local, "retries").integer(), std::int64_t(3));
        QCOMPARE(test::attribute(d, *local, "cached").type(), ValueType::Bool);
        QVERIFY(test::attribute(d, *local, "debug").boolean());
        QCOMPARE(test::attribute(d, *local, "lc").type(), ValueType::Empty); // a marker, not a tag
    }

    void yelpSample()
    {
        const LoadResult r = test::load(test::dataPath(u"samples/zipkin-v2-yelp.json"_s));
        const Dataset& d = r.dataset;
        QCOMPARE(r.report.variant, std::string("zipkin-v2"));
        QCOMPARE(d.spans.size(), std::size_t(16));
        QCOMPARE(d.traces.size(), std::size_t(1));
        const Trace& t = d.traces[0];
        QCOMPARE(t.id, (TraceId{0, 0xa03ee8fff1dcd9b9}));
        QCOMPARE(t.duplicateCount, 0u);
        QCOMPARE(t.orphanCount, 0u);
        QCOMPARE(t.cycleCount, 0u);
        QCOMPARE(d.services(t).size(), std::size_t(6));
        QCOMPARE(std::count_if(d.spans.begin(), d.spans.end(), [](const Span& s) { return s.has(MarkShared); }), 4);
        // The routing server span is shared but its client is not in the file: it stays the top.
        const Span& top = d.spans[0];
        QCOMPARE(top.id, SpanId(0x2e8cfb154b59a41f));
        QCOMPARE(d.str(top.service), std::string_view("routing"));
        QCOMPARE(top.start, TimeNs(1571896375237354) * kUs);
        QCOMPARE(top.duration(), 131848 * kUs);
        QCOMPARE(d.topLevelSpans(t).size(), std::size_t(1));
        // Each of the other shared spans hangs under the client with its id.
        for (SpanId id : {SpanId(0x7a778764a0d0b594), SpanId(0xf5f268651b2a2b34), SpanId(0x668ed78ad94b35a1)}) {
            const Span* client = findSpan(d, id, false);
            const Span* server = findSpan(d, id, true);
            QVERIFY(client && server);
            QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
            QCOMPARE(client->kind, SpanKind::Client);
            QCOMPARE(server->kind, SpanKind::Server);
        }
        const Span* spectre = findSpan(d, 0x7a778764a0d0b594, true);
        QCOMPARE(d.str(spectre->service), std::string_view("spectre"));
        QCOMPARE(text(d, test::attribute(d, *spectre, "habitat")), std::string("uswest1aprod"));
        const Span* txn = test::findSpan(d, 0x241cea1aa4cb2884);
        QCOMPARE(txn->kind, SpanKind::Internal);
        QCOMPARE(d.spans[txn->parent].id, SpanId(0x668ed78ad94b35a1));
        QVERIFY(d.spans[txn->parent].has(MarkShared));
        const Span* memcache = test::findSpan(d, 0x6a65182ea4f684c3);
        QCOMPARE(text(d, test::attribute(d, *memcache, "peer.service")), std::string("memcache"));
        QCOMPARE(text(d, test::attribute(d, *memcache, "ttl")), std::string(""));
    }

    void kafkaSample()
    {
        const LoadResult r = test::load(test::dataPath(u"samples/zipkin-v2-messaging-kafka.json"_s));
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(28));
        const Trace& t = d.traces.at(0);
        QCOMPARE(t.errorCount, 3u);
        QCOMPARE(t.rootCount, 1u);
        QCOMPARE(t.orphanCount, 0u);
        QCOMPARE(d.services(t), (std::vector<std::string_view>{"servicea", "serviceb"}));
        auto countKind = [&](SpanKind k) {
            return std::count_if(d.spans.begin(), d.spans.end(), [&](const Span& s) { return s.kind == k; });
        };
        QCOMPARE(countKind(SpanKind::Producer), 9);
        QCOMPARE(countKind(SpanKind::Consumer), 7);
        QCOMPARE(countKind(SpanKind::Internal), 12);
        const Span* failed = test::findSpan(d, 0x2f77d5b0b8e0de35);
        QCOMPARE(failed->status, StatusCode::Error);
        QCOMPARE(d.str(failed->statusMessage), std::string_view("some error"));
        QCOMPARE(d.spans[failed->parent].id, SpanId(0xb4a2a87ee7f003bc));
        const Span* emptyError = test::findSpan(d, 0x568b33e6af8a225a);
        QCOMPARE(emptyError->status, StatusCode::Error);
        QCOMPARE(emptyError->statusMessage, StringId(0));
        const Span* poll = test::findSpan(d, 0x0562809467078eab);
        QCOMPARE(poll->duration(), 26 * kUs);
        QCOMPARE(text(d, test::attribute(d, *poll, "kafka.topic")), std::string("messages"));
    }

    void skewSample_data()
    {
        QTest::addColumn<bool>("adjust");
        QTest::newRow("adjusted") << true;
        QTest::newRow("as written") << false;
    }
    void skewSample()
    {
        QFETCH(bool, adjust);
        LoadOptions options;
        options.build = BuildOptions{.adjustClockSkew = adjust};
        const LoadResult r = test::load(test::dataPath(u"samples/zipkin-v2-skew.json"_s), false, options);
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(4));
        const Span* client = findSpan(d, 0x74280ae0c10d8062, false);
        const Span* server = findSpan(d, 0x74280ae0c10d8062, true);
        const Span* async = test::findSpan(d, 0x43210ae0c10d1234);
        QVERIFY(client && server && async);
        QCOMPARE(server->parent, std::uint32_t(client - d.spans.data()));
        QCOMPARE(async->parent, std::uint32_t(server - d.spans.data()));
        QCOMPARE(d.str(d.resources[server->resource].host), std::string_view("192.0.0.0"));
        QCOMPARE(d.str(d.resources[client->resource].host), std::string_view("127.0.0.0"));
        if (adjust) {
            QVERIFY(server->has(MarkSkewAdjusted));
            QVERIFY(server->start >= client->start && server->end <= client->end);
            QCOMPARE(async->skewDelta, server->skewDelta); // same host, same clock
            QCOMPARE(d.traces[0].skewAdjustedCount, 2u);
        } else {
            QCOMPARE(server->start, TimeNs(1470150004008761) * kUs);
            QCOMPARE(server->skewDelta, TimeNs(0));
            QVERIFY(server->start < client->start); // the skew, as written
            QVERIFY(!server->has(MarkSkewAdjusted));
        }
    }

    // Files other projects' tools and tests wrote (see tests/data/zipkin/README.md): each loads
    // completely, and one span of each reads as written (times without skew adjustment).
    void realFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("orphans");
        QTest::addColumn<quint64>("id");
        QTest::addColumn<quint64>("parentId");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<SpanKind>("kind");
        QTest::addColumn<StatusCode>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("collector receiver: IPv6-only endpoint, otel.status_code")
            << "otelcol-zipkinreceiver-sample3.json" << 1 << 1 << 0x4d1e00c0db9010dbull << 0x86154a4ba6e91385ull
            << "unknown_service"
            << "get" << qint64(1472470996199000000) << qint64(207000000) << SpanKind::Client << StatusCode::Error
            << "Something failed";
        QTest::newRow("collector receiver: error tag")
            << "otelcol-zipkinreceiver-sample4.json" << 1 << 1 << 0x4d1e00c0db9010dbull << 0x86154a4ba6e91385ull
            << "unknown_service"
            << "get" << qint64(1472470996199000000) << qint64(207000000) << SpanKind::Client << StatusCode::Error
            << "Non-basic error message";
        QTest::newRow("jaeger collector: one-digit ids, shared client")
            << "jaeger-collector-zipkin_01.json" << 1 << 1 << 2ull << 1ull << "foo"
            << "foo" << qint64(1000) << qint64(10000) << SpanKind::Client << StatusCode::Unset << "";
        QTest::newRow("jaeger deserializer: producer, 15-digit parent")
            << "jaeger-zipkindeser-zipkin_03.json" << 1 << 1 << 0x188bb8428fc7e477ull << 0xc26551047c72d19ull
            << "schemas-service"
            << "send" << qint64(1597704629675602000) << qint64(9550570000) << SpanKind::Producer << StatusCode::Unset
            << "";
        QTest::newRow("jaeger handler: v1 core annotations in v2 spans")
            << "jaeger-handler-zipkin_v1_merged_spans.json" << 2 << 0 << 0xc943743e25dc2cdfull << 0x4ed11df465275600ull
            << "first_service"
            << "get /api" << qint64(1633073248678309000) << qint64(3360000) << SpanKind::Internal << StatusCode::Unset
            << "";
        QTest::newRow("jaeger handler: minimal v2")
            << "jaeger-handler-zipkin_v2_02.json" << 1 << 0 << 2ull << 0ull << "bar"
            << "foo" << qint64(1000) << qint64(10000) << SpanKind::Internal << StatusCode::Unset << "";
        QTest::newRow("zipkin lens: sleuth, shared servers")
            << "zipkin-lens-ascend.json" << 8 << 0 << 0x80c0d1d62f437a1bull << 0x52b1ab4956917c39ull << "auth-service"
            << "extend-token-life" << qint64(1531282088553000000) << qint64(1291000) << SpanKind::Internal
            << StatusCode::Unset << "";
        QTest::newRow("zipkin lens: database calls, IPv6 remote")
            << "zipkin-lens-simple-db-p6.json" << 5 << 0 << 0x19f84f102048e047ull << 0ull << "bootifulmeters"
            << "http:/book" << qint64(1541485537291342000) << qint64(252016000) << SpanKind::Server << StatusCode::Unset
            << "";
        QTest::newRow("v1 with timestamps in exponent form")
            << "v1-exponent-timestamps.json" << 1 << 1 << 0xd79a683e2900c293ull << 0x27bf14862307cd99ull << "service1"
            << "post" << qint64(1463737111294000000) << qint64(772000000) << SpanKind::Client << StatusCode::Unset
            << "";
    }
    void realFiles()
    {
        QFETCH(QString, file);
        QFETCH(int, spans);
        QFETCH(int, orphans);
        QFETCH(quint64, id);
        QFETCH(quint64, parentId);
        QFETCH(QString, service);
        QFETCH(QString, name);
        QFETCH(qint64, start);
        QFETCH(qint64, duration);
        QFETCH(SpanKind, kind);
        QFETCH(StatusCode, status);
        QFETCH(QString, message);
        LoadOptions options;
        options.build.adjustClockSkew = false;
        const LoadResult r = test::load(test::dataPath(u"zipkin/"_s + file), false, options);
        const Dataset& d = r.dataset;
        QCOMPARE(r.format, std::string("zipkin"));
        QVERIFY(r.report.diagnostics.empty());
        QCOMPARE(int(d.spans.size()), spans);
        QCOMPARE(int(d.traces.size()), 1);
        QCOMPARE(int(d.traces[0].orphanCount), orphans);
        verifySound(r);
        const Span* s = test::findSpan(d, id);
        QVERIFY(s);
        QCOMPARE(s->parentId, SpanId(parentId));
        QCOMPARE(QString::fromUtf8(d.str(s->service)), service);
        QCOMPARE(QString::fromUtf8(d.str(s->name)), name);
        QCOMPARE(s->start, start);
        QCOMPARE(s->duration(), duration);
        QCOMPARE(s->kind, kind);
        QCOMPARE(s->status, status);
        QCOMPARE(QString::fromUtf8(d.str(s->statusMessage)), message);
    }

    void generatedFile()
    {
        const QString path = test::generatedTrace(QStringLiteral("zipkin"), 2000,
                                                  {QStringLiteral("--traces"), QStringLiteral("3")});
        QVERIFY(!path.isEmpty());
        const LoadResult r = test::load(path);
        const Dataset& d = r.dataset;
        QCOMPARE(r.report.variant, std::string("zipkin-v2"));
        QCOMPARE(d.spans.size(), std::size_t(2000));
        QCOMPARE(d.traces.size(), std::size_t(3));
        verifySound(r);
        std::size_t errors = 0, withEvents = 0;
        for (const Trace& t : d.traces) {
            QCOMPARE(t.rootCount, 1u);
            QCOMPARE(t.orphanCount + t.duplicateCount + t.cycleCount, 0u);
            QCOMPARE(t.id.high != 0, true); // 128-bit ids
            errors += t.errorCount;
            QVERIFY(t.warnings.empty());
        }
        for (const Span& s : d.spans) {
            QVERIFY(!d.str(s.service).empty());
            QVERIFY(s.resource != kNoIndex);
            QVERIFY(d.str(d.resources[s.resource].host).starts_with("10.0."));
            withEvents += s.events.count > 0;
            if (s.kind == SpanKind::Server && s.parent != kNoIndex)
                QCOMPARE(d.spans[s.parent].kind, SpanKind::Client);
        }
        QVERIFY(errors > 0);
        QVERIFY(withEvents > 0);
    }

    void badSpans_data()
    {
        QTest::addColumn<QString>("bad");
        QTest::addColumn<QString>("message");
        const QString t = QString::number(kT0);
        QTest::newRow("non-hex id") << uR"({"traceId":"1","id":"xyz1","timestamp":)"_s + t + u"}"_s
                                    << "id: expected 1 to 16 hex digits, found \"xyz1\"";
        QTest::newRow("id too long") << uR"({"traceId":"1","id":"12345678901234567","timestamp":)"_s + t + u"}"_s
                                     << "id: expected 1 to 16 hex digits";
        QTest::newRow("zero id") << uR"({"traceId":"1","id":"0","timestamp":)"_s + t + u"}"_s << "non-zero id";
        QTest::newRow("traceId a number") << uR"({"traceId":1,"id":"2","timestamp":)"_s + t + u"}"_s
                                          << "traceId: expected a string of 1 to 32 hex digits, found 1";
        QTest::newRow("traceId 33 digits") << R"({"traceId":"123456789012345678901234567890123","id":"2"})"
                                           << "traceId: expected 1 to 32 hex digits";
        QTest::newRow("no traceId") << uR"({"id":"2","timestamp":)"_s + t + u"}"_s << "traceId: missing";
        QTest::newRow("no id") << uR"({"traceId":"2","timestamp":)"_s + t + u"}"_s << "id: missing";
        QTest::newRow("timestamp text") << R"({"traceId":"1","id":"2","timestamp":"soon"})"
                                        << "timestamp: expected a number of microseconds, found \"soon\"";
        QTest::newRow("timestamp fraction in exponent form")
            << R"({"traceId":"1","id":"2","timestamp":1.5e0})"
            << "timestamp: expected a number of microseconds, found 1.5e0";
        QTest::newRow("timestamp out of range")
            << R"({"traceId":"1","id":"2","timestamp":9223372036854775807})"
            << "timestamp: expected microseconds within the range of 64-bit nanoseconds";
        QTest::newRow("end out of range")
            << R"({"traceId":"1","id":"2","timestamp":9223372036854775,"duration":9223372036854775})"
            << "timestamp + duration: expected within the range of 64-bit nanoseconds";
        QTest::newRow("unknown kind") << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"kind":"client"})"_s
                                      << "kind: expected CLIENT, SERVER, PRODUCER or CONSUMER, found \"client\"";
        QTest::newRow("tags an array") << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"tags":["a"]})"_s
                                       << "tags: expected an object, found an array";
        QTest::newRow("tag value an object")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"tags":{"a":{"b":1}}})"_s
            << "tags[a]: expected a string, found an object";
        QTest::newRow("annotation without value")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"annotations":[{"timestamp":)"_s + t + u"}]}"_s
            << "annotations[].value: missing";
        QTest::newRow("annotation a string")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"annotations":["x"]})"_s
            << "annotations[]: expected an object with timestamp and value, found \"x\"";
        QTest::newRow("endpoint a string")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"localEndpoint":"svc"})"_s
            << "localEndpoint: expected an object, found \"svc\"";
        QTest::newRow("port out of range") << uR"({"traceId":"1","id":"2","timestamp":)"_s + t +
                                                  uR"(,"localEndpoint":{"serviceName":"s","port":70000}})"_s
                                           << "port: expected a port within 0–65535, found 70000";
        QTest::newRow("shared a string") << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"shared":"yes"})"_s
                                         << "shared: expected true or false, found \"yes\"";
        QTest::newRow("binary annotation without key")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"binaryAnnotations":[{"value":"x"}]})"_s
            << "binaryAnnotations[].key: missing";
        const QString deep = QString(100000, u'[') + QString(100000, u']');
        QTest::newRow("deeply nested tag value")
            << uR"({"traceId":"1","id":"2","timestamp":)"_s + t + uR"(,"tags":{"a":)"_s + deep + u"}}"_s
            << "tags[a]: expected a string, found an array";
        QTest::newRow("a number instead of a span") << "42"
                                                    << "spans[]: expected a span object or an array of spans, found 42";
        QTest::newRow("a string inside a trace") << R"(["span"])"
                                                 << "span: expected an object, found \"span\"";
    }
    void badSpans()
    {
        QFETCH(QString, bad);
        QFETCH(QString, message);
        const std::string before = "[" + v2Span("a") + ",\n";
        const std::string after = ",\n" + v2Span("b") + "]";
        const std::string json = before + bad.toStdString() + after;
        const LoadResult r = test::loadText(json);
        QCOMPARE(r.format, std::string("zipkin"));
        QCOMPARE(r.report.skippedSpans, std::uint64_t(1));
        QVERIFY(!r.complete());
        QCOMPARE(r.dataset.spans.size(), std::size_t(2)); // reading went on after the bad span
        const Diagnostic* d = test::findDiagnostic(r.report, message);
        QVERIFY2(d, r.errorText().c_str());
        QVERIFY2(d->offset >= before.size() && d->offset < json.size() - after.size() + 2, r.errorText().c_str());
        QCOMPARE(d->line, std::uint64_t(2));
        QCOMPARE(d->column, d->offset - before.size() + 1); // line 2 starts right after `before`
        const std::string place = "(line 2, column " + std::to_string(d->column) + "): span skipped: ";
        QVERIFY2(r.errorText().find(place + d->message.substr(std::string("span skipped: ").size())) !=
                     std::string::npos,
                 r.errorText().c_str());
        verifySound(r);
    }

    void brokenDocuments_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("skipped");
        QTest::addColumn<QString>("message");
        const std::string a = v2Span("a"), b = v2Span("b", R"("parentId":"a")");
        const std::string cutInString = "[" + a + "," + b.substr(0, b.find("op") + 1);
        QTest::newRow("truncated in a string of a span")
            << QString::fromStdString(cutInString) << 1 << 1 << "ends in the middle";
        QTest::newRow("truncated between fields")
            << QString::fromStdString("[" + a + "," + b.substr(0, b.find(",\"timestamp"))) << 1 << 1
            << "ends in the middle";
        QTest::newRow("truncated after a span")
            << QString::fromStdString("[" + a + "," + b) << 2 << 0 << "ends in the middle";
        QTest::newRow("truncated in a trace list")
            << QString::fromStdString("[[" + a + "],[" + b + ",{") << 2 << 1 << "ends in the middle";
        QTest::newRow("missing comma") << QString::fromStdString("[" + a + " " + b + "]") << 1 << 0
                                       << "reading stopped";
        QTest::newRow("bad literal instead of a span")
            << QString::fromStdString("[" + a + ",nul," + b + "]") << 2 << 1 << "expected a span object";
        QTest::newRow("bad literal in a span")
            << QString::fromStdString("[" + a + "," + v2Span("c", R"("shared":tru)") + "," + b + "]") << 2 << 1
            << "shared: expected true or false";
        QTest::newRow("content after the array")
            << QString::fromStdString("[" + a + "] [") << 1 << 0 << "after the array";
        QTest::newRow("bracket mismatch") << QString::fromStdString("[" + a + "}") << 0 << 0 << "expected a JSON array";
    }
    void brokenDocuments()
    {
        QFETCH(QString, json);
        QFETCH(int, spans);
        QFETCH(int, skipped);
        QFETCH(QString, message);
        const std::string bytes = json.toStdString();
        const LoadResult r = test::loadText(bytes);
        QCOMPARE(r.format, std::string("zipkin"));
        QVERIFY(!r.complete());
        QCOMPARE(r.dataset.spans.size(), std::size_t(spans));
        QCOMPARE(r.report.skippedSpans, std::uint64_t(skipped));
        const Diagnostic* d = test::findDiagnostic(r.report, message);
        QVERIFY2(d, r.errorText().c_str());
        QVERIFY(d->offset <= bytes.size());
        verifySound(r);
    }

    void manyFragmentsOfOneIdStayLinear()
    {
        std::string json = "[";
        for (int i = 0; i < 20000; ++i)
            json += (i ? "," : "") +
                    spanWithIds("1", "2", "\"localEndpoint\":{\"serviceName\":\"s" + std::to_string(i) + "\"}");
        json += "]";
        const LoadResult r = test::loadText(json, false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(20000)); // all distinct services: duplicates, none merged
        QCOMPARE(r.dataset.traces[0].duplicateCount, 19999u); // every one after the first
        verifySound(r);
    }
};

QTEST_GUILESS_MAIN(Test_zipkin)
#include "tst_zipkin.moc"
