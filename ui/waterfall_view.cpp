#include "waterfall_view.h"

#include "annotation_store.h"
#include "key_motion.h"
#include "model_text.h"
#include "span_details.h"
#include "theme.h"

#include <self_time.h>
#include <span_resource.h>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QToolTip>

#include <cmath>

namespace spanwise {

QAction* withKey(QAction* action, const QKeySequence& key)
{
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetShortcut);
    action->setShortcutVisibleInContextMenu(true);
    return action;
}

WaterfallView::WaterfallView(TraceViewState* state, QWidget* parent)
    : QAbstractScrollArea(parent), m_state(state), m_painter(state), m_overlay(new AnnotationOverlay(this, state))
{
    m_painter.setFont(font());
    m_painter.setPalette(palette());
    m_painter.setAnnotations(&m_overlay->index());
    m_painter.setScreenMarks(&m_overlay->screenMarks());
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    verticalScrollBar()->setSingleStep(1);
    connect(state, &TraceViewState::viewRangeChanged, viewport(), qOverload<>(&QWidget::update));
    connect(state, &TraceViewState::searchChanged, viewport(), qOverload<>(&QWidget::update));
    connect(state, &TraceViewState::decorationChanged, viewport(), qOverload<>(&QWidget::update));
    connect(state, &TraceViewState::rowsChanged, this, [this] {
        updateScrollBar();
        viewport()->update();
    });
    connect(state, &TraceViewState::selectionChanged, this, [this](std::uint32_t span) {
        if (span != kNoIndex) {
            scrollToSpan(span, m_navigating ? ScrollHint::Nearest : ScrollHint::Centre);
            if (!m_navigating)
                panToSpan(span);
        }
        viewport()->update();
    });
    connect(state, &TraceViewState::criticalStepped, this, &WaterfallView::revealCriticalSegment);
    m_keyMotion = new KeyMotion(
        state, [this] { return zoomAnchor(); }, this);
    updateScrollBar();
}

void WaterfallView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        m_painter.setFont(font());
        updateScrollBar();
        viewport()->update();
    } else if (event->type() == QEvent::PaletteChange) {
        m_painter.setPalette(palette());
        viewport()->update();
    }
    QAbstractScrollArea::changeEvent(event);
}

void WaterfallView::setNameColumnWidth(int width)
{
    m_nameWidthChosen = true;
    m_painter.setNameColumnWidth(std::max(width, 120));
    viewport()->update();
    emit geometryChanged();
}

TimeScale WaterfallView::timeScale() const
{
    return m_painter.timeScale(viewport()->width(), m_state->viewStart(), m_state->viewEnd());
}

QRect WaterfallView::barRect(std::uint32_t span) const
{
    const int row = m_state->rowOf(span);
    if (row < 0)
        return {};
    const int y = rulerHeight() + (row - verticalScrollBar()->value()) * rowHeight();
    const QRect lane(nameColumnWidth(), y, viewport()->width() - nameColumnWidth(), rowHeight());
    const QRectF bar = m_painter.rowBarGeometry(span, lane, timeScale());
    const int left = static_cast<int>(std::floor(bar.left()));
    return QRect(left, y + 4, static_cast<int>(std::ceil(bar.right())) - left, rowHeight() - 8);
}

int WaterfallView::indentStep() const
{
    return m_painter.indentStep(verticalScrollBar()->value(), verticalScrollBar()->pageStep() + 1);
}

void WaterfallView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    m_painter.paint(p, viewport()->rect(), verticalScrollBar()->value(), m_state->viewStart(), m_state->viewEnd());
}

void WaterfallView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    int width = nameColumnWidth();
    if (!m_nameWidthChosen && viewport()->width() >= 600) { // as wide as the first screens of names
        const int first = verticalScrollBar()->value();     // need, once: then it stays put
        const int rows = std::max(1, viewport()->height() / rowHeight()) * 4;
        width = std::clamp(m_painter.fittingNameColumnWidth(first, rows), 260,
                           std::max(260, viewport()->width() * 45 / 100));
        m_nameWidthChosen = true;
    }
    m_painter.setNameColumnWidth(std::clamp(width, 120, std::max(120, viewport()->width() - 120)));
    updateScrollBar();
    emit geometryChanged();
}

