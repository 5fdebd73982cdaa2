#include "minimap.h"

#include "service_palette.h"

#include <QMouseEvent>
#include <QPainter>

#include <unordered_map>

namespace spanwise {

namespace {
constexpr double kHandleReach = 5; // pixels around an edge that grab it
}

Minimap::Minimap(TraceViewState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
    setMinimumHeight(48);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
    connect(state, &TraceViewState::viewRangeChanged, this, qOverload<>(&QWidget::update));
    connect(state, &TraceViewState::hidingChanged, this, [this] {
        if (m_state->hiddenServices() == m_overviewHidden)
            return; // the minimum duration changed: the overview shows every span whatever its length
        renderOverview();
        update();
    });
    setToolTip(tr("Drag to zoom to a time range; drag the edges to adjust; double-click to show everything"));
}

void Minimap::setAxisInset(int left, int right)
{
    if (left == m_insetLeft && right == m_insetRight)
        return;
    m_insetLeft = left;
    m_insetRight = right;
    update(); // the overview image is scaled into the new axis: no need to render it again
}

double Minimap::toX(TimeNs t) const
{
    const Trace& trace = m_state->trace();
    const double width = std::max(1, this->width() - m_insetLeft - m_insetRight);
    const double span = std::max<TimeNs>(1, trace.duration());
    return m_insetLeft + static_cast<double>(t - trace.start) * width / span;
}

TimeNs Minimap::toTime(double x) const
{
    const Trace& trace = m_state->trace();
    const double width = std::max(1, this->width() - m_insetLeft - m_insetRight);
    return trace.start + static_cast<TimeNs>((x - m_insetLeft) * static_cast<double>(trace.duration()) / width);
}

void Minimap::renderOverview()
{
    const qreal ratio = devicePixelRatioF(); // one image pixel per device pixel: crisp on HiDPI
    const int w = std::max(1, static_cast<int>(width() * ratio));
    const int h = std::max(1, static_cast<int>((height() - 6) * ratio));
    m_overview = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
    m_overview.setDevicePixelRatio(ratio);
    m_overview.fill(Qt::transparent);
    m_overviewHidden = m_state->hiddenServices();
    const Dataset& d = m_state->data();
    const Trace& trace = m_state->trace();
    const bool dark = hasDarkBase(palette());
    std::unordered_map<StringId, QRgb> colors;
    const double span = std::max<TimeNs>(1, trace.duration());
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        const Span& s = d.spans[i];
        if (m_state->isServiceHidden(s.service))
            continue;
        auto [it, added] = colors.try_emplace(s.service, 0);
        if (added)
            it->second = m_state->serviceColors().color(d.str(s.service), dark).rgba();
        const int y = static_cast<int>(static_cast<std::uint64_t>(i - trace.first) * h / trace.count);
        const int x0 = std::clamp(static_cast<int>(static_cast<double>(s.start - trace.start) * w / span), 0, w - 1);
        const int x1 = std::clamp(static_cast<int>(static_cast<double>(s.end - trace.start) * w / span), x0, w - 1);
        auto* line = reinterpret_cast<QRgb*>(m_overview.scanLine(y));
        std::fill(line + x0, line + x1 + 1, it->second);
    }
}

void Minimap::resizeEvent(QResizeEvent*)
{
    renderOverview();
}

QRectF Minimap::viewRect() const
{
    const double x0 = std::max<double>(m_insetLeft, toX(m_state->viewStart()));
    const double x1 = std::min<double>(width() - m_insetRight, toX(m_state->viewEnd()));
    return QRectF(x0, 1, std::max(2.0, x1 - x0), height() - 2);
}

void Minimap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.drawImage(QRectF(m_insetLeft, 3, std::max(1, width() - m_insetLeft - m_insetRight), height() - 6), m_overview);
    if (m_insetLeft > 100) {
        p.fillRect(QRect(0, 0, m_insetLeft, height()), palette().color(QPalette::Window));
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(8, 0, m_insetLeft - 16, height()), Qt::AlignVCenter | Qt::AlignRight | Qt::TextWordWrap,
                   tr("Whole trace — drag to zoom"));
    }
    const QRectF view = viewRect();
    // Dim what lies outside the current view, outline the view.
    const QColor shade(0, 0, 0, 60);
    p.fillRect(QRectF(m_insetLeft, 0, view.left() - m_insetLeft, height()), shade);
    p.fillRect(QRectF(view.right(), 0, width() - m_insetRight - view.right(), height()), shade);
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.drawRect(view);
    if (m_drag == Drag::Select) {
        const QRectF band(std::min(m_pressX, m_currentX), 0, std::abs(m_currentX - m_pressX), height());
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(60);
        p.fillRect(band, fill);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(0, height() - 1, width(), height() - 1);
}

void Minimap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const double x = event->position().x();
    const QRectF view = viewRect();
    m_pressX = m_currentX = x;
    m_pressStart = m_state->viewStart();
    m_pressEnd = m_state->viewEnd();
    if (std::abs(x - view.left()) <= kHandleReach)
        m_drag = Drag::LeftEdge;
    else if (std::abs(x - view.right()) <= kHandleReach)
        m_drag = Drag::RightEdge;
    else if (view.contains(event->position()) && view.width() < width() - m_insetLeft - m_insetRight - 4)
        m_drag = Drag::Move;
    else
        m_drag = Drag::Select;
}

void Minimap::mouseMoveEvent(QMouseEvent* event)
{
    const double x = event->position().x();
    if (m_drag == Drag::None) {
        const QRectF view = viewRect();
        const bool onEdge = std::abs(x - view.left()) <= kHandleReach || std::abs(x - view.right()) <= kHandleReach;
        setCursor(onEdge ? Qt::SizeHorCursor : Qt::ArrowCursor);
        return;
    }
    m_currentX = x;
    const TimeNs t = toTime(x);
    switch (m_drag) {
    case Drag::LeftEdge:
        m_state->setViewRange(std::min(t, m_pressEnd - m_state->minimumViewSpan()), m_pressEnd);
        break;
    case Drag::RightEdge:
        m_state->setViewRange(m_pressStart, std::max(t, m_pressStart + m_state->minimumViewSpan()));
        break;
    case Drag::Move: {
        const TimeNs delta = t - toTime(m_pressX);
        m_state->setViewRange(m_pressStart + delta, m_pressEnd + delta);
        break;
    }
    case Drag::Select:
    case Drag::None:
        break;
    }
    update();
}

void Minimap::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Select && std::abs(event->position().x() - m_pressX) > 3) {
        const TimeNs a = toTime(m_pressX);
        const TimeNs b = toTime(event->position().x());
        m_state->setViewRange(std::min(a, b), std::max(a, b));
    }
    m_drag = Drag::None;
    update();
}

void Minimap::mouseDoubleClickEvent(QMouseEvent*)
{
    m_state->resetView();
}

} // namespace spanwise
