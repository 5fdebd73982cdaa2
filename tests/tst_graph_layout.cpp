// Graphviz's dot layout as plain geometry: nodes apart, edges from node to node, quiet, fast.
#include <graph_layout.h>

#include <QElapsedTimer>
#include <QTemporaryFile>
#include <QTest>

#include <cstdio>
#include <random>
#include <unistd.h>

using namespace spanwise;

namespace {

// Whether the point lies on the rectangle's border, give or take `slack` points.
bool onBorder(const QRectF& rect, QPointF p, double slack)
{
    const QRectF outer = rect.adjusted(-slack, -slack, slack, slack);
    const QRectF inner = rect.adjusted(slack, slack, -slack, -slack);
    return outer.contains(p) && !inner.contains(p);
}

void verifyNoOverlap(const GraphGeometry& g)
{
    for (std::size_t a = 0; a < g.nodes.size(); ++a) {
        for (std::size_t b = a + 1; b < g.nodes.size(); ++b) {
            if (g.nodes[a].intersects(g.nodes[b]))
                QFAIL(qPrintable(QStringLiteral("nodes %1 and %2 overlap").arg(a).arg(b)));
        }
    }
}

// A call tree of `count` nodes with labels of various widths, plus `extra` calls between any two
// nodes, either way round (cycles included).
GraphLayoutInput callGraph(int count, int extra)
{
    std::mt19937 random(7);
    GraphLayoutInput input;
    for (int i = 0; i < count; ++i)
        input.nodes.emplace_back(120 + random() % 200, 52);
    for (int i = 1; i < count; ++i)
        input.edges.push_back({static_cast<std::uint32_t>(random() % i), static_cast<std::uint32_t>(i), i % 9 == 0});
    for (int i = 0; i < extra; ++i)
        input.edges.push_back(
            {static_cast<std::uint32_t>(random() % count), static_cast<std::uint32_t>(random() % count), false});
    return input;
}

qint64 timedLayout(const GraphLayoutInput& input)
{
    QElapsedTimer timer;
    timer.start();
    const GraphGeometry g = layoutGraph(input);
    const qint64 ms = timer.elapsed();
    std::printf("layout of %zu nodes, %zu edges: %lld ms\n", input.nodes.size(), input.edges.size(),
                static_cast<long long>(ms));
    if (!g.error.isEmpty() || g.nodes.size() != input.nodes.size())
        return -1;
    verifyNoOverlap(g);
    return ms;
}

} // namespace

class TestGraphLayout : public QObject {
    Q_OBJECT
private slots:
    // First, so that it covers loading the plugins too.
    void printsNothingOnStderr()
    {
        QTemporaryFile capture;
        QVERIFY(capture.open());
        std::fflush(stderr);
        const int saved = dup(STDERR_FILENO);
        dup2(capture.handle(), STDERR_FILENO);
        GraphLayoutInput input = callGraph(40, 4);
        input.edges.push_back({3, 3, false});
        const GraphGeometry g = layoutGraph(input);
        std::fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        QVERIFY(g.error.isEmpty());
        QCOMPARE(capture.readAll(), QByteArray());
    }

    void smallGraphIsLaidOutLeftToRight()
    {
        GraphLayoutInput input;
        input.nodes = {QSizeF(200, 50), QSizeF(150, 50), QSizeF(180, 40), QSizeF(100, 40)};
        input.edges = {{0, 1, true}, {0, 2, false}, {1, 3, true}, {2, 3, false}};
        const GraphGeometry g = layoutGraph(input);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        QCOMPARE(g.nodes.size(), std::size_t{4});
        QCOMPARE(g.edges.size(), std::size_t{4});
        for (std::size_t i = 0; i < input.nodes.size(); ++i) {
            QCOMPARE(g.nodes[i].size(), input.nodes[i]); // sizes kept as given
            QVERIFY(g.bounds.contains(g.nodes[i]));
        }
        verifyNoOverlap(g);
        // Callers left of their callees.
        QVERIFY(g.nodes[0].right() < g.nodes[1].left());
        QVERIFY(g.nodes[1].right() < g.nodes[3].left());
        for (std::size_t i = 0; i < input.edges.size(); ++i) {
            const EdgeGeometry& e = g.edges[i];
            QVERIFY(!e.curve.isEmpty());
            QVERIFY2(onBorder(g.nodes[input.edges[i].from], e.curve.pointAtPercent(0), 2.0),
                     qPrintable(QStringLiteral("edge %1 does not start at its caller").arg(i)));
            QCOMPARE(e.arrowHead.size(), 3);
            QVERIFY2(onBorder(g.nodes[input.edges[i].to], e.arrowHead.front(), 2.0),
                     qPrintable(QStringLiteral("edge %1 does not end at its callee").arg(i)));
            QVERIFY(QLineF(e.curve.currentPosition(), e.arrowHead.front()).length() > 3); // a head to see
            QVERIFY(g.bounds.adjusted(-1, -1, 1, 1).contains(e.middle));
        }
    }

    void topToBottomPutsCalleesBelow()
    {
        GraphLayoutInput input;
        input.nodes = {QSizeF(200, 50), QSizeF(150, 50)};
        input.edges = {{0, 1, false}};
        input.direction = RankDirection::TopToBottom;
        const GraphGeometry g = layoutGraph(input);
        QVERIFY(g.nodes[0].bottom() < g.nodes[1].top());
    }

    void selfCallsAreLoopsOnTheirNode()
    {
        GraphLayoutInput input;
        input.nodes = {QSizeF(120, 40)};
        input.edges = {{0, 0, false}};
        const GraphGeometry g = layoutGraph(input);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        QVERIFY(!g.edges.front().curve.isEmpty());
        QVERIFY(onBorder(g.nodes.front(), g.edges.front().curve.pointAtPercent(0), 2.0));
    }

    void emptyGraphHasNoGeometry()
    {
        const GraphGeometry g = layoutGraph({});
        QVERIFY(g.nodes.empty());
        QVERIFY(g.error.isEmpty());
    }

    // The most the operation graph lays out (OperationGraph coarsens beyond): 500 nodes with 1.3
    // edges each, or 200 edges among few nodes, cycles included.
    void fiveHundredNodesDoNotRunAway_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("extra");
        QTest::newRow("500 nodes, a tree") << 500 << 0;
        QTest::newRow("500 nodes, 650 edges") << 500 << 151;
        QTest::newRow("40 nodes, 200 edges") << 40 << 161;
    }

    // The goal (< 1 s) is measured by bench/spanwise_graph_bench; here only a runaway layout fails,
    // with room for sanitizers and a busy machine.
    void fiveHundredNodesDoNotRunAway()
    {
        QFETCH(int, nodes);
        QFETCH(int, extra);
        layoutGraph(callGraph(5, 0)); // Graphviz loads its plugins once
        const qint64 ms = timedLayout(callGraph(nodes, extra));
        QVERIFY(ms >= 0);
        QVERIFY2(ms < 15'000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graph_layout.moc"
