// Statistics across traces: nearest-rank percentiles, log-spaced histograms, grouping keys, errors,
// mean self and critical-path time, ordering and cancellation, against values worked out by hand.
#include <test_support.h>

#include <described_trace.h>
#include <trace_statistics.h>

#include <QTest>

#include <numeric>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

constexpr TimeNs kUs = 1000;

// Two files. Worked out by hand (µs):
//  A (file 0): r 0..100 front, a 10..50 cart, d 20..30 db under a, b 60..90 db (failed).
//     self: r 30, a 30, d 10, b 30. Critical path: r 90..100, b 60..90, r 50..60, a 30..50,
//     d 20..30, a 10..20, r 0..10: r 30, a 30, d 10, b 30; 100 in all.
//  B (file 1): r 0..200 front, a 0..150 cart, c 20..120 db under a.
//     self: r 50, a 50, c 100. Critical: r 150..200, a 120..150, c 20..120, a 0..20: r 50, a 50, c 100.
//  C (file 1): x 0..50 batch job (failed); self 50, critical 50.
TraceSet twoFiles()
{
    TraceSet set;
    set.add({.path = "a.json",
             .dataset = test::describedTraces({u"r:-:0:100:front:GET_/ a:r:10:50:cart:load d:a:20:30:db:query "
                                               u"b:r:60:90:db:query:e"_s})});
    set.add({.path = "b.json",
             .dataset = test::describedTraces(
                 {u"r:-:0:200:front:GET_/ a:r:0:150:cart:load c:a:20:120:db:query"_s, u"x:-:0:50:batch:job:e"_s})});
    return set;
}

const StatisticsGroup* findGroup(const TraceStatistics& stats, const std::string& key)
{
    for (const StatisticsGroup& g : stats.groups) {
        if (g.key == key)
            return &g;
    }
    return nullptr;
}

std::vector<std::string> keysOf(const TraceStatistics& stats)
{
    std::vector<std::string> keys;
    for (const StatisticsGroup& g : stats.groups)
        keys.push_back(g.key);
    return keys;
}

std::uint32_t bucketTotal(const LatencyHistogram& h)
{
    return std::accumulate(h.counts.begin(), h.counts.end(), 0u);
}

} // namespace

class TestTraceStatistics : public QObject {
    Q_OBJECT
private slots:
    void nearestRankByHand()
    {
        const std::vector<TimeNs> even{10, 20, 30, 40};
        QCOMPARE(nearestRank(even, 0), 10);
        QCOMPARE(nearestRank(even, 25), 10); // ⌈1⌉ = 1
        QCOMPARE(nearestRank(even, 26), 20);
        QCOMPARE(nearestRank(even, 50), 20); // ⌈2⌉
        QCOMPARE(nearestRank(even, 90), 40); // ⌈3.6⌉ = 4
        QCOMPARE(nearestRank(even, 100), 40);

        const std::vector<TimeNs> odd{1, 2, 3, 4, 5};
        QCOMPARE(nearestRank(odd, 50), 3); // ⌈2.5⌉
        QCOMPARE(nearestRank(odd, 90), 5); // ⌈4.5⌉
        QCOMPARE(nearestRank(odd, 20), 1); // ⌈1⌉
        QCOMPARE(nearestRank(odd, 0), 1);

        // Ranks that are whole numbers stay whole: 90 % of 10 is the 9th, 99 % of 100 the 99th.
        std::vector<TimeNs> hundred(100);
        std::iota(hundred.begin(), hundred.end(), 1);
        QCOMPARE(nearestRank(std::span(hundred).first(10), 90), 9);
        QCOMPARE(nearestRank(hundred, 99), 99);
        QCOMPARE(nearestRank(hundred, 50), 50);
        QCOMPARE(nearestRank(hundred, 99.5), 100);

        const std::vector<TimeNs> ties{5, 5, 5, 9};
        QCOMPARE(nearestRank(ties, 50), 5);
        QCOMPARE(nearestRank(ties, 75), 5); // ⌈3⌉
        QCOMPARE(nearestRank(ties, 76), 9);

        const std::vector<TimeNs> single{7};
        for (double p : {0.0, 1.0, 50.0, 99.0, 100.0})
            QCOMPARE(nearestRank(single, p), 7);
        QCOMPARE(nearestRank({}, 50), 0);
    }

