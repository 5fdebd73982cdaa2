#include "waterfall_view.h"

#include "annotation_store.h"
#include "key_motion.h"
#include "model_text.h"
#include "service_palette.h"

#include <self_time.h>
#include <span_resource.h>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QShortcut>
#include <QToolTip>

#include <cmath>

namespace spanwise {

namespace {

constexpr int kIndent = 14;    // pixels per tree level, when there is room
constexpr int kMinIndent = 5;  // squeezed for deep trees, before levels stop being drawn
constexpr int kNameRoom = 170; // what the indentation leaves for markers and names
constexpr int kRightMargin = 12;
constexpr int kMinBarWidth = 2;
constexpr int kFoldGap = 3;             // hidden spans closer than this many pixels fold into one mark
constexpr int kActivityBinsPerPixel = 4; // resolution of a collapsed row's folded marks
const QColor kErrorColor(0xd0, 0x30, 0x30);
const QColor kWarningColor(0xe0, 0x90, 0x20);

constexpr int kCalloutMaxWidth = 280;
constexpr int kCalloutMinWidth = 60;

QColor rgbColor(std::uint32_t rgb)
{
    return QColor::fromRgb(static_cast<QRgb>(rgb));
}

// A note's first line: callouts and labels are one line high.
QString firstLine(const std::string& text)
{
    const QString all = QString::fromStdString(text);
    const qsizetype newline = all.indexOf(QLatin1Char('\n'));
    return newline < 0 ? all : all.left(newline) + QStringLiteral(" …");
}

struct NoteColors {
    QColor fill, border, text;
};

NoteColors spanNoteColors(bool dark)
{
    return dark ? NoteColors{QColor(0x5c, 0x4b, 0x12), QColor(0xc9, 0xa2, 0x2e), QColor(0xff, 0xf3, 0xc4)}
                : NoteColors{QColor(0xff, 0xf3, 0xbf), QColor(0xd4, 0xa8, 0x2a), QColor(0x3d, 0x30, 0x00)};
}

NoteColors rangeNoteColors(bool dark)
{
    return dark ? NoteColors{QColor(0x3b, 0x31, 0x75), QColor(0x9d, 0x8c, 0xff), QColor(0xea, 0xe6, 0xff)}
                : NoteColors{QColor(0xec, 0xe7, 0xff), QColor(0x76, 0x5c, 0xf0), QColor(0x2a, 0x1b, 0x72)};
}

} // namespace

WaterfallView::WaterfallView(TraceViewState* state, QWidget* parent) : QAbstractScrollArea(parent), m_state(state)
{
    updateFontMetrics();
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
        if (span != kNoIndex)
            scrollToSpan(span, m_navigating ? ScrollHint::Nearest : ScrollHint::Centre);
        viewport()->update();
    });
    connect(state, &TraceViewState::criticalStepped, this, &WaterfallView::revealCriticalSegment);
    m_keyMotion = new KeyMotion(state, [this] { return zoomAnchor(); }, this);
    m_editor = new QLineEdit(viewport());
    m_editor->hide();
    m_editor->setFrame(true);
    connect(m_editor, &QLineEdit::editingFinished, this, [this] { // Enter, or focus moved away
        if (!m_editor->isVisible())
            return;
        m_editor->hide();
        if (auto commit = std::exchange(m_commit, nullptr))
            commit(m_editor->text().trimmed());
        setFocus();
    });
    auto* cancel = new QShortcut(QKeySequence(Qt::Key_Escape), m_editor, nullptr, nullptr, Qt::WidgetShortcut);
    connect(cancel, &QShortcut::activated, this, [this] {
        m_commit = nullptr;
        m_editor->hide();
        setFocus();
    });
    updateScrollBar();
}

void WaterfallView::setAnnotations(AnnotationStore* store)
{
    if (m_annotations)
        disconnect(m_annotations, nullptr, this, nullptr);
    m_annotations = store;
    auto rebuild = [this] {
        m_annotationIndex = m_annotations ? indexAnnotations(m_annotations->document(), m_state->trace().id) : TraceAnnotations{};
        m_hits.clear(); // until the next paint: they may name annotations just removed
        viewport()->update();
    };
    if (store) {
        connect(store, &AnnotationStore::changed, this, rebuild);
        connect(store, &QObject::destroyed, this, [this] {
            m_annotationIndex = {};
            m_hits.clear();
            viewport()->update();
        });
    }
    rebuild();
}

AnnotationStore* WaterfallView::annotations() const
{
    return m_annotations;
}

void WaterfallView::setRangeSelection(TimeNs start, TimeNs end)
{
    m_rangeSelection = std::make_pair(std::min(start, end), std::max(start, end));
    viewport()->update();
}

void WaterfallView::clearRangeSelection()
{
    m_rangeSelection.reset();
    viewport()->update();
}

const std::vector<const Annotation*>* WaterfallView::notesOf(std::uint32_t span) const
{
    const auto it = m_annotationIndex.notes.find(m_state->data().spans[span].id);
    return it == m_annotationIndex.notes.end() ? nullptr : &it->second;
}

QRect WaterfallView::annotationRect(std::uint64_t id) const
{
    for (const AnnotationHit& hit : m_hits) {
        if (hit.id == id)
            return hit.rect;
    }
    return {};
}

std::uint64_t WaterfallView::annotationAt(const QPoint& pos) const
{
    for (auto it = m_hits.rbegin(); it != m_hits.rend(); ++it) { // the one drawn last is on top
        if (it->rect.contains(pos))
            return it->id;
    }
    return 0;
}

void WaterfallView::startEditor(const QRect& where, const QString& text, std::function<void(const QString&)> commit)
{
    m_commit = std::move(commit);
    const int width = std::clamp(where.width(), 220, std::max(220, viewport()->width() / 2));
    const int height = m_editor->sizeHint().height();
    QRect rect(where.left(), where.center().y() - height / 2, width, height);
    rect.moveRight(std::min(rect.right(), viewport()->width() - 4));
    rect.moveLeft(std::max(rect.left(), 4));
    rect.moveTop(std::clamp(rect.top(), 0, std::max(0, viewport()->height() - height)));
    m_editor->setGeometry(rect);
    m_editor->setText(text);
    m_editor->selectAll();
    m_editor->show();
    m_editor->raise();
    m_editor->setFocus();
}

void WaterfallView::beginAddNote(std::uint32_t span)
{
    if (!m_annotations)
        return;
    scrollToSpan(span);
    const QRect bar = barRect(span);
    const int labelRoom = fontMetrics().horizontalAdvance(durationText(m_state->data().spans[span].duration())) + 14;
    const int left = std::clamp(bar.right() + labelRoom, m_nameWidth + 4, std::max(m_nameWidth + 4, viewport()->width() - 240));
    const TraceId trace = m_state->trace().id;
    const SpanId id = m_state->data().spans[span].id;
    startEditor(QRect(left, bar.top(), 260, bar.height()), QString(), [this, trace, id](const QString& text) {
        if (!text.isEmpty() && m_annotations)
            m_annotations->addSpanNote(trace, id, text);
    });
    m_editor->setPlaceholderText(tr("Note on this span — Enter to add, Esc to cancel"));
}

