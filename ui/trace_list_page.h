#pragma once
// The traces of a file with several: sortable, filterable; double-click (or Enter) opens one; two
// selected can be compared.

#include <dataset.h>

#include <QWidget>

#include <memory>

class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace spanwise {

class TraceListPage : public QWidget {
    Q_OBJECT
public:
    explicit TraceListPage(std::shared_ptr<const Dataset> data, QWidget* parent = nullptr);
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QPushButton* compareButton() const { return m_compare; }

signals:
    void traceOpened(std::uint32_t traceIndex);
    void compareRequested(std::uint32_t a, std::uint32_t b); // in the order shown (A above B)

private:
    std::vector<std::uint32_t> selectedTraces() const; // in the order shown

    QTableView* m_table;
    QSortFilterProxyModel* m_proxy;
    QPushButton* m_compare;
};

} // namespace spanwise
