#pragma once
// Colour swatches with their labels, in lines that wrap at a width: the critical-path chart's
// legend and the service legend of an exported image.

#include <QColor>
#include <QString>

#include <vector>

class QFontMetrics;
class QPainter;
class QRect;

namespace spanwise {

struct Swatch {
    QColor color;
    QString text;     // plain text
    bool off = false; // what it stands for is hidden: an empty swatch, the label faded and struck out
    Qt::BrushStyle style = Qt::SolidPattern; // a hatched one is outlined in its colour
};

// Height the swatches take at this width.
int swatchLegendHeight(const std::vector<Swatch>& swatches, const QFontMetrics& metrics, int width);
// Paints them from the area's top left, in the painter's font and pen; a label too long for a
// line of its own is elided.
void paintSwatchLegend(QPainter& painter, const std::vector<Swatch>& swatches, const QRect& area);
// Where each swatch and its label are, relative to the legend's top left: for clicks.
std::vector<QRect> swatchLegendBoxes(const std::vector<Swatch>& swatches, const QFontMetrics& metrics, int width);

} // namespace spanwise
