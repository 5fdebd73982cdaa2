#include "trace_scatter.h"

#include "model_text.h"
#include "theme.h"

#include <trace_statistics.h>

#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace Qt::StringLiterals;

namespace spanwise {

namespace {

constexpr double kMinRadius = 2.5;
constexpr double kMaxRadius = 8.0;
constexpr double kHitTolerance = 3.0;
constexpr double kPercentiles[] = {50, 95, 99};

QColor withAlpha(QColor color, int alpha)
{
    color.setAlpha(alpha);
    return color;
}

// "1 span", "1,204 spans".
QString counted(std::size_t count, const QString& one, const QString& many)
{
    return count == 1 ? one : many.arg(QLocale().toString(qulonglong(count)));
}

} // namespace

TraceScatter::TraceScatter(TraceListFilter* filter, QWidget* parent) : QWidget(parent), m_filter(filter)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumHeight(140);
    setCursor(Qt::CrossCursor);
    m_logButton = new QCheckBox(tr("Log scale"), this);
    m_logButton->setToolTip(tr("Durations on a logarithmic axis"));
    m_logButton->setCursor(Qt::ArrowCursor);
    connect(m_logButton, &QCheckBox::toggled, this, [this](bool on) {
        m_logChosen = true;
        setLogScale(on);
    });
    m_clearButton = new QToolButton(this);
    m_clearButton->setText(tr("Clear selection"));
    m_clearButton->setToolTip(tr("Show every trace in the list again (Esc)"));
    m_clearButton->setAutoRaise(true);
    m_clearButton->setCursor(Qt::ArrowCursor);
    m_clearButton->hide();
    connect(m_clearButton, &QToolButton::clicked, this, &TraceScatter::clearBrush);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(filter, signal, this, &TraceScatter::invalidate);
    connect(filter, &QAbstractItemModel::modelReset, this, &TraceScatter::invalidate);
    connect(filter, &QAbstractItemModel::layoutChanged, this, &TraceScatter::invalidate);
    connect(filter, &TraceListFilter::brushChanged, this, [this] {
        m_clearButton->setVisible(m_filter->brush().has_value());
        placeControls();
        invalidate();
    });
}

void TraceScatter::setLogScale(bool log)
{
    if (m_logButton->isChecked() != log) {
        const QSignalBlocker blocker(m_logButton);
        m_logButton->setChecked(log);
    }
    if (m_log == log)
        return;
    m_log = log;
    invalidate();
}

void TraceScatter::invalidate()
{
    m_dirty = true;
    m_hovered = -1;
    update();
}

int TraceScatter::dotCount()
{
    prepare();
    return static_cast<int>(m_dots.size());
}

std::optional<QPointF> TraceScatter::dotPosition(int sourceRow)
{
    prepare();
    if (sourceRow < 0 || static_cast<std::size_t>(sourceRow) >= m_dotOfRow.size() || m_dotOfRow[sourceRow] < 0)
        return std::nullopt;
    return dotCentre(m_dots[m_dotOfRow[sourceRow]]);
}

QRectF TraceScatter::plotRect()
{
    prepare();
    return m_plot;
}

std::array<TimeNs, 3> TraceScatter::percentiles()
{
    prepare();
    return m_percentiles;
}

int TraceScatter::hoveredRow() const
{
    return m_hovered >= 0 ? m_dots[m_hovered].row : -1;
}

int TraceScatter::rowAt(const QPointF& pos)
{
    prepare();
    const int hit = m_grid.hit(pos.x() - m_plot.left(), pos.y() - m_plot.top(), kHitTolerance);
    return hit < 0 ? -1 : m_dots[m_order[hit]].row;
}

QPointF TraceScatter::dotCentre(const Dot& dot) const
{
    return {m_x.toPixel(static_cast<double>(dot.start - m_origin)), m_y.toPixel(static_cast<double>(dot.duration))};
}

bool TraceScatter::prepare()
{
    if (!m_dirty)
        return false;
    m_dirty = false;
    collectDots();
    layOut();
    paintLayer();
    return true;
}

