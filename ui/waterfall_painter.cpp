#include "waterfall_painter.h"

#include "model_text.h"
#include "service_palette.h"
#include "span_details.h"

#include <exception_event.h>
#include <self_time.h>
#include <span_resource.h>

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace spanwise {

namespace {

constexpr int kIndent = 14;    // pixels per tree level, when there is room
constexpr int kMinIndent = 5;  // squeezed for deep trees, before levels stop being drawn
constexpr int kNameRoom = 170; // what the indentation leaves for markers and names
constexpr int kRightMargin = 12;
constexpr int kMinBarWidth = 2;
constexpr int kEventFlag = 7;            // width of an event's flag on its bar
constexpr int kFoldGap = 3;              // hidden spans closer than this many pixels fold into one mark
constexpr int kActivityBinsPerPixel = 4; // resolution of a collapsed row's folded marks
constexpr int kCalloutMaxWidth = 280;    // or 60 % of the lane for callouts, 40 % for range labels
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

const TraceAnnotations kNoAnnotations;

} // namespace

WaterfallPainter::WaterfallPainter(const TraceViewState* state) : m_state(state)
{
    setFont(m_font);
}

void WaterfallPainter::setPalette(const QPalette& palette)
{
    m_palette = palette;
    m_dark = hasDarkBase(palette);
}

void WaterfallPainter::setFont(const QFont& font)
{
    m_font = font;
    const QFontMetrics fm(font);
    m_rowHeight = fm.height() + 8;
    m_rulerHeight = fm.height() + 10;
    m_boldFont = font;
    m_boldFont.setBold(true);
    m_markerFont = m_boldFont;
    if (m_boldFont.pixelSize() > 0) // a document font (image export) is sized in pixels
        m_markerFont.setPixelSize(std::max(6, m_boldFont.pixelSize() * 3 / 4));
    else
        m_markerFont.setPointSizeF(m_boldFont.pointSizeF() * 0.75);
}

void WaterfallPainter::setIndentRows(int firstRow, int rowCount)
{
    m_indentFirst = firstRow;
    m_indentCount = rowCount;
}

const TraceAnnotations& WaterfallPainter::annotationIndex() const
{
    return m_annotations ? *m_annotations : kNoAnnotations;
}

TimeScale WaterfallPainter::timeScale(int width, TimeNs viewStart, TimeNs viewEnd) const
{
    TimeScale scale;
    scale.viewStart = viewStart;
    scale.viewEnd = viewEnd;
    scale.width = std::max(1, width - m_nameWidth - kRightMargin);
    scale.origin = m_state->trace().start;
    return scale;
}

void WaterfallPainter::paint(QPainter& p, const QRect& area, int firstRow, TimeNs viewStart, TimeNs viewEnd) const
{
    m_hits.clear();
    p.save();
    p.setFont(m_font);
    p.translate(area.topLeft());
    p.setClipRect(QRect(0, 0, area.width(), area.height()), Qt::IntersectClip);
    const int width = area.width();
    const int bottom = area.height();
    p.fillRect(QRect(0, 0, width, bottom), m_palette.color(QPalette::Base));
    const TimeScale scale = timeScale(width, viewStart, viewEnd);
    const auto& rows = m_state->rows();
    const int rowCount = std::max(1, (bottom - m_rulerHeight) / m_rowHeight) + 1; // as indentStep() counts
    // Grid lines under the rows, at the ruler's ticks.
    QColor grid = m_palette.color(QPalette::Text);
    grid.setAlpha(22);
    p.setPen(grid);
    const std::vector<TimeTick> ticks = scale.ticks(90);
    m_callouts.clear();
    m_barExtents.clear();
    for (const TimeTick& tick : ticks)
        p.drawLine(QPointF(m_nameWidth + tick.x, m_rulerHeight), QPointF(m_nameWidth + tick.x, bottom));
    const int step = m_indentFirst >= 0 ? indentStep(m_indentFirst, m_indentCount) : indentStep(firstRow, rowCount);
    int y = m_rulerHeight;
    for (int row = firstRow; row < static_cast<int>(rows.size()) && y < bottom; ++row, y += m_rowHeight)
        paintRow(p, rows[row], y, width, scale, step, row % 2 == 1);
    paintRangeNotes(p, QRect(0, 0, width, bottom), scale);
    const QRect ruler(0, 0, width, m_rulerHeight);
    const std::optional<QRectF> selectionLabel = rangeSelectionLabel(p.fontMetrics(), ruler, scale);
    paintRuler(p, ruler, ticks, selectionLabel);
    paintRangeMarks(p, ruler, bottom, scale, selectionLabel);
    if (m_paintsSelection)
        paintSteppedSegment(p, firstRow, width, bottom, scale);
    p.setPen(m_palette.color(QPalette::Mid));
    p.drawLine(m_nameWidth, 0, m_nameWidth, bottom);
    p.restore();
}

void WaterfallPainter::paintRuler(QPainter& p, const QRect& area, const std::vector<TimeTick>& ticks,
                                  const std::optional<QRectF>& keepClear) const
{
    p.fillRect(area, m_palette.color(QPalette::Window));
    p.setPen(m_palette.color(QPalette::Mid));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    QRect header = area.adjusted(8, 0, -(area.width() - m_nameWidth) - 4, 0);
    m_hiddenNote = {};
    if (const std::uint32_t hidden = m_state->hiddenSpans()) {
        // Spans hidden as short or of hidden services, right-aligned; in the window, a link that
        // shows them again.
        QString note = hidden == 1 ? QObject::tr("1 span hidden") : QObject::tr("%L1 spans hidden").arg(hidden);
        if (m_paintsSelection)
            note += QObject::tr(" · show");
        p.save();
        QFont link = p.font(); // underlined as a link (a palette's link colour may not read on the ruler)
        link.setUnderline(m_paintsSelection);
        p.setFont(link);
        const int noteWidth = p.fontMetrics().horizontalAdvance(note) + 1;
        m_hiddenNote = QRect(std::max(header.left(), header.right() - noteWidth), area.top(), noteWidth, area.height());
        p.setPen(m_palette.color(QPalette::WindowText));
        p.drawText(m_hiddenNote, Qt::AlignVCenter | Qt::AlignLeft, note);
        p.restore();
        header.setRight(m_hiddenNote.left() - 8);
    }
    p.setPen(m_palette.color(QPalette::WindowText));
    const QString summary =
        QObject::tr("%1 spans · %2").arg(m_state->trace().count).arg(durationText(m_state->trace().duration()));
    p.drawText(header, Qt::AlignVCenter | Qt::AlignLeft,
               p.fontMetrics().elidedText(summary, Qt::ElideRight, std::max(0, header.width())));
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
        if (keepClear && keepClear->intersects(QRectF(left - 4, area.top(), labelWidth + 8, area.height())))
            continue; // the selected range's length is written there
        p.drawText(QRect(left, area.top(), labelWidth + 1, area.height() - 2), Qt::AlignVCenter | Qt::AlignLeft, label);
        previousEnd = left + labelWidth;
    }
    p.restore();
}

