// Grouped repeats in the waterfall (one row per run of calls: band, ticks, times, unfolding by
// keys and clicks, selection and search into a group, the N+1 finding), and hidden spans: too
// short, or of a service hidden from the legend, with the note that shows them again.
#include <screenshot.h>
#include <test_support.h>

#include <analysis_panels.h>
#include <dark_palette.h>
#include <dataset_builder.h>
#include <findings_model.h>
#include <minimap.h>
#include <model_text.h>
#include <service_legend.h>
#include <span_details.h>
#include <theme.h>
#include <trace_page.h>
#include <waterfall_painter.h>
#include <waterfall_view.h>

#include <QApplication>
#include <QHelpEvent>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QToolTip>
#include <QTreeView>

using namespace spanwise;

namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kUs = 1'000;
constexpr TimeNs kBase = 1'700'000'000'000'000'000;

// Span indices, depth-first:
//  0 api: GET /order                 0 .. 10 ms
//  1   auth: check                   0.1 .. 0.5 ms
//  2.. 10 db: SELECT item ×8         from 1 ms every 0.5 ms, 50, 100, … 400 µs; 4 fails
//  6        disk: read page          under 5 (the 4th call), 50 µs
//  11  cache: get                    5.5 .. 5.6 ms
//  12    cache: refill               5.55 .. 6.65 ms (outlives its short parent)
//  13..18 price: GET /price ×6       from 6 ms every 10 µs, 3 ms each: at once
std::shared_ptr<const Dataset> repeatsTrace()
{
    DatasetBuilder b;
    SpanId next = 1;
    auto add = [&](SpanId parent, const char* service, const char* op, TimeNs start, TimeNs end, bool failed = false) {
        SpanRecord r;
        r.traceId = {0, 0x99};
        r.id = next++;
        r.parentId = parent;
        r.start = kBase + start;
        r.end = kBase + end;
        r.service = b.intern(service);
        r.name = b.intern(op);
        r.status = failed ? StatusCode::Error : StatusCode::Unset;
        b.addSpan(r);
        return r.id;
    };
    const SpanId root = add(0, "api", "GET /order", 0, 10 * kMs);
    add(root, "auth", "check", 100 * kUs, 500 * kUs);
    for (int i = 0; i < 8; ++i) {
        const TimeNs start = kMs + i * 500 * kUs;
        const SpanId call = add(root, "db", "SELECT item", start, start + (i + 1) * 50 * kUs, i == 2);
        if (i == 3)
            add(call, "disk", "read page", start + 10 * kUs, start + 60 * kUs);
    }
    const SpanId cache = add(root, "cache", "get", 5500 * kUs, 5600 * kUs);
    add(cache, "cache", "refill", 5550 * kUs, 6650 * kUs);
    for (int i = 0; i < 6; ++i)
        add(root, "price", "GET /price", 6 * kMs + i * 10 * kUs, 9 * kMs + i * 10 * kUs);
    return std::make_shared<const Dataset>(b.finish(BuildOptions{false}));
}

std::vector<std::uint32_t> range(std::uint32_t from, std::uint32_t to) // [from, to]
{
    std::vector<std::uint32_t> v;
    for (std::uint32_t i = from; i <= to; ++i)
        v.push_back(i);
    return v;
}

std::vector<std::uint32_t> concat(std::vector<std::uint32_t> a, const std::vector<std::uint32_t>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The waterfall painted into an image, as the export paints it.
struct Painted {
    explicit Painted(const TraceViewState* state, bool dark = false) : painter(state)
    {
        QPalette palette = dark ? test::darkPalette() : QApplication::palette();
        painter.setPalette(palette);
        painter.setFont(QApplication::font());
        painter.setNameColumnWidth(300);
        image.fill(Qt::white);
        QPainter p(&image);
        painter.paint(p, image.rect(), 0, state->viewStart(), state->viewEnd());
    }
    int rowTop(const TraceViewState* state, std::uint32_t span) const
    {
        return painter.rulerHeight() + state->rowOf(span) * painter.rowHeight();
    }

    WaterfallPainter painter;
    QImage image{1200, 500, QImage::Format_ARGB32};
};

int distance(QColor a, QColor b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

// Clicks a row's cell at x (viewport coordinates).
void clickRow(WaterfallView* view, std::uint32_t span, int x)
{
    const int y = view->rulerHeight() +
                  (view->state()->rowOf(span) - view->verticalScrollBar()->value()) * view->rowHeight() +
                  view->rowHeight() / 2;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(x, y));
}

RowLayout layoutOf(WaterfallView* view, std::uint32_t span)
{
    const int step = view->painter().indentStep(view->verticalScrollBar()->value(),
                                                view->verticalScrollBar()->pageStep() + 1);
    return view->painter().rowLayout(span, step);
}

} // namespace

