// The side panels and the trace list laid out at the window's default size: nothing cut, nothing
// jumping, models that pass QAbstractItemModelTester.
#include <screenshot.h>
#include <test_support.h>

#include <analysis_panels.h>
#include <breakdown_model.h>
#include <findings_model.h>
#include <main_window.h>
#include <search_bar.h>
#include <span_details.h>
#include <trace_list_model.h>
#include <trace_list_page.h>
#include <trace_page.h>

#include <QAbstractItemModelTester>
#include <QAbstractTextDocumentLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextTable>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// The window at its default size with a file open; its trace page.
struct Window {
    MainWindow window;
    TracePage* page = nullptr;

    Window(const QString& file, QSize size)
    {
        window.resize(size);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return;
        window.openFile(file);
        if (!QTest::qWaitFor([&] { return window.currentTracePage() != nullptr; }, 30000))
            return;
        page = window.currentTracePage();
        QApplication::processEvents();
    }
};

// The window's default size, and a full HD screen.
void windowSizes()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1400x860") << QSize(1400, 860);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

QByteArray shotName(const char* what, QSize size)
{
    return QByteArray(what) + '-' + QByteArray::number(size.width()) + 'x' + QByteArray::number(size.height());
}

// The block of the details whose text contains `text`.
QTextBlock blockContaining(const QTextDocument* document, const QString& text)
{
    for (QTextBlock b = document->begin(); b.isValid(); b = b.next()) {
        if (b.text().contains(text))
            return b;
    }
    return {};
}

// The first span of the trace with a parent in the file.
std::uint32_t childSpan(const TraceViewState* state)
{
    for (std::uint32_t i = state->trace().first; i < state->trace().end_index(); ++i) {
        if (state->data().spans[i].parent != kNoIndex)
            return i;
    }
    return kNoIndex;
}

// Whether the proxy's rows are in `order` by `column`'s SortRole.
bool sortedBy(const QSortFilterProxyModel* proxy, int column, Qt::SortOrder order)
{
    for (int row = 1; row < proxy->rowCount(); ++row) {
        const QVariant a = proxy->index(row - 1, column).data(TraceListModel::SortRole);
        const QVariant b = proxy->index(row, column).data(TraceListModel::SortRole);
        const auto cmp = QVariant::compare(a, b);
        if (order == Qt::AscendingOrder ? cmp > 0 : cmp < 0)
            return false;
    }
    return true;
}

} // namespace

class TestPanels : public QObject {
    Q_OBJECT
private slots:
    void detailsGiveTheValuesTheRoomAndKeepIdsWhole_data() { windowSizes(); }
    void detailsGiveTheValuesTheRoomAndKeepIdsWhole()
    {
        QFETCH(QSize, size);
        Window w(test::exampleTrace(), size);
        QVERIFY(w.page);
        TraceViewState* state = w.page->state();
        const std::uint32_t child = childSpan(state);
        QVERIFY(child != kNoIndex);
        state->select(child);
        SpanDetails* details = w.page->details();
        QVERIFY(details->isVisible());
        QTextDocument* document = details->document();
        QAbstractTextDocumentLayout* layout = document->documentLayout();
        // The overview table spans the width; its value column has the room the keys leave.
        const auto frames = document->rootFrame()->childFrames();
        QVERIFY(!frames.isEmpty());
        auto* overview = qobject_cast<QTextTable*>(frames.front());
        QVERIFY(overview);
        const QRectF table = layout->frameBoundingRect(overview);
        const QRectF key = layout->blockBoundingRect(overview->cellAt(0, 0).firstCursorPosition().block());
        const QRectF value = layout->blockBoundingRect(overview->cellAt(0, 1).firstCursorPosition().block());
        const qreal valueWidth = table.right() - value.left();
        QVERIFY2(
            valueWidth >= 0.6 * details->viewport()->width(),
            qPrintable(QStringLiteral("value column %1 px of %2").arg(valueWidth).arg(details->viewport()->width())));
        QVERIFY(key.width() < value.left()); // the keys keep to their column
        // Every id is laid out on one line; at this width only the traceparent is elided, in its
        // middle, with the whole of it copied and in its tooltip.
        const Span& s = state->data().spans[child];
        const QString traceId = QString::fromStdString(toHex(state->trace().id));
        const QString whole = SpanDetails::traceparent(state->data(), state->trace(), child);
        const QString ids[] = {QString::fromStdString(toHex(s.id)), QString::fromStdString(toHex(s.parentId)), traceId,
                               QStringLiteral("00-") + traceId.left(8)};
        for (const QString& id : ids) {
            const QTextBlock block = blockContaining(document, id);
            QVERIFY2(block.isValid(), qPrintable(id));
            QCOMPARE(block.layout()->lineCount(), 1);
            QVERIFY(layout->blockBoundingRect(block).left() + block.layout()->lineAt(0).naturalTextWidth() <=
                    details->viewport()->width());
        }
        QVERIFY(!blockContaining(document, traceId).text().contains(QChar(0x2026))); // whole
        QVERIFY(details->toHtml().contains(QStringLiteral("href=\"copy:%1\"").arg(whole)));
        const auto toolTips = [](const QTextBlock& block) {
            QStringList tips;
            for (auto it = block.begin(); !it.atEnd(); ++it)
                tips << it.fragment().charFormat().toolTip();
            return tips;
        };
        QVERIFY2(toolTips(blockContaining(document, ids[3])).contains(whole),
                 qPrintable(toolTips(blockContaining(document, ids[3])).join(u',')));
        QVERIFY(!details->horizontalScrollBar()->isVisible());
        // Wider, the traceparent is whole too.
        w.page->findChild<QSplitter*>()->setSizes({700, 700});
        QApplication::processEvents();
        QCOMPARE(blockContaining(document, whole).layout()->lineCount(), 1);
        test::saveScreenshot(&w.window, shotName("details", size));
    }

