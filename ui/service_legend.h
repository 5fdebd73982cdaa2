#pragma once
// The trace's services with their colours, in lines that wrap, above the waterfall. Painted with
// the widget's current palette, so a theme change recolours it as it does the bars. A click on a
// service hides its spans from the waterfall, or shows them again; a hidden service is struck out.

#include "swatch_legend.h"

#include <QWidget>

namespace spanwise {

class TraceViewState;

class ServiceLegend : public QWidget {
    Q_OBJECT
public:
    explicit ServiceLegend(TraceViewState* state, QWidget* parent = nullptr);

    std::vector<Swatch> swatches() const;
    // Where a service's swatch and name are, in widget coordinates; empty for none.
    QRect serviceRect(std::string_view service) const;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    int serviceAt(const QPoint& pos) const; // index in m_services, -1 for none
    QRect area() const;                     // where the swatches go

    TraceViewState* m_state;
    std::vector<std::string_view> m_services; // a scan of every span: once
};

} // namespace spanwise