void WaterfallView::beginAddRangeNote()
{
    if (!m_annotations || !m_rangeSelection)
        return;
    const TimeScale scale = timeScale();
    const auto [start, end] = *m_rangeSelection;
    const int left = m_nameWidth + static_cast<int>(std::clamp(scale.toX(start), 0.0, scale.width));
    const TraceId trace = m_state->trace().id;
    startEditor(QRect(left, m_rulerHeight + 2, 260, m_rowHeight), QString(), [this, trace, start, end](const QString& text) {
        if (!text.isEmpty() && m_annotations) {
            m_annotations->addRangeNote(trace, start, end, text);
            clearRangeSelection();
        }
    });
    m_editor->setPlaceholderText(tr("Note on this time range — Enter to add, Esc to cancel"));
}

void WaterfallView::beginEditNote(std::uint64_t id)
{
    const Annotation* note = m_annotations ? m_annotations->document().find(id) : nullptr;
    if (!note || note->kind == AnnotationKind::Highlight)
        return;
    if (note->kind == AnnotationKind::SpanNote) {
        for (std::uint32_t span = m_state->trace().first; span < m_state->trace().end_index(); ++span) {
            if (m_state->data().spans[span].id == note->span) {
                m_state->reveal(span);
                scrollToSpan(span);
                break;
            }
        }
    }
    viewport()->repaint(); // lays out the callouts where the editor goes
    QRect where = annotationRect(id);
    if (where.isEmpty())
        where = QRect(m_nameWidth + 4, m_rulerHeight + 2, 260, m_rowHeight);
    startEditor(where, QString::fromStdString(note->text), [this, id](const QString& text) {
        if (!text.isEmpty() && m_annotations)
            m_annotations->setText(id, text);
    });
    m_editor->setPlaceholderText(QString());
}

void WaterfallView::updateFontMetrics()
{
    const QFontMetrics fm(font());
    m_rowHeight = fm.height() + 8;
    m_rulerHeight = fm.height() + 10;
    m_boldFont = font();
    m_boldFont.setBold(true);
    m_markerFont = m_boldFont;
    if (m_boldFont.pixelSize() > 0) // a document font (image export) is sized in pixels
        m_markerFont.setPixelSize(std::max(6, m_boldFont.pixelSize() * 3 / 4));
    else
        m_markerFont.setPointSizeF(m_boldFont.pointSizeF() * 0.75);
}

void WaterfallView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        updateFontMetrics();
        updateScrollBar();
        viewport()->update();
    }
    QAbstractScrollArea::changeEvent(event);
}

void WaterfallView::setPaintsSelection(bool paints)
{
    m_paintsSelection = paints;
    viewport()->update();
}

void WaterfallView::setIndentRows(int firstRow, int rowCount)
{
    m_indentFirst = firstRow;
    m_indentCount = rowCount;
    viewport()->update();
}

QColor WaterfallView::criticalPathColor(bool darkBackground)
{
    return darkBackground ? QColor(250, 250, 250, 230) : QColor(15, 15, 15, 210);
}

bool WaterfallView::darkTheme() const
{
    return hasDarkBase(palette());
}

void WaterfallView::setNameColumnWidth(int width)
{
    m_nameWidth = std::max(width, 120);
    viewport()->update();
    emit geometryChanged();
}

TimeScale WaterfallView::timeScale() const
{
    return timeScaleFor(viewport()->width(), m_state->viewStart(), m_state->viewEnd());
}

TimeScale WaterfallView::timeScaleFor(int width, TimeNs viewStart, TimeNs viewEnd) const
{
    TimeScale scale;
    scale.viewStart = viewStart;
    scale.viewEnd = viewEnd;
    scale.width = std::max(1, width - m_nameWidth - kRightMargin);
    scale.origin = m_state->trace().start;
    return scale;
}

void WaterfallView::updateScrollBar()
{
    const int visibleRows = std::max(1, (viewport()->height() - m_rulerHeight) / m_rowHeight);
    const int rows = static_cast<int>(m_state->rows().size());
    verticalScrollBar()->setPageStep(visibleRows);
    verticalScrollBar()->setRange(0, std::max(0, rows - visibleRows));
}

int WaterfallView::rowAt(int y) const
{
    if (y < m_rulerHeight)
        return -1;
    const int row = verticalScrollBar()->value() + (y - m_rulerHeight) / m_rowHeight;
    return row < static_cast<int>(m_state->rows().size()) ? row : -1;
}

QRect WaterfallView::barRect(std::uint32_t span) const
{
    const int row = m_state->rowOf(span);
    if (row < 0)
        return {};
    const int y = m_rulerHeight + (row - verticalScrollBar()->value()) * m_rowHeight;
    const TimeScale scale = timeScale();
    const Span& s = m_state->data().spans[span];
    const double x0 = std::max(-1.0, scale.toX(s.start));
    const double x1 = std::min(scale.width + 1, scale.toX(s.end));
    const int left = m_nameWidth + static_cast<int>(std::floor(x0));
    const int width = std::max(kMinBarWidth, static_cast<int>(std::ceil(x1 - x0)));
    return QRect(left, y + 4, width, m_rowHeight - 8);
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

void WaterfallView::paintSteppedSegment(QPainter& p) const
{
    const std::optional<std::size_t> index = m_state->steppedSegment();
    const int row = index ? m_state->rowOf(m_state->criticalPath()[*index].span) : -1;
    const int first = verticalScrollBar()->value();
    if (row < first || row > first + verticalScrollBar()->pageStep())
        return;
    const CriticalSegment& segment = m_state->criticalPath()[*index];
    const TimeScale scale = timeScale();
    const double left = m_nameWidth + std::max(-3.0, scale.toX(segment.start));
    const double right = std::max(left + 3, m_nameWidth + std::min(scale.width + 3, scale.toX(segment.end)));
    const int y = m_rulerHeight + (row - first) * m_rowHeight;
    // In the critical path's own ink (black on light, white on dark): a frame round the stretch
    // and its extent on the ruler.
    QColor ink = criticalPathColor(darkTheme());
    ink.setAlpha(255);
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, 0, viewport()->width() - m_nameWidth - 1, viewport()->height()));
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(ink, 2));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(left - 2, y + 1.5, right - left + 4, m_rowHeight - 3), 3, 3);
    QColor band = ink;
    band.setAlpha(70);
    p.fillRect(QRectF(left, m_rulerHeight - 6, right - left, 6), band);
    p.setPen(QPen(ink, 1.5));
    p.drawLine(QPointF(left, m_rulerHeight - 8), QPointF(left, y + 1.5));
    p.drawLine(QPointF(right, m_rulerHeight - 8), QPointF(right, y + 1.5));
    p.restore();
}

TimeNs WaterfallView::zoomAnchor() const
{
    const QPoint pointer = viewport()->mapFromGlobal(QCursor::pos());
    if (viewport()->rect().contains(pointer) && pointer.x() > m_nameWidth)
        return timeScale().toTime(pointer.x() - m_nameWidth);
    return (m_state->viewStart() + m_state->viewEnd()) / 2;
}

void WaterfallView::zoomToSpan(std::uint32_t span)
{
    const Span& s = m_state->data().spans[span];
    const TimeNs margin = std::max<TimeNs>(s.duration() / 20, 500);
    m_state->setViewRange(s.start - margin, s.end + margin);
}

