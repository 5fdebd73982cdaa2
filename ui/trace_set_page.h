#pragma once
// The page of a set of traces: tabs "Traces" (the list), "Statistics" (across the traces) and
// "Dependencies" (the services' calls). Statistics and dependencies are made when first shown, so
// opening a large set costs no more than its list. Opening or comparing traces from any tab is
// passed on.

#include "trace_list_model.h" // TraceRef as a signal argument

#include <trace_set.h>

#include <QWidget>

#include <memory>

class QTabWidget;

namespace spanwise {

class SetGraphPage;
class StatisticsPage;
class TraceListPage;

class TraceSetPage : public QWidget {
    Q_OBJECT
public:
    enum Tab { Traces, Statistics, Dependencies };

    explicit TraceSetPage(std::shared_ptr<const TraceSet> set, QWidget* parent = nullptr);

    QTabWidget* tabs() const { return m_tabs; }
    TraceListPage* listPage() const { return m_list; }
    StatisticsPage* statisticsPage(); // made on first call
    SetGraphPage* dependenciesPage(); // likewise
    bool hasStatisticsPage() const { return m_statistics != nullptr; }
    bool hasDependenciesPage() const { return m_dependencies != nullptr; }

signals:
    void traceOpened(spanwise::TraceRef trace);
    void compareRequested(spanwise::TraceRef a, spanwise::TraceRef b);

private:
    std::shared_ptr<const TraceSet> m_set;
    QTabWidget* m_tabs;
    TraceListPage* m_list;
    StatisticsPage* m_statistics = nullptr;
    SetGraphPage* m_dependencies = nullptr;
};

} // namespace spanwise
