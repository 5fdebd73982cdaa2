// The span model without any file format: string pool, tree layout, flags, clock skew.
#include <test_support.h>

#include <critical_path.h>
#include <invariants.h>
#include <self_time.h>
#include <trace_lookup.h>

#include <QTest>

using namespace spanwise;

namespace {

constexpr TraceId kTrace{0, 0xabc};

// Adds spans by hand: one resource per service, on a host of the same name unless told otherwise.
class Spans {
public:
    std::uint32_t span(SpanId id, SpanId parent, TimeNs start, TimeNs end, const char* service = "svc",
                       SpanKind kind = SpanKind::Internal, std::uint16_t marks = 0, const char* host = nullptr)
    {
        SpanRecord r;
        r.traceId = kTrace;
        r.id = id;
        r.parentId = parent;
        r.start = start;
        r.end = end;
        r.kind = kind;
        r.marks = marks;
        r.name = builder.intern("op" + std::to_string(id));
        r.resource = resource(service, host ? host : service);
        return builder.addSpan(r);
    }
    Dataset finish(bool skew = true) { return builder.finish(BuildOptions{.adjustClockSkew = skew}); }

    DatasetBuilder builder;

private:
    std::uint32_t resource(const char* service, const char* host)
    {
        const std::string key = std::string(service) + "@" + host;
        if (auto it = m_resources.find(key); it != m_resources.end())
            return it->second;
        const Attribute hostName{builder.intern("host.name"), Value::string(builder.intern(host))};
        return m_resources[key] = builder.addResource(builder.intern(service),
                                                      builder.appendAttributes({&hostName, 1}));
    }
    std::map<std::string, std::uint32_t> m_resources;
};

std::vector<SpanId> idsInOrder(const Dataset& data)
{
    std::vector<SpanId> ids;
    for (const Span& s : data.spans)
        ids.push_back(s.id);
    return ids;
}

const Span& byId(const Dataset& data, SpanId id)
{
    const Span* s = test::findSpan(data, id);
    if (!s)
        qFatal("span %llx missing", static_cast<unsigned long long>(id));
    return *s;
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void stringPoolInternsOnce()
    {
        StringPool pool;
        const StringId a = pool.intern("frontend");
        QCOMPARE(pool.intern("frontend"), a);
        QVERIFY(pool.intern("backend") != a);
        QCOMPARE(pool.intern(""), StringId(0));
        for (int i = 0; i < 100000; ++i) // forces the table to grow several times
            pool.intern("key" + std::to_string(i));
        QCOMPARE(pool.view(a), std::string_view("frontend"));
        QCOMPARE(pool.find("key99999") != kNoIndex, true);
        QCOMPARE(pool.view(pool.find("key4242")), std::string_view("key4242"));
        QCOMPARE(pool.find("absent"), kNoIndex);
    }

    void formatDuration_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("nanoseconds") << qint64(850) << "850 ns";
        QTest::newRow("microseconds") << qint64(1500) << "1.50 µs";
        QTest::newRow("milliseconds") << qint64(12'345'678) << "12.3 ms";
        QTest::newRow("seconds") << qint64(2'500'000'000) << "2.50 s";
        QTest::newRow("zero") << qint64(0) << "0 ns";
        QTest::newRow("negative") << qint64(-3'000'000) << "-3.00 ms";
    }
    void formatDuration()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(spanwise::formatDuration(ns)), text);
    }

    void depthFirstWithSiblingsByStart()
    {
        Spans t;
        t.span(4, 1, 50, 60);
        t.span(2, 1, 30, 40);
        t.span(1, 0, 0, 100);
        t.span(3, 2, 31, 35);
        const Dataset d = t.finish();
        QCOMPARE(d.traces.size(), std::size_t(1));
        QCOMPARE(idsInOrder(d), (std::vector<SpanId>{1, 2, 3, 4}));
        QCOMPARE(d.spans[0].subtreeEnd, 4u);
        QCOMPARE(d.spans[1].subtreeEnd, 3u);
        QCOMPARE(d.spans[2].parent, 1u);
        QCOMPARE(d.spans[2].depth, 2u);
        QCOMPARE(d.traces[0].rootCount, 1u);
        QCOMPARE(d.traces[0].start, TimeNs(0));
        QCOMPARE(d.traces[0].end, TimeNs(100));
        QCOMPARE(findInvariantViolation(d), std::string());
    }

    void orphansBecomeExtraRoots()
    {
        Spans t;
        t.span(1, 0, 0, 100);
        t.span(2, 99, 10, 20); // parent 99 was never exported
        const Dataset d = t.finish();
        QCOMPARE(d.traces[0].orphanCount, 1u);
        QCOMPARE(d.traces[0].rootCount, 1u);
        QVERIFY(byId(d, 2).has(MarkOrphan));
        QCOMPARE(byId(d, 2).parent, kNoIndex);
        QCOMPARE(d.topLevelSpans(d.traces[0]).size(), std::size_t(2));
    }

    void duplicateIdsAreKeptAndFlagged()
    {
        Spans t;
        t.span(1, 0, 0, 100);
        t.span(2, 1, 10, 20);
        t.span(2, 1, 30, 40);
        t.span(3, 2, 11, 12);
        const Dataset d = t.finish();
        QCOMPARE(d.spans.size(), std::size_t(4));
        QCOMPARE(d.traces[0].duplicateCount, 1u);
        QCOMPARE(d.spans[3].has(MarkDuplicateId), true); // the later one, at 30
        QCOMPARE(d.spans[2].id, SpanId(3));              // the child hangs under the first
        QCOMPARE(d.spans[2].parent, 1u);
        QCOMPARE(findInvariantViolation(d), std::string());
    }

    void cyclesAreBroken_data()
    {
        QTest::addColumn<int>("length");
        QTest::newRow("self parent") << 1;
        QTest::newRow("two spans") << 2;
        QTest::newRow("long ring") << 1000;
    }
    void cyclesAreBroken()
    {
        QFETCH(int, length);
        Spans t;
        t.span(100000, 0, 0, 10);
        for (int i = 0; i < length; ++i) // ring: 1 → 2 → … → length → 1
            t.span(i + 1, (i + 1) % length + 1, i, i + 1);
        t.span(5000, 1, 0, 1); // hangs under the ring
        const Dataset d = t.finish();
        QCOMPARE(d.spans.size(), std::size_t(length + 2));
        QCOMPARE(d.traces[0].cycleCount, 1u);
        QCOMPARE(findInvariantViolation(d), std::string());
        int cut = 0;
        for (const Span& s : d.spans)
            cut += s.has(MarkCycleBroken);
        QCOMPARE(cut, 1);
    }

    void deepChainWithoutRecursion()
    {
        Spans t;
        constexpr int depth = 100000;
        for (int i = depth; i >= 1; --i) // children before parents, to make it harder
            t.span(i, i - 1, i, 2 * depth - i);
        const Dataset d = t.finish();
        QCOMPARE(d.spans.size(), std::size_t(depth));
        QCOMPARE(d.spans.back().depth, std::uint32_t(depth - 1));
        QCOMPARE(d.spans.front().subtreeEnd, std::uint32_t(depth));
        QCOMPARE(findInvariantViolation(d), std::string());
    }

    void sharedServerHalfHangsUnderItsClient()
    {
        Spans t;
        t.span(1, 0, 0, 100, "web", SpanKind::Server);
        t.span(2, 1, 10, 90, "web", SpanKind::Client);
        t.span(2, 1, 20, 80, "api", SpanKind::Server, MarkShared);
        t.span(3, 2, 30, 40, "api", SpanKind::Client); // a child of the shared id ran in the server
        const Dataset d = t.finish(false);
        QCOMPARE(d.traces[0].duplicateCount, 0u);
        QCOMPARE(d.traces[0].rootCount, 1u);
        QCOMPARE(idsInOrder(d), (std::vector<SpanId>{1, 2, 2, 3}));
        QVERIFY(d.spans[2].has(MarkShared));
        QCOMPARE(d.spans[2].parent, 1u);
        QCOMPARE(d.spans[3].parent, 2u);
    }

    void tracesAreSeparatedAndContiguous()
    {
        DatasetBuilder b;
        for (int i = 0; i < 6; ++i) {
            SpanRecord r;
            r.traceId = TraceId{0, SpanId(i % 3 + 1)};
            r.id = SpanId(i + 1);
            r.start = i;
            r.end = i + 1;
            b.addSpan(r);
        }
        const Dataset d = b.finish();
        QCOMPARE(d.traces.size(), std::size_t(3));
        for (const Trace& trace : d.traces) {
            QCOMPARE(trace.count, 2u);
            for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
                QCOMPARE(TraceId({0, (d.spans[i].id - 1) % 3 + 1}), trace.id);
        }
        QCOMPARE(findInvariantViolation(d), std::string());
    }

    // An id learnt late: a trace renamed in place keeps its place; one renamed to an id already in
    // use merges into that trace, which stands where the earlier of the two stood.
    void renamedTracesMergeWhereTheEarlierStood()
    {
        DatasetBuilder b;
        const auto add = [&b](TraceId trace, SpanId id, SpanId parent) {
            SpanRecord r;
            r.traceId = trace;
            r.id = id;
            r.parentId = parent;
            r.start = static_cast<TimeNs>(id);
            r.end = r.start + 10;
            b.addSpan(r);
        };
        add({0, 7}, 2, 1);  // trace 0: low half only, its root's full id comes later
        add({0, 8}, 20, 0); // trace 1: renamed in place
        add({9, 9}, 30, 0); // trace 2: untouched
        add({5, 7}, 1, 0);  // trace 3: the full id of trace 0
        add({0, 7}, 3, 1);
        b.addTraceWarning({5, 7}, "from the full id");
        b.addTraceWarning({0, 7}, "from the low half");
        const std::pair<TraceId, TraceId> renames[] = {{{0, 7}, {5, 7}}, {{0, 8}, {6, 8}}, {{0, 99}, {1, 99}}};
        b.renameTraces(renames);
        const Dataset d = b.finish();
        QCOMPARE(d.traces.size(), std::size_t(3));
        QVERIFY(d.traces[0].id == TraceId({5, 7}));
        QVERIFY(d.traces[1].id == TraceId({6, 8}));
        QVERIFY(d.traces[2].id == TraceId({9, 9}));
        QCOMPARE(d.traces[0].count, 3u);
        QCOMPARE(d.traces[0].rootCount, 1u);
        QCOMPARE(d.traces[0].warnings, (std::vector<std::string>{"from the low half", "from the full id"}));
        QCOMPARE(idsInOrder(d), (std::vector<SpanId>{1, 2, 3, 20, 30}));
        QCOMPARE(findInvariantViolation(d), std::string());
    }

    void tracesNamed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("named"); // indexes into traces, comma-separated
        QTest::newRow("short id") << "42"
                                  << "0";
        QTest::newRow("leading zeros") << "00000042"
                                       << "0";
        QTest::newRow("whole id, upper case") << "1234567890ABCDEF0000000000000001"
                                              << "1";
        QTest::newRow("unique prefix") << "1234567890"
                                       << "1";
        QTest::newRow("shared prefix") << "12345678"
                                       << "1,2";
        QTest::newRow("prefix too short") << "1234567"
                                          << "";
        QTest::newRow("no such id") << "43"
                                    << "";
        QTest::newRow("not hex") << "checkout"
                                 << "";
    }
    void tracesNamed()
    {
        QFETCH(QString, text);
        QFETCH(QString, named);
        DatasetBuilder b;
        const TraceId ids[] = {{0, 0x42}, {0x1234567890abcdef, 1}, {0x1234567800000000, 2}};
        for (std::size_t i = 0; i < std::size(ids); ++i) {
            SpanRecord r;
            r.traceId = ids[i];
            r.id = SpanId(i + 1);
            r.start = 0;
            r.end = 1;
            b.addSpan(r);
        }
        const Dataset d = b.finish();
        QCOMPARE(d.traces.size(), std::size(ids));
        QStringList found;
        for (std::uint32_t i : spanwise::tracesNamed(d, text.toStdString()))
            found << QString::fromStdString(toHex(d.traces[i].id));
        QStringList expected;
        for (const QString& index : named.split(QLatin1Char(','), Qt::SkipEmptyParts))
            expected << QString::fromStdString(toHex(ids[index.toInt()]));
        QCOMPARE(found, expected);
    }

    void endBeforeStartIsFlagged()
    {
        Spans t;
        t.span(1, 0, 100, 50);
        const Dataset d = t.finish();
        QVERIFY(d.spans[0].has(MarkInvalidTime));
        QCOMPARE(d.spans[0].duration(), TimeNs(0));
        QCOMPARE(d.traces[0].spanWarnings.size(), std::size_t(1));
    }

    void spansWithoutTimesDoNotStretchTheTrace()
    {
        Spans t;
        t.span(1, 0, 5000, 6000);
        t.span(2, 1, 0, 0, "svc", SpanKind::Internal, MarkInvalidTime); // no times in the file
        const Dataset d = t.finish();
        QCOMPARE(d.traces[0].start, TimeNs(5000));
        QCOMPARE(d.traces[0].end, TimeNs(6000));
        QCOMPARE(byId(d, 2).start, TimeNs(5000));
        QCOMPARE(byId(d, 2).duration(), TimeNs(0));
    }

    // MarkNoTiming: a span without a start in the file sits at its parent's (adjusted) start, a
    // top-level one at the trace start; analyses see a zero-length span.
    void spansWithoutTimingSitAtTheirParentsStart()
    {
        Spans t;
        t.span(1, 0, 0, 0, "front", SpanKind::Internal, MarkNoTiming);
        t.span(2, 1, 5000, 9000, "front", SpanKind::Client);
        t.span(3, 2, 0, 0, "back", SpanKind::Server, MarkNoTiming);
        t.span(4, 3, 0, 1500, "back", SpanKind::Internal, MarkNoTiming); // a duration, no start
        t.span(5, 3, 6000, 7000, "back", SpanKind::Internal);
        const Dataset d = t.finish();
        const Trace& trace = d.traces[0];
        QCOMPARE(trace.start, TimeNs(5000));
        QCOMPARE(trace.end, TimeNs(9000));
        QCOMPARE(byId(d, 1).start, TimeNs(5000));
        QCOMPARE(byId(d, 1).duration(), TimeNs(0));
        QCOMPARE(byId(d, 3).start, TimeNs(5000));
        QCOMPARE(byId(d, 3).duration(), TimeNs(0));
        QVERIFY(!byId(d, 3).has(MarkSkewAdjusted)); // nothing to fit into its client
        QCOMPARE(byId(d, 4).start, TimeNs(5000));
        QCOMPARE(byId(d, 4).end, TimeNs(6500));
        QVERIFY(!byId(d, 2).has(MarkOutlivesParent));
        QVERIFY(!byId(d, 5).has(MarkOutlivesParent));
        QCOMPARE(trace.spanWarnings.size(), std::size_t(3));
        const std::uint32_t root = static_cast<std::uint32_t>(&byId(d, 1) - d.spans.data());
        QCOMPARE(spanwise::selfTime(d, root), TimeNs(0));
        TimeNs onPath = 0; // the client's path runs through its zero-length server half untroubled
        for (const CriticalSegment& segment : criticalPath(d, root + 1))
            onPath += segment.length();
        QCOMPARE(onPath, TimeNs(4000));
        const std::string violation = findInvariantViolation(d);
        QVERIFY2(violation.empty(), violation.c_str());
    }

    void spanWithoutServiceIsUnknownService()
    {
        DatasetBuilder b;
        SpanRecord r;
        r.traceId = kTrace;
        r.id = 1;
        r.end = 10;
        b.addSpan(r);
        r.id = 2;
        r.resource = b.addResource(0, {});
        b.addSpan(r);
        const Dataset d = b.finish();
        for (const Span& s : d.spans)
            QCOMPARE(d.str(s.service), std::string_view("unknown_service"));
        QCOMPARE(d.str(d.resources[0].service), std::string_view("unknown_service"));
        QCOMPARE(d.str(d.resources[0].host), std::string_view("unknown_service"));
    }

    void spansInProgressReachTheTraceEnd()
    {
        Spans t;
        t.span(1, 0, 5000, 9000);
        t.span(2, 1, 6000, 6000, "svc", SpanKind::Internal, MarkInProgress); // no end time in the file
        const Dataset d = t.finish();
        QCOMPARE(byId(d, 2).start, TimeNs(6000));
        QCOMPARE(byId(d, 2).end, TimeNs(9000));
        QCOMPARE(d.traces[0].end, TimeNs(9000));
    }

    void asyncChildOutlivingParentIsMarked()
    {
        Spans t;
        t.span(1, 0, 0, 100);
        t.span(2, 1, 90, 300, "svc", SpanKind::Producer, MarkFollowsFrom);
        const Dataset d = t.finish();
        QVERIFY(byId(d, 2).has(MarkOutlivesParent));
        QCOMPARE(d.traces[0].duration(), TimeNs(300));
    }

    void clockSkew_data()
    {
        QTest::addColumn<TimeNs>("childStart");
        QTest::addColumn<TimeNs>("childEnd");
        QTest::addColumn<TimeNs>("expectedStart");
        // The client parent runs 1000..2000 on host "a"; the server child on host "b".
        QTest::newRow("starts early, fits: centred") << TimeNs(500) << TimeNs(900) << TimeNs(1300);
        QTest::newRow("ends late, fits: centred") << TimeNs(1900) << TimeNs(2300) << TimeNs(1300);
        QTest::newRow("inside already: untouched") << TimeNs(1200) << TimeNs(1500) << TimeNs(1200);
        QTest::newRow("longer, starts early: moved to parent start") << TimeNs(0) << TimeNs(1500) << TimeNs(1000);
        QTest::newRow("longer, starts inside: untouched") << TimeNs(1100) << TimeNs(2600) << TimeNs(1100);
    }
    void clockSkew()
    {
        QFETCH(TimeNs, childStart);
        QFETCH(TimeNs, childEnd);
        QFETCH(TimeNs, expectedStart);
        for (bool adjust : {true, false}) {
            Spans t;
            t.span(1, 0, 900, 2100, "web", SpanKind::Server, 0, "a");
            t.span(2, 1, 1000, 2000, "web", SpanKind::Client, 0, "a");
            t.span(3, 2, childStart, childEnd, "api", SpanKind::Server, 0, "b");
            t.span(4, 3, childStart + 10, childStart + 20, "api", SpanKind::Internal, 0, "b"); // same host: moves too
            t.span(5, 4, childStart + 12, childStart + 18, "db", SpanKind::Server, 0, "c");    // own clock
            const Dataset d = t.finish(adjust);
            const TimeNs delta = adjust ? expectedStart - childStart : 0;
            QCOMPARE(byId(d, 3).start, childStart + delta);
            QCOMPARE(byId(d, 3).duration(), childEnd - childStart);
            QCOMPARE(byId(d, 3).skewDelta, delta);
            QCOMPARE(byId(d, 4).start, childStart + 10 + delta);
            QCOMPARE(byId(d, 3).has(MarkSkewAdjusted), delta != 0);
            QCOMPARE(byId(d, 5).start, childStart + 12); // a server without a client parent is never moved
            QCOMPARE(d.traces[0].skewAdjustedCount, delta != 0 ? 2u : 0u);
            QCOMPARE(d.traces[0].spanWarnings.size(), std::size_t(delta != 0 ? 1 : 0));
        }
    }

    void clockSkewLeavesAsyncAndSameHostAlone()
    {
        Spans t;
        t.span(1, 0, 1000, 2000, "web", SpanKind::Client, 0, "a");
        t.span(2, 1, 5000, 6000, "worker", SpanKind::Server, MarkFollowsFrom, "b"); // async: real delay
        t.span(3, 1, 500, 900, "web2", SpanKind::Server, 0, "a");                   // same host: same clock
        t.span(4, 1, 100, 200, "queue", SpanKind::Consumer, 0, "c");                // not a server span
        const Dataset d = t.finish();
        QCOMPARE(byId(d, 2).start, TimeNs(5000));
        QCOMPARE(byId(d, 3).start, TimeNs(500));
        QCOMPARE(byId(d, 4).start, TimeNs(100));
        QCOMPARE(d.traces[0].skewAdjustedCount, 0u);
    }

    void clockSkewMovesEvents()
    {
        DatasetBuilder b;
        const Attribute host{b.intern("host.name"), Value::string(b.intern("b"))};
        SpanRecord client;
        client.traceId = kTrace;
        client.id = 1;
        client.kind = SpanKind::Client;
        client.start = 1000;
        client.end = 2000;
        client.service = b.intern("web");
        b.addSpan(client);
        SpanRecord server = client;
        server.id = 2;
        server.parentId = 1;
        server.kind = SpanKind::Server;
        server.start = 0;
        server.end = 500;
        server.resource = b.addResource(b.intern("api"), b.appendAttributes({&host, 1}));
        server.service = 0;
        const Event event{100, b.intern("retry"), {}};
        server.events = b.appendEvents({&event, 1});
        b.addSpan(server);
        const Dataset d = b.finish();
        const Span& s = byId(d, 2);
        QCOMPARE(s.start, TimeNs(1250));
        QCOMPARE(d.events[s.events.first].time, TimeNs(1350));
        QCOMPARE(d.str(s.service), std::string_view("api"));
    }

    void selfTime_data()
    {
        QTest::addColumn<QList<qint64>>("children"); // start, end pairs under a parent running 0..100
        QTest::addColumn<qint64>("expected");
        QTest::newRow("no children") << QList<qint64>{} << qint64(100);
        QTest::newRow("sequential") << QList<qint64>{10, 20, 30, 50} << qint64(70);
        QTest::newRow("overlapping") << QList<qint64>{10, 40, 30, 60} << qint64(50);
        QTest::newRow("nested in another") << QList<qint64>{10, 90, 20, 30} << qint64(20);
        QTest::newRow("outliving the parent") << QList<qint64>{80, 300} << qint64(80);
        QTest::newRow("before the parent") << QList<qint64>{-50, -10} << qint64(100);
    }
    void selfTime()
    {
        QFETCH(QList<qint64>, children);
        QFETCH(qint64, expected);
        Spans t;
        t.span(1, 0, 0, 100);
        for (qsizetype i = 0; i + 1 < children.size(); i += 2)
            t.span(SpanId(i + 2), 1, children[i], children[i + 1]);
        const Dataset d = t.finish();
        QCOMPARE(spanwise::selfTime(d, 0), TimeNs(expected));
    }

    void parseDuration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns"); // -1: not a duration
        QTest::newRow("ms") << "250ms" << qint64(250'000'000);
        QTest::newRow("seconds with space") << "1.5 s" << qint64(1'500'000'000);
        QTest::newRow("micro sign") << "80 µs" << qint64(80'000);
        QTest::newRow("us") << "80us" << qint64(80'000);
        QTest::newRow("ns") << "300ns" << qint64(300);
        QTest::newRow("bare number is ms") << "12" << qint64(12'000'000);
        QTest::newRow("unknown unit") << "3 parsecs" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("too large") << "1e30s" << qint64(-1);
    }
    void parseDuration()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const auto parsed = spanwise::parseDuration(text.toStdString());
        QCOMPARE(parsed.has_value(), ns >= 0);
        if (parsed)
            QCOMPARE(*parsed, TimeNs(ns));
    }

    void memoryPerSpanStaysCompact() { QVERIFY2(sizeof(Span) <= 120, "the span record grew: keep the model compact"); }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
