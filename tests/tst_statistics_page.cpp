// The Statistics page of a set: the groups' table (model tester, regrouping, sorting, red error
// rates in both themes), a histogram bar's click listing exactly its members, opening a trace from
// that list, the slowest 1 % naming the service that got slow, the set page's lazy tabs, and the
// Dependencies graph with its failed calls in red.
#include "dark_palette.h"
#include "screenshot.h"
#include "test_support.h"

#include <described_trace.h>
#include <graph_view.h>
#include <latency_histogram_view.h>
#include <set_graph_page.h>
#include <statistics_members_model.h>
#include <statistics_page.h>
#include <theme.h>
#include <trace_list_page.h>
#include <trace_set_page.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include <set>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

constexpr TimeNs kUs = 1000;
constexpr int kNormalTraces = 196;

// 196 traces "front: GET /cart" (front calling db), 1.00 ms to 2.95 ms, all different; 2 of them
// 600 ms long, spent in pay; 2 traces "front: POST /order" of 2 ms that fail. The slowest 1 %: the
// traces at or above the 198th smallest duration (2.95 ms), so the longest normal one and the two
// slow ones, whose extra time is pay's.
std::shared_ptr<const TraceSet> checkoutSet()
{
    DatasetBuilder b;
    std::uint64_t id = 1;
    for (int i = 0; i < kNormalTraces; ++i) {
        const int d = 1000 + 10 * i;
        test::addDescribedTrace(b, {0, id++}, u"r:-:0:%1:front:GET_/cart q:r:10:%2:db:query"_s.arg(d).arg(d - 10));
    }
    for (int i = 0; i < 2; ++i)
        test::addDescribedTrace(b, {0, id++}, u"r:-:0:600000:front:GET_/cart p:r:10:599990:pay:charge"_s);
    for (int i = 0; i < 2; ++i)
        test::addDescribedTrace(b, {0, id++}, u"r:-:0:2000:front:POST_/order:e"_s);
    auto data = std::make_shared<const Dataset>(b.finish(BuildOptions{.adjustClockSkew = false}));
    return std::make_shared<const TraceSet>(TraceSet::ofDataset(data, "checkout.json"));
}

// The proxy row whose key is `key`, -1 for none.
int rowOf(const StatisticsPage& page, const QString& key)
{
    const QSortFilterProxyModel* proxy = page.proxy();
    for (int row = 0; row < proxy->rowCount(); ++row) {
        if (proxy->index(row, StatisticsModel::Key).data().toString() == key)
            return row;
    }
    return -1;
}

QStringList keys(const StatisticsPage& page)
{
    QStringList result;
    for (int row = 0; row < page.proxy()->rowCount(); ++row)
        result << page.proxy()->index(row, StatisticsModel::Key).data().toString();
    return result;
}

bool waitReady(StatisticsPage& page)
{
    return QTest::qWaitFor([&] { return !page.isBusy(); }, 20000);
}

// Pixels of an image area within a few units of a colour on every channel.
int pixelsNear(const QImage& image, const QRect& area, const QColor& color, int tolerance = 40)
{
    int n = 0;
    const QRect r = area.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - color.red()) <= tolerance && std::abs(c.green() - color.green()) <= tolerance &&
                 std::abs(c.blue() - color.blue()) <= tolerance;
        }
    }
    return n;
}

// Saved once what was posted (delayed section resizes, layout requests) is done, as a user sees it.
void shoot(QWidget* widget, const QString& name)
{
    QTest::qWait(20);
    test::saveScreenshot(widget, qPrintable(name));
}

// The width of a table's visible columns.
int columnsWidth(const QTableView* table)
{
    int width = 0;
    for (int c = 0; c < table->model()->columnCount(); ++c)
        width += table->isColumnHidden(c) ? 0 : table->columnWidth(c);
    return width;
}

} // namespace