void WaterfallView::mousePressEvent(QMouseEvent* event)
{
    const QScopedValueRollback navigating(m_navigating, true);
    m_pressPos = event->pos();
    m_pressViewStart = m_state->viewStart();
    m_dragMoved = false;
    m_drag = Drag::None;
    if (event->button() != Qt::LeftButton)
        return;
    if (onDivider(event->pos().x())) {
        m_drag = Drag::Divider;
        return;
    }
    if (m_overlay->mousePress(event))
        return;
    if (m_painter.hiddenNoteRect().contains(event->pos())) {
        m_state->showHiddenSpans();
        return;
    }
    const int row = rowAt(event->pos().y());
    if (event->pos().x() > nameColumnWidth())
        m_drag = Drag::Pan;
    if (row < 0)
        return;
    const std::uint32_t span = m_state->rows()[row];
    const RowLayout layout = m_painter.rowLayout(span, indentStep());
    if (event->pos().x() < nameColumnWidth()) {
        if (m_state->foldedGroupAt(span) && layout.onArrow(event->pos().x())) {
            m_state->setGroupFolded(span, false);
            return;
        }
        if (const RepeatGroup* group = m_state->unfoldedGroupAt(span);
            group && layout.onHiddenLabel(event->pos().x())) {
            const std::uint32_t selected = m_state->selected();
            m_state->setGroupFolded(span, true);
            if (selected != kNoIndex && selected > span && selected < m_state->groupEnd(*group))
                m_state->select(span); // the selection folded away: its group's row instead
            return;
        }
    }
    if (m_state->hasChildren(span) && layout.onArrow(event->pos().x())) {
        m_state->setCollapsed(span, !m_state->isCollapsed(span));
        return;
    }
    m_state->select(span);
}

void WaterfallView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Divider) {
        setNameColumnWidth(std::min(event->pos().x(), viewport()->width() - 120));
        return;
    }
    if (m_overlay->mouseMove(event))
        return;
    if (m_drag == Drag::Pan) {
        const int dx = event->pos().x() - m_pressPos.x();
        if (std::abs(dx) > 3)
            m_dragMoved = true;
        if (m_dragMoved) {
            const TimeNs span = m_state->viewEnd() - m_state->viewStart();
            const TimeNs newStart = m_pressViewStart - static_cast<TimeNs>(dx * timeScale().nsPerPixel());
            m_state->setViewRange(newStart, newStart + span);
            viewport()->setCursor(Qt::ClosedHandCursor);
        }
        return;
    }
    viewport()->setCursor(onDivider(event->pos().x()) ? Qt::SplitHCursor : Qt::ArrowCursor);
}

void WaterfallView::mouseReleaseEvent(QMouseEvent* event)
{
    const QScopedValueRollback navigating(m_navigating, true);
    m_overlay->mouseRelease(event);
    m_drag = Drag::None;
    viewport()->setCursor(Qt::ArrowCursor);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (m_overlay->mouseDoubleClick(event))
        return;
    const int row = rowAt(event->pos().y());
    if (row < 0)
        return;
    const std::uint32_t span = m_state->rows()[row];
    if (event->pos().x() > nameColumnWidth())
        zoomToSpan(span);
    else
        emit spanActivated(span);
}

void WaterfallView::updateScrollBar()
{
    const int visibleRows = std::max(1, (viewport()->height() - rulerHeight()) / rowHeight());
    const int rows = static_cast<int>(m_state->rows().size());
    verticalScrollBar()->setPageStep(visibleRows);
    verticalScrollBar()->setRange(0, std::max(0, rows - visibleRows));
}