void WaterfallPainter::paintRow(QPainter& p, std::uint32_t span, int y, int width, const TimeScale& scale,
                                int indentStep, bool odd) const
{
    const QRect row(0, y, width, m_rowHeight);
    const bool selected = m_paintsSelection && span == m_state->selected();
    if (selected)
        p.fillRect(row, m_palette.color(QPalette::Highlight).lighter(m_dark ? 60 : 170));
    else if (odd)
        p.fillRect(row, m_palette.color(QPalette::AlternateBase));
    if (const auto it = annotationIndex().highlights.find(m_state->data().spans[span].id);
        it != annotationIndex().highlights.end()) {
        QColor tint = rgbColor(it->second);
        tint.setAlpha(m_dark ? 70 : 48);
        p.fillRect(row, tint);
        p.fillRect(QRect(0, y, 3, m_rowHeight), rgbColor(it->second));
    }
    const RepeatGroup* group = m_state->foldedGroupAt(span);
    if (m_state->isSearchMatch(span) || (group && m_state->hasSearchMatchIn(span, m_state->groupEnd(*group))))
        p.fillRect(QRect(0, y + 1, m_nameWidth, m_rowHeight - 2), theme::searchMatch(m_dark));
    paintName(p, span, QRect(0, y, m_nameWidth, m_rowHeight), indentStep);
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, y, width - m_nameWidth - 1, m_rowHeight));
    const QRect lane(m_nameWidth, y, width - m_nameWidth, m_rowHeight);
    const auto taken = group ? paintGroupBand(p, *group, lane, scale) : paintBar(p, span, lane, scale);
    // What a range label must not cover: the bar and its duration, wherever the duration went.
    const QRectF bar = rowBarGeometry(span, lane, scale);
    const double from = std::min(taken.first, bar.left());
    const double to = std::max(taken.second, bar.right());
    m_barExtents.push_back(QRectF(from, y + 3, to - from, m_rowHeight - 6).toAlignedRect());
    if (notesOf(span))
        paintCallout(p, span, lane, taken);
    p.restore();
}