void TraceScatter::collectDots()
{
    const TraceSet& set = m_filter->list()->set();
    const std::optional<ScatterBrush>& brush = m_filter->brush();
    m_dots.clear();
    m_dotOfRow.assign(set.traces.size(), -1);
    m_errorDots = 0;
    m_brushedDots = 0;
    std::vector<TimeNs> durations;
    for (std::size_t row = 0; row < set.traces.size(); ++row) {
        if (!m_filter->matchesText(static_cast<int>(row)))
            continue;
        const Trace& trace = set.trace(set.traces[row]);
        Dot dot{.row = static_cast<int>(row),
                .start = trace.start,
                .duration = trace.duration(),
                .spans = trace.count,
                .error = trace.errorCount > 0,
                .inList = !brush || brush->contains(trace.start, trace.duration())};
        m_errorDots += dot.error && dot.inList ? 1 : 0;
        m_brushedDots += dot.inList ? 1 : 0;
        m_dotOfRow[row] = static_cast<int>(m_dots.size());
        m_dots.push_back(dot);
        durations.push_back(dot.duration);
    }
    std::sort(durations.begin(), durations.end());
    for (std::size_t i = 0; i < m_percentiles.size(); ++i)
        m_percentiles[i] = nearestRank(durations, kPercentiles[i]);
    const auto [minSpans, maxSpans] = std::minmax_element(m_dots.begin(), m_dots.end(),
                                                          [](const Dot& a, const Dot& b) { return a.spans < b.spans; });
    m_minSpans = m_dots.empty() ? 0 : minSpans->spans;
    m_maxSpans = m_dots.empty() ? 0 : maxSpans->spans;
    if (!m_logChosen && !durations.empty())
        setLogScale(prefersLogScale(durations.front(), durations.back()));
    m_dirty = false; // setLogScale asked again for what is being done
    // Dots outside the brush at the bottom, errors above the others.
    m_order.resize(m_dots.size());
    for (std::uint32_t i = 0; i < m_order.size(); ++i)
        m_order[i] = i;
    std::stable_sort(m_order.begin(), m_order.end(), [this](std::uint32_t a, std::uint32_t b) {
        const auto rank = [this](std::uint32_t i) { return (m_dots[i].inList ? 2 : 0) + (m_dots[i].error ? 1 : 0); };
        return rank(a) < rank(b);
    });
}

void TraceScatter::layOut()
{
    const QFontMetricsF fm(font());
    const double line = fm.height();
    const double top = std::max<double>(m_logButton->sizeHint().height(), line) + 8;
    const double bottom = 2 * line + 10;
    // The percentile labels have the right margin to themselves, where no dot can hide them.
    double right = 12;
    for (std::size_t i = 0; i < m_percentiles.size(); ++i)
        right = std::max(
            right, fm.horizontalAdvance(u"p%1 %2"_s.arg(kPercentiles[i]).arg(durationText(m_percentiles[i]))) + 16);
    const double pad = kMaxRadius + 2;
    const double plotBottom = height() - bottom;
    TimeNs lo = std::numeric_limits<TimeNs>::max();
    TimeNs hi = 0;
    TimeNs first = std::numeric_limits<TimeNs>::max();
    TimeNs last = std::numeric_limits<TimeNs>::min();
    for (const Dot& dot : m_dots) {
        lo = std::min(lo, dot.duration);
        hi = std::max(hi, dot.duration);
        first = std::min(first, dot.start);
        last = std::max(last, dot.start);
    }
    if (m_dots.empty()) {
        lo = hi = 0;
        first = last = 0;
    }
    m_y = durationAxis(lo, hi, m_log);
    m_y.from = plotBottom - pad;
    m_y.to = top + pad;
    m_yTicks = durationTicks(m_y, 2.2 * line);
    double left = 0;
    for (const ScatterTick& tick : m_yTicks)
        left = std::max(left, fm.horizontalAdvance(QString::fromStdString(tick.label)));
    left += 14;
    m_plot = QRectF(QPointF(left, top), QPointF(std::max(left + 1, width() - right), std::max(top + 1, plotBottom)));
    m_origin = first;
    const TimeNs spread = last - first;
    m_x.min = spread > 0 ? 0 : -1e9; // a single instant gets a second on each side
    m_x.max = spread > 0 ? static_cast<double>(spread) : 1e9;
    m_x.from = m_plot.left() + pad;
    m_x.to = m_plot.right() - pad;
    m_xTicks = wallClockTicks(
        m_x, m_origin, [&fm](const std::string& s) { return fm.horizontalAdvance(QString::fromStdString(s)); }, 28);

    m_radius.resize(m_dots.size());
    std::vector<DotGrid::Dot> gridDots;
    gridDots.reserve(m_order.size());
    for (std::size_t i = 0; i < m_dots.size(); ++i)
        m_radius[i] = dotRadius(m_dots[i].spans, m_minSpans, m_maxSpans, kMinRadius, kMaxRadius);
    for (const std::uint32_t i : m_order) {
        const QPointF c = dotCentre(m_dots[i]) - m_plot.topLeft();
        gridDots.push_back({c.x(), c.y(), m_radius[i]});
    }
    m_grid.build(std::move(gridDots), m_plot.width(), m_plot.height(), 2 * kMaxRadius);
}

