#include "swatch_legend.h"

#include <QFontMetrics>
#include <QPainter>

namespace spanwise {

namespace {

constexpr int kSwatch = 10;
constexpr int kTextGap = 6;
constexpr int kEntryGap = 14;

int lineHeight(const QFontMetrics& metrics)
{
    return metrics.height() + 4;
}

struct Placed {
    QRect box;    // swatch and label
    QString text; // elided when needed
};

// Where each swatch goes, relative to the legend's top left.
std::vector<Placed> layout(const std::vector<Swatch>& swatches, const QFontMetrics& metrics, int width)
{
    std::vector<Placed> placed;
    const int line = lineHeight(metrics);
    const int textRoom = std::max(1, width - kSwatch - kTextGap);
    int x = 0;
    int y = 0;
    for (const Swatch& swatch : swatches) {
        const QString text = metrics.elidedText(swatch.text, Qt::ElideRight, textRoom);
        const int w = kSwatch + kTextGap + metrics.horizontalAdvance(text);
        if (x > 0 && x + w > width) {
            x = 0;
            y += line;
        }
        placed.push_back({QRect(x, y, w, line), text});
        x += w + kEntryGap;
    }
    return placed;
}

} // namespace

int swatchLegendHeight(const std::vector<Swatch>& swatches, const QFontMetrics& metrics, int width)
{
    const std::vector<Placed> placed = layout(swatches, metrics, width);
    return placed.empty() ? 0 : placed.back().box.bottom() + 1;
}

void paintSwatchLegend(QPainter& p, const std::vector<Swatch>& swatches, const QRect& area)
{
    const QFontMetrics metrics(p.font(), p.device());
    const std::vector<Placed> placed = layout(swatches, metrics, area.width());
    const QPen pen = p.pen();
    QColor faded = pen.color();
    faded.setAlpha(110);
    for (std::size_t i = 0; i < placed.size(); ++i) {
        const QRect box = placed[i].box.translated(area.topLeft());
        const QRect swatch(box.left(), box.top() + (box.height() - kSwatch) / 2, kSwatch, kSwatch);
        const QRect label = box.adjusted(kSwatch + kTextGap, 0, 0, 0);
        if (!swatches[i].off) {
            p.fillRect(swatch, QBrush(swatches[i].color, swatches[i].style));
            if (swatches[i].style != Qt::SolidPattern) {
                p.setPen(swatches[i].color);
                p.drawRect(swatch.adjusted(0, 0, -1, -1));
                p.setPen(pen);
            }
            p.drawText(label, Qt::AlignVCenter | Qt::AlignLeft, placed[i].text);
            continue;
        }
        p.setPen(QPen(swatches[i].color, 1));
        p.drawRect(swatch.adjusted(0, 0, -1, -1));
        p.setPen(faded);
        p.drawText(label, Qt::AlignVCenter | Qt::AlignLeft, placed[i].text);
        const int middle = label.center().y() + 1;
        p.drawLine(label.left(), middle, label.left() + metrics.horizontalAdvance(placed[i].text), middle);
        p.setPen(pen);
    }
}

std::vector<QRect> swatchLegendBoxes(const std::vector<Swatch>& swatches, const QFontMetrics& metrics, int width)
{
    std::vector<QRect> boxes;
    for (const Placed& placed : layout(swatches, metrics, width))
        boxes.push_back(placed.box);
    return boxes;
}

} // namespace spanwise
