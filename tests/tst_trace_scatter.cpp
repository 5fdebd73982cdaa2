// The trace list's scatter plot: its arithmetic (axes, ticks, the hit grid), and the widget on a list
// page: hover, click, rubber band, the filter, colours, and comparing a typical trace with the slowest.

#include "dark_palette.h"
#include "described_trace.h"
#include "screenshot.h"

#include <trace_list_model.h>
#include <trace_list_page.h>
#include <trace_scatter.h>
#include <trace_scatter_math.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kJan2026 = 1'767'225'600'000'000'000; // 2026-01-01T00:00:00Z

struct TraceSpec {
    int startMs;
    int durationMs;
    QString operation;
    bool error = false;
    int children = 0;
};

// One trace per spec: a root span of service "web" and the given operation, with `children` spans.
std::shared_ptr<const TraceSet> makeSet(const std::vector<TraceSpec>& specs)
{
    DatasetBuilder b;
    std::uint64_t id = 1;
    for (const TraceSpec& spec : specs) {
        const qint64 start = spec.startMs * 1000LL;
        const qint64 end = start + spec.durationMs * 1000LL;
        QString description = u"r:-:%1:%2:web:%3%4"_s.arg(start).arg(end).arg(
            QString(spec.operation).replace(u' ', u'_'), spec.error ? u":e"_s : QString());
        for (int c = 0; c < spec.children; ++c)
            description += u" %1:r:%2:%3:db:query"_s.arg(QChar(u'a' + c)).arg(start).arg(start + 1);
        test::addDescribedTrace(b, {0, id++}, description);
    }
    auto data = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
    return std::make_shared<const TraceSet>(TraceSet::ofDataset(data, "set.json"));
}

// The list model's row of the trace that lasted `durationMs`.
int rowOfDuration(const TraceListPage& page, int durationMs)
{
    const TraceSet& set = page.proxy()->list()->set();
    for (std::size_t row = 0; row < set.traces.size(); ++row) {
        if (set.trace(set.traces[row]).duration() == durationMs * kMs)
            return static_cast<int>(row);
    }
    return -1;
}

TraceRef refOfDuration(const TraceListPage& page, int durationMs)
{
    return page.proxy()->list()->set().traces[static_cast<std::size_t>(rowOfDuration(page, durationMs))];
}

bool isRed(const QColor& c)
{
    return c.red() > 150 && c.red() > 1.6 * c.green() && c.red() > 1.6 * c.blue();
}

