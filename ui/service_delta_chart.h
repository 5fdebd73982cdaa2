#pragma once
// Per service, how its self time and its critical-path time changed from A to B: diverging bars
// around a zero line, slower to the right in red, faster to the left in green.

#include <trace_diff.h>

#include <QWidget>

#include <memory>

namespace spanwise {

class ServiceDeltaChart : public QWidget {
    Q_OBJECT
public:
    explicit ServiceDeltaChart(std::shared_ptr<const TraceDiff> diff, QWidget* parent = nullptr);
    // Services with any change, largest first (by the larger of the two deltas).
    const std::vector<ServiceDelta>& rows() const { return m_rows; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    // Paints the chart into `area` of any device: the widget, or an exported image.
    void paintTo(QPainter& painter, const QRect& area) const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int headerLines(int width) const; // 2, or 3 when the legend needs a line of its own
    int titleWidth() const;            // with the gap after it
    int legendWidth() const;

    std::shared_ptr<const TraceDiff> m_diff;
    std::vector<ServiceDelta> m_rows;
    TimeNs m_largest = 1;
};

} // namespace spanwise