int WaterfallView::indentStep() const
{
    return indentStep(verticalScrollBar()->value(), verticalScrollBar()->pageStep() + 1);
}

int WaterfallView::indentStep(int first, int rowCount) const
{
    // Deep trees squeeze the indentation so the rows shown keep their hierarchy visible.
    const auto& rows = m_state->rows();
    const int last = std::min<int>(static_cast<int>(rows.size()), first + rowCount);
    std::uint32_t deepest = 1;
    for (int row = first; row < last; ++row)
        deepest = std::max(deepest, relativeDepth(rows[row]));
    const int room = std::max(kMinIndent, m_nameWidth - kNameRoom);
    return std::clamp(room / static_cast<int>(deepest), kMinIndent, kIndent);
}

std::uint32_t WaterfallView::relativeDepth(std::uint32_t span) const
{
    const std::uint32_t focus = m_state->focusRoot();
    const std::uint32_t base = focus == kNoIndex ? 0 : m_state->data().spans[focus].depth;
    return m_state->data().spans[span].depth - base;
}

int WaterfallView::indentOf(std::uint32_t span, int step) const
{
    const int maxLevels = std::max(1, (m_nameWidth - kNameRoom) / step);
    return static_cast<int>(std::min<std::uint32_t>(relativeDepth(span), maxLevels)) * step;
}

void WaterfallView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    m_hits.clear();
    m_paintingScreen = true;
    paintTo(p, viewport()->rect(), verticalScrollBar()->value(), m_state->viewStart(), m_state->viewEnd());
    m_paintingScreen = false;
    paintSteppedSegment(p);
}

void WaterfallView::paintTo(QPainter& p, const QRect& area, int firstRow, TimeNs viewStart, TimeNs viewEnd) const
{
    p.save();
    p.setFont(font());
    p.translate(area.topLeft());
    p.setClipRect(QRect(0, 0, area.width(), area.height()), Qt::IntersectClip);
    const int width = area.width();
    const int bottom = area.height();
    p.fillRect(QRect(0, 0, width, bottom), palette().color(QPalette::Base));
    const TimeScale scale = timeScaleFor(width, viewStart, viewEnd);
    const auto& rows = m_state->rows();
    const int rowCount = std::max(1, (bottom - m_rulerHeight) / m_rowHeight) + 1; // as indentStep() counts
    // Grid lines under the rows, at the ruler's ticks.
    QColor grid = palette().color(QPalette::Text);
    grid.setAlpha(22);
    p.setPen(grid);
    const std::vector<TimeTick> ticks = scale.ticks(90);
    m_callouts.clear();
    for (const TimeTick& tick : ticks)
        p.drawLine(QPointF(m_nameWidth + tick.x, m_rulerHeight), QPointF(m_nameWidth + tick.x, bottom));
    const int step = m_indentFirst >= 0 ? indentStep(m_indentFirst, m_indentCount) : indentStep(firstRow, rowCount);
    int y = m_rulerHeight;
    for (int row = firstRow; row < static_cast<int>(rows.size()) && y < bottom; ++row, y += m_rowHeight)
        paintRow(p, rows[row], y, width, scale, step, row % 2 == 1);
    paintRangeNotes(p, QRect(0, 0, width, bottom), scale);
    const QRect ruler(0, 0, width, m_rulerHeight);
    paintRuler(p, ruler, ticks);
    paintRangeMarks(p, ruler, scale);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(m_nameWidth, 0, m_nameWidth, bottom);
    p.restore();
}

int WaterfallView::fittingNameColumnWidth(int firstRow, int rowCount) const
{
    const Dataset& d = m_state->data();
    const auto& rows = m_state->rows();
    const QFontMetrics plain(font());
    const QFontMetrics bold(m_boldFont);
    const int last = std::min<int>(static_cast<int>(rows.size()), firstRow + rowCount);
    int widest = 0;
    for (int row = std::max(0, firstRow); row < last; ++row) {
        const std::uint32_t span = rows[row];
        const Span& s = d.spans[span];
        // As paintName lays a row out: indent, arrow, colour chip, markers, service, operation.
        const int markers = 16 * ((s.status == StatusCode::Error || m_state->hasFailedDescendant(span) ? 1 : 0) +
                                  (s.has(MarkOrphan) || s.has(MarkCycleBroken) ? 1 : 0));
        int text = bold.horizontalAdvance(qstr(d.str(s.service))) + 6 + plain.horizontalAdvance(qstr(d.str(s.name)));
        if (m_state->isCollapsed(span) && m_state->hasChildren(span)) // the count of hidden spans
            text += QFontMetrics(m_markerFont).horizontalAdvance(QStringLiteral("+%L1").arg(s.subtreeEnd - span - 1)) + 6;
        widest = std::max(widest, 8 + static_cast<int>(relativeDepth(span)) * kIndent + 14 + 9 + markers + text + 12);
    }
    return widest;
}

void WaterfallView::paintRuler(QPainter& p, const QRect& area, const std::vector<TimeTick>& ticks) const
{
    p.fillRect(area, palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    p.setPen(palette().color(QPalette::WindowText));
    const QString summary = tr("%1 spans · %2").arg(m_state->trace().count).arg(durationText(m_state->trace().duration()));
    p.drawText(area.adjusted(8, 0, -(area.width() - m_nameWidth) - 4, 0), Qt::AlignVCenter | Qt::AlignLeft, summary);
    p.save();
    p.setClipRect(QRect(m_nameWidth, area.top(), area.width() - m_nameWidth, area.height()));
    int previousEnd = std::numeric_limits<int>::min(); // right edge of the last label drawn
    for (const TimeTick& tick : ticks) {
        const int x = m_nameWidth + static_cast<int>(std::lround(tick.x));
        p.drawLine(x, area.bottom() - 5, x, area.bottom());
        const QString label = qstr(tick.label);
        const int labelWidth = p.fontMetrics().horizontalAdvance(label);
        // Right of the tick; the last one near the edge on its left, unless it would then run
        // into the label before it.
        int left = x + 3;
        if (left + labelWidth > area.right() - 2)
            left = x - 3 - labelWidth;
        if (left < previousEnd + 6)
            continue;
        p.drawText(QRect(left, area.top(), labelWidth + 1, area.height() - 2), Qt::AlignVCenter | Qt::AlignLeft, label);
        previousEnd = left + labelWidth;
    }
    p.restore();
}

void WaterfallView::paintRow(QPainter& p, std::uint32_t span, int y, int width, const TimeScale& scale, int indentStep,
                             bool odd) const
{
    const QRect row(0, y, width, m_rowHeight);
    const bool selected = m_paintsSelection && span == m_state->selected();
    if (selected)
        p.fillRect(row, palette().color(QPalette::Highlight).lighter(darkTheme() ? 60 : 170));
    else if (odd)
        p.fillRect(row, palette().color(QPalette::AlternateBase));
    if (const auto it = m_annotationIndex.highlights.find(m_state->data().spans[span].id); it != m_annotationIndex.highlights.end()) {
        QColor tint = rgbColor(it->second);
        tint.setAlpha(darkTheme() ? 70 : 48);
        p.fillRect(row, tint);
        p.fillRect(QRect(0, y, 3, m_rowHeight), rgbColor(it->second));
    }
    if (m_state->isSearchMatch(span))
        p.fillRect(QRect(0, y + 1, m_nameWidth, m_rowHeight - 2), darkTheme() ? QColor(110, 95, 20) : QColor(255, 236, 140));
    paintName(p, span, QRect(0, y, m_nameWidth, m_rowHeight), indentStep);
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, y, width - m_nameWidth - 1, m_rowHeight));
    const QRect lane(m_nameWidth, y, width - m_nameWidth, m_rowHeight);
    const auto taken = paintBar(p, span, lane, scale);
    if (notesOf(span))
        paintCallout(p, span, lane, taken);
    p.restore();
}

