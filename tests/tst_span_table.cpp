// The Spans view: the virtual table model (values, sorting, filtering, attribute columns), the
// widget following the trace's view state both ways, copying, the headless painter, both themes.
#include <screenshot.h>
#include <test_support.h>

#include <dark_palette.h>
#include <search_bar.h>
#include <span_table_model.h>
#include <span_table_painter.h>
#include <span_table_view.h>
#include <theme.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace spanwise;

namespace {

std::shared_ptr<const Dataset> exampleData()
{
    return std::make_shared<const Dataset>(test::load(test::exampleTrace()).dataset);
}

QStringList column(const SpanTableModel& model, int column)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row)
        texts << model.text(row, column);
    return texts;
}

std::vector<SpanId> rowIds(const SpanTableModel& model)
{
    std::vector<SpanId> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.push_back(model.state()->data().spans[model.spanAt(row)].id);
    return ids;
}

QAction* menuAction(QMenu* menu, const QString& text)
{
    for (QAction* action : menu->actions()) {
        if (action->text() == text)
            return action;
        if (action->menu())
            if (QAction* inner = menuAction(action->menu(), text))
                return inner;
    }
    return nullptr;
}

} // namespace

class SpanTableTest : public QObject {
    Q_OBJECT

private slots:
    // root(0..1000 µs) → a(100..400) → a1(150..200); root → b(500..900).
    void values()
    {
        TraceViewState state(test::smallTrace(true), 0);
        SpanTableModel model(&state);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(SpanTableModel::FirstAttribute));
        QCOMPARE(column(model, SpanTableModel::Service),
                 (QStringList{QStringLiteral("frontend"), QStringLiteral("cart"), QStringLiteral("db"),
                              QStringLiteral("payment")}));
        QCOMPARE(column(model, SpanTableModel::Start),
                 (QStringList{QStringLiteral("0 ns"), QStringLiteral("100 µs"), QStringLiteral("150 µs"),
                              QStringLiteral("500 µs")}));
        QCOMPARE(column(model, SpanTableModel::Duration),
                 (QStringList{QStringLiteral("1.00 ms"), QStringLiteral("300 µs"), QStringLiteral("50.0 µs"),
                              QStringLiteral("400 µs")}));
        QCOMPARE(column(model, SpanTableModel::SelfTime),
                 (QStringList{QStringLiteral("300 µs"), QStringLiteral("250 µs"), QStringLiteral("50.0 µs"),
                              QStringLiteral("400 µs")}));
        QCOMPARE(column(model, SpanTableModel::SelfShare),
                 (QStringList{QStringLiteral("30.0 %"), QStringLiteral("25.0 %"), QStringLiteral("5.0 %"),
                              QStringLiteral("40.0 %")}));
        QCOMPARE(column(model, SpanTableModel::CriticalTime),
                 (QStringList{QStringLiteral("300 µs"), QStringLiteral("250 µs"), QStringLiteral("50.0 µs"),
                              QStringLiteral("400 µs")}));
        QCOMPARE(column(model, SpanTableModel::Errors),
                 (QStringList{QString(), QString(), QStringLiteral("error"), QString()}));
        QCOMPARE(model.data(model.index(2, SpanTableModel::Errors), Qt::ForegroundRole).value<QColor>(),
                 theme::error(false));
        QCOMPARE(model.data(model.index(1, SpanTableModel::Duration), SpanTableModel::SortRole).toDouble(), 300'000.0);
        QCOMPARE(model.headerData(SpanTableModel::SelfTime, Qt::Horizontal).toString(), QStringLiteral("Self time"));
        QCOMPARE(model.data(model.index(1, SpanTableModel::Operation), Qt::ToolTipRole).toString(),
                 QStringLiteral("op2"));
    }

