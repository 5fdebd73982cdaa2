#pragma once
// "Where did the time go": the breakdown table with its critical-path chart, and the findings.
// Selecting a breakdown row or a finding marks its spans in the waterfall and selects the first.

#include "trace_view_state.h"

#include <QWidget>

class QComboBox;
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

private:
    TraceViewState* m_state;
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

private:
    QTreeWidget* m_list;
};

} // namespace spanwise
