// Moving around one trace by keyboard: WASD, jumps that centre their row, critical-path steps that
// say where they are and frame the stretch, the focus breadcrumb, keys shown in context menus.
#include <screenshot.h>
#include <test_support.h>

#include <dark_palette.h>
#include <focus_breadcrumb.h>
#include <key_motion.h>
#include <search_bar.h>
#include <span_details.h>
#include <trace_page.h>
#include <waterfall_view.h>

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// A chain of `depth` nested spans, each with `siblings` leaf children after it, so there are many rows.
std::shared_ptr<const Dataset> deepTrace(int depth, int siblings)
{
    DatasetBuilder b;
    SpanId next = 1;
    SpanId parent = 0;
    for (int level = 0; level < depth; ++level) {
        SpanRecord r;
        r.traceId = {0, 0x77};
        r.id = next++;
        r.parentId = parent;
        r.start = 1'000'000 + level * 1000;
        r.end = 10'000'000 - level * 1000;
        r.service = b.intern("svc" + std::to_string(level));
        r.name = b.intern("level" + std::to_string(level));
        b.addSpan(r);
        const SpanId self = r.id;
        for (int s = 0; s < siblings; ++s) {
            SpanRecord leaf;
            leaf.traceId = r.traceId;
            leaf.id = next++;
            leaf.parentId = self;
            leaf.start = r.start + 100 + s * 10;
            leaf.end = leaf.start + 5;
            leaf.service = b.intern("leaf");
            leaf.name = b.intern("leaf" + std::to_string(leaf.id));
            b.addSpan(leaf);
        }
        parent = self;
    }
    return std::make_shared<const Dataset>(b.finish());
}

// Where the row sits among the rows on screen (0 = the top one).
int screenRow(const WaterfallView* view, std::uint32_t span)
{
    return view->state()->rowOf(span) - view->verticalScrollBar()->value();
}

bool centred(const WaterfallView* view, std::uint32_t span)
{
    const int page = view->verticalScrollBar()->pageStep();
    return std::abs(screenRow(view, span) - (page - 1) / 2) <= 1;
}

} // namespace

class TestNavigation : public QObject {
    Q_OBJECT
private slots:
    void jumpsCentreTheRowButArrowsScrollLittle()
    {
        TracePage page(deepTrace(40, 9), 0); // 400 rows
        page.resize(1200, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        int pageRows = view->verticalScrollBar()->pageStep();
        QVERIFY(pageRows > 10 && static_cast<int>(state->rows().size()) > 3 * pageRows);

        // A search match far below: centred, not at the bottom edge.
        page.searchBar()->open();
        QTest::keyClicks(page.searchBar()->field(), QStringLiteral("level30"));
        QCOMPARE(state->searchMatches().size(), std::size_t(1));
        QTest::keyClick(page.searchBar()->field(), Qt::Key_Return);
        QCOMPARE(state->selected(), state->searchMatches().front());
        QVERIFY2(centred(view, state->selected()), qPrintable(QString::number(screenRow(view, state->selected()))));

        // A link in the details (a finding, an annotation, the parent) goes through the same jump.
        const std::uint32_t parent = state->data().spans[state->selected()].parent;
        view->verticalScrollBar()->setValue(0);
        emit page.details()->anchorClicked(QUrl(QStringLiteral("span:%1").arg(parent)));
        QCOMPARE(state->selected(), parent);
        QVERIFY(centred(view, parent));

        // Arrow keys move the view only as far as needed: the row reaches the bottom edge.
        pageRows = view->verticalScrollBar()->pageStep(); // the find bar took some room
        view->setFocus();
        view->verticalScrollBar()->setValue(0);
        state->select(state->rows()[pageRows - 1]); // visible, at the bottom edge: a jump centres it
        QVERIFY(centred(view, state->selected()));
        view->verticalScrollBar()->setValue(0);
        QTest::keyClick(view, Qt::Key_Home);
        QCOMPARE(view->verticalScrollBar()->value(), 0);
        for (int i = 0; i < pageRows; ++i)
            QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(screenRow(view, state->selected()), pageRows - 1); // scrolled by one row, not recentred
        QCOMPARE(view->verticalScrollBar()->value(), 1);
        // Clicking the last row on screen selects it where it is.
        const int lastY = view->rulerHeight() + (pageRows - 1) * view->rowHeight() + view->rowHeight() / 2;
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(view->nameColumnWidth() - 20, lastY));
        QCOMPARE(state->selected(), state->rows()[1 + pageRows - 1]);
        QCOMPARE(view->verticalScrollBar()->value(), 1);
        // A jump to a row well inside the view leaves the view alone.
        state->select(state->rows()[view->verticalScrollBar()->value() + pageRows / 2]);
        QCOMPARE(view->verticalScrollBar()->value(), 1);
    }

