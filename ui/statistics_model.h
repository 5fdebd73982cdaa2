#pragma once
// The groups of a set's statistics as a table: key, count, error rate, min, p50, p90, p99, max, and
// where the time of a trace went (self and critical-path time of the group per trace). Beside it,
// what changed in the slowest 1 % of the traces (those at or above the p99 trace duration): the
// same times per trace there, and by how much they exceed those of all traces, so the group that got
// slow in the p99 traces comes first when sorted by the critical-path difference.
// Sort with a QSortFilterProxyModel on SortRole.

#include <set_statistics.h>

#include <QAbstractTableModel>

#include <memory>

namespace spanwise {

class StatisticsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Key,
        Count,
        Errors,
        Min,
        P50,
        P90,
        P99,
        Max,
        SelfPerTrace,
        CriticalPerTrace,
        CriticalAll, // the slowest 1 % beside all traces
        CriticalSlowest,
        CriticalDelta,
        SelfAll,
        SelfSlowest,
        SelfDelta,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int GroupRole = Qt::UserRole + 2; // the row's index in statistics().all.groups

    explicit StatisticsModel(QObject* parent = nullptr);

    void setStatistics(std::shared_ptr<const SetStatistics> statistics);
    const SetStatistics* statistics() const { return m_statistics.get(); }
    std::shared_ptr<const SetStatistics> sharedStatistics() const { return m_statistics; }
    // Error rates are red in the shade of the background the view paints on.
    void setDarkBackground(bool dark);
    static bool isComparison(int column) { return column >= CriticalAll; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString noun() const; // what a group counts: traces or spans
    std::shared_ptr<const SetStatistics> m_statistics;
    bool m_dark = false;
};

// "2.5 %", "<0.1 %", "0 %".
QString errorRateText(std::uint32_t errors, std::uint32_t count);
// "+12.0 ms", "−3.40 ms", "0 ns".
QString signedDurationText(double nanos);

} // namespace spanwise