QColor TraceScatter::dotColor(const Dot& dot) const
{
    const bool dark = hasDarkBase(palette());
    if (dot.error)
        return withAlpha(theme::error(dark), dot.inList ? 190 : 70);
    if (!dot.inList)
        return withAlpha(palette().color(QPalette::Text), 40);
    return dark ? QColor(0x5c, 0x9c, 0xf0, 150) : QColor(0x2a, 0x6c, 0xc8, 135);
}

void TraceScatter::paintLayer()
{
    const qreal dpr = devicePixelRatioF();
    const QSize size = (m_plot.size() * dpr).toSize().expandedTo(QSize(1, 1));
    if (m_layer.size() != size)
        m_layer = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_layer.setDevicePixelRatio(dpr);
    m_layer.fill(Qt::transparent);
    // Each dot is a copy of a disc drawn once per kind and radius (in quarter pixels): copying an
    // image is many times faster than filling and stroking an antialiased ellipse.
    std::map<int, QImage> discs;
    const auto disc = [&](const Dot& dot, double radius) -> const QImage& {
        const int kind = (dot.inList ? 2 : 0) + (dot.error ? 1 : 0);
        const int quarters = static_cast<int>(std::lround(radius * 4));
        QImage& image = discs[quarters * 4 + kind];
        if (image.isNull()) {
            const double r = quarters / 4.0;
            const int side = static_cast<int>(std::ceil(2 * r + 2));
            image = QImage(QSize(side, side) * dpr, QImage::Format_ARGB32_Premultiplied);
            image.setDevicePixelRatio(dpr);
            image.fill(Qt::transparent);
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            const QColor fill = dotColor(dot);
            p.setBrush(fill);
            p.setPen(dot.inList ? QPen(withAlpha(fill.darker(dot.error ? 130 : 120), 230), 1) : Qt::NoPen);
            p.drawEllipse(QPointF(side / 2.0, side / 2.0), r, r);
        }
        return image;
    };
    QPainter p(&m_layer);
    for (const std::uint32_t i : m_order) {
        const QImage& image = disc(m_dots[i], m_radius[i]);
        const double half = image.width() / dpr / 2;
        const QPointF c = dotCentre(m_dots[i]) - m_plot.topLeft();
        p.drawImage(QPointF(std::round(c.x() - half), std::round(c.y() - half)), image);
    }
}

QString TraceScatter::headline() const
{
    const QLocale locale;
    QString text = m_filter->brush() ? tr("%1 of %2 traces in the selection")
                                           .arg(locale.toString(qulonglong(m_brushedDots)),
                                                locale.toString(qulonglong(m_dots.size())))
                                     : counted(m_dots.size(), tr("1 trace"), tr("%1 traces"));
    if (m_errorDots > 0)
        text += u" · "_s + tr("%1 with errors").arg(locale.toString(qulonglong(m_errorDots)));
    if (m_maxSpans > m_minSpans)
        text += u" · "_s + tr("dot area: %1–%2 spans").arg(locale.toString(m_minSpans), locale.toString(m_maxSpans));
    return text;
}

