#pragma once
// The trace list as a scatter plot: one dot per trace whose text matches the list's filter, x = start
// (UTC wall clock), y = duration (linear or log), red for traces with errors (drawn on top), the dot's
// area by span count, and the p50 / p95 / p99 of the durations shown as lines across. Hovering names a
// trace, a click opens it (a right-click offers it with the list's actions); dragging brushes a region, which filters
// the list to the dots inside (Esc or "Clear selection" resets it; dots outside are greyed). The list's selected rows
// are ringed. The dots are painted once into a layer, and found under the mouse through a grid, so thousands of them
// stay smooth.

#include "trace_scatter_filter.h"
#include "trace_scatter_math.h"

#include <QImage>
#include <QWidget>

#include <array>
#include <optional>

class QCheckBox;
class QToolButton;

namespace spanwise {

class TraceScatter : public QWidget {
    Q_OBJECT
public:
    explicit TraceScatter(TraceListFilter* filter, QWidget* parent = nullptr);

    bool logScale() const { return m_log; }
    void setLogScale(bool log);
    QCheckBox* logScaleButton() const { return m_logButton; }
    QToolButton* clearButton() const { return m_clearButton; }

    // Brushes the region between two points of the widget (the plot's edges when beyond them).
    void brushBetween(const QPointF& a, const QPointF& b);
    void clearBrush();

    // Rows of the list model to ring: the list's selection and its current row (-1 for none).
    void setSelectedRows(std::vector<int> sourceRows, int currentSourceRow);

    // The dots shown (the rows matching the filter text, brushed or not), and where one is: its centre
    // in this widget, nullopt when the row has no dot.
    int dotCount();
    std::optional<QPointF> dotPosition(int sourceRow);
    // The list model's row of the dot at a point of the widget, -1 for none.
    int rowAt(const QPointF& pos);
    int hoveredRow() const;
    QString toolTipFor(int sourceRow) const;
    QRectF plotRect();
    // "3,000 traces · 132 with errors · dot area: 1–12 spans", "75 of 400 traces in the selection · ...":
    // the line above the plot. The errors are counted in the selection when there is one.
    QString headline() const;
    // p50, p95 and p99 of the durations shown.
    std::array<TimeNs, 3> percentiles();
    // Builds what the next paint needs (dots, axes, the dots' layer) now; returns whether anything was.
    bool prepare();

signals:
    void traceOpened(spanwise::TraceRef trace);
    // A dot was clicked (before traceOpened): the list selects its row, or with Ctrl toggles it.
    void rowClicked(int sourceRow, Qt::KeyboardModifiers modifiers);
    // A context menu was asked for at a point (global), on a dot's row or on none (-1).
    void menuRequested(int sourceRow, const QPoint& globalPos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Dot {
        int row = 0; // in the list model
        TimeNs start = 0;
        TimeNs duration = 0;
        std::uint32_t spans = 0;
        bool error = false;
        bool inList = true; // inside the brush, or no brush
    };

    void invalidate();
    void collectDots();
    void layOut();
    void paintLayer();
    void placeControls();
    void setHovered(int dot, const QPoint& globalPos);
    QPointF dotCentre(const Dot& dot) const;
    QColor dotColor(const Dot& dot) const;

    TraceListFilter* m_filter;
    QCheckBox* m_logButton;
    QToolButton* m_clearButton;
    bool m_log = false;
    bool m_logChosen = false; // by the user: the data no longer picks the scale
    bool m_dirty = true;

    std::vector<Dot> m_dots;
    std::vector<int> m_dotOfRow;        // list row → index in m_dots, -1 without a dot
    std::vector<std::uint32_t> m_order; // the drawing order (index in m_dots); grid index i is m_order[i]
    std::vector<double> m_radius;       // per dot
    std::array<TimeNs, 3> m_percentiles = {};
    std::uint32_t m_minSpans = 0;
    std::uint32_t m_maxSpans = 0;
    std::size_t m_errorDots = 0; // among the dots in the list (inside the brush)
    std::size_t m_brushedDots = 0;

    TimeNs m_origin = 0; // x values are nanoseconds after it
    QRectF m_plot;       // the framed area
    ScatterAxis m_x;
    ScatterAxis m_y;
    std::vector<ScatterTick> m_xTicks;
    std::vector<ScatterTick> m_yTicks;
    DotGrid m_grid;
    QImage m_layer;

    std::vector<int> m_selectedRows;
    int m_currentRow = -1;
    int m_hovered = -1; // index in m_dots
    QPoint m_pressPos;
    int m_pressedDot = -1;
    bool m_dragging = false;
    QRectF m_band; // the rubber band being dragged
};

} // namespace spanwise
