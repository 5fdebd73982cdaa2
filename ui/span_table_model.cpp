#include "span_table_model.h"

#include "model_text.h"
#include "span_details.h"
#include "theme.h"

#include <exception_event.h>
#include <self_time.h>

#include <QLocale>

#include <algorithm>
#include <cctype>
#include <numeric>

namespace spanwise {

namespace {

bool lessIgnoringCase(std::string_view a, std::string_view b)
{
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int x = std::tolower(static_cast<unsigned char>(a[i]));
        const int y = std::tolower(static_cast<unsigned char>(b[i]));
        if (x != y)
            return x < y;
    }
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// SpanKind in the alphabetical order of its names.
int kindRank(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Client:
        return 0;
    case SpanKind::Consumer:
        return 1;
    case SpanKind::Internal:
        return 2;
    case SpanKind::Producer:
        return 3;
    case SpanKind::Server:
        return 4;
    case SpanKind::Unspecified:
        break;
    }
    return 5;
}

} // namespace

SpanTableModel::SpanTableModel(TraceViewState* state, QObject* parent) : QAbstractTableModel(parent), m_state(state)
{
    const Dataset& data = state->data();
    const Trace& trace = state->trace();
    // Each span's self time walks its direct children only: one pass over the trace in all.
    m_selfTime.resize(trace.count);
    m_exceptions.resize(trace.count);
    for (std::uint32_t i = 0; i < trace.count; ++i) {
        const Span& s = data.spans[trace.first + i];
        m_selfTime[i] = selfTime(data, trace.first + i);
        m_totalSelfTime = saturatingAdd(m_totalSelfTime, m_selfTime[i]);
        for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
            if (isExceptionEvent(data, data.events[e]) && m_exceptions[i] < 0xffff)
                ++m_exceptions[i];
        }
    }
    m_criticalTime = criticalTimePerSpan(trace, state->criticalPath());
    rebuildRows();
    connect(state, &TraceViewState::focusChanged, this, [this] {
        beginResetModel();
        rebuildRows();
        endResetModel();
    });
    connect(state, &TraceViewState::searchChanged, this, [this] {
        if (!m_rows.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::BackgroundRole});
    });
}

void SpanTableModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                         {Qt::BackgroundRole, Qt::ForegroundRole, Qt::DecorationRole});
}

std::uint32_t SpanTableModel::totalSpans() const
{
    return m_state->rangeEnd() - m_state->rangeBegin();
}

void SpanTableModel::rebuildRows()
{
    const std::uint32_t first = m_state->rangeBegin();
    const std::uint32_t end = m_state->rangeEnd();
    if (m_filter.empty()) {
        m_rows.resize(end - first);
        std::iota(m_rows.begin(), m_rows.end(), first);
    } else {
        m_rows = searchSpans(m_state->data(), first, end, m_filter);
    }
    applySort();
}

void SpanTableModel::setFilter(SpanQuery query)
{
    beginResetModel();
    m_filter = std::move(query);
    rebuildRows();
    endResetModel();
}

void SpanTableModel::updateRowIndex()
{
    m_rowOf.assign(m_state->trace().count, -1);
    for (std::size_t row = 0; row < m_rows.size(); ++row)
        m_rowOf[local(m_rows[row])] = static_cast<std::int32_t>(row);
}

int SpanTableModel::rowOf(std::uint32_t span) const
{
    const Trace& trace = m_state->trace();
    if (span < trace.first || span >= trace.end_index())
        return -1;
    return m_rowOf[local(span)];
}

int SpanTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SpanTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstAttribute + static_cast<int>(m_attributeColumns.size());
}

const Value* SpanTableModel::attributeOf(std::uint32_t span, StringId key) const
{
    const Dataset& data = m_state->data();
    const Span& s = data.spans[span];
    for (std::uint32_t a = s.attributes.first; a < s.attributes.end(); ++a) {
        if (data.attributes[a].key == key)
            return &data.attributes[a].value;
    }
    if (s.resource != kNoIndex) {
        const Range r = data.resources[s.resource].attributes;
        for (std::uint32_t a = r.first; a < r.end(); ++a) {
            if (data.attributes[a].key == key)
                return &data.attributes[a].value;
        }
    }
    return nullptr;
}

