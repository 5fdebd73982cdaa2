#include "trace_list_page.h"

#include "trace_list_model.h"
#include "trace_scatter.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace spanwise {

TraceListPage::TraceListPage(std::shared_ptr<const TraceSet> set, QWidget* parent) : QWidget(parent)
{
    auto* model = new TraceListModel(std::move(set), this);
    m_proxy = new TraceListFilter(model, this);
    auto* filter = new QLineEdit(this);
    filter->setPlaceholderText(model->set().files.size() > 1 ? tr("Filter by file, trace id, service or operation…")
                                                             : tr("Filter by trace id, service or operation…"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TraceListModel::Start, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8); // one line a row
    m_table->setAlternatingRowColors(true);
    m_table->setColumnHidden(TraceListModel::File, model->set().files.size() < 2);
    m_table->resizeColumnsToContents();
    // The operation takes the room left: it is the longest text, and the counts stay beside it.
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TraceListModel::RootOperation, QHeaderView::Stretch);
    connect(m_table, &QTableView::activated, this,
            [this](const QModelIndex& index) { emit traceOpened(TraceListModel::traceAt(index)); });

    m_scatter = new TraceScatter(m_proxy, this);
    connect(m_scatter, &TraceScatter::traceOpened, this, &TraceListPage::traceOpened);
    connect(m_scatter, &TraceScatter::rowClicked, this, &TraceListPage::selectClickedRow);
    connect(m_scatter, &TraceScatter::menuRequested, this, [this](int sourceRow, const QPoint& globalPos) {
        if (sourceRow < 0) {
            showMenu(std::nullopt, globalPos);
            return;
        }
        selectClickedRow(sourceRow, {}); // the typical trace is then of its operation
        showMenu(m_proxy->list()->set().traces[static_cast<std::size_t>(sourceRow)], globalPos);
    });
    auto* clearBrush = new QShortcut(QKeySequence(Qt::Key_Escape), this, m_scatter, &TraceScatter::clearBrush,
                                     Qt::WidgetWithChildrenShortcut);
    clearBrush->setEnabled(false);
    connect(m_proxy, &TraceListFilter::brushChanged, clearBrush,
            [this, clearBrush] { clearBrush->setEnabled(m_proxy->brush().has_value()); });

    m_compareAction = new QAction(tr("Compare Selected"), this);
    m_compare = new QPushButton(m_compareAction->text(), this);
    m_compare->setToolTip(tr("Select two traces (Ctrl+click) to compare them: the upper one is A"));
    connect(m_compare, &QPushButton::clicked, m_compareAction, &QAction::trigger);
    connect(m_compareAction, &QAction::triggered, this, [this] {
        const std::vector<TraceRef> traces = selectedTraces();
        if (traces.size() == 2)
            emit compareRequested(traces[0], traces[1]);
    });
    m_compareTypicalAction = new QAction(tr("Compare Typical with Slowest"), this);
    m_compareTypical = new QPushButton(m_compareTypicalAction->text(), this);
    connect(m_compareTypical, &QPushButton::clicked, m_compareTypicalAction, &QAction::trigger);
    connect(m_compareTypicalAction, &QAction::triggered, this, [this] {
        if (const auto pair = typicalAndSlowest().traces)
            emit compareRequested(pair->first, pair->second);
    });
    QItemSelectionModel* selection = m_table->selectionModel();
    connect(selection, &QItemSelectionModel::selectionChanged, this, &TraceListPage::updateActions);
    connect(selection, &QItemSelectionModel::currentRowChanged, this, &TraceListPage::updateActions);
    // A filter or a brush removes and inserts rows range by range: the actions are updated once after.
    const auto rowsChanged = [this] {
        if (std::exchange(m_actionsPending, true))
            return;
        QMetaObject::invokeMethod(
            this,
            [this] {
            m_actionsPending = false;
            updateActions();
            },
            Qt::QueuedConnection);
    };
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, rowsChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, rowsChanged);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, rowsChanged);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_table->indexAt(pos);
        showMenu(index.isValid() ? std::optional(TraceListModel::traceAt(index)) : std::nullopt,
                 m_table->viewport()->mapToGlobal(pos));
    });
    updateActions();

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_scatter);
    m_splitter->addWidget(m_table);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1); // the plot a third of the height, the list the rest
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({1000, 2000});
    auto* top = new QHBoxLayout;
    top->addWidget(filter, 1);
    top->addWidget(m_compare);
    top->addWidget(m_compareTypical);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);
}

