#include "waterfall_view.h"

#include "service_palette.h"

#include <self_time.h>
#include <span_resource.h>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>

#include <cmath>

namespace spanwise {

namespace {

constexpr int kIndent = 14;    // pixels per tree level, when there is room
constexpr int kMinIndent = 5;  // squeezed for deep trees, before levels stop being drawn
constexpr int kNameRoom = 170; // what the indentation leaves for markers and names
constexpr int kRightMargin = 12;
constexpr int kMinBarWidth = 2;
const QColor kErrorColor(0xd0, 0x30, 0x30);
const QColor kWarningColor(0xe0, 0x90, 0x20);

QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

WaterfallView::WaterfallView(TraceViewState* state, QWidget* parent) : QAbstractScrollArea(parent), m_state(state)
{
    const QFontMetrics fm(font());
    m_rowHeight = fm.height() + 8;
    m_rulerHeight = fm.height() + 10;
    m_boldFont = font();
    m_boldFont.setBold(true);
    m_markerFont = m_boldFont;
    m_markerFont.setPointSizeF(m_boldFont.pointSizeF() * 0.75);
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
            scrollToSpan(span);
        viewport()->update();
    });
    updateScrollBar();
}

bool WaterfallView::darkTheme() const
{
    return palette().color(QPalette::Base).lightness() < 128;
}

void WaterfallView::setNameColumnWidth(int width)
{
    m_nameWidth = std::clamp(width, 120, std::max(120, viewport()->width() - 120));
    viewport()->update();
    emit geometryChanged();
}

