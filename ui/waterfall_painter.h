#pragma once
// Paints a trace's waterfall with any QPainter: the ruler, then one row per visible span (the
// name cell laid out by RowLayout, the bar on the time axis, its duration, critical path, events
// and notes), and the range notes over the bars. The window's WaterfallView paints its viewport
// with it, the image export its pages: what is exported is what is shown.

#include "row_layout.h"
#include "time_scale.h"
#include "trace_view_state.h"

#include <annotations.h>
#include <subtree_activity.h>

#include <QFont>
#include <QPalette>
#include <QRect>

#include <optional>
#include <unordered_map>
#include <vector>

class QPainter;

namespace spanwise {

// What only the window draws: the range being selected, a range note being dragged.
struct ScreenMarks {
    std::optional<std::pair<TimeNs, TimeNs>> rangeSelection;
    std::uint64_t draggedRangeNote = 0;
    TimeNs dragDelta = 0;
};

class WaterfallPainter {
public:
    explicit WaterfallPainter(const TraceViewState* state);

    // The palette chooses light or dark shades; the font sizes rows and ruler.
    void setPalette(const QPalette& palette);
    const QPalette& palette() const { return m_palette; }
    void setFont(const QFont& font);
    const QFont& font() const { return m_font; }
    bool dark() const { return m_dark; }

    int rowHeight() const { return m_rowHeight; }
    int rulerHeight() const { return m_rulerHeight; }
    int nameColumnWidth() const { return m_nameWidth; }
    void setNameColumnWidth(int width) { m_nameWidth = width; }
    // The selected row is highlighted (the default), or not (an exported picture).
    void setPaintsSelection(bool paints) { m_paintsSelection = paints; }
    // The rows whose depth sets the indentation: those painted (the default, firstRow < 0), or
    // these, so that the pages of an export indent alike.
    void setIndentRows(int firstRow, int rowCount);
    // Notes, range notes and highlights of this trace; nullptr for none.
    void setAnnotations(const TraceAnnotations* annotations) { m_annotations = annotations; }
    void setScreenMarks(const ScreenMarks* marks) { m_screen = marks; }

    TimeScale timeScale(int width, TimeNs viewStart, TimeNs viewEnd) const;
    // Paints the ruler and the rows from firstRow on that fit in `area`, laid out for the area's
    // width, over the time window [viewStart, viewEnd).
    void paint(QPainter& painter, const QRect& area, int firstRow, TimeNs viewStart, TimeNs viewEnd) const;
    // Name column width that shows these rows' markers, service and operation names unelided.
    int fittingNameColumnWidth(int firstRow, int rowCount) const;

