// DatasetBuilder::finish() on several threads: the dataset must be the one a single thread builds,
// down to every span's place, times, marks and warnings, for every format and for awkward trees.
#include <test_support.h>

#include <invariants.h>
#include <parallel_for.h>
#include <same_model.h>
#include <trace_trees.h>

#include <QTest>

#include <random>
#include <thread>

using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr unsigned kThreadCounts[] = {2, 4};

LoadOptions onThreads(unsigned threads)
{
    LoadOptions options;
    options.build.threads = threads;
    return options;
}

// Spans of many traces, interleaved in file order, with every irregularity the tree builder
// handles: orphans, duplicate ids, parent cycles, Zipkin shared halves, spans without timing or
// ending before they start, spans in progress, and calls across hosts whose clocks are off.
void addAwkwardTraces(DatasetBuilder& builder, int traces, int spansPerTrace)
{
    std::mt19937_64 random(7);
    std::vector<std::uint32_t> resources;
    for (int host = 0; host < 5; ++host) {
        const Attribute hostName{builder.intern("host.name"),
                                 Value::string(builder.intern("host-" + std::to_string(host)))};
        resources.push_back(builder.addResource(builder.intern("service-" + std::to_string(host)),
                                                builder.appendAttributes({&hostName, 1})));
    }
    const StringId eventName = builder.intern("log");
    for (int i = 0; i < spansPerTrace; ++i) {
        for (int t = 0; t < traces; ++t) {
            SpanRecord r;
            r.traceId = {0, static_cast<std::uint64_t>(t + 1)};
            r.id = static_cast<SpanId>(i + 1);
            // Mostly a tree under span 1; some parents come later in the file, some never.
            r.parentId = i == 0 ? 0 : static_cast<SpanId>(random() % (i + 8) + 1);
            const auto roll = random() % 100;
            if (roll < 2)
                r.id = static_cast<SpanId>(random() % spansPerTrace + 1); // a duplicate, maybe a cycle
            else if (roll < 4)
                r.marks |= MarkShared;
            else if (roll < 5)
                r.marks |= MarkNoTiming;
            else if (roll < 6)
                r.marks |= MarkInProgress;
            r.start = 1'000'000'000 + static_cast<TimeNs>(random() % 1'000'000'000);
            r.end = roll == 6 ? r.start - 5 : r.start + static_cast<TimeNs>(random() % 50'000'000);
            r.kind = random() % 2 ? SpanKind::Server : SpanKind::Client;
            r.status = random() % 10 == 0 ? StatusCode::Error : StatusCode::Unset;
            r.resource = resources[random() % resources.size()];
            r.name = builder.intern("op-" + std::to_string(random() % 20));
            const Event event{r.start + 10, eventName, {}};
            r.events = builder.appendEvents({&event, 1});
            builder.addSpan(r);
        }
    }
}

// One trace of `spans` spans (at least kTraceSpansForAllThreads, so all threads build it) in a shape
// that stresses one part of the parallel build.
enum class Shape {
    Awkward, // addAwkwardTraces: wide levels, every irregularity
    Chain,   // thousands of levels of a few spans each, one of them a long cycle
    Star,    // one root with every other span as its child, many starting at the same time
    Forest,  // many roots and orphans, in-progress spans, a Zipkin shared half per call
};

