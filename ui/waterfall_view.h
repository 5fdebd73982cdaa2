#pragma once
// The waterfall: the span tree on the left (names, indent guides, expand/collapse), one bar per
// span on a shared time axis on the right, a ruler on top. Painted by WaterfallPainter, so only
// visible rows cost anything and a million spans scroll like twenty; annotations are handled by
// its AnnotationOverlay.

#include "annotation_overlay.h"
#include "time_scale.h"
#include "trace_view_state.h"
#include "waterfall_painter.h"

#include <QAbstractScrollArea>

#include <optional>

class QLineEdit;

namespace spanwise {

class AnnotationStore;
class KeyMotion;

// The key that does the same from the window, shown beside a context menu's action.
QAction* withKey(QAction* action, const QKeySequence& key);

class WaterfallView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit WaterfallView(TraceViewState* state, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; }
    const WaterfallPainter& painter() const { return m_painter; }
    int rowHeight() const { return m_painter.rowHeight(); }
    int rulerHeight() const { return m_painter.rulerHeight(); }
    int nameColumnWidth() const { return m_painter.nameColumnWidth(); }
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

    // Annotations drawn over the waterfall (notes, range bands, highlights); nullptr for none.
    void setAnnotations(AnnotationStore* store) { m_overlay->setStore(store); }
    AnnotationStore* annotations() const { return m_overlay->store(); }
    AnnotationOverlay* annotationOverlay() const { return m_overlay; }
    // The time range selected by dragging on the ruler (absolute), for a range note.
    std::optional<std::pair<TimeNs, TimeNs>> rangeSelection() const { return m_overlay->rangeSelection(); }
    void setRangeSelection(TimeNs start, TimeNs end) { m_overlay->setRangeSelection(start, end); }
    // Where a note's callout or a range note's label was last drawn on screen (empty if not shown).
    QRect annotationRect(std::uint64_t id) const { return m_overlay->annotationRect(id); }
    void beginAddNote(std::uint32_t span) { m_overlay->beginAddNote(span); }
    void beginAddRangeNote() { m_overlay->beginAddRangeNote(); }
    void beginEditNote(std::uint64_t id) { m_overlay->beginEditNote(id); }
    QLineEdit* noteEditor() const { return m_overlay->editor(); }

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
    void moveSelection(int rowDelta);
    // A stepped critical segment: its row centred, zoomed to fit when too narrow to read.
    void revealCriticalSegment(std::size_t index);
    void panToSpan(std::uint32_t span); // its bar into the time window, when out of it
    TimeNs zoomAnchor() const;          // under the pointer when it is over the bars, else the middle
    bool onDivider(int x) const { return std::abs(x - nameColumnWidth()) <= 4; }
    int indentStep() const; // pixels per level for the rows on screen
    QString spanToolTip(std::uint32_t span, const QPoint& pos) const;
    QString groupToolTip(const RepeatGroup& group) const;
    QString hiddenToolTip() const; // what the "n spans hidden" note stands for
    QString eventsToolTip(std::uint32_t span, const std::vector<std::uint32_t>& events) const;

    TraceViewState* m_state;
    WaterfallPainter m_painter;
    AnnotationOverlay* m_overlay;
    bool m_nameWidthChosen = false; // by dragging the divider or by the code that shows the view
    enum class Drag { None, Divider, Pan } m_drag = Drag::None;
    bool m_navigating = false; // selecting from this view's own input: scroll no more than needed
    KeyMotion* m_keyMotion;
    QPoint m_pressPos;
    TimeNs m_pressViewStart = 0;
    bool m_dragMoved = false;
};

} // namespace spanwise
