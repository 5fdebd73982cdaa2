#pragma once
// The traces of a set (a file with several, or many files): sortable, filterable; double-click (or
// Enter) opens one; two selected can be compared.

#include <trace_set.h>

#include <QWidget>

#include <memory>

class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace spanwise {

class TraceListPage : public QWidget {
    Q_OBJECT
public:
    explicit TraceListPage(std::shared_ptr<const TraceSet> set, QWidget* parent = nullptr);
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QPushButton* compareButton() const { return m_compare; }

signals:
    void traceOpened(spanwise::TraceRef trace);
    void compareRequested(spanwise::TraceRef a, spanwise::TraceRef b); // in the order shown (A above B)

private:
    std::vector<TraceRef> selectedTraces() const; // in the order shown

    QTableView* m_table;
    QSortFilterProxyModel* m_proxy;
    QPushButton* m_compare;
};

} // namespace spanwise
