// The viewer's pieces: time axis math, view state, waterfall interaction, trace list, window.
#include <screenshot.h>
#include <test_support.h>

#include <analysis_panels.h>
#include <breakdown_model.h>
#include <described_trace.h>
#include <findings_model.h>
#include <main_window.h>
#include <minimap.h>
#include <search_bar.h>
#include <service_palette.h>
#include <span_details.h>
#include <subtree_activity.h>
#include <time_scale.h>
#include <trace_list_model.h>
#include <trace_list_page.h>
#include <trace_page.h>
#include <waterfall_view.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace spanwise;

class TestUi : public QObject {
    Q_OBJECT
private slots:
    void timeScaleMapsBothWays()
    {
        TimeScale s{1000, 2000, 500, 1000};
        QCOMPARE(s.toX(1000), 0.0);
        QCOMPARE(s.toX(2000), 500.0);
        QCOMPARE(s.toX(1500), 250.0);
        QCOMPARE(s.toTime(250), TimeNs(1500));
        QCOMPARE(s.nsPerPixel(), 2.0);
    }

    void ticks_data()
    {
        QTest::addColumn<qint64>("viewStart");
        QTest::addColumn<qint64>("viewEnd");
        QTest::addColumn<qint64>("expectedStep");
        QTest::addColumn<QString>("secondLabel");
        QTest::newRow("milliseconds") << qint64(0) << qint64(10'000'000) << qint64(1'000'000) << "1 ms";
        QTest::newRow("half milliseconds") << qint64(0) << qint64(4'000'000) << qint64(500'000) << "500 µs";
        QTest::newRow("seconds") << qint64(0) << qint64(20'000'000'000) << qint64(2'000'000'000) << "2 s";
        QTest::newRow("nanoseconds") << qint64(0) << qint64(1000) << qint64(100) << "100 ns";
        QTest::newRow("offset view") << qint64(1'234'567) << qint64(11'234'567) << qint64(1'000'000) << "3 ms";
    }
    void ticks()
    {
        QFETCH(qint64, viewStart);
        QFETCH(qint64, viewEnd);
        QFETCH(qint64, expectedStep);
        QFETCH(QString, secondLabel);
        const TimeScale s{viewStart, viewEnd, 1000, 0};
        QCOMPARE(s.tickStep(90), TimeNs(expectedStep));
        const auto ticks = s.ticks(90);
        QVERIFY(ticks.size() >= 2);
        QVERIFY(ticks.front().time >= viewStart);
        QCOMPARE(QString::fromStdString(ticks[1].label), secondLabel);
        for (std::size_t i = 1; i < ticks.size(); ++i)
            QVERIFY(ticks[i].x - ticks[i - 1].x >= 90);
    }

    void tickLabels_data()
    {
        QTest::addColumn<qint64>("relative");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QString>("label");
        QTest::newRow("zero") << qint64(0) << qint64(1000) << "0";
        QTest::newRow("ms with half steps") << qint64(1'500'000) << qint64(500'000) << "1.5 ms";
        QTest::newRow("ms with quarter steps") << qint64(1'250'000) << qint64(250'000) << "1.25 ms";
        QTest::newRow("whole seconds") << qint64(3'000'000'000) << qint64(1'000'000'000) << "3 s";
    }
    void tickLabels()
    {
        QFETCH(qint64, relative);
        QFETCH(qint64, step);
        QFETCH(QString, label);
        QCOMPARE(QString::fromStdString(formatTickLabel(relative, step)), label);
    }

    void rowsFollowCollapseRevealAndFocus()
    {
        TraceViewState state(test::smallTrace(), 0);
        QSignalSpy rowsChanged(&state, &TraceViewState::rowsChanged);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 2, 3}));
        state.setCollapsed(1, true);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 3}));
        QCOMPARE(state.rowOf(2), -1);
        state.select(2); // selecting a hidden span reveals it
        QCOMPARE(state.rowOf(2), 2);
        state.collapseBelowDepth(1);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 3}));
        state.expandAll();
        state.focusOn(1);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{1, 2}));
        QCOMPARE(state.viewStart(), TimeNs(1'100'000));
        state.focusBack();
        QCOMPARE(state.rows().size(), std::size_t(4));
        QVERIFY(rowsChanged.count() >= 5);
    }

    // Collapsing a level marks no span one by one: what shows is as if it had.
    void collapsedLevelsFollowExpandRevealAndFocus()
    {
        // r → a → x → y, r → b → c: spans 0..5 in that order, depths 0 1 2 3 1 2.
        TraceViewState state(test::describedTraces({u"r:-:0:100:s:root a:r:10:50:s:a x:a:12:40:s:x y:x:13:30:s:y "
                                                    u"b:r:60:90:s:b c:b:61:80:s:c"_s}),
                             0);
        using Rows = std::vector<std::uint32_t>;
        const auto collapsed = [&state] {
            Rows spans;
            for (std::uint32_t i = 0; i < 6; ++i) {
                if (state.isCollapsed(i))
                    spans.push_back(i);
            }
            return spans;
        };
        state.collapseBelowDepth(1);
        QCOMPARE(collapsed(), (Rows{1, 2, 4})); // leaves never count as collapsed
        QCOMPARE(state.rows(), (Rows{0, 1, 4}));
        state.setCollapsed(1, false);
        QCOMPARE(state.rows(), (Rows{0, 1, 2, 4})); // x, deeper, stays collapsed
        state.select(3);                            // revealed: x expands, b stays collapsed
        QCOMPARE(state.rows(), (Rows{0, 1, 2, 3, 4}));
        QCOMPARE(collapsed(), (Rows{4}));
        state.setCollapsed(2, true);
        QCOMPARE(state.rows(), (Rows{0, 1, 2, 4}));
        state.focusOn(1);
        state.collapseBelowDepth(1); // below the focused span's level: x alone
        QCOMPARE(state.rows(), (Rows{1, 2}));
        QCOMPARE(collapsed(), (Rows{2}));
        state.focusBack();
        QCOMPARE(state.rows(), (Rows{0, 1, 2, 4, 5}));
        state.setCollapsed(5, true); // a leaf has nothing to collapse
        QCOMPARE(collapsed(), (Rows{2}));
        state.expandAll();
        QCOMPARE(collapsed(), Rows{});
        QCOMPARE(state.rows(), (Rows{0, 1, 2, 3, 4, 5}));
    }

    void zoomKeepsTheAnchor()
    {
        TraceViewState state(test::smallTrace(), 0);
        state.setViewRange(0, 1000000);
        state.zoom(2.0, 250000);
        QCOMPARE(state.viewStart(), TimeNs(125000));
        QCOMPARE(state.viewEnd(), TimeNs(625000));
        state.zoom(1e12, 300000); // never narrower than the minimum
        QCOMPARE(state.viewEnd() - state.viewStart(), state.minimumViewSpan());
    }

    void failuresBelowAreFlagged()
    {
        TraceViewState state(test::smallTrace(true), 0);
        QVERIFY(state.hasFailedDescendant(0));
        QVERIFY(state.hasFailedDescendant(1));
        QVERIFY(!state.hasFailedDescendant(2)); // it failed itself; nothing below it did
        QVERIFY(!state.hasFailedDescendant(3));
    }

    void waterfallMouseAndKeyboard()
    {
        TracePage page(test::smallTrace(true), 0);
        page.resize(1200, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        QSignalSpy selection(state, &TraceViewState::selectionChanged);
        QWidget* vp = view->viewport();
        const int rowY = [&](int row) {
            return view->rulerHeight() + row * view->rowHeight() + view->rowHeight() / 2;
        }(3);
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(view->nameColumnWidth() - 40, rowY));
        QCOMPARE(state->selected(), 3u);
        QCOMPARE(selection.count(), 1);
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(state->selected(), 2u);
        QTest::keyClick(view, Qt::Key_Left); // a leaf: go to its parent
        QCOMPARE(state->selected(), 1u);
        QTest::keyClick(view, Qt::Key_Left); // collapse it
        QVERIFY(state->isCollapsed(1));
        QTest::keyClick(view, Qt::Key_Right);
        QVERIFY(!state->isCollapsed(1));
        // Clicking the arrow of the root collapses everything under it.
        const int rootY = view->rulerHeight() + view->rowHeight() / 2;
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(8 + 6, rootY));
        QCOMPARE(state->rows().size(), std::size_t(1));
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(8 + 6, rootY));
        // Double-click a bar: zoom to that span.
        const QRect bar = view->barRect(3);
        QVERIFY(bar.isValid());
        QTest::mouseDClick(vp, Qt::LeftButton, {}, bar.center());
        QVERIFY(state->viewStart() <= 1'500'000 && state->viewStart() > 1'400'000);
        QVERIFY(state->viewEnd() >= 1'900'000 && state->viewEnd() < 2'000'000);
        QTest::keyClick(view, Qt::Key_0);
        QCOMPARE(state->viewStart(), TimeNs(1'000'000));
        // Ctrl+wheel zooms in around the cursor.
        const TimeNs before = state->viewEnd() - state->viewStart();
        QWheelEvent wheel(QPointF(view->nameColumnWidth() + 100, rowY),
                          vp->mapToGlobal(QPointF(view->nameColumnWidth() + 100, rowY)), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(vp, &wheel);
        QVERIFY(state->viewEnd() - state->viewStart() < before);
        state->resetView();
        state->select(2);
        QVERIFY(page.details()->toPlainText().contains(QStringLiteral("op3")));
        QVERIFY(page.details()->toPlainText().contains(QStringLiteral("error")));
        test::saveScreenshot(&page, "small-trace");
    }

    // Datadog's resource beside the operation, X-Ray's trace id as written in the details.
    void detailsShowWhatOtherSystemsCallASpan()
    {
        auto datadog = std::make_shared<const Dataset>(
            test::load(test::dataPath(u"samples/datadog-graphql-error.json"_s)).dataset);
        TracePage page(datadog, 0);
        page.resize(1200, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.state()->select(datadog->traces[0].first);
        const QString text = page.details()->toPlainText();
        QVERIFY2(text.startsWith(QStringLiteral("graphql.request query my_query{ invalid_schema }")), qPrintable(text));
        test::saveScreenshot(&page, "datadog-resource");
        auto xray = std::make_shared<const Dataset>(
            test::load(test::dataPath(u"samples/xray-batch-get-traces.json"_s)).dataset);
        TracePage xrayPage(xray, 0);
        xrayPage.state()->select(xray->traces[0].first);
        QVERIFY(xrayPage.details()->toPlainText().contains(QStringLiteral("1-5d82881a-0a9126e92a73e971eed891b9")));
        // Inferred and in-progress spans say so.
        auto marked = std::make_shared<const Dataset>(
            test::load(test::dataPath(u"xray/in-progress-and-inferred.json"_s)).dataset);
        TracePage markedPage(marked, 0);
        markedPage.resize(1200, 300);
        markedPage.show();
        QVERIFY(QTest::qWaitForWindowExposed(&markedPage));
        for (std::uint32_t i = 0; i < marked->spans.size(); ++i) {
            const Span& s = marked->spans[i];
            markedPage.state()->select(i);
            const QString text = markedPage.details()->toPlainText();
            QCOMPARE(text.contains(QStringLiteral("In progress")), s.has(MarkInProgress));
            QCOMPARE(text.contains(QStringLiteral("Inferred")), s.has(MarkInferred));
        }
        QCOMPARE(std::count_if(marked->spans.begin(), marked->spans.end(),
                               [](const Span& s) { return s.has(MarkInferred); }),
                 1);
        test::saveScreenshot(&markedPage, "xray-in-progress-and-inferred");
    }

    void searchFindsAndStepsThroughMatches()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1000, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.state()->setCollapsed(1, true);
        SearchBar* bar = page.searchBar();
        bar->open(); // as Edit ▸ Find does (tst_window presses its keys)
        QVERIFY(bar->isVisible());
        QTest::keyClicks(bar->field(), QStringLiteral("OP"));
        QCOMPARE(page.state()->searchMatches().size(), std::size_t(4)); // case-insensitive, every op<N>
        bar->field()->clear();
        QTest::keyClicks(bar->field(), QStringLiteral("DB"));
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{2}));
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QCOMPARE(page.state()->selected(), 2u);
        QVERIFY(!page.state()->isCollapsed(1)); // revealed
        QCOMPARE(bar->status()->text(), QStringLiteral("1 of 1"));
        bar->field()->clear();
        QTest::keyClicks(bar->field(), QStringLiteral("0000000000000004"));
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{3}));
        bar->field()->setText(QStringLiteral("00-00000000000000000000000000000042-0000000000000002-01"));
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{1}));
        // Filters: service, minimum duration, errors only; matches-only keeps the path from the root.
        bar->field()->clear();
        bar->serviceFilter()->setCurrentText(QStringLiteral("db"));
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{2}));
        bar->matchesOnly()->setChecked(true);
        QCOMPARE(page.state()->rows(), (std::vector<std::uint32_t>{0, 1, 2}));
        QCOMPARE(page.state()->hiddenByFilter(), 1u);
        QCOMPARE(bar->status()->toolTip(), QStringLiteral("1 span hidden by Matches only"));
        bar->serviceFilter()->setCurrentIndex(0);
        bar->minDuration()->setText(QStringLiteral("350us"));
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{0, 3}));
        QCOMPARE(page.state()->rows(), (std::vector<std::uint32_t>{0, 3}));
        bar->errorsOnly()->setChecked(true);
        QVERIFY(page.state()->searchMatches().empty());
        QTest::keyClick(bar->field(), Qt::Key_Escape);
        QVERIFY(!bar->isVisible());
        QCOMPARE(page.state()->rows().size(), std::size_t(4));
        QVERIFY(page.state()->searchMatches().empty());
    }

    void detailsLinkToSpansOfTheTrace()
    {
        DatasetBuilder b;
        SpanRecord r;
        r.traceId = {0, 7};
        r.id = 1;
        r.start = 0;
        r.end = 100;
        r.name = b.intern("<b>not bold</b>");
        b.addSpan(r);
        const Link link{{0, 7}, 1, LinkType::FollowsFrom, 0, {}};
        r.id = 2;
        r.start = 150;
        r.end = 200;
        r.name = b.intern("consumer");
        r.links = b.appendLinks({&link, 1});
        b.addSpan(r);
        TracePage page(std::make_shared<const Dataset>(b.finish()), 0);
        page.state()->select(1);
        const QString html = page.details()->toHtml();
        QVERIFY(html.contains(QStringLiteral("href=\"span:0\"")));
        QVERIFY(html.contains(QStringLiteral("&lt;b&gt;not bold&lt;/b&gt;"))); // file text is never markup
        emit page.details()->anchorClicked(QUrl(QStringLiteral("span:0")));
        QCOMPARE(page.state()->selected(), 0u);
        QVERIFY(page.details()->toPlainText().startsWith(QStringLiteral("<b>not bold</b>")));
    }

    void criticalPathOverlayAndSteps()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        // root 0-100, a 100-150, a1 150-200, a 200-400, root 400-500, b 500-900, root 900-1000 (µs)
        QCOMPARE(state->criticalPath().size(), std::size_t(7));
        const QPoint onB = page.waterfall()->barRect(3).center();
        const QColor drawn = page.waterfall()->viewport()->grab().toImage().pixelColor(onB);
        QVERIFY2(drawn.lightness() < 60, qPrintable(drawn.name())); // the dark critical-path line
        QSignalSpy decoration(state, &TraceViewState::decorationChanged);
        state->setShowCriticalPath(false);
        QCOMPARE(decoration.count(), 1);
        const QColor bare = page.waterfall()->viewport()->grab().toImage().pixelColor(onB);
        QCOMPARE(bare.rgb(), state->serviceColors().color("payment", false).rgb());

        state->select(0);
        state->stepCriticalSegment(1);
        QCOMPARE(state->selected(), 1u);
        state->stepCriticalSegment(1);
        QCOMPARE(state->selected(), 2u);
        state->stepCriticalSegment(-1);
        QCOMPARE(state->selected(), 1u);
        state->setViewRange(1'000'000, 1'050'000); // far from b: stepping there moves the view
        state->select(3);
        state->stepCriticalSegment(-1);
        QCOMPARE(state->selected(), 0u);
        QVERIFY(state->viewStart() <= 1'400'000 && state->viewEnd() >= 1'500'000);

        state->setRowFilter(TraceViewState::RowFilter::CriticalPath);
        QCOMPARE(state->rows().size(), std::size_t(4)); // every span of this trace is on the path
    }

    void subtreeActivityCountsOverlaps()
    {
        const auto data = test::smallTrace();
        // 100 µs bins; below the root: a 100-400, a1 150-200, b 500-900.
        const SubtreeActivity activity = subtreeActivity(*data, 0, 1'000'000, 2'000'000, 10);
        QCOMPARE(activity.running, (std::vector<std::uint32_t>{0, 2, 1, 1, 0, 1, 1, 1, 1, 0}));
        QCOMPARE(activity.peak(1'000'000, 1'450'000), 2u);
        QCOMPARE(activity.peak(1'400'000, 1'500'000), 0u);
        QCOMPARE(activity.peak(3'000'000, 4'000'000), 0u);
        QVERIFY(activity.covers(1'000'000, 2'000'000));
        QCOMPARE(subtreeActivity(*data, 1, 1'000'000, 2'000'000, 10).running,
                 (std::vector<std::uint32_t>{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}));
        QVERIFY(subtreeActivity(*data, 3, 1'000'000, 2'000'000, 10).peak(1'000'000, 2'000'000) == 0); // a leaf
    }

    void collapsedRowShowsWhatItHides()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        state->setShowCriticalPath(false);
        state->setCollapsed(0, true);
        QCOMPARE(state->rows().size(), std::size_t(1));
        WaterfallView* view = page.waterfall();
        const QRect bar = view->barRect(0);
        const QImage image = view->viewport()->grab().toImage();
        const TimeScale scale = view->timeScale();
        auto under = [&](TimeNs microseconds) {
            const int x = view->nameColumnWidth() + static_cast<int>(scale.toX(1'000'000 + microseconds * 1000));
            return image.pixelColor(x, bar.bottom() + 2);
        };
        const QColor busy = under(250);  // a and a1 run
        const QColor idle = under(450);  // nothing runs between a and b
        const QColor busyB = under(700); // b runs
        QVERIFY2(busy.lightness() + 40 < idle.lightness(), qPrintable(busy.name() + u" vs "_s + idle.name()));
        QVERIFY2(busyB.lightness() + 40 < idle.lightness(), qPrintable(busyB.name() + u" vs "_s + idle.name()));
        test::saveScreenshot(view, "collapsed-row");
    }

    void breakdownAndFindingsSelectSpans()
    {
        TracePage page(test::smallTrace(true), 0);
        page.show();
        BreakdownPanel* breakdown = page.breakdown();
        QCOMPARE(breakdown->model()->rowCount(), 0); // nothing computed before the tab is first shown
        page.sidePanels()->setCurrentWidget(breakdown);
        QAbstractItemModelTester tester(breakdown->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(breakdown->model()->rowCount(), 4); // one per service
        breakdown->table()->selectRow(0);
        const BreakdownRow& top =
            breakdown->model()->rows()[breakdown->table()->currentIndex().data(BreakdownModel::RowRole).toInt()];
        QCOMPARE(page.state()->searchMatches(), top.spans);
        QCOMPARE(page.state()->selected(), top.spans.front());
        breakdown->grouping()->setCurrentIndex(2);
        QCOMPARE(breakdown->model()->rowCount(), 4);
        QCOMPARE(
            breakdown->model()->index(0, BreakdownModel::Operation).data().toString().startsWith(QStringLiteral("op")),
            true);

        page.sidePanels()->setCurrentWidget(page.findings());
        FindingsModel* findings = page.findings()->model();
        QVERIFY(findings->rowCount() >= 1); // the failing db call
        QModelIndex errors;
        for (int i = 0; i < findings->rowCount(); ++i) {
            if (findings->groups()[static_cast<std::size_t>(i)].kind == FindingKind::Error)
                errors = findings->index(i, 0);
        }
        QVERIFY(errors.isValid());
        page.state()->select(kNoIndex);
        page.findings()->list()->setCurrentIndex(findings->index(0, 0, errors));
        QCOMPARE(page.state()->selected(), 2u);
    }

    void minimapDragSelectsARange()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        Minimap* map = page.minimap();
        const int x0 = static_cast<int>(map->toX(1'200'000));
        const int x1 = static_cast<int>(map->toX(1'600'000));
        QTest::mousePress(map, Qt::LeftButton, {}, QPoint(x0, 20));
        QTest::mouseMove(map, QPoint(x1, 20));
        QTest::mouseRelease(map, Qt::LeftButton, {}, QPoint(x1, 20));
        QVERIFY(std::abs(page.state()->viewStart() - 1'200'000) < 5'000);
        QVERIFY(std::abs(page.state()->viewEnd() - 1'600'000) < 5'000);
        QTest::mouseDClick(map, Qt::LeftButton, {}, QPoint(x0, 20));
        QCOMPARE(page.state()->viewStart(), TimeNs(1'000'000));
    }

    // The overview draws every span, however short: only hiding a service changes it.
    void minimapShowsShortSpansAndHidesHiddenServices()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QImage everySpan = page.minimap()->grab().toImage();
        page.state()->setMinimumDuration(400'000);
        QCOMPARE(page.minimap()->grab().toImage(), everySpan);
        page.state()->setServiceHidden("payment", true);
        const QImage withoutPayment = page.minimap()->grab().toImage();
        QVERIFY(withoutPayment != everySpan);
        page.state()->setMinimumDuration(0);
        QCOMPARE(page.minimap()->grab().toImage(), withoutPayment);
        page.state()->showHiddenSpans();
        QCOMPARE(page.minimap()->grab().toImage(), everySpan);
    }

    void traceListModel()
    {
        const LoadResult r = test::load(
            test::generatedTrace(QStringLiteral("otlp-json"), 600, {QStringLiteral("--traces"), QStringLiteral("6")}));
        auto data = std::make_shared<const Dataset>(std::move(const_cast<Dataset&>(r.dataset)));
        TraceListPage page(std::make_shared<const TraceSet>(TraceSet::ofDataset(data)));
        QAbstractItemModelTester tester(page.proxy()->sourceModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page.proxy()->rowCount(), 6);
        QSignalSpy opened(&page, &TraceListPage::traceOpened);
        page.proxy()->sort(TraceListModel::Spans, Qt::DescendingOrder);
        const QModelIndex first = page.proxy()->index(0, 0);
        QVERIFY(page.proxy()->index(0, TraceListModel::Spans).data().toInt() >=
                page.proxy()->index(5, TraceListModel::Spans).data().toInt());
        emit page.table()->activated(first);
        QCOMPARE(opened.count(), 1);
        const QString traceId = QString::fromStdString(toHex(data->traces[3].id));
        page.proxy()->setFilterFixedString(traceId.left(12)); // a trace id picks its trace
        QCOMPARE(page.proxy()->rowCount(), 1);
        QCOMPARE(page.proxy()->index(0, TraceListModel::TraceId).data().toString(), traceId);
        page.proxy()->setFilterFixedString(QStringLiteral("no such service"));
        QCOMPARE(page.proxy()->rowCount(), 0);
    }

    void windowOpensAFileInTheBackground()
    {
        MainWindow window;
        window.resize(1400, 800);
        window.show();
        window.openFile(test::exampleTrace());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        TracePage* page = window.currentTracePage();
        QCOMPARE(page->state()->trace().count, 62u);
        QCOMPARE(page->state()->selected(), 0u);
        QApplication::processEvents();
        test::saveScreenshot(&window, "example-window");
        window.openFile(QStringLiteral("/nonexistent/trace.json"));
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->count(), 2, 5000);
        auto showsError = [&] {
            const auto labels = window.tabs()->currentWidget()->findChildren<QLabel*>();
            return std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
                return l->text().contains(QStringLiteral("/nonexistent/trace.json: offset 0: cannot open"));
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(showsError(), 5000);
    }
};

QTEST_MAIN(TestUi)
#include "tst_ui.moc"
