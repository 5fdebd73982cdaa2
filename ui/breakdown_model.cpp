#include "breakdown_model.h"

#include "model_text.h"
#include "theme.h"
#include "trace_view_state.h"

#include <QColor>

namespace spanwise {

BreakdownModel::BreakdownModel(const TraceViewState* state, QObject* parent)
    : QAbstractTableModel(parent), m_state(state)
{
}

void BreakdownModel::setGrouping(BreakdownGrouping grouping)
{
    beginResetModel();
    m_rows = computeBreakdown(m_state->data(), m_state->trace(), grouping, m_state->criticalPath());
    endResetModel();
}

int BreakdownModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int BreakdownModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakdownModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const BreakdownRow& row = m_rows[index.row()];
    if (role == RowRole)
        return index.row();
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Count ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::ForegroundRole && index.column() == Errors && row.errorCount > 0)
        return theme::error(false);
    if (role == Qt::ToolTipRole && index.column() <= Operation) // the name may be elided
        role = Qt::DisplayRole;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    auto time = [sort](TimeNs ns) -> QVariant {
        return sort ? QVariant(static_cast<qlonglong>(ns)) : QVariant(durationText(ns));
    };
    const Dataset& d = m_state->data();
    switch (index.column()) {
    case Service:
        return row.service ? qstr(d.str(row.service)) : QString();
    case Operation:
        return row.operation ? qstr(d.str(row.operation)) : QString();
    case Count:
        return row.spanCount;
    case Total:
        return time(row.totalNanos);
    case Self:
        return time(row.selfNanos);
    case SelfShare:
        return sort ? QVariant(row.selfShare) : QVariant(QStringLiteral("%1%").arg(row.selfShare * 100, 0, 'f', 1));
    case Avg:
        return time(row.avgNanos);
    case Min:
        return time(row.minNanos);
    case Max:
        return time(row.maxNanos);
    case P50:
        return time(row.p50Nanos);
    case P95:
        return time(row.p95Nanos);
    case Errors:
        return row.errorCount;
    case CriticalPath:
        return time(row.criticalPathNanos);
    default:
        return {};
    }
}

QVariant BreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    // Short headers keep the table inside the side panel; the tooltips say what they are.
    static const char* const names[] = {"Service", "Operation", "Spans", "Total", "Self", "%",    "Avg",
                                        "Min",     "Max",       "p50",   "p95",   "Err",  "Crit."};
    static const char* const tips[] = {"Service",
                                       "Operation",
                                       "Number of spans",
                                       "Sum of the spans' durations",
                                       "Sum of the spans' self time (not spent in children)",
                                       "Share of the trace's self time",
                                       "Average duration",
                                       "Shortest duration",
                                       "Longest duration",
                                       "Median duration",
                                       "95th percentile of the durations",
                                       "Spans that failed",
                                       "Time on the critical path"};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    if (role == Qt::InitialSortOrderRole) // the largest first, names from A
        return section <= Operation ? Qt::AscendingOrder : Qt::DescendingOrder;
    return {};
}

} // namespace spanwise
