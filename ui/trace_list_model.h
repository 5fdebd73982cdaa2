#pragma once
// The traces of a loaded file as a table: root service and operation, start, duration, spans,
// services, errors. Sort with a QSortFilterProxyModel on SortRole.

#include <dataset.h>

#include <QAbstractTableModel>

#include <memory>

namespace spanwise {

class TraceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TraceId, RootService, RootOperation, Start, Duration, Spans, Services, Errors, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int TraceIndexRole = Qt::UserRole + 2;

    explicit TraceListModel(std::shared_ptr<const Dataset> data, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString rootService;
        QString rootOperation;
        int serviceCount = 0;
    };
    std::shared_ptr<const Dataset> m_data;
    std::vector<Row> m_rows;
};

} // namespace spanwise
