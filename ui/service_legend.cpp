#include "service_legend.h"

#include "model_text.h"
#include "trace_view_state.h"

#include <QEvent>
#include <QPainter>

namespace spanwise {

namespace {

constexpr int kMarginX = 8;
constexpr int kMarginY = 4;

} // namespace

ServiceLegend::ServiceLegend(const TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_services(state->data().services(state->trace()))
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(state, &TraceViewState::decorationChanged, this, qOverload<>(&QWidget::update));
}

std::vector<Swatch> ServiceLegend::swatches() const
{
    const bool dark = hasDarkBase(palette());
    std::vector<Swatch> swatches;
    for (std::string_view service : m_services)
        swatches.push_back({m_state->serviceColors().color(service, dark), qstr(service)});
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
    paintSwatchLegend(p, swatches(), rect().adjusted(kMarginX, kMarginY, -kMarginX, -kMarginY));
}

} // namespace spanwise
