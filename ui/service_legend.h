#pragma once
// The trace's services with their colours, in lines that wrap, above the waterfall. Painted with
// the widget's current palette, so a theme change recolours it as it does the bars.

#include "swatch_legend.h"

#include <QWidget>

namespace spanwise {

class TraceViewState;

class ServiceLegend : public QWidget {
    Q_OBJECT
public:
    explicit ServiceLegend(const TraceViewState* state, QWidget* parent = nullptr);

    std::vector<Swatch> swatches() const;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    const TraceViewState* m_state;
    std::vector<std::string_view> m_services; // a scan of every span: once
};

} // namespace spanwise
