#pragma once
// One stacked bar: the trace's critical-path time split by service, largest first, with a legend.
// CriticalPathBar paints it with any QPainter (an exported image); CriticalPathChart shows it in
// the window.

#include "trace_view_state.h"

#include <QFont>
#include <QPalette>
#include <QWidget>

#include <vector>

namespace spanwise {

struct Swatch;

class CriticalPathBar {
public:
    explicit CriticalPathBar(const TraceViewState* state);
    struct Part {
        StringId service;
        TimeNs nanos;
    };
    const std::vector<Part>& parts() const { return m_parts; }
    void setPalette(const QPalette& palette) { m_palette = palette; }
    void setFont(const QFont& font) { m_font = font; }
    int heightForWidth(int width) const;
    // Paints the chart, laid out for the area's width.
    void paint(QPainter& painter, const QRect& area) const;

private:
    std::vector<Swatch> legend() const;
    const TraceViewState* m_state;
    std::vector<Part> m_parts;
    TimeNs m_total = 0;
    QPalette m_palette;
    QFont m_font;
};

class CriticalPathChart : public QWidget {
    Q_OBJECT
public:
    explicit CriticalPathChart(const TraceViewState* state, QWidget* parent = nullptr);
    const CriticalPathBar& bar() const { return m_bar; }
    QSize sizeHint() const override;
    int heightForWidth(int width) const override { return m_bar.heightForWidth(width); }
    bool hasHeightForWidth() const override { return true; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    CriticalPathBar m_bar;
};

} // namespace spanwise