int colourDistance(const QColor& a, const QColor& b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

// How many of the pixels on a circle of radius r around a point have the colour (within a tolerance).
int pixelsOnCircle(const QImage& image, QPointF centre, double r, const QColor& colour)
{
    int count = 0;
    for (int a = 0; a < 360; a += 10) {
        const QPoint p = (centre + QPointF(r * std::cos(a * M_PI / 180), r * std::sin(a * M_PI / 180))).toPoint();
        count += colourDistance(image.pixelColor(p), colour) < 60;
    }
    return count;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<TraceSpec>)

class TestTraceScatter : public QObject {
    Q_OBJECT

private slots:
    void axisMapsLinearAndLog()
    {
        const ScatterAxis linear{.min = 0, .max = 200, .from = 300, .to = 100};
        QCOMPARE(linear.toPixel(0), 300.0);
        QCOMPARE(linear.toPixel(100), 200.0);
        QCOMPARE(linear.toValue(150), 150.0);
        const ScatterAxis log{.min = 1, .max = 1000, .from = 0, .to = 300, .log = true};
        QCOMPARE(log.toPixel(10), 100.0);
        QCOMPARE(log.toPixel(1000), 300.0);
        QCOMPARE(log.toPixel(0), 0.0); // no log of zero: on the axis's start
        QVERIFY(std::abs(log.toValue(200) - 100.0) < 1e-9);
        QVERIFY(prefersLogScale(1 * kMs, 500 * kMs));
        QVERIFY(!prefersLogScale(10 * kMs, 500 * kMs));
        QVERIFY(prefersLogScale(0, 500)); // zero counts as one nanosecond
        const ScatterAxis d = durationAxis(2 * kMs, 900 * kMs, true);
        QVERIFY(d.min < 2 * kMs && d.min > 0.5 * kMs);
        QVERIFY(d.max > 900 * kMs && d.max < 2000 * kMs);
        QCOMPARE(durationAxis(5, 5000, false).min, 0.0);
    }

    void durationTicksAreRoundAndApart()
    {
        ScatterAxis linear = durationAxis(0, 1 * kMs, false);
        linear.from = 300;
        linear.to = 0;
        const auto ticks = durationTicks(linear, 40);
        QVERIFY(ticks.size() >= 4);
        QCOMPARE(ticks.front().label, std::string("0"));
        QCOMPARE(ticks[1].label, std::string("200 µs"));
        for (std::size_t i = 1; i < ticks.size(); ++i)
            QVERIFY(std::abs(linear.toPixel(ticks[i].value) - linear.toPixel(ticks[i - 1].value)) >= 40);

        ScatterAxis log = durationAxis(1000, 1'000'000'000, true);
        log.from = 300;
        log.to = 0;
        std::vector<std::string> labels;
        for (const ScatterTick& t : durationTicks(log, 40))
            labels.push_back(t.label);
        QCOMPARE(labels, (std::vector<std::string>{"1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s"}));
        log.from = 1200; // room for 2 and 5 between the decades
        labels.clear();
        for (const ScatterTick& t : durationTicks(log, 40))
            labels.push_back(t.label);
        QVERIFY(std::find(labels.begin(), labels.end(), "20 ms") != labels.end());
        QVERIFY(std::find(labels.begin(), labels.end(), "500 µs") != labels.end());
        log.from = 120; // too little room: every third decade
        labels.clear();
        for (const ScatterTick& t : durationTicks(log, 40))
            labels.push_back(t.label);
        QCOMPARE(labels, (std::vector<std::string>{"1 µs", "1 ms", "1 s"}));
    }

    void wallClockTicksFitTheirLabels()
    {
        const auto width = [](const std::string& s) { return 7.0 * static_cast<double>(s.size()); };
        QCOMPARE(utcDate(kJan2026), std::string("2026-01-01"));
        QCOMPARE(utcDateTime(kJan2026 + 3'723'250 * kMs), std::string("2026-01-01 01:02:03.250"));
        // Three hours over 1000 pixels: the shortest round step that fits, labelled "HH:mm".
        const ScatterAxis hours{.min = 0, .max = 3.0 * 3600e9, .from = 0, .to = 1000};
        const auto ticks = wallClockTicks(hours, kJan2026, width, 20);
        QVERIFY(ticks.size() >= 4);
        QCOMPARE(ticks.front().label, std::string("00:00"));
        QCOMPARE(ticks[1].label, std::string("00:10")); // 55.6 px apart: the first round step that fits
        for (std::size_t i = 1; i < ticks.size(); ++i)
            QVERIFY(hours.toPixel(ticks[i].value) - hours.toPixel(ticks[i - 1].value) >= width(ticks[i].label) + 20);
        // Two seconds: a tenth of a second shown.
        const ScatterAxis seconds{.min = 0, .max = 2e9, .from = 0, .to = 1000};
        const auto fine = wallClockTicks(seconds, kJan2026 + 500 * kMs, width, 20);
        QVERIFY(fine.size() >= 4);
        QCOMPARE(fine.front().label, std::string("00:00:00.6"));
        // Weeks: dates.
        const ScatterAxis weeks{.min = 0, .max = 21 * 86400e9, .from = 0, .to = 800};
        QCOMPARE(wallClockTicks(weeks, kJan2026, width, 20).front().label, std::string("2026-01-01"));
    }

    void dotAreaFollowsSpanCount()
    {
        QCOMPARE(dotRadius(1, 1, 100, 2, 8), 2.0);
        QCOMPARE(dotRadius(100, 1, 100, 2, 8), 8.0);
        QCOMPARE(dotRadius(500, 1, 100, 2, 8), 8.0); // bounded
        const double mid = dotRadius(50, 1, 100, 2, 8);
        QVERIFY(mid > 2 && mid < 8);
    }

    void gridHitsLikeABruteForceSearch()
    {
        QRandomGenerator random(7);
        std::vector<DotGrid::Dot> dots;
        for (int i = 0; i < 3000; ++i)
            dots.push_back({random.bounded(800.0), random.bounded(300.0), 2 + random.bounded(6.0)});
        DotGrid grid;
        grid.build(dots, 800, 300, 16);
        for (int probe = 0; probe < 2000; ++probe) {
            const double x = random.bounded(800.0);
            const double y = random.bounded(300.0);
            int expected = -1;
            for (int i = static_cast<int>(dots.size()) - 1; i >= 0 && expected < 0; --i) {
                if (std::hypot(dots[i].x - x, dots[i].y - y) <= dots[i].radius)
                    expected = i; // the topmost disc under the point
            }
            if (expected < 0) {
                double best = 0;
                for (int i = 0; i < static_cast<int>(dots.size()); ++i) {
                    const double d = std::hypot(dots[i].x - x, dots[i].y - y);
                    if (d <= dots[i].radius + 3 && (expected < 0 || d < best)) {
                        expected = i;
                        best = d;
                    }
                }
            }
            QCOMPARE(grid.hit(x, y, 3), expected);
        }
        QCOMPARE(grid.hit(-50, -50, 3), -1);
    }

    void hoverNamesTheTraceAndClickOpensIt()
    {
        TraceListPage page(makeSet({{0, 10, u"GET /a"_s}, {1000, 40, u"GET /b"_s, true, 3}, {2000, 90, u"GET /c"_s}}));
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        QCOMPARE(scatter->dotCount(), 3);
        const int row = rowOfDuration(page, 40);
        const QPoint at = scatter->dotPosition(row)->toPoint();
        const QImage before = scatter->grab().toImage();
        QTest::mouseMove(scatter, at);
        QCOMPARE(scatter->hoveredRow(), row);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        QVERIFY2(tip.contains(u"web: GET /b"_s), qPrintable(tip));
        QVERIFY2(tip.contains(u"40.0 ms · 4 spans · 1 error"_s), qPrintable(tip));
        QVERIFY(tip.contains(page.proxy()->list()->index(row, TraceListModel::TraceId).data().toString()));
        QVERIFY(tip.contains(u"1970-01-01 00:00:01.000 UTC"_s));
        // The hovered dot is ringed.
        const QImage after = scatter->grab().toImage();
        const double r = 12;
        int changed = 0;
        for (int a = 0; a < 360; a += 10) {
            const QPoint p = at + QPoint(int(r * std::cos(a * M_PI / 180)), int(r * std::sin(a * M_PI / 180)));
            changed += before.pixelColor(p) != after.pixelColor(p);
        }
        QVERIFY2(changed > 10, qPrintable(QString::number(changed)));
        // Away from every dot: nothing hovered.
        QTest::mouseMove(scatter, at + QPoint(200, 0));
        QCOMPARE(scatter->hoveredRow(), -1);

        QSignalSpy opened(&page, &TraceListPage::traceOpened);
        QTest::mouseClick(scatter, Qt::LeftButton, {}, at);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).value<TraceRef>(), refOfDuration(page, 40));
        // Its row is made the list's current one.
        const QModelIndex current = page.table()->currentIndex();
        QCOMPARE(TraceListModel::traceAt(current), refOfDuration(page, 40));
        QVERIFY(page.table()->selectionModel()->isRowSelected(current.row()));
        // Ctrl+click adds to the selection without opening.
        const QPoint other = scatter->dotPosition(rowOfDuration(page, 90))->toPoint();
        QTest::mouseClick(scatter, Qt::LeftButton, Qt::ControlModifier, other);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(page.table()->selectionModel()->selectedRows().size(), 2);
        QVERIFY(page.compareButton()->isEnabled());
    }

    void rubberBandFiltersTheListToTheDotsInside()
    {
        std::vector<TraceSpec> specs;
        QRandomGenerator random(3);
        for (int i = 0; i < 400; ++i)
            specs.push_back({i * 250, 5 + static_cast<int>(random.bounded(2000)), u"GET /%1"_s.arg(i % 5),
                             random.bounded(10) == 0, static_cast<int>(random.bounded(20))});
        TraceListPage page(makeSet(specs));
        QAbstractItemModelTester tester(page.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        QCOMPARE(scatter->dotCount(), 400);
        const QRectF plot = scatter->plotRect();
        const QPoint from = (plot.topLeft() + QPointF(plot.width() * 0.3, plot.height() * 0.2)).toPoint();
        const QPoint to = (plot.topLeft() + QPointF(plot.width() * 0.6, plot.height() * 0.7)).toPoint();
        int inside = 0;
        for (int row = 0; row < 400; ++row) {
            const QPointF p = *scatter->dotPosition(row);
            inside += p.x() >= from.x() && p.x() <= to.x() && p.y() >= from.y() && p.y() <= to.y();
        }
        QVERIFY(inside > 5 && inside < 300);
        QTest::mousePress(scatter, Qt::LeftButton, {}, from);
        QTest::mouseMove(scatter, (from + to) / 2);
        QTest::mouseMove(scatter, to);
        QTest::mouseRelease(scatter, Qt::LeftButton, {}, to);
        QCOMPARE(page.proxy()->rowCount(), inside);
        QCOMPARE(page.table()->model()->rowCount(), inside);
        QVERIFY(page.proxy()->brush().has_value());
        QVERIFY(scatter->clearButton()->isVisible());
        QCOMPARE(scatter->dotCount(), 400); // the others stay, greyed
        int errorsInside = 0;
        for (int row = 0; row < page.proxy()->rowCount(); ++row)
            errorsInside += page.proxy()->index(row, TraceListModel::Errors).data(TraceListModel::SortRole).toInt() > 0;
        QVERIFY(errorsInside > 0);
        QVERIFY2(
            scatter->headline().startsWith(
                u"%1 of 400 traces in the selection · %2 with errors · dot area: "_s.arg(inside).arg(errorsInside)),
            qPrintable(scatter->headline()));
        test::saveScreenshot(&page, "scatter-brushed");
        // Esc from the list clears it.
        page.table()->setFocus();
        QTest::keyClick(page.table(), Qt::Key_Escape);
        QCOMPARE(page.proxy()->rowCount(), 400);
        QVERIFY(!page.proxy()->brush());
        QVERIFY(!scatter->clearButton()->isVisible());
        // Brushed again, "Clear selection" clears it.
        scatter->brushBetween(from, to);
        QCOMPARE(page.proxy()->rowCount(), inside);
        QTest::mouseClick(scatter->clearButton(), Qt::LeftButton);
        QCOMPARE(page.proxy()->rowCount(), 400);
        // With the scatter focused, Esc too.
        scatter->brushBetween(from, to);
        scatter->setFocus();
        QTest::keyClick(scatter, Qt::Key_Escape);
        QCOMPARE(page.proxy()->rowCount(), 400);
    }

    void brushedRegionIsTintedAndDotsOutsideGreyed_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void brushedRegionIsTintedAndDotsOutsideGreyed()
    {
        QFETCH(bool, dark);
        // Apart in time and duration: no dot overlaps another.
        TraceListPage page(makeSet({{0, 20, u"a"_s, false, 5},
                                    {10'000, 80, u"a"_s, false, 5},
                                    {20'000, 140, u"a"_s, true, 5},
                                    {30'000, 200, u"a"_s, false, 5},
                                    {40'000, 260, u"a"_s, true, 5}}));
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        scatter->setLogScale(false);
        const auto at = [&](int ms) { return *scatter->dotPosition(rowOfDuration(page, ms)); };
        const QImage before = scatter->grab().toImage();
        const QColor base = scatter->palette().color(QPalette::Base);
        // Around the middle three: between the first two dots and the last two.
        const QPointF from = (at(20) + at(80)) / 2;
        const QPointF to = (at(200) + at(260)) / 2;
        QTest::mousePress(scatter, Qt::LeftButton, {}, from.toPoint());
        QTest::mouseMove(scatter, ((from + to) / 2).toPoint());
        QTest::mouseMove(scatter, to.toPoint());
        QTest::mouseRelease(scatter, Qt::LeftButton, {}, to.toPoint());
        QCOMPARE(page.proxy()->rowCount(), 3);
        const QImage after = scatter->grab().toImage();
        test::saveScreenshot(scatter, dark ? "scatter-brush-dark" : "scatter-brush-light");

        // Inside the region, away from the dots, the plot is tinted with the highlight colour.
        const QColor highlight = scatter->palette().color(QPalette::Highlight);
        const QPoint inside = QPointF(at(80).x() + 30, (at(80).y() + at(140).y()) / 2).toPoint();
        const QColor tinted = after.pixelColor(inside);
        QVERIFY2(colourDistance(before.pixelColor(inside), tinted) >= 8,
                 qPrintable(before.pixelColor(inside).name() + u" → "_s + tinted.name()));
        QVERIFY2(colourDistance(tinted, highlight) < colourDistance(before.pixelColor(inside), highlight),
                 qPrintable(tinted.name()));
        // Outside, unchanged.
        const QPoint outside = QPointF(at(20).x() + 30, at(20).y()).toPoint();
        QCOMPARE(after.pixelColor(outside), before.pixelColor(outside));

        // The dots inside keep their colours, blue and red; those outside fade towards the plot.
        const QColor kept = after.pixelColor(at(80).toPoint()); // translucent: a little of the tint shows
        QVERIFY2(colourDistance(kept, before.pixelColor(at(80).toPoint())) < 30, qPrintable(kept.name()));
        QVERIFY(isRed(after.pixelColor(at(140).toPoint())));
        const QColor plain = before.pixelColor(at(20).toPoint());
        const QColor greyed = after.pixelColor(at(20).toPoint());
        QVERIFY2(plain.blue() > plain.red() + 40, qPrintable(plain.name()));
        QVERIFY2(colourDistance(greyed, base) < colourDistance(plain, base) &&
                     std::abs(greyed.blue() - greyed.red()) < 25,
                 qPrintable(greyed.name()));
        const QColor greyedError = after.pixelColor(at(260).toPoint());
        QVERIFY2(!isRed(greyedError) && colourDistance(greyedError, base) < colourDistance(plain, base),
                 qPrintable(greyedError.name()));
    }

    void listSelectionAndSortShowInThePlot()
    {
        TraceListPage page(makeSet({{0, 20, u"a"_s}, {10'000, 80, u"b"_s}, {20'000, 140, u"c"_s}}));
        QAbstractItemModelTester tester(page.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        const QColor highlight = scatter->palette().color(QPalette::Highlight);
        const auto at = [&](int ms) { return *scatter->dotPosition(rowOfDuration(page, ms)); };
        // No selection: no ring.
        QImage image = scatter->grab().toImage();
        for (const int ms : {20, 80, 140})
            QCOMPARE(pixelsOnCircle(image, at(ms), 6.5, highlight), 0);
        // The list sorted slowest first, and the first row made current with the keyboard: the slowest
        // dot is ringed in the highlight colour, the others not.
        page.table()->sortByColumn(TraceListModel::Duration, Qt::DescendingOrder);
        page.table()->setFocus();
        QTest::keyClick(page.table(), Qt::Key_Home);
        QCOMPARE(TraceListModel::traceAt(page.table()->currentIndex()), refOfDuration(page, 140));
        image = scatter->grab().toImage();
        const double ring = 3.5 + 2.5; // past the dot's radius, within the 2.5 px ring
        const auto ringed = [&](int ms) {
            for (double r = ring; r < ring + 4; r += 0.5) {
                if (pixelsOnCircle(image, at(ms), r, highlight) >= 30)
                    return true;
            }
            return false;
        };
        QVERIFY(ringed(140));
        QVERIFY(!ringed(80));
        QVERIFY(!ringed(20));
        // Down the sorted list: the ring moves to the next slowest.
        QTest::keyClick(page.table(), Qt::Key_Down);
        image = scatter->grab().toImage();
        QVERIFY(ringed(80));
        QVERIFY(!ringed(140));
        // Sorted the other way, the current trace keeps its ring.
        page.table()->sortByColumn(TraceListModel::Duration, Qt::AscendingOrder);
        image = scatter->grab().toImage();
        QVERIFY(ringed(80));
        QCOMPARE(scatter->dotCount(), 3);
    }

    void thousandsOfDotsFitTheirPlot_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        QTest::newRow("1400x860 light") << QSize(1400, 860) << false;
        QTest::newRow("1400x860 dark") << QSize(1400, 860) << true;
        QTest::newRow("1920x1080 light") << QSize(1920, 1080) << false;
        QTest::newRow("1920x1080 dark") << QSize(1920, 1080) << true;
    }

    void thousandsOfDotsFitTheirPlot()
    {
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        // Three thousand traces over ten minutes: log-normal durations, one in twenty failing.
        std::vector<TraceSpec> specs;
        QRandomGenerator random(11);
        for (int i = 0; i < 3000; ++i) {
            const double z = random.generateDouble() + random.generateDouble() + random.generateDouble() - 1.5;
            specs.push_back({i * 200, std::max(1, static_cast<int>(40 * std::exp(1.6 * z))), u"GET /%1"_s.arg(i % 7),
                             random.bounded(20) == 0, static_cast<int>(random.bounded(12))});
        }
        TraceListPage page(makeSet(specs));
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(size);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        QCOMPARE(scatter->dotCount(), 3000);
        // Every dot inside the plot, clear of its frame.
        const QRectF plot = scatter->plotRect();
        for (int row = 0; row < 3000; ++row) {
            const QPointF p = *scatter->dotPosition(row);
            QVERIFY2(plot.adjusted(8, 8, -8, -8).contains(p), qPrintable(u"row %1"_s.arg(row)));
        }
        // The plot takes most of the width, its controls and the list keep their room.
        QVERIFY(plot.width() > 0.8 * scatter->width());
        QVERIFY(!scatter->logScaleButton()->geometry().intersects(plot.toRect()));
        QVERIFY(page.table()->height() > scatter->height());
        const auto p = scatter->percentiles();
        QVERIFY(p[0] < p[1] && p[1] < p[2]);
        test::saveScreenshot(
            &page,
            qPrintable(
                u"scatter-3000-%1x%2-%3"_s.arg(size.width()).arg(size.height()).arg(dark ? u"dark"_s : u"light"_s)));
    }

    void listFilterShowsInThePlot()
    {
        std::vector<TraceSpec> specs;
        for (int i = 0; i < 60; ++i)
            specs.push_back({i * 100, 10 + i, i % 3 == 0 ? u"GET /cart"_s : u"GET /search"_s});
        TraceListPage page(makeSet(specs));
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(page.scatter()->dotCount(), 60);
        auto* filter = page.findChild<QLineEdit*>();
        QVERIFY(filter);
        QTest::keyClicks(filter, u"cart"_s);
        QCOMPARE(page.proxy()->rowCount(), 20);
        QCOMPARE(page.scatter()->dotCount(), 20);
        for (int row = 0; row < 60; ++row) {
            const bool cart = page.proxy()->list()->index(row, TraceListModel::RootOperation).data() == u"GET /cart"_s;
            QCOMPARE(page.scatter()->dotPosition(row).has_value(), cart);
        }
        // The percentiles follow the dots shown: cart traces last 10, 13, ..., 67 ms.
        QCOMPARE(page.scatter()->percentiles()[0], 37 * kMs);
        filter->clear();
        QCOMPARE(page.scatter()->dotCount(), 60);
        // Sorting the list moves no dot.
        const QPointF before = *page.scatter()->dotPosition(5);
        page.proxy()->sort(TraceListModel::Duration, Qt::DescendingOrder);
        QCOMPARE(*page.scatter()->dotPosition(5), before);
    }

    void degenerateSetsStayInsideThePlot_data()
    {
        QTest::addColumn<std::vector<TraceSpec>>("specs");
        QTest::newRow("one trace") << std::vector<TraceSpec>{{500, 40, u"a"_s}};
        QTest::newRow("same start, zero durations")
            << std::vector<TraceSpec>{{0, 0, u"a"_s}, {0, 0, u"b"_s}, {0, 3, u"c"_s}};
        QTest::newRow("all alike") << std::vector<TraceSpec>{{7, 12, u"a"_s}, {7, 12, u"a"_s}};
    }

    void degenerateSetsStayInsideThePlot()
    {
        QFETCH(std::vector<TraceSpec>, specs);
        TraceListPage page(makeSet(specs));
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        const auto rows = static_cast<int>(specs.size());
        for (const bool log : {false, true}) {
            scatter->setLogScale(log);
            QCOMPARE(scatter->dotCount(), rows);
            for (int row = 0; row < rows; ++row)
                QVERIFY2(scatter->plotRect().contains(*scatter->dotPosition(row)), qPrintable(u"row %1"_s.arg(row)));
            QVERIFY(scatter->rowAt(*scatter->dotPosition(0)) >= 0);
            // The whole plot brushed keeps every trace.
            const QRectF plot = scatter->plotRect();
            scatter->brushBetween(plot.topLeft(), plot.bottomRight());
            QCOMPARE(page.proxy()->rowCount(), rows);
            scatter->clearBrush();
        }
        // Nothing matching the filter: no dot, and a brush finds no trace.
        page.proxy()->setFilterFixedString(u"no such operation"_s);
        QCOMPARE(scatter->dotCount(), 0);
        QCOMPARE(scatter->rowAt(scatter->plotRect().center()), -1);
        scatter->brushBetween(scatter->plotRect().topLeft(), scatter->plotRect().center());
        QCOMPARE(page.proxy()->rowCount(), 0);
        QVERIFY(!scatter->grab().isNull());
    }

    void filterMatchesIdsNamesAndFiles()
    {
        // Two files: the file name is matched too.
        const auto file = [](const char* path, int durationMs, const QString& service) {
            DatasetBuilder b;
            test::addDescribedTrace(b, {0, static_cast<std::uint64_t>(durationMs)},
                                    u"r:-:0:%1:%2:GET_/x"_s.arg(durationMs * 1000).arg(service));
            return TraceSetFile{
                .path = path,
                .dataset = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}))};
        };
        TraceSet set;
        set.add(file("/data/before.json", 10, u"cart"_s));
        set.add(file("/data/after.json", 20, u"search"_s));
        TraceListPage page(std::make_shared<const TraceSet>(std::move(set)));
        QAbstractItemModelTester tester(page.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // "rows 1 / dots 1": the list's rows (of the list model) and the rows with a dot.
        const auto shown = [&](const QString& text) -> QString {
            page.proxy()->setFilterFixedString(text);
            QStringList rows;
            QStringList dots;
            for (int row = 0; row < page.proxy()->rowCount(); ++row)
                rows << QString::number(page.proxy()->mapToSource(page.proxy()->index(row, 0)).row());
            for (int row = 0; row < 2; ++row) {
                if (page.scatter()->dotPosition(row))
                    dots << QString::number(row);
            }
            rows.sort();
            return u"rows %1 / dots %2"_s.arg(rows.join(u' '), dots.join(u' '));
        };
        QCOMPARE(shown(u"AFTER.json"_s), u"rows 1 / dots 1"_s); // the file, case-insensitively
        QCOMPARE(shown(u"cart"_s), u"rows 0 / dots 0"_s);       // the root service
        QCOMPARE(shown(u"GET /x"_s), u"rows 0 1 / dots 0 1"_s); // the root operation
        const QString id = page.proxy()->list()->index(1, TraceListModel::TraceId).data().toString();
        QCOMPARE(shown(id.right(8)), u"rows 1 / dots 1"_s); // the trace id
        QCOMPARE(shown(u"nothing like it"_s), u"rows  / dots "_s);
        QCOMPARE(shown({}), u"rows 0 1 / dots 0 1"_s);
    }

    void logScaleToggles()
    {
        TraceListPage page(makeSet({{0, 1, u"a"_s}, {100, 10, u"a"_s}, {200, 1000, u"a"_s}}));
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        QVERIFY(scatter->logScale()); // three decades
        const auto y = [&](int ms) { return scatter->dotPosition(rowOfDuration(page, ms))->y(); };
        QVERIFY(std::abs((y(1) - y(10)) - (y(10) - y(1000)) / 2) < 1); // a decade each as tall
        scatter->logScaleButton()->click();
        QVERIFY(!scatter->logScale());
        QVERIFY(std::abs(y(1) - y(10)) < 0.02 * std::abs(y(1) - y(1000)));
    }

    void errorDotsAreRed_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void errorDotsAreRed()
    {
        QFETCH(bool, dark);
        TraceListPage page(
            makeSet({{0, 50, u"ok"_s, false, 5}, {1000, 150, u"fails"_s, true, 5}, {2000, 250, u"ok"_s, false, 5}}));
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QImage image = page.scatter()->grab().toImage();
        const QColor error = image.pixelColor(page.scatter()->dotPosition(rowOfDuration(page, 150))->toPoint());
        const QColor fine = image.pixelColor(page.scatter()->dotPosition(rowOfDuration(page, 50))->toPoint());
        QVERIFY2(isRed(error), qPrintable(error.name()));
        QVERIFY2(!isRed(fine), qPrintable(fine.name()));
        QVERIFY(fine != page.scatter()->palette().color(QPalette::Base)); // but drawn
        // The percentile labels sit right of the plot, apart from each other.
        QVERIFY(page.scatter()->plotRect().right() < page.scatter()->width() - 40);
        test::saveScreenshot(&page, dark ? "scatter-dark" : "scatter-light");
    }

    void plotMenuOpensAndComparesTheDotsOperation()
    {
        TraceListPage page(makeSet({{0, 10, u"checkout"_s},
                                    {1000, 50, u"checkout"_s},
                                    {2000, 30, u"checkout"_s},
                                    {3000, 5, u"search"_s},
                                    {4000, 100, u"search"_s}}));
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceScatter* scatter = page.scatter();
        QSignalSpy opened(&page, &TraceListPage::traceOpened);
        QSignalSpy compared(&page, &TraceListPage::compareRequested);
        // Right-clicks a point of the plot and triggers the menu's action of that text (none: closes it).
        const auto menuAt = [&](QPoint pos, const QString& choice) {
            QStringList texts;
            QTimer::singleShot(0, this, [&] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                if (!menu)
                    return;
                QAction* chosen = nullptr;
                for (QAction* action : menu->actions()) {
                    if (action->isSeparator())
                        continue;
                    texts << action->text() + (action->isEnabled() ? QString() : u" (disabled)"_s);
                    if (action->text() == choice)
                        chosen = action;
                }
                menu->close();
                if (chosen)
                    chosen->trigger();
            });
            QContextMenuEvent event(QContextMenuEvent::Mouse, pos, scatter->mapToGlobal(pos));
            QApplication::sendEvent(scatter, &event);
            return texts;
        };
        // On a checkout dot: it becomes the list's current row, and the typical checkout trace is compared
        // with the slowest, not the slowest trace of all (a search one).
        const QPoint checkout = scatter->dotPosition(rowOfDuration(page, 10))->toPoint();
        const QStringList texts = menuAt(checkout, u"Compare Typical with Slowest"_s);
        QCOMPARE(texts, (QStringList{u"Open"_s, u"Compare Selected (disabled)"_s, u"Compare Typical with Slowest"_s}));
        QCOMPARE(TraceListModel::traceAt(page.table()->currentIndex()), refOfDuration(page, 10));
        QCOMPARE(compared.count(), 1);
        QCOMPARE(compared.at(0).at(0).value<TraceRef>(), refOfDuration(page, 30));
        QCOMPARE(compared.at(0).at(1).value<TraceRef>(), refOfDuration(page, 50));
        QCOMPARE(opened.count(), 0);
        // Open.
        menuAt(scatter->dotPosition(rowOfDuration(page, 100))->toPoint(), u"Open"_s);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).value<TraceRef>(), refOfDuration(page, 100));
        // Away from the dots: no Open, the selection kept.
        const QRectF plot = scatter->plotRect();
        const QStringList empty = menuAt((plot.topLeft() + QPointF(plot.width() / 2, 3)).toPoint(), {});
        QCOMPARE(empty, (QStringList{u"Compare Selected (disabled)"_s, u"Compare Typical with Slowest"_s}));
        QCOMPARE(TraceListModel::traceAt(page.table()->currentIndex()), refOfDuration(page, 100));
    }

    void compareTypicalWithSlowest()
    {
        // checkout: 10..50 ms (median 30), search: 5 and 100 ms, login: one trace.
        TraceListPage page(makeSet({{0, 10, u"checkout"_s},
                                    {100, 50, u"checkout"_s},
                                    {200, 30, u"checkout"_s},
                                    {300, 20, u"checkout"_s},
                                    {400, 40, u"checkout"_s},
                                    {500, 5, u"search"_s},
                                    {600, 100, u"search"_s},
                                    {700, 7, u"login"_s}}));
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy compared(&page, &TraceListPage::compareRequested);
        // Nothing selected: the operation of the slowest trace shown (search).
        QVERIFY(page.compareTypicalButton()->isEnabled());
        QTest::mouseClick(page.compareTypicalButton(), Qt::LeftButton);
        QCOMPARE(compared.count(), 1);
        QCOMPARE(compared.at(0).at(0).value<TraceRef>(), refOfDuration(page, 5));
        QCOMPARE(compared.at(0).at(1).value<TraceRef>(), refOfDuration(page, 100));
        // A checkout trace selected: its median and its slowest.
        const auto select = [&](int ms) {
            for (int row = 0; row < page.proxy()->rowCount(); ++row) {
                const QModelIndex index = page.proxy()->index(row, 0);
                if (TraceListModel::traceAt(index) == refOfDuration(page, ms))
                    page.table()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                               QItemSelectionModel::Rows);
            }
        };
        select(20);
        page.compareTypicalAction()->trigger();
        QCOMPARE(compared.count(), 2);
        QCOMPARE(compared.at(1).at(0).value<TraceRef>(), refOfDuration(page, 30));
        QCOMPARE(compared.at(1).at(1).value<TraceRef>(), refOfDuration(page, 50));
        // One login trace: nothing to compare, and the tooltip says why.
        select(7);
        QVERIFY(!page.compareTypicalButton()->isEnabled());
        QVERIFY(!page.compareTypicalAction()->isEnabled());
        QVERIFY2(page.compareTypicalButton()->toolTip().contains(u"Only one trace of web: login"_s),
                 qPrintable(page.compareTypicalButton()->toolTip()));
        // The list filtered to checkout traces of 30 ms and more: among those.
        select(50);
        auto* filter = page.findChild<QLineEdit*>();
        filter->setText(u"checkout"_s);
        const double y30 = page.scatter()->dotPosition(rowOfDuration(page, 30))->y();
        page.scatter()->brushBetween(QPointF(0, 0), QPointF(page.scatter()->width(), y30 + 1));
        QCOMPARE(page.proxy()->rowCount(), 3);
        page.compareTypicalAction()->trigger();
        QCOMPARE(compared.count(), 3);
        QCOMPARE(compared.at(2).at(0).value<TraceRef>(), refOfDuration(page, 40));
        QCOMPARE(compared.at(2).at(1).value<TraceRef>(), refOfDuration(page, 50));
    }
};

QTEST_MAIN(TestTraceScatter)
#include "tst_trace_scatter.moc"
