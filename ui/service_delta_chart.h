#pragma once
// Per service, how its self time and its critical-path time changed from A to B: diverging bars
// around a zero line, slower to the right in red, faster to the left in green. ServiceDeltaBars
// paints them with any QPainter (an exported image); ServiceDeltaChart shows them in the window.

#include <trace_diff.h>

#include <QFont>
#include <QPalette>
#include <QWidget>

#include <memory>

namespace spanwise {

class ServiceDeltaBars {
public:
    explicit ServiceDeltaBars(std::shared_ptr<const TraceDiff> diff);
    // Services with any change, largest first (by the larger of the two deltas).
    const std::vector<ServiceDelta>& rows() const { return m_rows; }
    void setPalette(const QPalette& palette) { m_palette = palette; }
    void setFont(const QFont& font) { m_font = font; }
    int heightForWidth(int width) const;
    // The legend on a line of its own, and the bars with their labels each side.
    QSize minimumSize() const;
    // Paints the chart into `area`.
    void paint(QPainter& painter, const QRect& area) const;

private:
    int headerLines(int width) const; // 2, or 3 when the legend needs a line of its own
    int titleWidth() const;           // with the gap after it
    int legendWidth() const;

    std::shared_ptr<const TraceDiff> m_diff;
    std::vector<ServiceDelta> m_rows;
    TimeNs m_largest = 1;
    QPalette m_palette;
    QFont m_font;
};

class ServiceDeltaChart : public QWidget {
    Q_OBJECT
public:
    explicit ServiceDeltaChart(std::shared_ptr<const TraceDiff> diff, QWidget* parent = nullptr);
    const ServiceDeltaBars& bars() const { return m_bars; }
    const std::vector<ServiceDelta>& rows() const { return m_bars.rows(); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return m_bars.minimumSize(); }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return m_bars.heightForWidth(width); }

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    ServiceDeltaBars m_bars;
};

} // namespace spanwise
