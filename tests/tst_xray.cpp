// The AWS X-Ray importer: every shape (BatchGetTraces, one document, array, lines, daemon form),
// trace ids, exact times, subsegments, inferred and in-progress segments, errors and exceptions,
// attributes, the real samples, and bad input.
#include <test_support.h>

#include <ids.h>
#include <invariants.h>

#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr const char* kTraceId = "1-5759e988-bd862e3fe1be46a994272793";

// The text with every TRACE replaced by kTraceId. (Raw strings here hold balanced quotes: moc
// reads them as plain strings.)
std::string withTraceId(std::string text)
{
    for (std::size_t at = text.find("TRACE"); at != std::string::npos; at = text.find("TRACE", at))
        text.replace(at, 5, kTraceId);
    return text;
}

// A segment document; extra fields go before the closing brace.
std::string segment(const std::string& id, const std::string& extra = {})
{
    return withTraceId(R"({"trace_id":"TRACE","name":"api","start_time":1500000000.5,"end_time":1500000001.25,"id":)") +
           "\"" + id + "\"" + extra + "}";
}

const Span& spanWithId(const Dataset& d, SpanId id)
{
    const Span* s = findSpan(d, id);
    if (!s)
        qFatal("no span %llx", static_cast<unsigned long long>(id));
    return *s;
}

} // namespace