    void detailsWrapLongValuesAtWords()
    {
        DatasetBuilder b;
        SpanRecord r;
        r.traceId = {0, 9};
        r.id = 1;
        r.start = 0;
        r.end = 100;
        r.name = b.intern("query");
        const std::string sentence = "SELECT id, name, price, quantity FROM cart_items WHERE cart_id = ? AND "
                                     "deleted_at IS NULL ORDER BY position";
        const Attribute attribute{b.intern("db.statement"), Value::string(b.intern(sentence))};
        r.attributes = b.appendAttributes({&attribute, 1});
        b.addSpan(r);
        TracePage page(std::make_shared<const Dataset>(b.finish()), 0);
        page.resize(1400, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.state()->select(0);
        const QTextBlock block = blockContaining(page.details()->document(), QStringLiteral("SELECT id"));
        QVERIFY(block.isValid());
        QVERIFY(block.layout()->lineCount() > 1); // narrower than the statement
        const QString text = block.text();
        for (int i = 0; i + 1 < block.layout()->lineCount(); ++i) {
            const QTextLine line = block.layout()->lineAt(i);
            const int end = line.textStart() + line.textLength();
            QVERIFY2(text.at(end - 1).isSpace() || text.at(end - 1) == QLatin1Char(','), qPrintable(text.left(end)));
        }
    }

    void parentIdLinkSelectsTheParent()
    {
        Window w(test::exampleTrace(), {1400, 860});
        QVERIFY(w.page);
        TraceViewState* state = w.page->state();
        const std::uint32_t child = childSpan(state);
        state->select(child);
        const std::uint32_t parent = state->data().spans[child].parent;
        SpanDetails* details = w.page->details();
        const QString parentId = QString::fromStdString(toHex(state->data().spans[child].parentId));
        // The parent id is a link to the parent's span, and says so in its tooltip.
        const QTextBlock block = blockContaining(details->document(), parentId);
        QVERIFY(block.isValid());
        bool linked = false;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (it.fragment().text().contains(parentId) && format.isAnchor()) {
                linked = format.anchorHref() == QStringLiteral("span:%1").arg(parent) &&
                         format.toolTip().contains(QStringLiteral("click to select"));
            }
        }
        QVERIFY(linked);
        // Click the parent id.
        const QTextCursor found = details->document()->find(parentId);
        QVERIFY(!found.isNull());
        QTextCursor middle = found;
        middle.setPosition((found.selectionStart() + found.selectionEnd()) / 2);
        const QPoint at = details->cursorRect(middle).center();
        QVERIFY(details->viewport()->rect().contains(at));
        QTest::mouseClick(details->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(state->selected(), parent);
        QVERIFY(state->rowOf(parent) >= 0);
        QVERIFY(details->toPlainText().contains(QString::fromStdString(toHex(state->data().spans[parent].id))));
    }

    void findBarKeepsItsFieldsStill()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1050, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        SearchBar* bar = page.searchBar();
        bar->open();
        QApplication::processEvents();
        const auto geometries = [bar] {
            QList<QRect> rects;
            for (QWidget* child : bar->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
                if (child->isVisible())
                    rects << child->geometry();
            }
            return rects;
        };
        const QList<QRect> before = geometries();
        QVERIFY(before.size() >= 8);
        QStringList counters;
        for (const QString& text : {QStringLiteral("zzz"), QStringLiteral("op"), QStringLiteral("db"), QString()}) {
            bar->field()->setText(text);
            QApplication::processEvents();
            counters << bar->status()->text();
            QCOMPARE(geometries(), before);
        }
        QCOMPARE(counters, (QStringList{u"no match"_s, u"1 of 4"_s, u"1 match"_s, u""_s}));
        bar->matchesOnly()->setChecked(true);
        bar->field()->setText(QStringLiteral("db"));
        QApplication::processEvents();
        QVERIFY(bar->status()->toolTip().contains(QStringLiteral("hidden")));
        QCOMPARE(geometries(), before);
        // The widest text fits the counter.
        const QString widest = QStringLiteral("%1 of %1").arg(QLocale().toString(999'999));
        QVERIFY(bar->status()->fontMetrics().horizontalAdvance(widest) <= bar->status()->contentsRect().width());
        // Placeholders are whole.
        for (QLineEdit* field : {bar->field(), bar->minDuration()}) {
            QVERIFY2(field->fontMetrics().horizontalAdvance(field->placeholderText()) < field->width() - 30,
                     qPrintable(field->placeholderText()));
        }
    }

    void findOptionsHaveTheirOwnMnemonics()
    {
        TracePage page(test::smallTrace(true), 0);
        page.resize(1050, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        SearchBar* bar = page.searchBar();
        bar->open();
        QSet<QKeySequence> keys;
        for (QAbstractButton* option :
             {static_cast<QAbstractButton*>(bar->errorsOnly()), static_cast<QAbstractButton*>(bar->matchesOnly())}) {
            const QKeySequence key = QKeySequence::mnemonic(option->text());
            QVERIFY2(!key.isEmpty(), qPrintable(option->text()));
            keys << key;
        }
        QCOMPARE(keys.size(), 2);
        // None takes a menu's: File, Edit, View, Help.
        for (const char* menu : {"Alt+F", "Alt+E", "Alt+V", "Alt+H"})
            QVERIFY(!keys.contains(QKeySequence(QString::fromLatin1(menu))));
        QVERIFY(bar->field()->hasFocus());
        QTest::keySequence(bar->field(), QKeySequence(QStringLiteral("Alt+O")));
        QTRY_VERIFY(bar->errorsOnly()->isChecked()); // an animated click
        QCOMPARE(page.state()->searchMatches(), (std::vector<std::uint32_t>{2}));
        QTest::keySequence(bar->field(), QKeySequence(QStringLiteral("Alt+M")));
        QTRY_VERIFY(bar->matchesOnly()->isChecked());
    }

    void sidePanelKeepsItsWidthOnEveryTab_data() { windowSizes(); }
    void sidePanelKeepsItsWidthOnEveryTab()
    {
        QFETCH(QSize, size);
        Window w(test::generatedTrace(QStringLiteral("jaeger"), 20000), size);
        QVERIFY(w.page);
        QTabWidget* side = w.page->sidePanels();
        const int width = side->width();
        QVERIFY(width > 0);
        for (int tab = 0; tab < side->count(); ++tab) {
            side->setCurrentIndex(tab);
            QApplication::processEvents();
            QCOMPARE(side->width(), width);
        }
        side->setCurrentIndex(0);
        QApplication::processEvents();
        QCOMPARE(side->width(), width);
        // Nor does the find bar push it aside.
        w.page->searchBar()->open();
        QApplication::processEvents();
        QVERIFY(w.page->searchBar()->isVisible());
        w.page->searchBar()->field()->setText(QStringLiteral("select"));
        QApplication::processEvents();
        QCOMPARE(side->width(), width);
        test::saveScreenshot(&w.window, shotName("find-bar", size));
    }

    void findingsAreGroupedByKind_data() { windowSizes(); }
    void findingsAreGroupedByKind()
    {
        QFETCH(QSize, size);
        Window w(test::generatedTrace(QStringLiteral("jaeger"), 20000), size);
        QVERIFY(w.page);
        FindingsPanel* panel = w.page->findings();
        w.page->sidePanels()->setCurrentWidget(panel);
        QApplication::processEvents();
        FindingsModel* model = panel->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::size_t total = model->findings().size();
        QVERIFY2(total > 100, qPrintable(QString::number(total)));
        QVERIFY(model->rowCount() >= 2);
        QCOMPARE(model->rowCount(), static_cast<int>(model->groups().size()));
        std::size_t counted = 0;
        TimeNs previousGroup = std::numeric_limits<TimeNs>::max();
        QTreeView* view = panel->list();
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex group = model->index(g, 0);
            const FindingsModel::Group& info = model->groups()[static_cast<std::size_t>(g)];
            QVERIFY(model->isGroup(group));
            const int rows = model->rowCount(group);
            counted += static_cast<std::size_t>(rows);
            // "Errors (12)": the kind and its count.
            QVERIFY2(group.data().toString().startsWith(FindingsModel::kindTitle(info.kind)),
                     qPrintable(group.data().toString()));
            QVERIFY2(group.data().toString().contains(QLocale().toString(rows)), qPrintable(group.data().toString()));
            QVERIFY(info.nanos <= previousGroup);
            previousGroup = info.nanos;
            QCOMPARE(view->isExpanded(group), rows <= FindingsPanel::kExpandedGroupLimit);
            TimeNs previous = std::numeric_limits<TimeNs>::max();
            for (int r = 0; r < rows; ++r) {
                const Finding& finding = model->findings()[info.findings[static_cast<std::size_t>(r)]];
                QCOMPARE(finding.kind, info.kind);
                QVERIFY(finding.nanos <= previous);
                previous = finding.nanos;
                // The whole text in the tooltip, whatever the view elides.
                QVERIFY(model->index(r, FindingsModel::Text, group)
                            .data(Qt::ToolTipRole)
                            .toString()
                            .contains(QString::fromStdString(finding.message).toHtmlEscaped()));
            }
        }
        QCOMPARE(counted, total);
        QCOMPARE(view->textElideMode(), Qt::ElideRight);
        QVERIFY(!view->horizontalScrollBar()->isVisible());
        test::saveScreenshot(&w.window, shotName("findings", size));

        // The filter keeps one kind, expanded however many.
        QComboBox* kinds = panel->kindFilter();
        QCOMPARE(kinds->count(), model->rowCount() + 1);
        QVERIFY(kinds->itemText(0).contains(QLocale().toString(static_cast<qulonglong>(total))));
        const FindingsModel::Group largest = *std::max_element(
            model->groups().begin(), model->groups().end(),
            [](const FindingsModel::Group& a, const FindingsModel::Group& b) {
            return a.findings.size() < b.findings.size();
            });
        kinds->setCurrentIndex(kinds->findData(static_cast<int>(largest.kind)));
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->rowCount(model->index(0, 0)), static_cast<int>(largest.findings.size()));
        QVERIFY(view->isExpanded(model->index(0, 0)));

        // A finding marks its spans; a group, all of its findings'.
        const QModelIndex first = model->index(0, 0, model->index(0, 0));
        view->setCurrentIndex(first);
        const Finding& finding = model->findings()[largest.findings.front()];
        std::vector<std::uint32_t> spans = finding.spans;
        std::sort(spans.begin(), spans.end());
        QCOMPARE(w.page->state()->searchMatches(), spans);
        QCOMPARE(w.page->state()->selected(), spans.front());
        view->setCurrentIndex(model->index(0, 0));
        QVERIFY(w.page->state()->searchMatches().size() >= largest.findings.size());
        kinds->setCurrentIndex(0);
        QCOMPARE(model->rowCount(), static_cast<int>(model->groups().size()));
    }

    void findingsModelWithoutFindings()
    {
        TracePage page(test::smallTrace(), 0);
        page.show();
        page.sidePanels()->setCurrentWidget(page.findings());
        QAbstractItemModelTester tester(page.findings()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page.findings()->model()->rowCount(), 0);
        QCOMPARE(page.findings()->summary()->text(), QStringLiteral("Nothing suspicious found."));
        QVERIFY(!page.findings()->kindFilter()->isEnabled());
    }

    void breakdownFitsWithoutScrollingSideways_data() { windowSizes(); }
    void breakdownFitsWithoutScrollingSideways()
    {
        QFETCH(QSize, size);
        Window w(test::exampleTrace(), size);
        QVERIFY(w.page);
        BreakdownPanel* panel = w.page->breakdown();
        w.page->sidePanels()->setCurrentWidget(panel);
        QApplication::processEvents();
        QTableView* table = panel->table();
        test::saveScreenshot(&w.window, shotName("breakdown", size));
        for (int grouping = 0; grouping < panel->grouping()->count(); ++grouping) {
            panel->grouping()->setCurrentIndex(grouping);
            QApplication::processEvents();
            QVERIFY(table->model()->rowCount() > 0);
            QVERIFY2(table->horizontalHeader()->length() <= table->viewport()->width(),
                     qPrintable(QStringLiteral("%1 > %2")
                                    .arg(table->horizontalHeader()->length())
                                    .arg(table->viewport()->width())));
            QVERIFY(!table->horizontalScrollBar()->isVisible());
            // The names take the room left: one name column gets at least 90 px, two share it.
            const int names =
                (table->isColumnHidden(BreakdownModel::Service) ? 0 : table->columnWidth(BreakdownModel::Service)) +
                (table->isColumnHidden(BreakdownModel::Operation) ? 0 : table->columnWidth(BreakdownModel::Operation));
            QVERIFY2(names >= 90, qPrintable(QString::number(names)));
            // Every number whole: its column as wide as its contents.
            for (int column = BreakdownModel::Count; column < BreakdownModel::ColumnCount; ++column) {
                if (!table->isColumnHidden(column))
                    QVERIFY(table->columnWidth(column) >=
                            static_cast<QAbstractItemView*>(table)->sizeHintForColumn(column));
            }
        }
        // The header's context menu shows the other columns.
        panel->grouping()->setCurrentIndex(0);
        QVERIFY(table->isColumnHidden(BreakdownModel::P95));
        QTimer::singleShot(0, this, [] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            QVERIFY(menu);
            const auto actions = menu->actions();
            const auto p95 = std::find_if(actions.begin(), actions.end(), [](QAction* a) {
                return a->text() == QStringLiteral("95th percentile of the durations");
            });
            QVERIFY(p95 != actions.end() && !(*p95)->isChecked());
            (*p95)->trigger();
            menu->close();
        });
        emit table->horizontalHeader()->customContextMenuRequested(QPoint(10, 5));
        QVERIFY(!table->isColumnHidden(BreakdownModel::P95));
        // Short headers say what they are in their tooltip.
        QCOMPARE(panel->model()->headerData(BreakdownModel::CriticalPath, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 QStringLiteral("Time on the critical path"));
    }

    void traceListSortIndicatorFollowsTheOrder()
    {
        const LoadResult r = test::load(
            test::generatedTrace(QStringLiteral("jaeger"), 2000, {QStringLiteral("--traces"), QStringLiteral("12")}));
        auto data = std::make_shared<const Dataset>(std::move(const_cast<Dataset&>(r.dataset)));
        TraceListPage page(std::make_shared<const TraceSet>(TraceSet::ofDataset(data)));
        page.resize(1400, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QAbstractItemModelTester tester(page.proxy()->sourceModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QHeaderView* header = page.table()->horizontalHeader();
        const auto check = [&] {
            return sortedBy(page.proxy(), header->sortIndicatorSection(), header->sortIndicatorOrder());
        };
        QCOMPARE(header->sortIndicatorSection(), int(TraceListModel::Start));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        QVERIFY(check());
        for (int column = TraceListModel::TraceId; column < TraceListModel::ColumnCount; ++column) {
            const QPoint at(header->sectionViewportPosition(column) + header->sectionSize(column) / 2,
                            header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
            QCOMPARE(header->sortIndicatorSection(), column);
            // Counts and durations start with the largest.
            QCOMPARE(header->sortIndicatorOrder(),
                     column >= TraceListModel::Duration ? Qt::DescendingOrder : Qt::AscendingOrder);
            QVERIFY2(check(), qPrintable(QStringLiteral("column %1").arg(column)));
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
            QCOMPARE(header->sortIndicatorOrder(),
                     column >= TraceListModel::Duration ? Qt::AscendingOrder : Qt::DescendingOrder);
            QVERIFY2(check(), qPrintable(QStringLiteral("column %1 flipped").arg(column)));
        }
        // The last column is as wide as its contents; the operation takes the room.
        QTableView* table = page.table();
        const int errors = table->columnWidth(TraceListModel::Errors);
        QVERIFY2(errors <= std::max(header->sectionSizeHint(TraceListModel::Errors),
                                    static_cast<QAbstractItemView*>(table)->sizeHintForColumn(TraceListModel::Errors)) +
                               4,
                 qPrintable(QString::number(errors)));
        QVERIFY(table->columnWidth(TraceListModel::RootOperation) > errors);
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        const QModelIndex operation = page.proxy()->index(0, TraceListModel::RootOperation);
        QCOMPARE(operation.data(Qt::ToolTipRole), operation.data()); // whole when elided
        test::saveScreenshot(&page, "trace-list");
    }
};

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"