void WaterfallView::paintName(QPainter& p, std::uint32_t span, const QRect& cell, int indentStep) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const int indent = indentOf(span, indentStep);
    // Indent guides: one faint line per ancestor level.
    p.setPen(palette().color(QPalette::Midlight));
    for (int level = 0; level * indentStep < indent; ++level) {
        const int x = 8 + level * indentStep + 6;
        p.drawLine(x, cell.top(), x, cell.bottom());
    }
    int x = 8 + indent;
    if (m_state->hasChildren(span)) {
        QPainterPath arrow;
        const QPointF c(x + 6, cell.center().y() + 0.5);
        if (m_state->isCollapsed(span)) {
            arrow.moveTo(c + QPointF(-2.5, -4.5));
            arrow.lineTo(c + QPointF(3.5, 0));
            arrow.lineTo(c + QPointF(-2.5, 4.5));
        } else {
            arrow.moveTo(c + QPointF(-4.5, -2.5));
            arrow.lineTo(c + QPointF(4.5, -2.5));
            arrow.lineTo(c + QPointF(0, 3.5));
        }
        p.fillPath(arrow, palette().color(QPalette::Text));
    }
    x += 14;
    const QColor color = serviceColor(d.str(s.service), darkTheme());
    p.fillRect(QRect(x, cell.top() + 5, 4, cell.height() - 10), color);
    x += 9;
    // Markers before the name: failed here, failed below, orphan / async, clock adjusted.
    auto marker = [&](const QColor& markerColor, const QString& glyph, bool filled) {
        const QRect box(x, cell.center().y() - 6, 13, 13);
        p.setRenderHint(QPainter::Antialiasing);
        if (filled) {
            p.setPen(Qt::NoPen);
            p.setBrush(markerColor);
        } else {
            p.setPen(QPen(markerColor, 1.5));
            p.setBrush(Qt::NoBrush);
        }
        p.drawEllipse(box.adjusted(1, 1, -1, -1));
        p.setPen(filled ? QColor(Qt::white) : markerColor);
        p.save();
        p.setFont(m_markerFont);
        p.drawText(box, Qt::AlignCenter, glyph);
        p.restore();
        p.setRenderHint(QPainter::Antialiasing, false);
        x += 16;
    };
    if (s.status == StatusCode::Error)
        marker(kErrorColor, QStringLiteral("!"), true);
    else if (m_state->hasFailedDescendant(span))
        marker(kErrorColor, QStringLiteral("!"), false);
    if (s.has(MarkOrphan) || s.has(MarkCycleBroken))
        marker(kWarningColor, QStringLiteral("?"), true);
    // Deeper than the column can show: say how deep, in small grey type.
    if (static_cast<int>(relativeDepth(span)) * indentStep > indent) {
        const QString depth = QStringLiteral("%1").arg(s.depth);
        p.save();
        p.setFont(m_markerFont);
        p.setPen(palette().color(QPalette::PlaceholderText));
        const int w = QFontMetrics(m_markerFont).horizontalAdvance(depth) + 4;
        p.drawText(QRect(x, cell.top(), w, cell.height()), Qt::AlignVCenter | Qt::AlignLeft, depth);
        p.restore();
        x += w;
    }
    int right = cell.right() - 6;
    if (m_state->isCollapsed(span) && m_state->hasChildren(span)) { // how many spans it hides
        const QString hidden = QStringLiteral("+%L1").arg(s.subtreeEnd - span - 1);
        p.save();
        p.setFont(m_markerFont);
        p.setPen(palette().color(QPalette::PlaceholderText));
        const int w = QFontMetrics(m_markerFont).horizontalAdvance(hidden);
        p.drawText(QRect(right - w, cell.top(), w, cell.height()), Qt::AlignVCenter | Qt::AlignRight, hidden);
        p.restore();
        right -= w + 6;
    }
    const QString service = qstr(d.str(s.service));
    const QRect textRect(x, cell.top(), right - x, cell.height());
    const QFontMetrics boldMetrics(m_boldFont, p.device());
    const QString elidedService = boldMetrics.elidedText(service, Qt::ElideRight, textRect.width() / 2);
    p.save();
    p.setFont(m_boldFont);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, elidedService);
    p.restore();
    const int serviceWidth = boldMetrics.horizontalAdvance(elidedService) + 6;
    const QRect opRect = textRect.adjusted(serviceWidth, 0, 0, 0);
    p.setPen(palette().color(QPalette::Text));
    const QString operation = p.fontMetrics().elidedText(qstr(d.str(s.name)), Qt::ElideRight, opRect.width());
    p.drawText(opRect, Qt::AlignVCenter | Qt::AlignLeft, operation);
    // The Datadog resource (endpoint, query) beside the operation, in the room left.
    const std::string_view resource = resourceNameOf(d, s);
    const QRect resourceRect = opRect.adjusted(p.fontMetrics().horizontalAdvance(operation) + 8, 0, 0, 0);
    if (!resource.empty() && resource != d.str(s.name) && resourceRect.width() > p.fontMetrics().averageCharWidth() * 4) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(resourceRect, Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(qstr(resource), Qt::ElideRight, resourceRect.width()));
    }
}