QString SpanTableModel::text(int row, int column) const
{
    const Dataset& data = m_state->data();
    const std::uint32_t span = spanAt(row);
    const Span& s = data.spans[span];
    switch (column) {
    case Service:
        return qstr(data.str(s.service));
    case Operation:
        return qstr(data.str(s.name));
    case Start:
        return durationText(s.start - m_state->trace().start);
    case Duration:
        return durationText(s.duration());
    case SelfTime:
        return durationText(m_selfTime[local(span)]);
    case SelfShare:
        return m_totalSelfTime <= 0 ? QString()
                                    : QLocale().toString(100.0 * static_cast<double>(m_selfTime[local(span)]) /
                                                             static_cast<double>(m_totalSelfTime),
                                                         'f', 1) +
                                          QStringLiteral(" %");
    case CriticalTime:
        return m_criticalTime[local(span)] > 0 ? durationText(m_criticalTime[local(span)]) : QString();
    case Errors: {
        const int exceptions = m_exceptions[local(span)];
        QStringList parts;
        if (s.status == StatusCode::Error)
            parts << tr("error");
        if (exceptions == 1)
            parts << tr("1 exception");
        else if (exceptions > 1)
            parts << tr("%1 exceptions").arg(exceptions);
        return parts.join(QStringLiteral(", "));
    }
    case Kind:
        return s.kind == SpanKind::Unspecified ? QString() : QString::fromLatin1(toString(s.kind));
    default:
        break;
    }
    const Value* value = attributeOf(span, m_attributeColumns[static_cast<std::size_t>(column - FirstAttribute)]);
    return value ? attributeText(data, *value) : QString();
}

