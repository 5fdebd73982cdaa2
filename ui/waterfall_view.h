#pragma once
// The waterfall: the span tree on the left (names, indent guides, expand/collapse), one bar per
// span on a shared time axis on the right, a ruler on top. Custom painted: only visible rows
// cost anything, so a million spans scroll like twenty.

#include "time_scale.h"
#include "trace_view_state.h"

#include <annotations.h>
#include <subtree_activity.h>

#include <QAbstractScrollArea>
#include <QPointer>

#include <functional>
#include <optional>
#include <unordered_map>

class QLineEdit;
class QMenu;

namespace spanwise {

class AnnotationStore;
class KeyMotion;

class WaterfallView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit WaterfallView(TraceViewState* state, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; }
    int rowHeight() const { return m_rowHeight; }
    int rulerHeight() const { return m_rulerHeight; }
    int nameColumnWidth() const { return m_nameWidth; }
    void setNameColumnWidth(int width);
    TimeScale timeScale() const;
    // Row under a viewport position, -1 for the ruler or below the last row.
    int rowAt(int y) const;
    QRect barRect(std::uint32_t span) const; // viewport coordinates; empty when not on screen
    // Nearest: the least scrolling that shows the row (moving through the rows); Centre: the row in
    // the middle unless it is already well inside the view (a jump from elsewhere).
    enum class ScrollHint { Nearest, Centre };
    void scrollToSpan(std::uint32_t span, ScrollHint hint = ScrollHint::Nearest);
    void zoomToSpan(std::uint32_t span);
    // Paints the ruler and the rows from firstRow on that fit in `area`, laid out for the area's
    // width, over the time window [viewStart, viewEnd): the widget paints its viewport with it,
    // the image export its pages (on a hidden instance with a document palette and font).
    void paintTo(QPainter& painter, const QRect& area, int firstRow, TimeNs viewStart, TimeNs viewEnd) const;
    // Name column width that shows these rows' markers, service and operation names unelided.
    int fittingNameColumnWidth(int firstRow, int rowCount) const;
    // The selected row is highlighted (the default), or not (an exported picture).
    void setPaintsSelection(bool paints);
    // The ink of the critical path over the bars (also its swatch in an exported legend).
    static QColor criticalPathColor(bool darkBackground);
    // The rows whose depth sets the indentation: those painted (the default), or these, so that
    // the pages of an export indent alike.
    void setIndentRows(int firstRow, int rowCount);

    // Annotations drawn over the waterfall (notes, range bands, highlights); nullptr for none.
    void setAnnotations(AnnotationStore* store);
    AnnotationStore* annotations() const;
    // The time range selected by dragging on the ruler (absolute), for a range note.
    std::optional<std::pair<TimeNs, TimeNs>> rangeSelection() const { return m_rangeSelection; }
    void setRangeSelection(TimeNs start, TimeNs end);
    void clearRangeSelection();
    // Where a note's callout or a range note's label was last drawn on screen (empty if not shown).
    QRect annotationRect(std::uint64_t id) const;
    // The inline editor: adding a note to a span, a range note on the selected range, editing.
    void beginAddNote(std::uint32_t span);
    void beginAddRangeNote();
    void beginEditNote(std::uint64_t id);
    QLineEdit* noteEditor() const { return m_editor; }

signals:
    void spanActivated(std::uint32_t span); // Enter or double-click in the name column
    void geometryChanged();                 // name column or bar area moved

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateScrollBar();
    void updateFontMetrics();
    TimeScale timeScaleFor(int width, TimeNs viewStart, TimeNs viewEnd) const;
    void paintRuler(QPainter& p, const QRect& area, const std::vector<TimeTick>& ticks) const;
    void paintRow(QPainter& p, std::uint32_t span, int y, int width, const TimeScale& scale, int indentStep,
                  bool odd) const;
    void paintName(QPainter& p, std::uint32_t span, const QRect& cell, int indentStep) const;
    // Returns the horizontal extent a callout must not cover: the bar and its duration label (or
    // only the label, when it is inside the bar).
    std::pair<double, double> paintBar(QPainter& p, std::uint32_t span, const QRect& lane, const TimeScale& scale) const;
    void paintCallout(QPainter& p, std::uint32_t span, const QRect& lane, std::pair<double, double> taken) const;
    void paintRangeNotes(QPainter& p, const QRect& area, const TimeScale& scale) const;
    void paintRangeMarks(QPainter& p, const QRect& ruler, const TimeScale& scale) const;
    std::uint64_t annotationAt(const QPoint& pos) const; // a callout or range label; 0 for none
    const std::vector<const Annotation*>* notesOf(std::uint32_t span) const;
    void startEditor(const QRect& where, const QString& text, std::function<void(const QString&)> commit);
    void showAnnotationMenu(QMenu& menu, std::uint64_t id);
    void paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                           const TimeScale& scale) const;
    // A collapsed row's hidden descendants, folded into marks under its bar.
    void paintHiddenActivity(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                             const TimeScale& scale) const;
    const SubtreeActivity& hiddenActivity(std::uint32_t span, const TimeScale& scale) const;
    void moveSelection(int rowDelta);
    // A stepped critical segment: its row centred, zoomed to fit when too narrow to read.
    void revealCriticalSegment(std::size_t index);
    void paintSteppedSegment(QPainter& p) const; // the stretch stepped to, framed on its bar
    TimeNs zoomAnchor() const; // under the pointer when it is over the bars, else the middle
    bool onDivider(int x) const { return std::abs(x - m_nameWidth) <= 4; }
    int indentStep() const;                          // pixels per level for the rows on screen
    int indentStep(int firstRow, int rowCount) const; // for these rows
    std::uint32_t relativeDepth(std::uint32_t span) const; // below the focused subtree's root
    int indentOf(std::uint32_t span, int step) const;    // pixels
    bool darkTheme() const;

    TraceViewState* m_state;
    int m_rowHeight = 22;
    int m_rulerHeight = 26;
    int m_nameWidth = 420;
    QFont m_boldFont;   // service names
    QFont m_markerFont; // the glyphs in error and orphan markers
    bool m_paintsSelection = true;
    int m_indentFirst = -1; // -1: the rows painted
    int m_indentCount = 0;
    enum class Drag { None, Divider, Pan, RangeSelect, Note, RangeNote } m_drag = Drag::None;
    bool m_navigating = false; // selecting from this view's own input: scroll no more than needed
    KeyMotion* m_keyMotion;
    QPoint m_pressPos;
    TimeNs m_pressViewStart = 0;
    bool m_dragMoved = false;
    mutable std::unordered_map<std::uint32_t, SubtreeActivity> m_hiddenActivity; // by collapsed span

    QPointer<AnnotationStore> m_annotations;
    TraceAnnotations m_annotationIndex; // of this trace, rebuilt when the store changes
    std::optional<std::pair<TimeNs, TimeNs>> m_rangeSelection;
    TimeNs m_rangeAnchor = 0;
    std::uint64_t m_dragAnnotation = 0;
    TimeNs m_dragDelta = 0; // how far a range note being dragged has moved
    struct AnnotationHit {
        QRect rect;
        std::uint64_t id;
    };
    bool m_paintingScreen = false; // hits are recorded for the viewport, not for exported images
    mutable std::vector<AnnotationHit> m_hits;
    mutable std::vector<QRect> m_callouts; // of the rows painted last, for range labels to avoid
    QLineEdit* m_editor = nullptr;
    std::function<void(const QString&)> m_commit;
};

} // namespace spanwise