std::pair<double, double> WaterfallPainter::paintBar(QPainter& p, std::uint32_t span, const QRect& lane,
                                                     const TimeScale& scale) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    if (const auto where = paintOffScreen(p, s.start, s.end, durationText(s.duration()), lane, scale))
        return *where;
    const bool dark = m_dark;
    const QColor color = m_state->serviceColors().color(d.str(s.service), dark);
    const QRectF bar = barGeometry(s, lane, scale);
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
    } else if (s.has(MarkNoTiming)) { // no start in the file: where it is drawn is a guess, so outlined
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(color.darker(120), 1.5, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        if (s.duration() > 0) {
            p.drawRect(bar.adjusted(0.75, 0.75, -0.75, -0.75));
        } else { // a hollow diamond at its parent's start
            const double r = bar.height() / 2;
            const QPointF c(bar.left() + 1, bar.center().y());
            p.setPen(QPen(color.darker(120), 1.5));
            p.drawPolygon(QPolygonF({c + QPointF(0, -r), c + QPointF(r, 0), c + QPointF(0, r), c + QPointF(-r, 0)}));
        }
        p.restore();
    } else if (s.has(MarkInferred)) { // made by the tracing backend, not by the service: outlined
        p.fillRect(bar, color.lighter(160));
        p.save();
        p.setPen(QPen(color.darker(130), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5));
        p.restore();
    } else {
        p.fillRect(bar, color);
    }
    if (s.status == StatusCode::Error)
        paintErrorFrame(p, bar);
    if (m_state->isCollapsed(span) && m_state->hasChildren(span))
        paintHiddenActivity(p, span, lane, bar, scale);
    if (m_state->showCriticalPath())
        paintCriticalPath(p, span, lane, bar, scale);
    paintEvents(p, s, lane, bar, scale, color);
    p.save();
    p.setBrush(Qt::NoBrush);
    if (const auto it = annotationIndex().highlights.find(s.id); it != annotationIndex().highlights.end()) {
        p.setPen(QPen(rgbColor(it->second), 2));
        p.drawRect(bar.adjusted(-3, -3, 3, 3));
    }
    if (m_paintsSelection && span == m_state->selected()) {
        p.setPen(QPen(m_palette.color(QPalette::Text), 1));
        p.drawRect(bar.adjusted(-1.5, -1.5, 1.5, 1.5));
    }
    p.restore();
    const QString label = s.has(MarkNoTiming) && s.duration() == 0
                              ? QObject::tr("no timing in the file")
                              : (s.has(MarkInProgress) ? QStringLiteral("≥ ") : QString()) + durationText(s.duration());
    const double labelLeft = s.has(MarkNoTiming) ? bar.left() + bar.height() / 2 : bar.right(); // right of the diamond
    return paintBarLabel(p, label, bar, labelLeft, lane, color);
}

std::pair<double, double> WaterfallPainter::paintBarLabel(QPainter& p, const QString& label, const QRectF& bar,
                                                          double labelLeft, const QRect& lane,
                                                          const QColor& color) const
{
    // Right of the bar, or left of it when the bar reaches the edge, or inside when neither has room.
    const int textWidth = p.fontMetrics().horizontalAdvance(label);
    const int labelWidth = textWidth + 8;
    enum class Place { Right, Left, Inside } place = Place::Inside;
    if (labelLeft + labelWidth < lane.right() - 2)
        place = Place::Right;
    else if (bar.left() - labelWidth > lane.left())
        place = Place::Left;
    p.setPen(m_palette.color(QPalette::Text));
    switch (place) {
    case Place::Right:
        p.drawText(QRectF(labelLeft + 5, lane.top(), labelWidth, lane.height()), Qt::AlignVCenter | Qt::AlignLeft,
                   label);
        return {bar.left(), labelLeft + labelWidth};
    case Place::Left:
        p.drawText(QRectF(bar.left() - labelWidth, lane.top(), labelWidth - 4, lane.height()),
                   Qt::AlignVCenter | Qt::AlignRight, label);
        return {bar.left() - labelWidth, bar.right()};
    case Place::Inside:
        break;
    }
    // Inside the bar, on a patch of the bar's colour that the critical path does not cross, in a
    // colour that reads on it; a callout may then cover the rest of the bar.
    const double textLeft = std::max(bar.left(), static_cast<double>(lane.left())) + 4;
    p.fillRect(QRectF(textLeft - 3, bar.top() + 2, textWidth + 6, bar.height() - 4), color);
    p.setPen(textColorOn(color));
    p.drawText(QRectF(textLeft, lane.top(), bar.right() - textLeft - 4, lane.height()),
               Qt::AlignVCenter | Qt::AlignLeft, label);
    return {bar.left(), textLeft + labelWidth};
}

std::optional<std::pair<double, double>> WaterfallPainter::paintOffScreen(QPainter& p, TimeNs start, TimeNs end,
                                                                          const QString& what, const QRect& lane,
                                                                          const TimeScale& scale) const
{
    const double x0 = scale.toX(start);
    const double x1 = scale.toX(end);
    if (x1 >= -2 && x0 <= scale.width + 2)
        return std::nullopt;
    // Off screen: say where it is.
    p.setPen(m_palette.color(QPalette::PlaceholderText));
    const bool left = x1 < 0;
    const QString text = (left ? QStringLiteral("◂ ") : QString()) + what + (left ? QString() : QStringLiteral(" ▸"));
    p.drawText(lane.adjusted(6, 0, -6, 0), Qt::AlignVCenter | (left ? Qt::AlignLeft : Qt::AlignRight), text);
    const int w = p.fontMetrics().horizontalAdvance(text) + 6;
    return left ? std::make_pair<double, double>(lane.left(), lane.left() + w)
                : std::make_pair<double, double>(lane.right() - w, lane.right());
}

