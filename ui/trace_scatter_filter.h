#pragma once
// The trace list's filter: the rows whose file (when the set has several), trace id, root service or
// root operation matches the filter string (QSortFilterProxyModel's filterRegularExpression) and,
// when a region of the scatter plot is brushed, that started and lasted within it. Sorts on
// TraceListModel::SortRole.

#include "trace_list_model.h"
#include "trace_scatter_math.h"

#include <QSortFilterProxyModel>

#include <optional>
#include <vector>

namespace spanwise {

class TraceListFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TraceListFilter(TraceListModel* list, QObject* parent = nullptr);

    const TraceListModel* list() const { return m_list; }
    const std::optional<ScatterBrush>& brush() const { return m_brush; }
    void setBrush(const std::optional<ScatterBrush>& brush);
    // Whether a row of the list matches the filter text, brushed or not.
    bool matchesText(int sourceRow) const;

signals:
    void brushChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool textMatches(int sourceRow) const;

    TraceListModel* m_list;
    std::optional<ScatterBrush> m_brush;
    // Per list row, whether its text matched when last filtered: every row is filtered again whenever
    // the filter text or the brush changes, so the plot reads the answers instead of matching again.
    mutable std::vector<char> m_textMatches;
};

} // namespace spanwise