std::pair<double, double> WaterfallView::paintBar(QPainter& p, std::uint32_t span, const QRect& lane,
                                                  const TimeScale& scale) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const double x0 = scale.toX(s.start);
    const double x1 = scale.toX(s.end);
    if (x1 < -2 || x0 > scale.width + 2) { // off screen: say where it is
        p.setPen(palette().color(QPalette::PlaceholderText));
        const bool left = x1 < 0;
        const QString text = (left ? QStringLiteral("◂ ") : QString()) + durationText(s.duration()) +
                             (left ? QString() : QStringLiteral(" ▸"));
        p.drawText(lane.adjusted(6, 0, -6, 0), Qt::AlignVCenter | (left ? Qt::AlignLeft : Qt::AlignRight), text);
        const int w = p.fontMetrics().horizontalAdvance(text) + 6;
        return left ? std::make_pair<double, double>(lane.left(), lane.left() + w)
                    : std::make_pair<double, double>(lane.right() - w, lane.right());
    }
    const QColor color = serviceColor(d.str(s.service), darkTheme());
    const double left = lane.left() + std::max(-2.0, x0);
    const double right = lane.left() + std::min(scale.width + 2, std::max(x1, x0 + kMinBarWidth));
    const QRectF bar(left, lane.top() + 5, right - left, lane.height() - 10);
    if (s.has(MarkFollowsFrom)) { // asynchronous: hatched
        p.fillRect(bar, color.lighter(150));
        p.fillRect(bar, QBrush(color, Qt::BDiagPattern));
    } else if (s.has(MarkInProgress)) { // no end in the file: fades out towards the end of the trace
        QLinearGradient fade(bar.topLeft(), bar.topRight());
        QColor faded = color;
        faded.setAlpha(50);
        fade.setColorAt(0, color);
        fade.setColorAt(0.5, color);
        fade.setColorAt(1, faded);
        p.fillRect(bar, fade);
    } else if (s.has(MarkInferred)) { // made by the tracing backend, not by the service: outlined
        p.fillRect(bar, color.lighter(160));
        p.setPen(QPen(color.darker(130), 1, Qt::DashLine));
        p.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5));
    } else {
        p.fillRect(bar, color);
    }
    if (s.status == StatusCode::Error)
        p.fillRect(QRectF(bar.left(), bar.bottom() - 2, bar.width(), 2), kErrorColor);
    if (m_state->isCollapsed(span) && m_state->hasChildren(span))
        paintHiddenActivity(p, span, lane, bar, scale);
    if (m_state->showCriticalPath())
        paintCriticalPath(p, span, lane, bar, scale);
    if (const auto it = m_annotationIndex.highlights.find(s.id); it != m_annotationIndex.highlights.end()) {
        p.setPen(QPen(rgbColor(it->second), 2));
        p.drawRect(bar.adjusted(-2.5, -2.5, 2.5, 2.5));
    }
    if (m_paintsSelection && span == m_state->selected()) {
        p.setPen(QPen(palette().color(QPalette::Text), 1.5));
        p.drawRect(bar.adjusted(-1, -1, 1, 1));
    }
    // Event ticks, when the bar is wide enough to hold them.
    if (bar.width() > 8 && s.events.count > 0) {
        p.setPen(QPen(color.darker(200), 1));
        for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
            const double ex = lane.left() + scale.toX(d.events[e].time);
            if (ex >= bar.left() && ex <= bar.right())
                p.drawLine(QPointF(ex, bar.top() - 2), QPointF(ex, bar.top() + 3));
        }
    }
    // Duration label: right of the bar, or left of it when the bar reaches the edge.
    const QString label = (s.has(MarkInProgress) ? QStringLiteral("≥ ") : QString()) + durationText(s.duration());
    const int labelWidth = p.fontMetrics().horizontalAdvance(label) + 8;
    p.setPen(palette().color(QPalette::Text));
    if (bar.right() + labelWidth < lane.right() - 2) {
        p.drawText(QRectF(bar.right() + 5, lane.top(), labelWidth, lane.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
        return {bar.left(), bar.right() + labelWidth};
    }
    if (bar.left() - labelWidth > lane.left()) {
        p.drawText(QRectF(bar.left() - labelWidth, lane.top(), labelWidth - 4, lane.height()),
                   Qt::AlignVCenter | Qt::AlignRight, label);
        return {bar.left() - labelWidth, bar.right()};
    }
    // No room outside: inside the bar, in a colour that reads on it; a callout may then cover the
    // rest of the bar.
    p.setPen(textColorOn(color));
    p.drawText(QRectF(bar.left() + 4, lane.top(), bar.width() - 8, lane.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
    return {bar.left(), bar.left() + labelWidth};
}

void WaterfallView::paintCallout(QPainter& p, std::uint32_t span, const QRect& lane, std::pair<double, double> taken) const
{
    // A rounded label with a notch pointing at the bar: right of the bar and its duration, else
    // left of them, else over the right end of the lane.
    const auto& notes = *notesOf(span);
    QString text = firstLine(notes.front()->text);
    const QString more = notes.size() > 1 ? QStringLiteral("  +%1").arg(notes.size() - 1) : QString();
    const QFontMetrics fm = p.fontMetrics();
    const int natural = fm.horizontalAdvance(text + more) + 16; // 2 px beyond the padding: advances are rounded
    const int roomRight = static_cast<int>(lane.right() - 4 - (taken.second + 10));
    const int roomLeft = static_cast<int>(taken.first - 10 - (lane.left() + 4));
    int width = std::min(natural, kCalloutMaxWidth);
    bool pointsLeft = true; // the notch is on the left: the callout is right of the bar
    double left = 0;
    const bool right = roomRight >= width || (roomRight >= std::min(width, kCalloutMinWidth) && roomLeft < width &&
                                              roomRight >= roomLeft);
    if (right) {
        width = std::min(width, roomRight);
        left = taken.second + 10;
    } else if (roomLeft >= std::min(width, kCalloutMinWidth)) {
        width = std::min(width, roomLeft);
        left = taken.first - 10 - width;
        pointsLeft = false;
    } else {
        width = std::min(width, lane.width() - 8);
        left = lane.right() - 4 - width;
        pointsLeft = false;
    }
    const QRectF box(left, lane.top() + 3, width, lane.height() - 6);
    const NoteColors colors = spanNoteColors(darkTheme());
    QPainterPath path;
    path.addRoundedRect(box, 4, 4);
    QPainterPath notch;
    const double cy = box.center().y();
    if (pointsLeft) {
        notch.moveTo(box.left() + 1, cy - 4);
        notch.lineTo(box.left() - 5, cy);
        notch.lineTo(box.left() + 1, cy + 4);
    } else {
        notch.moveTo(box.right() - 1, cy - 4);
        notch.lineTo(box.right() + 5, cy);
        notch.lineTo(box.right() - 1, cy + 4);
    }
    notch.closeSubpath();
    path = path.united(notch);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(colors.border, 1));
    p.setBrush(colors.fill);
    p.drawPath(path);
    p.setPen(colors.text);
    const QRectF textBox = box.adjusted(7, 0, -7, 0);
    const int moreWidth = more.isEmpty() ? 0 : fm.horizontalAdvance(more);
    p.drawText(textBox.adjusted(0, 0, -moreWidth, 0), Qt::AlignVCenter | Qt::AlignLeft,
               fm.elidedText(text, Qt::ElideRight, static_cast<int>(textBox.width()) - moreWidth));
    if (!more.isEmpty())
        p.drawText(textBox, Qt::AlignVCenter | Qt::AlignRight, more);
    p.restore();
    m_callouts.push_back(box.toAlignedRect());
    if (m_paintingScreen)
        m_hits.push_back({box.toAlignedRect(), notes.front()->id});
}

void WaterfallView::paintRangeNotes(QPainter& p, const QRect& area, const TimeScale& scale) const
{
    // A shaded band down the bar area per note, its label at the top of the band; labels that
    // would overlap each other or a callout move down.
    if (m_annotationIndex.ranges.empty())
        return;
    const bool dark = darkTheme();
    const NoteColors colors = rangeNoteColors(dark);
    const QRect lanes(m_nameWidth + 1, area.top() + m_rulerHeight, area.width() - m_nameWidth - 1, area.height() - m_rulerHeight);
    const QFontMetrics fm = p.fontMetrics();
    const int labelHeight = fm.height() + 4;
    std::vector<QRect> labels = m_callouts;
    p.save();
    p.setClipRect(lanes);
    for (const Annotation* note : m_annotationIndex.ranges) {
        const TimeNs shift = m_paintingScreen && note->id == m_dragAnnotation ? m_dragDelta : 0;
        const double x0 = std::max(-2.0, scale.toX(note->start + shift));
        const double x1 = std::min(scale.width + 2, scale.toX(note->end + shift));
        if (x1 < 0 || x0 > scale.width)
            continue;
        const QRectF band(lanes.left() - 1 + x0, lanes.top(), std::max(2.0, x1 - x0), lanes.height());
        QColor shade = colors.border;
        shade.setAlpha(dark ? 46 : 30);
        p.fillRect(band, shade);
        QColor edge = colors.border;
        edge.setAlpha(dark ? 150 : 110);
        p.setPen(QPen(edge, 1));
        p.drawLine(QPointF(band.left(), band.top()), QPointF(band.left(), band.bottom()));
        p.drawLine(QPointF(band.right(), band.top()), QPointF(band.right(), band.bottom()));
        const QString text = firstLine(note->text);
        const int width = std::min({fm.horizontalAdvance(text) + 16, kCalloutMaxWidth, lanes.width() - 6});
        QRect label(static_cast<int>(std::max<double>(band.left() + 3, lanes.left() + 3)), lanes.top() + 3, width, labelHeight);
        if (label.right() > lanes.right() - 3)
            label.moveRight(lanes.right() - 3);
        while (label.bottom() < lanes.bottom() &&
               std::any_of(labels.begin(), labels.end(), [&](const QRect& r) { return r.adjusted(-3, -2, 3, 2).intersects(label); }))
            label.translate(0, labelHeight + 3);
        if (label.bottom() >= lanes.bottom())
            continue; // no room left: the band shows, its label is on hover
        labels.push_back(label);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(colors.border, 1));
        p.setBrush(colors.fill);
        p.drawRoundedRect(QRectF(label).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(colors.text);
        p.drawText(label.adjusted(7, 0, -7, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(text, Qt::ElideRight, label.width() - 14));
        if (m_paintingScreen)
            m_hits.push_back({label, note->id});
    }
    p.restore();
}

void WaterfallView::paintRangeMarks(QPainter& p, const QRect& ruler, const TimeScale& scale) const
{
    // On the ruler: a strip under each range note, and the range being selected.
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, ruler.top(), ruler.width() - m_nameWidth - 1, ruler.height()));
    auto span = [&](TimeNs start, TimeNs end) {
        const double x0 = m_nameWidth + std::max(-2.0, scale.toX(start));
        const double x1 = m_nameWidth + std::min(scale.width + 2, scale.toX(end));
        return std::make_pair(x0, std::max(x0 + 2, x1));
    };
    const QColor strip = rangeNoteColors(darkTheme()).border;
    for (const Annotation* note : m_annotationIndex.ranges) {
        const auto [x0, x1] = span(note->start, note->end);
        p.fillRect(QRectF(x0, ruler.bottom() - 3, x1 - x0, 3), strip);
    }
    if (m_rangeSelection && m_paintingScreen) {
        const auto [x0, x1] = span(m_rangeSelection->first, m_rangeSelection->second);
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(70);
        p.fillRect(QRectF(x0, ruler.top(), x1 - x0, ruler.height()), fill);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.drawRect(QRectF(x0, ruler.top(), x1 - x0, ruler.height() - 1));
        p.setPen(palette().color(QPalette::WindowText));
        const QString length = durationText(m_rangeSelection->second - m_rangeSelection->first);
        p.drawText(QRectF(x0, ruler.top(), std::max(x1 - x0, 80.0), ruler.height()), Qt::AlignCenter, length);
    }
    p.restore();
    if (m_rangeSelection && m_paintingScreen) { // and faintly across the rows
        const auto [x0, x1] = span(m_rangeSelection->first, m_rangeSelection->second);
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(28);
        p.save();
        p.setClipRect(QRect(m_nameWidth + 1, ruler.bottom() + 1, ruler.width() - m_nameWidth - 1, viewport()->height()));
        p.fillRect(QRectF(x0, ruler.bottom() + 1, x1 - x0, viewport()->height()), fill);
        p.restore();
    }
}

const SubtreeActivity& WaterfallView::hiddenActivity(std::uint32_t span, const TimeScale& scale) const
{
    SubtreeActivity& activity = m_hiddenActivity[span];
    const Trace& trace = m_state->trace();
    const TimeNs from = std::max(trace.start, scale.viewStart);
    const TimeNs to = std::min(trace.end, scale.viewEnd) + 1;
    const double nsPerBin = scale.nsPerPixel() / kActivityBinsPerPixel;
    if (activity.covers(from, to) && static_cast<double>(activity.binWidth()) <= nsPerBin)
        return activity;
    // Bins over the whole trace while they are fine enough; zoomed in further, over three screens
    // around the view, so that panning does not recompute at every step.
    const double wanted = std::ceil(static_cast<double>(trace.duration() + 1) / nsPerBin);
    const std::size_t bins = static_cast<std::size_t>(std::max(1.0, scale.width)) * kActivityBinsPerPixel;
    if (wanted <= static_cast<double>(bins * 3)) {
        activity = subtreeActivity(m_state->data(), span, trace.start, trace.end + 1, static_cast<std::size_t>(wanted));
    } else {
        const TimeNs view = to - from;
        activity = subtreeActivity(m_state->data(), span, std::max(trace.start, from - view),
                                   std::min(trace.end + 1, to + view), bins * 3);
    }
    if (m_hiddenActivity.size() > 256) { // bounded: rows scrolled past are computed again when back
        SubtreeActivity kept = std::move(activity);
        m_hiddenActivity.clear();
        return m_hiddenActivity[span] = std::move(kept);
    }
    return activity;
}

void WaterfallView::paintHiddenActivity(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                                        const TimeScale& scale) const
{
    const SubtreeActivity& activity = hiddenActivity(span, scale);
    QColor ink = palette().color(QPalette::Text);
    const int width = lane.width();
    auto peakAt = [&](int x) { return activity.peak(scale.toTime(x), scale.toTime(x + 1)); };
    for (int x = 0; x < width;) {
        std::uint32_t peak = peakAt(x);
        if (peak == 0) {
            ++x;
            continue;
        }
        // One mark for a run of busy pixels with gaps narrower than kFoldGap.
        const int start = x;
        int end = x + 1;
        for (int probe = end; probe < width && probe < end + kFoldGap; ++probe) {
            if (const std::uint32_t here = peakAt(probe)) {
                peak = std::max(peak, here);
                end = probe + 1;
            }
        }
        ink.setAlpha(std::min(230, 90 + 25 * static_cast<int>(std::log2(1.0 + peak))));
        p.fillRect(QRectF(lane.left() + start, bar.bottom() + 1, end - start, 3), ink);
        x = end;
    }
}

void WaterfallView::paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                                      const TimeScale& scale) const
{
    const QColor ink = criticalPathColor(darkTheme());
    const double middle = bar.center().y();
    auto xOf = [&](TimeNs t) { return std::clamp(lane.left() + scale.toX(t), lane.left() - 2.0, lane.right() + 2.0); };
    for (const CriticalSegment& segment : m_state->criticalSegmentsOf(span, span + 1)) {
        const double x0 = xOf(segment.start);
        const double x1 = std::max(xOf(segment.end), x0 + 1);
        p.fillRect(QRectF(x0, middle - 2, x1 - x0, 4), ink);
    }
    const Span& s = m_state->data().spans[span];
    if (!m_state->isCollapsed(span) || s.subtreeEnd == span + 1)
        return;
    // A collapsed row shows the critical stretches of its hidden subtree, folded into pixels.
    const auto hidden = m_state->criticalSegmentsOf(span + 1, s.subtreeEnd);
    if (hidden.empty())
        return;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(lane.width()) + 1, 0);
    for (const CriticalSegment& segment : hidden) {
        const int x0 = std::clamp(static_cast<int>(scale.toX(segment.start)), 0, lane.width());
        const int x1 = std::clamp(static_cast<int>(std::ceil(scale.toX(segment.end))), x0 + 1, lane.width() + 1);
        std::fill(covered.begin() + x0, covered.begin() + std::min<int>(x1, static_cast<int>(covered.size())), 1);
    }
    QColor faded = ink;
    faded.setAlpha(ink.alpha() / 2);
    for (int x = 0; x < static_cast<int>(covered.size());) {
        if (!covered[x]) {
            ++x;
            continue;
        }
        const int start = x;
        while (x < static_cast<int>(covered.size()) && covered[x])
            ++x;
        p.fillRect(QRectF(lane.left() + start, middle - 1.5, x - start, 3), faded);
    }
}

