#include "annotations_panel.h"

#include "annotation_store.h"
#include "model_text.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QShortcut>
#include <QTreeView>
#include <QVBoxLayout>

namespace spanwise {

namespace {

QString colorName(std::uint32_t rgb)
{
    for (const auto& [name, value] : AnnotationStore::highlightColors()) {
        if (value == rgb)
            return name;
    }
    return QString::fromStdString(formatColor(rgb));
}

} // namespace

AnnotationListModel::AnnotationListModel(AnnotationStore* store, const TraceViewState* state, QObject* parent)
    : QAbstractTableModel(parent), m_store(store), m_state(state)
{
    connect(store, &AnnotationStore::changed, this, &AnnotationListModel::rebuild);
    connect(store, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_ids.clear();
        endResetModel();
    });
    rebuild();
}

void AnnotationListModel::rebuild()
{
    std::vector<std::uint64_t> ids;
    for (const Annotation& a : m_store->document().items()) {
        if (a.trace == m_state->trace().id)
            ids.push_back(a.id);
    }
    if (ids == m_ids) { // same rows: keep the selection in the view
        if (!m_ids.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_ids = std::move(ids);
    endResetModel();
}

const Annotation* AnnotationListModel::at(int row) const
{
    if (!m_store || row < 0 || row >= rowCount())
        return nullptr;
    return m_store->document().find(m_ids[static_cast<std::size_t>(row)]);
}

int AnnotationListModel::rowOf(std::uint64_t id) const
{
    const auto it = std::find(m_ids.begin(), m_ids.end(), id);
    return it == m_ids.end() ? -1 : static_cast<int>(it - m_ids.begin());
}

std::uint32_t AnnotationListModel::spanOf(const Annotation& annotation) const
{
    if (annotation.kind == AnnotationKind::RangeNote)
        return kNoIndex;
    const Trace& trace = m_state->trace();
    if (m_spanIndex.empty()) {
        for (std::uint32_t span = trace.end_index(); span-- > trace.first;) // the first of duplicates wins
            m_spanIndex[m_state->data().spans[span].id] = span;
    }
    const auto it = m_spanIndex.find(annotation.span);
    return it == m_spanIndex.end() ? kNoIndex : it->second;
}

int AnnotationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int AnnotationListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AnnotationListModel::data(const QModelIndex& index, int role) const
{
    const Annotation* a = index.isValid() ? at(index.row()) : nullptr;
    if (!a)
        return {};
    if (role == Qt::DecorationRole && index.column() == KindColumn && a->kind == AnnotationKind::Highlight) {
        QPixmap swatch(12, 12);
        swatch.fill(QColor::fromRgb(static_cast<QRgb>(a->color)));
        return swatch;
    }
    if (role == Qt::EditRole && index.column() == TextColumn)
        return QString::fromStdString(a->text);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case KindColumn:
        return a->kind == AnnotationKind::SpanNote    ? tr("Note")
               : a->kind == AnnotationKind::RangeNote ? tr("Range")
                                                      : tr("Highlight");
    case WhereColumn: {
        if (a->kind == AnnotationKind::RangeNote) {
            const TimeNs origin = m_state->trace().start;
            return tr("+%1 – +%2").arg(durationText(a->start - origin), durationText(a->end - origin));
        }
        const std::uint32_t span = spanOf(*a);
        if (span == kNoIndex)
            return tr("span %1 (not in this trace)").arg(QString::fromStdString(toHex(a->span)));
        const Span& s = m_state->data().spans[span];
        return QStringLiteral("%1 %2").arg(qstr(m_state->data().str(s.service)), qstr(m_state->data().str(s.name)));
    }
    case TextColumn:
        if (a->kind == AnnotationKind::Highlight)
            return colorName(a->color);
        return role == Qt::ToolTipRole ? QString::fromStdString(a->text)
                                       : QString::fromStdString(a->text).replace(QLatin1Char('\n'), QLatin1Char(' '));
    default:
        return {};
    }
}

QVariant AnnotationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KindColumn:
        return tr("Kind");
    case WhereColumn:
        return tr("On");
    case TextColumn:
        return tr("Note");
    default:
        return {};
    }
}

Qt::ItemFlags AnnotationListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    const Annotation* a = index.isValid() ? at(index.row()) : nullptr;
    if (a && index.column() == TextColumn && a->kind != AnnotationKind::Highlight)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool AnnotationListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const Annotation* a = index.isValid() ? at(index.row()) : nullptr;
    if (!a || role != Qt::EditRole || index.column() != TextColumn || a->kind == AnnotationKind::Highlight)
        return false;
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return false;
    m_store->setText(a->id, text); // the store's change signal updates the row
    return true;
}

