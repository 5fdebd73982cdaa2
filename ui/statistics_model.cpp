#include "statistics_model.h"

#include "model_text.h"
#include "theme.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

QString countText(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

} // namespace

QString errorRateText(std::uint32_t errors, std::uint32_t count)
{
    if (errors == 0 || count == 0)
        return QStringLiteral("0 %");
    const double rate = 100.0 * errors / count;
    if (rate < 0.1)
        return QStringLiteral("<0.1 %");
    return QStringLiteral("%1 %").arg(QLocale().toString(rate, 'f', rate >= 10 ? 0 : 1));
}

QString signedDurationText(double nanos)
{
    const auto rounded = static_cast<TimeNs>(std::llround(nanos));
    if (rounded == 0)
        return durationText(0);
    // A true minus sign: the column lines up as numbers do.
    return (rounded > 0 ? QStringLiteral("+") : QStringLiteral("−")) + durationText(rounded > 0 ? rounded : -rounded);
}

StatisticsModel::StatisticsModel(QObject* parent) : QAbstractTableModel(parent) {}

void StatisticsModel::setStatistics(std::shared_ptr<const SetStatistics> statistics)
{
    beginResetModel();
    m_statistics = std::move(statistics);
    endResetModel();
}

void StatisticsModel::setDarkBackground(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (rowCount() > 0)
        emit dataChanged(index(0, Errors), index(rowCount() - 1, Errors), {Qt::ForegroundRole});
}

int StatisticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_statistics ? 0 : static_cast<int>(m_statistics->all.groups.size());
}

int StatisticsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString StatisticsModel::noun() const
{
    return m_statistics && m_statistics->all.grouping != StatisticsGrouping::Root ? tr("spans") : tr("traces");
}

QVariant StatisticsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const SetStatistics& s = *m_statistics;
    const std::size_t row = static_cast<std::size_t>(index.row());
    const StatisticsGroup& g = s.all.groups[row];
    const int column = index.column();
    if (role == GroupRole)
        return index.row();
    if (role == Qt::TextAlignmentRole)
        return column == Key ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && column == Errors && g.errorCount > 0)
        return theme::error(m_dark);
    if (role == Qt::ForegroundRole && (column == CriticalDelta || column == SelfDelta)) {
        const double delta = column == CriticalDelta ? s.criticalPerSlowTrace(row) - s.criticalPerTrace(row)
                                                     : s.selfPerSlowTrace(row) - s.selfPerTrace(row);
        // A group's share of the slowdown: slower by a tenth of the slowest traces' excess or more.
        const double excess = s.meanSlowestTraceNanos - s.meanTraceNanos;
        return excess > 0 && delta >= 0.1 * excess ? QVariant(theme::slower(m_dark)) : QVariant();
    }
    if (role == Qt::ToolTipRole) {
        if (column == Key)
            return QString::fromStdString(g.key);
        if (column == Errors)
            return tr("%1 of %2 %3 failed").arg(countText(g.errorCount), countText(g.count), noun());
        if (column == Count)
            return tr("%1 %2 in %3 traces").arg(countText(g.count), noun(), countText(g.traceCount));
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    const auto time = [sort](double nanos) -> QVariant {
        return sort ? QVariant(nanos) : QVariant(durationText(static_cast<TimeNs>(std::llround(nanos))));
    };
    const auto delta = [sort](double nanos) -> QVariant {
        return sort ? QVariant(nanos) : QVariant(signedDurationText(nanos));
    };
    switch (column) {
    case Key:
        return QString::fromStdString(g.key);
    case Count:
        return sort ? QVariant(static_cast<qulonglong>(g.count)) : QVariant(countText(g.count));
    case Errors:
        return sort ? QVariant(g.count > 0 ? double(g.errorCount) / g.count : 0.0)
                    : QVariant(errorRateText(g.errorCount, g.count));
    case Min:
        return time(double(g.minNanos));
    case P50:
        return time(double(g.p50Nanos));
    case P90:
        return time(double(g.p90Nanos));
    case P99:
        return time(double(g.p99Nanos));
    case Max:
        return time(double(g.maxNanos));
    case SelfPerTrace:
        return time(g.meanSelfNanos);
    case CriticalPerTrace:
        return time(g.meanCriticalNanos);
    case CriticalAll:
        return time(s.criticalPerTrace(row));
    case CriticalSlowest:
        return time(s.criticalPerSlowTrace(row));
    case CriticalDelta:
        return delta(s.criticalPerSlowTrace(row) - s.criticalPerTrace(row));
    case SelfAll:
        return time(s.selfPerTrace(row));
    case SelfSlowest:
        return time(s.selfPerSlowTrace(row));
    case SelfDelta:
        return delta(s.selfPerSlowTrace(row) - s.selfPerTrace(row));
    default:
        return {};
    }
}

QVariant StatisticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::InitialSortOrderRole) // a first click on a number puts the largest first
        return section == Key ? Qt::AscendingOrder : Qt::DescendingOrder;
    if (role == Qt::TextAlignmentRole)
        return section == Key ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const bool byTrace = !m_statistics || m_statistics->all.grouping == StatisticsGrouping::Root;
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SelfPerTrace:
            return tr("The group's self time (its spans' time not spent waiting for their children), "
                      "on average over the traces that have it");
        case CriticalPerTrace:
            return tr("The time the group's spans spend on their trace's critical path, on average over the traces "
                      "that have it");
        case CriticalAll:
        case CriticalSlowest:
        case CriticalDelta:
        case SelfAll:
        case SelfSlowest:
        case SelfDelta:
            return tr("Per trace over all traces (a trace without the group counts 0), so the groups add up: "
                      "in all traces, in the slowest 1 % (at or above the p99 trace duration), and how much more "
                      "the slowest take");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key:
        return !m_statistics                                               ? tr("Group")
               : m_statistics->all.grouping == StatisticsGrouping::Root    ? tr("Root operation")
               : m_statistics->all.grouping == StatisticsGrouping::Service ? tr("Service")
                                                                           : tr("Service: operation");
    case Count:
        return byTrace ? tr("Traces") : tr("Spans");
    case Errors:
        return tr("Errors");
    case Min:
        return tr("Min");
    case P50:
        return tr("p50");
    case P90:
        return tr("p90");
    case P99:
        return tr("p99");
    case Max:
        return tr("Max");
    case SelfPerTrace:
        return tr("Self / trace");
    case CriticalPerTrace:
        return tr("Critical / trace");
    case CriticalAll:
        return tr("Critical, all");
    case CriticalSlowest:
        return tr("Critical, slowest 1 %");
    case CriticalDelta:
        return tr("Δ critical");
    case SelfAll:
        return tr("Self, all");
    case SelfSlowest:
        return tr("Self, slowest 1 %");
    case SelfDelta:
        return tr("Δ self");
    default:
        return {};
    }
}

} // namespace spanwise
