#include "latency_histogram_view.h"

#include "model_text.h"
#include "theme.h"
#include "time_scale.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

constexpr int kGap = 6;         // between the axes' labels and the plot
constexpr double kBarGap = 1;   // between two bars, in pixels
constexpr int kMinTickGap = 12; // between two time labels
constexpr int kMarkerRows = 2;  // marker labels that would overlap take the next row

QString countText(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

// Where in its bucket a duration lies, 0 to 1, logarithmically (linearly from a bucket starting at 0).
double fractionIn(TimeNs t, TimeNs low, TimeNs high)
{
    if (high <= low)
        return 0.5;
    if (low <= 0)
        return std::clamp(double(t - low) / double(high - low), 0.0, 1.0);
    const double span = std::log(double(high)) - std::log(double(low));
    return std::clamp((std::log(double(std::max<TimeNs>(t, 1))) - std::log(double(low))) / span, 0.0, 1.0);
}

// 1-2-5 multiples of powers of ten within [low, high]: the powers alone when there are enough.
std::vector<TimeNs> timeTicks(TimeNs low, TimeNs high)
{
    std::vector<TimeNs> powers;
    std::vector<TimeNs> all;
    for (TimeNs power = 1; power <= high && power > 0; power *= 10) {
        for (const TimeNs m : {1, 2, 5}) {
            const TimeNs t = power * m;
            if (t < low || t > high)
                continue;
            all.push_back(t);
            if (m == 1)
                powers.push_back(t);
        }
        if (power > std::numeric_limits<TimeNs>::max() / 10)
            break;
    }
    return powers.size() >= 3 ? powers : all;
}

} // namespace

LatencyHistogramView::LatencyHistogramView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void LatencyHistogramView::setHistogram(LatencyHistogram histogram, std::vector<Marker> markers, const QString& members)
{
    m_histogram = std::move(histogram);
    m_markers = std::move(markers);
    m_members = members;
    m_hovered = -1;
    const bool hadSelection = m_selected >= 0;
    m_selected = -1;
    if (hadSelection)
        emit selectedBucketChanged(-1);
    update();
}

void LatencyHistogramView::selectBucket(int bucket)
{
    bucket = bucket >= 0 && bucket < bucketCount() ? bucket : -1;
    if (bucket == m_selected)
        return;
    m_selected = bucket;
    update();
    emit selectedBucketChanged(bucket);
}

std::uint32_t LatencyHistogramView::maxCount() const
{
    const auto& counts = m_histogram.counts;
    return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
}

std::uint32_t LatencyHistogramView::countStep() const
{
    const std::uint32_t top = std::max<std::uint32_t>(maxCount(), 1);
    for (std::uint32_t power = 1;; power *= 10) {
        for (const std::uint32_t m : {1u, 2u, 5u}) {
            if (top / (power * m) <= 4)
                return power * m;
        }
    }
}

int LatencyHistogramView::leftMargin() const
{
    const std::uint32_t step = countStep();
    const std::uint32_t top = (std::max<std::uint32_t>(maxCount(), 1) + step - 1) / step * step;
    return fontMetrics().horizontalAdvance(countText(top)) + 2 * kGap;
}

QRectF LatencyHistogramView::plotRect() const
{
    const int line = fontMetrics().height();
    const int top = kGap + line + kGap / 2 + kMarkerRows * line; // the legend, then the markers' names
    const int bottom = line + kGap + kGap / 2;                   // the time labels
    const int right = std::max(kGap * 2, fontMetrics().horizontalAdvance(QStringLiteral("100 ms")) / 2 + kGap);
    return QRectF(QPointF(leftMargin(), top), QPointF(width() - right, height() - bottom));
}

double LatencyHistogramView::xOf(TimeNs duration) const
{
    const QRectF plot = plotRect();
    const auto& edges = m_histogram.edges;
    if (edges.size() < 2)
        return plot.center().x();
    const double w = plot.width() / bucketCount();
    const auto after = std::upper_bound(edges.begin(), edges.end(), duration);
    const int bucket = std::clamp(int(after - edges.begin()) - 1, 0, bucketCount() - 1);
    const double fraction = duration < edges.front() ? 0.0 : fractionIn(duration, edges[bucket], edges[bucket + 1]);
    return plot.left() + w * (bucket + fraction);
}

