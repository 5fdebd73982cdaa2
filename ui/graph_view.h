#pragma once
// The trace as a call graph: one node per operation or per service, an arrow per caller → callee
// pair, laid out by Graphviz and painted by GraphPainter. It opens at a readable scale (the whole
// graph when it fits so). Drag pans, the wheel zooms around the pointer, + and − zoom, 0 fits,
// 1 shows actual size, the arrow keys pan; a click selects the node's longest span, a double-click
// or Enter focuses on it. It follows the trace's view state: the selected span's node is framed, search
// matches are marked, a focused subtree is laid out alone. A graph of another source (a set's
// services) is shown in its one mode, to look at: pan, zoom and tooltips.

#include "graph_painter.h"

#include <QWidget>

class QToolButton;

namespace spanwise {

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(TraceViewState* state, QWidget* parent = nullptr);
    explicit GraphView(std::unique_ptr<GraphSource> source, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; } // null for another source
    const GraphPainter& painter() const { return m_painter; }
    void setMode(GraphMode mode);
    GraphMode mode() const { return m_painter.mode(); }
    QToolButton* operationsButton() const { return m_operations; }
    QToolButton* servicesButton() const { return m_services; }

    double zoom() const { return m_painter.view(rect()).scale; }
    // Zooms by factor (> 1 zooms in) keeping the widget point `anchor` over the same place.
    void zoomAround(double factor, QPointF anchor);
    void fitToView();
    void showOpening();                // painter().openingView(), again after every resize until moved
    void centreOn(std::uint32_t node); // at the current scale
    void panBy(QPointF delta);         // moves the graph by delta pixels
    QRectF nodeRect(std::uint32_t node) const { return m_painter.nodeRect(node, rect()); }
    std::uint32_t nodeAt(QPointF point) const { return m_painter.nodeAt(point, rect()); }

    static constexpr double kMinZoom = 0.02;
    static constexpr double kMaxZoom = 4.0;

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    GraphView(TraceViewState* state, GraphPainter painter, QWidget* parent);
    void rebuild(); // the focused range or the mode changed
    void revealSelection();
    void placeButtons();

    TraceViewState* m_state;
    GraphPainter m_painter;
    QToolButton* m_operations;
    QToolButton* m_services;
    QPoint m_pressPos;
    GraphPainter::View m_pressView;
    bool m_pressed = false;
    bool m_dragMoved = false;
};

} // namespace spanwise
