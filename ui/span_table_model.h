#pragma once
// Every span of a trace as a table row: a virtual model over the span store (rows are span indices,
// nothing is stored per row but them), sorted by the numbers behind the text, filtered by the query
// language of the find bar, limited to the focused subtree of the trace's view state.

#include "trace_view_state.h"

#include <radix_sort.h>
#include <span_search.h>

#include <QAbstractTableModel>
#include <QPalette>

#include <vector>

namespace spanwise {

class SpanTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Service,
        Operation,
        Start,
        Duration,
        SelfTime,
        SelfShare,
        CriticalTime,
        Errors,
        Kind,
        FirstAttribute
    };
    static constexpr int SpanRole = Qt::UserRole;     // the row's span index (quint32)
    static constexpr int SortRole = Qt::UserRole + 1; // what the column sorts by: a number, or a name

    explicit SpanTableModel(TraceViewState* state, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    TraceViewState* state() const { return m_state; }
    std::uint32_t spanAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    int rowOf(std::uint32_t span) const; // -1 when filtered out or outside the focus
    // Spans the rows are drawn from: the focused subtree (the whole trace without focus).
    std::uint32_t totalSpans() const;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // Rows: the spans matching the query (all for an empty one).
    void setFilter(SpanQuery query);
    const SpanQuery& filter() const { return m_filter; }

    // Attribute keys of the trace's spans and their resources, the most frequent first.
    std::vector<StringId> attributeKeys() const;
    const std::vector<StringId>& attributeColumns() const { return m_attributeColumns; }
    void addAttributeColumn(StringId key); // at the end; nothing when already shown
    void removeAttributeColumn(StringId key);

    // One tab-separated line per row (header first): what Copy puts on the clipboard.
    QString tsv(const std::vector<int>& rows) const;
    QString text(int row, int column) const;
    // The palette the rows are shown on, for the shades of the search match and error colours.
    void setPalette(const QPalette& palette);

private:
    void rebuildRows(); // the spans in focus passing the filter, sorted
    void applySort();
    void updateRowIndex();
    // The rows with their keys for the column.
    std::vector<KeyedRow> sortKeys(int column) const;
    // Key of a column holding a number (not Service, Operation or an attribute).
    std::int64_t numericKey(int column, std::uint32_t span) const;
    // Per id, its rank in text order among ids.
    std::vector<std::uint32_t> stringRanks(const std::vector<StringId>& ids) const;
    const Value* attributeOf(std::uint32_t span, StringId key) const;
    // The value for each span of the focused range, each resource looked up once.
    std::vector<const Value*> attributeOfRange(StringId key) const;
    std::uint32_t local(std::uint32_t span) const { return span - m_state->trace().first; }

    TraceViewState* m_state;
    std::vector<TimeNs> m_selfTime;          // per span of the trace
    std::vector<TimeNs> m_criticalTime;      // per span of the trace
    std::vector<std::uint16_t> m_exceptions; // per span of the trace: events named exception
    TimeNs m_totalSelfTime = 0;
    std::vector<std::uint32_t> m_rows;
    std::vector<std::int32_t> m_rowOf; // per span of the trace, -1 when not a row
    std::vector<StringId> m_attributeColumns;
    SpanQuery m_filter;
    QPalette m_palette;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace spanwise
