#pragma once
// "Where did the time go": the breakdown table with its critical-path chart, and the findings.
// Selecting a breakdown row or a finding marks its spans in the waterfall and selects the first.
// Both are computed when first shown.

#include "trace_view_state.h"

#include <findings.h>

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;

namespace spanwise {

class BreakdownModel;

class BreakdownPanel : public QWidget {
    Q_OBJECT
public:
    explicit BreakdownPanel(TraceViewState* state, QWidget* parent = nullptr);
    QComboBox* grouping() const { return m_grouping; }
    QTableView* table() const { return m_table; }
    BreakdownModel* model() const { return m_model; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    TraceViewState* m_state;
    std::function<void()> m_fill; // groups the table, until first shown
    QComboBox* m_grouping;
    BreakdownModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
};

class FindingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FindingsPanel(TraceViewState* state, QWidget* parent = nullptr);
    QTreeWidget* list() const { return m_list; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void fill();

    TraceViewState* m_state;
    QTreeWidget* m_list;
    QLabel* m_summary;
    std::vector<Finding> m_findings;
    bool m_filled = false;
};

} // namespace spanwise
