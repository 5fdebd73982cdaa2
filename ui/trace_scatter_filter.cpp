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
    rowCount(); // the proxy filters every row on its first use
    return m_textMatches[static_cast<std::size_t>(sourceRow)] != 0;
}

bool TraceListFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const auto row = static_cast<std::size_t>(sourceRow);
    const bool text = QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    m_textMatches.resize(m_list->set().traces.size());
    m_textMatches[row] = text ? 1 : 0;
    if (!text || !m_brush)
        return text;
    const Trace& trace = m_list->set().trace(m_list->set().traces[row]);
    return m_brush->contains(trace.start, trace.duration());
}

} // namespace spanwise
