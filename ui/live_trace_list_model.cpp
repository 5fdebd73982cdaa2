#include "live_trace_list_model.h"

#include "model_text.h"
#include "theme.h"

#include <hex_ids.h>

#include <QDateTime>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace spanwise {

void LiveTraceListModel::update(std::shared_ptr<const Dataset> snapshot, const std::vector<LiveTrace>& states)
{
    std::unordered_map<spanwise::TraceId, bool> complete;
    for (const LiveTrace& state : states)
        complete.emplace(state.id, state.complete);
    std::unordered_set<spanwise::TraceId> kept;
    for (const Trace& t : snapshot->traces)
        kept.insert(t.id);

    // Traces only ever go (dropped over the cap, cleared) or come after the others: rows that went are
    // removed, a run at a time, then the kept ones are the snapshot's first traces and the rest is
    // appended.
    if (kept.empty() && !m_rows.empty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    for (int last = rowCount() - 1; last >= 0;) {
        if (kept.contains(m_rows[static_cast<std::size_t>(last)].id)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !kept.contains(m_rows[static_cast<std::size_t>(first - 1)].id))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first - 1;
    }
    const bool keptInOrder = m_rows.size() <= snapshot->traces.size() &&
                             std::equal(m_rows.begin(), m_rows.end(), snapshot->traces.begin(),
                                        snapshot->traces.begin() + m_rows.size(),
                                        [](const Row& row, const Trace& t) { return row.id == t.id; });
    if (!keptInOrder) { // not what the store does; never wrong
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    m_snapshot = std::move(snapshot);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        m_rows[i].trace = static_cast<std::uint32_t>(i);
        m_rows[i].complete = complete[m_rows[i].id];
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    const std::size_t added = m_snapshot->traces.size() - m_rows.size();
    if (added == 0)
        return;
    beginInsertRows({}, rowCount(), rowCount() + static_cast<int>(added) - 1);
    for (std::size_t i = m_rows.size(); i < m_snapshot->traces.size(); ++i) {
        const spanwise::TraceId id = m_snapshot->traces[i].id;
        m_rows.push_back({id, static_cast<std::uint32_t>(i), complete[id]});
    }
    endInsertRows();
}

std::optional<spanwise::TraceId> LiveTraceListModel::traceAt(const QModelIndex& index) const
{
    const QString hex = index.siblingAtColumn(TraceId).data(SortRole).toString();
    if (hex.isEmpty())
        return std::nullopt;
    return parseHexTraceId(hex.toStdString());
}

int LiveTraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LiveTraceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveTraceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const Trace& t = trace(row);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Duration && index.column() <= Errors ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                      : QVariant();
    if (role == Qt::ForegroundRole && index.column() == Errors && t.errorCount > 0)
        return theme::error(false);
    if (role == Qt::ToolTipRole && index.column() == State)
        return row.complete ? tr("No span of this trace arrived for a while: it is taken as complete.")
                            : tr("Spans of this trace arrived lately: more may come.");
    if (role == Qt::ToolTipRole && index.column() == Root)
        role = Qt::DisplayRole; // the name may be elided
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case TraceId:
        return qstr(toHex(t.id));
    case Root:
        return qstr(m_snapshot->rootLabel(t));
    case Start:
        if (sort)
            return static_cast<qlonglong>(t.start);
        return QDateTime::fromMSecsSinceEpoch(t.start / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Duration:
        return sort ? QVariant(static_cast<qlonglong>(t.duration())) : QVariant(durationText(t.duration()));
    case Spans:
        return t.count;
    case Errors:
        return t.errorCount;
    case State:
        if (sort)
            return row.complete;
        return row.complete ? tr("complete") : tr("receiving…");
    default:
        return {};
    }
}

QVariant LiveTraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TraceId:
        return tr("Trace ID");
    case Root:
        return tr("Root");
    case Start:
        return tr("Start");
    case Duration:
        return tr("Duration");
    case Spans:
        return tr("Spans");
    case Errors:
        return tr("Errors");
    case State:
        return tr("State");
    default:
        return {};
    }
}

} // namespace spanwise