class TestXray : public QObject {
    Q_OBJECT
private slots:
    void shapes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("variant");
        const std::string a = segment("00000000000000a1");
        const std::string b = segment("00000000000000b2", R"(,"parent_id":"00000000000000a1")");
        QTest::newRow("one document") << QString::fromStdString(a) << 1 << "segment-documents";
        QTest::newRow("array") << QString::fromStdString("[" + a + "," + b + "]") << 2 << "segment-documents";
        QTest::newRow("one per line") << QString::fromStdString(a + "\n" + b + "\n") << 2 << "segment-documents";
        QTest::newRow("daemon form") << QString::fromStdString("{\"format\": \"json\", \"version\": 1}\n" + a) << 1
                                     << "segment-documents";
        QTest::newRow("daemon form, twice") << QString::fromStdString("{\"format\":\"json\",\"version\":1}\n" + a +
                                                                      "\n{\"format\":\"json\",\"version\":1}\n" + b)
                                            << 2 << "segment-documents";
        QTest::newRow("BatchGetTraces")
            << QString::fromStdString(
                   withTraceId(
                       R"({"Traces":[{"Id":"TRACE","Duration":0.75,"Segments":[{"Id":"00000000000000a1","Document":)") +
                   quotedJson(a) + R"(},{"Document":)" + quotedJson(b) +
                   R"(,"Id":"00000000000000b2"}]}],"UnprocessedTraceIds":[]})")
            << 2 << "batch-get-traces";
        QTest::newRow("BatchGetTraces, keys in another order")
            << QString::fromStdString(R"({"UnprocessedTraceIds":[],"Traces":[{"Segments":[{"Document":)" +
                                      quotedJson(a) + R"(}],"Duration":1,"Id":"x"}]})")
            << 1 << "batch-get-traces";
    }
    void shapes()
    {
        QFETCH(QString, text);
        QFETCH(int, spans);
        QFETCH(QString, variant);
        const LoadResult r = loadText(text.toStdString(), false);
        QVERIFY2(r.complete(), r.report.diagnostics.empty() ? "" : r.report.diagnostics[0].message.c_str());
        QCOMPARE(r.format, std::string("xray"));
        QCOMPARE(r.report.variant, variant.toStdString());
        QCOMPARE(r.dataset.spans.size(), std::size_t(spans));
        QCOMPARE(findInvariantViolation(r.dataset), std::string());
        QCOMPARE(toHex(r.dataset.traces[0].id), std::string("5759e988bd862e3fe1be46a994272793"));
        const Span& first = spanWithId(r.dataset, 0xa1);
        QCOMPARE(stringOf(r.dataset, attribute(r.dataset, first, "aws.xray.trace_id")), std::string(kTraceId));
        QCOMPARE(first.start, TimeNs(1500000000500000000));
        QCOMPARE(first.end, TimeNs(1500000001250000000));
    }

    void getTraceSummariesIsAnswered()
    {
        const LoadResult r = loadText(
            R"({"TraceSummaries":[{"Id":"1-5759e988-bd862e3fe1be46a994272793","Duration":1}],"ApproximateTime":1})");
        QCOMPARE(r.format, std::string("xray"));
        QVERIFY(r.report.hasErrors());
        QVERIFY(r.report.diagnostics[0].message.find("GetTraceSummaries") != std::string::npos);
        QVERIFY(r.report.diagnostics[0].message.find("batch-get-traces") != std::string::npos);
    }

    void times_data()
    {
        QTest::addColumn<QString>("start");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("microseconds") << "1596648396.639944" << qint64(1596648396639944000);
        QTest::newRow("seven digits") << "1596648396.6399446" << qint64(1596648396639944600);
        QTest::newRow("exponent form") << "1.568835610432E9" << qint64(1568835610432000000);
        QTest::newRow("exponent with sign") << "1.5688356104321e+9" << qint64(1568835610432100000);
        QTest::newRow("nanoseconds, not through a double") << "1596648396.123456789" << qint64(1596648396123456789);
        QTest::newRow("beyond nanoseconds, rounded") << "1596648396.1234567896" << qint64(1596648396123456790);
        QTest::newRow("integer seconds") << "1596648396" << qint64(1596648396000000000);
        QTest::newRow("as a string") << "\"1596648396.5\"" << qint64(1596648396500000000);
    }
    void times()
    {
        QFETCH(QString, start);
        QFETCH(qint64, ns);
        const std::string text = "{\"trace_id\":\"" + std::string(kTraceId) +
                                 "\",\"id\":\"0000000000000001\",\"name\":\"a\",\"start_time\":" + start.toStdString() +
                                 ",\"end_time\":1.7e9}";
        const LoadResult r = loadText(text, false);
        QVERIFY(r.complete());
        QCOMPARE(r.dataset.spans[0].start, TimeNs(ns));
        QCOMPARE(r.dataset.spans[0].end, TimeNs(1700000000000000000));
    }

    void subsegmentsAndKinds()
    {
        const std::string text = segment(
            "00000000000000a1",
            R"(,"http":{"request":{"method":"POST","url":"https://h.example/api/user?x=1"},"response":{"status":200}},)"
            R"("subsegments":[{"id":"00000000000000c1","name":"DynamoDB","namespace":"aws","start_time":1500000000.6,)"
            R"("end_time":1500000000.7,"aws":{"operation":"UpdateItem","table_name":"users"},)"
            R"("subsegments":[{"id":"00000000000000c2","name":"marshal","start_time":1500000000.61,"end_time":1500000000.62}]},)"
            R"({"id":"00000000000000c3","name":"remote call","namespace":"remote","start_time":1500000000.8,"end_time":1500000000.9}])");
        const LoadResult r = loadText(text, false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(4));
        const Span& root = spanWithId(d, 0xa1);
        QCOMPARE(d.str(root.name), std::string_view("POST /api/user"));
        QCOMPARE(d.str(root.service), std::string_view("api"));
        QCOMPARE(root.kind, SpanKind::Server);
        QCOMPARE(stringOf(d, attribute(d, root, "http.request.method")), std::string("POST"));
        QCOMPARE(attribute(d, root, "http.response.status").integer(), std::int64_t(200));
        const Span& dynamo = spanWithId(d, 0xc1);
        QCOMPARE(dynamo.parentId, SpanId(0xa1));
        QCOMPARE(dynamo.kind, SpanKind::Client);
        QCOMPARE(d.str(dynamo.service), std::string_view("api"));
        QCOMPARE(d.str(dynamo.name), std::string_view("DynamoDB"));
        QCOMPARE(stringOf(d, attribute(d, dynamo, "aws.operation")), std::string("UpdateItem"));
        const Span& marshal = spanWithId(d, 0xc2);
        QCOMPARE(marshal.parentId, SpanId(0xc1));
        QCOMPARE(marshal.kind, SpanKind::Internal);
        QCOMPARE(d.str(marshal.service), std::string_view("api"));
        QCOMPARE(spanWithId(d, 0xc3).kind, SpanKind::Client);
        QCOMPARE(d.traces[0].orphanCount, 0u);
    }

    void independentSubsegmentTakesItsParentsService()
    {
        const std::string text = "[" + segment("00000000000000a1") +
                                 withTraceId(R"(,{"type":"subsegment","trace_id":"TRACE",)") +
                                 R"("parent_id":"00000000000000a1","id":"00000000000000d1","name":"late work",)"
                                 R"("start_time":1500000000.6,"end_time":1500000000.7}])";
        const LoadResult r = loadText(text, false);
        QVERIFY(r.complete());
        const Span& late = spanWithId(r.dataset, 0xd1);
        QCOMPARE(r.dataset.str(late.service), std::string_view("api"));
        QCOMPARE(r.dataset.str(late.name), std::string_view("late work"));
        QCOMPARE(late.kind, SpanKind::Internal);
        QVERIFY(late.parent != kNoIndex);
    }

    void segmentWithoutNameIsUnknownService()
    {
        const std::string text = "[" + segment("00000000000000a1", ",\"name\":\"\"") + "]";
        const LoadResult r = loadText(text, false);
        QCOMPARE(r.dataset.str(spanWithId(r.dataset, 0xa1).service), std::string_view("unknown_service"));
    }

    void inferredAndInProgress()
    {
        const std::string text =
            "[" +
            segment(
                "00000000000000a1",
                R"(,"subsegments":[{"id":"00000000000000c1","name":"DynamoDB","namespace":"aws","start_time":1500000000.6,"end_time":1500000000.7}])") +
            withTraceId(R"(,{"trace_id":"TRACE","id":"00000000000000e1","parent_id":"00000000000000c1",)"
                        R"("name":"DynamoDB","inferred":true,"start_time":1500000000.6,"end_time":1500000000.7},)"
                        R"({"trace_id":"TRACE","id":"00000000000000f1","parent_id":"00000000000000a1",)"
                        R"("name":"worker","in_progress":true,"start_time":1500000000.9}])");
        const LoadResult r = loadText(text, false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& inferred = spanWithId(d, 0xe1);
        QVERIFY(inferred.has(MarkInferred));
        QCOMPARE(d.str(inferred.service), std::string_view("DynamoDB"));
        QCOMPARE(d.spans[inferred.parent].id, SpanId(0xc1));
        const Span& running = spanWithId(d, 0xf1);
        QVERIFY(running.has(MarkInProgress));
        QCOMPARE(running.end, d.traces[0].end); // drawn up to the end of the trace
        QCOMPARE(running.end, TimeNs(1500000001250000000));
    }

    // The SDKs send a long-running segment twice: in progress first, complete at its end.
    void completeDocumentReplacesTheOneInProgress()
    {
        const std::string header = "{\"format\":\"json\",\"version\":1}\n";
        const std::string sub =
            R"(,"subsegments":[{"id":"00000000000000c1","name":"x","start_time":1500000000.6,"end_time":1500000000.7}])";
        const std::string open =
            withTraceId(
                R"({"trace_id":"TRACE","id":"00000000000000a1","name":"api","start_time":1500000000.5,"in_progress":true)") +
            sub + "}";
        const LoadResult r = loadText(header + open + "\n" + header + segment("00000000000000a1", sub), false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        QCOMPARE(d.spans.size(), std::size_t(2));
        QCOMPARE(d.traces[0].duplicateCount, 0u);
        QVERIFY(!spanWithId(d, 0xa1).has(MarkInProgress));
        QCOMPARE(spanWithId(d, 0xa1).end, TimeNs(1500000001250000000));
        // Alone, the document in progress is kept.
        const LoadResult alone = loadText(header + open, false);
        QCOMPARE(alone.dataset.spans.size(), std::size_t(2));
        QVERIFY(spanWithId(alone.dataset, 0xa1).has(MarkInProgress));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("fields");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("exceptions");
        QTest::newRow("none") << ""
                              << "" << 0;
        QTest::newRow("error") << R"("error":true)"
                               << "error" << 0;
        QTest::newRow("fault with exception")
            << R"("fault":true,"cause":{"working_directory":"/app","exceptions":[{"id":"1234567890abcdef","type":"TimeoutError","message":"upstream timed out","stack":[{"path":"app.py","line":12,"label":"handler"}]}]})"
            << "fault: upstream timed out" << 1;
        QTest::newRow("throttle") << R"("error":true,"throttle":true)"
                                  << "error, throttle" << 0;
        QTest::newRow("cause as an exception id") << R"("fault":true,"cause":"1234567890abcdef")"
                                                  << "fault" << 0;
    }
    void errors()
    {
        QFETCH(QString, fields);
        QFETCH(QString, message);
        QFETCH(int, exceptions);
        const LoadResult r = loadText(segment("00000000000000a1", fields.isEmpty() ? "" : "," + fields.toStdString()),
                                      false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& s = d.spans[0];
        QCOMPARE(s.status, message.isEmpty() ? StatusCode::Unset : StatusCode::Error);
        QCOMPARE(QString::fromStdString(std::string(d.str(s.statusMessage))), message);
        QCOMPARE(int(s.events.count), exceptions);
        if (exceptions) {
            const Event& e = d.events[s.events.first];
            QCOMPARE(d.str(e.name), std::string_view("exception"));
            QCOMPARE(e.time, s.end);
            Span fake;
            fake.attributes = e.attributes;
            QCOMPARE(stringOf(d, attribute(d, fake, "exception.type")), std::string("TimeoutError"));
            QCOMPARE(stringOf(d, attribute(d, fake, "exception.message")), std::string("upstream timed out"));
            QCOMPARE(stringOf(d, attribute(d, fake, "exception.stacktrace")), std::string("at handler (app.py:12)"));
            QCOMPARE(stringOf(d, attribute(d, s, "cause.working_directory")), std::string("/app"));
        }
        if (fields.contains("\"cause\":\""_L1))
            QCOMPARE(stringOf(d, attribute(d, s, "cause.id")), std::string("1234567890abcdef"));
    }

    void attributesAndLinks()
    {
        const LoadResult r = loadText(
            segment(
                "00000000000000a1",
                R"(,"annotations":{"customer":"c-1","retries":2},"metadata":{"default":{"debug":{"x":true}}},)"
                R"("sql":{"url":"jdbc:postgresql://db/app"},"user":"alice","origin":"AWS::EC2::Instance",)"
                R"("precursor_ids":["00000000000000a0"],"Unknown":{"nested":1},)"
                R"("links":[{"trace_id":"1-5759e988-00000000000000000000abcd","id":"00000000000000ab","attributes":{"k":"v"}}])"),
            false);
        QVERIFY(r.complete());
        const Dataset& d = r.dataset;
        const Span& s = d.spans[0];
        QCOMPARE(stringOf(d, attribute(d, s, "customer")), std::string("c-1"));
        QCOMPARE(attribute(d, s, "retries").integer(), std::int64_t(2));
        QVERIFY(attribute(d, s, "metadata.default.debug.x").boolean());
        QCOMPARE(stringOf(d, attribute(d, s, "sql.url")), std::string("jdbc:postgresql://db/app"));
        QCOMPARE(stringOf(d, attribute(d, s, "user")), std::string("alice"));
        QCOMPARE(stringOf(d, attribute(d, s, "origin")), std::string("AWS::EC2::Instance"));
        QCOMPARE(attribute(d, s, "precursor_ids").type(), ValueType::Array);
        QCOMPARE(attribute(d, s, "Unknown.nested").integer(), std::int64_t(1));
        QCOMPARE(s.links.count, 1u);
        const Link& link = d.links[s.links.first];
        QCOMPARE(toHex(link.traceId), std::string("5759e98800000000000000000000abcd"));
        QCOMPARE(link.spanId, SpanId(0xab));
    }

    void realSamples_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("inferred");
        QTest::addColumn<int>("inProgress");
        QTest::newRow("BatchGetTraces") << "xray-batch-get-traces.json" << 3 << 1 << 0;
        QTest::newRow("daemon form") << "xray-daemon-server.txt" << 1 << 0 << 0;
        QTest::newRow("in progress") << "xray-in-progress.txt" << 1 << 0 << 1;
    }
    void realSamples()
    {
        QFETCH(QString, file);
        QFETCH(int, spans);
        QFETCH(int, inferred);
        QFETCH(int, inProgress);
        const LoadResult r = load(dataPath(u"samples/"_s + file));
        QCOMPARE(r.format, std::string("xray"));
        const Dataset& d = r.dataset;
        QCOMPARE(int(d.spans.size()), spans);
        QCOMPARE(findInvariantViolation(d), std::string());
        int inferredCount = 0, inProgressCount = 0;
        for (const Span& s : d.spans) {
            inferredCount += s.has(MarkInferred);
            inProgressCount += s.has(MarkInProgress);
        }
        QCOMPARE(inferredCount, inferred);
        QCOMPARE(inProgressCount, inProgress);
        QCOMPARE(d.traces[0].orphanCount, 0u);
        QCOMPARE(d.traces[0].rootCount, 1u);
    }

    void batchSampleTree()
    {
        const LoadResult r = load(dataPath(u"samples/xray-batch-get-traces.json"_s));
        const Dataset& d = r.dataset;
        const Span& root = spanWithId(d, 0x54aff5735b12dd28);
        QCOMPARE(d.str(root.name), std::string_view("POST /api/user"));
        QCOMPARE(root.start, TimeNs(1568835610432000000));
        const Span& dynamo = spanWithId(d, 0x0f278b6334c34e6b);
        QCOMPARE(d.spans[dynamo.parent].id, SpanId(0x2d6900034ccfe558));
        QCOMPARE(d.spans[d.spans[dynamo.parent].parent].id, root.id);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("spans");
        QTest::newRow("bad trace id") << QString::fromStdString(
                                             R"({"trace_id":"5759e988","id":"0000000000000001","start_time":1})")
                                      << "trace_id: expected 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy, found \"5759e988\""
                                      << 0;
        QTest::newRow("bad time") << QString::fromStdString(
                                         segment("0000000000000001",
                                                 R"(,"subsegments":[{"id":"0000000000000002","start_time":true}])"))
                                  << "start_time: expected epoch seconds, found true" << 1;
        QTest::newRow("segment without start_time")
            << QString::fromStdString(withTraceId(R"([{"trace_id":"TRACE","id":"0000000000000001","name":"a"},)") +
                                      segment("0000000000000002") + "]")
            << "span skipped: start_time: missing" << 1;
        QTest::newRow("cut off") << QString::fromStdString("[" + segment("0000000000000001") + "," +
                                                           segment("0000000000000002").substr(0, 60))
                                 << "cut off" << 1;
    }
    void badInput()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QFETCH(int, spans);
        verifyBadInput(text, "xray", expected, spans);
    }

    // A problem inside a Document string is reported where it is in the file.
    void errorInDocumentPointsIntoTheFile()
    {
        const std::string doc = withTraceId(
            R"({"trace_id":"TRACE","id":"0000000000000001","name":"a\tb","start_time":1,"parent_id":"zz"})");
        const std::string text = R"({"Traces":[{"Id":"x","Segments":[{"Document":)" + quotedJson(doc) + "}]}]}";
        const LoadResult r = loadText(text);
        QCOMPARE(r.dataset.spans.size(), std::size_t(1));
        QVERIFY(!r.report.diagnostics.empty());
        const Diagnostic& diag = r.report.diagnostics[0];
        QVERIFY2(diag.message.find("in a Document string: parent_id: expected 16 hex digits, found \"zz\"") !=
                     std::string::npos,
                 diag.message.c_str());
        QCOMPARE(text.substr(diag.offset, 4), std::string("\\\"zz"));
    }

    // A Document string is unescaped eight bytes at a time where it can be: every escape, at every
    // position against those eight bytes, and the outer file's own escapes give the segment's text.
    void documentStringsKeepEveryEscape()
    {
        // The name as the segment document writes it (U+00E9 and U+1F600 escaped, then U+00E9 and
        // U+2028 as UTF-8) and as it reads.
        const std::string written = R"(q\"b\\s\/c\n\t\r\b\f\u00e9\ud83d\ude00)"
                                    "\xc3\xa9\xe2\x80\xa8"
                                    R"( \\\"end)";
        const std::string meant = "q\x22"
                                  "b\x5c"
                                  "s/c\n\t\r\b\f\xc3\xa9\xf0\x9f\x98\x80\xc3\xa9\xe2\x80\xa8 \x5c\x22"
                                  "end";
        for (std::size_t shift = 0; shift < 17; ++shift) {
            const std::string name = std::string(shift, 'x') + written;
            const std::string doc = segment("0000000000000001", R"(,"annotations":{"k":)"
                                                                "\x22" +
                                                                    name + "\x22}");
            const std::string withName = doc.substr(0, doc.find("api")) + name + doc.substr(doc.find("api") + 3);
            const std::string quoted = quotedJson(withName);
            std::string slashes; // the outer file escapes its slashes too, or one quote as \u0022
            for (char c : quoted)
                slashes += c == '/' ? std::string("\x5c/") : std::string(1, c);
            const std::string unicodeQuote = std::string(quoted).replace(quoted.find("\x5c\x22"), 2, "\x5cu0022");
            for (const std::string& document : {quoted, slashes, unicodeQuote}) {
                const LoadResult r = loadText(R"({"Traces":[{"Id":"x","Segments":[{"Document":)" + document + "}]}]}");
                QVERIFY2(r.complete(), r.errorText().c_str());
                QCOMPARE(r.dataset.spans.size(), std::size_t(1));
                const Span& span = r.dataset.spans[0];
                QCOMPARE(r.dataset.str(span.name), std::string(shift, 'x') + meant);
                QCOMPARE(stringOf(r.dataset, attribute(r.dataset, span, "k")), std::string(shift, 'x') + meant);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestXray)
#include "tst_xray.moc"