std::pair<double, double> WaterfallPainter::paintGroupBand(QPainter& p, const RepeatGroup& group, const QRect& lane,
                                                           const TimeScale& scale) const
{
    const QString times = groupTimesText(group);
    if (const auto where = paintOffScreen(p, group.start, group.end, times, lane, scale))
        return *where;
    const Dataset& d = m_state->data();
    const QColor color = m_state->serviceColors().color(d.str(d.spans[group.first].service), m_dark);
    const QRectF band = groupBandGeometry(group, lane, scale);
    // The band is the time from the first call's start to the last end, pale; each call a tick of
    // the service's colour at its start (calls within a pixel share one), a failed one red.
    QColor pale = color;
    pale.setAlpha(m_dark ? 95 : 85);
    p.fillRect(band, pale);
    p.fillRect(QRectF(band.left(), band.top(), band.width(), 1), color);
    p.fillRect(QRectF(band.left(), band.bottom() - 1, band.width(), 1), color);
    const QColor tick = m_dark ? color.lighter(125) : color.darker(135);
    const QColor failed = theme::error(m_dark);
    int pending = std::numeric_limits<int>::min();
    bool pendingFailed = false;
    const auto flush = [&] {
        if (pending != std::numeric_limits<int>::min())
            p.fillRect(QRectF(pending, band.top(), 1, band.height()), pendingFailed ? failed : tick);
    };
    const std::span<const TimeNs> starts = m_state->callStarts(group);
    const std::span<const std::uint8_t> failures = m_state->callsFailed(group);
    // The calls come in start order: from the first one on screen to the last.
    for (auto it = std::lower_bound(starts.begin(), starts.end(), scale.toTime(-2)); it != starts.end(); ++it) {
        const int x = static_cast<int>(std::floor(lane.left() + scale.toX(*it)));
        if (x > lane.right() + 1)
            break;
        if (x != pending) {
            flush();
            pending = x;
            pendingFailed = false;
        }
        pendingFailed = pendingFailed || failures[static_cast<std::size_t>(it - starts.begin())] != 0;
    }
    flush();
    if (m_state->showCriticalPath())
        paintFoldedCriticalPath(p, group.first, m_state->groupEnd(group), lane, band, scale,
                                theme::criticalPath(m_dark));
    if (m_paintsSelection && group.first == m_state->selected()) {
        p.save();
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(m_palette.color(QPalette::Text), 1));
        p.drawRect(band.adjusted(-1.5, -1.5, 1.5, 1.5));
        p.restore();
    }
    return paintBarLabel(p, times, band, band.right(), lane, color);
}

QRectF WaterfallPainter::groupBandGeometry(const RepeatGroup& group, const QRect& lane, const TimeScale& scale) const
{
    const double left = lane.left() + std::max(-2.0, scale.toX(group.start));
    const double right = lane.left() + std::min(scale.width + 2,
                                                std::max(scale.toX(group.end), scale.toX(group.start) + kMinBarWidth));
    return QRectF(left, lane.top() + 4, right - left, lane.height() - 8);
}

QRectF WaterfallPainter::rowBarGeometry(std::uint32_t span, const QRect& lane, const TimeScale& scale) const
{
    if (const RepeatGroup* group = m_state->foldedGroupAt(span))
        return groupBandGeometry(*group, lane, scale);
    return barGeometry(m_state->data().spans[span], lane, scale);
}

QRectF WaterfallPainter::barGeometry(const Span& s, const QRect& lane, const TimeScale& scale) const
{
    const double left = lane.left() + std::max(-2.0, scale.toX(s.start));
    const double right = lane.left() +
                         std::min(scale.width + 2, std::max(scale.toX(s.end), scale.toX(s.start) + kMinBarWidth));
    return QRectF(left, lane.top() + 5, right - left, lane.height() - 10);
}

void WaterfallPainter::paintErrorFrame(QPainter& p, const QRectF& bar) const
{
    // A failed span is framed in the error red on the bar itself; a bar too thin for a frame is
    // all red. The fill inside keeps the service's colour.
    const QColor red = theme::error(m_dark);
    if (bar.width() < 7) {
        p.fillRect(bar, red);
        return;
    }
    constexpr double kFrame = 2;
    p.fillRect(QRectF(bar.left(), bar.top(), bar.width(), kFrame), red);
    p.fillRect(QRectF(bar.left(), bar.bottom() - kFrame, bar.width(), kFrame), red);
    p.fillRect(QRectF(bar.left(), bar.top(), kFrame, bar.height()), red);
    p.fillRect(QRectF(bar.right() - kFrame, bar.top(), kFrame, bar.height()), red);
}

bool WaterfallPainter::isExceptionEvent(const Event& event) const
{
    return spanwise::isExceptionEvent(m_state->data(), event);
}

void WaterfallPainter::paintEvents(QPainter& p, const Span& s, const QRect& lane, const QRectF& bar,
                                   const TimeScale& scale, const QColor& color) const
{
    // A small flag on the bar's top edge per event; events closer than a flag's width share one
    // (the tooltip lists them all). Exceptions are flagged in the error red.
    if (s.events.count == 0)
        return;
    const Dataset& d = m_state->data();
    QColor tick = textColorOn(color);
    tick.setAlpha(170);
    const QColor flag = m_palette.color(QPalette::Text);
    const QColor failed = theme::error(m_dark);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    double lastX = -1e9;
    for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
        const double ex = std::round(lane.left() + scale.toX(d.events[e].time)) + 0.5;
        if (ex < lane.left() - 4 || ex > lane.right() + 4)
            continue;
        const bool exception = isExceptionEvent(d.events[e]);
        if (ex - lastX < kEventFlag && !exception)
            continue;
        lastX = ex;
        // A flag from above the bar into its upper third: the middle of the bar keeps its colour.
        p.setPen(QPen(tick, 1.5));
        p.drawLine(QPointF(ex, bar.top() + 1), QPointF(ex, bar.top() + bar.height() / 3));
        QPainterPath head;
        head.moveTo(ex - kEventFlag / 2.0, bar.top() - 4);
        head.lineTo(ex + kEventFlag / 2.0, bar.top() - 4);
        head.lineTo(ex, bar.top() + 2);
        head.closeSubpath();
        p.setPen(Qt::NoPen);
        p.fillPath(head, exception ? failed : flag);
    }
    p.restore();
}