void WaterfallView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    m_nameWidth = std::clamp(m_nameWidth, 120, std::max(120, viewport()->width() - 120));
    updateScrollBar();
    emit geometryChanged();
}

void WaterfallView::mousePressEvent(QMouseEvent* event)
{
    const QScopedValueRollback navigating(m_navigating, true);
    m_pressPos = event->pos();
    m_pressViewStart = m_state->viewStart();
    m_dragMoved = false;
    if (event->button() != Qt::LeftButton)
        return;
    if (onDivider(event->pos().x())) {
        m_drag = Drag::Divider;
        return;
    }
    if (const std::uint64_t id = annotationAt(event->pos()); id && m_annotations) {
        const Annotation* note = m_annotations->document().find(id);
        if (!note)
            return;
        m_drag = note->kind == AnnotationKind::RangeNote ? Drag::RangeNote : Drag::Note;
        m_dragAnnotation = id;
        return;
    }
    if (event->pos().y() < m_rulerHeight && event->pos().x() > m_nameWidth) {
        m_drag = Drag::RangeSelect;
        m_rangeAnchor = timeScale().toTime(event->pos().x() - m_nameWidth);
        return;
    }
    const int row = rowAt(event->pos().y());
    if (event->pos().x() > m_nameWidth)
        m_drag = Drag::Pan;
    if (row < 0)
        return;
    const std::uint32_t span = m_state->rows()[row];
    const int arrowLeft = 8 + indentOf(span, indentStep());
    if (event->pos().x() >= arrowLeft && event->pos().x() < arrowLeft + 14 && m_state->hasChildren(span)) {
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
    if (m_drag == Drag::RangeSelect || m_drag == Drag::Note || m_drag == Drag::RangeNote) {
        if ((event->pos() - m_pressPos).manhattanLength() > 3)
            m_dragMoved = true;
        if (m_drag == Drag::RangeSelect && m_dragMoved) {
            const double x = std::clamp<double>(event->pos().x() - m_nameWidth, 0, timeScale().width);
            setRangeSelection(m_rangeAnchor, timeScale().toTime(x));
        } else if (m_dragMoved) {
            viewport()->setCursor(m_drag == Drag::Note ? Qt::DragMoveCursor : Qt::SizeHorCursor);
            if (m_drag == Drag::RangeNote) { // the band follows the mouse
                m_dragDelta = static_cast<TimeNs>((event->pos().x() - m_pressPos.x()) * timeScale().nsPerPixel());
                viewport()->update();
            }
        }
        return;
    }
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
    if (m_drag == Drag::RangeSelect && !m_dragMoved)
        clearRangeSelection(); // a click on the ruler
    if (m_drag == Drag::Note && m_annotations) { // dropped on another span, or a click on it
        if (const int row = rowAt(event->pos().y()); row >= 0) {
            if (m_dragMoved)
                m_annotations->moveSpanNote(m_dragAnnotation, m_state->data().spans[m_state->rows()[row]].id);
            else
                m_state->select(m_state->rows()[row]);
        }
    }
    if (m_drag == Drag::RangeNote && m_dragMoved && m_annotations) { // slid along the time axis
        if (const Annotation* note = m_annotations->document().find(m_dragAnnotation)) {
            const auto delta = static_cast<TimeNs>((event->pos().x() - m_pressPos.x()) * timeScale().nsPerPixel());
            m_annotations->moveRangeNote(m_dragAnnotation, note->start + delta, note->end + delta);
        }
    }
    m_dragDelta = 0;
    m_drag = Drag::None;
    viewport()->setCursor(Qt::ArrowCursor);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (const std::uint64_t id = annotationAt(event->pos())) {
        beginEditNote(id);
        return;
    }
    const int row = rowAt(event->pos().y());
    if (row < 0)
        return;
    const std::uint32_t span = m_state->rows()[row];
    if (event->pos().x() > m_nameWidth)
        zoomToSpan(span);
    else
        emit spanActivated(span);
}

void WaterfallView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        const double x = event->position().x() - m_nameWidth;
        const TimeNs anchor = x >= 0 ? timeScale().toTime(x) : (m_state->viewStart() + m_state->viewEnd()) / 2;
        m_state->zoom(std::pow(1.25, steps), anchor);
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        const double delta = (event->angleDelta().x() ? event->angleDelta().x() : event->angleDelta().y()) / 120.0;
        m_state->pan(static_cast<TimeNs>(-delta * 0.1 * static_cast<double>(m_state->viewEnd() - m_state->viewStart())));
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
        if (m_state->hasChildren(selected) && m_state->isCollapsed(selected))
            m_state->setCollapsed(selected, false);
        else if (m_state->hasChildren(selected))
            m_state->select(selected + 1);
        break;
    case Qt::Key_Left:
        if (selected == kNoIndex)
            break;
        if (m_state->hasChildren(selected) && !m_state->isCollapsed(selected))
            m_state->setCollapsed(selected, true);
        else if (m_state->data().spans[selected].parent != kNoIndex &&
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
        if (selected != kNoIndex && m_annotations)
            beginAddNote(selected);
        break;
    case Qt::Key_Escape:
        if (m_rangeSelection)
            clearRangeSelection();
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

void WaterfallView::showAnnotationMenu(QMenu& menu, std::uint64_t id)
{
    const Annotation* note = m_annotations->document().find(id);
    const bool range = note->kind == AnnotationKind::RangeNote;
    menu.addAction(range ? tr("Edit Range Note…") : tr("Edit Note…"), this, [this, id] { beginEditNote(id); });
    if (range) {
        const TimeNs start = note->start, end = note->end;
        menu.addAction(tr("Zoom to Range"), this, [this, start, end] {
            const TimeNs margin = std::max<TimeNs>((end - start) / 20, 500);
            m_state->setViewRange(start - margin, end + margin);
        });
        menu.addAction(tr("Move to Selected Range"), this, [this, id] {
            m_annotations->moveRangeNote(id, m_rangeSelection->first, m_rangeSelection->second);
            clearRangeSelection();
        })->setEnabled(m_rangeSelection.has_value());
    }
    menu.addAction(range ? tr("Delete Range Note") : tr("Delete Note"), this, [this, id] { m_annotations->remove(id); });
}

void WaterfallView::contextMenuEvent(QContextMenuEvent* event)
{
    const QScopedValueRollback navigating(m_navigating, true);
    const int row = rowAt(event->pos().y());
    QMenu menu(this);
    // The keys that do the same from the window, shown beside the actions.
    const auto withKey = [](QAction* action, const QKeySequence& key) {
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetShortcut);
        action->setShortcutVisibleInContextMenu(true);
        return action;
    };
    if (m_annotations) {
        if (const std::uint64_t id = annotationAt(event->pos()); id && m_annotations->document().find(id)) {
            showAnnotationMenu(menu, id);
            menu.exec(event->globalPos());
            return;
        }
        if (event->pos().y() < m_rulerHeight && event->pos().x() > m_nameWidth) {
            menu.addAction(tr("Add Range Note…"), this, &WaterfallView::beginAddRangeNote)->setEnabled(m_rangeSelection.has_value());
            menu.addAction(tr("Zoom to Selected Range"), this, [this] {
                m_state->setViewRange(m_rangeSelection->first, m_rangeSelection->second);
                clearRangeSelection();
            })->setEnabled(m_rangeSelection.has_value());
            menu.addAction(tr("Clear Selected Range"), this, &WaterfallView::clearRangeSelection)->setEnabled(m_rangeSelection.has_value());
            if (!m_rangeSelection)
                menu.addAction(tr("Drag on the ruler to select a time range"))->setEnabled(false);
            menu.exec(event->globalPos());
            return;
        }
    }
    if (row >= 0) {
        const std::uint32_t span = m_state->rows()[row];
        m_state->select(span);
        withKey(menu.addAction(tr("Zoom to Span"), this, [this, span] { zoomToSpan(span); }), QKeySequence(Qt::Key_Z));
        withKey(menu.addAction(tr("Focus on This Subtree"), this, [this, span] { m_state->focusOn(span); }),
                QKeySequence(Qt::Key_F))
            ->setEnabled(m_state->hasChildren(span) && span != m_state->focusRoot());
        menu.addAction(tr("Copy Span ID"), this, [this, span] {
            QApplication::clipboard()->setText(QString::fromStdString(toHex(m_state->data().spans[span].id)));
        });
        if (m_annotations) {
            menu.addSeparator();
            withKey(menu.addAction(tr("Add Note…"), this, [this, span] { beginAddNote(span); }), QKeySequence(Qt::Key_N));
            const TraceId trace = m_state->trace().id;
            const SpanId id = m_state->data().spans[span].id;
            const Annotation* highlight = m_annotations->document().highlightOf(trace, id);
            QMenu* colors = menu.addMenu(tr("Highlight"));
            for (const auto& [name, rgb] : AnnotationStore::highlightColors()) {
                QPixmap swatch(12, 12);
                swatch.fill(rgbColor(rgb));
                QAction* action = colors->addAction(QIcon(swatch), name, this, [this, trace, id, rgb = rgb] {
                    m_annotations->setHighlight(trace, id, rgb);
                });
                action->setCheckable(true);
                action->setChecked(highlight && highlight->color == rgb);
            }
            menu.addAction(tr("Remove Highlight"), this, [this, trace, id] { m_annotations->removeHighlight(trace, id); })
                ->setEnabled(highlight != nullptr);
        }
        menu.addSeparator();
    }
    withKey(menu.addAction(tr("Back from Focus"), m_state, &TraceViewState::focusBack), QKeySequence(Qt::Key_Backspace))
        ->setEnabled(m_state->focusRoot() != kNoIndex);
    withKey(menu.addAction(tr("Reset Zoom"), m_state, &TraceViewState::resetView), QKeySequence(Qt::Key_0));
    withKey(menu.addAction(tr("Expand All"), m_state, &TraceViewState::expandAll), QKeySequence(Qt::CTRL | Qt::Key_E));
    menu.exec(event->globalPos());
}

bool WaterfallView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const std::uint64_t id = annotationAt(help->pos());
        if (const Annotation* note = id && m_annotations ? m_annotations->document().find(id) : nullptr) {
            QStringList texts;
            if (note->kind == AnnotationKind::SpanNote) {
                for (const Annotation* n : m_annotationIndex.notes.at(note->span))
                    texts << QString::fromStdString(n->text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
            } else {
                texts << QStringLiteral("<b>+%1 – +%2</b>")
                             .arg(durationText(note->start - m_state->trace().start),
                                  durationText(note->end - m_state->trace().start))
                      << QString::fromStdString(note->text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
            }
            QToolTip::showText(help->globalPos(), texts.join(QStringLiteral("<hr>")), viewport());
            return true;
        }
        const int row = rowAt(help->pos().y());
        if (row < 0) {
            QToolTip::hideText();
            return true;
        }
        const Dataset& d = m_state->data();
        const std::uint32_t span = m_state->rows()[row];
        const Span& s = d.spans[span];
        QString operation = qstr(d.str(s.name)).toHtmlEscaped();
        if (const std::string_view resource = resourceNameOf(d, s); !resource.empty() && resource != d.str(s.name))
            operation += QStringLiteral(" <i>%1</i>").arg(qstr(resource).toHtmlEscaped());
        QString text = QStringLiteral("<b>%1</b> %2<br>duration %3 · self %4<br>starts at +%5")
                           .arg(qstr(d.str(s.service)).toHtmlEscaped(), operation,
                                durationText(s.duration()), durationText(selfTime(d, span)),
                                durationText(s.start - m_state->trace().start));
        if (s.status == StatusCode::Error)
            text += QStringLiteral("<br><span style='color:#d03030'>error</span> %1").arg(qstr(d.str(s.statusMessage)).toHtmlEscaped());
        if (s.has(MarkInProgress))
            text += tr("<br>still in progress when written: at least this long");
        if (s.has(MarkInferred))
            text += tr("<br>inferred by the tracing backend, not reported by the service");
        if (m_state->isCollapsed(span) && m_state->hasChildren(span)) {
            text += tr("<br>%L1 spans hidden below").arg(s.subtreeEnd - span - 1);
            const TimeScale scale = timeScale();
            const double x = help->pos().x() - m_nameWidth;
            if (x >= 0) {
                const std::uint32_t running = hiddenActivity(span, scale).peak(scale.toTime(x - kFoldGap), scale.toTime(x + kFoldGap));
                text += tr(", up to %L1 at once here").arg(running);
            }
        }
        if (const auto* notes = notesOf(span)) {
            for (const Annotation* note : *notes)
                text += QStringLiteral("<hr>") + QString::fromStdString(note->text).toHtmlEscaped();
        }
        if (help->pos().x() > m_nameWidth) { // the range notes under the cursor
            const TimeNs time = timeScale().toTime(help->pos().x() - m_nameWidth);
            for (const Annotation* range : m_annotationIndex.ranges) {
                if (range->start <= time && time <= range->end)
                    text += QStringLiteral("<hr><i>%1</i>").arg(QString::fromStdString(range->text).toHtmlEscaped());
            }
        }
        QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    if (event->type() == QEvent::Resize)
        updateScrollBar();
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace spanwise
