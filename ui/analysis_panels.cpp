#include "analysis_panels.h"

#include "breakdown_model.h"
#include "critical_path_chart.h"
#include "findings_model.h"
#include "model_text.h"

#include <findings.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

namespace spanwise {

namespace {

// The columns shown at first, the ones that fit beside the names at the default width; the header's
// context menu shows the others.
const QList<int> kBreakdownColumnsShown = {BreakdownModel::Self, BreakdownModel::SelfShare, BreakdownModel::Errors,
                                           BreakdownModel::CriticalPath};

// Marks the spans in the waterfall (as search matches) and selects the first one; the row of its
// group when it is a member of a folded group (N+1 calls point at their group's row).
void showSpans(TraceViewState* state, const std::vector<std::uint32_t>& spans)
{
    std::vector<std::uint32_t> sorted = spans;
    std::sort(sorted.begin(), sorted.end());
    state->setSearchMatches(sorted);
    if (!sorted.empty())
        state->select(state->rowSpanOf(sorted.front()));
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
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6); // one line a row
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false); // names elide on one line; the tooltip has them whole
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    for (int column = 0; column < BreakdownModel::ColumnCount; ++column) {
        const bool name = column == BreakdownModel::Service || column == BreakdownModel::Operation;
        header->setSectionResizeMode(column, name ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
        m_table->setColumnHidden(column, !name && !kBreakdownColumnsShown.contains(column));
    }
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& pos) { chooseColumns(m_table->horizontalHeader()->mapToGlobal(pos)); });
    const auto applyGrouping = [this] {
        const auto grouping = static_cast<BreakdownGrouping>(m_grouping->currentData().toInt());
        m_model->setGrouping(grouping);
        m_table->setColumnHidden(BreakdownModel::Service, grouping == BreakdownGrouping::Operation);
        m_table->setColumnHidden(BreakdownModel::Operation, grouping == BreakdownGrouping::Service);
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

void BreakdownPanel::chooseColumns(const QPoint& globalPos)
{
    QMenu menu(this);
    for (int column = BreakdownModel::Count; column < BreakdownModel::ColumnCount; ++column) {
        QAction* action = menu.addAction(m_model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString());
        action->setCheckable(true);
        action->setChecked(!m_table->isColumnHidden(column));
        connect(action, &QAction::toggled, this,
                [this, column](bool shown) { m_table->setColumnHidden(column, !shown); });
    }
    menu.exec(globalPos);
}

void BreakdownPanel::showEvent(QShowEvent* event)
{
    if (m_fill) // computed when first shown, not when every trace opens
        std::exchange(m_fill, nullptr)();
    QWidget::showEvent(event);
}

FindingsPanel::FindingsPanel(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_model(new FindingsModel(this)), m_kind(new QComboBox(this)),
      m_list(new QTreeView(this)), m_summary(new QLabel(this))
{
    m_summary->setWordWrap(true); // a one-line label would widen the side panel to its text
    m_kind->setToolTip(tr("Show the findings of one kind"));
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_kind->setMinimumContentsLength(16);
    m_list->setModel(m_model);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setTextElideMode(Qt::ElideRight); // the whole text is in the tooltip
    QHeaderView* header = m_list->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(FindingsModel::Text, QHeaderView::Stretch);
    header->setSectionResizeMode(FindingsModel::Time, QHeaderView::ResizeToContents);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& index) {
        if (index.isValid())
            showSpans(m_state, m_model->spansOf(index));
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant kind = m_kind->currentData();
        m_model->setKindFilter(kind.isValid() ? std::optional(static_cast<FindingKind>(kind.toInt())) : std::nullopt);
        expandSmallGroups();
    });
    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    tools->addWidget(m_kind);
    tools->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(tools);
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
    m_model->setFindings(findFindings(m_state->data(), m_state->trace(), m_state->criticalPath()));
    const QSignalBlocker quiet(m_kind);
    const std::size_t total = m_model->findings().size();
    m_kind->addItem(tr("All kinds (%1)").arg(QLocale().toString(static_cast<qulonglong>(total))));
    for (const FindingsModel::Group& group : m_model->groups()) {
        m_kind->addItem(
            QStringLiteral("%1 (%2)").arg(FindingsModel::kindTitle(group.kind),
                                          QLocale().toString(static_cast<qulonglong>(group.findings.size()))),
            static_cast<int>(group.kind));
    }
    m_kind->setEnabled(m_model->groups().size() > 1);
    expandSmallGroups();
    m_summary->setText(total == 0 ? tr("Nothing suspicious found.")
                                  : tr("%n finding(s) by kind, most time at stake first; click one to see its spans.",
                                       nullptr, static_cast<int>(total)));
}

void FindingsPanel::expandSmallGroups()
{
    const int groups = m_model->rowCount();
    for (int row = 0; row < groups; ++row) {
        const QModelIndex group = m_model->index(row, 0);
        m_list->setExpanded(group, groups == 1 || m_model->rowCount(group) <= kExpandedGroupLimit);
    }
}

} // namespace spanwise
