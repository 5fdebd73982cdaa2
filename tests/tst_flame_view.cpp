// The flame graph view: clicks select spans in the shared state, the state's selection, search and
// focus show on the frames (checked by pixel), zoom and breadcrumb, the width and mode toggles,
// folding of narrow frames, dark palette, tooltips; and screenshots to look at.
#include <screenshot.h>
#include <test_support.h>

#include <dark_palette.h>
#include <described_trace.h>
#include <flame_diff_view.h>
#include <flame_graph_view.h>
#include <theme.h>

#include <QAbstractButton>
#include <QElapsedTimer>
#include <QLabel>
#include <QPainter>
#include <QTest>

#include <map>

using namespace spanwise;
using namespace Qt::StringLiterals;
using Mode = FlameGraphPainter::Mode;
using Kind = FlameGraphPainter::Frame::Kind;

namespace {

std::shared_ptr<const Dataset> loadShared(const QString& path)
{
    return std::make_shared<const Dataset>(test::load(path, true).dataset);
}

QImage grabCanvas(const FlameGraphView& view)
{
    return view.canvas()->grab().toImage(); // paints, so painter().frames() are those of the image
}

// A point inside a frame's fill, clear of its label, search band, critical-path line and outline.
QPoint fillPoint(const QRectF& rect)
{
    return {static_cast<int>(rect.right()) - 4, static_cast<int>(rect.top()) + 5};
}

// A node with one of its frames on screen wider than `minWidth`, by a predicate; kNoIndex if none.
template <typename Predicate>
std::uint32_t paintedNode(const FlameGraphView& view, double minWidth, Predicate predicate)
{
    for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
        if (f.kind == Kind::Node && f.rect.width() >= minWidth && predicate(f.index))
            return f.index;
    }
    return kNoIndex;
}

QColor serviceColor(const TraceViewState& state, std::uint32_t span, bool dark)
{
    const Dataset& d = state.data();
    return state.serviceColors().color(d.str(d.spans[span].service), dark);
}

struct Shown {
    std::shared_ptr<const Dataset> data;
    std::unique_ptr<TraceViewState> state;
    std::unique_ptr<FlameGraphView> view;
};

Shown show(std::shared_ptr<const Dataset> data, QSize size = {1400, 860})
{
    Shown s;
    s.data = std::move(data);
    s.state = std::make_unique<TraceViewState>(s.data, 0);
    s.view = std::make_unique<FlameGraphView>(s.state.get());
    s.view->resize(size);
    s.view->show();
    if (!QTest::qWaitForWindowExposed(s.view.get()))
        QTest::qFail("window not exposed", __FILE__, __LINE__);
    grabCanvas(*s.view);
    return s;
}

Shown show(const QString& path, QSize size = {1400, 860})
{
    return show(loadShared(path), size);
}

// The icicle's span frames by span; fails on a span painted twice.
std::map<std::uint32_t, QRectF> icicleSpans(const FlameGraphView& view)
{
    std::map<std::uint32_t, QRectF> rects;
    for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
        if (f.kind == Kind::Span && !rects.emplace(f.index, f.rect).second)
            QTest::qFail("a span painted twice", __FILE__, __LINE__);
    }
    return rects;
}

// No two span frames share a pixel, and each one is what a click at its centre hits.
void verifyNoSpanUnderAnother(const FlameGraphView& view, const std::map<std::uint32_t, QRectF>& rects)
{
    for (auto a = rects.begin(); a != rects.end(); ++a) {
        for (auto b = std::next(a); b != rects.end(); ++b) {
            if (a->second.adjusted(0, 0, -1, 0).intersects(b->second.adjusted(0, 0, -1, 0)))
                QTest::qFail(qPrintable(QStringLiteral("spans %1 and %2 overlap").arg(a->first).arg(b->first)),
                             __FILE__, __LINE__);
        }
        const FlameGraphPainter::Frame* hit = view.painter().frameAt(a->second.center());
        if (!hit || hit->kind != Kind::Span || hit->index != a->first)
            QTest::qFail(qPrintable(QStringLiteral("span %1 is not what its centre hits").arg(a->first)), __FILE__,
                         __LINE__);
    }
}

} // namespace