TimeScale WaterfallView::timeScale() const
{
    TimeScale scale;
    scale.viewStart = m_state->viewStart();
    scale.viewEnd = m_state->viewEnd();
    scale.width = std::max(1, viewport()->width() - m_nameWidth - kRightMargin);
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

void WaterfallView::scrollToSpan(std::uint32_t span)
{
    const int row = m_state->rowOf(span);
    if (row < 0)
        return;
    QScrollBar* bar = verticalScrollBar();
    if (row < bar->value())
        bar->setValue(row);
    else if (row >= bar->value() + bar->pageStep())
        bar->setValue(row - bar->pageStep() + 1);
}

void WaterfallView::zoomToSpan(std::uint32_t span)
{
    const Span& s = m_state->data().spans[span];
    const TimeNs margin = std::max<TimeNs>(s.duration() / 20, 500);
    m_state->setViewRange(s.start - margin, s.end + margin);
}

int WaterfallView::indentStep() const
{
    // Deep trees squeeze the indentation so the rows on screen keep their hierarchy visible.
    const auto& rows = m_state->rows();
    const int first = verticalScrollBar()->value();
    const int last = std::min<int>(static_cast<int>(rows.size()), first + verticalScrollBar()->pageStep() + 1);
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
    paintTo(p, viewport()->rect(), verticalScrollBar()->value());
}

void WaterfallView::paintTo(QPainter& p, const QRect& area, int firstRow)
{
    p.fillRect(area, palette().color(QPalette::Base));
    const TimeScale scale = timeScale();
    const auto& rows = m_state->rows();
    // Grid lines under the rows, at the ruler's ticks.
    p.setPen(QColor(palette().color(QPalette::Text).red(), palette().color(QPalette::Text).green(),
                    palette().color(QPalette::Text).blue(), 22));
    const std::vector<TimeTick> ticks = scale.ticks(90);
    for (const TimeTick& tick : ticks)
        p.drawLine(QPointF(m_nameWidth + tick.x, m_rulerHeight), QPointF(m_nameWidth + tick.x, area.bottom()));
    const int step = indentStep();
    int y = area.top() + m_rulerHeight;
    for (int row = firstRow; row < static_cast<int>(rows.size()) && y < area.bottom(); ++row, y += m_rowHeight)
        paintRow(p, rows[row], y, area.width(), scale, step, row % 2 == 1);
    paintRuler(p, QRect(area.left(), area.top(), area.width(), m_rulerHeight), ticks);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(m_nameWidth, area.top(), m_nameWidth, area.bottom());
}

void WaterfallView::paintRuler(QPainter& p, const QRect& area, const std::vector<TimeTick>& ticks) const
{
    p.fillRect(area, palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    p.setPen(palette().color(QPalette::WindowText));
    const QString summary = tr("%1 spans · %2").arg(m_state->trace().count).arg(qstr(formatDuration(m_state->trace().duration())));
    p.drawText(area.adjusted(8, 0, -(area.width() - m_nameWidth) - 4, 0), Qt::AlignVCenter | Qt::AlignLeft, summary);
    p.save();
    p.setClipRect(QRect(m_nameWidth, area.top(), area.width() - m_nameWidth, area.height()));
    for (const TimeTick& tick : ticks) {
        const int x = m_nameWidth + static_cast<int>(std::lround(tick.x));
        p.drawLine(x, area.bottom() - 5, x, area.bottom());
        p.drawText(QRect(x + 3, area.top(), 120, area.height() - 2), Qt::AlignVCenter | Qt::AlignLeft,
                   qstr(tick.label));
    }
    p.restore();
}

void WaterfallView::paintRow(QPainter& p, std::uint32_t span, int y, int width, const TimeScale& scale, int indentStep,
                             bool odd) const
{
    const QRect row(0, y, width, m_rowHeight);
    const bool selected = span == m_state->selected();
    if (selected)
        p.fillRect(row, palette().color(QPalette::Highlight).lighter(darkTheme() ? 60 : 170));
    else if (odd)
        p.fillRect(row, palette().color(QPalette::AlternateBase));
    if (m_state->isSearchMatch(span))
        p.fillRect(QRect(0, y + 1, m_nameWidth, m_rowHeight - 2), darkTheme() ? QColor(110, 95, 20) : QColor(255, 236, 140));
    paintName(p, span, QRect(0, y, m_nameWidth, m_rowHeight), indentStep);
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, y, width - m_nameWidth - 1, m_rowHeight));
    paintBar(p, span, QRect(m_nameWidth, y, width - m_nameWidth, m_rowHeight), scale);
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
    const QString service = qstr(d.str(s.service));
    const QRect textRect(x, cell.top(), cell.right() - x - 6, cell.height());
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

void WaterfallView::paintBar(QPainter& p, std::uint32_t span, const QRect& lane, const TimeScale& scale) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const double x0 = scale.toX(s.start);
    const double x1 = scale.toX(s.end);
    if (x1 < -2 || x0 > scale.width + 2) { // off screen: say where it is
        p.setPen(palette().color(QPalette::PlaceholderText));
        const bool left = x1 < 0;
        p.drawText(lane.adjusted(6, 0, -6, 0), Qt::AlignVCenter | (left ? Qt::AlignLeft : Qt::AlignRight),
                   (left ? QStringLiteral("◂ ") : QString()) + qstr(formatDuration(s.duration())) +
                       (left ? QString() : QStringLiteral(" ▸")));
        return;
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
    if (m_state->showCriticalPath())
        paintCriticalPath(p, span, lane, bar, scale);
    if (span == m_state->selected()) {
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
    const QString label = (s.has(MarkInProgress) ? QStringLiteral("≥ ") : QString()) + qstr(formatDuration(s.duration()));
    const int labelWidth = p.fontMetrics().horizontalAdvance(label) + 8;
    p.setPen(palette().color(QPalette::Text));
    if (bar.right() + labelWidth < lane.right() - 2)
        p.drawText(QRectF(bar.right() + 5, lane.top(), labelWidth, lane.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
    else if (bar.left() - labelWidth > lane.left())
        p.drawText(QRectF(bar.left() - labelWidth, lane.top(), labelWidth - 4, lane.height()),
                   Qt::AlignVCenter | Qt::AlignRight, label);
    else { // no room outside: inside the bar, in a colour that reads on it
        p.setPen(color.lightness() < 140 ? QColor(Qt::white) : QColor(Qt::black));
        p.drawText(QRectF(bar.left() + 4, lane.top(), bar.width() - 8, lane.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
    }
}

void WaterfallView::paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                                      const TimeScale& scale) const
{
    const QColor ink = darkTheme() ? QColor(250, 250, 250, 230) : QColor(15, 15, 15, 210);
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
    m_pressPos = event->pos();
    m_pressViewStart = m_state->viewStart();
    m_dragMoved = false;
    if (event->button() != Qt::LeftButton)
        return;
    if (onDivider(event->pos().x())) {
        m_drag = Drag::Divider;
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
        setNameColumnWidth(event->pos().x());
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

void WaterfallView::mouseReleaseEvent(QMouseEvent*)
{
    m_drag = Drag::None;
    viewport()->setCursor(Qt::ArrowCursor);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event)
{
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
    case Qt::Key_Escape:
        m_state->select(kNoIndex);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void WaterfallView::contextMenuEvent(QContextMenuEvent* event)
{
    const int row = rowAt(event->pos().y());
    QMenu menu(this);
    if (row >= 0) {
        const std::uint32_t span = m_state->rows()[row];
        m_state->select(span);
        menu.addAction(tr("Zoom to Span"), this, [this, span] { zoomToSpan(span); });
        menu.addAction(tr("Focus on This Subtree"), this, [this, span] { m_state->focusOn(span); })
            ->setEnabled(m_state->hasChildren(span) && span != m_state->focusRoot());
        menu.addAction(tr("Copy Span ID"), this, [this, span] {
            QApplication::clipboard()->setText(QString::fromStdString(toHex(m_state->data().spans[span].id)));
        });
        menu.addSeparator();
    }
    menu.addAction(tr("Back from Focus"), m_state, &TraceViewState::focusBack)->setEnabled(m_state->focusRoot() != kNoIndex);
    menu.addAction(tr("Reset Zoom"), m_state, &TraceViewState::resetView);
    menu.addAction(tr("Expand All"), m_state, &TraceViewState::expandAll);
    menu.exec(event->globalPos());
}

bool WaterfallView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
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
                                qstr(formatDuration(s.duration())), qstr(formatDuration(selfTime(d, span))),
                                qstr(formatDuration(s.start - m_state->trace().start)));
        if (s.status == StatusCode::Error)
            text += QStringLiteral("<br><span style='color:#d03030'>error</span> %1").arg(qstr(d.str(s.statusMessage)).toHtmlEscaped());
        if (s.has(MarkInProgress))
            text += tr("<br>still in progress when written: at least this long");
        if (s.has(MarkInferred))
            text += tr("<br>inferred by the tracing backend, not reported by the service");
        QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    if (event->type() == QEvent::Resize)
        updateScrollBar();
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace spanwise
