#pragma once
// The traces received so far, in the order their first span arrived: root service and operation,
// start, duration, spans, errors and whether more spans are still expected. Updated in place from
// each new snapshot of the live store, so selections and sorting over it survive new spans.

#include <dataset.h>
#include <live_store.h>

#include <QAbstractTableModel>

#include <memory>
#include <optional>

namespace spanwise {

class LiveTraceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TraceId, Root, Start, Duration, Spans, Errors, State, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    // The snapshot's traces with their state in the store (LiveStore::traces()).
    void update(std::shared_ptr<const Dataset> snapshot, const std::vector<LiveTrace>& states);
    // The trace of a row of this model or of a proxy over it.
    std::optional<spanwise::TraceId> traceAt(const QModelIndex& index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        spanwise::TraceId id;
        std::uint32_t trace = 0; // index in the snapshot
        bool complete = false;
    };
    const Trace& trace(const Row& row) const { return m_snapshot->traces[row.trace]; }

    std::shared_ptr<const Dataset> m_snapshot;
    std::vector<Row> m_rows;
};

} // namespace spanwise