class TestFlameView : public QObject {
    Q_OBJECT
private slots:
    void mergedByDefaultRootOnTop()
    {
        const Shown s = show(test::exampleTrace());
        const FlameGraphView& view = *s.view;
        QCOMPARE(view.mode(), Mode::Merged);
        QCOMPARE(view.widthMetric(), FlameGraphPainter::Width::Total);
        const auto root = view.painter().nodeRect(0);
        QVERIFY(root);
        QCOMPARE(root->top(), 0.0);                                       // root at the top
        QVERIFY(std::abs(root->width() - view.canvas()->width()) <= 1.0); // and as wide as the graph
        // Children below, left-heavy: each no wider than the sibling on its left.
        const CallTree& tree = view.painter().tree();
        double lastWidth = 1e9;
        for (std::uint32_t c = 1; c < tree.nodes[0].subtreeEnd; c = tree.nodes[c].subtreeEnd) {
            if (const auto rect = view.painter().nodeRect(c)) {
                QCOMPARE(rect->top(), double(view.painter().rowHeight()));
                QVERIFY(rect->width() <= lastWidth + 0.01);
                lastWidth = rect->width();
            }
        }
    }

    void clickSelectsTheLongestSpan()
    {
        const Shown s = show(test::exampleTrace());
        const CallTree& tree = s.view->painter().tree();
        const std::uint32_t node = paintedNode(*s.view, 40, [&](std::uint32_t n) { return tree.nodes[n].count > 1; });
        QVERIFY(node != kNoIndex);
        QTest::mouseClick(s.view->canvas(), Qt::LeftButton, {}, s.view->painter().nodeRect(node)->center().toPoint());
        QCOMPARE(s.state->selected(), tree.nodes[node].longestSpan);
        // Empty space selects nothing new.
        QTest::mouseClick(s.view->canvas(), Qt::LeftButton, {}, QPoint(5, s.view->canvas()->height() - 3));
        QCOMPARE(s.state->selected(), tree.nodes[node].longestSpan);
    }

    void selectionOutlinesItsFrame()
    {
        const Shown s = show(test::exampleTrace());
        const FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        const std::uint32_t node = paintedNode(view, 60, [&](std::uint32_t n) { return n > 0; });
        QVERIFY(node != kNoIndex);
        const QRectF rect = *view.painter().nodeRect(node);
        const QPoint edge(static_cast<int>(rect.left()) + 1, static_cast<int>(rect.center().y()));
        const QColor highlight = view.palette().color(QPalette::Highlight);
        QVERIFY(grabCanvas(view).pixelColor(edge) != highlight);
        // Any span of the node selects it: not only the longest.
        std::uint32_t span = kNoIndex;
        for (std::uint32_t i = 0; i < tree.nodeOfSpan.size() && span == kNoIndex; ++i) {
            if (tree.nodeOfSpan[i] == node)
                span = tree.firstSpan + i;
        }
        s.state->select(span);
        QImage image = grabCanvas(view);
        QCOMPARE(image.pixelColor(edge), highlight);
        QCOMPARE(image.pixelColor(fillPoint(rect)), serviceColor(*s.state, span, false));
        s.state->select(kNoIndex);
        QVERIFY(grabCanvas(view).pixelColor(edge) != highlight);
    }

    void searchMatchesAreMarkedOthersFade()
    {
        const Shown s = show(test::exampleTrace());
        const FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        const std::uint32_t matched = paintedNode(view, 60, [&](std::uint32_t n) { return n > 0; });
        const std::uint32_t other = paintedNode(
            view, 60, [&](std::uint32_t n) { return n > 0 && n != matched && n != tree.nodes[matched].parent; });
        QVERIFY(matched != kNoIndex && other != kNoIndex);
        const QRectF matchedRect = *view.painter().nodeRect(matched);
        const QRectF otherRect = *view.painter().nodeRect(other);
        const std::uint32_t span = tree.nodes[matched].longestSpan;
        s.state->setSearchMatches({span});
        const QImage image = grabCanvas(view);
        const QPoint band(static_cast<int>(matchedRect.right()) - 4, static_cast<int>(matchedRect.top()) + 1);
        QCOMPARE(image.pixelColor(band), theme::searchMatch(false));
        QCOMPARE(image.pixelColor(fillPoint(matchedRect)), serviceColor(*s.state, span, false));
        const QColor faded = image.pixelColor(fillPoint(otherRect));
        QVERIFY(faded != serviceColor(*s.state, tree.nodes[other].longestSpan, false));
        QVERIFY(faded.lightness() > serviceColor(*s.state, tree.nodes[other].longestSpan, false).lightness());
    }

