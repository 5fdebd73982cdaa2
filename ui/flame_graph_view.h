#pragma once
// The flame graph of a trace: merged call paths (the default; width = total time, or self time on a
// toggle), the time-ordered icicle of every span, or the sandwich of the selected operation, root
// at the top. Follows the trace's view state: clicking a frame selects its (longest) span, the
// selected span's frame is outlined, search matches are marked, focus on a subtree shows only it.
// Double-click (or Enter) zooms into a merged frame, with a breadcrumb back (Backspace or Esc);
// in the icicle it focuses the span's subtree, as everywhere else. Painted by FlameGraphPainter.

#include "flame_graph_painter.h"
#include "trace_view_state.h"

#include <QWidget>

class QAbstractButton;
class QLabel;
class QScrollBar;

namespace spanwise {

class FlameGraphView : public QWidget {
    Q_OBJECT
public:
    explicit FlameGraphView(TraceViewState* state, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; }
    const FlameGraphPainter& painter() const { return m_painter; }
    // The widget the graph is painted on: positions of frames() are in its coordinates.
    QWidget* canvas() const { return m_canvas; }

    FlameGraphPainter::Mode mode() const { return m_painter.mode(); }
    void setMode(FlameGraphPainter::Mode mode);
    FlameGraphPainter::Width widthMetric() const { return m_painter.widthMetric(); }
    void setWidthMetric(FlameGraphPainter::Width width);

    // Merged: the frame filling the width (kNoIndex: the whole tree); out goes up one level.
    void zoomInto(std::uint32_t node);
    void zoomOut();
    QLabel* breadcrumb() const { return m_breadcrumb; }
    // The breadcrumb's links in order: "zoom:all", then "zoom:<node>" for each frame above the zoom.
    QStringList breadcrumbLinks() const { return m_links; }

    // Shows B's (this state's) merged tree compared with A (see FlameGraphPainter::setDifferential):
    // the mode and width toggles are hidden.
    void setDifferential(std::shared_ptr<const CallTreeDiff> diff);

    QAbstractButton* modeButton(FlameGraphPainter::Mode mode) const;
    QAbstractButton* selfTimeButton() const { return m_selfButton; }
    // The tooltip the canvas shows at a position ("" for none).
    QString toolTipAt(const QPoint& canvasPos) const;

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void canvasPressed(QMouseEvent* event);
    void canvasDoubleClicked(QMouseEvent* event);
    void canvasWheel(QWheelEvent* event);
    void updateBreadcrumb();
    void updateScrollBar();
    void refresh(); // scroll range, breadcrumb and a repaint

    TraceViewState* m_state;
    FlameGraphPainter m_painter;
    QWidget* m_canvas;
    QScrollBar* m_scrollBar;
    QLabel* m_breadcrumb;
    QAbstractButton* m_modeButtons[3] = {};
    QAbstractButton* m_selfButton;
    QStringList m_links;
    bool m_sandwichClick = false; // a click inside the sandwich selects without moving the sandwich
};

} // namespace spanwise
