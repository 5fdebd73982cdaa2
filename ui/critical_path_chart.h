#pragma once
// One stacked bar: the trace's critical-path time split by service, largest first, with a legend.

#include "trace_view_state.h"

#include <QWidget>

#include <vector>

namespace spanwise {

struct Swatch;

class CriticalPathChart : public QWidget {
    Q_OBJECT
public:
    explicit CriticalPathChart(const TraceViewState* state, QWidget* parent = nullptr);
    struct Part {
        StringId service;
        TimeNs nanos;
    };
    const std::vector<Part>& parts() const { return m_parts; }
    QSize sizeHint() const override;
    int heightForWidth(int width) const override;
    bool hasHeightForWidth() const override { return true; }
    // Paints the chart, laid out for the area's width (the widget, or an exported image).
    void paint(QPainter& painter, const QRect& area) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    std::vector<Swatch> legend() const;
    const TraceViewState* m_state;
    std::vector<Part> m_parts;
    TimeNs m_total = 0;
};

} // namespace spanwise
