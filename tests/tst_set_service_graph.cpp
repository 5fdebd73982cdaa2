// The service graph of a set of traces: nodes by service across files, caller → callee edges with
// their calls, failures and p95 of the callee spans, calls within a service left out, cancellation;
// against values worked out by hand.
#include <test_support.h>

#include <described_trace.h>
#include <set_service_graph.h>

#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

constexpr TimeNs kUs = 1000;

// Worked out by hand (µs):
//  file 0, trace 1: a front 0..100 → b cart 10..50 → c db 20..40; a → d pay 60..90 (failed).
//  file 0, trace 2: a front 0..200 → b cart 10..150 → c db 20..30 (failed), b → e cart 40..140.
//  file 1, trace 3: a pay 0..50 → x db 10..20 (the other file's strings: db and pay meet their nodes).
//  front → cart: 40, 140: 2 calls, p95 the 2nd smallest = 140. cart → db: 20, 10: 2 calls, 1 failed,
//  p95 = 20. front → pay: 30, 1 failed. pay → db: 10. cart → cart (e): within a service, no edge.
//  Self: front 30 + 60 = 90; cart 20 + 30 + 100 = 150; db 20 + 10 + 10 = 40; pay 30 + 40 = 70.
TraceSet handMadeSet()
{
    TraceSet set;
    set.add({.path = "a.json",
             .dataset = test::describedTraces({u"a:-:0:100:front:GET b:a:10:50:cart:add c:b:20:40:db:query "
                                               u"d:a:60:90:pay:charge:e"_s,
                                               u"a:-:0:200:front:GET b:a:10:150:cart:add c:b:20:30:db:query:e "
                                               u"e:b:40:140:cart:inner"_s})});
    set.add({.path = "b.json", .dataset = test::describedTraces({u"a:-:0:50:pay:charge x:a:10:20:db:query"_s})});
    return set;
}

const SetServiceEdge* findEdge(const SetServiceGraph& g, const std::string& from, const std::string& to)
{
    for (const SetServiceEdge& e : g.edges) {
        if (g.nodes[e.from].service == from && g.nodes[e.to].service == to)
            return &e;
    }
    return nullptr;
}

} // namespace

class TestSetServiceGraph : public QObject {
    Q_OBJECT
private slots:
    void nodesAreServicesAcrossFiles()
    {
        const TraceSet set = handMadeSet();
        const SetServiceGraph g = buildSetServiceGraph(set, set.traces);
        QCOMPARE(g.traceCount, std::size_t(3));
        QCOMPARE(g.spanCount, std::size_t(10));
        QCOMPARE(g.nodes.size(), std::size_t(4));
        const std::vector<std::string> names = {"cart", "db", "front", "pay"};
        for (std::size_t i = 0; i < names.size(); ++i)
            QCOMPARE(g.nodes[i].service, names[i]);
        const SetServiceNode& cart = g.nodes[0];
        QCOMPARE(cart.spans, 3u);
        QCOMPARE(cart.traces, 2u);
        QCOMPARE(cart.errors, 0u);
        QCOMPARE(cart.selfNanos, 150 * kUs);
        QCOMPARE(cart.totalNanos, (40 + 140 + 100) * kUs);
        const SetServiceNode& db = g.nodes[1];
        QCOMPARE(db.spans, 3u);
        QCOMPARE(db.traces, 3u);
        QCOMPARE(db.errors, 1u);
        QCOMPARE(db.selfNanos, 40 * kUs);
        QCOMPARE(g.nodes[2].selfNanos, 90 * kUs);
        const SetServiceNode& pay = g.nodes[3];
        QCOMPARE(pay.spans, 2u);
        QCOMPARE(pay.traces, 2u);
        QCOMPARE(pay.errors, 1u);
        QCOMPARE(pay.selfNanos, 70 * kUs);
    }

    void edgesCountCallsFailuresAndP95()
    {
        const TraceSet set = handMadeSet();
        const SetServiceGraph g = buildSetServiceGraph(set, set.traces);
        QCOMPARE(g.edges.size(), std::size_t(4));
        const SetServiceEdge* frontCart = findEdge(g, "front", "cart");
        QVERIFY(frontCart);
        QCOMPARE(frontCart->calls, 2u);
        QCOMPARE(frontCart->errors, 0u);
        QCOMPARE(frontCart->p95Nanos, 140 * kUs);
        QCOMPARE(frontCart->errorRate(), 0.0);
        const SetServiceEdge* cartDb = findEdge(g, "cart", "db");
        QVERIFY(cartDb);
        QCOMPARE(cartDb->calls, 2u);
        QCOMPARE(cartDb->errors, 1u);
        QCOMPARE(cartDb->p95Nanos, 20 * kUs);
        QCOMPARE(cartDb->errorRate(), 0.5);
        const SetServiceEdge* frontPay = findEdge(g, "front", "pay");
        QVERIFY(frontPay);
        QCOMPARE(frontPay->calls, 1u);
        QCOMPARE(frontPay->errors, 1u);
        QCOMPARE(frontPay->p95Nanos, 30 * kUs);
        const SetServiceEdge* payDb = findEdge(g, "pay", "db");
        QVERIFY(payDb);
        QCOMPARE(payDb->calls, 1u);
        QCOMPARE(payDb->p95Nanos, 10 * kUs);
        QVERIFY(!findEdge(g, "cart", "cart"));
        // Ordered by caller, then callee.
        for (std::size_t i = 1; i < g.edges.size(); ++i)
            QVERIFY(std::pair(g.edges[i - 1].from, g.edges[i - 1].to) < std::pair(g.edges[i].from, g.edges[i].to));
    }

    void aSubsetOfTheTraces()
    {
        const TraceSet set = handMadeSet();
        const std::vector<TraceRef> second = {set.traces[1]};
        const SetServiceGraph g = buildSetServiceGraph(set, second);
        QCOMPARE(g.traceCount, std::size_t(1));
        QCOMPARE(g.nodes.size(), std::size_t(3)); // cart, db, front
        const SetServiceEdge* frontCart = findEdge(g, "front", "cart");
        QVERIFY(frontCart);
        QCOMPARE(frontCart->calls, 1u);
        QCOMPARE(frontCart->p95Nanos, 140 * kUs);
        QVERIFY(!findEdge(g, "front", "pay"));
    }

    void cancelledBuildsNothing()
    {
        const TraceSet set = handMadeSet();
        const SetServiceGraph g = buildSetServiceGraph(set, set.traces, [] { return true; });
        QVERIFY(g.nodes.empty());
        QVERIFY(g.edges.empty());
    }

    void anEmptySet()
    {
        const TraceSet set;
        const SetServiceGraph g = buildSetServiceGraph(set, set.traces);
        QVERIFY(g.nodes.empty());
        QCOMPARE(g.traceCount, std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestSetServiceGraph)
#include "tst_set_service_graph.moc"
