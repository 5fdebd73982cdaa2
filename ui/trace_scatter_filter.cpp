#include "trace_scatter_filter.h"

#include <QRegularExpression>

namespace spanwise {

TraceListFilter::TraceListFilter(TraceListModel* list, QObject* parent) : QSortFilterProxyModel(parent), m_list(list)
{
    setSourceModel(list);
    setSortRole(TraceListModel::SortRole);
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

bool TraceListFilter::textMatches(int sourceRow) const
{
    const QRegularExpression& pattern = filterRegularExpression();
    if (pattern.pattern().isEmpty())
        return true;
    const bool files = m_list->set().files.size() > 1;
    for (const int column :
         {TraceListModel::File, TraceListModel::TraceId, TraceListModel::RootService, TraceListModel::RootOperation}) {
        if ((column != TraceListModel::File || files) &&
            pattern.match(m_list->index(sourceRow, column).data().toString()).hasMatch())
            return true;
    }
    return false;
}

bool TraceListFilter::matchesText(int sourceRow) const
{
    rowCount(); // the proxy filters every row on its first use
    return m_textMatches[static_cast<std::size_t>(sourceRow)] != 0;
}

bool TraceListFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto row = static_cast<std::size_t>(sourceRow);
    const bool text = textMatches(sourceRow);
    m_textMatches.resize(m_list->set().traces.size());
    m_textMatches[row] = text ? 1 : 0;
    if (!text || !m_brush)
        return text;
    const Trace& trace = m_list->set().trace(m_list->set().traces[row]);
    return m_brush->contains(trace.start, trace.duration());
}

} // namespace spanwise