QRectF LatencyHistogramView::barRect(int bucket) const
{
    if (bucket < 0 || bucket >= bucketCount())
        return {};
    const QRectF plot = plotRect();
    const double w = plot.width() / bucketCount();
    const std::uint32_t step = countStep();
    const double top = double((maxCount() + step - 1) / step * step);
    const double h = top > 0 ? plot.height() * m_histogram.counts[bucket] / top : 0;
    // A bar with members is at least a pixel high: a single slow trace must show.
    const double shown = m_histogram.counts[bucket] > 0 ? std::max(h, 2.0) : 0.0;
    return QRectF(plot.left() + w * bucket + kBarGap / 2, plot.bottom() - shown, std::max(w - kBarGap, 1.0), shown);
}

int LatencyHistogramView::bucketAt(QPointF point) const
{
    const QRectF plot = plotRect();
    if (bucketCount() == 0 || point.x() < plot.left() || point.x() >= plot.right() || point.y() < plot.top() ||
        point.y() > plot.bottom() + 1)
        return -1;
    const int bucket = std::clamp(int((point.x() - plot.left()) / (plot.width() / bucketCount())), 0,
                                  bucketCount() - 1);
    return m_histogram.counts[bucket] > 0 ? bucket : -1;
}

QString LatencyHistogramView::bucketText(int bucket) const
{
    if (bucket < 0 || bucket >= bucketCount())
        return {};
    const TimeNs low = m_histogram.edges[bucket];
    const TimeNs high = m_histogram.edges[bucket + 1];
    const QString range = low == high ? durationText(low)
                                      : QStringLiteral("%1 – %2").arg(durationText(low), durationText(high));
    return tr("%1: %2 %3").arg(range, countText(m_histogram.counts[bucket]), m_members);
}

QColor LatencyHistogramView::barColor() const
{
    const QColor highlight = palette().color(QPalette::Highlight);
    return hasDarkBase(palette()) ? highlight.lighter(110) : highlight.lighter(125);
}

QColor LatencyHistogramView::selectedBarColor() const
{
    return palette().color(QPalette::Highlight).darker(hasDarkBase(palette()) ? 70 : 130);
}

bool LatencyHistogramView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int bucket = bucketAt(help->pos());
        if (bucket < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), bucketText(bucket) + QLatin1Char('\n') + tr("Click to list them"),
                               this, barRect(bucket).toAlignedRect());
        return true;
    }
    return QWidget::event(event);
}