void TraceScatter::paintEvent(QPaintEvent*)
{
    prepare();
    QPainter p(this);
    const QPalette& pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor faint = withAlpha(pal.color(QPalette::WindowText), 170);
    const QFontMetricsF fm(font());
    p.fillRect(rect(), pal.color(QPalette::Window));
    p.fillRect(m_plot, pal.color(QPalette::Base));

    // Grid and tick labels.
    const QColor gridColor = withAlpha(pal.color(QPalette::Mid), 90);
    p.setPen(QPen(gridColor, 1));
    for (const ScatterTick& tick : m_yTicks) {
        const double y = std::round(m_y.toPixel(tick.value)) + 0.5;
        p.drawLine(QPointF(m_plot.left(), y), QPointF(m_plot.right(), y));
    }
    for (const ScatterTick& tick : m_xTicks) {
        const double x = std::round(m_x.toPixel(tick.value)) + 0.5;
        p.drawLine(QPointF(x, m_plot.top()), QPointF(x, m_plot.bottom()));
    }
    p.setPen(faint);
    for (const ScatterTick& tick : m_yTicks) {
        const double y = m_y.toPixel(tick.value);
        p.drawText(QRectF(0, y - fm.height() / 2, m_plot.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   QString::fromStdString(tick.label));
    }
    for (const ScatterTick& tick : m_xTicks) {
        const QString label = QString::fromStdString(tick.label);
        const double w = fm.horizontalAdvance(label);
        const double x = std::clamp(m_x.toPixel(tick.value) - w / 2, 0.0, width() - w);
        p.drawText(QPointF(x, m_plot.bottom() + 4 + fm.ascent()), label);
    }
    if (!m_dots.empty()) {
        const TimeNs last = m_origin + static_cast<TimeNs>(m_x.max);
        const std::string from = utcDate(m_origin);
        const std::string to = utcDate(last);
        const QString caption =
            tr("Start (UTC), %1").arg(QString::fromStdString(from == to ? from : from + " – " + to));
        p.drawText(QPointF(m_plot.left(), m_plot.bottom() + 6 + fm.height() + fm.ascent()), caption);
    }
    p.setPen(withAlpha(pal.color(QPalette::Mid), 200));
    p.setBrush(Qt::NoBrush);
    p.drawRect(m_plot.adjusted(0.5, 0.5, -0.5, -0.5));

    // Headline, left of the controls.
    p.setPen(faint);
    const double controlsLeft = std::min(m_logButton->geometry().left(),
                                         m_clearButton->isVisible() ? m_clearButton->geometry().left() : width());
    const QRectF headlineRect(m_plot.left(), 0, std::max(0.0, controlsLeft - m_plot.left() - 8), m_plot.top() - 2);
    p.drawText(headlineRect, Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(headline(), Qt::ElideRight, headlineRect.width()));

    if (m_dots.empty()) {
        p.drawText(m_plot, Qt::AlignCenter, tr("No trace matches the filter"));
        return;
    }
    p.drawImage(m_plot.topLeft(), m_layer);
    p.setRenderHint(QPainter::Antialiasing);

    // The brushed region.
    if (const auto& brush = m_filter->brush()) {
        const auto clampX = [this](TimeNs t) {
            return std::clamp(m_x.toPixel(static_cast<double>(t - m_origin)), m_plot.left(), m_plot.right());
        };
        const auto clampY = [this](TimeNs d) {
            return std::clamp(m_y.toPixel(static_cast<double>(d)), m_plot.top(), m_plot.bottom());
        };
        const double x0 = brush->startFrom == std::numeric_limits<TimeNs>::min() ? m_plot.left()
                                                                                 : clampX(brush->startFrom);
        const double x1 = brush->startTo == std::numeric_limits<TimeNs>::max() ? m_plot.right()
                                                                               : clampX(brush->startTo);
        const double y0 = brush->durationTo == std::numeric_limits<TimeNs>::max() ? m_plot.top()
                                                                                  : clampY(brush->durationTo);
        const double y1 = brush->durationFrom <= 0 ? m_plot.bottom() : clampY(brush->durationFrom);
        const QColor highlight = pal.color(QPalette::Highlight);
        p.setPen(QPen(highlight, 1));
        p.setBrush(withAlpha(highlight, 30));
        p.drawRect(QRectF(QPointF(x0, y0), QPointF(x1, y1)));
    }

    // Percentile lines across the plot, labelled in the right margin, the labels kept apart.
    struct Label {
        double y;
        QString text;
    };
    std::vector<Label> labels;
    const QColor lineColor = withAlpha(text, 150);
    p.setPen(QPen(lineColor, 1, Qt::DashLine));
    for (std::size_t i = 0; i < m_percentiles.size(); ++i) {
        const double y = std::round(m_y.toPixel(static_cast<double>(m_percentiles[i]))) + 0.5;
        p.drawLine(QPointF(m_plot.left(), y), QPointF(m_plot.right() + 4, y));
        labels.push_back({y, u"p%1 %2"_s.arg(kPercentiles[i]).arg(durationText(m_percentiles[i]))});
    }
    // p50 is lowest on screen: each higher percentile's label sits at least a line above the one before.
    for (std::size_t i = 1; i < labels.size(); ++i)
        labels[i].y = std::min(labels[i].y, labels[i - 1].y - fm.height());
    const double shift = std::max(0.0, fm.height() / 2 - labels.back().y); // kept inside the widget
    p.setPen(text);
    for (const Label& label : labels)
        p.drawText(
            QRectF(m_plot.right() + 6, label.y + shift - fm.height() / 2, width() - m_plot.right() - 6, fm.height()),
            Qt::AlignLeft | Qt::AlignVCenter, label.text);

    // The list's selection, the hovered dot, the band being dragged.
    p.setBrush(Qt::NoBrush);
    const QColor highlight = pal.color(QPalette::Highlight);
    std::vector<int> ringed = m_selectedRows;
    ringed.push_back(m_currentRow); // last: on top
    for (const int row : ringed) {
        if (row < 0 || static_cast<std::size_t>(row) >= m_dotOfRow.size() || m_dotOfRow[row] < 0)
            continue;
        const int i = m_dotOfRow[row];
        const double r = m_radius[i] + (row == m_currentRow ? 3.5 : 2.5);
        p.setPen(QPen(highlight, row == m_currentRow ? 2.5 : 1.5));
        p.drawEllipse(dotCentre(m_dots[i]), r, r);
    }
    if (m_hovered >= 0) {
        p.setPen(QPen(text, 2));
        p.drawEllipse(dotCentre(m_dots[m_hovered]), m_radius[m_hovered] + 3, m_radius[m_hovered] + 3);
    }
    if (m_dragging) {
        p.setPen(QPen(highlight, 1, Qt::DashLine));
        p.setBrush(withAlpha(highlight, 40));
        p.drawRect(m_band);
    }
}

void TraceScatter::placeControls()
{
    int right = width() - 4;
    for (QAbstractButton* button : std::initializer_list<QAbstractButton*>{m_logButton, m_clearButton}) {
        if (button->isHidden())
            continue;
        const QSize size = button->sizeHint();
        button->setGeometry(right - size.width(), 3, size.width(), size.height());
        right -= size.width() + 4;
    }
}

void TraceScatter::resizeEvent(QResizeEvent*)
{
    placeControls();
    invalidate();
}

void TraceScatter::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange ||
        event->type() == QEvent::StyleChange) {
        placeControls();
        invalidate();
    }
    QWidget::changeEvent(event);
}

