// The operation graph: nodes merged by operation or service, call edges, errors, self time,
// critical-path marks, coarsening and focus ranges.
#include <test_support.h>

#include <operation_graph.h>
#include <self_time.h>
#include <trace_diff.h>

#include <QTest>

using namespace spanwise;

namespace {

struct SpanSpec {
    SpanId id;
    SpanId parent; // 0: none
    TimeNs startUs;
    TimeNs endUs;
    const char* service;
    const char* operation;
    bool error = false;
};

std::shared_ptr<const Dataset> build(std::initializer_list<SpanSpec> specs)
{
    DatasetBuilder b;
    for (const SpanSpec& spec : specs) {
        SpanRecord r;
        r.traceId = {0, 1};
        r.id = spec.id;
        r.parentId = spec.parent;
        r.start = spec.startUs * 1000;
        r.end = spec.endUs * 1000;
        r.service = b.intern(spec.service);
        r.name = b.intern(spec.operation);
        r.status = spec.error ? StatusCode::Error : StatusCode::Unset;
        b.addSpan(r);
    }
    return std::make_shared<const Dataset>(b.finish(BuildOptions{false}));
}

// frontend calls cart twice (its user ids differ only by number), each cart call queries the db;
// two queries fail. frontend's cache lookup overlaps the first cart call, so it is off the
// critical path.
std::shared_ptr<const Dataset> checkout()
{
    return build({
        {1, 0, 0, 1000, "frontend", "GET /"},
        {2, 1, 100, 400, "cart", "get /user/42"},
        {3, 2, 150, 200, "db", "query", true},
        {4, 2, 250, 300, "db", "query"},
        {5, 1, 120, 130, "frontend", "cache"},
        {6, 1, 500, 900, "cart", "get /user/43"},
        {7, 6, 600, 700, "db", "query", true},
    });
}

const Span* spanById(const Dataset& data, SpanId id)
{
    return test::findSpan(data, id);
}

std::uint32_t indexOf(const Dataset& data, SpanId id)
{
    return static_cast<std::uint32_t>(spanById(data, id) - data.spans.data());
}

OperationGraph graphOf(const Dataset& data, const GraphOptions& options = {})
{
    const Trace& trace = data.traces.front();
    const std::vector<CriticalSegment> path = criticalPath(data, trace);
    return buildOperationGraph(data, trace, trace.first, trace.end_index(), path, options);
}

std::uint32_t nodeNamed(const OperationGraph& graph, const std::string& label)
{
    for (std::uint32_t n = 0; n < graph.nodes.size(); ++n) {
        if (graph.nodes[n].label == label)
            return n;
    }
    return kNoIndex;
}

const GraphEdge* edgeBetween(const OperationGraph& graph, const std::string& from, const std::string& to)
{
    const std::uint32_t a = nodeNamed(graph, from);
    const std::uint32_t b = nodeNamed(graph, to);
    for (const GraphEdge& e : graph.edges) {
        if (e.from == a && e.to == b)
            return &e;
    }
    return nullptr;
}

TimeNs traceSelfSum(const Dataset& data, std::uint32_t first, std::uint32_t end)
{
    TimeNs sum = 0;
    for (std::uint32_t i = first; i < end; ++i)
        sum += selfTime(data, i);
    return sum;
}

} // namespace

