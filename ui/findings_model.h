#pragma once
// A trace's findings as a tree: one group per kind, titled with its count, then its findings; the
// most time at stake first at both levels (a group by its first finding's). A kind filter keeps one
// group.

#include <findings.h>

#include <QAbstractItemModel>

#include <optional>
#include <vector>

namespace spanwise {

class FindingsModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Text, Time, ColumnCount };

    struct Group {
        FindingKind kind;
        std::vector<std::uint32_t> findings; // indices into findings(), most time first
        TimeNs nanos = 0;                    // of its finding with the most (they overlap: no sum)
    };

    explicit FindingsModel(QObject* parent = nullptr);
    // Findings as findFindings gives them (resets the model).
    void setFindings(std::vector<Finding> findings);
    const std::vector<Finding>& findings() const { return m_findings; }
    // Every group, whatever the filter, in the order shown.
    const std::vector<Group>& groups() const { return m_groups; }
    // Only this kind's group; nullopt for every kind (resets the model).
    void setKindFilter(std::optional<FindingKind> kind);
    std::optional<FindingKind> kindFilter() const { return m_filter; }

    bool isGroup(const QModelIndex& index) const { return index.isValid() && index.internalId() == 0; }
    // The spans a row stands for: its finding's, or all of its group's; ascending, each once.
    std::vector<std::uint32_t> spansOf(const QModelIndex& index) const;
    // "N+1 calls", "Fan-outs", "Errors", "Gaps".
    static QString kindTitle(FindingKind kind);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void showGroups(); // m_shown from the filter
    // The group a row shows (a group row, or the parent of a finding row).
    const Group& groupOf(const QModelIndex& index) const;

    std::vector<Finding> m_findings;
    std::vector<Group> m_groups;
    std::vector<std::uint32_t> m_shown; // indices into m_groups
    std::optional<FindingKind> m_filter;
};

} // namespace spanwise
