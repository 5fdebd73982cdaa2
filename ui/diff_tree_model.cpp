#include "diff_tree_model.h"

#include "model_text.h"
#include "theme.h"

#include <QColor>
#include <QFont>

#include <cmath>

namespace spanwise {

namespace {

QString fromTo(const QString& a, const QString& b)
{
    return a == b ? a : QStringLiteral("%1 → %2").arg(a, b);
}

} // namespace

DiffTreeModel::DiffTreeModel(std::shared_ptr<const TraceDiff> diff, QObject* parent)
    : QAbstractItemModel(parent), m_diff(std::move(diff))
{
    const std::vector<DiffNode>& nodes = m_diff->nodes;
    const auto count = static_cast<std::uint32_t>(nodes.size());
    m_rootSlot = count;
    m_changedBelow.assign(count, 0);
    for (std::uint32_t i = count; i-- > 0;) { // bottom-up: children follow their parent
        if (nodes[i].status != DiffStatus::Same)
            m_changedBelow[i] = 1;
        if (m_changedBelow[i] && nodes[i].parent != kNoIndex)
            m_changedBelow[nodes[i].parent] = 1;
        m_largestDelta = std::max(m_largestDelta, std::abs(static_cast<double>(nodes[i].totalDelta())));
    }
    rebuildChildren();
}

void DiffTreeModel::rebuildChildren()
{
    const std::vector<DiffNode>& nodes = m_diff->nodes;
    const auto count = static_cast<std::uint32_t>(nodes.size());
    const auto shown = [this](std::uint32_t n) { return !m_onlyChanges || m_changedBelow[n]; };
    // Counting sort of the shown nodes by parent keeps each parent's children in tree order.
    m_firstChild.assign(count + 2, 0);
    for (std::uint32_t i = 0; i < count; ++i) {
        if (shown(i))
            ++m_firstChild[slotOf(nodes[i].parent) + 1];
    }
    for (std::uint32_t s = 1; s < m_firstChild.size(); ++s)
        m_firstChild[s] += m_firstChild[s - 1];
    m_children.resize(m_firstChild.back());
    std::vector<std::uint32_t> filled(m_firstChild.begin(), m_firstChild.end() - 1);
    for (std::uint32_t i = 0; i < count; ++i) {
        if (shown(i))
            m_children[filled[slotOf(nodes[i].parent)]++] = i;
    }
    if (m_sortColumn >= 0) {
        for (std::uint32_t s = 0; s + 1 < m_firstChild.size(); ++s) {
            const auto begin = m_children.begin() + m_firstChild[s];
            const auto end = m_children.begin() + m_firstChild[s + 1];
            if (m_sortOrder == Qt::AscendingOrder)
                std::stable_sort(begin, end, [this](std::uint32_t a, std::uint32_t b) { return lessThan(a, b); });
            else
                std::stable_sort(begin, end, [this](std::uint32_t a, std::uint32_t b) { return lessThan(b, a); });
        }
    }
    m_row.assign(count, kNoIndex);
    for (std::uint32_t s = 0; s + 1 < m_firstChild.size(); ++s) {
        for (std::uint32_t k = m_firstChild[s]; k < m_firstChild[s + 1]; ++k)
            m_row[m_children[k]] = k - m_firstChild[s];
    }
}

bool DiffTreeModel::lessThan(std::uint32_t x, std::uint32_t y) const
{
    const DiffNode& a = m_diff->nodes[x];
    const DiffNode& b = m_diff->nodes[y];
    const auto by = [](auto u, auto v) { return u < v; };
    switch (m_sortColumn) {
    case Node:
        return a.label < b.label;
    case Status:
        return by(static_cast<int>(a.status), static_cast<int>(b.status));
    case Count:
        return by(static_cast<std::int64_t>(a.b.count) - a.a.count, static_cast<std::int64_t>(b.b.count) - b.a.count);
    case Total:
        return by(a.totalDelta(), b.totalDelta());
    case Self:
        return by(a.selfDelta(), b.selfDelta());
    case Critical:
        return by(a.b.criticalNanos - a.a.criticalNanos, b.b.criticalNanos - b.a.criticalNanos);
    case Delta: // descending: the largest slow-down first, the largest speed-up last
        return by(a.totalDelta(), b.totalDelta());
    case DeltaPercent: {
        const auto percent = [](const DiffNode& n) {
            const std::optional<double> change = relativeChange(n.a.totalNanos, n.b.totalNanos);
            return change ? *change : n.b.totalNanos > 0 ? HUGE_VAL : 0.0;
        };
        return by(percent(a), percent(b));
    }
    default:
        return false;
    }
}

void DiffTreeModel::sort(int column, Qt::SortOrder order)
{
    if (column < -1 || column >= ColumnCount)
        return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    m_sortColumn = column;
    m_sortOrder = order;
    rebuildChildren();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before)
        after << indexOfNode(nodeOf(index), index.column());
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void DiffTreeModel::setOnlyChanges(bool only)
{
    if (only == m_onlyChanges)
        return;
    beginResetModel();
    m_onlyChanges = only;
    rebuildChildren();
    endResetModel();
}

std::uint32_t DiffTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<std::uint32_t>(index.internalId()) : kNoIndex;
}