    // Geometry of what was painted, for hit-testing, in the painted area's coordinates.
    struct NoteHit {
        QRect rect;
        std::uint64_t id;
    };
    const std::vector<NoteHit>& noteHits() const { return m_hits; } // callouts and range labels
    // The "n spans hidden" note on the ruler, empty when none is hidden.
    QRect hiddenNoteRect() const { return m_hiddenNote; }
    int indentStep(int firstRow, int rowCount) const; // pixels per level for these rows
    RowLayout rowLayout(std::uint32_t span, int indentStep) const;
    QRectF barGeometry(const Span& s, const QRect& lane, const TimeScale& scale) const;
    // The bar of a row: its span's, or the band of the group folded into it.
    QRectF rowBarGeometry(std::uint32_t span, const QRect& lane, const TimeScale& scale) const;
    QRectF groupBandGeometry(const RepeatGroup& group, const QRect& lane, const TimeScale& scale) const;
    // Events of the span drawn within a flag's width of the lane x.
    std::vector<std::uint32_t> eventsAt(std::uint32_t span, double laneX, const TimeScale& scale) const;
    bool isExceptionEvent(const Event& event) const;
    // The notes of a span, nullptr for none.
    const std::vector<const Annotation*>* notesOf(std::uint32_t span) const;
    // How many hidden spans run at once around a collapsed row's lane x.
    std::uint32_t hiddenSpansAt(std::uint32_t span, double laneX, const TimeScale& scale) const;

private:
    void paintRuler(QPainter& p, const QRect& area, const std::vector<TimeTick>& ticks,
                    const std::optional<QRectF>& keepClear) const;
    void paintRow(QPainter& p, std::uint32_t span, int y, int width, const TimeScale& scale, int indentStep,
                  bool odd) const;
    void paintName(QPainter& p, std::uint32_t span, const QRect& cell, int indentStep) const;
    // Returns the horizontal extent a callout must not cover: the bar and its duration label (or
    // only the label, when it is inside the bar).
    std::pair<double, double> paintBar(QPainter& p, std::uint32_t span, const QRect& lane,
                                       const TimeScale& scale) const;
    // The duration (or any) label of a bar, right of `labelLeft`, else left of the bar, else inside;
    // returns the extent the bar and label take.
    std::pair<double, double> paintBarLabel(QPainter& p, const QString& label, const QRectF& bar, double labelLeft,
                                            const QRect& lane, const QColor& color) const;
    // A bar outside the time window: `what` written at the lane's end nearest to it; nullopt when on screen.
    std::optional<std::pair<double, double>> paintOffScreen(QPainter& p, TimeNs start, TimeNs end, const QString& what,
                                                            const QRect& lane, const TimeScale& scale) const;
    // A folded group's row: its band, a tick per call, the critical path, min / median / max.
    std::pair<double, double> paintGroupBand(QPainter& p, const RepeatGroup& group, const QRect& lane,
                                             const TimeScale& scale) const;
    void paintErrorFrame(QPainter& p, const QRectF& bar) const;
    void paintEvents(QPainter& p, const Span& s, const QRect& lane, const QRectF& bar, const TimeScale& scale,
                     const QColor& color) const;
    void paintCallout(QPainter& p, std::uint32_t span, const QRect& lane, std::pair<double, double> taken) const;
    void paintRangeNotes(QPainter& p, const QRect& area, const TimeScale& scale) const;
    // Where a range note's label covers no bar, duration or other label; nullopt when nowhere.
    std::optional<QRect> freeLabelSlot(const QRectF& band, int width, int height, const QRect& lanes,
                                       const std::vector<QRect>& taken) const;
    // Where the length of the range being selected is written on the ruler, when there is one.
    std::optional<QRectF> rangeSelectionLabel(const QFontMetrics& metrics, const QRect& ruler,
                                              const TimeScale& scale) const;
    void paintRangeMarks(QPainter& p, const QRect& ruler, int bottom, const TimeScale& scale,
                         const std::optional<QRectF>& selectionLabel) const;
    // The critical-path stretch stepped to with ] and [, framed on its bar (the window only).
    void paintSteppedSegment(QPainter& p, int firstRow, int width, int bottom, const TimeScale& scale) const;
    void paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                           const TimeScale& scale) const;
    // The critical stretches of spans first <= span < end, folded into pixels through the bar's middle.
    void paintFoldedCriticalPath(QPainter& p, std::uint32_t first, std::uint32_t end, const QRect& lane,
                                 const QRectF& bar, const TimeScale& scale, const QColor& ink) const;
    // A collapsed row's hidden descendants, folded into marks under its bar.
    void paintHiddenActivity(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                             const TimeScale& scale) const;
    const SubtreeActivity& hiddenActivity(std::uint32_t span, const TimeScale& scale) const;
    const TraceAnnotations& annotationIndex() const;
    std::uint32_t relativeDepth(std::uint32_t span) const; // below the focused subtree's root
    int indentOf(std::uint32_t span, int step) const;      // pixels
    RowCell rowCell(std::uint32_t span, int indent) const;
    QString rowTag(std::uint32_t span) const; // "+N" of a collapsed row, the fold tag of an unfolded group
    std::pair<QString, QString> rowNames(std::uint32_t span) const; // service and operation as shown

    const TraceViewState* m_state;
    QPalette m_palette;
    QFont m_font;
    QFont m_boldFont;   // service names
    QFont m_markerFont; // the glyphs in markers, depth and hidden counts
    bool m_dark = false;
    int m_rowHeight = 22;
    int m_rulerHeight = 26;
    int m_nameWidth = 420;
    bool m_paintsSelection = true;
    int m_indentFirst = -1; // -1: the rows painted
    int m_indentCount = 0;
    const TraceAnnotations* m_annotations = nullptr;
    const ScreenMarks* m_screen = nullptr;
    mutable std::vector<NoteHit> m_hits;
    mutable QRect m_hiddenNote;
    mutable std::vector<QRect> m_callouts;   // of the rows painted last, for range labels to avoid
    mutable std::vector<QRect> m_barExtents; // likewise: each bar with its duration label
    mutable std::unordered_map<std::uint32_t, SubtreeActivity> m_hiddenActivity; // by collapsed span
};

} // namespace spanwise