    void histogramByHand()
    {
        QVERIFY(logHistogram({}).edges.empty());
        QVERIFY(logHistogram({}).counts.empty());

        // Decades: 1, 10, 100, 1000; the last bucket holds its upper edge.
        const std::vector<TimeNs> values{1, 9, 10, 99, 100, 1000, 1000};
        const LatencyHistogram h = logHistogram(values, 3);
        QCOMPARE(h.edges, (std::vector<TimeNs>{1, 10, 100, 1000}));
        QCOMPARE(h.counts, (std::vector<std::uint32_t>{2, 2, 3}));

        const LatencyHistogram sparse = logHistogram(std::vector<TimeNs>{1, 1000}, 3);
        QCOMPARE(sparse.counts, (std::vector<std::uint32_t>{1, 0, 1}));
    }

    void histogramEdgeCases()
    {
        const LatencyHistogram one = logHistogram(std::vector<TimeNs>{100});
        QCOMPARE(one.edges, (std::vector<TimeNs>{100, 100}));
        QCOMPARE(one.counts, (std::vector<std::uint32_t>{1}));

        const LatencyHistogram equal = logHistogram(std::vector<TimeNs>{5, 5, 5});
        QCOMPARE(equal.edges, (std::vector<TimeNs>{5, 5}));
        QCOMPARE(equal.counts, (std::vector<std::uint32_t>{3}));

        // Zero joins the first bucket, which then starts at 0; the steps go from 1 ns.
        const LatencyHistogram zeros = logHistogram(std::vector<TimeNs>{0, 0, 10, 100}, 2);
        QCOMPARE(zeros.edges, (std::vector<TimeNs>{0, 10, 100}));
        QCOMPARE(zeros.counts, (std::vector<std::uint32_t>{2, 2}));

        const LatencyHistogram allZero = logHistogram(std::vector<TimeNs>{0, 0});
        QCOMPARE(allZero.edges, (std::vector<TimeNs>{0, 0}));
        QCOMPARE(allZero.counts, (std::vector<std::uint32_t>{2}));

        const LatencyHistogram zeroAndOne = logHistogram(std::vector<TimeNs>{0, 1, 1});
        QCOMPARE(zeroAndOne.edges, (std::vector<TimeNs>{0, 1}));
        QCOMPARE(zeroAndOne.counts, (std::vector<std::uint32_t>{3})); // one bucket, [0, 1] with its upper edge
        const LatencyHistogram zeroApart = logHistogram(std::vector<TimeNs>{0, 100});
        QCOMPARE(zeroApart.edges[1], 1); // 0 alone in [0, 1)
        QCOMPARE(zeroApart.counts.front(), 1u);

        // Edges are whole nanoseconds: a range of 1 ns has one bucket, not 40 empty ones.
        const LatencyHistogram narrow = logHistogram(std::vector<TimeNs>{1000, 1001});
        QCOMPARE(narrow.edges, (std::vector<TimeNs>{1000, 1001}));
        QCOMPARE(narrow.counts, (std::vector<std::uint32_t>{2}));
    }