    // A jump to a span whose bar is outside the time window moves the window to it, keeping the zoom.
    void jumpsBringTheBarIntoTheTimeWindow()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        const Span& db = state->data().spans[2]; // 150-200 µs into the trace
        state->setViewRange(state->trace().start + 700'000, state->trace().start + 800'000);
        state->select(2);
        QVERIFY(db.start >= state->viewStart() && db.end <= state->viewEnd());
        QCOMPARE(state->viewEnd() - state->viewStart(), TimeNs(100'000)); // the same zoom
    }

    // The border between names and bars stays where it is when the view's height changes (the find
    // bar opening, a breadcrumb appearing).
    void nameColumnStaysWhenTheViewResizes()
    {
        TracePage page(deepTrace(40, 9), 0);
        page.resize(1200, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const int width = page.waterfall()->nameColumnWidth();
        page.searchBar()->open();
        QApplication::processEvents();
        page.state()->focusOn(page.state()->rows()[10]);
        QApplication::processEvents();
        QCOMPARE(page.waterfall()->nameColumnWidth(), width);
        page.resize(1200, 700);
        QApplication::processEvents();
        QCOMPARE(page.waterfall()->nameColumnWidth(), width);
    }

    // Esc in the find bar gives the keyboard back to the waterfall; leaving a focus shows where you were.
    void keyboardComesBackAndFocusReturnsToTheSelection()
    {
        TracePage page(deepTrace(40, 9), 0);
        page.resize(1200, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QApplication::setActiveWindow(&page);
        page.searchBar()->open();
        QTRY_VERIFY(page.searchBar()->field()->hasFocus());
        QTest::keyClick(page.searchBar()->field(), Qt::Key_Escape);
        QTRY_VERIFY(page.waterfall()->hasFocus());

        TraceViewState* state = page.state();
        WaterfallView* view = page.waterfall();
        const std::uint32_t deep = state->rows()[300];
        state->select(deep);
        state->focusOn(state->data().spans[deep].parent);
        state->focusBack();
        QCOMPARE(state->focusRoot(), kNoIndex);
        QCOMPARE(state->selected(), deep);
        QVERIFY(screenRow(view, deep) >= 0 && screenRow(view, deep) < view->verticalScrollBar()->pageStep());
    }

    void wasdZoomsAndPans()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        view->setFocus();
        QCursor::setPos(view->viewport()->mapToGlobal(QPoint(5, 5))); // over the names: zoom around the middle
        const TimeNs width = state->viewEnd() - state->viewStart();
        const TimeNs middle = (state->viewStart() + state->viewEnd()) / 2;

        QTest::keyClick(view, Qt::Key_W); // a tap: a short glide in
        QTRY_VERIFY(state->viewEnd() - state->viewStart() < width * 0.85);
        QTest::qWait(KeyMotion::kTapMs + 100);
        const TimeNs afterTap = state->viewEnd() - state->viewStart();
        QVERIFY(afterTap > width / 2); // one tap is a step, not a plunge
        QVERIFY(std::abs((state->viewStart() + state->viewEnd()) / 2 - middle) < width / 100);

        QTest::keyClick(view, Qt::Key_S);
        QTRY_VERIFY(state->viewEnd() - state->viewStart() > afterTap);

        const TimeNs start = state->viewStart();
        QTest::keyClick(view, Qt::Key_D);
        QTRY_VERIFY(state->viewStart() > start);
        QTest::qWait(KeyMotion::kTapMs + 100);
        const TimeNs right = state->viewStart();
        QTest::keyClick(view, Qt::Key_A);
        QTRY_VERIFY(state->viewStart() < right);
        QTest::qWait(KeyMotion::kTapMs + 100);

        // Held: keeps going until released, further than a tap.
        const TimeNs before = state->viewStart();
        const TimeNs shown = state->viewEnd() - state->viewStart();
        QTest::keyPress(view, Qt::Key_D);
        QTest::qWait(600);
        QKeyEvent repeat(QEvent::KeyPress, Qt::Key_D, Qt::NoModifier, QStringLiteral("d"),
                         true); // auto-repeat: no extra jump
        QApplication::sendEvent(view, &repeat);
        QTest::qWait(200);
        QTest::keyRelease(view, Qt::Key_D);
        const TimeNs moved = state->viewStart() - before;
        QVERIFY2(moved > shown / 3, qPrintable(QString::number(double(moved) / shown)));
        QTest::qWait(100);
        const TimeNs stopped = state->viewStart();
        QTest::qWait(150);
        QCOMPARE(state->viewStart(), stopped);
    }

    void wZoomsAroundThePointer()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        view->setFocus();
        const QPoint pointer(view->nameColumnWidth() + 60, 100);
        QCursor::setPos(view->viewport()->mapToGlobal(pointer));
        if (view->viewport()->mapFromGlobal(QCursor::pos()) != pointer)
            QSKIP("this platform cannot place the pointer");
        const TimeNs under = view->timeScale().toTime(pointer.x() - view->nameColumnWidth());
        QTest::keyClick(view, Qt::Key_W);
        QTest::qWait(KeyMotion::kTapMs + 100);
        const TimeNs stillUnder = view->timeScale().toTime(pointer.x() - view->nameColumnWidth());
        QVERIFY(std::abs(stillUnder - under) < (state->viewEnd() - state->viewStart()) / 200);
    }

    void criticalStepsSayWhereTheyAreAndFrameTheStretch()
    {
        for (const bool dark : {false, true}) {
            TracePage page(test::smallTrace(), 0);
            if (dark)
                page.setPalette(test::darkPalette());
            page.resize(1200, 400);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            WaterfallView* view = page.waterfall();
            TraceViewState* state = page.state();
            QLabel* label = page.criticalStepLabel();
            QVERIFY(!label->isVisible());
            // root 0-100, a 100-150, a1 150-200, a 200-400, root 400-500, b 500-900, root 900-1000 (µs)
            state->select(0);
            QSignalSpy stepped(state, &TraceViewState::criticalStepped);
            state->stepCriticalSegment(1);
            QCOMPARE(stepped.count(), 1);
            QCOMPARE(state->selected(), 1u);
            QVERIFY(label->isVisible());
            QVERIFY2(label->text().startsWith(QStringLiteral("Critical path: segment 2 of 7")),
                     qPrintable(label->text()));
            QVERIFY(label->text().contains(QStringLiteral("cart")));
            // The label sits inside the waterfall, clear of the rows it is about.
            QVERIFY(view->viewport()->rect().contains(label->geometry()));
            QVERIFY(label->geometry().top() > view->barRect(1).bottom());

            // The stretch (100-150 µs of span 1) is framed in the critical path's ink.
            const TimeScale scale = view->timeScale();
            const int left = static_cast<int>(
                std::floor(view->nameColumnWidth() + scale.toX(1'100'000) - 2)); // the frame's left side
            const int top = view->rulerHeight() + state->rowOf(1) * view->rowHeight() + 3;
            const QImage shot = view->viewport()->grab().toImage();
            const QColor frame = shot.pixelColor(QPoint(left, top + view->rowHeight() / 2) * shot.devicePixelRatio());
            QVERIFY2(dark ? frame.lightness() > 180 : frame.lightness() < 90, qPrintable(frame.name()));
            test::saveScreenshot(&page, dark ? "critical-step-dark" : "critical-step-light");

            // Another selection ends the step: no label, no frame.
            state->select(3);
            QVERIFY(!label->isVisible());
            QVERIFY(!state->steppedSegment());
            const QImage after = view->viewport()->grab().toImage();
            QVERIFY(after.pixelColor(QPoint(left, top + view->rowHeight() / 2) * after.devicePixelRatio()) != frame);
        }
    }

    void criticalStepsZoomOnlyWhenTooNarrow()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1800, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        const auto pixels = [&](std::size_t segment) {
            const CriticalSegment& s = state->criticalPath()[segment];
            return s.length() / view->timeScale().nsPerPixel();
        };
        // Readable at this zoom (the whole trace: 50 µs of 1 ms on ~700 px): the zoom stays.
        state->select(0);
        const TimeNs start = state->viewStart(), end = state->viewEnd();
        QVERIFY(pixels(1) >= 30);
        state->stepCriticalSegment(1);
        QCOMPARE(state->viewStart(), start);
        QCOMPARE(state->viewEnd(), end);
        // Zoomed out so that the 50 µs segment is a few pixels wide: zoomed to fit.
        state->setViewRange(start - 20'000'000, end + 20'000'000);
        QVERIFY(pixels(2) < 30);
        state->stepCriticalSegment(1);
        QVERIFY(pixels(2) >= 30);
        const CriticalSegment& segment = state->criticalPath()[2];
        QVERIFY(state->viewStart() <= segment.start && state->viewEnd() >= segment.end);
        // Readable but out of view: panned to it, the zoom kept.
        state->setViewRange(1'000'000, 1'300'000);
        const TimeNs width = state->viewEnd() - state->viewStart();
        state->stepCriticalSegment(1); // a 200-400 µs: wider than 30 px, partly out of view
        QCOMPARE(state->viewEnd() - state->viewStart(), width);
        QVERIFY(state->viewStart() <= 1'200'000 && state->viewEnd() >= 1'400'000);
    }

