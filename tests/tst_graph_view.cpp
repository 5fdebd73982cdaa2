// The Graph view: clicking a node selects its longest span, the selected span's node is framed,
// search matches are marked, focus lays out the subtree alone, operations/services toggle, the
// wheel zooms around the pointer, keys zoom and fit, too many operations show by service with a
// note, and the painter draws without a window.
#include "dark_palette.h"
#include "screenshot.h"
#include "test_support.h"

#include <dataset_builder.h>
#include <graph_painter.h>
#include <graph_view.h>
#include <model_text.h>
#include <theme.h>

#include <QPainter>
#include <QToolButton>
#include <QToolTip>
#include <QtTest>

#include <map>

using namespace spanwise;

namespace {

std::shared_ptr<const Dataset> loadShared(const QString& path)
{
    LoadResult loaded = test::load(path);
    return std::make_shared<const Dataset>(std::move(loaded.dataset));
}

std::shared_ptr<const Dataset> example()
{
    static const std::shared_ptr<const Dataset> data = loadShared(test::exampleTrace());
    return data;
}

// One root calling `operations` differently named operations of two services.
std::shared_ptr<const Dataset> manyOperations(int operations)
{
    DatasetBuilder b;
    const auto add = [&](SpanId id, SpanId parent, const std::string& service, const std::string& name) {
        SpanRecord r;
        r.traceId = {0, 9};
        r.id = id;
        r.parentId = parent;
        r.start = static_cast<TimeNs>(id) * 1000;
        r.end = r.start + (parent == 0 ? 10'000'000 : 500);
        r.service = b.intern(service);
        r.name = b.intern(name);
        b.addSpan(r);
    };
    add(1, 0, "gateway", "route");
    for (int i = 0; i < operations; ++i)
        add(static_cast<SpanId>(i + 2), 1, i % 2 ? "billing" : "catalog",
            "operation " + std::string(1, char('a' + i % 26)) + std::string(1, char('a' + i / 26 % 26)));
    return std::make_shared<const Dataset>(b.finish(BuildOptions{false}));
}

// The node with the most spans: a merged node, whose longest span is not its first.
std::uint32_t busiestNode(const OperationGraph& graph)
{
    std::uint32_t best = 0;
    for (std::uint32_t n = 1; n < graph.nodes.size(); ++n) {
        if (graph.nodes[n].spans > graph.nodes[best].spans)
            best = n;
    }
    return best;
}

QColor pixel(QWidget* widget, QPointF at)
{
    return widget->grab().toImage().pixelColor(at.toPoint());
}

// Whether a colour is within a few units of another on every channel.
bool near(const QColor& a, const QColor& b, int tolerance = 12)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

QPoint centreOf(const QRectF& rect)
{
    return rect.center().toPoint();
}

void sendWheel(QWidget* widget, QPointF at, int angle)
{
    QWheelEvent wheel(at, widget->mapToGlobal(at), QPoint(), QPoint(0, angle), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &wheel);
}

// The names painted where they can be read: inside the area, over no other name, beside a node
// only where they cover no node, with ink in them. The nodes in the area without one: unnamed.
void verifyNames(GraphView& view, std::vector<std::uint32_t>& unnamed)
{
    const GraphPainter& painter = view.painter();
    const QRectF area(painter.graphArea(view.rect()));
    const std::vector<GraphPainter::PlacedLabel> labels = painter.placedLabels(view.rect());
    const QImage image = view.grab().toImage();
    std::vector<int> named(painter.graph().nodes.size(), 0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const GraphPainter::PlacedLabel& label = labels[i];
        const QRectF box = view.nodeRect(label.node);
        ++named[label.node];
        QVERIFY(!label.text.isEmpty());
        if (!area.contains(box))
            continue; // partly scrolled out: its name may be too
        QVERIFY2(area.contains(label.rect), qPrintable(label.text));
        QVERIFY2(label.inside ? box.contains(label.rect) : !label.rect.intersects(box), qPrintable(label.text));
        for (std::size_t j = 0; j < labels.size(); ++j)
            QVERIFY2(j == i || !labels[j].rect.intersects(label.rect), qPrintable(label.text + labels[j].text));
        for (std::uint32_t n = 0; n < named.size() && !label.inside; ++n)
            QVERIFY2(!view.nodeRect(n).intersects(label.rect), qPrintable(label.text));
        // Ink: pixels far from the colour most of the label's pixels have.
        const QRect pixels = label.rect.toAlignedRect().intersected(image.rect());
        std::map<QRgb, int> counts;
        for (int y = pixels.top(); y <= pixels.bottom(); ++y) {
            for (int x = pixels.left(); x <= pixels.right(); ++x)
                ++counts[image.pixel(x, y)];
        }
        const QColor ground(std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
                                return a.second < b.second;
                            })->first);
        int ink = 0;
        for (const auto& [rgb, count] : counts)
            ink += near(QColor(rgb), ground, 90) ? 0 : count;
        QVERIFY2(ink >= 12, qPrintable(label.text));
    }
    for (std::uint32_t n = 0; n < named.size(); ++n) {
        if (view.nodeRect(n).intersects(area) && named[n] != 1)
            unnamed.push_back(n);
        QVERIFY(named[n] <= 1);
    }
}

} // namespace