QVariant SpanTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const std::uint32_t span = spanAt(index.row());
    const int column = index.column();
    const bool dark = hasDarkBase(m_palette);
    switch (role) {
    case Qt::DisplayRole:
        return text(index.row(), column);
    case SpanRole:
        return QVariant::fromValue(span);
    case Qt::ToolTipRole: { // what a narrow column elides; why the span failed
        const Span& s = m_state->data().spans[span];
        if (column == Errors && s.statusMessage != 0)
            return QString(text(index.row(), column) + QStringLiteral(": ") +
                           qstr(m_state->data().str(s.statusMessage)));
        if (column == Operation || column >= FirstAttribute)
            return text(index.row(), column);
        return {};
    }
    case SortRole: // names sort by their text
        if (column == Service || column == Operation || column >= FirstAttribute)
            return text(index.row(), column);
        return static_cast<double>(numericKey(column, span));
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((column >= Start && column <= CriticalTime ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (column == Service)
            return m_state->serviceColors().color(m_state->data().str(m_state->data().spans[span].service), dark);
        return {};
    case Qt::ForegroundRole:
        if (column == Errors)
            return theme::error(dark);
        return {};
    case Qt::BackgroundRole:
        if (m_state->isSearchMatch(span))
            return theme::searchMatch(dark);
        return {};
    default:
        return {};
    }
}

QVariant SpanTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Service:
            return tr("Service");
        case Operation:
            return tr("Operation");
        case Start:
            return tr("Start");
        case Duration:
            return tr("Duration");
        case SelfTime:
            return tr("Self time");
        case SelfShare:
            return tr("Self %");
        case CriticalTime:
            return tr("Critical path");
        case Errors:
            return tr("Errors");
        case Kind:
            return tr("Kind");
        default:
            return qstr(m_state->data().str(m_attributeColumns[static_cast<std::size_t>(section - FirstAttribute)]));
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Start:
            return tr("When the span started, from the start of the trace");
        case SelfTime:
            return tr("The span's duration less the time its children ran");
        case SelfShare:
            return tr("The span's share of the self time of all the trace's spans");
        case CriticalTime:
            return tr("How long the span itself was on the critical path");
        case Errors:
            return tr("Failed status, and exception events");
        default:
            return section >= FirstAttribute
                       ? tr("Attribute %1 of the span or its resource").arg(headerData(section, orientation).toString())
                       : QVariant();
        }
    }
    if (role == Qt::InitialSortOrderRole) // the longest, the most failed first
        return section >= Duration && section <= Errors ? Qt::DescendingOrder : Qt::AscendingOrder;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((section >= Start && section <= CriticalTime ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
    return {};
}

std::vector<std::uint32_t> SpanTableModel::stringRanks(const std::vector<StringId>& ids) const
{
    // Only the distinct strings are compared (a column has few, however many rows), never built.
    const StringPool& pool = m_state->data().strings;
    std::vector<std::uint32_t> rankOf(pool.size(), kNoIndex);
    std::vector<StringId> distinct;
    for (StringId id : ids) {
        if (rankOf[id] == kNoIndex) {
            rankOf[id] = 0;
            distinct.push_back(id);
        }
    }
    std::sort(distinct.begin(), distinct.end(),
              [&](StringId a, StringId b) { return lessIgnoringCase(pool.view(a), pool.view(b)); });
    for (std::size_t r = 0; r < distinct.size(); ++r)
        rankOf[distinct[r]] = static_cast<std::uint32_t>(r);
    std::vector<std::uint32_t> ranks(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        ranks[i] = rankOf[ids[i]];
    return ranks;
}

std::int64_t SpanTableModel::numericKey(int column, std::uint32_t span) const
{
    const Span& s = m_state->data().spans[span];
    switch (column) {
    case Start: // from the trace's start: small numbers take fewer radix passes
        return s.start - m_state->trace().start;
    case Duration:
        return s.duration();
    case SelfTime:
    case SelfShare: // the same order
        return m_selfTime[local(span)];
    case CriticalTime:
        return m_criticalTime[local(span)];
    case Errors:
        return (s.status == StatusCode::Error ? 0x10000 : 0) + m_exceptions[local(span)];
    case Kind:
        return kindRank(s.kind);
    default:
        return 0;
    }
}

std::vector<const Value*> SpanTableModel::attributeOfRange(StringId key) const
{
    const Dataset& data = m_state->data();
    const std::uint32_t first = m_state->rangeBegin();
    std::vector<const Value*> values(m_state->rangeEnd() - first, nullptr);
    std::vector<const Value*> ofResource(data.resources.size(), nullptr);
    std::vector<std::uint8_t> resourceKnown(data.resources.size(), 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const Span& s = data.spans[first + i];
        for (std::uint32_t a = s.attributes.first; a < s.attributes.end() && !values[i]; ++a) {
            if (data.attributes[a].key == key)
                values[i] = &data.attributes[a].value;
        }
        if (!values[i] && s.resource != kNoIndex) {
            if (!resourceKnown[s.resource]) {
                resourceKnown[s.resource] = 1;
                const Range r = data.resources[s.resource].attributes;
                for (std::uint32_t a = r.first; a < r.end() && !ofResource[s.resource]; ++a) {
                    if (data.attributes[a].key == key)
                        ofResource[s.resource] = &data.attributes[a].value;
                }
            }
            values[i] = ofResource[s.resource];
        }
    }
    return values;
}

std::vector<KeyedRow> SpanTableModel::sortKeys(int column) const
{
    // A key per span of the focused range in one pass in memory order, then gathered for the rows,
    // which may come in any order: 16 bytes a row are read out of order, not a whole span.
    const Dataset& data = m_state->data();
    const std::uint32_t first = m_state->rangeBegin();
    std::vector<KeyedRow> keyOf(m_state->rangeEnd() - first);
    if (column == Service || column == Operation) {
        std::vector<StringId> ids(keyOf.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const Span& s = data.spans[first + i];
            ids[i] = column == Service ? s.service : s.name;
        }
        const std::vector<std::uint32_t> ranks = stringRanks(ids);
        for (std::size_t i = 0; i < ids.size(); ++i)
            keyOf[i].key = ranks[i];
    } else if (column < FirstAttribute) {
        for (std::size_t i = 0; i < keyOf.size(); ++i)
            keyOf[i].key = orderedKey(numericKey(column, first + static_cast<std::uint32_t>(i)));
    } else {
        // Numbers (and booleans) by value, then strings in order, then other values, then none.
        const std::vector<const Value*> values = attributeOfRange(
            m_attributeColumns[static_cast<std::size_t>(column - FirstAttribute)]);
        std::vector<StringId> strings;
        std::vector<std::size_t> stringAt;
        for (std::size_t i = 0; i < keyOf.size(); ++i) {
            const Value* value = values[i];
            const ValueType type = value ? value->type() : ValueType::Empty;
            if (!value) {
                keyOf[i].group = 3;
            } else if (type == ValueType::Int) {
                keyOf[i].key = orderedKey(static_cast<double>(value->integer()));
            } else if (type == ValueType::Double) {
                keyOf[i].key = orderedKey(value->real());
            } else if (type == ValueType::Bool) {
                keyOf[i].key = orderedKey(value->boolean() ? 1.0 : 0.0);
            } else if (type == ValueType::String) {
                keyOf[i].group = 1;
                strings.push_back(value->stringId());
                stringAt.push_back(i);
            } else {
                keyOf[i].group = 2;
            }
        }
        const std::vector<std::uint32_t> ranks = stringRanks(strings);
        for (std::size_t s = 0; s < strings.size(); ++s)
            keyOf[stringAt[s]].key = ranks[s];
    }
    std::vector<KeyedRow> keys(m_rows.size());
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        keys[i] = keyOf[m_rows[i] - first];
        keys[i].row = m_rows[i];
    }
    return keys;
}

void SpanTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < -1 || column >= columnCount())
        return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<std::uint32_t> spansBefore;
    spansBefore.reserve(static_cast<std::size_t>(before.size()));
    for (const QModelIndex& index : before)
        spansBefore.push_back(spanAt(index.row()));
    m_sortColumn = column;
    m_sortOrder = order;
    applySort();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i)
        after << index(rowOf(spansBefore[static_cast<std::size_t>(i)]), before[i].column());
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void SpanTableModel::applySort()
{
    if (m_sortColumn < 0) {
        std::sort(m_rows.begin(), m_rows.end()); // the trace's order
    } else {
        // Stable: sorting by service after duration lists each service's spans by duration.
        std::vector<KeyedRow> keys = sortKeys(m_sortColumn);
        radixSort(keys, m_sortOrder == Qt::DescendingOrder);
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            m_rows[i] = keys[i].row;
    }
    updateRowIndex();
}

