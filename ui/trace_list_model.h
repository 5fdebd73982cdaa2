#pragma once
// The traces of a set (one file's or several files') as a table: file, trace id, root service and
// operation, start, duration, spans, services, errors. Sort with a QSortFilterProxyModel on SortRole.

#include <trace_set.h>

#include <QAbstractTableModel>

#include <memory>

namespace spanwise {

class TraceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { File, TraceId, RootService, RootOperation, Start, Duration, Spans, Services, Errors, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int TraceIndexRole = Qt::UserRole + 2; // the trace's index in its file's dataset
    static constexpr int FileIndexRole = Qt::UserRole + 3;  // its file's index in the set

    explicit TraceListModel(std::shared_ptr<const TraceSet> set, QObject* parent = nullptr);

    const TraceSet& set() const { return *m_set; }
    std::shared_ptr<const TraceSet> sharedSet() const { return m_set; }
    // The trace of a row of this model or of a proxy over it.
    static TraceRef traceAt(const QModelIndex& index);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString fileName;
        QString rootService;
        QString rootOperation;
        int serviceCount = 0;
    };
    std::shared_ptr<const TraceSet> m_set;
    std::vector<Row> m_rows;
};

} // namespace spanwise

Q_DECLARE_METATYPE(spanwise::TraceRef)