class TestRepeatRows : public QObject {
    Q_OBJECT
private slots:
    void runsFoldIntoOneRow()
    {
        TraceViewState state(repeatsTrace(), 0);
        QCOMPARE(state.repeatGroups().size(), std::size_t(2));
        QVERIFY(state.groupRepeats()); // on by default
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 2, 11, 12, 13}));
        const RepeatGroup* db = state.foldedGroupAt(2);
        QVERIFY(db);
        QCOMPARE(db->count, 8u);
        QCOMPARE(state.groupEnd(*db), 11u);
        QVERIFY(!db->concurrent);
        QVERIFY(state.foldedGroupAt(13) && state.foldedGroupAt(13)->concurrent);
        QVERIFY(!state.foldedGroupAt(1));
        QCOMPARE(state.rowSpanOf(7), 2u);
        QCOMPARE(state.rowSpanOf(6), 6u); // below a member, not a member

        state.setGroupRepeats(false);
        QCOMPARE(state.rows(), range(0, 18));
        QVERIFY(!state.foldedGroupAt(2));
        state.setGroupRepeats(true);
        state.setRepeatThreshold(7); // the fan-out of 6 no longer groups
        QCOMPARE(state.rows(), concat({0, 1, 2, 11, 12}, range(13, 18)));
        state.setRepeatThreshold(5);

        // A focus on the group's first call shows that call, not its siblings.
        state.focusOn(5);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{5, 6}));
        state.focusBack();
        state.setGroupFolded(2, true); // back, the focused call is selected: its group unfolded
        // Filters show the kept spans one by one.
        state.setSearchMatches({7});
        state.setRowFilter(TraceViewState::RowFilter::Matches);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 7}));
        state.setRowFilter(TraceViewState::RowFilter::All);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 2, 11, 12, 13}));
    }

    void keysUnfoldAndFold()
    {
        TraceViewState state(repeatsTrace(), 0);
        WaterfallView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        state.select(2);
        QTest::keyClick(&view, Qt::Key_Right); // unfolds: the calls as rows
        QCOMPARE(state.rows(), range(0, 13));
        QCOMPARE(state.selected(), 2u);
        QVERIFY(!state.foldedGroupAt(2));
        QVERIFY(state.unfoldedGroupAt(2));
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(state.selected(), 3u);
        QTest::keyClick(&view, Qt::Key_Left); // a call: back to its group's row, folded
        QCOMPARE(state.selected(), 2u);
        QVERIFY(state.foldedGroupAt(2));
        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(state.selected(), 11u); // past the whole group
        QTest::keyClick(&view, Qt::Key_Up);
        QTest::keyClick(&view, Qt::Key_Left); // the group row: to the parent
        QCOMPARE(state.selected(), 0u);
        // A call with children: Left collapses them first, then folds the group.
        state.setGroupFolded(2, false);
        state.select(5);
        QTest::keyClick(&view, Qt::Key_Left);
        QVERIFY(state.isCollapsed(5));
        QVERIFY(state.unfoldedGroupAt(2));
        QTest::keyClick(&view, Qt::Key_Left);
        QVERIFY(state.foldedGroupAt(2));
        QCOMPARE(state.selected(), 2u);
        QTest::keyClick(&view, Qt::Key_End);
        QCOMPARE(state.selected(), 13u); // the fan-out's row is the last
    }

    void clicksUnfoldAndFold()
    {
        TraceViewState state(repeatsTrace(), 0);
        WaterfallView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        clickRow(&view, 2, layoutOf(&view, 2).arrowLeft + 6);
        QVERIFY(state.unfoldedGroupAt(2));
        QCOMPARE(state.selected(), kNoIndex); // the arrow does not select
        QCOMPARE(state.rowOf(10), 10);
        // The first call's row carries the fold tag at its right end.
        const RowLayout layout = layoutOf(&view, 2);
        QVERIFY(layout.hiddenRight > layout.hiddenLeft);
        state.select(9);
        clickRow(&view, 2, (layout.hiddenLeft + layout.hiddenRight) / 2);
        QVERIFY(state.foldedGroupAt(2));
        QCOMPARE(state.rowOf(10), -1);
        QCOMPARE(state.selected(), 2u); // the selected call folded away: the group's row is selected
        state.select(0);
        clickRow(&view, 2, view.nameColumnWidth() + 300); // anywhere else: selects the group's row
        QCOMPARE(state.selected(), 2u);
    }

    void bandTicksAndTimes()
    {
        TraceViewState state(repeatsTrace(), 0);
        state.setViewRange(kBase, kBase + 10 * kMs);
        const RepeatGroup& db = *state.foldedGroupAt(2);
        QCOMPARE(groupTimesText(db), QStringLiteral("min 50.0 µs / median 200 µs / max 400 µs"));
        for (const bool dark : {false, true}) {
            state.setShowCriticalPath(false);
            Painted shot(&state, dark);
            const TimeScale scale = shot.painter.timeScale(shot.image.width(), state.viewStart(), state.viewEnd());
            const int top = shot.rowTop(&state, 2);
            const QRect lane(shot.painter.nameColumnWidth(), top, shot.image.width() - shot.painter.nameColumnWidth(),
                             shot.painter.rowHeight());
            const QRectF band = shot.painter.groupBandGeometry(db, lane, scale);
            QCOMPARE(band.left(), lane.left() + scale.toX(kBase + kMs));
            QCOMPARE(band.right(), lane.left() + scale.toX(kBase + 1 * kMs + 7 * 500 * kUs + 400 * kUs));
            const QColor service = state.serviceColors().color("db", dark);
            const QColor tick = dark ? service.lighter(125) : service.darker(135);
            const int y = static_cast<int>(band.top()) + 3;
            const QColor base = shot.painter.palette().color(QPalette::Base);
            for (int i = 0; i < 8; ++i) { // a tick at each call's start, the failed one red
                const int x = static_cast<int>(std::floor(lane.left() + scale.toX(kBase + kMs + i * 500 * kUs)));
                const QColor expected = i == 2 ? theme::error(dark) : tick;
                QVERIFY2(distance(shot.image.pixelColor(x, y), expected) < 12,
                         qPrintable(QStringLiteral("tick %1: %2").arg(i).arg(shot.image.pixelColor(x, y).name())));
                // Between ticks, the band: the service's colour over the background, pale.
                const QColor between = shot.image.pixelColor(x + 20, y);
                QVERIFY(distance(between, base) > 40);
                QVERIFY(distance(between, service) > 40);
                QVERIFY(distance(between, tick) > 40);
            }
            // Nothing left of the band.
            QVERIFY(distance(shot.image.pixelColor(static_cast<int>(band.left()) - 3, y), tick) > 60);
            // The critical path runs through the band, over the calls on it.
            const int middle = static_cast<int>(band.center().y());
            const int x = static_cast<int>(lane.left() + scale.toX(kBase + kMs + 3 * 500 * kUs + 100 * kUs));
            const QColor plain = shot.image.pixelColor(x, middle);
            state.setShowCriticalPath(true);
            Painted withPath(&state, dark);
            QVERIFY(distance(withPath.image.pixelColor(x, middle), plain) > 40);
            QCOMPARE(withPath.image.pixelColor(x, y), shot.image.pixelColor(x, y)); // the band's edge keeps its colour
        }
        // Calls closer than a pixel fold into one tick: the fan-out's start 10 µs apart.
        state.setViewRange(kBase, kBase + 100 * kMs);
        Painted shot(&state);
        const TimeScale scale = shot.painter.timeScale(shot.image.width(), state.viewStart(), state.viewEnd());
        QVERIFY(scale.nsPerPixel() > 60 * kUs);
        const int top = shot.rowTop(&state, 13);
        const QRect lane(shot.painter.nameColumnWidth(), top, shot.image.width() - shot.painter.nameColumnWidth(),
                         shot.painter.rowHeight());
        const QRectF band = shot.painter.groupBandGeometry(*state.foldedGroupAt(13), lane, scale);
        const QColor tick = state.serviceColors().color("price", false).darker(135);
        int ticks = 0;
        for (int x = static_cast<int>(band.left()) - 1; x < band.right(); ++x)
            ticks += distance(shot.image.pixelColor(x, static_cast<int>(band.top()) + 3), tick) < 12 ? 1 : 0;
        QVERIFY(ticks >= 1 && ticks <= 2);
    }

    void nameCellSaysCountServiceAndOperation()
    {
        TraceViewState state(repeatsTrace(), 0);
        WaterfallView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // The row is as wide as its text: "×8 db" and "SELECT item" measured, the error marker room kept.
        const RowLayout group = layoutOf(&view, 2);
        state.setGroupRepeats(false);
        const RowLayout plain = layoutOf(&view, 2);
        QCOMPARE(group.textLeft, plain.textLeft + RowLayout::kMarkerAdvance); // a call failed: marked
        const int plainWidth = view.painter().fittingNameColumnWidth(2, 1);
        state.setGroupRepeats(true);
        QVERIFY(view.painter().fittingNameColumnWidth(2, 1) > plainWidth); // "×8 " and the marker measured
    }

    void selectionAndSearchReachIntoAGroup()
    {
        TraceViewState state(repeatsTrace(), 0);
        state.select(2); // the first call: the group's row
        QVERIFY(state.foldedGroupAt(2));
        state.select(7); // another call: its group unfolds
        QVERIFY(state.unfoldedGroupAt(2));
        QVERIFY(state.rowOf(7) >= 0);
        state.setGroupFolded(2, true);
        QCOMPARE(state.rowOf(7), -1);
        state.setCollapsed(0, true);
        state.select(6); // below a call, under a collapsed root
        QVERIFY(state.rowOf(6) >= 0);
        QVERIFY(!state.isCollapsed(0));
        QVERIFY(state.unfoldedGroupAt(2));

        // A match inside a folded group marks the group's row.
        state.setGroupFolded(2, true);
        state.select(kNoIndex);
        state.setViewRange(kBase, kBase + 10 * kMs);
        Painted before(&state);
        const int y = before.rowTop(&state, 2) + before.painter.rowHeight() / 2;
        state.setSearchMatches({9});
        Painted after(&state);
        QVERIFY(distance(after.image.pixelColor(2, y), before.image.pixelColor(2, y)) > 10);
        const int next = after.rowTop(&state, 11) + 5; // not the next row
        QCOMPARE(after.image.pixelColor(2, next), before.image.pixelColor(2, next));
    }

    void nPlusOneFindingSelectsTheGroupRow()
    {
        TracePage page(repeatsTrace(), 0);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.sidePanels()->setCurrentWidget(page.findings());
        QTRY_VERIFY(page.findings()->model()->rowCount() > 0);
        FindingsModel* model = page.findings()->model();
        QModelIndex nPlusOne;
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex group = model->index(g, 0);
            if (model->groups()[g].kind == FindingKind::NPlusOne)
                nPlusOne = model->index(0, 0, group);
        }
        QVERIFY(nPlusOne.isValid());
        page.state()->setGroupFolded(2, true);
        page.state()->setCollapsed(0, true);
        page.findings()->list()->setCurrentIndex(nPlusOne);
        QCOMPARE(page.state()->selected(), 2u);
        QVERIFY(page.state()->foldedGroupAt(2)); // the group's row, not its calls
        QVERIFY(page.state()->rowOf(2) >= 0);
        QVERIFY(page.state()->isSearchMatch(9));
        QVERIFY(!page.waterfall()->barRect(2).isEmpty()); // scrolled into view
        // The details say what the row stands for, then show the first call.
        const QString details = page.details()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("8 repeated calls")), qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("one after another")));
        QVERIFY(details.contains(QStringLiteral("min 50.0 µs / median 200 µs / max 400 µs")));
        QTest::keyClick(page.waterfall(), Qt::Key_Right); // unfolded: the first call alone
        QVERIFY(!page.details()->toPlainText().contains(QStringLiteral("repeated calls")));
    }

    void exampleLoopIsOneRowAndItsFindingSelectsIt()
    {
        TracePage page(std::make_shared<const Dataset>(std::move(test::load(test::exampleTrace()).dataset)), 0);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        QCOMPARE(state->rows().size(), std::size_t(62 - 33)); // the 34 queries on one row
        const auto loop = std::find_if(state->rows().begin(), state->rows().end(),
                                       [&](std::uint32_t span) { return state->foldedGroupAt(span) != nullptr; });
        QVERIFY(loop != state->rows().end());
        QCOMPARE(state->foldedGroupAt(*loop)->count, 34u);
        QCOMPARE(QString::fromStdString(state->foldedGroupAt(*loop)->label),
                 QStringLiteral("pricing-service: SELECT shop.products"));
        page.sidePanels()->setCurrentWidget(page.findings());
        QTRY_VERIFY(page.findings()->model()->rowCount() > 0);
        FindingsModel* model = page.findings()->model();
        for (int g = 0; g < model->rowCount(); ++g) {
            if (model->groups()[g].kind == FindingKind::NPlusOne)
                page.findings()->list()->setCurrentIndex(model->index(0, 0, model->index(g, 0)));
        }
        QCOMPARE(state->selected(), *loop);
        QVERIFY(state->foldedGroupAt(*loop));
    }

    void shortSpansHide()
    {
        TraceViewState state(repeatsTrace(), 0);
        state.setGroupRepeats(false);
        QSignalSpy hiding(&state, &TraceViewState::hidingChanged);
        state.setMinimumDuration(120 * kUs);
        QCOMPARE(hiding.count(), 1);
        // Hidden: the 50 and 100 µs calls, the read under the 200 µs one; not the 100 µs cache get,
        // whose child is long enough.
        QCOMPARE(state.hiddenAsShort(), 3u);
        QCOMPARE(state.rows(), concat({0, 1, 4, 5, 7, 8, 9, 10, 11, 12}, range(13, 18)));
        state.setMinimumDuration(1 * kMs);
        QCOMPARE(state.rows(), concat({0, 11, 12}, range(13, 18))); // the cache get stays for its refill
        for (std::size_t i = 1; i < state.rows().size(); ++i) {     // never a row without its parent's
            const std::uint32_t parent = state.data().spans[state.rows()[i]].parent;
            QVERIFY(parent == kNoIndex || state.rowOf(parent) >= 0);
        }
        // Grouped: the group shows while one of its calls does; its row stands for all of them.
        state.setGroupRepeats(true);
        state.setMinimumDuration(120 * kUs);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 2, 11, 12, 13}));
        QCOMPARE(state.hiddenSpans(), 0u);
        state.setMinimumDuration(500 * kUs);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 11, 12, 13}));
        QCOMPARE(state.hiddenAsShort(), 10u); // auth, the 8 calls and the read
        state.showHiddenSpans();
        QCOMPARE(state.minimumDuration(), TimeNs(0));
        QCOMPARE(state.hiddenSpans(), 0u);
        QCOMPARE(state.rows(), (std::vector<std::uint32_t>{0, 1, 2, 11, 12, 13}));
    }

    void hiddenNoteShowsThemAgain()
    {
        TraceViewState state(repeatsTrace(), 0);
        WaterfallView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.grab();
        QVERIFY(view.painter().hiddenNoteRect().isEmpty());
        state.setMinimumDuration(500 * kUs);
        view.grab(); // painted
        const QRect note = view.painter().hiddenNoteRect();
        QVERIFY(!note.isEmpty());
        QVERIFY(note.right() < view.nameColumnWidth());
        QVERIFY(note.bottom() < view.rulerHeight());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, note.center());
        QCOMPARE(state.minimumDuration(), TimeNs(0));
        view.grab();
        QVERIFY(view.painter().hiddenNoteRect().isEmpty());
    }

    void toolTipsSayWhatTheRowAndTheNoteStandFor()
    {
        TraceViewState state(repeatsTrace(), 0);
        WaterfallView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto tipAt = [&](const QPoint& pos) {
            QHelpEvent help(QEvent::ToolTip, pos, view.viewport()->mapToGlobal(pos));
            QApplication::sendEvent(view.viewport(), &help);
            return QToolTip::isVisible() ? QToolTip::text() : QString();
        };
        const QRect band = view.barRect(2);
        QVERIFY(!band.isEmpty());
        const QString group = tipAt(band.center());
        QVERIFY2(group.contains(QStringLiteral("×8")) && group.contains(QStringLiteral("db: SELECT item")),
                 qPrintable(group));
        QVERIFY(group.contains(QStringLiteral("one after another")));
        QVERIFY(group.contains(QStringLiteral("1 call failed")));
        QVERIFY(group.contains(QStringLiteral("min 50.0 µs / median 200 µs / max 400 µs")));
        state.setMinimumDuration(500 * kUs);
        state.setServiceHidden("price", true);
        view.viewport()->grab();
        const QString note = tipAt(view.painter().hiddenNoteRect().center());
        QVERIFY2(note.contains(QStringLiteral("10 shorter than 500 µs")), qPrintable(note));
        QVERIFY(note.contains(QStringLiteral("6 of hidden services (price)")));
        QToolTip::hideText();
    }

    void legendHidesAService()
    {
        TracePage page(repeatsTrace(), 0);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* legend = page.findChild<ServiceLegend*>();
        QVERIFY(legend);
        TraceViewState* state = page.state();
        const QRect db = legend->serviceRect("db");
        QVERIFY(!db.isEmpty());
        const QPoint swatch(db.left() + 5, db.center().y());
        const QColor colour = state->serviceColors().color("db", false);
        QVERIFY(distance(legend->grab().toImage().pixelColor(swatch), colour) < 10);
        const auto dbPixelsInMinimap = [&] {
            const QImage overview = page.minimap()->grab().toImage();
            int n = 0;
            for (int y = 0; y < overview.height(); ++y)
                for (int x = 0; x < overview.width(); ++x)
                    n += distance(overview.pixelColor(x, y), colour) < 20 ? 1 : 0;
            return n;
        };
        QVERIFY(dbPixelsInMinimap() > 0);
        QTest::mouseClick(legend, Qt::LeftButton, {}, db.center());
        QVERIFY(state->isServiceHidden("db"));
        QCOMPARE(dbPixelsInMinimap(), 0); // gone from the overview too
        // Its calls leave the rows; the disk read under one stays, at its depth.
        QCOMPARE(state->rows(), (std::vector<std::uint32_t>{0, 1, 6, 11, 12, 13}));
        QCOMPARE(state->hiddenByService(), 8u);
        QCOMPARE(legend->swatches()[3].text, QStringLiteral("db"));
        QVERIFY(legend->swatches()[3].off);
        // Greyed: the swatch hollow.
        QVERIFY(distance(legend->grab().toImage().pixelColor(swatch), colour) > 60);
        page.waterfall()->viewport()->grab();
        QVERIFY(!page.waterfall()->painter().hiddenNoteRect().isEmpty());
        QTest::mouseClick(legend, Qt::LeftButton, {}, db.center()); // shown again
        QVERIFY(!state->isServiceHidden("db"));
        QCOMPARE(state->hiddenSpans(), 0u);
        QCOMPARE(state->rows(), (std::vector<std::uint32_t>{0, 1, 2, 11, 12, 13}));
        // Both kinds at once, then the note's click shows all.
        state->setServiceHidden("price", true);
        state->setMinimumDuration(500 * kUs);
        QCOMPARE(state->hiddenServices(), (std::vector<std::string_view>{"price"}));
        QCOMPARE(state->hiddenByService(), 6u);
        state->showHiddenSpans();
        QVERIFY(state->hiddenServices().empty());
    }

    void screenshots()
    {
        if (qEnvironmentVariableIsEmpty("SPANWISE_SCREENSHOT_DIR"))
            QSKIP("SPANWISE_SCREENSHOT_DIR not set");
        const auto loaded = [](const QString& path) {
            return std::make_shared<const Dataset>(std::move(test::load(path).dataset));
        };
        const std::pair<const char*, std::shared_ptr<const Dataset>> traces[] = {
            {"example", loaded(test::exampleTrace())},
            {"generated", loaded(test::generatedTrace(QStringLiteral("jaeger"), 3000))}};
        for (const auto& [name, dataset] : traces) {
            for (const QSize size : {QSize(1400, 860), QSize(1920, 1080)}) {
                for (const bool dark : {false, true}) {
                    TracePage page(dataset, 0);
                    if (dark)
                        page.setPalette(test::darkPalette());
                    page.resize(size);
                    page.show();
                    QVERIFY(QTest::qWaitForWindowExposed(&page));
                    const auto& groups = page.state()->repeatGroups();
                    QVERIFY(!groups.empty());
                    const auto widest = std::max_element(groups.begin(), groups.end(),
                                                         [](const RepeatGroup& a, const RepeatGroup& b) {
                        return a.count < b.count;
                    });
                    page.state()->select(widest->first);
                    page.state()->setMinimumDuration(std::string_view(name) == "example" ? 0 : 50 * kUs);
                    if (size.width() > 1400) // the band up close: a tick per call
                        page.waterfall()->zoomToSpan(widest->first);
                    QApplication::processEvents();
                    test::saveScreenshot(&page, qPrintable(QStringLiteral("repeats-%1-%2x%3-%4")
                                                               .arg(QLatin1String(name))
                                                               .arg(size.width())
                                                               .arg(size.height())
                                                               .arg(QLatin1String(dark ? "dark" : "light"))));
                }
            }
        }
    }
};

QTEST_MAIN(TestRepeatRows)
#include "tst_repeat_rows.moc"
