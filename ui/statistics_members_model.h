#pragma once
// The members of a statistics group in a duration range (a histogram bar): traces, or spans with
// their trace, slowest first, with the trace's root, errors and id. Activating a row opens its trace.

#include <trace_statistics.h>

#include <QAbstractTableModel>

#include <memory>
#include <span>

namespace spanwise {

class StatisticsMembersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Duration, Span, Root, Errors, TraceId, File, ColumnCount };

    explicit StatisticsMembersModel(std::shared_ptr<const TraceSet> set, QObject* parent = nullptr);

    // The members of `group` with a duration in [low, high] (owner keeps them alive); none for a null group.
    void setMembers(std::shared_ptr<const void> owner, const StatisticsGroup* group, StatisticsGrouping grouping,
                    TimeNs low, TimeNs high);
    StatisticsGrouping grouping() const { return m_grouping; }
    void setDarkBackground(bool dark); // failed traces' error counts are red in its shade
    const StatisticsMember& member(int row) const { return m_members[m_members.size() - 1 - std::size_t(row)]; }
    TraceRef traceAt(int row) const { return member(row).trace; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const TraceSet> m_set;
    std::shared_ptr<const void> m_owner;
    std::span<const StatisticsMember> m_members; // ascending: rows show them from the end
    StatisticsGrouping m_grouping = StatisticsGrouping::Root;
    bool m_dark = false;
};

} // namespace spanwise