    void criticalStepCentresItsRow()
    {
        TracePage page(deepTrace(60, 5), 0); // the critical path runs down the chain
        page.resize(1200, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        TraceViewState* state = page.state();
        const std::uint32_t deepest = state->criticalPath()[state->criticalPath().size() / 2].span;
        QVERIFY(state->rowOf(deepest) > view->verticalScrollBar()->pageStep());
        // Step from the segment before it, as `]` does.
        state->select(state->criticalPath()[state->criticalPath().size() / 2 - 1].span);
        view->verticalScrollBar()->setValue(0);
        state->stepCriticalSegment(1);
        QVERIFY(centred(view, state->selected()));
    }

    void breadcrumbShowsAndLeadsOutOfTheFocus()
    {
        TracePage page(deepTrace(12, 1), 0);
        page.resize(1200, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        FocusBreadcrumb* crumbs = page.breadcrumb();
        QVERIFY(!crumbs->isVisible());
        // The spans of the chain are every other index: 0, 2, 4, …
        state->focusOn(4);
        QVERIFY(crumbs->isVisible());
        QCOMPARE(crumbs->links(), (QStringList{u"focus:whole"_s, u"focus:0"_s, u"focus:2"_s}));
        QVERIFY(crumbs->path()->text().contains(QStringLiteral("level2")));
        QVERIFY(crumbs->path()->text().contains(QStringLiteral("Whole trace")));
        // The breadcrumb sits above the waterfall and does not overlap it.
        QVERIFY(crumbs->mapTo(&page, crumbs->rect().bottomLeft()).y() <
                page.waterfall()->mapTo(&page, QPoint(0, 0)).y());
        emit crumbs->path()->linkActivated(QStringLiteral("focus:2"));
        QCOMPARE(state->focusRoot(), 2u);
        QCOMPARE(state->rows().front(), 2u);
        emit crumbs->path()->linkActivated(QStringLiteral("focus:whole"));
        QCOMPARE(state->focusRoot(), kNoIndex);
        QVERIFY(!crumbs->isVisible());

        // Deep: the middle folds, the root, its child and the last levels stay.
        state->focusOn(22);
        QCOMPARE(crumbs->links().size(), FocusBreadcrumb::kMaxParts); // "whole" and the parts but the focused one
        QCOMPARE(crumbs->links().mid(0, 3), (QStringList{u"focus:whole"_s, u"focus:0"_s, u"focus:2"_s}));
        QCOMPARE(crumbs->links().back(), QStringLiteral("focus:20"));
        QVERIFY(crumbs->path()->text().contains(QStringLiteral("…")));
        QVERIFY(crumbs->minimumSizeHint().width() < 400); // a long path wraps: it never widens the page
        page.setPalette(test::darkPalette()); // links stay readable on a dark palette that keeps the default blue
        QVERIFY(QColor(crumbs->path()->text().section(QStringLiteral("color:"), 1, 1).left(7)).lightness() > 140);
        test::saveScreenshot(&page, "breadcrumb");

        // Esc in the waterfall leaves the focus, level by level.
        state->setFocusRoot(kNoIndex);
        state->focusOn(2);
        state->focusOn(4);
        page.waterfall()->setFocus();
        QTest::keyClick(page.waterfall(), Qt::Key_Escape);
        QCOMPARE(state->focusRoot(), 2u);
        QTest::keyClick(page.waterfall(), Qt::Key_Escape);
        QCOMPARE(state->focusRoot(), kNoIndex);
        QVERIFY(!crumbs->isVisible());
    }

    void contextMenuShowsKeys()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        QStringList seen;
        QTimer::singleShot(0, this, [&] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (const QAction* action : menu->actions()) {
                if (!action->shortcut().isEmpty() && action->isShortcutVisibleInContextMenu())
                    seen << action->text() + QLatin1Char('=') + action->shortcut().toString();
            }
            menu->close();
        });
        const QPoint onRow(view->nameColumnWidth() / 2, view->rulerHeight() + view->rowHeight() + 4);
        QContextMenuEvent event(QContextMenuEvent::Mouse, onRow, view->viewport()->mapToGlobal(onRow));
        QApplication::sendEvent(view->viewport(), &event);
        QVERIFY(seen.contains(QStringLiteral("Zoom to Span=Z")));
        QVERIFY(seen.contains(QStringLiteral("Focus on This Subtree=F")));
        QVERIFY(seen.contains(QStringLiteral("Reset Zoom=0")));
        QVERIFY(seen.contains(QStringLiteral("Expand All=Ctrl+E")));
    }
};

QTEST_MAIN(TestNavigation)
#include "tst_navigation.moc"
