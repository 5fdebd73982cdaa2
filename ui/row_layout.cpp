#include "row_layout.h"

#include <algorithm>

namespace spanwise {

RowLayout RowLayout::of(const RowCell& cell, int width)
{
    RowLayout l;
    l.arrowLeft = kLeftPad + cell.indent;
    l.chipLeft = l.arrowLeft + kArrowWidth;
    l.markersLeft = l.chipLeft + kChipAdvance;
    l.depthLeft = l.markersLeft + cell.markers * kMarkerAdvance;
    l.textLeft = l.depthLeft + (cell.depthLabel > 0 ? cell.depthLabel + kDepthPad : 0);
    const int right = width - kRightPad;
    l.hiddenLeft = right - cell.hiddenLabel;
    l.hiddenRight = right;
    l.textRight = std::max(l.textLeft, cell.hiddenLabel > 0 ? l.hiddenLeft - kNameGap : right);
    return l;
}

int RowLayout::naturalWidth(const RowCell& cell, int serviceWidth, int operationWidth)
{
    const RowLayout l = of(cell, 0);
    const int text = serviceWidth + kNameGap + operationWidth + 1; // advances are rounded
    return l.textLeft + text + (cell.hiddenLabel > 0 ? kNameGap + cell.hiddenLabel : 0) + kRightPad;
}

int RowLayout::serviceRoom(int operationMinimum) const
{
    const int room = textWidth();
    return std::max(room / 2, room - kNameGap - operationMinimum);
}

} // namespace spanwise