class TestOperationGraph : public QObject {
    Q_OBJECT
private slots:
    void nodesMergeOperationsAndCountSpans()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data);
        QCOMPARE(graph.mode, GraphMode::Operations);
        QVERIFY(!graph.coarsened());
        QCOMPARE(graph.nodes.size(), std::size_t{4});
        const std::uint32_t cart = nodeNamed(graph, "cart: get /user/{n}");
        QVERIFY(cart != kNoIndex); // both user ids are one operation
        QCOMPARE(graph.nodes[cart].spans, 2u);
        QCOMPARE(graph.nodes[cart].totalNanos, TimeNs{700'000});
        QCOMPARE(graph.nodes[cart].longestSpan, indexOf(*data, 6)); // 400 µs against 300 µs
        const std::uint32_t db = nodeNamed(graph, "db: query");
        QCOMPARE(graph.nodes[db].spans, 3u);
        QCOMPARE(graph.nodes[db].errors, 2u);
        QCOMPARE(graph.nodes[nodeNamed(graph, "frontend: GET /")].errors, 0u);
        QCOMPARE(graph.nodes[graph.nodeOf(indexOf(*data, 1))].service, spanById(*data, 1)->service);
    }

    void edgesCountCallsAndFailedCallees()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data);
        QCOMPARE(graph.edges.size(), std::size_t{3});
        const GraphEdge* toCart = edgeBetween(graph, "frontend: GET /", "cart: get /user/{n}");
        QVERIFY(toCart);
        QCOMPARE(toCart->calls, 2u);
        QCOMPARE(toCart->errors, 0u);
        const GraphEdge* toDb = edgeBetween(graph, "cart: get /user/{n}", "db: query");
        QVERIFY(toDb);
        QCOMPARE(toDb->calls, 3u);
        QCOMPARE(toDb->errors, 2u); // the callee failing counts on the call
        QVERIFY(edgeBetween(graph, "frontend: GET /", "frontend: cache"));
        QVERIFY(!edgeBetween(graph, "db: query", "cart: get /user/{n}")); // edges point to the callee
    }

    void selfTimesSumToTheTrace()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data);
        TimeNs nodes = 0;
        for (const GraphNode& n : graph.nodes)
            nodes += n.selfNanos;
        const Trace& trace = data->traces.front();
        QCOMPARE(nodes, traceSelfSum(*data, trace.first, trace.end_index()));
        QCOMPARE(graph.selfNanos, nodes);
        // frontend: GET / does 1000 − (300 + 400) µs itself; the cache call overlaps cart's.
        QCOMPARE(graph.nodes[nodeNamed(graph, "frontend: GET /")].selfNanos, TimeNs{300'000});

        // A generated trace with many services, operations and depths: the same holds.
        const LoadResult loaded = test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000));
        const Dataset& big = loaded.dataset;
        const Trace& bigTrace = big.traces.front();
        const OperationGraph bigGraph = graphOf(big);
        TimeNs bigNodes = 0;
        std::uint32_t spans = 0;
        for (const GraphNode& n : bigGraph.nodes) {
            bigNodes += n.selfNanos;
            spans += n.spans;
        }
        QCOMPARE(bigNodes, traceSelfSum(big, bigTrace.first, bigTrace.end_index()));
        QCOMPARE(spans, bigTrace.count);
    }

    void serviceMode()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data, GraphOptions{GraphMode::Services});
        QCOMPARE(graph.mode, GraphMode::Services);
        QVERIFY(!graph.coarsened());
        QCOMPARE(graph.nodes.size(), std::size_t{3});
        QCOMPARE(graph.nodes[nodeNamed(graph, "frontend")].spans, 2u);
        QCOMPARE(graph.nodes[nodeNamed(graph, "db")].errors, 2u);
        const GraphEdge* selfCall = edgeBetween(graph, "frontend", "frontend"); // the cache lookup
        QVERIFY(selfCall);
        QCOMPARE(selfCall->calls, 1u);
        QCOMPARE(edgeBetween(graph, "cart", "db")->calls, 3u);
        QCOMPARE(edgeBetween(graph, "cart", "db")->errors, 2u);
    }

    void tooManyOperationsCoarsenToServices()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data, GraphOptions{GraphMode::Operations, 3});
        QVERIFY(graph.coarsened());
        QCOMPARE(graph.coarsening, Coarsening::TooManyOperations);
        QCOMPARE(graph.operationCount, std::size_t{4});
        QCOMPARE(graph.mode, GraphMode::Services);
        QCOMPARE(graph.nodes.size(), std::size_t{3});
        QCOMPARE(graph.nodes[graph.nodeOf(indexOf(*data, 7))].label, std::string("db"));
        QVERIFY(!graphOf(*data, GraphOptions{GraphMode::Operations, 4}).coarsened()); // at the limit: kept

        // 1 + 40 × 11 spans named "root", "call N" and "leaf N": three operations once the numbers
        // are normalised, over a limit of 2; one service.
        const auto wide = test::wideTrace(40, 10);
        QCOMPARE(graphOf(*wide).nodes.size(), std::size_t{3});
        const OperationGraph coarse = graphOf(*wide, GraphOptions{GraphMode::Operations, 2});
        QVERIFY(coarse.coarsened());
        QCOMPARE(coarse.operationCount, std::size_t{3});
        QCOMPARE(coarse.nodes.size(), std::size_t{1});
        QCOMPARE(coarse.nodes.front().spans, 441u);
    }

    void tangledOperationsCoarsenToServices()
    {
        // Three operations of two services calling each other every way round: 6 pairs for 3 nodes.
        const auto data = build({
            {1, 0, 0, 700, "api", "a"},
            {2, 1, 10, 690, "api", "b"},
            {3, 2, 20, 680, "db", "c"},
            {4, 3, 30, 670, "api", "a"},
            {5, 4, 40, 660, "db", "c"},
            {6, 5, 50, 650, "api", "b"},
            {7, 6, 60, 640, "api", "a"},
        });
        QVERIFY(!graphOf(*data).coarsened()); // within the default limit of pairs
        const OperationGraph graph = graphOf(*data, GraphOptions{GraphMode::Operations, 500, 2});
        QCOMPARE(graph.coarsening, Coarsening::TooTangled);
        QCOMPARE(graph.operationCount, std::size_t{3});
        QCOMPARE(graph.operationEdgeCount, std::size_t{6});
        QCOMPARE(graph.mode, GraphMode::Services);
        QCOMPARE(graph.nodes.size(), std::size_t{2});
        QCOMPARE(graph.nodes[nodeNamed(graph, "api")].spans, 5u);
        QCOMPARE(edgeBetween(graph, "api", "db")->calls, 2u);
        QCOMPARE(edgeBetween(graph, "db", "api")->calls, 2u);
        QCOMPARE(edgeBetween(graph, "api", "api")->calls, 2u);
        TimeNs self = 0;
        for (const GraphNode& n : graph.nodes)
            self += n.selfNanos;
        QCOMPARE(self, graph.selfNanos); // counted once, not once per attempt
        QCOMPARE(graph.selfNanos, traceSelfSum(*data, graph.first, graph.end));
    }

    void criticalPathMarksNodesAndEdges()
    {
        const auto data = checkout();
        const OperationGraph graph = graphOf(*data);
        const std::uint32_t cache = nodeNamed(graph, "frontend: cache");
        QVERIFY(!graph.nodes[cache].onCriticalPath);
        QCOMPARE(graph.nodes[cache].criticalNanos, TimeNs{0});
        QVERIFY(!edgeBetween(graph, "frontend: GET /", "frontend: cache")->onCriticalPath);
        QVERIFY(edgeBetween(graph, "frontend: GET /", "cart: get /user/{n}")->onCriticalPath);
        QVERIFY(edgeBetween(graph, "cart: get /user/{n}", "db: query")->onCriticalPath);
        TimeNs critical = 0;
        for (const GraphNode& n : graph.nodes) {
            QCOMPARE(n.onCriticalPath, n.criticalNanos > 0);
            critical += n.criticalNanos;
        }
        QCOMPARE(critical, data->traces.front().duration()); // the path covers the trace once
        QCOMPARE(graph.nodes[nodeNamed(graph, "db: query")].criticalNanos, TimeNs{200'000});
    }

    void spansHandingOverAtOnceStayOnThePath()
    {
        // The gateway and the service last exactly as long as the query: only the query has time on
        // the path, yet the calls down to it are the path.
        const auto data = build({
            {1, 0, 0, 100, "gateway", "route"},
            {2, 1, 0, 100, "api", "handle"},
            {3, 2, 0, 100, "db", "select"},
            {4, 1, 10, 20, "gateway", "auth"},
        });
        const OperationGraph graph = graphOf(*data);
        QCOMPARE(graph.nodes[nodeNamed(graph, "gateway: route")].criticalNanos, TimeNs{0});
        QVERIFY(graph.nodes[nodeNamed(graph, "gateway: route")].onCriticalPath);
        QVERIFY(graph.nodes[nodeNamed(graph, "api: handle")].onCriticalPath);
        QVERIFY(edgeBetween(graph, "gateway: route", "api: handle")->onCriticalPath);
        QVERIFY(edgeBetween(graph, "api: handle", "db: select")->onCriticalPath);
        QVERIFY(!edgeBetween(graph, "gateway: route", "gateway: auth")->onCriticalPath);
    }

    void eachSpanFindsItsNode()
    {
        const auto data = checkout();
        const Trace& trace = data->traces.front();
        const OperationGraph graph = graphOf(*data);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            const std::uint32_t node = graph.nodeOf(i);
            QVERIFY(node < graph.nodes.size());
            QCOMPARE(graph.nodes[node].label, operationKeyOf(*data, data->spans[i]).label);
        }
        QCOMPARE(graph.nodeOf(trace.end_index()), kNoIndex);
    }

    void aFocusedSubtreeHoldsOnlyItsSpans()
    {
        const auto data = checkout();
        const Trace& trace = data->traces.front();
        const std::uint32_t cartCall = indexOf(*data, 2);
        const std::vector<CriticalSegment> path = criticalPath(*data, trace);
        const OperationGraph graph = buildOperationGraph(*data, trace, cartCall, data->spans[cartCall].subtreeEnd,
                                                         path);
        QCOMPARE(graph.nodes.size(), std::size_t{2});
        QCOMPARE(graph.nodes[nodeNamed(graph, "cart: get /user/{n}")].spans, 1u); // not the other call
        QCOMPARE(graph.nodes[nodeNamed(graph, "db: query")].spans, 2u);
        QCOMPARE(graph.edges.size(), std::size_t{1}); // the call into the subtree's root is outside
        QCOMPARE(edgeBetween(graph, "cart: get /user/{n}", "db: query")->calls, 2u);
        QCOMPARE(graph.nodeOf(indexOf(*data, 1)), kNoIndex);
        QCOMPARE(graph.nodeOf(indexOf(*data, 7)), kNoIndex);
        QCOMPARE(graph.selfNanos, traceSelfSum(*data, cartCall, data->spans[cartCall].subtreeEnd));
        QCOMPARE(graph.nodes[nodeNamed(graph, "db: query")].criticalNanos, TimeNs{100'000});
    }
};

QTEST_GUILESS_MAIN(TestOperationGraph)
#include "tst_operation_graph.moc"
