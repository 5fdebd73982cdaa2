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
class QTreeView;

namespace spanwise {

class BreakdownModel;
class FindingsModel;

// Where the time went, per service, operation or both. Some columns start hidden so that the table
// fits the side panel; its header's context menu shows them.
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
    void chooseColumns(const QPoint& globalPos); // the header's menu: which columns show

    TraceViewState* m_state;
    std::function<void()> m_fill; // groups the table, until first shown
    QComboBox* m_grouping;
    BreakdownModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
};

// Findings grouped by kind; a large group starts collapsed. Selecting a group marks all its spans.
class FindingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FindingsPanel(TraceViewState* state, QWidget* parent = nullptr);
    QTreeView* list() const { return m_list; }
    FindingsModel* model() const { return m_model; }
    QComboBox* kindFilter() const { return m_kind; }
    QLabel* summary() const { return m_summary; }
    // Groups with more findings than this start collapsed, unless the only one shown.
    static constexpr int kExpandedGroupLimit = 25;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void fill();
    void expandSmallGroups();

    TraceViewState* m_state;
    FindingsModel* m_model;
    QComboBox* m_kind;
    QTreeView* m_list;
    QLabel* m_summary;
    bool m_filled = false;
};

} // namespace spanwise