    void itemModelTester()
    {
        TraceViewState state(exampleData(), 0);
        SpanTableModel model(&state);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int c = 0; c < model.columnCount(); ++c) {
            model.sort(c, Qt::AscendingOrder);
            model.sort(c, Qt::DescendingOrder);
        }
        // The example's payment call failed with an exception event.
        QVERIFY(column(model, SpanTableModel::Errors).contains(QStringLiteral("error, 1 exception")));
        const std::vector<StringId> keys = model.attributeKeys();
        QVERIFY(keys.size() > 5);
        model.addAttributeColumn(keys[0]);
        model.addAttributeColumn(keys[1]);
        model.sort(SpanTableModel::FirstAttribute + 1, Qt::DescendingOrder);
        model.setFilter(parseSpanQuery("db.system=*").query);
        QVERIFY(model.rowCount() > 0 && model.rowCount() < int(state.trace().count));
        model.removeAttributeColumn(keys[1]);
        QCOMPARE(model.sortColumn(), -1);
        state.focusOn(state.trace().first + 1);
        model.setFilter({});
        QCOMPARE(std::uint32_t(model.rowCount()), model.totalSpans());
        state.focusBack();
        QCOMPARE(std::uint32_t(model.rowCount()), state.trace().count);
    }

    void sortsEveryColumn()
    {
        TraceViewState state(exampleData(), 0);
        SpanTableModel model(&state);
        for (StringId key : model.attributeKeys())
            model.addAttributeColumn(key);
        for (int c = 0; c < model.columnCount(); ++c) {
            const bool text = c == SpanTableModel::Service || c == SpanTableModel::Operation ||
                              c >= SpanTableModel::FirstAttribute;
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                model.sort(c, order);
                QCOMPARE(model.rowCount(), int(state.trace().count));
                for (int row = 1; row < model.rowCount() && !text; ++row) {
                    const double a = model.data(model.index(row - 1, c), SpanTableModel::SortRole).toDouble();
                    const double b = model.data(model.index(row, c), SpanTableModel::SortRole).toDouble();
                    QVERIFY2(order == Qt::AscendingOrder ? a <= b : a >= b, qPrintable(QString::number(c)));
                }
                if (text && c < SpanTableModel::FirstAttribute) {
                    for (int row = 1; row < model.rowCount(); ++row) {
                        const int compared = model.text(row - 1, c).compare(model.text(row, c), Qt::CaseInsensitive);
                        QVERIFY(order == Qt::AscendingOrder ? compared <= 0 : compared >= 0);
                    }
                }
            }
        }
        // A numeric attribute sorts by number (9 before 10), spans without it last.
        const auto keys = model.attributeColumns();
        const int rowsColumn =
            SpanTableModel::FirstAttribute +
            int(std::find_if(keys.begin(), keys.end(),
                             [&](StringId k) { return state.data().str(k) == "db.response.returned_rows"; }) -
                keys.begin());
        QVERIFY(rowsColumn < model.columnCount());
        model.sort(rowsColumn, Qt::AscendingOrder);
        std::vector<qlonglong> numbers;
        bool blank = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString cell = model.text(row, rowsColumn);
            if (cell.isEmpty()) {
                blank = true;
                continue;
            }
            QVERIFY(!blank); // none before a value
            numbers.push_back(cell.toLongLong());
        }
        QVERIFY(numbers.size() > 10);
        QVERIFY(std::is_sorted(numbers.begin(), numbers.end()));
        QVERIFY(numbers.front() < numbers.back());

        // Sorting is stable: by duration, then by service, lists each service's spans by duration.
        model.sort(SpanTableModel::Duration, Qt::AscendingOrder);
        model.sort(SpanTableModel::Service, Qt::AscendingOrder);
        for (int row = 1; row < model.rowCount(); ++row) {
            if (model.text(row - 1, SpanTableModel::Service) == model.text(row, SpanTableModel::Service))
                QVERIFY(
                    model.data(model.index(row - 1, SpanTableModel::Duration), SpanTableModel::SortRole).toDouble() <=
                    model.data(model.index(row, SpanTableModel::Duration), SpanTableModel::SortRole).toDouble());
        }
        // No sort column: the trace's order again.
        model.sort(-1);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.spanAt(row), state.trace().first + std::uint32_t(row));
    }

    void filters()
    {
        TraceViewState state(test::smallTrace(true), 0);
        SpanTableView view(&state);
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.count()->text(), QStringLiteral("4 of 4 spans"));
        QTest::keyClicks(view.filterField(), QStringLiteral("service=db"));
        QCOMPARE(view.model()->rowCount(), 1);
        QCOMPARE(view.count()->text(), QStringLiteral("1 of 4 spans"));
        view.filterField()->setText(QStringLiteral("/^op[12]$/"));
        QCOMPARE(rowIds(*view.model()), (std::vector<SpanId>{1, 2}));
        view.filterField()->setText(QStringLiteral("duration>=300us status!=error"));
        QCOMPARE(rowIds(*view.model()), (std::vector<SpanId>{1, 2, 4}));
        QVERIFY(view.filterError()->isHidden());
        // An invalid query says what and where, and leaves the rows as they were.
        view.filterField()->setText(QStringLiteral("duration>=300us /(op/"));
        QVERIFY(view.filterError()->isVisible());
        QVERIFY2(view.filterError()->text().startsWith(QStringLiteral("Column 17: invalid regular expression")),
                 qPrintable(view.filterError()->text()));
        QCOMPARE(view.model()->rowCount(), 3);
        QVERIFY(!view.filterError()->geometry().intersects(view.filterField()->geometry()));
        QVERIFY(!view.filterError()->geometry().intersects(view.count()->geometry()));
        test::saveScreenshot(&view, "table-filter-error");
        view.filterField()->clear();
        QVERIFY(view.filterError()->isHidden());
        QCOMPARE(view.model()->rowCount(), 4);
        QVERIFY(view.filterField()->toolTip().contains(QStringLiteral("key=value")) ||
                view.filterField()->toolTip().contains(QStringLiteral("http.method=GET")));
    }

    // The find bar speaks the same language, and says what is wrong with a query.
    void findBarSharesTheLanguage()
    {
        TraceViewState state(test::smallTrace(true), 0);
        SearchBar bar(&state);
        bar.resize(1400, 40);
        bar.open();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        const std::uint32_t first = state.trace().first;
        QTest::keyClicks(bar.field(), QStringLiteral("status=error"));
        QCOMPARE(state.searchMatches(), std::vector<std::uint32_t>{first + 2});
        bar.field()->setText(QStringLiteral("/^op[34]$/ duration>100us"));
        QCOMPARE(state.searchMatches(), std::vector<std::uint32_t>{first + 3});
        QCOMPARE(bar.status()->text(), QStringLiteral("1 match"));
        QVERIFY(bar.error()->isHidden());
        bar.field()->setText(QStringLiteral("op note=\"unclosed"));
        QVERIFY(bar.error()->isVisible());
        QCOMPARE(bar.error()->text(), QStringLiteral("Column 9: expected a closing quote"));
        QCOMPARE(bar.error()->palette().color(QPalette::WindowText), theme::error(false));
        QVERIFY(state.searchMatches().empty());
        QCOMPARE(bar.status()->text(), QStringLiteral("invalid"));
        QVERIFY(!bar.error()->geometry().intersects(bar.field()->geometry()));
        test::saveScreenshot(&bar, "findbar-error");
        // The controls still add to the text: errors only.
        bar.field()->setText(QStringLiteral("op"));
        QCOMPARE(state.searchMatches().size(), std::size_t(4));
        bar.errorsOnly()->setChecked(true);
        QCOMPARE(state.searchMatches(), std::vector<std::uint32_t>{first + 2});
        QVERIFY(bar.field()->toolTip().contains(QStringLiteral("duration&gt;10ms")));
    }

    void sharesTheSelection()
    {
        TraceViewState state(test::smallTrace(), 0);
        SpanTableView view(&state);
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTableView* table = view.table();
        const std::uint32_t first = state.trace().first;
        // Clicking a row selects its span (and reveals it in the waterfall).
        state.setCollapsed(first + 1, true);
        QSignalSpy selected(&state, &TraceViewState::selectionChanged);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(view.model()->index(2, 1)).center());
        QCOMPARE(state.selected(), first + 2);
        QCOMPARE(selected.count(), 1);
        QVERIFY(!state.isCollapsed(first + 1));
        QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(state.selected(), first + 3);
        // The state's selection selects its row, whichever way the table is sorted.
        table->sortByColumn(SpanTableModel::Duration, Qt::DescendingOrder);
        QCOMPARE(table->currentIndex().row(), view.model()->rowOf(first + 3));
        state.select(first + 1);
        QCOMPARE(table->currentIndex().row(), view.model()->rowOf(first + 1));
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(view.model()->spanAt(table->selectionModel()->selectedRows().front().row()), first + 1);
        // Enter focuses on the selected span: only its subtree is listed.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(state.focusRoot(), first + 1);
        QCOMPARE(view.model()->rowCount(), 2);
        QCOMPARE(view.count()->text(), QStringLiteral("2 of 2 spans"));
        QCOMPARE(view.model()->rowOf(first + 3), -1);
        QCOMPARE(table->currentIndex().row(), view.model()->rowOf(first + 1));
        state.focusBack();
        QCOMPARE(view.model()->rowCount(), 4);
        // A selection outside the rows clears the table's.
        view.filterField()->setText(QStringLiteral("service=db"));
        state.select(first);
        QVERIFY(table->selectionModel()->selectedRows().isEmpty());
    }

    // A header click sorts (times longest first), the next reverses, the third restores the trace's order.
    void headerClicksSort()
    {
        TraceViewState state(test::smallTrace(), 0);
        SpanTableView view(&state);
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QHeaderView* header = view.table()->horizontalHeader();
        const QPoint duration(header->sectionViewportPosition(SpanTableModel::Duration) +
                                  header->sectionSize(SpanTableModel::Duration) / 2,
                              header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, duration);
        QCOMPARE(view.model()->sortColumn(), int(SpanTableModel::Duration));
        QCOMPARE(rowIds(*view.model()), (std::vector<SpanId>{1, 4, 2, 3})); // the longest first
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, duration);
        QCOMPARE(rowIds(*view.model()), (std::vector<SpanId>{3, 2, 4, 1}));
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, duration);
        QCOMPARE(view.model()->sortColumn(), -1);
        QCOMPARE(rowIds(*view.model()), (std::vector<SpanId>{1, 2, 3, 4}));
    }

    void marksSearchMatches()
    {
        for (bool dark : {false, true}) {
            TraceViewState state(test::smallTrace(), 0);
            SpanTableView view(&state);
            if (dark)
                view.setPalette(test::darkPalette());
            view.resize(900, 300);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            QSignalSpy changed(view.model(), &QAbstractItemModel::dataChanged);
            state.setSearchMatches({state.trace().first + 2});
            QCOMPARE(changed.count(), 1);
            const QColor match = theme::searchMatch(dark);
            QCOMPARE(view.model()->data(view.model()->index(2, 0), Qt::BackgroundRole).value<QColor>(), match);
            QVERIFY(!view.model()->data(view.model()->index(1, 0), Qt::BackgroundRole).isValid());
            // On screen: the match's row has the match colour, the others the table's base.
            const QImage shot = view.table()->viewport()->grab().toImage();
            const QRect matchRow = view.table()->visualRect(view.model()->index(2, SpanTableModel::Kind));
            const QRect plainRow = view.table()->visualRect(view.model()->index(0, SpanTableModel::Kind));
            QCOMPARE(shot.pixelColor(matchRow.center()).rgb(), match.rgb());
            QCOMPARE(shot.pixelColor(plainRow.center()).rgb(), view.table()->palette().color(QPalette::Base).rgb());
            QCOMPARE(hasDarkBase(view.table()->palette()), dark);
            // The error column's ink is the theme's shade for the background.
            QCOMPARE(
                view.model()->data(view.model()->index(0, SpanTableModel::Errors), Qt::ForegroundRole).value<QColor>(),
                theme::error(dark));
        }
    }

    void attributeColumns()
    {
        TraceViewState state(exampleData(), 0);
        SpanTableView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::unique_ptr<QMenu> menu(view.attributeMenu(&view));
        // Most frequent first: every span has otel.scope.name, some have db.statement.
        QList<QAction*> actions;
        for (QAction* action : menu->actions()) {
            if (action->isCheckable())
                actions << action;
        }
        QVERIFY(actions.size() > 10);
        const std::vector<StringId> keys = view.model()->attributeKeys();
        const std::string_view first = state.data().str(keys.front());
        QCOMPARE(actions.front()->text(), QString::fromUtf8(first.data(), qsizetype(first.size())));
        QAction* statement = menuAction(menu.get(), QStringLiteral("db.statement"));
        QAction* scope = menuAction(menu.get(), QStringLiteral("otel.scope.name"));
        QVERIFY(statement && scope);
        QVERIFY(actions.indexOf(scope) < actions.indexOf(statement));
        statement->trigger();
        QCOMPARE(view.model()->columnCount(), SpanTableModel::FirstAttribute + 1);
        QCOMPARE(view.model()->headerData(SpanTableModel::FirstAttribute, Qt::Horizontal).toString(),
                 QStringLiteral("db.statement"));
        QVERIFY(view.table()->columnWidth(SpanTableModel::FirstAttribute) > 40);
        // The filter's attribute term and the column agree.
        view.filterField()->setText(QStringLiteral("db.statement=SELECT*"));
        QVERIFY(view.model()->rowCount() > 0);
        for (int row = 0; row < view.model()->rowCount(); ++row)
            QVERIFY(view.model()->text(row, SpanTableModel::FirstAttribute).startsWith(QStringLiteral("SELECT")));
        // A new menu shows it checked; unchecking removes the column.
        menu.reset(view.attributeMenu(&view));
        statement = menuAction(menu.get(), QStringLiteral("db.statement"));
        QVERIFY(statement->isChecked());
        statement->trigger();
        QCOMPARE(view.model()->columnCount(), int(SpanTableModel::FirstAttribute));
        // A resource attribute is a column too.
        menuAction(menu.get(), QStringLiteral("host.name"))->trigger();
        view.filterField()->clear();
        int withHost = 0;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            withHost += !view.model()->text(row, SpanTableModel::FirstAttribute).isEmpty();
        QVERIFY(withHost > 50);
    }

    // The row menu narrows the filter to the row's service, operation or attribute value.
    void rowMenuFilters()
    {
        TraceViewState state(exampleData(), 0);
        SpanTableView view(&state);
        view.resize(1200, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::unique_ptr<QMenu> columns(view.attributeMenu(&view));
        menuAction(columns.get(), QStringLiteral("db.system"))->trigger();
        view.filterField()->setText(QStringLiteral("db.system=*"));
        const int withDb = view.model()->rowCount();
        QVERIFY(withDb > 0);
        const QModelIndex cell = view.model()->index(0, SpanTableModel::FirstAttribute);
        const QString system = view.model()->text(0, SpanTableModel::FirstAttribute);
        const QString service = view.model()->text(0, SpanTableModel::Service);
        std::unique_ptr<QMenu> menu(view.rowMenu(cell, &view));
        QAction* byValue = menuAction(menu.get(), QStringLiteral("Filter: db.system = %1").arg(system));
        QVERIFY(byValue && byValue->isEnabled());
        byValue->trigger();
        QCOMPARE(view.filterField()->text(), QStringLiteral("db.system=* db.system=\"%1\"").arg(system));
        menuAction(menu.get(), QStringLiteral("Filter: Service %1").arg(service))->trigger();
        QVERIFY(view.filterError()->isHidden());
        QVERIFY(view.model()->rowCount() > 0 && view.model()->rowCount() <= withDb);
        for (int row = 0; row < view.model()->rowCount(); ++row) {
            QCOMPARE(view.model()->text(row, SpanTableModel::Service), service);
            QCOMPARE(view.model()->text(row, SpanTableModel::FirstAttribute), system);
        }
        // Focus on Span, with its key shown.
        QAction* focus = menuAction(menu.get(), QStringLiteral("Focus on Span"));
        QCOMPARE(focus->shortcut(), QKeySequence(Qt::Key_Return));
        focus->trigger();
        QCOMPARE(state.focusRoot(), view.model()->spanAt(0));
    }

    void copiesRowsAsTsv()
    {
        TraceViewState state(test::smallTrace(true), 0);
        SpanTableView view(&state);
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTableView* table = view.table();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(view.model()->index(1, 0)).center());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ShiftModifier,
                          table->visualRect(view.model()->index(2, 0)).center());
        QApplication::clipboard()->clear();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0],
                 QStringLiteral("Service\tOperation\tStart\tDuration\tSelf time\tSelf %\tCritical path\tErrors\tKind"));
        QCOMPARE(lines[1], QStringLiteral("cart\top2\t100 µs\t300 µs\t250 µs\t25.0 %\t250 µs\t\t"));
        QCOMPARE(lines[2], QStringLiteral("db\top3\t150 µs\t50.0 µs\t50.0 µs\t5.0 %\t50.0 µs\terror\t"));
    }

    // The painter draws the table headless, as the window shows it.
    void paintsHeadless()
    {
        for (bool dark : {false, true}) {
            TraceViewState state(test::smallTrace(true), 0);
            SpanTableModel model(&state);
            state.select(state.trace().first + 1);
            state.setSearchMatches({state.trace().first + 3});
            SpanTablePainter painter(&model);
            const QPalette palette = dark ? test::darkPalette() : QGuiApplication::palette();
            painter.setPalette(palette);
            painter.setFont(QGuiApplication::font());
            QImage image(1000, 200, QImage::Format_RGB32);
            QPainter p(&image);
            painter.paint(p, image.rect());
            p.end();
            if (qEnvironmentVariableIsSet("SPANWISE_SCREENSHOT_DIR"))
                image.save(
                    qEnvironmentVariable("SPANWISE_SCREENSHOT_DIR") +
                    (dark ? QStringLiteral("/table-painter-dark.png") : QStringLiteral("/table-painter-light.png")));
            const int header = painter.headerHeight();
            const int rowH = painter.rowHeight();
            const int x = 995; // right of every column's text
            QCOMPARE(image.pixelColor(x, header / 2).rgb(), palette.color(QPalette::Button).rgb());
            QCOMPARE(image.pixelColor(x, header + 1 + rowH / 2).rgb(), palette.color(QPalette::Base).rgb());
            QCOMPARE(image.pixelColor(x, header + 1 + rowH + rowH / 2).rgb(), palette.color(QPalette::Highlight).rgb());
            QCOMPARE(image.pixelColor(x, header + 1 + 3 * rowH + rowH / 2).rgb(), theme::searchMatch(dark).rgb());
            // The service swatch of the first row has the service's colour; the error text its red.
            bool swatch = false;
            const QColor frontend = state.serviceColors().color("frontend", dark);
            for (int px = 0; px < 30 && !swatch; ++px)
                swatch = image.pixelColor(px, header + 1 + rowH / 2).rgb() == frontend.rgb();
            QVERIFY(swatch);
            // The text is antialiased: its core pixels are the error colour, its edges blends.
            const QColor error = theme::error(dark);
            int red = 0;
            for (int px = 0; px < 1000; ++px) {
                for (int py = header + 1 + 2 * rowH; py < header + 1 + 3 * rowH; ++py) {
                    const QColor c = image.pixelColor(px, py);
                    red += std::abs(c.red() - error.red()) + std::abs(c.green() - error.green()) +
                               std::abs(c.blue() - error.blue()) <
                           40;
                }
            }
            QVERIFY2(red >= 5, qPrintable(QString::number(red)));
        }
    }

    void screenshots_data()
    {
        QTest::addColumn<bool>("generated");
        QTest::addColumn<bool>("dark");
        QTest::addColumn<QSize>("size");
        for (bool generated : {false, true})
            for (bool dark : {false, true})
                for (QSize size : {QSize(1400, 860), QSize(1920, 1080)})
                    QTest::addRow("%s-%s-%d", generated ? "generated" : "example", dark ? "dark" : "light",
                                  size.width())
                        << generated << dark << size;
    }

    void screenshots()
    {
        QFETCH(bool, generated);
        QFETCH(bool, dark);
        QFETCH(QSize, size);
        auto data = generated ? std::make_shared<const Dataset>(
                                    test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000)).dataset)
                              : exampleData();
        TraceViewState state(data, 0);
        SpanTableView view(&state);
        if (dark)
            view.setPalette(test::darkPalette());
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::unique_ptr<QMenu> menu(view.attributeMenu(&view));
        menuAction(menu.get(), generated ? QStringLiteral("http.method") : QStringLiteral("db.statement"))->trigger();
        view.table()->sortByColumn(SpanTableModel::SelfTime, Qt::DescendingOrder);
        state.setSearchMatches(searchSpans(state.data(), state.trace(), parseSpanQuery("status=error").query));
        state.select(view.model()->spanAt(2));
        // Nothing overlaps: the filter, its count and the table sit side by side and below.
        QVERIFY(!view.filterField()->geometry().intersects(view.count()->geometry()));
        QVERIFY(view.filterField()->geometry().bottom() < view.table()->geometry().top());
        QVERIFY(view.count()->width() >= view.count()->sizeHint().width());
        test::saveScreenshot(&view,
                             qPrintable(QStringLiteral("table-%1-%2-%3")
                                            .arg(generated ? QStringLiteral("generated") : QStringLiteral("example"),
                                                 dark ? QStringLiteral("dark") : QStringLiteral("light"))
                                            .arg(size.width())));
    }
};

QTEST_MAIN(SpanTableTest)
#include "tst_span_table.moc"