    void errorsAndCriticalPathAreDrawn()
    {
        const Shown s = show(test::exampleTrace());
        const FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        const std::uint32_t failed = paintedNode(view, 30, [&](std::uint32_t n) { return tree.nodes[n].errors > 0; });
        QVERIFY2(failed != kNoIndex, "the example has a failed span on screen");
        const QRectF rect = *view.painter().nodeRect(failed);
        const QImage image = grabCanvas(view);
        const QColor border = image.pixelColor(static_cast<int>(rect.center().x()), static_cast<int>(rect.top()) + 1);
        QCOMPARE(border.rgb(), theme::error(false).rgb());
        // The root's subtree is on the critical path all along: its line runs under the whole frame.
        const QRectF root = *view.painter().nodeRect(0);
        QVERIFY(tree.nodes[0].criticalNanos > 0);
        const QColor line = image.pixelColor(static_cast<int>(root.center().x()), static_cast<int>(root.bottom()) - 1);
        QVERIFY2(line.lightness() < 60, qPrintable(line.name())); // near-black ink over the fill
    }

    void doubleClickZoomsBreadcrumbAndKeysGoBack()
    {
        const Shown s = show(test::exampleTrace());
        FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        const std::uint32_t node = paintedNode(
            view, 60, [&](std::uint32_t n) { return tree.nodes[n].depth == 2 && tree.nodes[n].subtreeEnd > n + 1; });
        QVERIFY(node != kNoIndex);
        QTest::mouseDClick(view.canvas(), Qt::LeftButton, {}, view.painter().nodeRect(node)->center().toPoint());
        QCOMPARE(view.painter().zoomNode(), node);
        grabCanvas(view);
        const QRectF zoomed = *view.painter().nodeRect(node);
        QVERIFY(std::abs(zoomed.width() - view.canvas()->width()) <= 1.0);
        QCOMPARE(zoomed.top(), 2.0 * view.painter().rowHeight()); // below its two ancestors
        QVERIFY(view.painter().nodeRect(0));                      // the root, above, full width
        QCOMPARE(view.breadcrumbLinks(), (QStringList{QStringLiteral("zoom:all"), QStringLiteral("zoom:0"),
                                                      QStringLiteral("zoom:%1").arg(tree.nodes[node].parent)}));
        QVERIFY(view.breadcrumb()->text().contains(QString::fromStdString(tree.labelOf(node)).toHtmlEscaped()));
        QTest::keyClick(&view, Qt::Key_Backspace);
        QCOMPARE(view.painter().zoomNode(), tree.nodes[node].parent);
        QTest::keyClick(&view, Qt::Key_Escape);
        QCOMPARE(view.painter().zoomNode(), 0u);
        emit view.breadcrumb()->linkActivated(QStringLiteral("zoom:all"));
        QCOMPARE(view.painter().zoomNode(), kNoIndex);
        QVERIFY(view.breadcrumbLinks().isEmpty());
        // Enter zooms into the selected span's frame.
        s.state->select(tree.nodes[node].longestSpan);
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(view.painter().zoomNode(), node);
    }

    void selfTimeToggle()
    {
        const Shown s = show(test::exampleTrace());
        FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        QTest::mouseClick(view.selfTimeButton(), Qt::LeftButton);
        QCOMPARE(view.widthMetric(), FlameGraphPainter::Width::Self);
        grabCanvas(view);
        // A frame is as wide as the self time of its subtree, over the root's.
        const auto subtreeSelf = [&](std::uint32_t n) {
            TimeNs sum = 0;
            for (std::uint32_t i = n; i < tree.nodes[n].subtreeEnd; ++i)
                sum += tree.nodes[i].selfNanos;
            return static_cast<double>(sum);
        };
        const double width = view.canvas()->width();
        int checked = 0;
        for (std::uint32_t c = 1; c < tree.nodes[0].subtreeEnd; c = tree.nodes[c].subtreeEnd) {
            if (const auto rect = view.painter().nodeRect(c)) {
                QVERIFY(std::abs(rect->width() - width * subtreeSelf(c) / subtreeSelf(0)) < 0.5);
                ++checked;
            }
        }
        QVERIFY(checked > 0);
        QTest::mouseClick(view.selfTimeButton(), Qt::LeftButton);
        QCOMPARE(view.widthMetric(), FlameGraphPainter::Width::Total);
    }