QModelIndex DiffTreeModel::indexOfNode(std::uint32_t node, int column) const
{
    if (node >= m_diff->nodes.size() || m_row[node] == kNoIndex)
        return {};
    return createIndex(static_cast<int>(m_row[node]), column, static_cast<quintptr>(node));
}

QModelIndex DiffTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const std::uint32_t slot = slotOf(nodeOf(parent));
    return createIndex(row, column,
                       static_cast<quintptr>(m_children[m_firstChild[slot] + static_cast<std::uint32_t>(row)]));
}

QModelIndex DiffTreeModel::parent(const QModelIndex& child) const
{
    const std::uint32_t node = nodeOf(child);
    return node == kNoIndex ? QModelIndex() : indexOfNode(m_diff->nodes[node].parent);
}

int DiffTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const std::uint32_t slot = slotOf(nodeOf(parent));
    return static_cast<int>(m_firstChild[slot + 1] - m_firstChild[slot]);
}

int DiffTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool DiffTreeModel::hasChildren(const QModelIndex& parent) const
{
    return rowCount(parent) > 0;
}

QVariant DiffTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const std::uint32_t node = nodeOf(index);
    const DiffNode& n = m_diff->nodes[node];
    const TimeNs delta = n.totalDelta();
    const std::optional<double> change = relativeChange(n.a.totalNanos, n.b.totalNanos);
    switch (role) {
    case NodeRole:
        return node;
    case Qt::ToolTipRole:
        if (index.column() == Node)
            return QStringLiteral("%1\nA: %2 span(s), %3 error(s)\nB: %4 span(s), %5 error(s)")
                .arg(qstr(n.label))
                .arg(n.a.count)
                .arg(n.a.errors)
                .arg(n.b.count)
                .arg(n.b.errors);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= Count ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::FontRole:
        if (n.status == DiffStatus::Removed || n.status == DiffStatus::Added) {
            QFont font;
            font.setItalic(n.status == DiffStatus::Removed);
            font.setBold(n.status == DiffStatus::Added);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (n.status == DiffStatus::Removed && index.column() == Node)
            return QColor(0x80, 0x80, 0x80);
        if (index.column() == Status) {
            switch (n.status) {
            case DiffStatus::Added:
                return QColor(0x1f, 0x6f, 0xd0);
            case DiffStatus::Removed:
                return QColor(0x80, 0x80, 0x80);
            case DiffStatus::Changed:
                return QColor(0xb0, 0x60, 0x00);
            case DiffStatus::Same:
                return {};
            }
        }
        return {};
    case Qt::BackgroundRole: {
        if ((index.column() != Delta && index.column() != DeltaPercent) || n.status == DiffStatus::Same || delta == 0)
            return {};
        // Red for slower, green for faster; the stronger the larger the change.
        const double strength = 0.15 + 0.6 * std::sqrt(std::abs(static_cast<double>(delta)) / m_largestDelta);
        QColor color = delta > 0 ? theme::slower(false) : theme::faster(false);
        color.setAlphaF(static_cast<float>(std::min(strength, 0.75)));
        return color;
    }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Node: {
        const QString marker = n.status == DiffStatus::Added     ? QStringLiteral("+ ")
                               : n.status == DiffStatus::Removed ? QStringLiteral("− ")
                                                                 : QString();
        return QString(marker + qstr(n.label));
    }
    case Status:
        return QString::fromLatin1(toString(n.status));
    case Count:
        return fromTo(QString::number(n.a.count), QString::number(n.b.count));
    case Total:
        return fromTo(durationText(n.a.totalNanos), durationText(n.b.totalNanos));
    case Self:
        return fromTo(durationText(n.a.selfNanos), durationText(n.b.selfNanos));
    case Critical:
        return fromTo(durationText(n.a.criticalNanos), durationText(n.b.criticalNanos));
    case Delta:
        return qstr(formatDurationDelta(delta));
    case DeltaPercent:
        if (!change)
            return n.b.totalNanos ? tr("new") : QStringLiteral("–");
        return QStringLiteral("%1%2%").arg(*change > 0 ? QStringLiteral("+") : QString()).arg(*change * 100, 0, 'f', 1);
    default:
        return {};
    }
}

QVariant DiffTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole) {
        static const char* const tips[] = {"(service: operation) from the root; ids in names normalised",
                                           "same, changed, added (only in B) or removed (only in A)",
                                           "Spans on the node, A → B",
                                           "Sum of the spans' durations, A → B",
                                           "Sum of their self times, A → B",
                                           "Time on the critical path, A → B",
                                           "Total B − total A: descending puts the largest slow-down first",
                                           "Change of the total, relative to A"};
        return tr(tips[section]);
    }
    if (role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"Node", "Status", "Count", "Total", "Self", "Critical path", "Δ total", "Δ %"};
    return tr(names[section]);
}

} // namespace spanwise