int WaterfallView::rowAt(int y) const
{
    if (y < rulerHeight())
        return -1;
    const int row = verticalScrollBar()->value() + (y - rulerHeight()) / rowHeight();
    return row < static_cast<int>(m_state->rows().size()) ? row : -1;
}

void WaterfallView::scrollToSpan(std::uint32_t span, ScrollHint hint)
{
    const int row = m_state->rowOf(span);
    if (row < 0)
        return;
    QScrollBar* bar = verticalScrollBar();
    if (hint == ScrollHint::Centre) {
        const int margin = std::min(2, bar->pageStep() / 4); // rows at the edges count as hard to see
        if (row < bar->value() + margin || row >= bar->value() + bar->pageStep() - margin)
            bar->setValue(row - (bar->pageStep() - 1) / 2);
        return;
    }
    if (row < bar->value())
        bar->setValue(row);
    else if (row >= bar->value() + bar->pageStep())
        bar->setValue(row - bar->pageStep() + 1);
}

void WaterfallView::revealCriticalSegment(std::size_t index)
{
    const CriticalSegment& segment = m_state->criticalPath()[index];
    scrollToSpan(segment.span, ScrollHint::Centre);
    constexpr double kReadablePixels = 30;
    const TimeNs shown = m_state->viewEnd() - m_state->viewStart();
    const double pixels = static_cast<double>(segment.length()) / timeScale().nsPerPixel();
    if (pixels < kReadablePixels || segment.length() > shown) { // the segment as half the view
        const TimeNs margin = std::max<TimeNs>(segment.length() / 2, m_state->minimumViewSpan() / 2);
        m_state->setViewRange(segment.start - margin, segment.end + margin);
    } else if (segment.start < m_state->viewStart() || segment.end > m_state->viewEnd()) {
        m_state->pan(segment.start + segment.length() / 2 - (m_state->viewStart() + shown / 2));
    }
    viewport()->update();
}

void WaterfallView::panToSpan(std::uint32_t span)
{
    // A span jumped to whose bar is out of the time window: the window moves to it, keeping the
    // zoom, or widens to hold it when it is longer than the window.
    const Span& s = m_state->data().spans[span];
    const TimeNs shown = m_state->viewEnd() - m_state->viewStart();
    if (s.end >= m_state->viewStart() && s.start <= m_state->viewEnd())
        return;
    if (s.duration() > shown * 9 / 10)
        zoomToSpan(span);
    else
        m_state->pan(s.start - shown / 10 - m_state->viewStart());
}

TimeNs WaterfallView::zoomAnchor() const
{
    const QPoint pointer = viewport()->mapFromGlobal(QCursor::pos());
    if (viewport()->rect().contains(pointer) && pointer.x() > nameColumnWidth())
        return timeScale().toTime(pointer.x() - nameColumnWidth());
    return (m_state->viewStart() + m_state->viewEnd()) / 2;
}

void WaterfallView::zoomToSpan(std::uint32_t span)
{
    const Span& s = m_state->data().spans[span];
    const RepeatGroup* group = m_state->foldedGroupAt(span); // its row is the group's: its band
    const TimeNs start = group ? group->start : s.start;
    const TimeNs end = group ? group->end : s.end;
    const TimeNs margin = std::max<TimeNs>((end - start) / 20, 500);
    m_state->setViewRange(start - margin, end + margin);
}

void WaterfallView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        const double x = event->position().x() - nameColumnWidth();
        const TimeNs anchor = x >= 0 ? timeScale().toTime(x) : (m_state->viewStart() + m_state->viewEnd()) / 2;
        m_state->zoom(std::pow(1.25, steps), anchor);
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        const double delta = (event->angleDelta().x() ? event->angleDelta().x() : event->angleDelta().y()) / 120.0;
        m_state->pan(
            static_cast<TimeNs>(-delta * 0.1 * static_cast<double>(m_state->viewEnd() - m_state->viewStart())));
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void WaterfallView::moveSelection(int rowDelta)
{
    const auto& rows = m_state->rows();
    if (rows.empty())
        return;
    const int current = m_state->selected() == kNoIndex ? -1 : m_state->rowOf(m_state->selected());
    const int target = std::clamp(current < 0 ? 0 : current + rowDelta, 0, static_cast<int>(rows.size()) - 1);
    m_state->select(rows[target]);
}

