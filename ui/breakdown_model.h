#pragma once
// Latency breakdown of a trace as a table: one row per service, operation or both. Sort with a
// QSortFilterProxyModel on SortRole; SpansRole gives the spans of a row.

#include <breakdown.h>

#include <QAbstractTableModel>

namespace spanwise {

class TraceViewState;

class BreakdownModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Service,
        Operation,
        Count,
        Total,
        Self,
        SelfShare,
        Avg,
        Min,
        Max,
        P50,
        P95,
        Errors,
        CriticalPath,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int RowRole = Qt::UserRole + 2; // index into rows()

    explicit BreakdownModel(const TraceViewState* state, QObject* parent = nullptr); // empty until grouped
    void setGrouping(BreakdownGrouping grouping);
    const std::vector<BreakdownRow>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const TraceViewState* m_state;
    std::vector<BreakdownRow> m_rows;
};

} // namespace spanwise
