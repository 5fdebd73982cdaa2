#include "annotation_overlay.h"

#include "annotation_store.h"
#include "model_text.h"
#include "waterfall_view.h"

#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QShortcut>

namespace spanwise {

namespace {

QString noteHtml(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

} // namespace

AnnotationOverlay::AnnotationOverlay(WaterfallView* view, TraceViewState* state)
    : QObject(view), m_view(view), m_state(state)
{
    m_editor = new QLineEdit(view->viewport());
    m_editor->hide();
    m_editor->setFrame(true);
    connect(m_editor, &QLineEdit::editingFinished, this, [this] { // Enter, or focus moved away
        if (!m_editor->isVisible())
            return;
        m_editor->hide();
        if (auto commit = std::exchange(m_commit, nullptr))
            commit(m_editor->text().trimmed());
        m_view->setFocus();
    });
    auto* cancel = new QShortcut(QKeySequence(Qt::Key_Escape), m_editor, nullptr, nullptr, Qt::WidgetShortcut);
    connect(cancel, &QShortcut::activated, this, [this] {
        m_commit = nullptr;
        m_editor->hide();
        m_view->setFocus();
    });
}

void AnnotationOverlay::setStore(AnnotationStore* store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (store) {
        connect(store, &AnnotationStore::changed, this, &AnnotationOverlay::rebuildIndex);
        connect(store, &QObject::destroyed, this, &AnnotationOverlay::rebuildIndex);
    }
    rebuildIndex();
}

AnnotationStore* AnnotationOverlay::store() const
{
    return m_store;
}

void AnnotationOverlay::rebuildIndex()
{
    m_index = m_store ? indexAnnotations(m_store->document(), m_state->trace().id) : TraceAnnotations{};
    m_view->viewport()->update();
}

void AnnotationOverlay::setRangeSelection(TimeNs start, TimeNs end)
{
    m_marks.rangeSelection = std::make_pair(std::min(start, end), std::max(start, end));
    m_view->viewport()->update();
}

void AnnotationOverlay::clearRangeSelection()
{
    m_marks.rangeSelection.reset();
    m_view->viewport()->update();
}

TimeNs AnnotationOverlay::timeAt(int x) const
{
    return m_view->timeScale().toTime(x - m_view->nameColumnWidth());
}

QRect AnnotationOverlay::annotationRect(std::uint64_t id) const
{
    if (!m_store || !m_store->document().find(id))
        return {}; // the hits name what was drawn last, which may since have been removed
    for (const WaterfallPainter::NoteHit& hit : m_view->painter().noteHits()) {
        if (hit.id == id)
            return hit.rect;
    }
    return {};
}

std::uint64_t AnnotationOverlay::annotationAt(const QPoint& pos) const
{
    if (!m_store)
        return 0;
    const auto& hits = m_view->painter().noteHits();
    for (auto it = hits.rbegin(); it != hits.rend(); ++it) { // the one drawn last is on top
        if (it->rect.contains(pos))
            return m_store->document().find(it->id) ? it->id : 0;
    }
    return 0;
}

void AnnotationOverlay::startEditor(const QRect& where, const QString& text, std::function<void(const QString&)> commit)
{
    m_commit = std::move(commit);
    const QWidget* viewport = m_view->viewport();
    const int width = std::clamp(where.width(), 220, std::max(220, viewport->width() / 2));
    const int height = m_editor->sizeHint().height();
    QRect rect(where.left(), where.center().y() - height / 2, width, height);
    rect.moveRight(std::min(rect.right(), viewport->width() - 4));
    rect.moveLeft(std::max(rect.left(), 4));
    rect.moveTop(std::clamp(rect.top(), 0, std::max(0, viewport->height() - height)));
    m_editor->setGeometry(rect);
    m_editor->setText(text);
    m_editor->selectAll();
    m_editor->show();
    m_editor->raise();
    m_editor->setFocus();
}

void AnnotationOverlay::beginAddNote(std::uint32_t span)
{
    if (!m_store)
        return;
    m_view->scrollToSpan(span);
    const QRect bar = m_view->barRect(span);
    const QWidget* viewport = m_view->viewport();
    const int nameWidth = m_view->nameColumnWidth();
    const int labelRoom =
        m_view->fontMetrics().horizontalAdvance(durationText(m_state->data().spans[span].duration())) + 14;
    const int left = std::clamp(bar.right() + labelRoom, nameWidth + 4,
                                std::max(nameWidth + 4, viewport->width() - 240));
    const TraceId trace = m_state->trace().id;
    const SpanId id = m_state->data().spans[span].id;
    startEditor(QRect(left, bar.top(), 260, bar.height()), QString(), [this, trace, id](const QString& text) {
        if (!text.isEmpty() && m_store)
            m_store->addSpanNote(trace, id, text);
    });
    m_editor->setPlaceholderText(tr("Note on this span — Enter to add, Esc to cancel"));
}

void AnnotationOverlay::beginAddRangeNote()
{
    if (!m_store || !m_marks.rangeSelection)
        return;
    const TimeScale scale = m_view->timeScale();
    const auto [start, end] = *m_marks.rangeSelection;
    const int left = m_view->nameColumnWidth() + static_cast<int>(std::clamp(scale.toX(start), 0.0, scale.width));
    const TraceId trace = m_state->trace().id;
    startEditor(QRect(left, m_view->rulerHeight() + 2, 260, m_view->rowHeight()), QString(),
                [this, trace, start, end](const QString& text) {
        if (!text.isEmpty() && m_store) {
            m_store->addRangeNote(trace, start, end, text);
            clearRangeSelection();
        }
    });
    m_editor->setPlaceholderText(tr("Note on this time range — Enter to add, Esc to cancel"));
}

void AnnotationOverlay::beginEditNote(std::uint64_t id)
{
    const Annotation* note = m_store ? m_store->document().find(id) : nullptr;
    if (!note || note->kind == AnnotationKind::Highlight)
        return;
    if (note->kind == AnnotationKind::SpanNote) {
        for (std::uint32_t span = m_state->trace().first; span < m_state->trace().end_index(); ++span) {
            if (m_state->data().spans[span].id == note->span) {
                m_state->reveal(span);
                m_view->scrollToSpan(span);
                break;
            }
        }
    }
    m_view->viewport()->repaint(); // lays out the callouts where the editor goes
    QRect where = annotationRect(id);
    if (where.isEmpty())
        where = QRect(m_view->nameColumnWidth() + 4, m_view->rulerHeight() + 2, 260, m_view->rowHeight());
    startEditor(where, QString::fromStdString(note->text), [this, id](const QString& text) {
        if (!text.isEmpty() && m_store)
            m_store->setText(id, text);
    });
    m_editor->setPlaceholderText(QString());
}

bool AnnotationOverlay::mousePress(QMouseEvent* event)
{
    m_pressPos = event->pos();
    m_dragMoved = false;
    m_drag = Drag::None;
    if (event->button() != Qt::LeftButton || !m_store)
        return false;
    if (const std::uint64_t id = annotationAt(event->pos())) {
        const Annotation* note = m_store->document().find(id);
        m_drag = note->kind == AnnotationKind::RangeNote ? Drag::RangeNote : Drag::Note;
        m_dragged = id;
        return true;
    }
    if (event->pos().y() < m_view->rulerHeight() && event->pos().x() > m_view->nameColumnWidth()) {
        m_drag = Drag::RangeSelect;
        m_rangeAnchor = timeAt(event->pos().x());
        return true;
    }
    return false;
}

bool AnnotationOverlay::mouseMove(QMouseEvent* event)
{
    if (m_drag == Drag::None)
        return false;
    if ((event->pos() - m_pressPos).manhattanLength() > 3)
        m_dragMoved = true;
    if (!m_dragMoved)
        return true;
    if (m_drag == Drag::RangeSelect) {
        const double x = std::clamp<double>(event->pos().x() - m_view->nameColumnWidth(), 0, m_view->timeScale().width);
        setRangeSelection(m_rangeAnchor, m_view->timeScale().toTime(x));
        return true;
    }
    m_view->viewport()->setCursor(m_drag == Drag::Note ? Qt::DragMoveCursor : Qt::SizeHorCursor);
    if (m_drag == Drag::RangeNote) { // the band follows the mouse
        m_marks.draggedRangeNote = m_dragged;
        m_marks.dragDelta = static_cast<TimeNs>((event->pos().x() - m_pressPos.x()) * m_view->timeScale().nsPerPixel());
        m_view->viewport()->update();
    }
    return true;
}

bool AnnotationOverlay::mouseRelease(QMouseEvent* event)
{
    const Drag drag = std::exchange(m_drag, Drag::None);
    if (drag == Drag::None)
        return false;
    if (drag == Drag::RangeSelect && !m_dragMoved)
        clearRangeSelection();           // a click on the ruler
    if (drag == Drag::Note && m_store) { // dropped on another span, or a click on it
        if (const int row = m_view->rowAt(event->pos().y()); row >= 0) {
            if (m_dragMoved)
                m_store->moveSpanNote(m_dragged, m_state->data().spans[m_state->rows()[row]].id);
            else
                m_state->select(m_state->rows()[row]);
        }
    }
    if (drag == Drag::RangeNote && m_dragMoved && m_store) { // slid along the time axis
        if (const Annotation* note = m_store->document().find(m_dragged)) {
            const auto delta = static_cast<TimeNs>((event->pos().x() - m_pressPos.x()) *
                                                   m_view->timeScale().nsPerPixel());
            m_store->moveRangeNote(m_dragged, note->start + delta, note->end + delta);
        }
    }
    m_marks.draggedRangeNote = 0;
    m_marks.dragDelta = 0;
    m_view->viewport()->setCursor(Qt::ArrowCursor);
    m_view->viewport()->update();
    return true;
}

bool AnnotationOverlay::mouseDoubleClick(QMouseEvent* event)
{
    const std::uint64_t id = annotationAt(event->pos());
    if (id)
        beginEditNote(id);
    return id != 0;
}

void AnnotationOverlay::showAnnotationMenu(QMenu& menu, std::uint64_t id)
{
    const Annotation* note = m_store->document().find(id);
    const bool range = note->kind == AnnotationKind::RangeNote;
    menu.addAction(range ? tr("Edit Range Note…") : tr("Edit Note…"), this, [this, id] { beginEditNote(id); });
    if (range) {
        const TimeNs start = note->start, end = note->end;
        menu.addAction(tr("Zoom to Range"), this, [this, start, end] {
            const TimeNs margin = std::max<TimeNs>((end - start) / 20, 500);
            m_state->setViewRange(start - margin, end + margin);
        });
        menu.addAction(
                tr("Move to Selected Range"), this,
                [this, id] {
            m_store->moveRangeNote(id, m_marks.rangeSelection->first, m_marks.rangeSelection->second);
            clearRangeSelection();
                })
            ->setEnabled(m_marks.rangeSelection.has_value());
    }
    menu.addAction(range ? tr("Delete Range Note") : tr("Delete Note"), this, [this, id] { m_store->remove(id); });
}

bool AnnotationOverlay::contextMenu(QContextMenuEvent* event)
{
    if (!m_store)
        return false;
    QMenu menu(m_view);
    if (const std::uint64_t id = annotationAt(event->pos())) {
        showAnnotationMenu(menu, id);
        menu.exec(event->globalPos());
        return true;
    }
    if (event->pos().y() >= m_view->rulerHeight() || event->pos().x() <= m_view->nameColumnWidth())
        return false;
    const bool selected = m_marks.rangeSelection.has_value();
    menu.addAction(tr("Add Range Note…"), this, &AnnotationOverlay::beginAddRangeNote)->setEnabled(selected);
    menu.addAction(
            tr("Zoom to Selected Range"), this,
            [this] {
        m_state->setViewRange(m_marks.rangeSelection->first, m_marks.rangeSelection->second);
        clearRangeSelection();
            })
        ->setEnabled(selected);
    menu.addAction(tr("Clear Selected Range"), this, &AnnotationOverlay::clearRangeSelection)->setEnabled(selected);
    if (!selected)
        menu.addAction(tr("Drag on the ruler to select a time range"))->setEnabled(false);
    menu.exec(event->globalPos());
    return true;
}

void AnnotationOverlay::addSpanActions(QMenu& menu, std::uint32_t span)
{
    if (!m_store)
        return;
    menu.addSeparator();
    withKey(menu.addAction(tr("Add Note…"), this, [this, span] { beginAddNote(span); }), QKeySequence(Qt::Key_N));
    const TraceId trace = m_state->trace().id;
    const SpanId id = m_state->data().spans[span].id;
    const Annotation* highlight = m_store->document().highlightOf(trace, id);
    QMenu* colors = menu.addMenu(tr("Highlight"));
    for (const auto& [name, rgb] : AnnotationStore::highlightColors()) {
        QPixmap swatch(12, 12);
        swatch.fill(QColor::fromRgb(rgb));
        QAction* action = colors->addAction(QIcon(swatch), name, this,
                                            [this, trace, id, rgb = rgb] { m_store->setHighlight(trace, id, rgb); });
        action->setCheckable(true);
        action->setChecked(highlight && highlight->color == rgb);
    }
    menu.addAction(tr("Remove Highlight"), this, [this, trace, id] { m_store->removeHighlight(trace, id); })
        ->setEnabled(highlight != nullptr);
}

QString AnnotationOverlay::annotationToolTip(const QPoint& pos) const
{
    const std::uint64_t id = annotationAt(pos);
    const Annotation* note = id ? m_store->document().find(id) : nullptr;
    if (!note)
        return {};
    QStringList texts;
    if (note->kind == AnnotationKind::SpanNote) {
        for (const Annotation* n : m_index.notes.at(note->span))
            texts << noteHtml(n->text);
    } else {
        texts << QStringLiteral("<b>+%1 – +%2</b>")
                     .arg(durationText(note->start - m_state->trace().start),
                          durationText(note->end - m_state->trace().start))
              << noteHtml(note->text);
    }
    return texts.join(QStringLiteral("<hr>"));
}

QString AnnotationOverlay::spanToolTipNotes(std::uint32_t span, int x) const
{
    QString text;
    if (const auto it = m_index.notes.find(m_state->data().spans[span].id); it != m_index.notes.end()) {
        for (const Annotation* note : it->second)
            text += QStringLiteral("<hr>") + QString::fromStdString(note->text).toHtmlEscaped();
    }
    if (x > m_view->nameColumnWidth()) { // the range notes under the cursor
        const TimeNs time = timeAt(x);
        for (const Annotation* range : m_index.ranges) {
            if (range->start <= time && time <= range->end)
                text += QStringLiteral("<hr><i>%1</i>").arg(QString::fromStdString(range->text).toHtmlEscaped());
        }
    }
    return text;
}

} // namespace spanwise
