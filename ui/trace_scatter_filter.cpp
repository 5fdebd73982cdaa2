#include "trace_scatter_filter.h"

namespace spanwise {

TraceListFilter::TraceListFilter(TraceListModel* list, QObject* parent) : QSortFilterProxyModel(parent), m_list(list)
{
    setSourceModel(list);
    setSortRole(TraceListModel::SortRole);
    setFilterKeyColumn(-1);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void TraceListFilter::setBrush(const std::optional<ScatterBrush>& brush)
{
    if (brush == m_brush)
        return;
    m_brush = brush;
    invalidateRowsFilter();
    emit brushChanged();
}

bool TraceListFilter::matchesText(int sourceRow) const
{
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, {});
}

bool TraceListFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_brush) {
        const Trace& trace = m_list->set().trace(m_list->set().traces[static_cast<std::size_t>(sourceRow)]);
        if (!m_brush->contains(trace.start, trace.duration()))
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace spanwise
