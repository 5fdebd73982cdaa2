#pragma once
// The waterfall: the span tree on the left (names, indent guides, expand/collapse), one bar per
// span on a shared time axis on the right, a ruler on top. Custom painted: only visible rows
// cost anything, so a million spans scroll like twenty.

#include "time_scale.h"
#include "trace_view_state.h"

#include <QAbstractScrollArea>

namespace spanwise {

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
    void scrollToSpan(std::uint32_t span);
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
    void paintBar(QPainter& p, std::uint32_t span, const QRect& lane, const TimeScale& scale) const;
    void paintCriticalPath(QPainter& p, std::uint32_t span, const QRect& lane, const QRectF& bar,
                           const TimeScale& scale) const;
    void moveSelection(int rowDelta);
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
    enum class Drag { None, Divider, Pan } m_drag = Drag::None;
    QPoint m_pressPos;
    TimeNs m_pressViewStart = 0;
    bool m_dragMoved = false;
};

} // namespace spanwise