void WaterfallPainter::paintCallout(QPainter& p, std::uint32_t span, const QRect& lane,
                                    std::pair<double, double> taken) const
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
    int width = std::min(natural, std::max(kCalloutMaxWidth, lane.width() * 3 / 5));
    bool pointsLeft = true; // the notch is on the left: the callout is right of the bar
    double left = 0;
    const bool right = roomRight >= width ||
                       (roomRight >= std::min(width, kCalloutMinWidth) && roomLeft < width && roomRight >= roomLeft);
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
    const NoteColors colors = spanNoteColors(m_dark);
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
    m_hits.push_back({box.toAlignedRect(), notes.front()->id});
}

void WaterfallPainter::paintRangeNotes(QPainter& p, const QRect& area, const TimeScale& scale) const
{
    // A shaded band down the bar area per note, its label at the top of the band; labels that
    // would overlap each other or a callout move down.
    if (annotationIndex().ranges.empty())
        return;
    const bool dark = m_dark;
    const NoteColors colors = rangeNoteColors(dark);
    const QRect lanes(m_nameWidth + 1, area.top() + m_rulerHeight, area.width() - m_nameWidth - 1,
                      area.height() - m_rulerHeight);
    const QFontMetrics fm = p.fontMetrics();
    const int labelHeight = fm.height() + 4;
    std::vector<QRect> labels = m_callouts; // and the bars with their durations: a label covers none
    labels.insert(labels.end(), m_barExtents.begin(), m_barExtents.end());
    p.save();
    p.setClipRect(lanes);
    for (const Annotation* note : annotationIndex().ranges) {
        const TimeNs shift = m_screen && note->id == m_screen->draggedRangeNote ? m_screen->dragDelta : 0;
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
        const int width = std::min(
            {fm.horizontalAdvance(text) + 16, std::max(kCalloutMaxWidth, lanes.width() * 2 / 5), lanes.width() - 6});
        const std::optional<QRect> placed = freeLabelSlot(band, width, labelHeight, lanes, labels);
        if (!placed)
            continue; // no room on screen: the band shows, its label is on hover
        const QRect label = *placed;
        labels.push_back(label);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(colors.border, 1));
        p.setBrush(colors.fill);
        p.drawRoundedRect(QRectF(label).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(colors.text);
        p.drawText(label.adjusted(7, 0, -7, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   fm.elidedText(text, Qt::ElideRight, label.width() - 14));
        m_hits.push_back({label, note->id});
    }
    p.restore();
}

std::optional<QRect> WaterfallPainter::freeLabelSlot(const QRectF& band, int width, int height, const QRect& lanes,
                                                     const std::vector<QRect>& taken) const
{
    // From the top row down, at the band's left edge or else its right edge, the first place that
    // covers nothing already drawn.
    const int left = static_cast<int>(std::max<double>(band.left() + 3, lanes.left() + 3));
    std::vector<int> xs = {std::min(left, lanes.right() - 3 - width)};
    if (const int right = static_cast<int>(std::min<double>(band.right() - 3, lanes.right() - 3)) - width;
        right > xs.front())
        xs.push_back(right);
    for (int top = lanes.top() + (m_rowHeight - height) / 2; top + height < lanes.bottom(); top += m_rowHeight) {
        for (const int x : xs) {
            const QRect label(x, top, width, height);
            if (std::none_of(taken.begin(), taken.end(),
                             [&](const QRect& r) { return r.adjusted(-3, -1, 3, 1).intersects(label); }))
                return label;
        }
    }
    return std::nullopt;
}

std::optional<QRectF> WaterfallPainter::rangeSelectionLabel(const QFontMetrics& metrics, const QRect& ruler,
                                                            const TimeScale& scale) const
{
    if (!m_screen || !m_screen->rangeSelection)
        return std::nullopt;
    const auto& selection = m_screen->rangeSelection;
    const double x0 = m_nameWidth + std::max(-2.0, scale.toX(selection->first));
    const double x1 = std::max(x0 + 2, m_nameWidth + std::min(scale.width + 2, scale.toX(selection->second)));
    const double textWidth = metrics.horizontalAdvance(durationText(selection->second - selection->first)) + 8;
    const double centre = std::clamp((x0 + x1) / 2, m_nameWidth + textWidth / 2, ruler.right() - textWidth / 2);
    return QRectF(centre - textWidth / 2, ruler.top(), textWidth, ruler.height());
}

void WaterfallPainter::paintRangeMarks(QPainter& p, const QRect& ruler, int bottom, const TimeScale& scale,
                                       const std::optional<QRectF>& selectionLabel) const
{
    static const std::optional<std::pair<TimeNs, TimeNs>> kNone;
    const auto& selection = m_screen ? m_screen->rangeSelection : kNone;
    // On the ruler: a strip under each range note, and the range being selected.
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, ruler.top(), ruler.width() - m_nameWidth - 1, ruler.height()));
    auto span = [&](TimeNs start, TimeNs end) {
        const double x0 = m_nameWidth + std::max(-2.0, scale.toX(start));
        const double x1 = m_nameWidth + std::min(scale.width + 2, scale.toX(end));
        return std::make_pair(x0, std::max(x0 + 2, x1));
    };
    const QColor strip = rangeNoteColors(m_dark).border;
    for (const Annotation* note : annotationIndex().ranges) {
        const auto [x0, x1] = span(note->start, note->end);
        p.fillRect(QRectF(x0, ruler.bottom() - 3, x1 - x0, 3), strip);
    }
    if (selection) {
        const auto [x0, x1] = span(selection->first, selection->second);
        QColor fill = m_palette.color(QPalette::Highlight);
        fill.setAlpha(70);
        p.fillRect(QRectF(x0, ruler.top(), x1 - x0, ruler.height()), fill);
        p.setPen(QPen(m_palette.color(QPalette::Highlight), 1));
        p.drawRect(QRectF(x0, ruler.top(), x1 - x0, ruler.height() - 1));
        p.setPen(m_palette.color(QPalette::WindowText));
        const QString length = durationText(selection->second - selection->first);
        p.drawText(*selectionLabel, Qt::AlignCenter, length);
    }
    p.restore();
    if (selection) { // and faintly across the rows
        const auto [x0, x1] = span(selection->first, selection->second);
        QColor fill = m_palette.color(QPalette::Highlight);
        fill.setAlpha(28);
        p.save();
        p.setClipRect(QRect(m_nameWidth + 1, ruler.bottom() + 1, ruler.width() - m_nameWidth - 1, bottom));
        p.fillRect(QRectF(x0, ruler.bottom() + 1, x1 - x0, bottom), fill);
        p.restore();
    }
}

