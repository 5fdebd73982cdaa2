// The compare page: the merged tree's model, the only-changes filter, selection kept in step between
// the tree and both waterfalls, the per-service chart, and the ways the window opens a comparison.
#include <screenshot.h>
#include <test_support.h>

#include <compare_page.h>
#include <dark_palette.h>
#include <diff_tree_model.h>
#include <flame_diff_view.h>
#include <main_window.h>
#include <pages.h>
#include <service_delta_chart.h>
#include <theme.h>
#include <trace_list_model.h>
#include <trace_list_page.h>
#include <waterfall_view.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

struct SpanSpec {
    SpanId id;
    SpanId parent;
    TimeNs start; // µs
    TimeNs end;
    const char* service;
    const char* operation;
};

void addTrace(DatasetBuilder& b, TraceId trace, std::initializer_list<SpanSpec> spans)
{
    for (const SpanSpec& s : spans) {
        SpanRecord r;
        r.traceId = trace;
        r.id = s.id;
        r.parentId = s.parent;
        r.start = 1'000'000'000 + s.start * 1000;
        r.end = 1'000'000'000 + s.end * 1000;
        r.service = b.intern(s.service);
        r.name = b.intern(s.operation);
        b.addSpan(r);
    }
}

// A: web → cart (→ db query ×2), pay. B: cart slower, one db query fewer, pay gone, a new audit call.
std::shared_ptr<const Dataset> pair()
{
    DatasetBuilder b;
    addTrace(b, {0, 1},
             {{1, 0, 0, 10'000, "web", "GET /checkout"},
              {2, 1, 100, 4'000, "cart", "load /cart/17"},
              {3, 2, 200, 1'000, "db", "query"},
              {4, 2, 1'200, 2'000, "db", "query"},
              {5, 1, 5'000, 9'000, "pay", "charge"}});
    addTrace(b, {0, 2},
             {{1, 0, 0, 12'000, "web", "GET /checkout"},
              {2, 1, 100, 8'000, "cart", "load /cart/99"},
              {3, 2, 200, 1'000, "db", "query"},
              {6, 1, 9'000, 11'000, "audit", "record"}});
    return std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
}

struct Fixture {
    std::shared_ptr<const Dataset> data = pair();
    std::shared_ptr<const TraceDiff> diff = std::make_shared<const TraceDiff>(
        diffTraces(*data, data->traces[0], *data, data->traces[1]));
    ComparePage page{{data, 0, QStringLiteral("a.json")}, {data, 1, QStringLiteral("b.json")}, diff};

    std::uint32_t node(const std::vector<std::string>& path) const
    {
        for (std::uint32_t i = 0; i < diff->nodes.size(); ++i) {
            if (nodePath(*diff, i) == path)
                return i;
        }
        return kNoIndex;
    }
    // Index in Dataset::spans of a span of trace `t` by id.
    std::uint32_t span(int t, SpanId id) const
    {
        const Trace& trace = data->traces[static_cast<std::size_t>(t)];
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            if (data->spans[i].id == id)
                return i;
        }
        return kNoIndex;
    }
};

int visibleRows(const QAbstractItemModel* model, const QModelIndex& parent = {})
{
    int rows = 0;
    for (int r = 0; r < model->rowCount(parent); ++r)
        rows += 1 + visibleRows(model, model->index(r, 0, parent));
    return rows;
}

} // namespace

class TestCompareUi : public QObject {
    Q_OBJECT
private slots:
    void treeModelIsAValidModel()
    {
        Fixture f;
        QAbstractItemModelTester tester(f.page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        f.page.onlyChanges()->setChecked(true);
        for (int column = -1; column < DiffTreeModel::ColumnCount; ++column) {
            f.page.model()->sort(column, Qt::AscendingOrder);
            f.page.model()->sort(column, Qt::DescendingOrder);
        }
        f.page.onlyChanges()->setChecked(false);
        QCOMPARE(visibleRows(f.page.model()), int(f.diff->nodes.size()));
        // A selected row survives sorting (persistent indexes follow their node).
        const std::uint32_t query = f.node({"web: GET /checkout", "cart: load /cart/{n}", "db: query"});
        f.page.selectNode(query);
        f.page.model()->sort(DiffTreeModel::Node, Qt::DescendingOrder);
        QCOMPARE(f.page.selectedNode(), query);
    }

    void rowsShowBothSidesAndTheChange()
    {
        Fixture f;
        const DiffTreeModel* m = f.page.model();
        const QModelIndex root = m->index(0, 0);
        QCOMPARE(root.data().toString(), QStringLiteral("web: GET /checkout"));
        const QModelIndex cart = m->indexOfNode(f.node({"web: GET /checkout", "cart: load /cart/{n}"}));
        QCOMPARE(cart.parent(), root);
        QCOMPARE(cart.siblingAtColumn(DiffTreeModel::Status).data().toString(), QStringLiteral("changed"));
        QCOMPARE(cart.siblingAtColumn(DiffTreeModel::Total).data().toString(), QStringLiteral("3.90 ms → 7.90 ms"));
        QCOMPARE(cart.siblingAtColumn(DiffTreeModel::Delta).data().toString(), QStringLiteral("+4.00 ms"));
        QCOMPARE(cart.siblingAtColumn(DiffTreeModel::DeltaPercent).data().toString(), QStringLiteral("+102.6%"));
        QVERIFY(cart.siblingAtColumn(DiffTreeModel::Delta).data(Qt::BackgroundRole).value<QColor>().red() > 150);
        const QModelIndex query = m->indexOfNode(f.node({"web: GET /checkout", "cart: load /cart/{n}", "db: query"}));
        QCOMPARE(query.siblingAtColumn(DiffTreeModel::Count).data().toString(), QStringLiteral("2 → 1"));
        QVERIFY(query.siblingAtColumn(DiffTreeModel::Delta).data(Qt::BackgroundRole).value<QColor>().green() > 100);
        const QModelIndex pay = m->indexOfNode(f.node({"web: GET /checkout", "pay: charge"}));
        QCOMPARE(pay.data().toString(), QStringLiteral("− pay: charge"));
        QVERIFY(pay.data(Qt::FontRole).value<QFont>().italic());
        const QModelIndex audit = m->indexOfNode(f.node({"web: GET /checkout", "audit: record"}));
        QCOMPARE(audit.data().toString(), QStringLiteral("+ audit: record"));
        QCOMPARE(audit.siblingAtColumn(DiffTreeModel::DeltaPercent).data().toString(), QStringLiteral("new"));
        QVERIFY(f.page.header()->text().contains(QStringLiteral("+2.00 ms")));
        QVERIFY(f.page.header()->text().contains(QStringLiteral("names normalised: numbers")));
    }

    void sortsRegressionsFirst()
    {
        Fixture f;
        const auto order = [&] {
            const QModelIndex root = f.page.model()->index(0, 0);
            QStringList rows;
            for (int r = 0; r < f.page.model()->rowCount(root); ++r)
                rows << f.page.model()->index(r, 0, root).data().toString();
            return rows;
        };
        // +4 ms cart, +2 ms audit, −4 ms pay: the page opens on the largest slow-down first.
        QCOMPARE(f.page.tree()->header()->sortIndicatorSection(), int(DiffTreeModel::Delta));
        QCOMPARE(f.page.tree()->header()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(order(), (QStringList{u"cart: load /cart/{n}"_s, u"+ audit: record"_s, u"− pay: charge"_s}));
        f.page.model()->sort(DiffTreeModel::Delta, Qt::AscendingOrder); // the largest speed-up first
        QCOMPARE(order(), (QStringList{u"− pay: charge"_s, u"+ audit: record"_s, u"cart: load /cart/{n}"_s}));
        f.page.model()->sort(DiffTreeModel::Total, Qt::AscendingOrder); // B − A: −4, +2, +4 ms
        QCOMPARE(order(), (QStringList{u"− pay: charge"_s, u"+ audit: record"_s, u"cart: load /cart/{n}"_s}));
        f.page.model()->sort(DiffTreeModel::DeltaPercent, Qt::DescendingOrder); // new, +103%, −100%
        QCOMPARE(order(), (QStringList{u"+ audit: record"_s, u"cart: load /cart/{n}"_s, u"− pay: charge"_s}));
        f.page.model()->sort(-1);
        QCOMPARE(order(), (QStringList{u"cart: load /cart/{n}"_s, u"− pay: charge"_s, u"+ audit: record"_s}));
    }

    void onlyChangesHidesUnchangedSubtrees()
    {
        DatasetBuilder b;
        addTrace(b, {0, 1},
                 {{1, 0, 0, 10'000, "web", "GET"},
                  {2, 1, 100, 200, "a", "same"},
                  {3, 2, 110, 150, "a", "leaf"},
                  {4, 1, 300, 4'000, "b", "slow"}});
        addTrace(b, {0, 2},
                 {{1, 0, 0, 10'000, "web", "GET"},
                  {2, 1, 100, 200, "a", "same"},
                  {3, 2, 110, 150, "a", "leaf"},
                  {4, 1, 300, 8'000, "b", "slow"}});
        auto data = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
        auto diff = std::make_shared<const TraceDiff>(diffTraces(*data, data->traces[0], *data, data->traces[1]));
        ComparePage page({data, 0, QStringLiteral("a")}, {data, 1, QStringLiteral("b")}, diff);
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(visibleRows(page.model()), 4);
        page.selectNode(2); // "a: leaf", about to be hidden
        QTest::mouseClick(page.onlyChanges(), Qt::LeftButton);
        QVERIFY(page.model()->onlyChanges());
        // The root stays (the path to a change; its self time changed too), "b: slow" stays, "a" goes.
        QCOMPARE(visibleRows(page.model()), 2);
        QCOMPARE(page.model()->index(0, 0, page.model()->index(0, 0)).data().toString(), QStringLiteral("b: slow"));
        QVERIFY(!page.model()->indexOfNode(2).isValid());
        QTest::mouseClick(page.onlyChanges(), Qt::LeftButton);
        QCOMPARE(visibleRows(page.model()), 4);
        QCOMPARE(page.selectedNode(), 2u); // selected again once shown
    }

    void selectingANodeSelectsItsSpansInBothWaterfalls()
    {
        Fixture f;
        f.page.resize(1400, 900);
        f.page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.page));
        const std::uint32_t query = f.node({"web: GET /checkout", "cart: load /cart/{n}", "db: query"});
        f.page.stateA()->collapseBelowDepth(1); // hidden until revealed
        f.page.selectNode(query);
        QCOMPARE(f.page.selectedNode(), query);
        QCOMPARE(f.page.stateA()->selected(), f.span(0, 3));
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 3));
        QCOMPARE(f.page.stateA()->searchMatches(), (std::vector<std::uint32_t>{f.span(0, 3), f.span(0, 4)}));
        QVERIFY(f.page.stateA()->rowOf(f.span(0, 4)) >= 0); // both of A's revealed
        QCOMPARE(f.page.comparison().spansOf(1, query), std::vector<std::uint32_t>{f.span(1, 3)});
        // Aligned: one time scale, each view starting just before its span.
        QCOMPARE(f.page.stateA()->viewEnd() - f.page.stateA()->viewStart(),
                 f.page.stateB()->viewEnd() - f.page.stateB()->viewStart());
        QVERIFY(f.page.stateA()->viewStart() < f.data->spans[f.span(0, 3)].start);
        QVERIFY(!f.page.waterfallA()->barRect(f.span(0, 3)).isEmpty());
        QVERIFY(!f.page.waterfallB()->barRect(f.span(1, 3)).isEmpty());
        test::saveScreenshot(&f.page, "compare-page");

        // A node only B has: A shows where it would be, its parent.
        f.page.selectNode(f.node({"web: GET /checkout", "audit: record"}));
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 6));
        QCOMPARE(f.page.stateA()->selected(), f.span(0, 1));
    }

    void selectingASpanSelectsItsNode()
    {
        Fixture f;
        f.page.resize(1400, 900);
        f.page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.page));
        // Click the second db query in A's waterfall.
        WaterfallView* w = f.page.waterfallA();
        const std::uint32_t second = f.span(0, 4);
        f.page.stateA()->expandAll();
        w->scrollToSpan(second);
        const int row = f.page.stateA()->rowOf(second) - w->verticalScrollBar()->value();
        QTest::mouseClick(w->viewport(), Qt::LeftButton, {},
                          QPoint(40, w->rulerHeight() + row * w->rowHeight() + w->rowHeight() / 2));
        QCOMPARE(f.page.stateA()->selected(), second); // the clicked span stays selected
        const std::uint32_t query = f.node({"web: GET /checkout", "cart: load /cart/{n}", "db: query"});
        QCOMPARE(f.page.selectedNode(), query);
        QCOMPARE(f.page.tree()->currentIndex().data(DiffTreeModel::NodeRole).toUInt(), query);
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 3));

        // And from B's side: the audit call selects its node, A falls back to the parent.
        f.page.stateB()->select(f.span(1, 6));
        QCOMPARE(f.page.selectedNode(), f.node({"web: GET /checkout", "audit: record"}));
        QCOMPARE(f.page.stateA()->selected(), f.span(0, 1));
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 6));
    }

    void bottomSwitchesToTheDifferentialFlameGraph()
    {
        Fixture f;
        f.page.resize(1400, 860);
        f.page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.page));
        QCOMPARE(f.page.bottom(), ComparePage::Bottom::Waterfalls);
        QVERIFY(f.page.flameDiff() == nullptr); // made when first asked for
        QVERIFY(f.page.waterfallA()->isVisible());

        QTabBar* tabs = f.page.bottomTabs()->tabBar();
        QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(int(ComparePage::Bottom::FlameGraph)).center());
        QCOMPARE(f.page.bottom(), ComparePage::Bottom::FlameGraph);
        FlameDiffView* flame = f.page.flameDiff();
        QVERIFY(flame);
        QTRY_VERIFY(flame->isVisible());
        QVERIFY(!f.page.waterfallA()->isVisible() && !f.page.waterfallB()->isVisible());
        QApplication::processEvents();
        // The legend sits above the graph, whole, and the graph has the room below it.
        QVERIFY(flame->legend()->isVisible());
        QVERIFY(flame->legend()->height() >= flame->legend()->heightForWidth(flame->legend()->width()));
        QVERIFY(flame->legend()->geometry().bottom() < flame->graph()->geometry().top());
        QVERIFY(flame->graph()->canvas()->height() > 200);
        // Its swatches as the frames: solid red for slower, hatched red (red and the background) for added.
        const QImage legend = flame->legend()->grab().toImage();
        const QColor slower = theme::slower(false);
        std::vector<std::pair<int, int>> reds; // x ranges of columns holding the slower colour
        for (int x = 0; x < legend.width(); ++x) {
            bool red = false;
            for (int y = 0; y < legend.height() && !red; ++y)
                red = legend.pixelColor(x, y) == slower;
            if (red && !reds.empty() && reds.back().second >= x - 2)
                reds.back().second = x;
            else if (red)
                reds.emplace_back(x, x);
        }
        QCOMPARE(reds.size(), std::size_t(2));
        // Other colours inside the swatch's outline: hatched.
        const auto backgroundInside = [&](std::pair<int, int> range) {
            int top = legend.height();
            int bottom = -1;
            for (int y = 0; y < legend.height(); ++y) {
                if (legend.pixelColor(range.first, y) == slower) {
                    top = std::min(top, y);
                    bottom = y;
                }
            }
            for (int x = range.first + 1; x < range.second; ++x) {
                for (int y = top + 1; y < bottom; ++y) {
                    if (legend.pixelColor(x, y) != slower)
                        return true;
                }
            }
            return false;
        };
        QVERIFY(!backgroundInside(reds[0]));
        QVERIFY(backgroundInside(reds[1]));

        // Clicking B's added audit call selects its node in the tree, its span in B, A's parent span.
        const CallTree& tree = flame->diff().tree;
        std::uint32_t audit = kNoIndex;
        for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
            if (tree.labelOf(n) == "audit: record")
                audit = n;
        }
        QVERIFY(audit != kNoIndex);
        QTRY_VERIFY(flame->graph()->painter().nodeRect(audit).has_value()); // laid out once painted
        const QRectF frame = *flame->graph()->painter().nodeRect(audit);
        QTest::mouseClick(flame->graph()->canvas(), Qt::LeftButton, {}, frame.center().toPoint());
        const std::uint32_t auditNode = f.node({"web: GET /checkout", "audit: record"});
        QCOMPARE(f.page.selectedNode(), auditNode);
        QCOMPARE(f.page.tree()->currentIndex().data(DiffTreeModel::NodeRole).toUInt(), auditNode);
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 6));
        QCOMPARE(f.page.stateA()->selected(), f.span(0, 1));
        test::saveScreenshot(&f.page, "compare-flame");
        f.page.setPalette(test::darkPalette());
        QApplication::processEvents();
        test::saveScreenshot(&f.page, "compare-flame-dark");

        f.page.showBottom(ComparePage::Bottom::Waterfalls);
        QVERIFY(f.page.waterfallA()->isVisible() && !flame->isVisible());
        QCOMPARE(f.page.stateB()->selected(), f.span(1, 6)); // the selection stays
    }

    void deepChainsNeitherOverflowNorStall()
    {
        constexpr int kDepth = 40'000; // QTreeView::expandAll() alone overflows the stack at 30,000
        DatasetBuilder b;
        for (std::uint64_t t = 1; t <= 2; ++t) {
            for (int i = 0; i < kDepth; ++i) {
                SpanRecord r;
                r.traceId = {0, t};
                r.id = static_cast<SpanId>(i + 1);
                r.parentId = static_cast<SpanId>(i);
                r.start = i;
                r.end = 2 * kDepth - i + (t == 2 ? 1'000'000 : 0);
                r.service = b.intern("svc");
                r.name = b.intern("call " + std::to_string(i));
                b.addSpan(r);
            }
        }
        auto data = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
        auto diff = std::make_shared<const TraceDiff>(diffTraces(*data, data->traces[0], *data, data->traces[1]));
        ComparePage page({data, 0, QStringLiteral("a")}, {data, 1, QStringLiteral("b")}, diff);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QElapsedTimer timer;
        timer.start();
        page.selectNode(kDepth - 1);
        QCOMPARE(page.stateA()->selected(), data->traces[0].first + kDepth - 1); // the waterfalls go all the way
        QCOMPARE(page.selectedNode(), 999u);                                     // the tree 1,000 levels down
        for (QPushButton* button : page.findChildren<QPushButton*>()) {
            if (button->text() == QLatin1String("Expand All"))
                QTest::mouseClick(button, Qt::LeftButton);
        }
        QTest::keyClick(page.tree(), Qt::Key_Asterisk);
        QTest::mouseClick(page.onlyChanges(), Qt::LeftButton);
        QVERIFY2(timer.elapsed() < 20'000, qPrintable(QString::number(timer.elapsed())));
    }

    void chartShowsEachChangedServiceLargestFirst()
    {
        Fixture f;
        const std::vector<ServiceDelta>& rows = f.page.chart()->rows();
        QStringList services;
        for (const ServiceDelta& s : rows)
            services << QString::fromStdString(s.service);
        // cart +4.8 ms self, pay −4 ms, audit +2 ms, db −0.8 ms; web's self time did not change.
        QCOMPARE(services, (QStringList{u"cart"_s, u"pay"_s, u"audit"_s, u"db"_s}));
        QImage image(600, f.page.chart()->sizeHint().height(), QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter p(&image);
        f.page.chart()->bars().paint(p, image.rect());
        p.end();
        // Red bars (slower) right of the middle, green (faster) left of it.
        bool red = false;
        bool green = false;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                red = red || (x > 300 && c.red() > 180 && c.green() < 120);
                green = green || (x < 300 && c.green() > 130 && c.red() < 80);
            }
        }
        QVERIFY(red);
        QVERIFY(green);
    }

    void windowComparesTwoFiles()
    {
        const LoadResult loaded = test::load(test::generatedTrace(u"jaeger"_s, 300, {u"--seed"_s, u"8"_s}));
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        const QString a = test::generatedTrace(u"jaeger"_s, 300, {u"--seed"_s, u"8"_s});
        const QString b = test::generatedTrace(u"otlp-json"_s, 300, {u"--seed"_s, u"8"_s});
        window.compareFiles(a, b);
        const auto comparePage = [&] { return qobject_cast<ComparePage*>(window.tabs()->currentWidget()); };
        QTRY_VERIFY_WITH_TIMEOUT(comparePage() != nullptr, 20000);
        QCOMPARE(comparePage()->diff().count(DiffStatus::Same), comparePage()->diff().nodes.size());
        QCOMPARE(comparePage()->stateA()->trace().count, loaded.dataset.traces.front().count);
        QVERIFY(window.tabs()->tabText(window.tabs()->currentIndex()).contains(QStringLiteral("↔")));
        const QPointer<ComparePage> before = comparePage();
        QTest::keyClick(&window, Qt::Key_F5); // reload reads both files again
        QTRY_VERIFY_WITH_TIMEOUT(before.isNull() && comparePage() != nullptr, 20000);
        QCOMPARE(window.tabs()->count(), 1);

        window.compareFiles(a, QStringLiteral("/nonexistent/b.json"));
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->count(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<FilePage*>(window.currentPage()) != nullptr, 20000);
        QLabel* banner = window.currentPage()->findChild<QLabel*>();
        QVERIFY(banner && banner->text().contains(QStringLiteral("/nonexistent/b.json")));
        QCOMPARE(window.currentPage()->paths(), (QStringList{a, QStringLiteral("/nonexistent/b.json")}));
    }

    void pageGivesTheWaterfallsAndTheChartTheirRoom_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1400x860") << QSize(1400, 860);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }
    void pageGivesTheWaterfallsAndTheChartTheirRoom()
    {
        QFETCH(QSize, size);
        MainWindow window;
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.compareFiles(test::generatedTrace(u"jaeger"_s, 3000, {u"--seed"_s, u"1"_s}),
                            test::generatedTrace(u"jaeger"_s, 3000, {u"--seed"_s, u"2"_s}));
        const auto comparePage = [&] { return qobject_cast<ComparePage*>(window.tabs()->currentWidget()); };
        QTRY_VERIFY_WITH_TIMEOUT(comparePage() != nullptr, 30000);
        ComparePage* page = comparePage();
        QApplication::processEvents();
        test::saveScreenshot(&window, qPrintable(QStringLiteral("compare-%1x%2").arg(size.width()).arg(size.height())));
        for (WaterfallView* waterfall : {page->waterfallA(), page->waterfallB()}) {
            const int rows = (waterfall->viewport()->height() - waterfall->rulerHeight()) / waterfall->rowHeight();
            QVERIFY2(rows >= ComparePage::kWaterfallRows, qPrintable(QString::number(rows)));
            // Names as wide as the rows in view need, or half the waterfall.
            const int first = waterfall->verticalScrollBar()->value();
            QVERIFY(waterfall->nameColumnWidth() >= std::min(waterfall->painter().fittingNameColumnWidth(first, rows),
                                                             waterfall->viewport()->width() / 2));
        }
        // The chart is never clipped: as wide as it needs, as high as its rows or scrolled.
        ServiceDeltaChart* chart = page->chart();
        QVERIFY(chart->width() >= chart->minimumSizeHint().width());
        QVERIFY(!page->chartArea()->horizontalScrollBar()->isVisible());
        QVERIFY(chart->height() >= chart->heightForWidth(chart->width()));
        QVERIFY(chart->height() <= page->chartArea()->viewport()->height() ||
                page->chartArea()->verticalScrollBar()->isVisible());
        // The tree keeps a useful height too.
        QVERIFY(page->tree()->viewport()->height() >= 8 * page->tree()->sizeHintForRow(0));

        page->showBottom(ComparePage::Bottom::FlameGraph);
        QApplication::processEvents();
        QVERIFY(page->flameDiff()->graph()->canvas()->height() >= page->bottomTabs()->height() / 2);
        test::saveScreenshot(&window,
                             qPrintable(QStringLiteral("compare-flame-%1x%2").arg(size.width()).arg(size.height())));
        window.setPalette(test::darkPalette());
        QApplication::processEvents();
        test::saveScreenshot(
            &window, qPrintable(QStringLiteral("compare-flame-%1x%2-dark").arg(size.width()).arg(size.height())));
    }

    void traceListComparesTwoSelectedTraces()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        window.openFile(test::generatedTrace(u"otlp-json"_s, 600, {u"--traces"_s, u"3"_s}));
        TraceListPage* list = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((list = window.tabs()->currentWidget()->findChild<TraceListPage*>()) != nullptr,
                                 20000);
        QVERIFY(!list->compareButton()->isEnabled());
        QTableView* table = list->table();
        table->selectionModel()->select(list->proxy()->index(0, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(!list->compareButton()->isEnabled());
        table->selectionModel()->select(list->proxy()->index(2, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(list->compareButton()->isEnabled());
        const std::uint32_t first = list->proxy()->index(0, 0).data(TraceListModel::TraceIndexRole).toUInt();
        const std::uint32_t third = list->proxy()->index(2, 0).data(TraceListModel::TraceIndexRole).toUInt();
        QTest::mouseClick(list->compareButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<ComparePage*>(window.tabs()->currentWidget()) != nullptr, 20000);
        auto* page = qobject_cast<ComparePage*>(window.tabs()->currentWidget());
        QCOMPARE(page->stateA()->traceIndex(), first);
        QCOMPARE(page->stateB()->traceIndex(), third);
        QCOMPARE(window.tabs()->count(), 2);
    }
};

QTEST_MAIN(TestCompareUi)
#include "tst_compare_ui.moc"