QString TraceScatter::toolTipFor(int sourceRow) const
{
    const TraceListModel* list = m_filter->list();
    const auto cell = [&](int column) { return list->index(sourceRow, column).data().toString(); };
    const TraceSet& set = list->set();
    const TraceRef ref = set.traces[static_cast<std::size_t>(sourceRow)];
    const Trace& trace = set.trace(ref);
    QStringList lines;
    lines << cell(TraceListModel::RootService) + u": "_s + cell(TraceListModel::RootOperation);
    lines << tr("Trace %1").arg(cell(TraceListModel::TraceId));
    lines << tr("Started %1 UTC").arg(QString::fromStdString(utcDateTime(trace.start)));
    QString counts = durationText(trace.duration()) + u" · "_s + counted(trace.count, tr("1 span"), tr("%1 spans"));
    if (trace.errorCount > 0)
        counts += u" · "_s + counted(trace.errorCount, tr("1 error"), tr("%1 errors"));
    lines << counts;
    if (set.files.size() > 1)
        lines << tr("File %1").arg(cell(TraceListModel::File));
    return lines.join(u'\n');
}

void TraceScatter::setHovered(int dot, const QPoint& globalPos)
{
    if (dot == m_hovered)
        return;
    m_hovered = dot;
    setCursor(dot >= 0 ? Qt::PointingHandCursor : Qt::CrossCursor);
    update();
    if (dot < 0) {
        QToolTip::hideText();
        return;
    }
    const QPointF c = dotCentre(m_dots[dot]);
    const int r = static_cast<int>(std::ceil(m_radius[dot] + kHitTolerance));
    QToolTip::showText(globalPos, toolTipFor(m_dots[dot].row), this,
                       QRect(c.toPoint() - QPoint(r, r), QSize(2 * r + 1, 2 * r + 1)));
}

