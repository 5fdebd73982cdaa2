#pragma once
// The name cell of a waterfall row, left to right: indentation, the expand arrow, the service's
// colour chip, markers (failed, orphan), the depth when the indentation cannot show it, the
// service and operation names, and at the right end the count of spans a collapsed row hides.
// One layout for painting, for measuring the width the names need and for hitting the arrow.
// Plain arithmetic on widths in pixels, so that it is tested without painting.

namespace spanwise {

struct RowCell {
    int indent = 0;           // pixels
    bool hasChildren = false; // an arrow is drawn (room for it is kept either way)
    int markers = 0;          // failed, orphan: one circle each
    int depthLabel = 0;       // width of the depth number, 0 when the indentation shows the depth
    int hiddenLabel = 0;      // width of the "+N" of a collapsed row (or the fold tag of a group), 0 for none
};

struct RowLayout {
    static constexpr int kLeftPad = 8;
    static constexpr int kArrowWidth = 14;
    static constexpr int kChipWidth = 4;
    static constexpr int kChipAdvance = 9;
    static constexpr int kMarkerSize = 13;
    static constexpr int kMarkerAdvance = 16;
    static constexpr int kDepthPad = 4;
    static constexpr int kRightPad = 6;
    static constexpr int kNameGap = 6; // between the service and the operation
    static constexpr int kOperationMinimumChars = 8;

    int arrowLeft = 0;
    int chipLeft = 0;
    int markersLeft = 0;
    int depthLeft = 0;
    int textLeft = 0;   // service, then operation
    int textRight = 0;  // exclusive
    int hiddenLeft = 0; // the "+N", right-aligned to the cell's end
    int hiddenRight = 0;

    // Laid out in a cell [0, width).
    static RowLayout of(const RowCell& cell, int width);
    // The width that shows the service and operation without eliding them.
    static int naturalWidth(const RowCell& cell, int serviceWidth, int operationWidth);
    // Indentation guide x for an ancestor level, given the pixels per level.
    static int guideX(int level, int step) { return kLeftPad + level * step + 6; }

    bool onArrow(int x) const { return x >= arrowLeft && x < arrowLeft + kArrowWidth; }
    bool onHiddenLabel(int x) const { return x >= hiddenLeft && x < hiddenRight; }
    int textWidth() const { return textRight - textLeft; }
    // Room for the service name: what the operation's `operationMinimum` pixels leave, but at
    // least half the text room.
    int serviceRoom(int operationMinimum) const;
};

} // namespace spanwise