void LatencyHistogramView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette& pal = palette();
    const bool dark = hasDarkBase(pal);
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const QRectF plot = plotRect();
    const QColor text = pal.color(QPalette::Text);
    QColor faint = pal.color(QPalette::Mid);

    if (bucketCount() == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No durations to show"));
        return;
    }

    // Count axis: grid lines at a round step.
    const std::uint32_t step = countStep();
    const std::uint32_t top = (std::max<std::uint32_t>(maxCount(), 1) + step - 1) / step * step;
    for (std::uint32_t c = 0; c <= top; c += step) {
        const double y = plot.bottom() - plot.height() * c / top;
        p.setPen(faint);
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(text);
        p.drawText(QRectF(0, y - line / 2.0, plot.left() - kGap, line), Qt::AlignRight | Qt::AlignVCenter,
                   countText(c));
    }

    // Bars.
    const QColor bar = barColor();
    const QColor selectedBar = selectedBarColor();
    for (int i = 0; i < bucketCount(); ++i) {
        const QRectF r = barRect(i);
        if (r.isEmpty())
            continue;
        QColor fill = i == m_selected ? selectedBar : bar;
        if (i == m_hovered && i != m_selected)
            fill = fill.darker(dark ? 80 : 115);
        p.fillRect(r, fill);
    }

    // Time axis: ticks at round durations, labels where they do not collide.
    p.setPen(text);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    const TimeNs low = m_histogram.edges.front();
    const TimeNs high = m_histogram.edges.back();
    double lastRight = -1e9;
    std::vector<TimeNs> ticks = timeTicks(low, high);
    const bool ends = ticks.size() < 2; // a narrow range: its ends, to the nanosecond they need
    if (ends)
        ticks = {low, high};
    for (const TimeNs t : ticks) {
        const double x = xOf(t);
        const QString label = ends ? durationText(t) : qstr(formatTickLabel(t, t));
        const double w = fm.horizontalAdvance(label);
        p.setPen(faint);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom() + 3));
        if (x - w / 2 < lastRight + kMinTickGap || x + w / 2 > width())
            continue;
        p.setPen(text);
        p.drawText(QRectF(x - w / 2, plot.bottom() + kGap / 2, w, line), Qt::AlignCenter, label);
        lastRight = x + w / 2;
    }
    // Markers: a dashed line with its name above the plot. Markers on one pixel share a name
    // ("p90 p99"); names that would overlap take a row lower.
    QPen markerPen(text, 1, Qt::DashLine);
    std::vector<double> rowRight(kMarkerRows, -1e9);
    QString legend = tr("Duration, log scale");
    for (std::size_t i = 0; i < m_markers.size();) {
        const double x = std::round(xOf(m_markers[i].at)) + 0.5;
        QStringList names;
        for (; i < m_markers.size() && std::abs(std::round(xOf(m_markers[i].at)) + 0.5 - x) < 1; ++i) {
            names << m_markers[i].name;
            legend += QStringLiteral("  ·  %1 %2").arg(m_markers[i].name, durationText(m_markers[i].at));
        }
        const QString name = names.join(QLatin1Char(' '));
        p.setPen(markerPen);
        p.drawLine(QPointF(x, plot.top() - 2), QPointF(x, plot.bottom()));
        const double w = fm.horizontalAdvance(name) + 4;
        int row = 0;
        while (row + 1 < kMarkerRows && x - w / 2 < rowRight[row] + 4)
            ++row;
        rowRight[row] = x + w / 2;
        p.setPen(text);
        p.drawText(QRectF(x - w / 2, plot.top() - (kMarkerRows - row) * line - 2, w, line), Qt::AlignCenter, name);
    }
    p.setPen(text);
    p.drawText(QRectF(plot.left(), kGap / 2, plot.width(), line), Qt::AlignLeft | Qt::AlignVCenter, legend);
    if (m_selected >= 0) {
        p.setPen(selectedBar);
        p.drawText(QRectF(plot.left(), kGap / 2, plot.width(), line), Qt::AlignRight | Qt::AlignVCenter,
                   bucketText(m_selected));
    }
    if (hasFocus() && m_selected >= 0) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.drawRect(barRect(m_selected).adjusted(-2, -2, 1, 1));
    }
}

void LatencyHistogramView::mouseMoveEvent(QMouseEvent* event)
{
    const int bucket = bucketAt(event->position());
    setCursor(bucket >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (bucket != m_hovered) {
        m_hovered = bucket;
        update();
    }
}

void LatencyHistogramView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int bucket = bucketAt(event->position());
    if (bucket >= 0)
        selectBucket(bucket == m_selected ? -1 : bucket);
}

void LatencyHistogramView::leaveEvent(QEvent* event)
{
    m_hovered = -1;
    update();
    QWidget::leaveEvent(event);
}

void LatencyHistogramView::keyPressEvent(QKeyEvent* event)
{
    const int step = event->key() == Qt::Key_Left ? -1 : event->key() == Qt::Key_Right ? 1 : 0;
    if (step == 0) {
        if (event->key() == Qt::Key_Escape && m_selected >= 0)
            return selectBucket(-1);
        return QWidget::keyPressEvent(event);
    }
    // The next bucket with members, from the selected one (or from the edge).
    for (int b = m_selected < 0 ? (step > 0 ? 0 : bucketCount() - 1) : m_selected + step; b >= 0 && b < bucketCount();
         b += step) {
        if (m_histogram.counts[b] > 0)
            return selectBucket(b);
    }
}

} // namespace spanwise