AnnotationsPanel::AnnotationsPanel(AnnotationStore* store, TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_store(store), m_state(state), m_model(new AnnotationListModel(store, state, this)),
      m_list(new QTreeView(this)), m_saveInfo(new QLabel(this)), m_edit(new QPushButton(tr("Edit"), this)),
      m_delete(new QPushButton(tr("Delete"), this))
{
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(AnnotationListModel::KindColumn, QHeaderView::ResizeToContents);
    m_list->setColumnWidth(AnnotationListModel::WhereColumn, 160);
    m_saveInfo->setWordWrap(true);
    m_saveInfo->setTextFormat(Qt::PlainText);
    m_saveInfo->setContentsMargins(6, 4, 6, 4);
    m_saveInfo->setForegroundRole(QPalette::PlaceholderText);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_saveInfo);

    connect(m_list, &QTreeView::clicked, this,
            [this](const QModelIndex& index) { reveal(m_model->idAt(index.row())); });
    connect(m_list, &QTreeView::activated, this,
            [this](const QModelIndex& index) { reveal(m_model->idAt(index.row())); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_list->currentIndex();
        if (current.isValid())
            m_list->edit(m_model->index(current.row(), AnnotationListModel::TextColumn));
    });
    connect(m_delete, &QPushButton::clicked, this, &AnnotationsPanel::deleteSelected);
    auto* del = new QShortcut(QKeySequence::Delete, m_list, nullptr, nullptr, Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &AnnotationsPanel::deleteSelected);
    auto updateButtons = [this] {
        const QModelIndex current = m_list->currentIndex();
        m_delete->setEnabled(current.isValid());
        m_edit->setEnabled(
            current.isValid() &&
            (m_model->flags(m_model->index(current.row(), AnnotationListModel::TextColumn)) & Qt::ItemIsEditable));
    };
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, updateButtons);
    connect(store, &AnnotationStore::changed, this, &AnnotationsPanel::updateInfo);
    connect(store, &AnnotationStore::problemChanged, this, &AnnotationsPanel::updateInfo);
    updateButtons();
    updateInfo();
}

void AnnotationsPanel::updateInfo()
{
    if (!m_store)
        return;
    QStringList lines;
    if (m_model->rowCount() == 0)
        lines << tr("No annotations yet. Right-click a span to add a note or a highlight; drag on the time ruler to "
                    "select a range, then right-click it to add a range note.");
    if (m_store->savePath().isEmpty())
        lines << tr("Annotations are not saved: use File ▸ Save Annotations As… to choose a file.");
    else if (!m_store->problem().isEmpty())
        lines << tr("Saving to %1 failed: use File ▸ Save Annotations As… to save elsewhere.")
                     .arg(QFileInfo(m_store->savePath()).fileName());
    else
        lines << tr("Saved automatically to %1").arg(QFileInfo(m_store->savePath()).fileName());
    const int others = static_cast<int>(m_store->document().items().size()) - m_model->rowCount();
    if (others > 0)
        lines << (others == 1 ? tr("1 annotation on another trace of the file.")
                              : tr("%1 annotations on other traces of the file.").arg(others));
    m_saveInfo->setText(lines.join(QLatin1Char('\n')));
}

void AnnotationsPanel::deleteSelected()
{
    const QModelIndex current = m_list->currentIndex();
    if (current.isValid() && m_store)
        m_store->remove(m_model->idAt(current.row()));
}

void AnnotationsPanel::reveal(std::uint64_t id)
{
    const Annotation* a = m_store ? m_store->document().find(id) : nullptr;
    if (!a)
        return;
    if (a->kind == AnnotationKind::RangeNote) {
        const TimeNs margin = std::max<TimeNs>((a->end - a->start) / 10, 1000);
        m_state->setViewRange(a->start - margin, a->end + margin);
        return;
    }
    const std::uint32_t span = m_model->spanOf(*a);
    if (span == kNoIndex)
        return;
    m_state->reveal(span);
    m_state->select(span);
    const Span& s = m_state->data().spans[span];
    if (s.end < m_state->viewStart() || s.start > m_state->viewEnd()) // its bar is out of the view
        m_state->resetView();
}

} // namespace spanwise
