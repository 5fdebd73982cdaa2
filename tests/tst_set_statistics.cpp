// A set's statistics beside its slowest 1 %: the p99 threshold (ties at it included), the mean trace
// durations, and each group's critical-path and self time per trace of the whole set in both, a
// group missing from the slowest traces counting 0; the empty set and cancellation. Worked out by hand.
#include <test_support.h>

#include <described_trace.h>
#include <set_statistics.h>

#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

constexpr double kUs = 1000;

// 8 traces of 100 µs: front GET 0..100 calling db 10..60. 2 traces of 1000 µs: front GET 0..1000
// calling pay 10..910. The p99 of the 10 durations is the 10th smallest, 1000 µs, so both long ones
// are the slowest (a tie at the threshold is in). Each span lies on its trace's critical path for
// its self time: front 50 (normal) or 100 (slow), db 50, pay 900.
TraceSet handMadeSet()
{
    DatasetBuilder b;
    std::uint64_t id = 1;
    for (int i = 0; i < 8; ++i)
        test::addDescribedTrace(b, {0, id++}, u"a:-:0:100:front:GET b:a:10:60:db:query"_s);
    for (int i = 0; i < 2; ++i)
        test::addDescribedTrace(b, {0, id++}, u"a:-:0:1000:front:GET c:a:10:910:pay:charge"_s);
    auto data = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
    return TraceSet::ofDataset(data, "set.json");
}

std::size_t groupOf(const TraceStatistics& s, const std::string& key)
{
    for (std::size_t g = 0; g < s.groups.size(); ++g) {
        if (s.groups[g].key == key)
            return g;
    }
    return s.groups.size();
}

} // namespace

class TestSetStatistics : public QObject {
    Q_OBJECT
private slots:
    void theSlowestAreTheTracesAtOrAboveTheP99()
    {
        const TraceSet set = handMadeSet();
        const SetStatistics s = computeSetStatistics(set, StatisticsGrouping::Root);
        QCOMPARE(s.slowThreshold, TimeNs(1000 * kUs));
        QCOMPARE(s.slowestTraceCount, std::size_t(2));
        QCOMPARE(s.meanTraceNanos, (8 * 100 + 2 * 1000) * kUs / 10);
        QCOMPARE(s.meanSlowestTraceNanos, 1000 * kUs);
        QCOMPARE(s.all.traceCount, std::size_t(10));
        QCOMPARE(s.slowest.traceCount, std::size_t(2));
        QCOMPARE(s.all.groups.size(), std::size_t(1));
        QCOMPARE(s.all.groups[0].count, 10u);
        QCOMPARE(s.slowestGroupOf, std::vector<std::uint32_t>{0});
        QCOMPARE(s.slowest.groups[0].count, 2u);
    }

    // Operations merge ignoring case, showing the first spelling seen: the slowest traces, which may
    // have seen another spelling first, still find their group.
    void theSlowestFindTheirGroupWhateverItsSpelling()
    {
        DatasetBuilder b;
        std::uint64_t id = 1;
        for (int i = 0; i < 9; ++i)
            test::addDescribedTrace(b, {0, id++}, u"a:-:0:100:front:Checkout"_s);
        test::addDescribedTrace(b, {0, id++}, u"a:-:0:1000:front:checkout"_s);
        const TraceSet set = TraceSet::ofDataset(std::make_shared<const Dataset>(b.finish()), "set.json");
        for (const StatisticsGrouping grouping : {StatisticsGrouping::Root, StatisticsGrouping::Operation}) {
            const SetStatistics s = computeSetStatistics(set, grouping);
            QCOMPARE(s.all.groups.size(), std::size_t(1));
            QCOMPARE(s.all.groups[0].key, "front: Checkout");
            QCOMPARE(s.slowest.groups[0].key, "front: checkout");
            QCOMPARE(s.slowestGroupOf, std::vector<std::uint32_t>{0});
        }
    }

    void timesPerTraceInAllAndInTheSlowest()
    {
        const TraceSet set = handMadeSet();
        const SetStatistics s = computeSetStatistics(set, StatisticsGrouping::Service);
        QCOMPARE(s.all.groups.size(), std::size_t(3));
        const std::size_t front = groupOf(s.all, "front");
        const std::size_t db = groupOf(s.all, "db");
        const std::size_t pay = groupOf(s.all, "pay");
        QVERIFY(front < 3 && db < 3 && pay < 3);
        // front: 50 µs in 8 traces, 100 µs in 2, over 10; the slowest: 100 µs in both.
        QCOMPARE(s.criticalPerTrace(front), (8 * 50 + 2 * 100) * kUs / 10);
        QCOMPARE(s.selfPerTrace(front), (8 * 50 + 2 * 100) * kUs / 10);
        QCOMPARE(s.criticalPerSlowTrace(front), 100 * kUs);
        QCOMPARE(s.selfPerSlowTrace(front), 100 * kUs);
        // pay: 900 µs in 2 of 10 traces, in both of the slowest.
        QCOMPARE(s.criticalPerTrace(pay), 900 * kUs * 2 / 10);
        QCOMPARE(s.criticalPerSlowTrace(pay), 900 * kUs);
        QCOMPARE(s.selfPerSlowTrace(pay), 900 * kUs);
        // db: 50 µs in 8 of 10; not in the slowest, so 0 there.
        QCOMPARE(s.slowestGroupOf[db], kNoIndex);
        QCOMPARE(s.criticalPerTrace(db), 50 * kUs * 8 / 10);
        QCOMPARE(s.criticalPerSlowTrace(db), 0.0);
        QCOMPARE(s.selfPerSlowTrace(db), 0.0);
        // The groups add up to the mean trace: every nanosecond of a trace is on its critical path once.
        double all = 0;
        double slowest = 0;
        for (std::size_t g = 0; g < s.all.groups.size(); ++g) {
            all += s.criticalPerTrace(g);
            slowest += s.criticalPerSlowTrace(g);
        }
        QCOMPARE(all, s.meanTraceNanos);
        QCOMPARE(slowest, s.meanSlowestTraceNanos);
    }

    void anEmptySetHasNoGroups()
    {
        const SetStatistics s = computeSetStatistics(TraceSet{}, StatisticsGrouping::Operation);
        QCOMPARE(s.all.groups.size(), std::size_t(0));
        QCOMPARE(s.slowestTraceCount, std::size_t(0));
        QCOMPARE(s.slowThreshold, TimeNs(0));
        QCOMPARE(s.meanTraceNanos, 0.0);
    }

    void aCancelledComputationHasNoGroups()
    {
        const TraceSet set = handMadeSet();
        const SetStatistics s = computeSetStatistics(set, StatisticsGrouping::Service, [] { return true; });
        QCOMPARE(s.all.groups.size(), std::size_t(0));
        QCOMPARE(s.slowest.groups.size(), std::size_t(0));
        QVERIFY(s.slowestGroupOf.empty());
    }
};

QTEST_MAIN(TestSetStatistics)
#include "tst_set_statistics.moc"
