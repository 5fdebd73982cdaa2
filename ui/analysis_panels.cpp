#include "analysis_panels.h"

#include "breakdown_model.h"
#include "critical_path_chart.h"
#include "model_text.h"

#include <findings.h>

#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <utility>

namespace spanwise {

namespace {

// Marks the spans in the waterfall (as search matches) and selects the first one.
void showSpans(TraceViewState* state, const std::vector<std::uint32_t>& spans)
{
    std::vector<std::uint32_t> sorted = spans;
    std::sort(sorted.begin(), sorted.end());
    state->setSearchMatches(sorted);
    if (!sorted.empty())
        state->select(sorted.front());
}

} // namespace

BreakdownPanel::BreakdownPanel(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_grouping(new QComboBox(this)), m_model(new BreakdownModel(state, this)),
      m_proxy(new QSortFilterProxyModel(this)), m_table(new QTableView(this))
{
    m_grouping->addItem(tr("By service"), static_cast<int>(BreakdownGrouping::Service));
    m_grouping->addItem(tr("By operation"), static_cast<int>(BreakdownGrouping::Operation));
    m_grouping->addItem(tr("By service and operation"), static_cast<int>(BreakdownGrouping::ServiceOperation));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BreakdownModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(BreakdownModel::Self, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    const auto applyGrouping = [this] {
        const auto grouping = static_cast<BreakdownGrouping>(m_grouping->currentData().toInt());
        m_model->setGrouping(grouping);
        m_table->setColumnHidden(BreakdownModel::Service, grouping == BreakdownGrouping::Operation);
        m_table->setColumnHidden(BreakdownModel::Operation, grouping == BreakdownGrouping::Service);
        m_table->resizeColumnsToContents();
    };
    connect(m_grouping, &QComboBox::currentIndexChanged, this, applyGrouping);
    m_fill = applyGrouping;
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
        if (index.isValid())
            showSpans(m_state, m_model->rows()[index.data(BreakdownModel::RowRole).toInt()].spans);
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new CriticalPathChart(state, this));
    layout->addWidget(m_grouping);
    layout->addWidget(m_table, 1);
}

void BreakdownPanel::showEvent(QShowEvent* event)
{
    if (m_fill) // computed when first shown, not when every trace opens
        std::exchange(m_fill, nullptr)();
    QWidget::showEvent(event);
}

FindingsPanel::FindingsPanel(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_list(new QTreeWidget(this)), m_summary(new QLabel(this))
{
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Kind"), tr("Time"), tr("Finding")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setStretchLastSection(true);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            showSpans(m_state, m_findings[static_cast<std::size_t>(m_list->indexOfTopLevelItem(item))].spans);
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
}

void FindingsPanel::showEvent(QShowEvent* event)
{
    if (!m_filled) // computed when first shown, not when every trace opens
        fill();
    QWidget::showEvent(event);
}

void FindingsPanel::fill()
{
    m_filled = true;
    m_findings = findFindings(m_state->data(), m_state->trace(), m_state->criticalPath());
    for (const Finding& finding : m_findings) {
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(0, QString::fromLatin1(toString(finding.kind)));
        item->setText(1, durationText(finding.nanos));
        item->setText(2, QString::fromStdString(finding.message)); // plain text: never interpreted
        item->setToolTip(2, item->text(2).toHtmlEscaped());
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_list->resizeColumnToContents(0);
    m_list->resizeColumnToContents(1);
    m_summary->setText(m_findings.empty()
                           ? tr("Nothing suspicious found.")
                           : tr("%n finding(s), most time at stake first; click one to see its spans.", nullptr,
                                static_cast<int>(m_findings.size())));
}

} // namespace spanwise
