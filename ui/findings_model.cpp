#include "findings_model.h"

#include "model_text.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace spanwise {

namespace {

// A finding row's internal id is its group's row + 1; a group row's is 0.
constexpr quintptr kGroupRow = 0;

const char* kindDescription(FindingKind kind)
{
    switch (kind) {
    case FindingKind::NPlusOne:
        return QT_TRANSLATE_NOOP("FindingsModel", "One parent making the same call again and again, one after another");
    case FindingKind::FanOut:
        return QT_TRANSLATE_NOOP("FindingsModel", "One parent making the same call many times in parallel");
    case FindingKind::Error:
        return QT_TRANSLATE_NOOP("FindingsModel", "Failing spans: where the failure started and how far up it went");
    case FindingKind::Gap:
        return QT_TRANSLATE_NOOP("FindingsModel",
                                 "A parent working on its own on the critical path, not explained by any child");
    }
    return "";
}

} // namespace

FindingsModel::FindingsModel(QObject* parent) : QAbstractItemModel(parent) {}

QString FindingsModel::kindTitle(FindingKind kind)
{
    switch (kind) {
    case FindingKind::NPlusOne:
        return tr("N+1 calls");
    case FindingKind::FanOut:
        return tr("Fan-outs");
    case FindingKind::Error:
        return tr("Errors");
    case FindingKind::Gap:
        return tr("Gaps");
    }
    return {};
}

void FindingsModel::setFindings(std::vector<Finding> findings)
{
    beginResetModel();
    m_findings = std::move(findings);
    m_groups.clear();
    for (std::uint32_t i = 0; i < m_findings.size(); ++i) {
        const Finding& finding = m_findings[i];
        auto group = std::find_if(m_groups.begin(), m_groups.end(),
                                  [&](const Group& g) { return g.kind == finding.kind; });
        if (group == m_groups.end())
            group = m_groups.insert(m_groups.end(), Group{finding.kind, {}, 0});
        group->findings.push_back(i);
        group->nanos = std::max(group->nanos, finding.nanos);
    }
    for (Group& group : m_groups) {
        std::stable_sort(group.findings.begin(), group.findings.end(), [this](std::uint32_t a, std::uint32_t b) {
            return m_findings[a].nanos > m_findings[b].nanos;
        });
    }
    std::stable_sort(m_groups.begin(), m_groups.end(),
                     [](const Group& a, const Group& b) { return a.nanos > b.nanos; });
    showGroups();
    endResetModel();
}

void FindingsModel::setKindFilter(std::optional<FindingKind> kind)
{
    if (kind == m_filter)
        return;
    beginResetModel();
    m_filter = kind;
    showGroups();
    endResetModel();
}

void FindingsModel::showGroups()
{
    m_shown.clear();
    for (std::uint32_t g = 0; g < m_groups.size(); ++g) {
        if (!m_filter || m_groups[g].kind == *m_filter)
            m_shown.push_back(g);
    }
}

const FindingsModel::Group& FindingsModel::groupOf(const QModelIndex& index) const
{
    const int row = isGroup(index) ? index.row() : static_cast<int>(index.internalId() - 1);
    return m_groups[m_shown[static_cast<std::size_t>(row)]];
}

std::vector<std::uint32_t> FindingsModel::spansOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return {};
    std::vector<std::uint32_t> spans;
    if (isGroup(index)) {
        for (std::uint32_t f : groupOf(index).findings)
            spans.insert(spans.end(), m_findings[f].spans.begin(), m_findings[f].spans.end());
    } else {
        const Finding& finding = m_findings[groupOf(index).findings[static_cast<std::size_t>(index.row())]];
        spans = finding.spans;
    }
    std::sort(spans.begin(), spans.end());
    spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
    return spans;
}

QModelIndex FindingsModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kGroupRow);
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex FindingsModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || isGroup(child))
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kGroupRow);
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_shown.size());
    if (parent.column() != 0 || !isGroup(parent))
        return 0;
    return static_cast<int>(groupOf(parent).findings.size());
}

int FindingsModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Group& group = groupOf(index);
    const bool isGroupRow = isGroup(index);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Time ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::FontRole && isGroupRow) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (isGroupRow) {
        if (role == Qt::DisplayRole) {
            if (index.column() == Time)
                return durationText(group.nanos);
            return QStringLiteral("%1 (%2)").arg(kindTitle(group.kind),
                                                 QLocale().toString(static_cast<qulonglong>(group.findings.size())));
        }
        if (role == Qt::ToolTipRole) {
            return index.column() == Time ? tr("The most time at stake in one of these findings")
                                          : tr(kindDescription(group.kind));
        }
        return {};
    }
    const Finding& finding = m_findings[group.findings[static_cast<std::size_t>(index.row())]];
    if (role == Qt::DisplayRole)
        return index.column() == Time ? durationText(finding.nanos) : QString::fromStdString(finding.message);
    if (role == Qt::ToolTipRole && index.column() == Text) // rich text: wraps, and the file's text is escaped
        return QStringLiteral("<p>%1</p>").arg(QString::fromStdString(finding.message).toHtmlEscaped());
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return section == Text ? tr("Finding") : section == Time ? tr("Time") : QVariant();
    if (role == Qt::ToolTipRole && section == Time)
        return tr("Time at stake: what fixing it could save at most");
    return {};
}

} // namespace spanwise
