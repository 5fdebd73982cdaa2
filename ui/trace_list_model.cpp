#include "trace_list_model.h"

#include "model_text.h"
#include "theme.h"

#include <QColor>
#include <QDateTime>
#include <QDir>

namespace spanwise {

TraceListModel::TraceListModel(std::shared_ptr<const TraceSet> set, QObject* parent)
    : QAbstractTableModel(parent), m_set(std::move(set))
{
    std::vector<QString> fileNames;
    for (const std::string& name : m_set->shortNames())
        fileNames.push_back(QDir::toNativeSeparators(QString::fromStdString(name)));
    m_rows.reserve(m_set->traces.size());
    for (const TraceRef ref : m_set->traces) {
        const Dataset& data = m_set->dataset(ref);
        const Trace& t = data.traces[ref.trace];
        Row row;
        row.fileName = fileNames[ref.file];
        const auto top = data.topLevelSpans(t);
        if (!top.empty()) {
            const Span& root = data.spans[top.front()];
            row.rootService = qstr(data.str(root.service));
            row.rootOperation = qstr(data.str(root.name));
        }
        row.serviceCount = static_cast<int>(data.services(t).size());
        m_rows.push_back(row);
    }
}

TraceRef TraceListModel::traceAt(const QModelIndex& index)
{
    return {index.data(FileIndexRole).toUInt(), index.data(TraceIndexRole).toUInt()};
}

int TraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const TraceRef ref = m_set->traces[index.row()];
    const Trace& t = m_set->trace(ref);
    const Row& row = m_rows[index.row()];
    if (role == TraceIndexRole)
        return ref.trace;
    if (role == FileIndexRole)
        return ref.file;
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Duration ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::ForegroundRole && index.column() == Errors && t.errorCount > 0)
        return theme::error(false);
    if (role == Qt::ToolTipRole && index.column() == File)
        return QDir::toNativeSeparators(QString::fromStdString(m_set->files[ref.file].path));
    if (role == Qt::ToolTipRole && (index.column() == RootService || index.column() == RootOperation))
        role = Qt::DisplayRole; // the names may be elided
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case File:
        if (sort) // files in the order given, then their traces in order
            return static_cast<qlonglong>(index.row());
        return row.fileName;
    case TraceId:
        return QString::fromStdString(toHex(t.id));
    case RootService:
        return row.rootService;
    case RootOperation:
        return row.rootOperation;
    case Start:
        if (sort)
            return static_cast<qlonglong>(t.start);
        return QDateTime::fromMSecsSinceEpoch(t.start / 1'000'000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Duration:
        if (sort)
            return static_cast<qlonglong>(t.duration());
        return durationText(t.duration());
    case Spans:
        return t.count;
    case Services:
        return row.serviceCount;
    case Errors:
        return t.errorCount;
    default:
        return {};
    }
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::InitialSortOrderRole) // a first click on a count or a duration puts the largest first
        return section >= Duration ? Qt::DescendingOrder : Qt::AscendingOrder;
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case File:
        return tr("File");
    case TraceId:
        return tr("Trace ID");
    case RootService:
        return tr("Root service");
    case RootOperation:
        return tr("Root operation");
    case Start:
        return tr("Start (UTC)");
    case Duration:
        return tr("Duration");
    case Spans:
        return tr("Spans");
    case Services:
        return tr("Services");
    case Errors:
        return tr("Errors");
    default:
        return {};
    }
}

} // namespace spanwise
