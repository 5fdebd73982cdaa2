#pragma once
// Statistics across the traces of a set: the groups (by root operation, service or
// "service: operation") in a sortable table, the selected group's latency histogram below it, and
// the traces of a clicked bar beside that, to open. "Slowest 1 %" puts beside each group what it
// costs a trace in the slowest 1 % of the traces against all traces: the group that got slow in
// the p99 traces comes first, and a line above the table names it. Computed on a worker thread;
// regrouping cancels a computation under way.

#include "statistics_model.h"
#include "trace_list_model.h" // TraceRef as a signal argument

#include <QWidget>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;

namespace spanwise {

class LatencyHistogramView;
class StatisticsMembersModel;

class StatisticsPage : public QWidget {
    Q_OBJECT
public:
    explicit StatisticsPage(std::shared_ptr<const TraceSet> set, QWidget* parent = nullptr);
    ~StatisticsPage() override;

    StatisticsGrouping grouping() const;
    void setGrouping(StatisticsGrouping grouping); // computes again
    bool isBusy() const { return m_busy; }
    // Shows the slowest 1 % beside all traces, sorted by how much more critical-path time they take.
    void setComparingSlowest(bool comparing);

    QComboBox* groupingBox() const { return m_grouping; }
    QCheckBox* slowestBox() const { return m_slowest; }
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    StatisticsModel* model() const { return m_model; }
    LatencyHistogramView* histogram() const { return m_histogram; }
    QTableView* membersView() const { return m_members; }
    StatisticsMembersModel* membersModel() const { return m_membersModel; }
    QLabel* membersTitle() const { return m_membersTitle; }
    QLabel* summaryLabel() const { return m_summary; }
    QLabel* statusLabel() const { return m_status; }
    // The group shown in the histogram, -1 for none (an index in model()->statistics()->all.groups).
    int currentGroup() const { return m_group; }

signals:
    void ready(); // the statistics of the current grouping are shown
    void traceOpened(spanwise::TraceRef trace);

protected:
    void changeEvent(QEvent* event) override;

private:
    void compute();
    void present(std::shared_ptr<const SetStatistics> statistics);
    void showGroup(int group);
    void showBucket(int bucket);
    void updateColumns();
    QString summaryText() const;

    std::shared_ptr<const TraceSet> m_set;
    std::shared_ptr<std::atomic<bool>> m_cancel; // of the computation under way
    int m_run = 0;                               // the computation whose result is awaited
    bool m_busy = false;
    int m_group = -1;
    QComboBox* m_grouping;
    QCheckBox* m_slowest;
    QLabel* m_status;
    QProgressBar* m_progress;
    QLabel* m_summary;
    StatisticsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    LatencyHistogramView* m_histogram;
    QLabel* m_membersTitle;
    StatisticsMembersModel* m_membersModel;
    QTableView* m_members;
};

} // namespace spanwise