std::vector<TraceRef> TraceListPage::selectedTraces() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<TraceRef> traces;
    for (const QModelIndex& row : rows)
        traces.push_back(TraceListModel::traceAt(row));
    return traces;
}

TraceListPage::TypicalPair TraceListPage::typicalAndSlowest() const
{
    const int rows = m_proxy->rowCount();
    if (rows == 0)
        return {.traces = std::nullopt, .why = tr("No trace is in the list")};
    const auto duration = [this](int row) {
        return m_proxy->index(row, TraceListModel::Duration).data(TraceListModel::SortRole).toLongLong();
    };
    const auto operation = [this](int row) -> QString {
        return m_proxy->index(row, TraceListModel::RootService).data().toString() + u": "_s +
               m_proxy->index(row, TraceListModel::RootOperation).data().toString();
    };
    // The operation of the selected trace (the current one among several), else of the slowest shown.
    int anchor = -1;
    QItemSelectionModel* selection = m_table->selectionModel();
    const QModelIndex current = selection->currentIndex();
    if (current.isValid() && selection->isRowSelected(current.row()))
        anchor = current.row();
    else if (const QModelIndexList selected = selection->selectedRows(); !selected.isEmpty())
        anchor = selected.front().row();
    if (anchor < 0) {
        anchor = 0;
        for (int row = 1; row < rows; ++row) {
            if (duration(row) > duration(anchor))
                anchor = row;
        }
    }
    const QString key = operation(anchor);
    std::vector<std::pair<qlonglong, TraceRef>> traces;
    for (int row = 0; row < rows; ++row) {
        if (operation(row) == key)
            traces.emplace_back(duration(row), TraceListModel::traceAt(m_proxy->index(row, 0)));
    }
    if (traces.size() < 2)
        return {.traces = std::nullopt,
                .why = tr("Only one trace of %1 is in the list: there is nothing to compare it with").arg(key)};
    std::sort(traces.begin(), traces.end());
    return {.traces = std::pair(traces[(traces.size() - 1) / 2].second, traces.back().second),
            .why = tr("Compare a trace of median duration of %1 (A) with its slowest (B), among the %2 in the list")
                       .arg(key)
                       .arg(traces.size())};
}

void TraceListPage::updateActions()
{
    const bool two = selectedTraces().size() == 2;
    m_compareAction->setEnabled(two);
    m_compare->setEnabled(two);
    const TypicalPair pair = typicalAndSlowest();
    m_compareTypicalAction->setEnabled(pair.traces.has_value());
    m_compareTypicalAction->setToolTip(pair.why);
    m_compareTypical->setEnabled(pair.traces.has_value());
    m_compareTypical->setToolTip(pair.why);
    showScatterSelection();
}

void TraceListPage::showScatterSelection()
{
    std::vector<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.push_back(m_proxy->mapToSource(index).row());
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    m_scatter->setSelectedRows(std::move(rows), current.isValid() ? m_proxy->mapToSource(current).row() : -1);
}

void TraceListPage::selectClickedRow(int sourceRow, Qt::KeyboardModifiers modifiers)
{
    const QModelIndex index = m_proxy->mapFromSource(m_proxy->sourceModel()->index(sourceRow, 0));
    if (!index.isValid()) // a greyed dot, outside the brush: not in the list
        return;
    QItemSelectionModel* selection = m_table->selectionModel();
    if (modifiers & Qt::ControlModifier) {
        selection->select(index, QItemSelectionModel::Toggle | QItemSelectionModel::Rows);
        selection->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    } else {
        selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_table->scrollTo(index);
}

void TraceListPage::showMenu(std::optional<TraceRef> trace, const QPoint& globalPos)
{
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    if (trace) {
        QAction* open = menu.addAction(tr("Open"));
        connect(open, &QAction::triggered, this, [this, trace] { emit traceOpened(*trace); });
        menu.addSeparator();
    }
    menu.addAction(m_compareAction);
    menu.addAction(m_compareTypicalAction);
    menu.exec(globalPos);
}

} // namespace spanwise
