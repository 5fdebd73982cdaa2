#include "service_delta_chart.h"

#include "theme.h"

#include <QEvent>
#include <QPainter>

#include <algorithm>
#include <cstdlib>

namespace spanwise {

namespace {

constexpr int kMargin = 8;
constexpr int kBar = 11; // height of one bar; a service has two (value labels of both fit apart)
constexpr int kRowGap = 7;
constexpr int kLabelGap = 6;

TimeNs selfDelta(const ServiceDelta& s)
{
    return s.selfNanosB - s.selfNanosA;
}

TimeNs criticalDelta(const ServiceDelta& s)
{
    return s.criticalPathNanosB - s.criticalPathNanosA;
}

TimeNs magnitude(const ServiceDelta& s)
{
    return std::max(std::abs(selfDelta(s)), std::abs(criticalDelta(s)));
}

QString deltaText(TimeNs delta)
{
    return QString::fromStdString(formatDurationDelta(delta));
}

} // namespace

ServiceDeltaBars::ServiceDeltaBars(std::shared_ptr<const TraceDiff> diff) : m_diff(std::move(diff))
{
    for (const ServiceDelta& s : m_diff->services) {
        if (magnitude(s) != 0)
            m_rows.push_back(s);
    }
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const ServiceDelta& a, const ServiceDelta& b) { return magnitude(a) > magnitude(b); });
    for (const ServiceDelta& s : m_rows)
        m_largest = std::max(m_largest, magnitude(s));
}

int ServiceDeltaBars::headerLines(int width) const
{
    return width - 2 * kMargin >= titleWidth() + legendWidth() ? 2 : 3;
}

int ServiceDeltaBars::titleWidth() const
{
    QFont bold = m_font;
    bold.setBold(true);
    return QFontMetrics(bold).horizontalAdvance(QObject::tr("Change by service (B − A)")) + 16;
}

int ServiceDeltaBars::legendWidth() const
{
    const QFontMetrics fm = QFontMetrics(m_font);
    return 2 * (26 + 16) + fm.horizontalAdvance(QObject::tr("self time")) +
           fm.horizontalAdvance(QObject::tr("critical path (lighter)"));
}

int ServiceDeltaBars::heightForWidth(int width) const
{
    const int line = QFontMetrics(m_font).height() + 4;
    const int body = m_rows.empty() ? line : static_cast<int>(m_rows.size()) * (2 * kBar + kRowGap);
    return kMargin + headerLines(width) * line + body + kMargin;
}

QSize ServiceDeltaBars::minimumSize() const
{
    // The legend, on a line of its own, and the bars with their labels each side.
    const int bars = 2 * (QFontMetrics(m_font).horizontalAdvance(QStringLiteral("+999 ms ")) + kLabelGap) + 80;
    const int width = std::max({legendWidth(), titleWidth(), bars}) + 2 * kMargin;
    return {width, heightForWidth(width)};
}

