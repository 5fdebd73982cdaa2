#include "critical_path_chart.h"

#include "model_text.h"
#include "service_palette.h"
#include "swatch_legend.h"

#include <QEvent>
#include <QPainter>

#include <map>

namespace spanwise {

namespace {

constexpr int kMargin = 8;
constexpr int kBarHeight = 22;

QString legendText(const TraceViewState* state, const CriticalPathBar::Part& part, TimeNs total)
{
    return QStringLiteral("%1 %2 (%3%)")
        .arg(qstr(state->data().str(part.service)), durationText(part.nanos))
        .arg(total ? 100.0 * static_cast<double>(part.nanos) / static_cast<double>(total) : 0.0, 0, 'f', 0);
}

} // namespace

CriticalPathBar::CriticalPathBar(const TraceViewState* state) : m_state(state)
{
    std::map<StringId, TimeNs> byService;
    for (const CriticalSegment& segment : state->criticalPath()) {
        byService[state->data().spans[segment.span].service] += segment.length();
        m_total += segment.length();
    }
    for (const auto& [service, nanos] : byService)
        m_parts.push_back({service, nanos});
    std::sort(m_parts.begin(), m_parts.end(), [](const Part& a, const Part& b) { return a.nanos > b.nanos; });
}

std::vector<Swatch> CriticalPathBar::legend() const
{
    const bool dark = hasDarkBase(m_palette);
    std::vector<Swatch> swatches;
    for (const Part& part : m_parts)
        swatches.push_back({m_state->serviceColors().color(m_state->data().str(part.service), dark),
                            legendText(m_state, part, m_total)});
    return swatches;
}

int CriticalPathBar::heightForWidth(int width) const
{
    const int line = QFontMetrics(m_font).height() + 4;
    return kMargin + line + kBarHeight + 6 + swatchLegendHeight(legend(), QFontMetrics(m_font), width - 2 * kMargin) +
           kMargin;
}

void CriticalPathBar::paint(QPainter& p, const QRect& area) const
{
    p.save();
    p.translate(area.topLeft());
    p.setFont(m_font);
    const int width = area.width();
    const bool dark = hasDarkBase(m_palette);
    const int line = QFontMetrics(m_font).height() + 4;
    p.setPen(m_palette.color(QPalette::WindowText));
    p.drawText(QRect(kMargin, kMargin, width - 2 * kMargin, line), Qt::AlignLeft | Qt::AlignVCenter,
               QObject::tr("Critical path %1, by service").arg(durationText(m_total)));
    const QRect bar(kMargin, kMargin + line, width - 2 * kMargin, kBarHeight);
    p.fillRect(bar, m_palette.color(QPalette::AlternateBase));
    double x = bar.left();
    for (const Part& part : m_parts) {
        const double w = m_total ? bar.width() * static_cast<double>(part.nanos) / static_cast<double>(m_total) : 0;
        const QRectF piece(x, bar.top(), w, bar.height());
        const QColor color = m_state->serviceColors().color(m_state->data().str(part.service), dark);
        p.fillRect(piece, color);
        const QString label = qstr(m_state->data().str(part.service));
        if (QFontMetrics(m_font).horizontalAdvance(label) + 8 < w) { // name inside when it fits
            p.setPen(textColorOn(color));
            p.drawText(piece.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, label);
        }
        x += w;
    }
    p.setPen(m_palette.color(QPalette::WindowText));
    paintSwatchLegend(p, legend(), QRect(kMargin, bar.bottom() + 7, width - 2 * kMargin, line));
    p.restore();
}

CriticalPathChart::CriticalPathChart(const TraceViewState* state, QWidget* parent) : QWidget(parent), m_bar(state)
{
    m_bar.setPalette(palette());
    m_bar.setFont(font());
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QSize CriticalPathChart::sizeHint() const
{
    return {400, heightForWidth(400)};
}

void CriticalPathChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_bar.setPalette(palette());
    if (event->type() == QEvent::FontChange) {
        m_bar.setFont(font());
        setFixedHeight(heightForWidth(width()));
    }
    QWidget::changeEvent(event);
}

void CriticalPathChart::resizeEvent(QResizeEvent*)
{
    setFixedHeight(heightForWidth(width())); // the legend wraps: as tall as this width needs
}

void CriticalPathChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    m_bar.paint(p, rect());
}

} // namespace spanwise
