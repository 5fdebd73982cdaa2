// Repeated sibling calls found in the model: runs, thresholds, timing, errors, the example's loop.
#include <test_support.h>

#include <dataset_builder.h>
#include <findings.h>
#include <repeat_groups.h>

#include <QTest>

using namespace spanwise;

namespace {

constexpr TraceId kTrace{0, 0x77};

// A root (id 1, 0..10 ms) and children described by (operation, start µs, duration µs, failed).
struct Call {
    const char* operation;
    TimeNs startUs;
    TimeNs durationUs;
    bool failed = false;
    const char* service = "db";
};

Dataset build(const std::vector<Call>& calls)
{
    DatasetBuilder builder;
    auto record = [&](SpanId id, SpanId parent, const char* service, const char* op, TimeNs start, TimeNs end) {
        SpanRecord r;
        r.traceId = kTrace;
        r.id = id;
        r.parentId = parent;
        r.start = start;
        r.end = end;
        r.name = builder.intern(op);
        r.resource = builder.addResource(builder.intern(service), {});
        return r;
    };
    builder.addSpan(record(1, 0, "api", "GET /order", 1'000'000'000, 1'010'000'000));
    SpanId id = 2;
    for (const Call& c : calls) {
        SpanRecord r = record(id++, 1, c.service, c.operation, 1'000'000'000 + c.startUs * 1000,
                              1'000'000'000 + (c.startUs + c.durationUs) * 1000);
        r.status = c.failed ? StatusCode::Error : StatusCode::Unset;
        builder.addSpan(r);
    }
    return builder.finish(BuildOptions{false});
}

std::vector<Call> sequence(const char* op, int count, TimeNs fromUs, TimeNs everyUs, TimeNs durationUs)
{
    std::vector<Call> calls;
    for (int i = 0; i < count; ++i)
        calls.push_back({op, fromUs + i * everyUs, durationUs});
    return calls;
}

} // namespace

class TestRepeatGroups : public QObject {
    Q_OBJECT
private slots:
    void sequentialRun()
    {
        // Durations 10, 20, … 70 µs one after another.
        std::vector<Call> calls;
        for (int i = 0; i < 7; ++i)
            calls.push_back({"SELECT item", i * 100, (i + 1) * 10});
        const Dataset data = build(calls);
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(1));
        const RepeatGroup& g = groups[0];
        QCOMPARE(g.first, 1u);
        QCOMPARE(g.last, 7u);
        QCOMPARE(g.parent, 0u);
        QCOMPARE(g.count, 7u);
        QCOMPARE(g.start, TimeNs(1'000'000'000));
        QCOMPARE(g.end, TimeNs(1'000'000'000 + (600 + 70) * 1000));
        QCOMPARE(g.minDuration, TimeNs(10'000));
        QCOMPARE(g.medianDuration, TimeNs(40'000));
        QCOMPARE(g.maxDuration, TimeNs(70'000));
        QCOMPARE(g.errors, 0u);
        QVERIFY(!g.concurrent);
        QCOMPARE(QString::fromStdString(g.label), QStringLiteral("db: SELECT item"));
    }

    void overlappingRunIsConcurrent()
    {
        const Dataset data = build(sequence("GET /price", 6, 0, 10, 500)); // all at once
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(1));
        QVERIFY(groups[0].concurrent);
        QCOMPARE(groups[0].end, TimeNs(1'000'000'000 + 550 * 1000)); // the latest end, not a sum
    }

    void runBrokenByAnotherOperation()
    {
        std::vector<Call> calls = sequence("SELECT a", 4, 0, 100, 50); // 4: too few
        calls.push_back({"SELECT b", 400, 50});
        for (const Call& c : sequence("SELECT a", 6, 500, 100, 50))
            calls.push_back(c);
        const Dataset data = build(calls);
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0].first, 6u); // after the 4 and the other operation
        QCOMPARE(groups[0].count, 6u);
        // The same name on another service is another operation.
        std::vector<Call> mixed = sequence("SELECT a", 6, 0, 100, 50);
        mixed[3].service = "cache";
        const Dataset other = build(mixed);
        QVERIFY(findRepeatGroups(other, other.traces[0]).empty());
    }

    void namesNormaliseToOneOperation()
    {
        std::vector<Call> calls;
        static const char* const names[] = {"GET /user/1", "GET /user/22", "GET /user/333", "GET /user/4",
                                            "GET /user/55"};
        for (int i = 0; i < 5; ++i)
            calls.push_back({names[i], i * 100, 50});
        const Dataset data = build(calls);
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(groups[0].label), QStringLiteral("db: GET /user/{n}"));
    }

    void threshold_data()
    {
        QTest::addColumn<int>("calls");
        QTest::addColumn<int>("minCount");
        QTest::addColumn<int>("groups");
        QTest::newRow("5 of 5") << 5 << 5 << 1;
        QTest::newRow("4 of 5") << 4 << 5 << 0;
        QTest::newRow("3 of 3") << 3 << 3 << 1;
        QTest::newRow("9 of 10") << 9 << 10 << 0;
        QTest::newRow("2 of 2") << 2 << 2 << 1;
    }

    void threshold()
    {
        QFETCH(int, calls);
        QFETCH(int, minCount);
        QFETCH(int, groups);
        const Dataset data = build(sequence("SELECT a", calls, 0, 100, 50));
        RepeatGroupOptions options;
        options.minCount = static_cast<std::uint32_t>(minCount);
        QCOMPARE(static_cast<int>(findRepeatGroups(data, data.traces[0], options).size()), groups);
    }

    void errorsCounted()
    {
        std::vector<Call> calls = sequence("SELECT a", 8, 0, 100, 50);
        calls[2].failed = calls[5].failed = true;
        const Dataset data = build(calls);
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0].errors, 2u);
    }

    void nestedGroupsInSpanOrder()
    {
        // Each of 5 calls has 5 calls of its own: one group under the root, one under each call.
        DatasetBuilder builder;
        auto add = [&](SpanId id, SpanId parent, const char* op, TimeNs start, TimeNs end) {
            SpanRecord r;
            r.traceId = kTrace;
            r.id = id;
            r.parentId = parent;
            r.start = 1'000'000'000 + start;
            r.end = 1'000'000'000 + end;
            r.name = builder.intern(op);
            r.resource = builder.addResource(builder.intern("svc"), {});
            builder.addSpan(r);
        };
        add(1, 0, "root", 0, 1'000'000);
        SpanId id = 2;
        for (int i = 0; i < 5; ++i) {
            const SpanId call = id++;
            add(call, 1, "outer", i * 100'000, i * 100'000 + 90'000);
            for (int j = 0; j < 5; ++j)
                add(id++, call, "inner", i * 100'000 + j * 10'000, i * 100'000 + j * 10'000 + 5'000);
        }
        const Dataset data = builder.finish(BuildOptions{false});
        const auto groups = findRepeatGroups(data, data.traces[0]);
        QCOMPARE(groups.size(), std::size_t(6));
        for (std::size_t i = 1; i < groups.size(); ++i)
            QVERIFY(groups[i - 1].first < groups[i].first);
        QCOMPARE(groups[0].first, 1u);
        QCOMPARE(groups[0].count, 5u);
        QCOMPARE(groups[0].last, 25u); // the last outer call, whose inner calls follow it
        QCOMPARE(groups[1].parent, 1u);
    }

    void exampleTraceHasTheKnownLoop()
    {
        const LoadResult loaded = test::load(test::exampleTrace());
        const Dataset& data = loaded.dataset;
        const auto groups = findRepeatGroups(data, data.traces[0]);
        const auto loop = std::find_if(groups.begin(), groups.end(), [](const RepeatGroup& g) {
            return g.label.find("pricing-service: SELECT") == 0;
        });
        QVERIFY(loop != groups.end());
        QCOMPARE(loop->count, 34u);
        QVERIFY(!loop->concurrent);
        QVERIFY(loop->minDuration <= loop->medianDuration && loop->medianDuration <= loop->maxDuration);
        // The N+1 finding names the same calls.
        const auto findings = findFindings(data, data.traces[0], criticalPath(data, data.traces[0]));
        const auto nPlusOne = std::find_if(findings.begin(), findings.end(),
                                           [](const Finding& f) { return f.kind == FindingKind::NPlusOne; });
        QVERIFY(nPlusOne != findings.end());
        QCOMPARE(nPlusOne->spans.front(), loop->first);
        QCOMPARE(nPlusOne->spans.size(), std::size_t(loop->count));
    }

    // Subtrees read on threads of their own: the groups one thread finds, in the same order.
    void sameOnAnyNumberOfThreads()
    {
        using namespace Qt::StringLiterals;
        const LoadResult loaded = test::load(
            test::generatedTrace(u"jaeger"_s, 60000, {u"--traces"_s, u"1"_s, u"--seed"_s, u"3"_s}));
        const Dataset& data = loaded.dataset;
        for (const std::uint32_t minCount : {2u, 5u}) {
            const auto one = findRepeatGroups(data, data.traces[0], {.minCount = minCount});
            QVERIFY(one.size() > 100);
            for (const unsigned threads : {2u, 4u, 7u}) {
                const auto many = findRepeatGroups(data, data.traces[0], {.minCount = minCount, .threads = threads});
                QCOMPARE(many.size(), one.size());
                for (std::size_t g = 0; g < one.size(); ++g) {
                    const RepeatGroup& a = one[g];
                    const RepeatGroup& b = many[g];
                    QVERIFY2(a.first == b.first && a.last == b.last && a.parent == b.parent && a.count == b.count &&
                                 a.start == b.start && a.end == b.end && a.minDuration == b.minDuration &&
                                 a.medianDuration == b.medianDuration && a.maxDuration == b.maxDuration &&
                                 a.errors == b.errors && a.concurrent == b.concurrent && a.label == b.label,
                             qPrintable(u"group %1 of %2 on %3 threads"_s.arg(g).arg(one.size()).arg(threads)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestRepeatGroups)
#include "tst_repeat_groups.moc"
