#pragma once
// A trace comparison's merged tree as an item model: one row per node, counts and times A → B, the
// change in total time. It sorts and filters itself: a QSortFilterProxyModel maps parents recursively,
// which a 100,000-deep chain of nodes overflows.

#include <trace_diff.h>

#include <QAbstractItemModel>

#include <memory>

namespace spanwise {

class DiffTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Node, Status, Count, Total, Self, Critical, Delta, DeltaPercent, ColumnCount };
    static constexpr int NodeRole = Qt::UserRole + 1; // index in TraceDiff::nodes

    explicit DiffTreeModel(std::shared_ptr<const TraceDiff> diff, QObject* parent = nullptr);
    const TraceDiff& diff() const { return *m_diff; }
    // Invalid for a node the filter hides.
    QModelIndex indexOfNode(std::uint32_t node, int column = 0) const;
    // Only the nodes that are not `same` and the path to them (resets the model).
    void setOnlyChanges(bool only);
    bool onlyChanges() const { return m_onlyChanges; }
    // Each parent's children; columns showing A → B and Delta by B − A (descending: regressions
    // first), Δ % with new nodes above any percentage. Column -1: tree order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

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
    bool lessThan(std::uint32_t a, std::uint32_t b) const; // by m_sortColumn, ascending
    void rebuildChildren();                                // from the filter and the sort order

    std::shared_ptr<const TraceDiff> m_diff;
    // Children of every node (and, last, of the invisible root) side by side: those of slot s are
    // m_children[m_firstChild[s], m_firstChild[s + 1]).
    std::vector<std::uint32_t> m_firstChild;
    std::vector<std::uint32_t> m_children;
    std::vector<std::uint32_t> m_row;         // of each node under its parent; kNoIndex when hidden
    std::vector<std::uint8_t> m_changedBelow; // per node: it or a descendant changed
    std::uint32_t m_rootSlot = 0;
    double m_largestDelta = 1; // |Δ total| of the node that changed most, for the colour scale
    bool m_onlyChanges = false;
    int m_sortColumn = -1; // -1: tree order
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace spanwise