void TraceScatter::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    prepare();
    m_pressPos = event->position().toPoint();
    const int row = rowAt(event->position());
    m_pressedDot = row >= 0 ? m_dotOfRow[row] : -1;
    m_dragging = false;
}

void TraceScatter::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if ((event->buttons() & Qt::LeftButton) && m_plot.contains(m_pressPos)) {
        if (!m_dragging && (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
            m_dragging = true;
            setHovered(-1, {});
        }
        if (m_dragging) {
            m_band = QRectF(m_pressPos, pos).normalized() & m_plot;
            update();
            return;
        }
    }
    const int row = rowAt(event->position());
    setHovered(row >= 0 ? m_dotOfRow[row] : -1, event->globalPosition().toPoint());
}

void TraceScatter::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    if (m_dragging) {
        m_dragging = false;
        if (m_band.width() >= 1 || m_band.height() >= 1)
            brushBetween(m_band.topLeft(), m_band.bottomRight());
        m_band = {};
        update();
        return;
    }
    const int row = rowAt(event->position());
    if (row < 0 || m_pressedDot < 0 || m_dotOfRow[row] != m_pressedDot)
        return;
    const Qt::KeyboardModifiers modifiers = event->modifiers();
    emit rowClicked(row, modifiers);
    if (!(modifiers & (Qt::ControlModifier | Qt::ShiftModifier)))
        emit traceOpened(m_filter->list()->set().traces[static_cast<std::size_t>(row)]);
}

void TraceScatter::leaveEvent(QEvent*)
{
    if (m_hovered >= 0) {
        m_hovered = -1;
        update();
    }
}

void TraceScatter::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape && m_filter->brush()) {
        clearBrush();
        return;
    }
    QWidget::keyPressEvent(event);
}

void TraceScatter::contextMenuEvent(QContextMenuEvent* event)
{
    setHovered(-1, {});
    emit menuRequested(rowAt(event->pos()), event->globalPos());
}

void TraceScatter::brushBetween(const QPointF& a, const QPointF& b)
{
    prepare();
    const QRectF band = QRectF(a, b).normalized();
    constexpr TimeNs lowest = std::numeric_limits<TimeNs>::min();
    constexpr TimeNs highest = std::numeric_limits<TimeNs>::max();
    // A band reaching an edge of the dots' area takes everything beyond it.
    ScatterBrush brush;
    brush.startFrom = band.left() <= m_x.from ? lowest
                                              : m_origin + static_cast<TimeNs>(std::ceil(m_x.toValue(band.left())));
    brush.startTo = band.right() >= m_x.to ? highest
                                           : m_origin + static_cast<TimeNs>(std::floor(m_x.toValue(band.right())));
    brush.durationFrom = band.bottom() >= m_y.from ? 0 : static_cast<TimeNs>(std::ceil(m_y.toValue(band.bottom())));
    brush.durationTo = band.top() <= m_y.to ? highest : static_cast<TimeNs>(std::floor(m_y.toValue(band.top())));
    m_filter->setBrush(brush);
}

void TraceScatter::clearBrush()
{
    m_filter->setBrush(std::nullopt);
}

void TraceScatter::setSelectedRows(std::vector<int> sourceRows, int currentSourceRow)
{
    m_selectedRows = std::move(sourceRows);
    m_currentRow = currentSourceRow;
    update();
}

} // namespace spanwise