    void histogramBucketsCoverEveryValue()
    {
        std::vector<TimeNs> values;
        for (TimeNs v = 0; v < 5000; ++v)
            values.push_back(v * v * 37 % 9'000'001);
        std::sort(values.begin(), values.end());
        for (std::size_t buckets : {1u, 2u, 7u, 40u, 200u}) {
            const LatencyHistogram h = logHistogram(values, buckets);
            QVERIFY(h.counts.size() <= buckets);
            QCOMPARE(h.counts.size() + 1, h.edges.size());
            QCOMPARE(bucketTotal(h), values.size());
            QCOMPARE(h.edges.front(), values.front());
            QCOMPARE(h.edges.back(), values.back());
            QVERIFY(std::adjacent_find(h.edges.begin(), h.edges.end(), std::greater_equal<>()) == h.edges.end());
            // Each value in the bucket its edges say.
            std::size_t bucket = 0;
            std::vector<std::uint32_t> counted(h.counts.size(), 0);
            for (TimeNs v : values) {
                while (bucket + 1 < h.counts.size() && v >= h.edges[bucket + 1])
                    ++bucket;
                QVERIFY(v >= h.edges[bucket] && (v < h.edges[bucket + 1] || bucket + 1 == h.counts.size()));
                ++counted[bucket];
            }
            QCOMPARE(counted, h.counts);
        }
        // Log-spaced: on 1 ns .. 1 s with 9 buckets, each edge is 10 times the one before.
        const LatencyHistogram decades = logHistogram(std::vector<TimeNs>{1, 1'000'000'000}, 9);
        QCOMPARE(decades.edges, (std::vector<TimeNs>{1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000,
                                                     100'000'000, 1'000'000'000}));
    }

    void rootGroupsByHand()
    {
        const TraceSet set = twoFiles();
        const TraceStatistics stats = computeStatistics(set, set.traces, StatisticsGrouping::Root);
        QCOMPARE(stats.grouping, StatisticsGrouping::Root);
        QCOMPARE(stats.traceCount, 3u);
        QCOMPARE(stats.spanCount, 8u);
        QCOMPARE(keysOf(stats), (std::vector<std::string>{"front: GET /", "batch: job"}));

        const StatisticsGroup& front = stats.groups[0];
        QCOMPARE(front.count, 2u);
        QCOMPARE(front.traceCount, 2u);
        QCOMPARE(front.errorCount, 1u); // A has a failed span
        QCOMPARE(front.minNanos, 100 * kUs);
        QCOMPARE(front.p50Nanos, 100 * kUs); // ⌈1⌉ of 2
        QCOMPARE(front.p90Nanos, 200 * kUs);
        QCOMPARE(front.p99Nanos, 200 * kUs);
        QCOMPARE(front.maxNanos, 200 * kUs);
        QCOMPARE(front.meanSelfNanos, (30 + 50) / 2.0 * kUs);       // the root spans' self time
        QCOMPARE(front.meanCriticalNanos, (100 + 200) / 2.0 * kUs); // the whole critical path
        QCOMPARE(front.members.size(), 2u);
        QCOMPARE(front.members[0].trace, (TraceRef{0, 0}));
        QCOMPARE(front.members[0].duration, 100 * kUs);
        QCOMPARE(set.dataset(front.members[0].trace).spans[front.members[0].span].id, SpanId('r'));
        QCOMPARE(front.members[1].trace.file, 1u);
        QCOMPARE(set.dataset(front.members[1].trace).spans[front.members[1].span].id, SpanId('r'));
        QCOMPARE(bucketTotal(front.histogram), 2u);

        const StatisticsGroup& batch = stats.groups[1];
        QCOMPARE(batch.count, 1u);
        QCOMPARE(batch.errorCount, 1u);
        QCOMPARE(batch.minNanos, 50 * kUs);
        QCOMPARE(batch.p50Nanos, 50 * kUs);
        QCOMPARE(batch.p99Nanos, 50 * kUs);
        QCOMPARE(batch.meanSelfNanos, 50.0 * kUs);
        QCOMPARE(batch.meanCriticalNanos, 50.0 * kUs);
    }

    void serviceGroupsByHand()
    {
        const TraceSet set = twoFiles();
        const TraceStatistics stats = computeStatistics(set, set.traces, StatisticsGrouping::Service);
        QCOMPARE(stats.spanCount, 8u);
        // By p99: front 200, cart 150, db 100, batch 50.
        QCOMPARE(keysOf(stats), (std::vector<std::string>{"front", "cart", "db", "batch"}));

        const StatisticsGroup* db = findGroup(stats, "db");
        QVERIFY(db);
        QCOMPARE(db->count, 3u); // d 10, b 30, c 100
        QCOMPARE(db->traceCount, 2u);
        QCOMPARE(db->errorCount, 1u);
        QCOMPARE(db->minNanos, 10 * kUs);
        QCOMPARE(db->p50Nanos, 30 * kUs);  // ⌈1.5⌉ = 2nd
        QCOMPARE(db->p90Nanos, 100 * kUs); // ⌈2.7⌉ = 3rd
        QCOMPARE(db->maxNanos, 100 * kUs);
        // Per trace summed, then averaged over the traces with a db span: A 10 + 30, B 100.
        QCOMPARE(db->meanSelfNanos, (40 + 100) / 2.0 * kUs);
        QCOMPARE(db->meanCriticalNanos, (40 + 100) / 2.0 * kUs);
        QCOMPARE(bucketTotal(db->histogram), 3u);
        QCOMPARE(db->members[0].duration, 10 * kUs);
        QCOMPARE(db->members[2].duration, 100 * kUs);

        const StatisticsGroup* cart = findGroup(stats, "cart");
        QVERIFY(cart);
        QCOMPARE(cart->errorCount, 0u);
        QCOMPARE(cart->meanSelfNanos, (30 + 50) / 2.0 * kUs);
        QCOMPARE(cart->meanCriticalNanos, (30 + 50) / 2.0 * kUs);

        const StatisticsGroup* front = findGroup(stats, "front");
        QVERIFY(front);
        QCOMPARE(front->meanSelfNanos, (30 + 50) / 2.0 * kUs);
        QCOMPARE(front->meanCriticalNanos, (30 + 50) / 2.0 * kUs);
        QCOMPARE(front->errorCount, 0u); // a failed span fails only itself here

        std::uint32_t members = 0;
        for (const StatisticsGroup& g : stats.groups)
            members += g.count;
        QCOMPARE(members, 8u);
    }

    void operationKeys()
    {
        TraceSet set;
        // Ids in names become placeholders and case is ignored, as the flame graph merges them; a span
        // without a service is unknown_service; the same name under two services is two operations.
        set.add(
            {.dataset = test::describedTraces({u"r:-:0:100:web:GET_/user/42 a:r:0:10::lookup a2:r:20:40:db:lookup"_s,
                                               u"r:-:0:300:web:get_/user/43 a:r:0:30::lookup:e"_s})});
        const TraceStatistics ops = computeStatistics(set, set.traces, StatisticsGrouping::Operation);
        QCOMPARE(keysOf(ops),
                 (std::vector<std::string>{"web: GET /user/{n}", "unknown_service: lookup", "db: lookup"}));
        const StatisticsGroup* unknown = findGroup(ops, "unknown_service: lookup");
        QVERIFY(unknown);
        QCOMPARE(unknown->count, 2u);
        QCOMPARE(unknown->errorCount, 1u);
        QCOMPARE(findGroup(ops, "web: GET /user/{n}")->count, 2u);

        const TraceStatistics services = computeStatistics(set, set.traces, StatisticsGrouping::Service);
        QCOMPARE(keysOf(services), (std::vector<std::string>{"web", "unknown_service", "db"}));

        const TraceStatistics roots = computeStatistics(set, set.traces, StatisticsGrouping::Root);
        QCOMPARE(keysOf(roots), (std::vector<std::string>{"web: GET /user/{n}"}));
        QCOMPARE(roots.groups[0].errorCount, 1u);
    }

    void rootIsTheFirstTopLevelSpan()
    {
        // An orphan starting before the root is the first top-level span and names the trace.
        TraceSet set;
        set.add({.dataset = test::describedTraces({u"r:-:10:100:web:index o:z:0:20:worker:poll"_s})});
        const TraceStatistics roots = computeStatistics(set, set.traces, StatisticsGrouping::Root);
        QCOMPARE(keysOf(roots), (std::vector<std::string>{"worker: poll"}));
        QCOMPARE(roots.groups[0].p50Nanos, 100 * kUs); // the trace's duration, 0..100
        QCOMPARE(roots.groups[0].meanSelfNanos, 20.0 * kUs);
        QCOMPARE(roots.groups[0].meanCriticalNanos, (20 + 90) * double(kUs)); // both top-level paths
    }

    void tiesOrderedByKey()
    {
        TraceSet set;
        set.add({.dataset = test::describedTraces(
                     {u"r:-:0:50:zeta:op"_s, u"r:-:0:50:alpha:op"_s, u"r:-:0:70:mid:op"_s, u"r:-:0:0:zero:op"_s})});
        const TraceStatistics stats = computeStatistics(set, set.traces, StatisticsGrouping::Service);
        QCOMPARE(keysOf(stats), (std::vector<std::string>{"mid", "alpha", "zeta", "zero"}));
        const StatisticsGroup* zero = findGroup(stats, "zero");
        QVERIFY(zero);
        QCOMPARE(zero->p99Nanos, 0);
        QCOMPARE(zero->histogram.counts, (std::vector<std::uint32_t>{1}));
    }

    void emptyAndPartialSets()
    {
        const TraceSet empty;
        const TraceStatistics none = computeStatistics(empty, empty.traces, StatisticsGrouping::Root);
        QCOMPARE(none.traceCount, 0u);
        QCOMPARE(none.spanCount, 0u);
        QVERIFY(none.groups.empty());

        const TraceSet set = twoFiles();
        QVERIFY(computeStatistics(set, {}, StatisticsGrouping::Operation).groups.empty());

        // Only trace B: one member per group, all from it.
        const std::vector<TraceRef> onlyB{{1, 0}};
        const TraceStatistics b = computeStatistics(set, onlyB, StatisticsGrouping::Operation);
        QCOMPARE(b.traceCount, 1u);
        QCOMPARE(b.spanCount, 3u);
        QCOMPARE(keysOf(b), (std::vector<std::string>{"front: GET /", "cart: load", "db: query"}));
        for (const StatisticsGroup& g : b.groups) {
            QCOMPARE(g.count, 1u);
            QCOMPARE(g.traceCount, 1u);
            QCOMPARE(g.minNanos, g.maxNanos);
            QCOMPARE(g.members[0].trace, (TraceRef{1, 0}));
        }
    }

    void cancelled()
    {
        const TraceSet set = twoFiles();
        int asked = 0;
        const TraceStatistics stopped = computeStatistics(set, set.traces, StatisticsGrouping::Service,
                                                          [&] { return ++asked > 1; });
        QVERIFY(stopped.groups.empty());
        QCOMPARE(asked, 2); // asked before each trace, stopped before the second

        const TraceStatistics atOnce = computeStatistics(set, set.traces, StatisticsGrouping::Root,
                                                         [] { return true; });
        QVERIFY(atOnce.groups.empty());

        const TraceStatistics notStopped = computeStatistics(set, set.traces, StatisticsGrouping::Root,
                                                             [] { return false; });
        QCOMPARE(notStopped.groups.size(), 2u);
    }

    void generatedSetIsConsistent()
    {
        // A generated file of many traces: counts add up and percentiles lie in order.
        LoadResult loaded = test::load(test::generatedTrace(u"jaeger"_s, 3000, {u"--traces"_s, u"40"_s}));
        const TraceSet set = TraceSet::ofDataset(std::make_shared<const Dataset>(std::move(loaded.dataset)));
        for (StatisticsGrouping grouping :
             {StatisticsGrouping::Root, StatisticsGrouping::Service, StatisticsGrouping::Operation}) {
            const TraceStatistics stats = computeStatistics(set, set.traces, grouping);
            QCOMPARE(stats.traceCount, set.traces.size());
            QCOMPARE(stats.spanCount, set.spanCount());
            std::size_t members = 0;
            for (std::size_t i = 0; i < stats.groups.size(); ++i) {
                const StatisticsGroup& g = stats.groups[i];
                members += g.count;
                QCOMPARE(g.members.size(), std::size_t(g.count));
                QVERIFY(g.minNanos <= g.p50Nanos && g.p50Nanos <= g.p90Nanos && g.p90Nanos <= g.p99Nanos &&
                        g.p99Nanos <= g.maxNanos);
                QVERIFY(g.errorCount <= g.count);
                QVERIFY(g.traceCount >= 1 && g.traceCount <= g.count);
                QCOMPARE(bucketTotal(g.histogram), g.count);
                QVERIFY(g.meanSelfNanos >= 0 && g.meanCriticalNanos >= 0);
                if (i > 0)
                    QVERIFY(stats.groups[i - 1].p99Nanos >= g.p99Nanos);
            }
            QCOMPARE(members, grouping == StatisticsGrouping::Root ? set.traces.size() : set.spanCount());
        }
    }
};

QTEST_GUILESS_MAIN(TestTraceStatistics)
#include "tst_trace_statistics.moc"
