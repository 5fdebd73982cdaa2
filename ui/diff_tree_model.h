#pragma once
// A trace comparison's merged tree as an item model: one row per node, counts and times A → B, the
// change in total time. Sort and filter with DiffFilterProxy.

#include <trace_diff.h>

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>

#include <memory>

namespace spanwise {

class DiffTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Node, Status, Count, Total, Self, Critical, Delta, DeltaPercent, ColumnCount };
    // Columns showing A → B sort by B − A; Delta by the size of the change, either way.
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int NodeRole = Qt::UserRole + 2; // index in TraceDiff::nodes
    static constexpr int ChangedRole = Qt::UserRole + 3; // the node or a descendant is not `same`

    explicit DiffTreeModel(std::shared_ptr<const TraceDiff> diff, QObject* parent = nullptr);
    const TraceDiff& diff() const { return *m_diff; }
    QModelIndex indexOfNode(std::uint32_t node, int column = 0) const;
    bool changedInSubtree(std::uint32_t node) const { return m_changedBelow[node] != 0; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::uint32_t nodeOf(const QModelIndex& index) const; // kNoIndex for the invisible root
    std::uint32_t slotOf(std::uint32_t node) const { return node == kNoIndex ? m_rootSlot : node; }

    std::shared_ptr<const TraceDiff> m_diff;
    // Children of every node (and, last, of the invisible root) side by side: those of slot s are
    // m_children[m_firstChild[s], m_firstChild[s + 1]).
    std::vector<std::uint32_t> m_firstChild;
    std::vector<std::uint32_t> m_children;
    std::vector<std::uint32_t> m_row;         // of each node under its parent
    std::vector<std::uint8_t> m_changedBelow; // per node: it or a descendant changed
    std::uint32_t m_rootSlot = 0;
    double m_largestDelta = 1; // |Δ total| of the node that changed most, for the colour scale
};

// Sorts on DiffTreeModel::SortRole; with onlyChanges, shows the changed nodes and the path to them.
class DiffFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit DiffFilterProxy(QObject* parent = nullptr);
    void setOnlyChanges(bool only);
    bool onlyChanges() const { return m_onlyChanges; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_onlyChanges = false;
};

} // namespace spanwise
