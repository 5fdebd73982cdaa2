#pragma once
// The traces of a set (a file with several, or many files): a scatter plot of them above a sortable,
// filterable table; double-click (or Enter) opens one; two selected can be compared, or a typical
// trace of an operation with its slowest.

#include "trace_scatter_filter.h"

#include <trace_set.h>

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QPushButton;
class QSplitter;
class QTableView;

namespace spanwise {

class TraceScatter;

class TraceListPage : public QWidget {
    Q_OBJECT
public:
    explicit TraceListPage(std::shared_ptr<const TraceSet> set, QWidget* parent = nullptr);
    QTableView* table() const { return m_table; }
    TraceListFilter* proxy() const { return m_proxy; }
    TraceScatter* scatter() const { return m_scatter; }
    QSplitter* splitter() const { return m_splitter; }
    QPushButton* compareButton() const { return m_compare; }
    QPushButton* compareTypicalButton() const { return m_compareTypical; }
    QAction* compareTypicalAction() const { return m_compareTypicalAction; }

signals:
    void traceOpened(spanwise::TraceRef trace);
    void compareRequested(spanwise::TraceRef a, spanwise::TraceRef b); // in the order shown (A above B)

private:
    // A median-duration trace of an operation shown and its slowest, or why there is no such pair.
    struct TypicalPair {
        std::optional<std::pair<TraceRef, TraceRef>> traces;
        QString why;
    };
    TypicalPair typicalAndSlowest() const;
    std::vector<TraceRef> selectedTraces() const; // in the order shown
    void updateActions();
    void selectClickedRow(int sourceRow, Qt::KeyboardModifiers modifiers);
    void showScatterSelection();
    // The list's actions, and Open for a trace when there is one.
    void showMenu(std::optional<TraceRef> trace, const QPoint& globalPos);

    QTableView* m_table;
    TraceListFilter* m_proxy;
    TraceScatter* m_scatter;
    QSplitter* m_splitter;
    QPushButton* m_compare;
    QPushButton* m_compareTypical;
    QAction* m_compareAction;
    QAction* m_compareTypicalAction;
    bool m_actionsPending = false;
};

} // namespace spanwise
