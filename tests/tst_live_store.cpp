// The live store: spans of many payloads grouped into traces, the cap on spans kept and which traces
// it drops, the counts, and payloads added from many threads at once.
#include <test_support.h>

#include <live_store.h>
#include <same_spans.h>

#include <QFile>
#include <QTest>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace std::chrono_literals;

namespace {

constexpr TimeNs kBase = 1767225600000000000; // 2026-01-01

// A payload as the receivers' sink builds it: read by the importers, no clock-skew adjustment.
Dataset payload(std::string_view bytes)
{
    LoadOptions options;
    options.build.adjustClockSkew = false;
    LoadResult result = loadBytes(bytes, "payload", options);
    if (!result.complete())
        QTest::qFail(("payload does not load:\n" + result.errorText()).c_str(), __FILE__, __LINE__);
    return std::move(result.dataset);
}

// A payload of `count` spans of each of the traces, from one service; the first of each is its root
// when root is set.
Dataset spansOf(std::initializer_list<std::uint64_t> traces, SpanId firstId, int count, bool root = false,
                const char* service = "svc")
{
    DatasetBuilder builder;
    const std::uint32_t resource = builder.addResource(builder.intern(service), {});
    for (const std::uint64_t trace : traces) {
        for (int i = 0; i < count; ++i) {
            SpanRecord r;
            r.traceId = {0, trace};
            r.id = firstId + static_cast<SpanId>(i);
            r.parentId = root && i == 0 ? 0 : 1;
            r.resource = resource;
            r.name = builder.intern("op");
            r.start = kBase + i * 1000;
            r.end = r.start + 500;
            builder.addSpan(r);
        }
    }
    return builder.finish(BuildOptions{.adjustClockSkew = false});
}

Dataset spans(std::uint64_t trace, SpanId firstId, int count, bool root = false, const char* service = "svc")
{
    return spansOf({trace}, firstId, count, root, service);
}

// A clock the test moves by hand.
struct ManualClock {
    std::shared_ptr<LiveClock::time_point> time = std::make_shared<LiveClock::time_point>();
    void advance(LiveClock::duration d) const { *time += d; }
    std::function<LiveClock::time_point()> function() const
    {
        return [t = time] { return *t; };
    }
};

} // namespace

class TestLiveStore : public QObject {
    Q_OBJECT
private slots:
    void payloadsOfOneFileBuildTheSameDataset_data()
    {
        QTest::addColumn<bool>("skew");
        QTest::newRow("no skew") << false;
        QTest::newRow("skewed clock") << true;
    }
    // The collector's file exporter writes one line per service batch: fed as payloads one by one, the
    // store puts together the same traces as the file read whole, clock-skew adjustment included.
    void payloadsOfOneFileBuildTheSameDataset()
    {
        QFETCH(bool, skew);
        QStringList args = {u"--traces"_s, u"4"_s, u"--seed"_s, u"11"_s};
        if (skew)
            args += {u"--skew-us"_s, u"30000"_s};
        const QString path = test::generatedTrace(u"otlp-jsonl"_s, 1200, args);
        const LoadResult whole = test::load(path);
        LiveStore store;
        const QList<QByteArray> lines = test::readFile(path).split('\n');
        int payloads = 0;
        for (const QByteArray& line : lines) {
            if (line.trimmed().isEmpty())
                continue;
            store.add(payload(line.toStdString()));
            ++payloads;
        }
        QVERIFY(payloads > 8); // the spans of each trace did come in several payloads
        const LiveCounts counts = store.counts();
        QCOMPARE(counts.payloads, std::uint64_t(payloads));
        QCOMPARE(counts.receivedSpans, whole.dataset.spans.size());
        QCOMPARE(counts.keptSpans, whole.dataset.spans.size());
        QCOMPARE(counts.keptTraces, whole.dataset.traces.size());
        QCOMPARE(counts.droppedSpans, 0u);
        const Dataset snapshot = store.snapshot();
        test::verifySameSpans(whole.dataset, snapshot);
        for (std::size_t t = 0; t < snapshot.traces.size(); ++t) // in the order they first arrived
            QVERIFY(snapshot.traces[t].id == whole.dataset.traces[t].id);
        if (skew)
            QVERIFY(std::any_of(snapshot.traces.begin(), snapshot.traces.end(),
                                [](const Trace& t) { return t.skewAdjustedCount > 0; }));
    }