class TestStatisticsPage : public QObject {
    Q_OBJECT
private slots:
    void modelsPassTheTester()
    {
        StatisticsPage page(checkoutSet());
        QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester members(page.membersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(waitReady(page));
        QCOMPARE(page.model()->rowCount(), 2);
        page.setGrouping(StatisticsGrouping::Operation);
        QVERIFY(waitReady(page));
        page.histogram()->selectBucket(0);
        QVERIFY(page.membersModel()->rowCount() > 0);
        page.setComparingSlowest(true);
        page.setGrouping(StatisticsGrouping::Service);
        QVERIFY(waitReady(page));
    }

    void regroups()
    {
        StatisticsPage page(checkoutSet());
        QVERIFY(waitReady(page));
        QCOMPARE(page.grouping(), StatisticsGrouping::Root);
        QCOMPARE(page.model()->headerData(StatisticsModel::Key, Qt::Horizontal).toString(), u"Root operation"_s);
        QStringList roots = keys(page);
        roots.sort();
        QCOMPARE(roots, (QStringList{u"front: GET /cart"_s, u"front: POST /order"_s}));
        QCOMPARE(page.proxy()->index(rowOf(page, u"front: GET /cart"_s), StatisticsModel::Count).data().toString(),
                 u"198"_s);

        page.groupingBox()->setCurrentIndex(page.groupingBox()->findText(u"Service"_s));
        QVERIFY(page.isBusy());
        QVERIFY(waitReady(page));
        QStringList services = keys(page);
        services.sort();
        QCOMPARE(services, (QStringList{u"db"_s, u"front"_s, u"pay"_s}));
        QCOMPARE(page.model()->headerData(StatisticsModel::Count, Qt::Horizontal).toString(), u"Spans"_s);

        page.setGrouping(StatisticsGrouping::Operation);
        QVERIFY(waitReady(page));
        QCOMPARE(page.model()->rowCount(), 4);
        QVERIFY(rowOf(page, u"pay: charge"_s) >= 0);
    }

    void regroupingCancelsTheComputationUnderWay()
    {
        StatisticsPage page(checkoutSet());
        QSignalSpy ready(&page, &StatisticsPage::ready);
        page.setGrouping(StatisticsGrouping::Service);
        page.setGrouping(StatisticsGrouping::Operation);
        QVERIFY(waitReady(page));
        QTest::qWait(50); // what the abandoned computations return must not come after
        QCOMPARE(ready.count(), 1);
        QCOMPARE(page.model()->statistics()->all.grouping, StatisticsGrouping::Operation);
        QCOMPARE(page.model()->rowCount(), 4);
    }

    void sortsByAnyColumn()
    {
        StatisticsPage page(checkoutSet());
        QVERIFY(waitReady(page));
        page.setGrouping(StatisticsGrouping::Operation);
        QVERIFY(waitReady(page));
        // By p99 first, the largest first: the GET's 600 ms (its 197th of 198), then pay's 599.98 ms.
        QCOMPARE(keys(page).mid(0, 2), (QStringList{u"front: GET /cart"_s, u"pay: charge"_s}));
        page.table()->sortByColumn(StatisticsModel::Count, Qt::DescendingOrder);
        QCOMPARE(keys(page).mid(0, 2), (QStringList{u"front: GET /cart"_s, u"db: query"_s}));
        page.table()->sortByColumn(StatisticsModel::Errors, Qt::DescendingOrder);
        QCOMPARE(keys(page).front(), u"front: POST /order"_s);
        page.table()->sortByColumn(StatisticsModel::Key, Qt::AscendingOrder);
        QCOMPARE(keys(page),
                 (QStringList{u"db: query"_s, u"front: GET /cart"_s, u"front: POST /order"_s, u"pay: charge"_s}));
        // Durations sort as numbers, not as their text.
        page.table()->sortByColumn(StatisticsModel::Min, Qt::AscendingOrder);
        QCOMPARE(keys(page).front(), u"db: query"_s); // 980 µs
        QCOMPARE(keys(page).back(), u"pay: charge"_s);
        // Numbers are right-aligned, with units.
        const QModelIndex p50 = page.proxy()->index(0, StatisticsModel::P50);
        QCOMPARE(p50.data(Qt::TextAlignmentRole).value<Qt::Alignment>(), Qt::AlignRight | Qt::AlignVCenter);
        QVERIFY(p50.data().toString().endsWith(u"ms"_s));
    }

    void aBarsClickListsExactlyItsMembers()
    {
        StatisticsPage page(checkoutSet());
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(waitReady(page));
        page.table()->setCurrentIndex(page.proxy()->index(rowOf(page, u"front: GET /cart"_s), 0));
        LatencyHistogramView* histogram = page.histogram();
        const LatencyHistogram h = histogram->histogram();
        const StatisticsGroup& group = page.model()->statistics()->all.groups[std::size_t(page.currentGroup())];
        QCOMPARE(group.count, 198u);
        int checked = 0;
        for (int b = 0; b < int(h.counts.size()); ++b) {
            if (h.counts[std::size_t(b)] == 0)
                continue;
            const QRectF bar = histogram->barRect(b);
            QVERIFY(!bar.isEmpty());
            QVERIFY(histogram->plotRect().contains(bar.center()));
            QTest::mouseClick(histogram, Qt::LeftButton, {}, bar.center().toPoint());
            QCOMPARE(histogram->selectedBucket(), b);
            StatisticsMembersModel* members = page.membersModel();
            QCOMPARE(members->rowCount(), int(h.counts[std::size_t(b)]));
            const bool last = std::size_t(b) + 2 == h.edges.size();
            std::vector<TraceRef> expected;
            for (const StatisticsMember& m : group.members) {
                if (m.duration >= h.edges[std::size_t(b)] &&
                    (m.duration < h.edges[std::size_t(b) + 1] || (last && m.duration == h.edges.back())))
                    expected.push_back(m.trace);
            }
            std::vector<TraceRef> listed;
            for (int row = 0; row < members->rowCount(); ++row)
                listed.push_back(members->traceAt(row));
            std::sort(expected.begin(), expected.end());
            std::sort(listed.begin(), listed.end());
            QCOMPARE(listed, expected);
            ++checked;
        }
        QVERIFY(checked >= 2);
        // The last bar, clicked last: the two 600 ms traces. A second click unselects.
        const int last = int(h.counts.size()) - 1;
        QCOMPARE(h.counts.back(), 2u);
        QCOMPARE(histogram->selectedBucket(), last);
        QCOMPARE(page.membersModel()->rowCount(), 2);
        QVERIFY(page.membersModel()->index(0, StatisticsMembersModel::Duration).data().toString() == u"600 ms"_s);
        shoot(&page, u"statistics-bar"_s);
        QTest::mouseClick(histogram, Qt::LeftButton, {}, histogram->barRect(last).center().toPoint());
        QCOMPARE(histogram->selectedBucket(), -1);
        QCOMPARE(page.membersModel()->rowCount(), 0);
        // The keys walk the bars with members.
        histogram->setFocus();
        QTest::keyClick(histogram, Qt::Key_Left);
        QCOMPARE(histogram->selectedBucket(), last);
        QTest::keyClick(histogram, Qt::Key_Right);
        QCOMPARE(histogram->selectedBucket(), last);
        QTest::keyClick(histogram, Qt::Key_Escape);
        QCOMPARE(histogram->selectedBucket(), -1);
    }

    // The histogram by pixel, in both themes: each bar with members filled its height in the bar
    // colour (the selected one in its own), nothing of that colour over an empty bucket.
    void theHistogramPaintsEachBarItsHeight()
    {
        for (const bool dark : {false, true}) {
            StatisticsPage page(checkoutSet());
            if (dark)
                page.setPalette(test::darkPalette());
            page.resize(1400, 860);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QVERIFY(waitReady(page));
            page.table()->setCurrentIndex(page.proxy()->index(rowOf(page, u"front: GET /cart"_s), 0));
            LatencyHistogramView* histogram = page.histogram();
            const LatencyHistogram& h = histogram->histogram();
            const int last = int(h.counts.size()) - 1;
            QTest::mouseClick(histogram, Qt::LeftButton, {}, histogram->barRect(last).center().toPoint());
            QCOMPARE(histogram->selectedBucket(), last);
            QVERIFY(histogram->barColor() != histogram->selectedBarColor());
            const QImage image = histogram->grab().toImage();
            const QRectF plot = histogram->plotRect();
            const auto most = *std::max_element(h.counts.begin(), h.counts.end());
            const QRectF tallest = histogram->barRect(
                int(std::find(h.counts.begin(), h.counts.end(), most) - h.counts.begin()));
            QVERIFY(tallest.height() > plot.height() / 2);
            int empty = 0;
            for (int b = 0; b <= last; ++b) {
                const QColor fill = b == last ? histogram->selectedBarColor() : histogram->barColor();
                const QColor other = b == last ? histogram->barColor() : histogram->selectedBarColor();
                const double w = plot.width() / double(h.counts.size());
                const QRect column = QRectF(plot.left() + w * b, plot.top(), w, plot.height()).toAlignedRect();
                if (h.counts[std::size_t(b)] == 0) {
                    QCOMPARE(pixelsNear(image, column, histogram->barColor(), 6), 0);
                    QCOMPARE(pixelsNear(image, column, histogram->selectedBarColor(), 6), 0);
                    ++empty;
                    continue;
                }
                // Inside the bar (a marker's dashed line may cross it): nearly all of it in its colour.
                const QRect bar = histogram->barRect(b).toAlignedRect().adjusted(1, 1, -1, -1);
                const int area = bar.width() * bar.height();
                const int filled = pixelsNear(image, bar, fill, 6);
                QVERIFY2(filled * 10 >= area * 8, qPrintable(u"bucket %1: %2 of %3"_s.arg(b).arg(filled).arg(area)));
                QCOMPARE(pixelsNear(image, column, other, 6), 0);
                // Its height in proportion to its count (at least 2 pixels: one trace must show).
                const double expected = tallest.height() * h.counts[std::size_t(b)] / double(most);
                QVERIFY(std::abs(histogram->barRect(b).height() - std::max(expected, 2.0)) < 1);
            }
            QVERIFY(empty > 0); // between the ~2 ms traces and the 600 ms ones
        }
    }

    // No gap after the groups' columns, in either column set; the bar's title wraps without clipping.
    void theTablesFillTheirWidth()
    {
        StatisticsPage page(checkoutSet());
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(waitReady(page));
        QTableView* table = page.table();
        for (const StatisticsGrouping grouping :
             {StatisticsGrouping::Root, StatisticsGrouping::Service, StatisticsGrouping::Operation}) {
            page.setGrouping(grouping);
            QVERIFY(waitReady(page));
            QTRY_COMPARE(columnsWidth(table), table->viewport()->width());
            page.slowestBox()->click();
            QTRY_COMPARE(columnsWidth(table), table->viewport()->width());
            page.slowestBox()->click();
            QTRY_COMPARE(columnsWidth(table), table->viewport()->width());
        }
        page.setGrouping(StatisticsGrouping::Root);
        QVERIFY(waitReady(page));
        const int last = int(page.histogram()->histogram().counts.size()) - 1;
        QTest::mouseClick(page.histogram(), Qt::LeftButton, {}, page.histogram()->barRect(last).center().toPoint());
        QLabel* title = page.membersTitle();
        QVERIFY(!title->text().isEmpty());
        QTRY_VERIFY(title->height() >= title->heightForWidth(title->width()));
        QVERIFY(title->geometry().bottom() < page.membersView()->geometry().top());
    }

    void opensATraceFromTheBarsList()
    {
        const auto set = checkoutSet();
        StatisticsPage page(set);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(waitReady(page));
        page.table()->setCurrentIndex(page.proxy()->index(rowOf(page, u"front: GET /cart"_s), 0));
        const int last = int(page.histogram()->histogram().counts.size()) - 1;
        QTest::mouseClick(page.histogram(), Qt::LeftButton, {}, page.histogram()->barRect(last).center().toPoint());
        QCOMPARE(page.membersModel()->rowCount(), 2);
        QSignalSpy opened(&page, &StatisticsPage::traceOpened);
        QTableView* list = page.membersView();
        list->setFocus();
        list->setCurrentIndex(page.membersModel()->index(1, 0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        const auto ref = opened.takeFirst().at(0).value<TraceRef>();
        QCOMPARE(ref, page.membersModel()->traceAt(1));
        QCOMPARE(set->trace(ref).duration(), 600'000 * kUs);
        const QRect cell = list->visualRect(page.membersModel()->index(0, StatisticsMembersModel::Root));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, cell.center()); // the press a double-click follows
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.takeFirst().at(0).value<TraceRef>(), page.membersModel()->traceAt(0));
    }

    void errorRatesAreRedInBothThemes()
    {
        for (const bool dark : {false, true}) {
            StatisticsPage page(checkoutSet());
            if (dark)
                page.setPalette(test::darkPalette());
            page.resize(1400, 860);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            page.setGrouping(StatisticsGrouping::Service);
            QVERIFY(waitReady(page));
            // front's root spans of POST failed; db and pay never did. pay (the largest p99) is selected.
            const int front = rowOf(page, u"front"_s);
            const int db = rowOf(page, u"db"_s);
            QVERIFY(front >= 0 && db >= 0);
            QVERIFY(page.proxy()->index(front, StatisticsModel::Errors).data().toString() != u"0 %"_s);
            QCOMPARE(page.proxy()->index(db, StatisticsModel::Errors).data().toString(), u"0 %"_s);
            QTableView* table = page.table();
            const QImage image = table->viewport()->grab().toImage();
            const QColor red = theme::error(dark);
            const QRect frontCell = table->visualRect(page.proxy()->index(front, StatisticsModel::Errors));
            const QRect dbCell = table->visualRect(page.proxy()->index(db, StatisticsModel::Errors));
            const QRect dbCount = table->visualRect(page.proxy()->index(db, StatisticsModel::Count));
            QVERIFY2(pixelsNear(image, frontCell, red) > 5, dark ? "dark" : "light");
            QCOMPARE(pixelsNear(image, dbCell, red), 0);
            QCOMPARE(pixelsNear(image, dbCount, red), 0);
            shoot(&page, dark ? u"statistics-services-dark"_s : u"statistics-services-light"_s);
        }
    }

    void theSlowestTracesNameTheServiceThatGotSlow()
    {
        StatisticsPage page(checkoutSet());
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setGrouping(StatisticsGrouping::Service);
        QVERIFY(waitReady(page));
        QVERIFY(page.table()->isColumnHidden(StatisticsModel::CriticalDelta));
        QVERIFY(!page.summaryLabel()->isVisible());
        page.slowestBox()->click();
        QVERIFY(!page.table()->isColumnHidden(StatisticsModel::CriticalDelta));
        QVERIFY(!page.table()->isColumnHidden(StatisticsModel::CriticalSlowest));
        QVERIFY(page.table()->isColumnHidden(StatisticsModel::P50));
        QVERIFY(!page.table()->isColumnHidden(StatisticsModel::P99));
        QCOMPARE(keys(page).front(), u"pay"_s);
        const SetStatistics& s = *page.model()->statistics();
        QCOMPARE(s.slowestTraceCount, std::size_t(3));
        QCOMPARE(s.slowThreshold, (1000 + 10 * (kNormalTraces - 1)) * kUs);
        // pay: 599.98 ms on the critical path of 2 of the 3 slowest traces, of 2 of all 200.
        const int pay = page.proxy()->index(0, 0).data(StatisticsModel::GroupRole).toInt();
        QCOMPARE(std::llround(s.criticalPerSlowTrace(std::size_t(pay))), std::llround(599'980 * kUs * 2 / 3.0));
        QCOMPARE(std::llround(s.criticalPerTrace(std::size_t(pay))), std::llround(599'980 * kUs * 2 / 200.0));
        QVERIFY(page.summaryLabel()->isVisible());
        QVERIFY2(page.summaryLabel()->text().contains(u"<b>pay</b>"_s), qPrintable(page.summaryLabel()->text()));
        QVERIFY(page.proxy()->index(0, StatisticsModel::CriticalDelta).data().toString().startsWith(u"+"_s));
        shoot(&page, u"statistics-slowest"_s);
        page.slowestBox()->click();
        QVERIFY(page.table()->isColumnHidden(StatisticsModel::CriticalDelta));
        QVERIFY(!page.summaryLabel()->isVisible());
    }

    void theSetPageMakesItsTabsWhenShown()
    {
        const auto set = checkoutSet();
        TraceSetPage page(set);
        page.resize(1400, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.listPage());
        QVERIFY(!page.hasStatisticsPage());
        QVERIFY(!page.hasDependenciesPage());
        QSignalSpy opened(&page, &TraceSetPage::traceOpened);
        QSignalSpy compared(&page, &TraceSetPage::compareRequested);
        page.tabs()->setCurrentIndex(TraceSetPage::Statistics);
        QVERIFY(page.hasStatisticsPage());
        QVERIFY(!page.hasDependenciesPage());
        StatisticsPage* statistics = page.statisticsPage();
        QTRY_VERIFY(statistics->isVisible());
        QVERIFY(waitReady(*statistics));
        emit statistics->traceOpened(set->traces[3]);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).value<TraceRef>(), set->traces[3]);
        emit page.listPage()->traceOpened(set->traces[4]);
        emit page.listPage()->compareRequested(set->traces[1], set->traces[2]);
        QCOMPARE(opened.count(), 2);
        QCOMPARE(compared.count(), 1);
        page.tabs()->setCurrentIndex(TraceSetPage::Dependencies);
        QVERIFY(page.hasDependenciesPage());
        QVERIFY(QTest::qWaitFor([&] { return page.dependenciesPage()->view() != nullptr; }, 20000));
        QCOMPARE(page.dependenciesPage()->view()->painter().graph().nodes.size(), std::size_t(3));
    }

    // A generated set in every tab, at both sizes and in both themes: the statistics have groups
    // whose histogram has bars, the dependencies every service; screenshots to look at.
    void everyTabOfAGeneratedSet()
    {
        const LoadResult loaded = test::load(test::generatedTrace(u"jaeger"_s, 20000, {u"--traces"_s, u"200"_s}));
        auto data = std::make_shared<const Dataset>(std::move(const_cast<Dataset&>(loaded.dataset)));
        const auto set = std::make_shared<const TraceSet>(TraceSet::ofDataset(data, "generated.json"));
        QCOMPARE(set->traces.size(), std::size_t(200));
        std::set<std::string_view> services;
        for (const Trace& t : data->traces) {
            for (const std::string_view s : data->services(t))
                services.insert(s);
        }
        for (const bool dark : {false, true}) {
            for (const QSize size : {QSize(1400, 860), QSize(1920, 1080)}) {
                TraceSetPage page(set);
                if (dark)
                    page.setPalette(test::darkPalette());
                page.resize(size);
                page.show();
                QVERIFY(QTest::qWaitForWindowExposed(&page));
                const QString name =
                    u"set-%1x%2-%3"_s.arg(size.width()).arg(size.height()).arg(dark ? u"dark"_s : u"light"_s);
                shoot(&page, name + u"-traces"_s);
                page.tabs()->setCurrentIndex(TraceSetPage::Statistics);
                StatisticsPage* statistics = page.statisticsPage();
                QVERIFY(waitReady(*statistics));
                statistics->setGrouping(StatisticsGrouping::Service);
                QVERIFY(waitReady(*statistics));
                QCOMPARE(std::size_t(statistics->model()->rowCount()), services.size());
                LatencyHistogramView* histogram = statistics->histogram();
                const auto& counts = histogram->histogram().counts;
                QVERIFY(counts.size() > 5);
                // The fullest bar, clicked: its spans listed.
                const int fullest = int(std::max_element(counts.begin(), counts.end()) - counts.begin());
                QTest::mouseClick(histogram, Qt::LeftButton, {}, histogram->barRect(fullest).center().toPoint());
                QCOMPARE(statistics->membersModel()->rowCount(), int(counts[std::size_t(fullest)]));
                shoot(&page, name + u"-statistics"_s);
                statistics->setComparingSlowest(true);
                QTRY_COMPARE(columnsWidth(statistics->table()), statistics->table()->viewport()->width());
                QVERIFY(!statistics->summaryLabel()->text().isEmpty());
                shoot(&page, name + u"-slowest"_s);
                page.tabs()->setCurrentIndex(TraceSetPage::Dependencies);
                QVERIFY(QTest::qWaitFor([&] { return page.dependenciesPage()->view() != nullptr; }, 20000));
                QCOMPARE(page.dependenciesPage()->view()->painter().graph().nodes.size(), services.size());
                shoot(&page, name + u"-dependencies"_s);
            }
        }
    }

    void dependenciesShowFailedCallsInRed()
    {
        TraceSet made;
        made.add({.path = "a.json",
                  .dataset = test::describedTraces({u"a:-:0:100:front:GET b:a:10:50:cart:add c:b:20:40:db:query "
                                                    u"d:a:60:90:pay:charge:e"_s,
                                                    u"a:-:0:200:front:GET b:a:10:150:cart:add c:b:20:30:db:query"_s})});
        const auto set = std::make_shared<const TraceSet>(std::move(made));
        for (const bool dark : {false, true}) {
            SetGraphPage page(set);
            if (dark)
                page.setPalette(test::darkPalette());
            page.resize(1000, 600);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            QVERIFY(QTest::qWaitFor([&] { return page.view() != nullptr; }, 20000));
            GraphView* view = page.view();
            QVERIFY(QTest::qWaitForWindowExposed(view));
            const GraphPainter& painter = view->painter();
            const OperationGraph& g = painter.graph();
            QCOMPARE(g.nodes.size(), std::size_t(4));
            QCOMPARE(g.edges.size(), std::size_t(3));
            QVERIFY(painter.headerText().contains(u"2 traces"_s));
            shoot(&page, dark ? u"dependencies-dark"_s : u"dependencies-light"_s);
            const GraphPainter::View v = painter.view(view->rect());
            const QImage image = view->grab().toImage();
            const QColor red = theme::error(dark);
            const double line = QFontMetricsF(view->font()).height();
            for (std::size_t i = 0; i < g.edges.size(); ++i) {
                const GraphEdge& e = g.edges[i];
                // The middle of the label over the edge's middle.
                const QPointF middle = painter.geometry().edges[i].middle;
                const QRectF label(v.origin + (middle - QPointF(25, line * 0.9)) * v.scale,
                                   QSizeF(50, line * 0.8) * v.scale);
                const int redPixels = pixelsNear(image, label.toAlignedRect(), red);
                const QString name = painter.nodeDescription(e.from) + painter.nodeDescription(e.to);
                if (e.errors > 0)
                    QVERIFY2(redPixels > 5, qPrintable(name));
                else
                    QVERIFY2(redPixels == 0, qPrintable(name));
            }
        }
    }
};

QTEST_MAIN(TestStatisticsPage)
#include "tst_statistics_page.moc"