class TestGraphView : public QObject {
    Q_OBJECT
private slots:
    void clickSelectsTheNodesLongestSpan()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        QVERIFY(graph.nodes.size() > 5);
        const std::uint32_t node = busiestNode(graph);
        QVERIFY(graph.nodes[node].spans > 1);
        view.centreOn(node);
        QTest::mouseClick(&view, Qt::LeftButton, {}, centreOf(view.nodeRect(node)));
        QCOMPARE(state.selected(), graph.nodes[node].longestSpan);
        QCOMPARE(view.painter().selectedNode(), node);
        // A press elsewhere selects nothing new; dragging pans instead of selecting.
        const QPointF before = view.nodeRect(node).topLeft();
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(5, view.height() - 5));
        QTest::mouseMove(&view, QPoint(105, view.height() - 45));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(105, view.height() - 45));
        QCOMPARE(view.nodeRect(node).topLeft(), before + QPointF(100, -40));
        QCOMPARE(state.selected(), graph.nodes[node].longestSpan);
    }

    void selectedNodeIsFramed_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void selectedNodeIsFramed()
    {
        QFETCH(bool, dark);
        TraceViewState state(example(), 0);
        GraphView view(&state);
        if (dark)
            view.setPalette(test::darkPalette());
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        const std::uint32_t node = busiestNode(graph);
        view.centreOn(node);
        const QRectF box = view.nodeRect(node);
        const QPointF frame(box.center().x(), box.top() - 4); // the frame runs 4 px outside the node
        const QColor highlight = view.palette().color(QPalette::Highlight);
        QVERIFY(!near(pixel(&view, frame), highlight));
        // Selected from elsewhere (another view): any span of the node frames it.
        std::uint32_t other = kNoIndex;
        for (std::uint32_t i = graph.first; i < graph.end && other == kNoIndex; ++i) {
            if (graph.nodeOf(i) == node && i != graph.nodes[node].longestSpan)
                other = i;
        }
        QVERIFY(other != kNoIndex);
        state.select(other);
        QVERIFY(near(pixel(&view, frame), highlight));
        test::saveScreenshot(&view, dark ? "graph-selected-dark" : "graph-selected-light");
        state.select(kNoIndex);
        QVERIFY(!near(pixel(&view, frame), highlight));
    }

    void searchMatchesMarkTheirNodes()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        const std::uint32_t node = busiestNode(graph);
        view.centreOn(node);
        const QRectF box = view.nodeRect(node);
        // Just right of the label's end, in its line: the search colour fills the line's width.
        const QPointF inLabel(box.right() - 6 * view.zoom(), box.top() + 9 * view.zoom());
        const QColor match = theme::searchMatch(false);
        QVERIFY(!near(pixel(&view, inLabel), match));
        state.setSearchMatches({graph.nodes[node].longestSpan});
        QVERIFY(near(pixel(&view, inLabel), match));
        state.setSearchMatches({});
        QVERIFY(!near(pixel(&view, inLabel), match));
    }

    void focusLaysOutTheSubtreeAlone()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::size_t whole = view.painter().graph().nodes.size();
        // The first child of the root with a subtree of its own.
        const Dataset& data = state.data();
        std::uint32_t focus = state.trace().first + 1;
        while (data.spans[focus].subtreeEnd <= focus + 2)
            focus = data.spans[focus].subtreeEnd;
        state.focusOn(focus);
        const OperationGraph& graph = view.painter().graph();
        QCOMPARE(graph.first, focus);
        QCOMPARE(graph.end, data.spans[focus].subtreeEnd);
        QVERIFY(graph.nodes.size() < whole);
        QCOMPARE(view.painter().geometry().nodes.size(), graph.nodes.size());
        state.focusBack();
        QCOMPARE(view.painter().graph().nodes.size(), whole);
    }

    void toggleShowsServices()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.operationsButton()->isChecked());
        const std::size_t operations = view.painter().graph().nodes.size();
        QTest::mouseClick(view.servicesButton(), Qt::LeftButton);
        QCOMPARE(view.mode(), GraphMode::Services);
        QVERIFY(view.servicesButton()->isChecked());
        QVERIFY(!view.operationsButton()->isChecked());
        const OperationGraph& graph = view.painter().graph();
        QCOMPARE(graph.mode, GraphMode::Services);
        QCOMPARE(graph.nodes.size(), state.data().services(state.trace()).size());
        QVERIFY(graph.nodes.size() < operations);
        QVERIFY(view.painter().headerText().contains(QStringLiteral("services")));
        test::saveScreenshot(&view, "graph-services");
        // A click on a service selects its longest span too.
        const std::uint32_t node = busiestNode(graph);
        QTest::mouseClick(&view, Qt::LeftButton, {}, centreOf(view.nodeRect(node)));
        QCOMPARE(state.selected(), graph.nodes[node].longestSpan);
        QTest::mouseClick(view.operationsButton(), Qt::LeftButton);
        QCOMPARE(view.painter().graph().nodes.size(), operations);
    }

    void wheelZoomKeepsThePointUnderThePointer()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::uint32_t node = busiestNode(view.painter().graph());
        view.centreOn(node);
        const QRectF box = view.nodeRect(node);
        const QPointF pointer = box.topLeft() + QPointF(box.width() * 0.3, box.height() * 0.7);
        const double zoom = view.zoom();
        sendWheel(&view, pointer, 240); // two notches in
        QVERIFY(view.zoom() > zoom * 1.3);
        const QRectF zoomed = view.nodeRect(node);
        // The same spot of the node is under the pointer.
        QCOMPARE(qRound((pointer.x() - zoomed.left()) / zoomed.width() * 100), 30);
        QCOMPARE(qRound((pointer.y() - zoomed.top()) / zoomed.height() * 100), 70);
        QCOMPARE(view.nodeAt(pointer), node);
        sendWheel(&view, pointer, -240);
        QVERIFY(qAbs(view.zoom() - zoom) < 1e-9);
        QVERIFY(qAbs(view.nodeRect(node).left() - box.left()) < 0.01);
    }

    void hoverShowsCountsAndTimes()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        const std::uint32_t node = busiestNode(graph);
        view.centreOn(node);
        const QPoint at = centreOf(view.nodeRect(node));
        QHelpEvent help(QEvent::ToolTip, at, view.mapToGlobal(at));
        QApplication::sendEvent(&view, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString text = QToolTip::text();
        QVERIFY2(text.contains(QString::fromStdString(graph.nodes[node].label).toHtmlEscaped()), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("%1</td>").arg(graph.nodes[node].spans)));
        QVERIFY(text.contains(durationText(graph.nodes[node].selfNanos)));
        QVERIFY(text.contains(durationText(graph.nodes[node].totalNanos)));
        QToolTip::hideText();
    }

    void keysZoomAndFit()
    {
        TraceViewState state(example(), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const double opening = view.zoom();
        QTest::keyClick(&view, Qt::Key_Plus);
        QVERIFY(qAbs(view.zoom() - opening * 1.25) < 1e-9);
        QTest::keyClick(&view, Qt::Key_Minus);
        QTest::keyClick(&view, Qt::Key_Minus);
        QVERIFY(qAbs(view.zoom() - opening / 1.25) < 1e-9);
        // The arrow keys look further that way: the graph moves the other way.
        const QPointF before = view.nodeRect(0).topLeft();
        QTest::keyClick(&view, Qt::Key_Right);
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(view.nodeRect(0).topLeft(), before - QPointF(60, 60));
        QTest::keyClick(&view, Qt::Key_1);
        QVERIFY(qAbs(view.zoom() - 1) < 1e-9);
        // 0 fits: every node inside the view, below the header.
        QTest::keyClick(&view, Qt::Key_0);
        QVERIFY(view.painter().fitting());
        QVERIFY(view.zoom() < opening);
        const QRect area = view.painter().graphArea(view.rect());
        for (std::uint32_t n = 0; n < view.painter().graph().nodes.size(); ++n)
            QVERIFY(QRectF(area).contains(view.nodeRect(n)));
        // Enter focuses on the selected span.
        const std::uint32_t node = busiestNode(view.painter().graph());
        state.select(view.painter().graph().nodes[node].longestSpan);
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(state.focusRoot(), view.painter().graph().first);
    }

    void opensReadableWithEveryNodeNamed_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("fits");
        QTest::newRow("example-1400x860") << test::exampleTrace() << QSize(1400, 860) << false;
        QTest::newRow("example-1920x1080") << test::exampleTrace() << QSize(1920, 1080) << false;
        QTest::newRow("example-2600x1400") << test::exampleTrace() << QSize(2600, 1400) << true;
    }

    // The nodes' own text at a readable scale, the root and the critical path's start in sight,
    // and every node in sight named where its name can be read in full.
    void opensReadableWithEveryNodeNamed()
    {
        QFETCH(QString, trace);
        QFETCH(QSize, size);
        QFETCH(bool, fits);
        TraceViewState state(loadShared(trace), 0);
        GraphView view(&state);
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const GraphPainter& painter = view.painter();
        QVERIFY(painter.opening());
        QVERIFY(painter.readableScale() * QFontMetrics(view.font()).height() >= 12.99); // text lines 13 px high
        QVERIFY(view.zoom() >= painter.readableScale() - 1e-9);
        const QRectF area(painter.graphArea(view.rect()));
        const OperationGraph& graph = painter.graph();
        std::uint32_t inSight = 0;
        for (std::uint32_t n = 0; n < graph.nodes.size(); ++n)
            inSight += area.contains(view.nodeRect(n)) ? 1 : 0;
        QCOMPARE(inSight == graph.nodes.size(), fits);
        const std::uint32_t root = graph.nodeOf(state.trace().first);
        QVERIFY(area.contains(view.nodeRect(root)));
        test::saveScreenshot(
            &view, qPrintable(QStringLiteral("graph-opening-%1").arg(QString::fromLatin1(QTest::currentDataTag()))));
        std::vector<std::uint32_t> unnamed;
        verifyNames(view, unnamed);
        QVERIFY(unnamed.empty());
        // Resized before anything moved it, it opens again for the new size.
        view.resize(2600, 1400);
        QVERIFY(view.zoom() >= painter.readableScale() - 1e-9);
        QVERIFY(area.contains(view.nodeRect(root)));
    }

    void zoomedOutEveryNodeIsNamed_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        QTest::addColumn<std::size_t>("unnamedPerTen"); // of the nodes, at most
        // 86 operations in a wide graph: fitted, its nodes are tiny and close together.
        const QString dense = test::generatedTrace(QStringLiteral("jaeger"), 120);
        QTest::newRow("example-1400x860-light") << test::exampleTrace() << QSize(1400, 860) << false << std::size_t{0};
        QTest::newRow("example-1400x860-dark") << test::exampleTrace() << QSize(1400, 860) << true << std::size_t{0};
        QTest::newRow("example-900x600") << test::exampleTrace() << QSize(900, 600) << false << std::size_t{0};
        QTest::newRow("generated-1400x860") << dense << QSize(1400, 860) << false << std::size_t{1};
        QTest::newRow("generated-1920x1080") << dense << QSize(1920, 1080) << true << std::size_t{1};
    }

    // Fitted, the nodes are too small for their text: each is still named, inside it or beside it,
    // but for a few in a dense graph, whose neighbours with more self time took the room.
    void zoomedOutEveryNodeIsNamed()
    {
        QFETCH(QString, trace);
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        QFETCH(std::size_t, unnamedPerTen);
        TraceViewState state(loadShared(trace), 0);
        GraphView view(&state);
        if (dark)
            view.setPalette(test::darkPalette());
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::keyClick(&view, Qt::Key_0);
        QVERIFY(view.zoom() < view.painter().readableScale());
        test::saveScreenshot(
            &view, qPrintable(QStringLiteral("graph-fitted-%1").arg(QString::fromLatin1(QTest::currentDataTag()))));
        std::vector<std::uint32_t> unnamed;
        verifyNames(view, unnamed);
        const OperationGraph& graph = view.painter().graph();
        QVERIFY2(unnamed.size() <= graph.nodes.size() / 10 * unnamedPerTen,
                 qPrintable(QString::number(unnamed.size())));
        // Where none is left room, the tooltip names the node.
        for (const std::uint32_t node : unnamed) {
            const QPoint at = centreOf(view.nodeRect(node));
            QHelpEvent help(QEvent::ToolTip, at, view.mapToGlobal(at));
            QApplication::sendEvent(&view, &help);
            QTRY_VERIFY(QToolTip::isVisible());
            QVERIFY(QToolTip::text().contains(QString::fromStdString(graph.nodes[node].label).toHtmlEscaped()));
            QToolTip::hideText();
        }
    }

    void tooManyOperationsShowByServiceWithANote()
    {
        TraceViewState state(manyOperations(600), 0);
        GraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        QVERIFY(graph.coarsened());
        QCOMPARE(graph.operationCount, std::size_t{601});
        QCOMPARE(graph.nodes.size(), std::size_t{3});
        QVERIFY(view.operationsButton()->isChecked()); // what was asked for stays asked for
        const QString note = view.painter().headerText();
        QVERIFY2(note.contains(QStringLiteral("601 operations are too many")), qPrintable(note));
        // The note is painted in the header, in the warning colour.
        const QImage image = view.grab().toImage();
        const int header = view.painter().headerHeight();
        bool warned = false;
        for (int x = 0; x < 400 && !warned; ++x) {
            for (int y = 0; y < header && !warned; ++y)
                warned = near(image.pixelColor(x, y), theme::warning(false).darker(130), 30);
        }
        QVERIFY(warned);
        test::saveScreenshot(&view, "graph-coarsened");
    }

    void painterDrawsWithoutAWindow()
    {
        TraceViewState state(example(), 0);
        GraphPainter painter(&state);
        painter.setPaintsSelection(false);
        state.select(state.trace().first);
        QImage image(2400, 1400, QImage::Format_RGB32);
        QPainter p(&image);
        painter.paint(p, image.rect());
        p.end();
        // The root's node: a box in its service colour's stripe.
        const std::uint32_t root = painter.graph().nodeOf(state.trace().first);
        const QRectF box = painter.nodeRect(root, image.rect());
        const QColor service = state.serviceColors().color(
            state.data().str(state.data().spans[state.trace().first].service), false);
        const double scale = painter.view(image.rect()).scale;
        QVERIFY(scale > 0.7);
        QVERIFY(near(image.pixelColor(QPointF(box.left() + 3.5 * scale, box.center().y()).toPoint()), service, 4));
        QVERIFY(!near(image.pixelColor(QPointF(box.center().x(), box.top() - 4).toPoint()),
                      painter.palette().color(QPalette::Highlight)));
        // Every call is drawn along its whole curve (straight ones included).
        const QColor base = painter.palette().color(QPalette::Base);
        const GraphPainter::View v = painter.view(image.rect());
        for (const EdgeGeometry& edge : painter.geometry().edges) {
            for (const double at : {0.1, 0.25, 0.75, 0.9}) {
                const QPoint point = (v.origin + edge.curve.pointAtPercent(at) * v.scale).toPoint();
                bool drawn = false; // a thin slanted line may pass beside the nearest pixel
                for (int dx = -1; dx <= 1; ++dx) {
                    for (int dy = -1; dy <= 1; ++dy)
                        drawn = drawn || !near(image.pixelColor(point + QPoint(dx, dy)), base, 2);
                }
                QVERIFY2(drawn, qPrintable(QStringLiteral("nothing drawn at %1, %2").arg(point.x()).arg(point.y())));
            }
        }
    }

    void screenshots_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        const QString many = test::generatedTrace(QStringLiteral("jaeger"), 1500);
        for (const QSize size : {QSize(1400, 860), QSize(1920, 1080)}) {
            for (const bool dark : {false, true}) {
                const QString suffix = QStringLiteral("%1x%2-%3")
                                           .arg(size.width())
                                           .arg(size.height())
                                           .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"));
                QTest::newRow(qPrintable(QStringLiteral("example-") + suffix)) << test::exampleTrace() << size << dark;
                QTest::newRow(qPrintable(QStringLiteral("generated-") + suffix)) << many << size << dark;
            }
        }
    }

    // Every service of the trace drawn and nothing overlapping, at both sizes, in both themes.
    void screenshots()
    {
        QFETCH(QString, trace);
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        TraceViewState state(loadShared(trace), 0);
        GraphView view(&state);
        if (dark)
            view.setPalette(test::darkPalette());
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const OperationGraph& graph = view.painter().graph();
        const std::vector<QRectF>& nodes = view.painter().geometry().nodes;
        for (std::size_t a = 0; a < nodes.size(); ++a) {
            for (std::size_t b = a + 1; b < nodes.size(); ++b)
                QVERIFY(!nodes[a].intersects(nodes[b]));
        }
        QVERIFY(!graph.nodes.empty());
        state.select(graph.nodes[busiestNode(graph)].longestSpan);
        test::saveScreenshot(&view,
                             qPrintable(QStringLiteral("graph-%1").arg(QString::fromLatin1(QTest::currentDataTag()))));
    }
};

QTEST_MAIN(TestGraphView)
#include "tst_graph_view.moc"
