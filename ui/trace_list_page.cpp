#include "trace_list_page.h"

#include "trace_list_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace spanwise {

TraceListPage::TraceListPage(std::shared_ptr<const TraceSet> set, QWidget* parent) : QWidget(parent)
{
    auto* model = new TraceListModel(std::move(set), this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(TraceListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
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
    m_compare = new QPushButton(tr("Compare Selected"), this);
    m_compare->setToolTip(tr("Select two traces (Ctrl+click) to compare them: the upper one is A"));
    m_compare->setEnabled(false);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_compare->setEnabled(selectedTraces().size() == 2); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const std::vector<TraceRef> traces = selectedTraces();
        if (traces.size() == 2)
            emit compareRequested(traces[0], traces[1]);
    });
    auto* top = new QHBoxLayout;
    top->addWidget(filter, 1);
    top->addWidget(m_compare);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
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

} // namespace spanwise
