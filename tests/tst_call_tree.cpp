// The merged call-path tree behind the flame graph: paths, normalisation, counts and sums, subtrees,
// the sandwich of an operation, the differential of two traces, and deep trees.
#include <test_support.h>

#include <call_tree.h>
#include <critical_path.h>
#include <described_trace.h>
#include <operation_name.h>
#include <self_time.h>

#include <QElapsedTimer>
#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

CallTree treeOf(const Dataset& data, const Trace& trace)
{
    const std::vector<TimeNs> critical = criticalTimePerSpan(trace, criticalPath(data, trace));
    return buildCallTree(data, trace, trace.first, trace.end_index(), critical);
}

// The labels from the top-level node down to `node`.
std::vector<std::string> pathOf(const CallTree& tree, std::uint32_t node)
{
    std::vector<std::string> path;
    for (std::uint32_t n = node; n != kNoIndex; n = tree.nodes[n].parent)
        path.insert(path.begin(), tree.labelOf(n));
    return path;
}

std::uint32_t findNode(const CallTree& tree, const std::vector<std::string>& path)
{
    for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
        if (pathOf(tree, i) == path)
            return i;
    }
    return kNoIndex;
}

std::uint32_t spanWithId(const Dataset& data, char id)
{
    for (std::uint32_t i = 0; i < data.spans.size(); ++i) {
        if (data.spans[i].id == static_cast<SpanId>(id))
            return i;
    }
    return kNoIndex;
}

// What every merged tree of a whole trace must satisfy: the structure is depth-first with siblings
// by total descending, every span is on the node of its path, and the sums are the trace's.
void verifyTreeOfTrace(const Dataset& data, const Trace& trace, const CallTree& tree)
{
    QCOMPARE(tree.nodeOfSpan.size(), std::size_t(trace.count));
    std::uint32_t count = 0;
    TimeNs self = 0;
    TimeNs total = 0;
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
        const CallTreeNode& node = tree.nodes[n];
        QVERIFY(node.subtreeEnd > n && node.subtreeEnd <= tree.nodes.size());
        if (node.parent != kNoIndex) {
            QVERIFY(node.parent < n);
            QCOMPARE(node.depth, tree.nodes[node.parent].depth + 1);
            QVERIFY(node.subtreeEnd <= tree.nodes[node.parent].subtreeEnd);
        }
        if (node.subtreeEnd < tree.nodes.size() && tree.nodes[node.subtreeEnd].parent == node.parent)
            QVERIFY(tree.nodes[node.subtreeEnd].totalNanos <= node.totalNanos); // left heavy
        count += node.count;
        self += node.selfNanos;
        QVERIFY(node.count > 0 && node.errors <= node.count);
        QVERIFY(node.p50Nanos <= node.maxNanos && node.maxNanos <= node.totalNanos);
        QCOMPARE(data.spans[node.longestSpan].duration(), node.maxNanos);
        QCOMPARE(tree.nodeOf(node.longestSpan), n);
    }
    TimeNs traceSelf = 0;
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        traceSelf += selfTime(data, i);
        const Span& s = data.spans[i];
        const std::uint32_t node = tree.nodeOf(i);
        QVERIFY(node < tree.nodes.size());
        QCOMPARE(tree.nodes[node].parent, s.parent == kNoIndex ? kNoIndex : tree.nodeOf(s.parent));
        QCOMPARE(QString::fromStdString(tree.labels[tree.nodes[node].label]).toLower(),
                 QString::fromStdString(operationKeyOf(data, s).match)); // the label of the first one seen
    }
    for (std::uint32_t root : data.topLevelSpans(trace))
        total += data.spans[root].duration();
    QCOMPARE(count, trace.count);
    QCOMPARE(self, traceSelf);
    QCOMPARE(tree.topLevelTotal(), total);
}

} // namespace