const SubtreeActivity& WaterfallPainter::hiddenActivity(std::uint32_t span, const TimeScale& scale) const
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

void WaterfallPainter::paintHiddenActivity(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                                           const TimeScale& scale) const
{
    const SubtreeActivity& activity = hiddenActivity(span, scale);
    QColor ink = m_palette.color(QPalette::PlaceholderText);
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
        ink.setAlpha(std::min(200, 70 + 20 * static_cast<int>(std::log2(1.0 + peak))));
        p.fillRect(QRectF(lane.left() + start, bar.bottom() + 1, end - start, 3), ink);
        x = end;
    }
}

void WaterfallPainter::paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                                         const TimeScale& scale) const
{
    const QColor ink = theme::criticalPath(m_dark);
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
    QColor faded = ink;
    faded.setAlpha(ink.alpha() / 2);
    paintFoldedCriticalPath(p, span + 1, s.subtreeEnd, lane, bar, scale, faded);
}

void WaterfallPainter::paintFoldedCriticalPath(QPainter& p, std::uint32_t first, std::uint32_t end, const QRect& lane,
                                               const QRectF& bar, const TimeScale& scale, const QColor& ink) const
{
    const double middle = bar.center().y();
    const auto hidden = m_state->criticalSegmentsOf(first, end);
    if (hidden.empty())
        return;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(lane.width()) + 1, 0);
    for (const CriticalSegment& segment : hidden) {
        const int x0 = std::clamp(static_cast<int>(scale.toX(segment.start)), 0, lane.width());
        const int x1 = std::clamp(static_cast<int>(std::ceil(scale.toX(segment.end))), x0 + 1, lane.width() + 1);
        std::fill(covered.begin() + x0, covered.begin() + std::min<int>(x1, static_cast<int>(covered.size())), 1);
    }
    for (int x = 0; x < static_cast<int>(covered.size());) {
        if (!covered[x]) {
            ++x;
            continue;
        }
        const int start = x;
        while (x < static_cast<int>(covered.size()) && covered[x])
            ++x;
        p.fillRect(QRectF(lane.left() + start, middle - 1.5, x - start, 3), ink);
    }
}

int WaterfallPainter::indentStep(int first, int rowCount) const
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

std::uint32_t WaterfallPainter::relativeDepth(std::uint32_t span) const
{
    const std::uint32_t focus = m_state->focusRoot();
    const std::uint32_t base = focus == kNoIndex ? 0 : m_state->data().spans[focus].depth;
    return m_state->data().spans[span].depth - base;
}

int WaterfallPainter::indentOf(std::uint32_t span, int step) const
{
    const int maxLevels = std::max(1, (m_nameWidth - kNameRoom) / step);
    return static_cast<int>(std::min<std::uint32_t>(relativeDepth(span), maxLevels)) * step;
}

const std::vector<const Annotation*>* WaterfallPainter::notesOf(std::uint32_t span) const
{
    const auto it = annotationIndex().notes.find(m_state->data().spans[span].id);
    return it == annotationIndex().notes.end() ? nullptr : &it->second;
}

