#include "statistics_members_model.h"

#include "model_text.h"
#include "theme.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace spanwise {

StatisticsMembersModel::StatisticsMembersModel(std::shared_ptr<const TraceSet> set, QObject* parent)
    : QAbstractTableModel(parent), m_set(std::move(set))
{
}

void StatisticsMembersModel::setMembers(std::shared_ptr<const void> owner, const StatisticsGroup* group,
                                        StatisticsGrouping grouping, TimeNs low, TimeNs high)
{
    beginResetModel();
    m_owner = std::move(owner);
    m_grouping = grouping;
    m_members = {};
    if (group) {
        const auto& all = group->members;
        const auto first = std::lower_bound(all.begin(), all.end(), low,
                                            [](const StatisticsMember& m, TimeNs t) { return m.duration < t; });
        const auto last = std::upper_bound(first, all.end(), high,
                                           [](TimeNs t, const StatisticsMember& m) { return t < m.duration; });
        m_members = std::span<const StatisticsMember>(first, last);
    }
    endResetModel();
}

void StatisticsMembersModel::setDarkBackground(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (rowCount() > 0)
        emit dataChanged(index(0, Errors), index(rowCount() - 1, Errors), {Qt::ForegroundRole});
}

int StatisticsMembersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_members.size());
}

int StatisticsMembersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StatisticsMembersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const StatisticsMember& m = member(index.row());
    const Dataset& data = m_set->dataset(m.trace);
    const Trace& trace = m_set->trace(m.trace);
    const int column = index.column();
    if (role == Qt::TextAlignmentRole)
        return column == Duration || column == Errors ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::ForegroundRole && column == Errors && trace.errorCount > 0)
        return theme::error(m_dark);
    if (role == Qt::ToolTipRole && column == File)
        return QDir::toNativeSeparators(QString::fromStdString(m_set->files[m.trace.file].path));
    if (role == Qt::ToolTipRole && (column == Root || column == Span))
        role = Qt::DisplayRole; // elided in a narrow list
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Duration:
        return durationText(m.duration);
    case Span: {
        if (m.span == kNoIndex)
            return QString();
        const spanwise::Span& s = data.spans[m.span];
        return QString(qstr(data.str(s.service)) + QStringLiteral(": ") + qstr(data.str(s.name)));
    }
    case Root:
        return QString::fromStdString(data.rootLabel(trace));
    case Errors:
        return trace.errorCount;
    case TraceId:
        return QString::fromStdString(toHex(trace.id));
    case File:
        return QFileInfo(QString::fromStdString(m_set->files[m.trace.file].path)).fileName();
    default:
        return {};
    }
}

QVariant StatisticsMembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Errors)
        return tr("Failed spans in the trace");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Duration:
        return tr("Duration");
    case Span:
        return tr("Span");
    case Root:
        return tr("Root");
    case Errors:
        return tr("Errors");
    case TraceId:
        return tr("Trace ID");
    case File:
        return tr("File");
    default:
        return {};
    }
}

} // namespace spanwise
