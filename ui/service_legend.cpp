#include "service_legend.h"

#include "model_text.h"
#include "trace_view_state.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace spanwise {

namespace {

constexpr int kMarginX = 8;
constexpr int kMarginY = 4;

} // namespace

ServiceLegend::ServiceLegend(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_services(state->services())
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setMouseTracking(true);
    setToolTip(tr("Click a service to hide its spans from the waterfall, again to show them"));
    connect(state, &TraceViewState::decorationChanged, this, qOverload<>(&QWidget::update));
    connect(state, &TraceViewState::hidingChanged, this, qOverload<>(&QWidget::update));
}

QRect ServiceLegend::area() const
{
    return rect().adjusted(kMarginX, kMarginY, -kMarginX, -kMarginY);
}

int ServiceLegend::serviceAt(const QPoint& pos) const
{
    const QRect inner = area();
    const std::vector<QRect> boxes = swatchLegendBoxes(swatches(), fontMetrics(), inner.width());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        if (boxes[i].translated(inner.topLeft()).contains(pos))
            return static_cast<int>(i);
    }
    return -1;
}

QRect ServiceLegend::serviceRect(std::string_view service) const
{
    const auto it = std::find(m_services.begin(), m_services.end(), service);
    if (it == m_services.end())
        return {};
    const QRect inner = area();
    return swatchLegendBoxes(swatches(), fontMetrics(), inner.width())[it - m_services.begin()].translated(
        inner.topLeft());
}

void ServiceLegend::mousePressEvent(QMouseEvent* event)
{
    const int at = serviceAt(event->pos());
    if (event->button() != Qt::LeftButton || at < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    const std::string_view service = m_services[at];
    m_state->setServiceHidden(service, !m_state->isServiceHidden(service));
    event->accept();
}

void ServiceLegend::mouseMoveEvent(QMouseEvent* event)
{
    setCursor(serviceAt(event->pos()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

std::vector<Swatch> ServiceLegend::swatches() const
{
    const bool dark = hasDarkBase(palette());
    std::vector<Swatch> swatches;
    for (std::string_view service : m_services)
        swatches.push_back(
            {m_state->serviceColors().color(service, dark), qstr(service), m_state->isServiceHidden(service)});
    return swatches;
}

int ServiceLegend::heightForWidth(int width) const
{
    return swatchLegendHeight(swatches(), fontMetrics(), width - 2 * kMarginX) + 2 * kMarginY;
}

QSize ServiceLegend::sizeHint() const
{
    return {400, heightForWidth(400)};
}

QSize ServiceLegend::minimumSizeHint() const
{
    return {100, fontMetrics().height() + 4 + 2 * kMarginY};
}

void ServiceLegend::resizeEvent(QResizeEvent*)
{
    setFixedHeight(heightForWidth(width())); // wraps: as tall as this width needs
}

void ServiceLegend::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        setFixedHeight(heightForWidth(width()));
    QWidget::changeEvent(event);
}

void ServiceLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    paintSwatchLegend(p, swatches(), area());
}

} // namespace spanwise