QString WaterfallPainter::rowTag(std::uint32_t span) const
{
    if (m_state->foldedGroupAt(span))
        return {};
    QString tag;
    if (m_state->isCollapsed(span) && m_state->hasChildren(span))
        tag = QStringLiteral("+%L1").arg(m_state->data().spans[span].subtreeEnd - span - 1);
    if (const RepeatGroup* group = m_state->unfoldedGroupAt(span)) // a click on it folds the group again
        tag += (tag.isEmpty() ? QString() : QStringLiteral("  ")) + QStringLiteral("×%L1 ▴").arg(group->count);
    return tag;
}

std::pair<QString, QString> WaterfallPainter::rowNames(std::uint32_t span) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const QString service = qstr(d.str(s.service));
    const RepeatGroup* group = m_state->foldedGroupAt(span);
    if (!group)
        return {service, qstr(d.str(s.name))};
    // The group's operation as its members share it, normalised: the label after "service: ".
    const std::string_view label = group->label;
    const std::size_t prefix = d.str(s.service).size() + 2;
    return {QStringLiteral("×%L1 ").arg(group->count) + service,
            qstr(label.size() > prefix ? label.substr(prefix) : label)};
}

RowCell WaterfallPainter::rowCell(std::uint32_t span, int indent) const
{
    const Span& s = m_state->data().spans[span];
    const RepeatGroup* group = m_state->foldedGroupAt(span);
    RowCell cell;
    cell.indent = indent;
    cell.hasChildren = group || m_state->hasChildren(span);
    const bool failedHere = group ? group->errors > 0 : s.status == StatusCode::Error;
    const bool failedBelow = group ? m_state->groupHasFailure(*group) : m_state->hasFailedDescendant(span);
    cell.markers = (failedHere || failedBelow ? 1 : 0) + (s.has(MarkOrphan) || s.has(MarkCycleBroken) ? 1 : 0);
    if (const QString tag = rowTag(span); !tag.isEmpty())
        cell.hiddenLabel = QFontMetrics(m_markerFont).horizontalAdvance(tag);
    return cell;
}

RowLayout WaterfallPainter::rowLayout(std::uint32_t span, int indentStep) const
{
    const int indent = indentOf(span, indentStep);
    RowCell cell = rowCell(span, indent);
    if (static_cast<int>(relativeDepth(span)) * indentStep > indent) // deeper than the indentation shows
        cell.depthLabel =
            QFontMetrics(m_markerFont).horizontalAdvance(QString::number(m_state->data().spans[span].depth));
    return RowLayout::of(cell, m_nameWidth);
}

int WaterfallPainter::fittingNameColumnWidth(int firstRow, int rowCount) const
{
    const auto& rows = m_state->rows();
    const QFontMetrics plain(m_font);
    const QFontMetrics bold(m_boldFont);
    const int last = std::min<int>(static_cast<int>(rows.size()), firstRow + rowCount);
    int widest = 0;
    for (int row = std::max(0, firstRow); row < last; ++row) {
        const std::uint32_t span = rows[row];
        const RowCell cell = rowCell(span, static_cast<int>(relativeDepth(span)) * kIndent);
        const auto [service, operation] = rowNames(span);
        widest = std::max(
            widest, RowLayout::naturalWidth(cell, bold.horizontalAdvance(service), plain.horizontalAdvance(operation)));
    }
    return widest;
}

