#pragma once
// The traces of a file with several: sortable, filterable; double-click (or Enter) opens one.

#include <dataset.h>

#include <QWidget>

#include <memory>

class QSortFilterProxyModel;
class QTableView;

namespace spanwise {

class TraceListPage : public QWidget {
    Q_OBJECT
public:
    explicit TraceListPage(std::shared_ptr<const Dataset> data, QWidget* parent = nullptr);
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }

signals:
    void traceOpened(std::uint32_t traceIndex);

private:
    QTableView* m_table;
    QSortFilterProxyModel* m_proxy;
};

} // namespace spanwise
