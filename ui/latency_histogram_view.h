#pragma once
// A latency histogram: one bar per log-spaced duration bucket, its height the bucket's count, on a
// logarithmic time axis with human-unit ticks, with the group's p50, p90 and p99 marked. Hovering a
// bar tells its range and count; clicking one selects it (again: unselects), as do the arrow keys.

#include <trace_statistics.h>

#include <QWidget>

namespace spanwise {

class LatencyHistogramView : public QWidget {
    Q_OBJECT
public:
    struct Marker {
        QString name; // "p99"
        TimeNs at = 0;
    };

    explicit LatencyHistogramView(QWidget* parent = nullptr);

    // Shows a histogram of `members` ("traces", "spans") with its markers; no bucket is selected.
    void setHistogram(LatencyHistogram histogram, std::vector<Marker> markers, const QString& members);
    const LatencyHistogram& histogram() const { return m_histogram; }

    int selectedBucket() const { return m_selected; } // -1 for none
    void selectBucket(int bucket);                    // -1 unselects
    int bucketAt(QPointF point) const;                // -1 for none: a point above a short bar is on it
    QRectF barRect(int bucket) const;                 // the bar as painted
    QRectF plotRect() const;                          // where the bars stand
    double xOf(TimeNs duration) const;                // on the time axis, clamped to it
    // "12.0 ms – 15.8 ms: 231 traces"
    QString bucketText(int bucket) const;
    QColor barColor() const;         // a bar's fill, in the widget's palette
    QColor selectedBarColor() const; // the selected bar's

    QSize sizeHint() const override { return {600, 220}; }
    QSize minimumSizeHint() const override { return {240, 140}; }

signals:
    void selectedBucketChanged(int bucket);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    int bucketCount() const { return static_cast<int>(m_histogram.counts.size()); }
    std::uint32_t maxCount() const;
    std::uint32_t countStep() const; // between the count axis's ticks
    int leftMargin() const;

    LatencyHistogram m_histogram;
    std::vector<Marker> m_markers;
    QString m_members;
    int m_selected = -1;
    int m_hovered = -1;
};

} // namespace spanwise