void addHugeTrace(DatasetBuilder& builder, Shape shape, int spans)
{
    if (shape == Shape::Awkward)
        return addAwkwardTraces(builder, 1, spans);
    std::mt19937_64 random(11);
    const StringId name = builder.intern("step");
    for (int i = 0; i < spans; ++i) {
        SpanRecord r;
        r.traceId = {2, static_cast<std::uint64_t>(shape)};
        r.id = static_cast<SpanId>(i + 1);
        r.name = name;
        r.start = 1'000'000 + static_cast<TimeNs>(random() % 1000) * 1000;
        r.end = r.start + static_cast<TimeNs>(random() % 100'000);
        switch (shape) {
        case Shape::Chain:
            // A chain, with a short branch every few spans; the last thousand spans form a cycle
            // (span spans - 1000 names the last as its parent), apart from the root's tree.
            r.parentId = i == 0 ? 0 : static_cast<SpanId>(i % 7 == 0 && i < spans - 2000 ? i - 1 : i);
            if (i == spans - 1000)
                r.parentId = static_cast<SpanId>(spans);
            break;
        case Shape::Star:
            r.parentId = i == 0 ? 0 : 1;
            r.start = 1'000'000 + static_cast<TimeNs>(random() % 50) * 1000;
            break;
        case Shape::Forest:
            r.parentId = i % 100 == 0 ? 0 : static_cast<SpanId>(random() % (i + 1000) + 1);
            if (i % 5 == 1) { // the server half of the call before
                r.id = static_cast<SpanId>(i);
                r.marks |= MarkShared;
            }
            if (random() % 50 == 0)
                r.marks |= MarkInProgress;
            if (random() % 70 == 0)
                r.marks |= MarkNoTiming;
            break;
        case Shape::Awkward:
            break;
        }
        builder.addSpan(r);
    }
}

Dataset buildHuge(Shape shape, unsigned threads)
{
    DatasetBuilder builder;
    addHugeTrace(builder, shape, static_cast<int>(kTraceSpansForAllThreads) + 4000);
    return builder.finish(BuildOptions{.threads = threads});
}

Dataset buildAwkward(unsigned threads, const std::function<bool()>& cancelled = {})
{
    DatasetBuilder builder;
    addAwkwardTraces(builder, 96, 300);
    return builder.finish(BuildOptions{.cancelled = cancelled, .threads = threads});
}

} // namespace

class TestParallelBuild : public QObject {
    Q_OBJECT

private slots:
    void everyFormat_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl", "otlp-proto", "xray", "datadog"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }

    // Enough spans per thread that finish() does start the threads asked for; one service's clock
    // is off, so clock skew is adjusted (and warned about) in every trace.
    void everyFormat()
    {
        QFETCH(QString, format);
        const QString path = generatedTrace(format, 24000,
                                            {QStringLiteral("--traces"), QStringLiteral("60"), QStringLiteral("--seed"),
                                             QStringLiteral("5"), QStringLiteral("--skew-us"),
                                             QStringLiteral("40000")});
        QVERIFY(!path.isEmpty());
        const LoadResult serial = load(path, false, onThreads(1));
        QCOMPARE(serial.dataset.traces.size(), std::size_t(60));
        std::uint32_t adjusted = 0;
        for (const Trace& trace : serial.dataset.traces)
            adjusted += trace.skewAdjustedCount;
        QVERIFY(adjusted > 0);
        for (unsigned threads : kThreadCounts) {
            const LoadResult parallel = load(path, false, onThreads(threads));
            verifySameModel(serial.dataset, parallel.dataset);
            verifySameReport(serial.report, parallel.report);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("differs with %1 threads").arg(threads)));
        }
    }

    void awkwardTrees()
    {
        const Dataset serial = buildAwkward(1);
        QCOMPARE(serial.traces.size(), std::size_t(96));
        std::uint32_t orphans = 0, duplicates = 0, cycles = 0, skewed = 0;
        for (const Trace& trace : serial.traces) {
            orphans += trace.orphanCount;
            duplicates += trace.duplicateCount;
            cycles += trace.cycleCount;
            skewed += trace.skewAdjustedCount;
        }
        QVERIFY(orphans > 0 && duplicates > 0 && cycles > 0 && skewed > 0);
        for (unsigned threads : kThreadCounts) {
            verifySameModel(serial, buildAwkward(threads));
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("differs with %1 threads").arg(threads)));
        }
    }

    // The callback is asked on the calling thread only (it may touch what other threads must not),
    // before the threads start and once they are done at least, and not again once it said stop.
    void cancelledFromTheCallingThread()
    {
        const std::thread::id caller = std::this_thread::get_id();
        int asked = 0;
        bool elsewhere = false;
        const Dataset stopped = buildAwkward(4, [&] {
            elsewhere |= std::this_thread::get_id() != caller;
            return ++asked == 2;
        });
        QVERIFY(!elsewhere);
        QCOMPARE(asked, 2);
        QVERIFY(stopped.spans.empty());
        QVERIFY(stopped.traces.empty());
    }

    void oneHugeTrace_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::newRow("awkward") << Shape::Awkward;
        QTest::newRow("chain") << Shape::Chain;
        QTest::newRow("star") << Shape::Star;
        QTest::newRow("forest") << Shape::Forest;
    }

    // A trace big enough to be built by all threads together: the tree, every time, mark, count and
    // warning (in order) are those one thread builds, with any number of threads.
    void oneHugeTrace()
    {
        QFETCH(Shape, shape);
        const Dataset serial = buildHuge(shape, 1);
        QCOMPARE(serial.traces.size(), std::size_t(1));
        QCOMPARE(findInvariantViolation(serial), std::string());
        const Trace& trace = serial.traces[0];
        QVERIFY(trace.count >= kTraceSpansForAllThreads);
        switch (shape) {
        case Shape::Awkward:
            QVERIFY(trace.orphanCount > 0 && trace.duplicateCount > 0 && trace.cycleCount > 0);
            QVERIFY(trace.skewAdjustedCount > 0 && trace.errorCount > 0);
            QVERIFY(trace.spanWarnings.size() > trace.skewAdjustedCount / 2);
            break;
        case Shape::Chain:
            QCOMPARE(trace.cycleCount, 1u);
            QVERIFY(std::max_element(serial.spans.begin(), serial.spans.end(), [](const Span& a, const Span& b) {
                        return a.depth < b.depth;
                    })->depth > 50000);
            break;
        case Shape::Star:
            QCOMPARE(serial.spans[0].subtreeEnd, trace.count);
            break;
        case Shape::Forest:
            QVERIFY(trace.rootCount > 500 && trace.orphanCount > 0);
            // A server half hangs under its client half.
            QVERIFY(std::count_if(serial.spans.begin(), serial.spans.end(), [&](const Span& s) {
                        return s.has(MarkShared) && s.parent != kNoIndex && serial.spans[s.parent].id == s.id;
                    }) > 1000);
            break;
        }
        for (unsigned threads : {2u, 3u, 4u}) {
            verifySameModel(serial, buildHuge(shape, threads));
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(QStringLiteral("differs with %1 threads").arg(threads)));
        }
    }

    // A huge trace is built step by step on all threads: the callback is asked between the steps,
    // on the calling thread only, and the build stops at the first "cancel".
    void cancelledWhileBuildingAHugeTrace()
    {
        const std::thread::id caller = std::this_thread::get_id();
        for (int cancelAt : {3, 5, 7}) {
            int asked = 0;
            bool elsewhere = false;
            DatasetBuilder builder;
            addHugeTrace(builder, Shape::Awkward, static_cast<int>(kTraceSpansForAllThreads) + 4000);
            const Dataset stopped = builder.finish(BuildOptions{.cancelled =
                                                                    [&] {
                elsewhere |= std::this_thread::get_id() != caller;
                return ++asked == cancelAt;
                                                                },
                                                                .threads = 4});
            QVERIFY(!elsewhere);
            QCOMPARE(asked, cancelAt);
            QVERIFY(stopped.spans.empty());
            QVERIFY(stopped.traces.empty());
        }
    }

    // Ten traces, one as big as all the rest: still the serial result.
    void oneHugeTraceAmongSmallOnes()
    {
        auto build = [](unsigned threads) {
            DatasetBuilder builder;
            addAwkwardTraces(builder, 9, 1500);
            for (SpanId id = 1; id <= 13500; ++id) {
                SpanRecord r;
                r.traceId = {1, 1};
                r.id = id;
                r.parentId = id / 3;
                r.name = builder.intern("step");
                r.start = static_cast<TimeNs>(id) * 1000;
                r.end = r.start + 500;
                builder.addSpan(r);
            }
            return builder.finish(BuildOptions{.threads = threads});
        };
        const Dataset serial = build(1);
        QCOMPARE(serial.traces.size(), std::size_t(10));
        for (unsigned threads : kThreadCounts)
            verifySameModel(serial, build(threads));
    }

    // std::thread::hardware_concurrency() is 0 when the number of cores is not known: the work
    // is still done, on the calling thread.
    void noThreadsKnownRunsOnTheCaller()
    {
        std::vector<int> ran(5, 0);
        runTasks(0, ran.size(), [&](std::size_t task, bool onCaller) {
            QVERIFY(onCaller);
            ++ran[task];
        });
        QCOMPARE(ran, std::vector<int>(5, 1));
        std::size_t covered = 0;
        parallelFor(0, 10000, [&](std::size_t begin, std::size_t end, std::size_t) { covered += end - begin; });
        QCOMPARE(covered, std::size_t(10000));
    }
};

QTEST_GUILESS_MAIN(TestParallelBuild)
#include "tst_parallel_build.moc"