std::vector<StringId> SpanTableModel::attributeKeys() const
{
    const Dataset& data = m_state->data();
    const Trace& trace = m_state->trace();
    std::vector<std::uint32_t> count(data.strings.size(), 0);
    std::vector<std::uint32_t> spansOfResource(data.resources.size(), 0);
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = data.spans[i];
        for (std::uint32_t a = s.attributes.first; a < s.attributes.end(); ++a)
            ++count[data.attributes[a].key];
        if (s.resource != kNoIndex)
            ++spansOfResource[s.resource];
    }
    for (std::size_t r = 0; r < data.resources.size(); ++r) {
        const Range range = data.resources[r].attributes;
        for (std::uint32_t a = range.first; a < range.end() && spansOfResource[r] > 0; ++a)
            count[data.attributes[a].key] += spansOfResource[r];
    }
    std::vector<StringId> keys;
    for (StringId key = 1; key < count.size(); ++key) {
        if (count[key] > 0)
            keys.push_back(key);
    }
    std::stable_sort(keys.begin(), keys.end(), [&](StringId a, StringId b) {
        return count[a] != count[b] ? count[a] > count[b] : lessIgnoringCase(data.str(a), data.str(b));
    });
    return keys;
}

void SpanTableModel::addAttributeColumn(StringId key)
{
    if (std::find(m_attributeColumns.begin(), m_attributeColumns.end(), key) != m_attributeColumns.end())
        return;
    const int column = columnCount();
    beginInsertColumns({}, column, column);
    m_attributeColumns.push_back(key);
    endInsertColumns();
}

void SpanTableModel::removeAttributeColumn(StringId key)
{
    const auto it = std::find(m_attributeColumns.begin(), m_attributeColumns.end(), key);
    if (it == m_attributeColumns.end())
        return;
    const int column = FirstAttribute + static_cast<int>(it - m_attributeColumns.begin());
    if (m_sortColumn == column) {
        m_sortColumn = -1; // the rows keep the order they have
    } else if (m_sortColumn > column) {
        --m_sortColumn;
    }
    beginRemoveColumns({}, column, column);
    m_attributeColumns.erase(it);
    endRemoveColumns();
}

QString SpanTableModel::tsv(const std::vector<int>& rows) const
{
    // Tabs and line breaks inside a cell would split it: they become spaces.
    auto clean = [](QString cell) {
        cell.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        return cell.replace(QLatin1Char('\r'), QLatin1Char(' '));
    };
    QStringList lines;
    QStringList cells;
    for (int column = 0; column < columnCount(); ++column)
        cells << clean(headerData(column, Qt::Horizontal).toString());
    lines << cells.join(QLatin1Char('\t'));
    for (int row : rows) {
        cells.clear();
        for (int column = 0; column < columnCount(); ++column)
            cells << clean(text(row, column));
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace spanwise