void ServiceDeltaBars::paint(QPainter& p, const QRect& area) const
{
    p.save();
    p.setFont(m_font);
    const QFontMetrics fm = QFontMetrics(m_font);
    const int line = fm.height() + 4;
    const QColor text = m_palette.color(QPalette::WindowText);
    const bool dark = hasDarkBase(m_palette);
    QColor muted = text;
    muted.setAlphaF(0.6f);
    p.fillRect(area, m_palette.color(QPalette::Base));
    const QRect inner = area.adjusted(kMargin, kMargin, -kMargin, -kMargin);

    // Title and legend.
    p.setPen(text);
    QFont bold = m_font;
    bold.setBold(true);
    p.setFont(bold);
    const QString title = QObject::tr("Change by service (B − A)");
    p.drawText(QRect(inner.left(), inner.top(), inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(m_font);
    // The legend beside the title, or below it when the two do not fit on one line.
    const int headerLineCount = headerLines(area.width());
    int lx = inner.left() + (headerLineCount == 2 ? titleWidth() : 0);
    const int legendTop = inner.top() + (headerLineCount - 2) * line;
    const auto legend = [&](const QString& label, bool critical) {
        const QRect swatch(lx, legendTop + (line - kBar) / 2, 22, kBar);
        const QColor slower = theme::slower(dark), faster = theme::faster(dark);
        p.fillRect(swatch.adjusted(0, 0, -11, 0), critical ? slower.lighter(140) : slower);
        p.fillRect(swatch.adjusted(11, 0, 0, 0), critical ? faster.lighter(140) : faster);
        p.setPen(muted);
        p.drawText(QRect(lx + 26, legendTop, fm.horizontalAdvance(label) + 4, line), Qt::AlignVCenter, label);
        lx += 26 + fm.horizontalAdvance(label) + 16;
    };
    legend(QObject::tr("self time"), false);
    legend(QObject::tr("critical path (lighter)"), true);
    p.setPen(muted);
    const int directions = inner.top() + (headerLineCount - 1) * line;
    p.drawText(QRect(inner.left(), directions, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
               QObject::tr("← faster in B"));
    p.drawText(QRect(inner.left(), directions, inner.width(), line), Qt::AlignRight | Qt::AlignVCenter,
               QObject::tr("slower in B →"));

    const int top = inner.top() + headerLineCount * line;
    if (m_rows.empty()) {
        p.setPen(muted);
        p.drawText(QRect(inner.left(), top, inner.width(), line), Qt::AlignCenter,
                   QObject::tr("No service's time changed"));
        p.restore();
        return;
    }
    int nameWidth = 0;
    for (const ServiceDelta& s : m_rows)
        nameWidth = std::max(nameWidth, fm.horizontalAdvance(QString::fromStdString(s.service)) + 2);
    nameWidth = std::min(nameWidth, inner.width() / 3);
    const int valueWidth = fm.horizontalAdvance(QStringLiteral("+999 ms ")) + kLabelGap;
    // Bars between the name column and room for a value label on each side.
    const int left = inner.left() + nameWidth + kLabelGap + valueWidth;
    const int right = inner.right() - valueWidth;
    const int zero = (left + right) / 2;
    const double half = std::max(1, (right - left) / 2);
    p.setPen(QPen(muted, 1));
    p.drawLine(zero, top - 2, zero, top + static_cast<int>(m_rows.size()) * (2 * kBar + kRowGap));

    int y = top;
    for (const ServiceDelta& s : m_rows) {
        const QString name = fm.elidedText(QString::fromStdString(s.service), Qt::ElideRight, nameWidth);
        p.setPen(text);
        p.drawText(QRect(inner.left(), y, nameWidth, 2 * kBar), Qt::AlignRight | Qt::AlignVCenter, name);
        const auto bar = [&](TimeNs delta, int barTop, bool critical) {
            const int w = static_cast<int>(half * std::abs(static_cast<double>(delta)) /
                                           static_cast<double>(m_largest));
            const QColor base = delta > 0 ? theme::slower(dark) : theme::faster(dark);
            const QRect r = delta > 0 ? QRect(zero, barTop, std::max(w, 1), kBar)
                                      : QRect(zero - std::max(w, 1), barTop, std::max(w, 1), kBar);
            if (delta != 0)
                p.fillRect(r, critical ? base.lighter(140) : base);
            QFont small = m_font;
            if (m_font.pixelSize() > 0) // a document font (image export) is sized in pixels
                small.setPixelSize(std::max(6, m_font.pixelSize() * 85 / 100));
            else
                small.setPointSizeF(m_font.pointSizeF() * 0.85);
            p.setFont(small);
            p.setPen(text);
            const QString label = deltaText(delta);
            if (delta > 0)
                p.drawText(QRect(r.right() + 4, barTop - 3, valueWidth, kBar + 6), Qt::AlignLeft | Qt::AlignVCenter,
                           label);
            else if (delta < 0) // none for no change: the service's other bar tells it
                p.drawText(QRect(r.left() - 4 - valueWidth, barTop - 3, valueWidth, kBar + 6),
                           Qt::AlignRight | Qt::AlignVCenter, label);
            p.setFont(m_font);
        };
        bar(selfDelta(s), y, false);
        bar(criticalDelta(s), y + kBar, true);
        y += 2 * kBar + kRowGap;
    }
    p.restore();
}

ServiceDeltaChart::ServiceDeltaChart(std::shared_ptr<const TraceDiff> diff, QWidget* parent)
    : QWidget(parent), m_bars(std::move(diff))
{
    m_bars.setPalette(palette());
    m_bars.setFont(font());
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

QSize ServiceDeltaChart::sizeHint() const
{
    return {520, heightForWidth(520)};
}

void ServiceDeltaChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_bars.setPalette(palette());
    if (event->type() == QEvent::FontChange) {
        m_bars.setFont(font());
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

void ServiceDeltaChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    m_bars.paint(p, rect());
}

} // namespace spanwise