    void spansOfOneTraceFromManyServicesFormOneTree()
    {
        LiveStore store;
        store.add(payload(
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
            "scopeSpans":[{"spans":[{"traceId":"000000000000000000000000000000aa","spanId":"0000000000000002",
            "parentSpanId":"0000000000000001","name":"handle","kind":2,
            "startTimeUnixNano":"1767225600000100000","endTimeUnixNano":"1767225600000800000"}]}]}]})"));
        store.add(payload(
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
            "scopeSpans":[{"spans":[{"traceId":"000000000000000000000000000000aa","spanId":"0000000000000001",
            "name":"page","kind":2,"startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600001000000"},
            {"traceId":"000000000000000000000000000000bb","spanId":"0000000000000009","name":"other",
            "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600001000000"}]}]}]})"));
        const Dataset data = store.snapshot();
        QCOMPARE(data.traces.size(), 2u);
        const Trace* trace = data.findTrace({0, 0xaa});
        QVERIFY(trace);
        QCOMPARE(trace->count, 2u);
        QCOMPARE(trace->orphanCount, 0u);
        const Span& root = data.spans[trace->first];
        const Span& child = data.spans[trace->first + 1];
        QCOMPARE(data.str(root.service), "web");
        QCOMPARE(data.str(child.service), "api");
        QCOMPARE(child.parent, trace->first);
        QCOMPARE(data.services(*trace).size(), 2u);
    }

    void overTheCapTheTraceUpdatedLongestAgoGoes()
    {
        ManualClock clock;
        LiveStore store(LiveStoreOptions{.maxSpans = 5, .quietPeriod = 2s, .now = clock.function()});
        store.add(spans(0xa, 1, 2, true)); // A: 2 spans
        clock.advance(1s);
        store.add(spans(0xb, 10, 2, true)); // B: 2 spans
        clock.advance(1s);
        store.add(spans(0xa, 3, 1)); // A again: now B was updated longest ago
        clock.advance(1s);
        QCOMPARE(store.counts().droppedTraces, 0u);
        store.add(spans(0xc, 20, 2, true)); // 7 spans: B goes
        LiveCounts counts = store.counts();
        QCOMPARE(counts.keptSpans, 5u);
        QCOMPARE(counts.keptTraces, 2u);
        QCOMPARE(counts.droppedTraces, 1u);
        QCOMPARE(counts.droppedSpans, 2u);
        QCOMPARE(counts.receivedSpans, 7u);
        const Dataset data = store.snapshot();
        QVERIFY(data.findTrace({0, 0xa}) && data.findTrace({0, 0xc}));
        QVERIFY(!data.findTrace({0, 0xb}));
        QCOMPARE(data.findTrace({0, 0xa})->count, 3u);

        // A payload bigger than the cap on its own: everything older goes, then the payload itself.
        store.add(spans(0xd, 30, 6, true));
        counts = store.counts();
        QCOMPARE(counts.keptSpans, 0u);
        QCOMPARE(counts.droppedTraces, 4u);
        QCOMPARE(counts.droppedSpans, 13u);
        QVERIFY(store.snapshot().traces.empty());
    }

    // The cap bounds memory: a payload stays while any of its traces is kept, so its spans count
    // until the last of them goes.
    void aPayloadIsHeldWhileAnyOfItsTracesIsKept()
    {
        ManualClock clock;
        LiveStore store(LiveStoreOptions{.maxSpans = 10, .quietPeriod = 2s, .now = clock.function()});
        Dataset both = spansOf({0xa, 0xb}, 1, 5, true); // one request with traces A and B, 5 spans each
        QCOMPARE(both.traces.size(), 2u);
        store.add(std::move(both));
        QCOMPARE(store.counts().heldSpans, 10u);
        clock.advance(1s);
        store.add(spans(0xa, 6, 1)); // A again: B is now the trace updated longest ago
        // 11 spans held: B goes, but the first request stays for A, so A goes too.
        const LiveCounts counts = store.counts();
        QCOMPARE(counts.droppedTraces, 2u);
        QCOMPARE(counts.keptTraces, 0u);
        QCOMPARE(counts.heldSpans, 0u);
        QCOMPARE(counts.keptSpans, 0u);

        store.add(spans(0xc, 20, 4, true));
        store.add(spans(0xd, 30, 4, true));
        QCOMPARE(store.counts().heldSpans, 8u); // requests of one trace each: held as kept
        QCOMPARE(store.counts().keptSpans, 8u);
        store.clear();
        QCOMPARE(store.counts().heldSpans, 0u);
    }

    void aTraceIsCompleteAfterAQuietPeriod()
    {
        ManualClock clock;
        LiveStore store(LiveStoreOptions{.maxSpans = 100, .quietPeriod = 5s, .now = clock.function()});
        QVERIFY(!store.counts().lastArrival);
        store.add(spans(0xa, 1, 2, true));
        clock.advance(3s);
        store.add(spans(0xb, 10, 1, true));
        clock.advance(2s); // A quiet for 5 s, B for 2 s
        std::vector<LiveTrace> traces = store.traces();
        QCOMPARE(traces.size(), 2u);
        QVERIFY(traces[0].id == (TraceId{0, 0xa}) && traces[0].complete);
        QVERIFY(traces[1].id == (TraceId{0, 0xb}) && !traces[1].complete);
        QCOMPARE(traces[0].spans, 2u);
        QCOMPARE(store.counts().completeTraces, 1u);
        store.add(spans(0xa, 5, 1)); // a late span: A is not complete any more, and now the newest
        traces = store.traces();
        QVERIFY(traces[1].id == (TraceId{0, 0xa}) && !traces[1].complete);
        QVERIFY(traces[1].lastArrival - traces[1].firstArrival == 5s);
        QCOMPARE(store.counts().completeTraces, 0u);
        clock.advance(5s);
        QCOMPARE(store.counts().completeTraces, 2u);
        QVERIFY(*store.counts().lastArrival == *clock.time - 5s);
    }

    void emptyPayloadChangesNothing()
    {
        LiveStore store;
        store.add(Dataset{});
        QCOMPARE(store.counts().payloads, 0u);
        QVERIFY(!store.counts().lastArrival);
        QVERIFY(store.snapshot().spans.empty());
    }

    void clearForgetsTheSpansKeptNotWhatWasReceived()
    {
        LiveStore store;
        store.add(spans(1, 1, 3, true));
        store.add(spans(2, 10, 2, true));
        store.clear();
        QCOMPARE(store.counts().keptSpans, 0u);
        QCOMPARE(store.counts().keptTraces, 0u);
        QCOMPARE(store.counts().receivedSpans, 5u);
        QVERIFY(store.traces().empty());
        QVERIFY(store.snapshot().spans.empty());
        store.add(spans(1, 20, 2, true)); // a trace seen before the clear starts again
        QCOMPARE(store.traces().size(), 1u);
        QCOMPARE(store.traces().front().spans, 2u);
    }

    // Receivers call the store from their threads while the window or the recorder takes snapshots.
    void concurrentPayloads()
    {
        LiveStore store(LiveStoreOptions{.maxSpans = 1'000'000});
        constexpr int kThreads = 6;
        constexpr int kPayloadsPerThread = 150;
        constexpr int kSpansPerPayload = 4;
        constexpr int kTraces = 10;
        std::atomic<bool> stop = false;
        std::atomic<std::size_t> snapshots = 0;
        std::atomic<std::size_t> broken = 0; // snapshots whose traces are not whole payloads
        std::thread reader([&] {
            while (!stop) {
                const Dataset data = store.snapshot();
                for (const Trace& trace : data.traces)
                    broken += trace.count % kSpansPerPayload != 0;
                ++snapshots;
            }
        });
        std::vector<std::thread> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back([&store, t] {
                for (int p = 0; p < kPayloadsPerThread; ++p) {
                    const SpanId first = SpanId(1000 + (t * kPayloadsPerThread + p) * kSpansPerPayload);
                    store.add(spans(std::uint64_t(1 + p % kTraces), first, kSpansPerPayload));
                }
            });
        }
        for (std::thread& w : writers)
            w.join();
        stop = true;
        reader.join();
        QVERIFY(snapshots > 0);
        QCOMPARE(broken.load(), 0u);
        const LiveCounts counts = store.counts();
        constexpr std::uint64_t kAll = kThreads * kPayloadsPerThread * kSpansPerPayload;
        QCOMPARE(counts.payloads, std::uint64_t(kThreads * kPayloadsPerThread));
        QCOMPARE(counts.receivedSpans, kAll);
        QCOMPARE(counts.keptSpans, kAll);
        QCOMPARE(counts.keptTraces, std::uint64_t(kTraces));
        const Dataset data = store.snapshot();
        QCOMPARE(data.spans.size(), kAll);
        QCOMPARE(data.traces.size(), std::size_t(kTraces));
        for (const Trace& trace : data.traces) {
            QCOMPARE(trace.count, std::uint32_t(kAll / kTraces));
            QCOMPARE(trace.duplicateCount, 0u);
        }
    }
};

QTEST_GUILESS_MAIN(TestLiveStore)
#include "tst_live_store.moc"