void WaterfallView::keyPressEvent(QKeyEvent* event)
{
    if (m_keyMotion->press(event)) {
        event->accept();
        return;
    }
    const QScopedValueRollback navigating(m_navigating, true);
    const std::uint32_t selected = m_state->selected();
    const TimeNs middle = (m_state->viewStart() + m_state->viewEnd()) / 2;
    switch (event->key()) {
    case Qt::Key_Down:
        moveSelection(1);
        break;
    case Qt::Key_Up:
        moveSelection(-1);
        break;
    case Qt::Key_PageDown:
        moveSelection(verticalScrollBar()->pageStep());
        break;
    case Qt::Key_PageUp:
        moveSelection(-verticalScrollBar()->pageStep());
        break;
    case Qt::Key_Home:
        moveSelection(-static_cast<int>(m_state->rows().size()));
        break;
    case Qt::Key_End:
        moveSelection(static_cast<int>(m_state->rows().size()));
        break;
    case Qt::Key_Right:
        if (selected == kNoIndex)
            break;
        if (m_state->foldedGroupAt(selected))
            m_state->setGroupFolded(selected, false);
        else if (m_state->hasChildren(selected) && m_state->isCollapsed(selected))
            m_state->setCollapsed(selected, false);
        else if (m_state->hasChildren(selected))
            m_state->select(selected + 1);
        break;
    case Qt::Key_Left:
        if (selected == kNoIndex)
            break;
        if (m_state->hasChildren(selected) && !m_state->isCollapsed(selected) && !m_state->foldedGroupAt(selected))
            m_state->setCollapsed(selected, true);
        else if (const RepeatGroup* group = m_state->groupOf(selected);
                 group && m_state->unfoldedGroupAt(group->first)) { // a member: back to its group's row
            m_state->setGroupFolded(group->first, true);
            m_state->select(group->first);
        } else if (m_state->data().spans[selected].parent != kNoIndex &&
                   m_state->data().spans[selected].parent >= m_state->rangeBegin())
            m_state->select(m_state->data().spans[selected].parent);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (selected != kNoIndex)
            emit spanActivated(selected);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_state->zoom(1.5, middle);
        break;
    case Qt::Key_Minus:
        m_state->zoom(1 / 1.5, middle);
        break;
    case Qt::Key_0:
        m_state->resetView();
        break;
    case Qt::Key_N:
        if (selected != kNoIndex && annotations())
            beginAddNote(selected);
        break;
    case Qt::Key_Escape:
        if (rangeSelection())
            m_overlay->clearRangeSelection();
        else if (m_state->focusRoot() != kNoIndex)
            m_state->focusBack();
        else
            m_state->select(kNoIndex);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void WaterfallView::keyReleaseEvent(QKeyEvent* event)
{
    if (m_keyMotion->release(event))
        event->accept();
    else
        QAbstractScrollArea::keyReleaseEvent(event);
}

void WaterfallView::focusOutEvent(QFocusEvent* event)
{
    m_keyMotion->stop(); // its key release goes elsewhere
    QAbstractScrollArea::focusOutEvent(event);
}

QString WaterfallView::eventsToolTip(std::uint32_t span, const std::vector<std::uint32_t>& events) const
{
    constexpr std::size_t kShown = 5;
    constexpr std::uint32_t kAttributesShown = 8;
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    QStringList parts;
    for (std::size_t i = 0; i < std::min(events.size(), kShown); ++i) {
        const Event& event = d.events[events[i]];
        QString text = QStringLiteral("<b>%1</b> at +%2 in the span (+%3 in the trace)")
                           .arg(qstr(d.str(event.name)).toHtmlEscaped(), durationText(event.time - s.start),
                                durationText(event.time - m_state->trace().start));
        if (m_painter.isExceptionEvent(event))
            text = QStringLiteral("<span style='color:%1'>●</span> ").arg(theme::error(hasDarkBase(palette())).name()) +
                   text;
        const std::uint32_t shown = std::min(event.attributes.count, kAttributesShown);
        for (std::uint32_t a = event.attributes.first; a < event.attributes.first + shown; ++a) {
            text += QStringLiteral("<br>%1: %2")
                        .arg(qstr(d.str(d.attributes[a].key)).toHtmlEscaped(),
                             attributeText(d, d.attributes[a].value).left(300).toHtmlEscaped());
        }
        if (event.attributes.count > shown)
            text += tr("<br>… %L1 more attributes (in the details)").arg(event.attributes.count - shown);
        parts << text;
    }
    if (events.size() > kShown)
        parts << tr("… %L1 more events here").arg(events.size() - kShown);
    return parts.join(QStringLiteral("<hr>"));
}

void WaterfallView::contextMenuEvent(QContextMenuEvent* event)
{
    const QScopedValueRollback navigating(m_navigating, true);
    if (m_overlay->contextMenu(event))
        return;
    const int row = rowAt(event->pos().y());
    QMenu menu(this);
    if (row >= 0) {
        const std::uint32_t span = m_state->rows()[row];
        m_state->select(span);
        withKey(menu.addAction(tr("Zoom to Span"), this, [this, span] { zoomToSpan(span); }), QKeySequence(Qt::Key_Z));
        withKey(menu.addAction(tr("Focus on This Subtree"), this, [this, span] { m_state->focusOn(span); }),
                QKeySequence(Qt::Key_F))
            ->setEnabled(m_state->hasChildren(span) && span != m_state->focusRoot());
        if (const RepeatGroup* group = m_state->foldedGroupAt(span)) {
            withKey(menu.addAction(tr("Show Each of the %L1 Calls").arg(group->count), this,
                                   [this, span] { m_state->setGroupFolded(span, false); }),
                    QKeySequence(Qt::Key_Right));
        } else if (const RepeatGroup* member = m_state->groupOf(span);
                   member && m_state->unfoldedGroupAt(member->first)) {
            menu.addAction(tr("Fold the %L1 Calls into One Row").arg(member->count), this,
                           [this, first = member->first] {
                m_state->setGroupFolded(first, true);
                m_state->select(first);
            });
        }
        menu.addAction(tr("Copy Span ID"), this, [this, span] {
            QApplication::clipboard()->setText(QString::fromStdString(toHex(m_state->data().spans[span].id)));
        });
        m_overlay->addSpanActions(menu, span);
        menu.addSeparator();
    }
    withKey(menu.addAction(tr("Back from Focus"), m_state, &TraceViewState::focusBack), QKeySequence(Qt::Key_Backspace))
        ->setEnabled(m_state->focusRoot() != kNoIndex);
    withKey(menu.addAction(tr("Reset Zoom"), m_state, &TraceViewState::resetView), QKeySequence(Qt::Key_0));
    withKey(menu.addAction(tr("Expand All"), m_state, &TraceViewState::expandAll), QKeySequence(Qt::CTRL | Qt::Key_E));
    menu.exec(event->globalPos());
}

QString WaterfallView::groupToolTip(const RepeatGroup& group) const
{
    QString text =
        QStringLiteral("<b>×%L1</b> %2<br>").arg(group.count).arg(QString::fromStdString(group.label).toHtmlEscaped()) +
        (group.concurrent ? tr("in parallel") : tr("one after another")) +
        tr(" over %1, from +%2<br>")
            .arg(durationText(group.end - group.start), durationText(group.start - m_state->trace().start)) +
        groupTimesText(group).toHtmlEscaped();
    if (group.errors > 0)
        text += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(theme::error(hasDarkBase(palette())).name(),
                         group.errors == 1 ? tr("1 call failed") : tr("%L1 calls failed").arg(group.errors));
    const std::uint32_t below = m_state->groupEnd(group) - group.first - group.count;
    if (below > 0)
        text += tr("<br>%L1 spans below the calls").arg(below);
    text += tr("<br>Right or the arrow shows each call");
    return text;
}

QString WaterfallView::hiddenToolTip() const
{
    QStringList parts;
    if (const std::uint32_t n = m_state->hiddenAsShort())
        parts << tr("%L1 shorter than %2").arg(n).arg(durationText(m_state->minimumDuration()));
    if (const std::uint32_t n = m_state->hiddenByService()) {
        QStringList names;
        for (const std::string_view service : m_state->hiddenServices())
            names << qstr(service).toHtmlEscaped();
        parts << tr("%L1 of hidden services (%2)").arg(n).arg(names.join(QStringLiteral(", ")));
    }
    return parts.join(QStringLiteral("<br>")) + tr("<br>Click to show them again");
}

QString WaterfallView::spanToolTip(std::uint32_t span, const QPoint& pos) const
{
    if (const RepeatGroup* group = m_state->foldedGroupAt(span))
        return groupToolTip(*group) + m_overlay->spanToolTipNotes(span, pos.x());
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const bool dark = hasDarkBase(palette());
    const TimeScale scale = timeScale();
    const double laneX = pos.x() - nameColumnWidth();
    if (laneX >= 0) {
        if (const std::vector<std::uint32_t> events = m_painter.eventsAt(span, laneX, scale); !events.empty())
            return eventsToolTip(span, events);
    }
    QString operation = qstr(d.str(s.name)).toHtmlEscaped();
    if (const std::string_view resource = resourceNameOf(d, s); !resource.empty() && resource != d.str(s.name))
        operation += QStringLiteral(" <i>%1</i>").arg(qstr(resource).toHtmlEscaped());
    QString text = QStringLiteral("<b>%1</b> %2<br>duration %3 · self %4<br>starts at +%5")
                       .arg(qstr(d.str(s.service)).toHtmlEscaped(), operation, durationText(s.duration()),
                            durationText(selfTime(d, span)), durationText(s.start - m_state->trace().start));
    if (s.status == StatusCode::Error)
        text += QStringLiteral("<br><span style='color:%1'>error</span> %2")
                    .arg(theme::error(dark).name(), qstr(d.str(s.statusMessage)).toHtmlEscaped());
    if (s.has(MarkInProgress))
        text += tr("<br>still in progress when written: at least this long");
    if (s.status != StatusCode::Error && m_state->hasFailedDescendant(span))
        text += tr("<br>a span below it failed");
    if (s.has(MarkNoTiming))
        text += tr("<br>no timing in the file: drawn at its parent's start");
    if (s.has(MarkInferred))
        text += tr("<br>inferred by the tracing backend, not reported by the service");
    if (m_state->isCollapsed(span) && m_state->hasChildren(span)) {
        text += tr("<br>%L1 spans hidden below").arg(s.subtreeEnd - span - 1);
        if (laneX >= 0)
            text += tr(", up to %L1 at once here").arg(m_painter.hiddenSpansAt(span, laneX, scale));
    }
    return text + m_overlay->spanToolTipNotes(span, pos.x());
}

bool WaterfallView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        QString text = m_overlay->annotationToolTip(help->pos());
        if (text.isEmpty() && m_painter.hiddenNoteRect().contains(help->pos()))
            text = hiddenToolTip();
        if (const int row = rowAt(help->pos().y()); text.isEmpty() && row >= 0)
            text = spanToolTip(m_state->rows()[row], help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    if (event->type() == QEvent::Resize)
        updateScrollBar();
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace spanwise
