#pragma once
// The whole trace in a strip above the waterfall: every span as a thin line, the current view
// outlined. Drag to select a time range, drag the outline's edges to adjust it, drag inside it
// to move it, double-click to see everything again.

#include "trace_view_state.h"

#include <QImage>
#include <QWidget>

namespace spanwise {

class Minimap : public QWidget {
    Q_OBJECT
public:
    explicit Minimap(TraceViewState* state, QWidget* parent = nullptr);
    QSize sizeHint() const override { return {400, 64}; }
    // Where the time axis starts within the widget (aligned with the waterfall's bars).
    void setAxisInset(int left, int right);
    double toX(TimeNs t) const;
    TimeNs toTime(double x) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void renderOverview(); // O(spans): only when the widget is resized or a service is hidden or shown
    QRectF viewRect() const;

    TraceViewState* m_state;
    QImage m_overview;
    std::vector<std::string_view> m_overviewHidden; // the services hidden when it was rendered
    int m_insetLeft = 0;
    int m_insetRight = 0;
    enum class Drag { None, Select, LeftEdge, RightEdge, Move } m_drag = Drag::None;
    double m_pressX = 0;
    double m_currentX = 0;
    TimeNs m_pressStart = 0;
    TimeNs m_pressEnd = 0;
};

} // namespace spanwise