class TestCallTree : public QObject {
    Q_OBJECT
private slots:
    void mergesSiblingsWithTheSamePath()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:GET_/a x:r:0:100:db:query y:r:200:400:db:query:e "
                                               "z:r:500:900:cache:get w:x:10:50:db:connect v:y:210:220:db:connect");
        const Trace& t = d.traces.front();
        const CallTree tree = treeOf(d, t);
        verifyTreeOfTrace(d, t, tree);
        QCOMPARE(tree.nodes.size(), std::size_t(4));
        // Left heavy: cache: get (400 µs) before db: query (300 µs).
        QCOMPARE(pathOf(tree, 0), (std::vector<std::string>{"web: GET /a"}));
        QCOMPARE(pathOf(tree, 1), (std::vector<std::string>{"web: GET /a", "cache: get"}));
        QCOMPARE(pathOf(tree, 2), (std::vector<std::string>{"web: GET /a", "db: query"}));
        QCOMPARE(pathOf(tree, 3), (std::vector<std::string>{"web: GET /a", "db: query", "db: connect"}));
        const CallTreeNode& query = tree.nodes[2];
        QCOMPARE(query.count, 2u);
        QCOMPARE(query.errors, 1u);
        QCOMPARE(query.totalNanos, TimeNs(300'000));
        QCOMPARE(query.selfNanos, TimeNs(300'000 - 40'000 - 10'000));
        QCOMPARE(query.maxNanos, TimeNs(200'000));
        QCOMPARE(query.p50Nanos, TimeNs(100'000)); // nearest rank of {100, 200}
        QCOMPARE(query.longestSpan, spanWithId(d, 'y'));
        QCOMPARE(query.subtreeEnd, 4u);
        QCOMPARE(tree.nodes[0].subtreeEnd, 4u);
        QCOMPARE(tree.nodes[3].count, 2u);
        QCOMPARE(tree.nodes[0].selfNanos, TimeNs(1'000'000 - 100'000 - 200'000 - 400'000));
        QCOMPARE(tree.nodeOf(spanWithId(d, 'v')), 3u);
        QCOMPARE(tree.nodeOf(0xFFFFFF), kNoIndex);
    }

    void mediansAndTheLongestSpan()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:page a:r:0:10:db:q b:r:20:50:db:q c:r:60:80:db:q "
                                               "e:r:90:140:db:q f:r:150:155:db:q");
        const CallTree tree = treeOf(d, d.traces.front());
        const CallTreeNode& q = tree.nodes[1];
        QCOMPARE(q.count, 5u);
        QCOMPARE(q.p50Nanos, TimeNs(20'000)); // of 5, 10, 20, 30, 50 µs
        QCOMPARE(q.maxNanos, TimeNs(50'000));
        QCOMPARE(q.longestSpan, spanWithId(d, 'e'));
    }

    void normalisesNamesAndIgnoresCase()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:page a:r:0:100:users:GET_/user/42 "
                                               "b:r:100:300:users:GET_/user/43 c:r:300:400:users:get_/user/7");
        const CallTree tree = treeOf(d, d.traces.front());
        QCOMPARE(tree.nodes.size(), std::size_t(2));
        QCOMPARE(tree.labelOf(1), std::string("users: GET /user/{n}")); // the first one's spelling
        QCOMPARE(tree.nodes[1].count, 3u);
        QCOMPARE(tree.normalisations, unsigned(NormalisedNumber));
    }

    void differentParentsKeepPathsApart()
    {
        // db: query under cart and under pay: two nodes, as paths differ.
        const Dataset d = test::describedTrace("r:-:0:1000:web:page a:r:0:400:cart:load b:r:500:900:pay:charge "
                                               "x:a:10:100:db:query y:b:600:700:db:query");
        const CallTree tree = treeOf(d, d.traces.front());
        QCOMPARE(tree.nodes.size(), std::size_t(5));
        QVERIFY(findNode(tree, {"web: page", "cart: load", "db: query"}) != kNoIndex);
        QVERIFY(findNode(tree, {"web: page", "pay: charge", "db: query"}) != kNoIndex);
    }

    void severalTopLevelSpans()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:a x:q:10:20:db:lost s:-:0:300:web:a");
        const Trace& t = d.traces.front();
        const CallTree tree = treeOf(d, t);
        verifyTreeOfTrace(d, t, tree);
        const std::uint32_t a = findNode(tree, {"web: a"});
        QCOMPARE(tree.nodes[a].count, 2u);
        QCOMPARE(tree.nodes[findNode(tree, {"db: lost"})].parent, kNoIndex);
    }

    void sumsOnGeneratedAndRealTraces_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("gen_trace jaeger")
            << test::generatedTrace(QStringLiteral("jaeger"), 5000, {u"--seed"_s, u"4"_s});
        QTest::newRow("gen_trace datadog")
            << test::generatedTrace(QStringLiteral("datadog"), 3000, {u"--seed"_s, u"2"_s});
        QTest::newRow("example") << test::exampleTrace();
        for (const char* sample :
             {"jaeger-ui_01.json", "zipkin-v2-yelp.json", "zipkin-v2-messaging-kafka.json", "otlp-json-example.json",
              "datadog-graphql-error.json", "xray-batch-get-traces.json"})
            QTest::newRow(sample) << test::dataPath(QStringLiteral("samples/") + QLatin1String(sample));
    }
    void sumsOnGeneratedAndRealTraces()
    {
        QFETCH(QString, path);
        const LoadResult file = test::load(path, true);
        QVERIFY(!file.dataset.traces.empty());
        for (const Trace& t : file.dataset.traces) {
            const std::vector<CriticalSegment> path = criticalPath(file.dataset, t);
            const CallTree tree = buildCallTree(file.dataset, t, t.first, t.end_index(), criticalTimePerSpan(t, path));
            verifyTreeOfTrace(file.dataset, t, tree);
            TimeNs critical = 0;
            TimeNs nodesCritical = 0;
            for (const CriticalSegment& s : path)
                critical += s.length();
            for (const CallTreeNode& n : tree.nodes)
                nodesCritical += n.criticalNanos;
            QCOMPARE(nodesCritical, critical);
        }
    }

    void subtreeOnly()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:page a:r:0:400:cart:load b:r:500:900:pay:charge "
                                               "x:a:10:100:db:query y:a:200:300:db:query");
        const Trace& t = d.traces.front();
        const std::uint32_t a = spanWithId(d, 'a');
        const CallTree tree = buildCallTree(d, t, a, d.spans[a].subtreeEnd);
        QCOMPARE(tree.nodes.size(), std::size_t(2));
        QCOMPARE(tree.labelOf(0), std::string("cart: load"));
        QCOMPARE(tree.nodes[1].count, 2u);
        QCOMPARE(tree.topLevelTotal(), TimeNs(400'000));
        QCOMPARE(tree.nodeOf(spanWithId(d, 'b')), kNoIndex);
        QCOMPARE(tree.nodeOf(spanWithId(d, 'y')), 1u);
        QCOMPARE(tree.nodes[0].criticalNanos, TimeNs(0)); // no critical times given
    }

    void sandwichMergesCallersAndCallees()
    {
        // db: query is called from cart: load (twice, once recursively) and from pay: charge, and
        // directly from the root; it calls db: connect and itself.
        const Dataset d = test::describedTrace("r:-:0:2000:web:page "
                                               "a:r:0:400:cart:load x:a:10:100:db:query c:x:20:30:db:connect "
                                               "y:a:200:300:db:query z:y:210:260:db:query w:z:220:230:db:connect "
                                               "b:r:500:900:pay:charge v:b:600:700:db:query "
                                               "u:r:1000:1500:db:query:e");
        const Trace& t = d.traces.front();
        const Sandwich s = buildSandwich(d, t, t.first, t.end_index(), spanWithId(d, 'v'));

        const CallTree& callers = s.callers;
        QCOMPARE(callers.labelOf(0), std::string("db: query"));
        QCOMPARE(callers.nodes[0].parent, kNoIndex);
        QCOMPARE(callers.nodes[0].subtreeEnd, std::uint32_t(callers.nodes.size())); // one top-level node
        QCOMPARE(callers.nodes[0].count, 4u);                                       // x, y, v, u: z is inside y
        QCOMPARE(callers.nodes[0].totalNanos, TimeNs(90'000 + 100'000 + 100'000 + 500'000));
        QCOMPARE(callers.nodes[0].errors, 1u);
        QCOMPARE(callers.nodes[0].longestSpan, spanWithId(d, 'u'));
        QVERIFY(!callers.hasMedians);
        const std::uint32_t viaCart = findNode(callers, {"db: query", "cart: load"});
        QVERIFY(viaCart != kNoIndex);
        QCOMPARE(callers.nodes[viaCart].count, 2u);
        QCOMPARE(callers.nodes[viaCart].totalNanos, TimeNs(190'000));
        QCOMPARE(callers.nodes[viaCart].longestSpan, spanWithId(d, 'a')); // the caller
        const std::uint32_t viaCartRoot = findNode(callers, {"db: query", "cart: load", "web: page"});
        QCOMPARE(callers.nodes[viaCartRoot].count, 2u);
        const std::uint32_t direct = findNode(callers, {"db: query", "web: page"});
        QCOMPARE(callers.nodes[direct].count, 1u);
        QCOMPARE(callers.nodes[direct].totalNanos, TimeNs(500'000));
        QCOMPARE(callers.nodes[findNode(callers, {"db: query", "pay: charge", "web: page"})].count, 1u);
        QCOMPARE(callers.nodes.size(), std::size_t(6));
        // Left heavy: the direct call (500 µs) first.
        QCOMPARE(callers.nodes[1].label, callers.nodes[direct].label);

        const CallTree& callees = s.callees;
        QCOMPARE(callees.labelOf(0), std::string("db: query"));
        QCOMPARE(callees.nodes[0].count, 4u);
        QCOMPARE(callees.nodes[0].totalNanos, TimeNs(790'000));
        QCOMPARE(callees.nodes[0].p50Nanos, TimeNs(100'000));
        QCOMPARE(callees.nodes[0].subtreeEnd, std::uint32_t(callees.nodes.size()));
        const std::uint32_t connect = findNode(callees, {"db: query", "db: connect"});
        QCOMPARE(callees.nodes[connect].count, 1u);
        const std::uint32_t recursive = findNode(callees, {"db: query", "db: query"});
        QCOMPARE(callees.nodes[recursive].count, 1u);
        QCOMPARE(callees.nodes[findNode(callees, {"db: query", "db: query", "db: connect"})].count, 1u);
        QCOMPARE(callees.nodes.size(), std::size_t(4));
        QCOMPARE(callees.nodeOf(spanWithId(d, 'a')), kNoIndex);
        QCOMPARE(callees.nodeOf(spanWithId(d, 'z')), recursive);
        // Self times of the callees add up to the self time of the spans under the occurrences.
        TimeNs self = 0;
        for (const CallTreeNode& n : callees.nodes)
            self += n.selfNanos;
        TimeNs expected = 0;
        for (char id : {'x', 'c', 'y', 'z', 'w', 'v', 'u'})
            expected += selfTime(d, spanWithId(d, id));
        QCOMPARE(self, expected);
    }

    void sandwichOfATopLevelOperation()
    {
        const Dataset d = test::describedTrace("r:-:0:1000:web:page a:r:0:400:cart:load");
        const Trace& t = d.traces.front();
        const Sandwich s = buildSandwich(d, t, t.first, t.end_index(), spanWithId(d, 'r'));
        QCOMPARE(s.callers.nodes.size(), std::size_t(1));
        QCOMPARE(s.callees.nodes.size(), std::size_t(2));
        QCOMPARE(s.callers.nodes[0].totalNanos, TimeNs(1'000'000));
    }

    void differentialStatuses()
    {
        const Dataset a = test::describedTrace("r:-:0:10000:web:page s:r:0:1000:db:same l:r:1000:2000:db:slower "
                                               "f:r:2000:5000:db:faster g:r:5000:6000:db:gone h:g:5100:5200:db:deep "
                                               "n:r:6000:6050:db:noise");
        const Dataset b = test::describedTrace("r:-:0:10000:web:page s:r:0:1020:db:same l:r:1000:3000:db:slower "
                                               "f:r:3000:4000:db:faster w:r:5000:6000:db:new "
                                               "n:r:6000:6120:db:noise");
        const CallTreeDiff diff = diffCallTrees(a, a.traces.front(), b, b.traces.front());
        const CallTree& tree = diff.tree;
        QCOMPARE(diff.a.size(), tree.nodes.size());
        QCOMPARE(diff.change.size(), tree.nodes.size());
        const auto changeOf = [&](const char* label) { return diff.change[findNode(tree, {"web: page", label})]; };
        QCOMPARE(diff.change[0], FrameChange::Same);
        QCOMPARE(changeOf("db: same"), FrameChange::Same);  // 2 % slower: noise
        QCOMPARE(changeOf("db: noise"), FrameChange::Same); // 140 % slower, but only 70 µs
        QCOMPARE(changeOf("db: slower"), FrameChange::Slower);
        QCOMPARE(changeOf("db: faster"), FrameChange::Faster);
        QCOMPARE(changeOf("db: new"), FrameChange::Added);
        const std::uint32_t slower = findNode(tree, {"web: page", "db: slower"});
        QCOMPARE(diff.a[slower].totalNanos, TimeNs(1'000'000));
        QCOMPARE(tree.nodes[slower].totalNanos, TimeNs(2'000'000));
        QCOMPARE(diff.a[findNode(tree, {"web: page", "db: new"})].count, 0u);
        QCOMPARE(diff.removed.size(), std::size_t(1)); // db: gone, not db: deep below it
        QCOMPARE(diff.removed.front().label, std::string("db: gone"));
        QCOMPARE(diff.removed.front().parent, 0u);
        QCOMPARE(diff.removed.front().a.totalNanos, TimeNs(1'000'000));
        QCOMPARE(std::string(toString(FrameChange::Slower)), std::string("slower"));

        // The threshold is relative to the larger side: 1 ms more of 2 ms is 50 %, 2 ms less of 3 ms 67 %.
        DiffOptions loose;
        loose.relative = 0.6;
        const CallTreeDiff looser = diffCallTrees(a, a.traces.front(), b, b.traces.front(), loose);
        QCOMPARE(looser.change[findNode(looser.tree, {"web: page", "db: slower"})], FrameChange::Same);
        QCOMPARE(looser.change[findNode(looser.tree, {"web: page", "db: faster"})], FrameChange::Faster);
    }

    void identicalTracesDifferInNothing()
    {
        const LoadResult file = test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000, {u"--seed"_s, u"3"_s}));
        const Trace& t = file.dataset.traces.front();
        const CallTreeDiff diff = diffCallTrees(file.dataset, t, file.dataset, t);
        QVERIFY(diff.removed.empty());
        for (std::uint32_t n = 0; n < diff.tree.nodes.size(); ++n) {
            QCOMPARE(diff.change[n], FrameChange::Same);
            QCOMPARE(diff.a[n].totalNanos, diff.tree.nodes[n].totalNanos);
            QCOMPARE(diff.a[n].count, diff.tree.nodes[n].count);
        }
    }

    void deepChainWithoutRecursion()
    {
        constexpr int kDepth = 100'000;
        const Dataset data = test::chainTrace(kDepth, [](int i) { // two operations, alternating
            return i % 2 ? std::string("call") : "work " + std::to_string(i);
        });
        const Trace& t = data.traces.front();
        QElapsedTimer timer;
        timer.start();
        const CallTree tree = treeOf(data, t);
        verifyTreeOfTrace(data, t, tree);
        QCOMPARE(tree.nodes.size(), std::size_t(kDepth));
        QCOMPARE(tree.nodes.back().depth, std::uint32_t(kDepth - 1));
        QCOMPARE(tree.nodes.front().subtreeEnd, std::uint32_t(kDepth));
        const Sandwich s = buildSandwich(data, t, t.first, t.end_index(), t.first + 1);
        QCOMPARE(s.callers.nodes.size(), std::size_t(2)); // call ← work {n}: inner calls are within the first
        QCOMPARE(s.callers.nodes[0].count, 1u);
        QCOMPARE(s.callees.nodes.size(), std::size_t(kDepth - 1));
        const Sandwich deepest = buildSandwich(data, t, t.first, t.end_index(), t.end_index() - 1);
        QCOMPARE(deepest.callers.nodes.size(), std::size_t(2));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void callersOfManyLeavesUnderADeepSpanAreLinear()
    {
        // A chain of 20,000 spans with 20,000 leaves of one operation under its last span: walking up
        // from every leaf would take 4·10^8 steps; merged at the shared parent it is one walk.
        constexpr int kDepth = 20'000;
        DatasetBuilder b;
        auto add = [&](int id, int parent, TimeNs start, TimeNs end, const char* name) {
            SpanRecord r;
            r.traceId = {0, 5};
            r.id = static_cast<SpanId>(id);
            r.parentId = static_cast<SpanId>(parent);
            r.start = start;
            r.end = end;
            r.service = b.intern("svc");
            r.name = b.intern(name);
            b.addSpan(r);
        };
        for (int i = 1; i <= kDepth; ++i)
            add(i, i - 1, i, 10 * kDepth - i, "chain");
        for (int i = 0; i < kDepth; ++i)
            add(kDepth + 1 + i, kDepth, kDepth + i, kDepth + i + 1, "leaf");
        const Dataset data = b.finish(BuildOptions{.adjustClockSkew = false});
        const Trace& t = data.traces.front();
        QElapsedTimer timer;
        timer.start();
        const Sandwich s = buildSandwich(data, t, t.first, t.end_index(), t.end_index() - 1);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(s.callers.nodes.size(), std::size_t(kDepth + 1));
        QCOMPARE(s.callers.nodes.back().count, std::uint32_t(kDepth));
        QCOMPARE(s.callers.nodes.back().totalNanos, TimeNs(kDepth));
        QCOMPARE(s.callees.nodes.size(), std::size_t(1));
        QCOMPARE(s.callees.nodes[0].count, std::uint32_t(kDepth));
    }
};

QTEST_GUILESS_MAIN(TestCallTree)
#include "tst_call_tree.moc"