    void tooltipTellsTheNode()
    {
        const Shown s = show(test::exampleTrace());
        const CallTree& tree = s.view->painter().tree();
        const std::uint32_t node = paintedNode(*s.view, 40, [&](std::uint32_t n) { return tree.nodes[n].count > 1; });
        QVERIFY(node != kNoIndex);
        const CallTreeNode& n = tree.nodes[node];
        const QString text = s.view->toolTipAt(s.view->painter().nodeRect(node)->center().toPoint());
        QVERIFY2(text.contains(QString::fromStdString(tree.labelOf(node)).toHtmlEscaped()), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("%L1 spans").arg(n.count)), qPrintable(text));
        for (const TimeNs t : {n.totalNanos, n.selfNanos, n.p50Nanos, n.maxNanos, n.criticalNanos})
            QVERIFY2(text.contains(QString::fromStdString(formatDuration(t))), qPrintable(text));
        for (const char* word : {"total", "self", "p50", "max", "critical path"})
            QVERIFY2(text.contains(QLatin1String(word)), qPrintable(text));
        QVERIFY(text.contains(n.errors ? QStringLiteral("error") : QStringLiteral("no errors")));
        QVERIFY(s.view->toolTipAt(QPoint(5, s.view->canvas()->height() - 3)).isEmpty());
    }

    void timeOrderedIcicle()
    {
        const Shown s = show(test::exampleTrace());
        FlameGraphView& view = *s.view;
        QTest::mouseClick(view.modeButton(Mode::Icicle), Qt::LeftButton);
        QCOMPARE(view.mode(), Mode::Icicle);
        QVERIFY(view.modeButton(Mode::Icicle)->isChecked() && !view.modeButton(Mode::Merged)->isChecked());
        QVERIFY(!view.selfTimeButton()->isEnabled());
        grabCanvas(view);
        // Every frame is a span at its time, on its depth's row or on a lane below it.
        const Dataset& d = s.state->data();
        const double nsPerPixel = static_cast<double>(s.state->viewEnd() - s.state->viewStart()) /
                                  view.canvas()->width();
        int spans = 0;
        std::uint32_t picked = kNoIndex;
        for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
            if (f.kind != Kind::Span)
                continue;
            const Span& span = d.spans[f.index];
            QVERIFY(f.rect.top() >= double(span.depth * view.painter().rowHeight()));
            QCOMPARE(std::fmod(f.rect.top(), view.painter().rowHeight()), 0.0);
            QVERIFY(std::abs(f.rect.left() - std::max(-2.0, (span.start - s.state->viewStart()) / nsPerPixel)) < 0.01);
            if (span.depth == 2 && f.rect.width() > 30 && picked == kNoIndex)
                picked = f.index;
            ++spans;
        }
        QVERIFY(spans > 10 && picked != kNoIndex);
        const auto pickedFrame = std::find_if(view.painter().frames().begin(), view.painter().frames().end(),
                                              [&](const auto& f) { return f.kind == Kind::Span && f.index == picked; });
        const QRectF rect = pickedFrame->rect;
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, rect.center().toPoint());
        QCOMPARE(s.state->selected(), picked);
        const QImage image = grabCanvas(view);
        QCOMPARE(image.pixelColor(static_cast<int>(rect.left()) + 1, static_cast<int>(rect.center().y())),
                 view.palette().color(QPalette::Highlight));
        QVERIFY(view.toolTipAt(rect.center().toPoint()).contains(QStringLiteral("duration")));
        // Double-click focuses the span's subtree; Backspace goes back.
        QTest::mouseDClick(view.canvas(), Qt::LeftButton, {}, rect.center().toPoint());
        QCOMPARE(s.state->focusRoot(), picked);
        QTest::keyClick(&view, Qt::Key_Backspace);
        QCOMPARE(s.state->focusRoot(), kNoIndex);
    }

    void sandwichOfTheSelectedOperation()
    {
        const Shown s = show(test::exampleTrace());
        FlameGraphView& view = *s.view;
        const CallTree& tree = view.painter().tree();
        QTest::mouseClick(view.modeButton(Mode::Sandwich), Qt::LeftButton);
        QCOMPARE(view.mode(), Mode::Sandwich);
        QVERIFY(!view.painter().sandwich()); // nothing selected: a hint
        const std::uint32_t node = tree.nodes[1].subtreeEnd > 2 ? 2 : 1;
        s.state->select(tree.nodes[node].longestSpan);
        const Sandwich* sandwich = view.painter().sandwich();
        QVERIFY(sandwich);
        QCOMPARE(view.painter().sandwichLabel(), QString::fromStdString(tree.labelOf(node)));
        const QImage image = grabCanvas(view);
        QCOMPARE(image.pixelColor(2, 2), view.palette().color(QPalette::AlternateBase)); // callers heading
        // The operation's two frames, callers' root above the callees' root, both full width.
        std::vector<QRectF> roots;
        for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
            if (f.kind == Kind::Node && f.index == 0)
                roots.push_back(f.rect);
        }
        QCOMPARE(roots.size(), std::size_t(2));
        QVERIFY(roots[0].top() < roots[1].top());
        QVERIFY(std::abs(roots[0].width() - view.canvas()->width()) <= 1.0);
        // A click inside the sandwich selects without moving it; a double-click moves it.
        const FlameGraphPainter::Frame* caller = nullptr;
        for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
            if (f.kind == Kind::Node && f.section == 0 && f.index != 0 && f.rect.width() > 20)
                caller = &f;
        }
        if (caller) {
            const QPoint at = caller->rect.center().toPoint();
            const std::uint32_t callerSpan = view.painter().spanOf(*caller);
            QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, at);
            QCOMPARE(s.state->selected(), callerSpan);
            QCOMPARE(view.painter().sandwichLabel(), QString::fromStdString(tree.labelOf(node)));
            QTest::mouseDClick(view.canvas(), Qt::LeftButton, {}, at);
            QCOMPARE(view.painter().sandwichLabel(), QString::fromStdString(tree.labelOf(tree.nodeOf(callerSpan))));
        }
    }

    void focusShowsOnlyTheSubtree()
    {
        const Shown s = show(test::exampleTrace());
        const std::uint32_t span = s.view->painter().tree().nodes[1].longestSpan;
        const std::string label = s.view->painter().tree().labelOf(1);
        s.state->focusOn(span);
        const CallTree& focused = s.view->painter().tree(); // built again for the subtree
        QCOMPARE(focused.labelOf(0), label);
        QCOMPARE(focused.nodes[0].count, 1u);
        QCOMPARE(focused.nodes[0].totalNanos, s.state->data().spans[span].duration());
        grabCanvas(*s.view);
        QVERIFY(std::abs(s.view->painter().nodeRect(0)->width() - s.view->canvas()->width()) <= 1.0);
    }

    void darkPalette()
    {
        const Shown s = show(test::exampleTrace());
        FlameGraphView& view = *s.view;
        view.setPalette(test::darkPalette());
        const QImage image = grabCanvas(view);
        QVERIFY(view.painter().dark());
        const QRectF root = *view.painter().nodeRect(0);
        QCOMPARE(image.pixelColor(fillPoint(root)),
                 serviceColor(*s.state, view.painter().tree().nodes[0].longestSpan, true));
        QCOMPARE(image.pixelColor(view.canvas()->width() - 3, view.canvas()->height() - 3),
                 test::darkPalette().color(QPalette::Base));
    }

    void narrowFramesFoldOnABigTrace()
    {
        const Shown s = show(test::generatedTrace(QStringLiteral("otlp-proto"), 100'000, {u"--seed"_s, u"5"_s}));
        FlameGraphView& view = *s.view;
        const auto folded = [&] {
            return std::count_if(view.painter().frames().begin(), view.painter().frames().end(),
                                 [](const auto& f) { return f.kind == Kind::Folded; });
        };
        QVERIFY(folded() > 0);
        for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
            if (f.kind == Kind::Node)
                QVERIFY(f.rect.width() >= 3 - 1e-9);
            if (f.kind == Kind::Folded) {
                QVERIFY(view.painter().toolTip(f).contains(QStringLiteral("narrower than 3 px")));
                QVERIFY(f.hidden > 0);
            }
        }
        view.setMode(Mode::Icicle);
        grabCanvas(view);
        QVERIFY(folded() > 0);
        for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
            if (f.kind == Kind::Span)
                QVERIFY(f.rect.width() >= 1 - 1e-9);
        }
    }

    void differentialColoursByChange()
    {
        const auto a = std::make_shared<const Dataset>(test::describedTrace(
            "r:-:0:10000:web:page s:r:0:1000:db:same l:r:1000:2000:db:slower f:r:2000:5000:db:faster "
            "g:r:5000:6000:db:gone"));
        const auto b = std::make_shared<const Dataset>(test::describedTrace(
            "r:-:0:10000:web:page s:r:0:1010:db:same l:r:1100:3100:db:slower f:r:3200:4200:db:faster "
            "w:r:5000:7000:db:new"));
        TraceViewState stateB(b, 0);
        FlameDiffView view(&stateB, diffTraces(*a, a->traces.front(), *b, b->traces.front()));
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const FlameGraphView& graph = *view.graph();
        QVERIFY(!graph.modeButton(Mode::Icicle)->isVisible() && !graph.selfTimeButton()->isVisible());
        const QImage image = grabCanvas(graph);
        const CallTree& tree = view.diff().tree;
        const auto frameOf = [&](const char* label) {
            for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
                if (tree.labelOf(n) == label)
                    return std::make_pair(n, *graph.painter().nodeRect(n));
            }
            return std::make_pair(kNoIndex, QRectF());
        };
        const auto [slower, slowerRect] = frameOf("db: slower");
        const auto [faster, fasterRect] = frameOf("db: faster");
        const auto [same, sameRect] = frameOf("db: same");
        const auto [added, addedRect] = frameOf("db: new");
        QVERIFY(slower != kNoIndex && faster != kNoIndex && same != kNoIndex && added != kNoIndex);
        const QColor slowerFill = image.pixelColor(fillPoint(slowerRect));
        const QColor fasterFill = image.pixelColor(fillPoint(fasterRect));
        QVERIFY2(slowerFill.red() > slowerFill.green() + 40, qPrintable(slowerFill.name()));
        QVERIFY2(fasterFill.green() > fasterFill.red() + 40, qPrintable(fasterFill.name()));
        QCOMPARE(image.pixelColor(fillPoint(sameRect)).rgb(), graph.palette().color(QPalette::Mid).rgb());
        // Added: hatched, so both the slower colour and the background show inside it.
        bool base = false;
        bool red = false;
        for (int x = static_cast<int>(addedRect.left()) + 2; x < static_cast<int>(addedRect.right()) - 2; ++x) {
            const QColor c = image.pixelColor(x, static_cast<int>(addedRect.top()) + 5);
            base = base || c == graph.palette().color(QPalette::Base);
            red = red || c == theme::slower(false);
        }
        QVERIFY(base && red);
        // Removed: a mark under the root, whose tooltip names the path A had.
        const auto removed = std::find_if(graph.painter().frames().begin(), graph.painter().frames().end(),
                                          [](const auto& f) { return f.kind == Kind::Removed; });
        QVERIFY(removed != graph.painter().frames().end());
        QCOMPARE(removed->index, 0u);
        const QString removedTip = graph.toolTipAt(removed->rect.center().toPoint());
        QVERIFY2(removedTip.contains(QStringLiteral("Only in A")) && removedTip.contains(QStringLiteral("db: gone")),
                 qPrintable(removedTip));
        const QString slowerTip = graph.toolTipAt(slowerRect.center().toPoint());
        QVERIFY2(slowerTip.contains(QStringLiteral("B − A: +1.00 ms (+100.0 %), slower")), qPrintable(slowerTip));
        QVERIFY(graph.toolTipAt(addedRect.center().toPoint()).contains(QStringLiteral("Only in B")));
        // Clicking selects the frame's span in B.
        QTest::mouseClick(graph.canvas(), Qt::LeftButton, {}, fasterRect.center().toPoint());
        QCOMPARE(stateB.selected(), tree.nodes[faster].longestSpan);
        test::saveScreenshot(&view, "flame-diff-light");
        view.setPalette(test::darkPalette());
        const QImage dark = grabCanvas(graph);
        QCOMPARE(dark.pixelColor(fillPoint(sameRect)).rgb(), test::darkPalette().color(QPalette::Mid).rgb());
        test::saveScreenshot(&view, "flame-diff-dark");
    }

    void deepChainPaintsInEveryMode()
    {
        constexpr int kDepth = 100'000;
        TraceViewState state(std::make_shared<const Dataset>(
                                 test::chainTrace(kDepth, [](int i) { return std::string(i % 2 ? "call" : "work"); })),
                             0);
        FlameGraphView view(&state);
        view.resize(1400, 860);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QElapsedTimer timer;
        timer.start();
        grabCanvas(view);
        QCOMPARE(view.painter().frames().size(), std::size_t(view.canvas()->height() / view.painter().rowHeight() + 1));
        QCOMPARE(view.painter().contentHeight(), kDepth * view.painter().rowHeight());
        view.zoomInto(kDepth / 2); // scrolled to it, four ancestors above it
        grabCanvas(view);
        QCOMPARE(view.painter().nodeRect(kDepth / 2)->top(), 4.0 * view.painter().rowHeight());
        view.zoomInto(kDepth - 10); // as far as the scrolling goes: the last rows at the bottom
        grabCanvas(view);
        QVERIFY(view.painter().nodeRect(kDepth - 10));
        QVERIFY(view.painter().nodeRect(kDepth - 1));
        view.setMode(Mode::Icicle);
        grabCanvas(view);
        QVERIFY(!view.painter().frames().empty());
        state.select(state.trace().end_index() - 1);
        view.setMode(Mode::Sandwich);
        grabCanvas(view);
        QVERIFY(view.painter().sandwich());
        QVERIFY2(timer.elapsed() < 30'000, qPrintable(QString::number(timer.elapsed()))); // a runaway, not a goal
    }

    void icicleGivesConcurrentSiblingsLanes()
    {
        // b runs while a does: it and its child go on a lane under a's subtree, not over a.
        const Shown s = show(std::make_shared<const Dataset>(test::describedTrace(
            "r:-:0:100:api:root a:r:10:60:cart:first c:a:15:50:db:query_a b:r:20:80:pricing:second "
            "d:b:30:70:db:query_b e:r:85:95:cart:after")));
        FlameGraphView& view = *s.view;
        view.setMode(Mode::Icicle);
        const QImage image = grabCanvas(view);
        const Dataset& d = s.state->data();
        std::map<char, std::uint32_t> span;
        for (std::uint32_t i = 0; i < d.spans.size(); ++i)
            span[static_cast<char>(d.spans[i].id)] = i;
        const auto rects = icicleSpans(view);
        QCOMPARE(rects.size(), d.spans.size());
        verifyNoSpanUnderAnother(view, rects);
        const int row = view.painter().rowHeight();
        const auto rowOf = [&](char id) { return static_cast<int>(rects.at(span[id]).top()) / row; };
        QCOMPARE(rowOf('r'), 0);
        QCOMPARE(rowOf('a'), 1);
        QCOMPARE(rowOf('c'), 2);
        QCOMPARE(rowOf('b'), 3); // the second lane, under a's subtree
        QCOMPARE(rowOf('d'), 4); // under its parent's lane
        QCOMPARE(rowOf('e'), 1); // after a ended: back on the first lane
        QCOMPARE(view.painter().contentHeight(), 5 * row);
        for (const char id : {'a', 'b', 'c', 'd'}) { // each in its own colour where it lies
            const QRectF rect = rects.at(span[id]);
            QCOMPARE(image.pixelColor(fillPoint(rect)), serviceColor(*s.state, span[id], false));
        }
        // Selection, search and tooltip follow the lane.
        const QRectF second = rects.at(span['b']);
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, second.center().toPoint());
        QCOMPARE(s.state->selected(), span['b']);
        s.state->setSearchMatches({span['d']});
        const QImage marked = grabCanvas(view);
        QCOMPARE(marked.pixelColor(static_cast<int>(second.left()) + 1, static_cast<int>(second.center().y())),
                 view.palette().color(QPalette::Highlight));
        const QRectF queryB = rects.at(span['d']);
        QCOMPARE(marked.pixelColor(static_cast<int>(queryB.right()) - 4, static_cast<int>(queryB.top()) + 1),
                 theme::searchMatch(false));
        QVERIFY(view.toolTipAt(queryB.center().toPoint()).contains(QStringLiteral("query b")));
    }

    void icicleFoldsSiblingsBeyondTheLanes()
    {
        // Twelve calls at once, each with a child: eight lanes, the other four and their children
        // in one mark under them that says so.
        QString description = QStringLiteral("r:-:0:1000:api:root");
        for (int i = 0; i < 12; ++i) {
            const QChar call(u'a' + i);
            const QChar child(u'A' + i);
            description += QStringLiteral(" %1:r:%2:900:svc:call %3:%1:%4:800:db:query")
                               .arg(call)
                               .arg(10 + i)
                               .arg(child)
                               .arg(20 + i);
        }
        const Shown s = show(std::make_shared<const Dataset>(test::describedTrace(description)));
        FlameGraphView& view = *s.view;
        view.setMode(Mode::Icicle);
        grabCanvas(view);
        const auto rects = icicleSpans(view);
        QCOMPARE(rects.size(), std::size_t(1 + 2 * FlameGraphPainter::kMaxLanes));
        verifyNoSpanUnderAnother(view, rects);
        const int row = view.painter().rowHeight();
        QCOMPARE(view.painter().contentHeight(), int(1 + 2 * FlameGraphPainter::kMaxLanes + 1) * row);
        const auto mark = std::find_if(view.painter().frames().begin(), view.painter().frames().end(),
                                       [](const auto& f) { return f.kind == Kind::Concurrent; });
        QVERIFY(mark != view.painter().frames().end());
        QCOMPARE(mark->hidden, 8u);
        QCOMPARE(mark->index, s.state->trace().first);
        QCOMPARE(mark->rect.top(), double(int(1 + 2 * FlameGraphPainter::kMaxLanes) * row));
        for (const auto& [span, rect] : rects)
            QVERIFY(!rect.intersects(mark->rect));
        const QString tip = view.toolTipAt(mark->rect.center().toPoint());
        QVERIFY2(tip.contains(QStringLiteral("8 spans")) && tip.contains(QStringLiteral("same time")), qPrintable(tip));
    }

    void icicleShowsEverySpanOfTheExample()
    {
        for (const QSize size : {QSize(1400, 860), QSize(1920, 1080)}) {
            const Shown s = show(test::exampleTrace(), size);
            FlameGraphView& view = *s.view;
            view.setMode(Mode::Icicle);
            view.resize(size.width(), view.painter().contentHeight() + 200); // every row in the window
            grabCanvas(view);
            const auto rects = icicleSpans(view);
            verifyNoSpanUnderAnother(view, rects);
            // Every span drawn, or counted in a mark.
            std::uint32_t folded = 0;
            for (const FlameGraphPainter::Frame& f : view.painter().frames()) {
                if (f.kind == Kind::Folded || f.kind == Kind::Concurrent)
                    folded += f.hidden;
            }
            const Trace& trace = s.state->trace();
            QVERIFY2(rects.size() + folded >= trace.end_index() - trace.first,
                     qPrintable(QStringLiteral("%1 drawn, %2 folded").arg(rects.size()).arg(folded)));
            const Dataset& d = s.state->data();
            for (const auto& [span, rect] : rects) { // a child lies under its parent, inside its lane
                const std::uint32_t parent = d.spans[span].parent;
                if (parent != kNoIndex && rects.count(parent))
                    QVERIFY(rect.top() > rects.at(parent).top());
            }
        }
    }

    void painterDrawsOnAnyPaintDevice()
    {
        // What an export does: no widget, an image, a palette of its own, no selection drawn.
        TraceViewState state(loadShared(test::exampleTrace()), 0);
        state.select(state.trace().first);
        FlameGraphPainter painter(&state);
        painter.setPalette(test::darkPalette());
        painter.setPaintsSelection(false);
        QImage image(900, 300, QImage::Format_RGB32);
        image.fill(Qt::magenta);
        {
            QPainter p(&image);
            painter.paint(p, QRect(50, 20, 800, 260));
        }
        QCOMPARE(image.pixelColor(10, 10), QColor(Qt::magenta)); // outside the area: untouched
        const QRectF root = *painter.nodeRect(0);
        QCOMPARE(root.width(), 800.0);
        const QPoint inside = fillPoint(root) + QPoint(50, 20);
        QCOMPARE(image.pixelColor(inside), serviceColor(state, painter.tree().nodes[0].longestSpan, true));
        QVERIFY(image.pixelColor(QPoint(51, 20 + static_cast<int>(root.center().y()))) !=
                test::darkPalette().color(QPalette::Highlight));
    }

    void screenshots_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("size");
        QTest::newRow("example-1400") << test::exampleTrace() << QSize(1400, 860);
        QTest::newRow("example-1920") << test::exampleTrace() << QSize(1920, 1080);
        const QString big = test::generatedTrace(QStringLiteral("otlp-proto"), 100'000, {u"--seed"_s, u"5"_s});
        QTest::newRow("gen100k-1400") << big << QSize(1400, 860);
        QTest::newRow("gen100k-1920") << big << QSize(1920, 1080);
    }
    void screenshots()
    {
        QFETCH(QString, file);
        QFETCH(QSize, size);
        const Shown s = show(file, size);
        FlameGraphView& view = *s.view;
        const QByteArray name = QTest::currentDataTag();
        s.state->select(
            view.painter().tree().nodes[std::min<std::size_t>(2, view.painter().tree().nodes.size() - 1)].longestSpan);
        for (const bool dark : {false, true}) {
            view.setPalette(dark ? test::darkPalette() : QPalette());
            const QByteArray theme = dark ? "-dark" : "-light";
            view.setMode(Mode::Merged);
            test::saveScreenshot(&view, QByteArray("flame-merged-" + name + theme).constData());
            view.setMode(Mode::Icicle);
            test::saveScreenshot(&view, QByteArray("flame-icicle-" + name + theme).constData());
            view.setMode(Mode::Sandwich);
            test::saveScreenshot(&view, QByteArray("flame-sandwich-" + name + theme).constData());
            QVERIFY(!grabCanvas(view).isNull());
        }
    }
};

QTEST_MAIN(TestFlameView)
#include "tst_flame_view.moc"