void WaterfallPainter::paintName(QPainter& p, std::uint32_t span, const QRect& cell, int indentStep) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    const RowLayout layout = rowLayout(span, indentStep);
    // Indent guides: one faint line per ancestor level, in the text's colour so that they stay
    // faint on dark backgrounds too.
    QColor guide = m_palette.color(QPalette::Text);
    guide.setAlpha(m_dark ? 38 : 46);
    p.setPen(guide);
    const int indent = layout.arrowLeft - RowLayout::kLeftPad;
    for (int level = 0; level * indentStep < indent; ++level) {
        const int x = RowLayout::guideX(level, indentStep);
        p.drawLine(x, cell.top(), x, cell.bottom());
    }
    const RepeatGroup* group = m_state->foldedGroupAt(span);
    if (group || m_state->hasChildren(span)) {
        QPainterPath arrow;
        const QPointF c(layout.arrowLeft + 6, cell.center().y() + 0.5);
        if (group || m_state->isCollapsed(span)) {
            arrow.moveTo(c + QPointF(-2.5, -4.5));
            arrow.lineTo(c + QPointF(3.5, 0));
            arrow.lineTo(c + QPointF(-2.5, 4.5));
        } else {
            arrow.moveTo(c + QPointF(-4.5, -2.5));
            arrow.lineTo(c + QPointF(4.5, -2.5));
            arrow.lineTo(c + QPointF(0, 3.5));
        }
        p.fillPath(arrow, m_palette.color(QPalette::Text));
    }
    const QColor color = m_state->serviceColors().color(d.str(s.service), m_dark);
    p.fillRect(QRect(layout.chipLeft, cell.top() + 5, RowLayout::kChipWidth, cell.height() - 10), color);
    // Markers before the name: failed here or failed below, orphan or broken cycle.
    int x = layout.markersLeft;
    auto marker = [&](const QColor& markerColor, const QString& glyph, bool filled) {
        const QRect box(x, cell.center().y() - 6, RowLayout::kMarkerSize, RowLayout::kMarkerSize);
        p.save();
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
        p.setFont(m_markerFont);
        p.drawText(box, Qt::AlignCenter, glyph);
        p.restore();
        x += RowLayout::kMarkerAdvance;
    };
    if (group ? group->errors > 0 : s.status == StatusCode::Error)
        marker(theme::error(m_dark), QStringLiteral("!"), true);
    else if (group ? m_state->groupHasFailure(*group)
                   : m_state->hasFailedDescendant(span)) // a hint where to look, not a failure: not red
        marker(m_palette.color(QPalette::PlaceholderText), QStringLiteral("!"), false);
    if (s.has(MarkOrphan) || s.has(MarkCycleBroken))
        marker(theme::warning(m_dark), QStringLiteral("?"), true);
    // Small grey type: how deep, when the indentation cannot show it; how many spans a collapsed
    // row hides.
    p.save();
    p.setFont(m_markerFont);
    p.setPen(m_palette.color(QPalette::PlaceholderText));
    if (layout.textLeft > layout.depthLeft)
        p.drawText(QRect(layout.depthLeft, cell.top(), layout.textLeft - layout.depthLeft, cell.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, QString::number(s.depth));
    if (const QString tag = rowTag(span); !tag.isEmpty())
        p.drawText(QRect(layout.hiddenLeft, cell.top(), cell.right() - layout.hiddenLeft, cell.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, tag);
    p.restore();
    const auto [service, name] = rowNames(span);
    const QRect textRect(layout.textLeft, cell.top(), layout.textWidth(), cell.height());
    const QFontMetrics boldMetrics(m_boldFont, p.device());
    const QFontMetrics metrics = p.fontMetrics();
    // Not measured: a text measurement per row is a tenth of the paint.
    const int operationMinimum = metrics.averageCharWidth() * RowLayout::kOperationMinimumChars;
    const QString elidedService = boldMetrics.elidedText(service, Qt::ElideRight, layout.serviceRoom(operationMinimum));
    p.save();
    p.setFont(m_boldFont);
    p.setPen(m_palette.color(QPalette::Text));
    p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, elidedService);
    p.restore();
    const QRect opRect = textRect.adjusted(boldMetrics.horizontalAdvance(elidedService) + RowLayout::kNameGap, 0, 0, 0);
    p.setPen(m_palette.color(QPalette::Text));
    const QString operation = metrics.elidedText(name, Qt::ElideRight, opRect.width());
    p.drawText(opRect, Qt::AlignVCenter | Qt::AlignLeft, operation);
    // The Datadog resource (endpoint, query) beside the operation, in the room left.
    const std::string_view resource = group ? std::string_view() : resourceNameOf(d, s); // in a group's label
    const QRect resourceRect = opRect.adjusted(metrics.horizontalAdvance(operation) + 8, 0, 0, 0);
    if (!resource.empty() && resource != d.str(s.name) && resourceRect.width() > metrics.averageCharWidth() * 4) {
        p.setPen(m_palette.color(QPalette::PlaceholderText));
        p.drawText(resourceRect, Qt::AlignVCenter | Qt::AlignLeft,
                   metrics.elidedText(qstr(resource), Qt::ElideRight, resourceRect.width()));
    }
}

void WaterfallPainter::paintSteppedSegment(QPainter& p, int firstRow, int width, int bottom,
                                           const TimeScale& scale) const
{
    const std::optional<std::size_t> index = m_state->steppedSegment();
    const int row = index ? m_state->rowOf(m_state->criticalPath()[*index].span) : -1;
    const int y = m_rulerHeight + (row - firstRow) * m_rowHeight;
    if (row < firstRow || y >= bottom)
        return;
    const CriticalSegment& segment = m_state->criticalPath()[*index];
    const double left = m_nameWidth + std::max(-3.0, scale.toX(segment.start));
    const double right = std::max(left + 3, m_nameWidth + std::min(scale.width + 3, scale.toX(segment.end)));
    // In the critical path's own ink (black on light, white on dark): a frame round the stretch
    // and its extent on the ruler.
    QColor ink = theme::criticalPath(m_dark);
    ink.setAlpha(255);
    p.save();
    p.setClipRect(QRect(m_nameWidth + 1, 0, width - m_nameWidth - 1, bottom));
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

std::vector<std::uint32_t> WaterfallPainter::eventsAt(std::uint32_t span, double laneX, const TimeScale& scale) const
{
    const Dataset& d = m_state->data();
    const Span& s = d.spans[span];
    std::vector<std::uint32_t> found;
    for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
        if (std::abs(scale.toX(d.events[e].time) - laneX) <= kEventFlag)
            found.push_back(e);
    }
    return found;
}

std::uint32_t WaterfallPainter::hiddenSpansAt(std::uint32_t span, double laneX, const TimeScale& scale) const
{
    return hiddenActivity(span, scale).peak(scale.toTime(laneX - kFoldGap), scale.toTime(laneX + kFoldGap));
}

} // namespace spanwise
