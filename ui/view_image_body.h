#pragma once
// The picture of a trace's flame graph, operation graph or spans table for TraceImage: the view's own
// painter with the document palette and font, as tall as its content at the picture's width, and
// cut into slices for pages. TraceImage paints the header, the legend and the frame around it.

#include "flame_graph_painter.h"
#include "trace_view_state.h"

#include <operation_graph.h>

#include <QString>

#include <memory>
#include <vector>

class QPainter;
class QRect;

namespace spanwise {

class SpanTableModel;

// The views TraceImage draws, in the trace page's order.
enum class ImageView : std::uint8_t { Waterfall, FlameGraph, Graph, Spans };

struct ViewImageChoice {
    ImageView view = ImageView::Waterfall;
    FlameGraphPainter::Mode flameMode = FlameGraphPainter::Mode::Merged;
    FlameGraphPainter::Width flameWidth = FlameGraphPainter::Width::Total;
    std::uint32_t flameZoom = kNoIndex;    // Merged: the zoomed node of the merged tree
    std::uint32_t sandwichSpan = kNoIndex; // Sandwich: the operation of this span
    GraphMode graphMode = GraphMode::Operations;
    const SpanTableModel* table = nullptr; // the table as shown (sort, filter, columns); none: a new one
    std::vector<int> tableColumnWidths;    // of `table`'s columns; empty: fitting their text
    int tableFirstRow = 0;                 // the table's rows shown: tableRows of them from tableFirstRow, or (-1) all
    int tableRows = -1;                    // up to kMaxTableRows
};

// A piece of the body on one page: [from, to) of the body's own units (pixels of the flame graph
// and graph, rows of the table, which repeats its header on every page) and its painted height.
struct BodySlice {
    int from = 0;
    int to = 0;
    int height = 0;
};

class ViewImageBody {
public:
    // The rows of the spans table a picture holds (and a PNG of them stays under its height limit at
    // scale 1); more are counted in a line under it.
    static constexpr int kMaxTableRows = 1000;
    // The tallest graph, in logical pixels: a taller one is scaled down to fit.
    static constexpr int kMaxGraphHeight = 4000;

    virtual ~ViewImageBody() = default;
    // The body cut into slices no taller than the room on the first page, then on each later one
    // (but one row at least each); a single slice for an unlimited room.
    virtual std::vector<BodySlice> slices(int firstRoom, int room) const = 0;
    // A slice into area, as tall as the slice.
    virtual void paint(QPainter& p, const QRect& area, const BodySlice& slice) const = 0;
    // What the picture shows, for the header ("merged call paths, width = total time").
    virtual QString shown() const = 0;
};

// choice.view must not be the waterfall, which TraceImage paints itself.
std::unique_ptr<ViewImageBody> makeViewImageBody(TraceViewState* state, const ViewImageChoice& choice, int width,
                                                 bool dark);

QString imageViewName(ImageView view); // "waterfall", "flame graph", …

} // namespace spanwise
