#include "view_image_body.h"

#include "graph_painter.h"
#include "span_table_model.h"
#include "span_table_painter.h"
#include "theme.h"
#include "trace_image.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

using document::kTextPixels;

// Slices of a body painted in pixels, cut after whole rows of rowHeight.
std::vector<BodySlice> pixelSlices(int height, int rowHeight, int firstRoom, int room)
{
    std::vector<BodySlice> slices;
    int from = 0;
    do {
        const int space = slices.empty() ? firstRoom : room;
        const int rows = std::max(1, space / rowHeight);
        const int to = space >= height - from ? height : std::min(height, from + rows * rowHeight);
        slices.push_back({from, to, to - from});
        from = to;
    } while (from < height);
    return slices;
}

class FlameBody : public ViewImageBody {
public:
    FlameBody(TraceViewState* state, const ViewImageChoice& choice, bool dark) : m_painter(state)
    {
        m_painter.setPalette(TraceImage::documentPalette(dark));
        m_painter.setFont(TraceImage::documentFont(kTextPixels));
        m_painter.setPaintsSelection(false);
        m_painter.setMode(choice.flameMode);
        m_painter.setWidthMetric(choice.flameWidth);
        if (choice.flameMode == FlameGraphPainter::Mode::Sandwich)
            m_painter.setSandwichSpan(choice.sandwichSpan != kNoIndex ? choice.sandwichSpan : state->selected());
        if (choice.flameZoom < m_painter.tree().nodes.size())
            m_painter.setZoomNode(choice.flameZoom);
    }

    std::vector<BodySlice> slices(int firstRoom, int room) const override
    {
        return pixelSlices(std::max(m_painter.rowHeight(), m_painter.contentHeight()), m_painter.rowHeight(), firstRoom,
                           room);
    }

    void paint(QPainter& p, const QRect& area, const BodySlice& slice) const override
    {
        m_painter.setVerticalOffset(slice.from);
        m_painter.paint(p, area);
    }

    QString shown() const override
    {
        switch (m_painter.mode()) {
        case FlameGraphPainter::Mode::Icicle:
            return QObject::tr("time-ordered icicle");
        case FlameGraphPainter::Mode::Sandwich:
            return m_painter.sandwich() ? QObject::tr("sandwich of %1").arg(m_painter.sandwichLabel())
                                        : QObject::tr("sandwich (no operation selected)");
        case FlameGraphPainter::Mode::Merged:
            break;
        }
        QString text = m_painter.widthMetric() == FlameGraphPainter::Width::Total
                           ? QObject::tr("merged call paths, width = total time")
                           : QObject::tr("merged call paths, width = self time");
        const std::uint32_t zoom = m_painter.zoomNode();
        if (zoom != kNoIndex)
            text += QObject::tr(", zoomed into %1")
                        .arg(QString::fromStdString(m_painter.tree().labels[m_painter.tree().nodes[zoom].label]));
        return text;
    }

private:
    mutable FlameGraphPainter m_painter; // scrolled to each slice
};

class GraphBody : public ViewImageBody {
public:
    GraphBody(TraceViewState* state, const ViewImageChoice& choice, int width, bool dark) : m_painter(state)
    {
        m_painter.setPalette(TraceImage::documentPalette(dark));
        m_painter.setFont(TraceImage::documentFont(kTextPixels));
        m_painter.setPaintsSelection(false);
        m_painter.setMode(choice.graphMode);
        // The layout scaled down to the width (fitting never enlarges it), its margins (fittedView's) kept.
        const QRectF bounds = m_painter.geometry().bounds;
        const double scale = bounds.isEmpty() ? 1.0 : std::min(1.0, (width - 32) / bounds.width());
        const int graph = bounds.isEmpty() ? 4 * m_painter.headerHeight()
                                           : static_cast<int>(std::ceil(bounds.height() * scale)) + 32;
        m_height = m_painter.headerHeight() + std::min(graph, kMaxGraphHeight);
    }

    std::vector<BodySlice> slices(int firstRoom, int room) const override
    {
        return pixelSlices(m_height, 1, firstRoom, room);
    }

    void paint(QPainter& p, const QRect& area, const BodySlice& slice) const override
    {
        p.save();
        p.setClipRect(area, Qt::IntersectClip);
        m_painter.paint(p, QRect(area.left(), area.top() - slice.from, area.width(), m_height));
        p.restore();
    }

    QString shown() const override
    {
        // The graph's mode: operations may have been too many and shown by service.
        return m_painter.graph().mode == GraphMode::Operations ? QObject::tr("graph of operations")
                                                               : QObject::tr("graph of services");
    }

private:
    GraphPainter m_painter;
    int m_height = 0;
};

class TableBody : public ViewImageBody {
public:
    TableBody(TraceViewState* state, const ViewImageChoice& choice, bool dark)
        : m_own(choice.table ? nullptr : std::make_unique<SpanTableModel>(state)),
          m_model(choice.table ? choice.table : m_own.get()), m_painter(m_model), m_dark(dark)
    {
        const QPalette palette = TraceImage::documentPalette(dark);
        if (m_own)
            m_own->setPalette(palette);
        m_painter.setPalette(palette);
        m_painter.setFont(TraceImage::documentFont(kTextPixels));
        m_painter.setPaintsSelection(false);
        m_first = std::clamp(choice.tableFirstRow, 0, m_model->rowCount());
        m_rows = std::min(
            {m_model->rowCount() - m_first, kMaxTableRows, choice.tableRows < 0 ? kMaxTableRows : choice.tableRows});
        m_capped = m_rows == kMaxTableRows && m_model->rowCount() - m_first > kMaxTableRows;
        m_painter.setFirstRow(m_first);
        m_painter.setColumnWidths(choice.tableColumnWidths.empty() ? m_painter.fittingColumnWidths(m_rows)
                                                                   : choice.tableColumnWidths);
    }

    std::vector<BodySlice> slices(int firstRoom, int room) const override
    {
        const int header = m_painter.headerHeight();
        const int rowHeight = m_painter.rowHeight();
        const int note = hiddenRows() > 0 ? rowHeight : 0;
        std::vector<BodySlice> slices;
        const int end = m_first + m_rows;
        int row = m_first;
        do {
            const int space = (slices.empty() ? firstRoom : room) - header;
            int rows = std::min(end - row, std::max(1, space / rowHeight));
            if (row + rows == end && rows * rowHeight + note > space && rows > 1)
                --rows; // the note goes with the last row
            slices.push_back({row, row + rows, header + rows * rowHeight});
            row += rows;
        } while (row < end);
        slices.back().height += note;
        return slices;
    }

    void paint(QPainter& p, const QRect& area, const BodySlice& slice) const override
    {
        SpanTablePainter painter = m_painter;
        painter.setFirstRow(slice.from);
        const int rowHeight = m_painter.rowHeight();
        const QRect rows(area.left(), area.top(), area.width(),
                         m_painter.headerHeight() + (slice.to - slice.from) * rowHeight);
        painter.paint(p, rows);
        if (slice.to == m_first + m_rows && hiddenRows() > 0) {
            const QPalette palette = TraceImage::documentPalette(m_dark);
            p.save();
            p.setFont(TraceImage::documentFont(kTextPixels));
            p.setPen(palette.color(QPalette::PlaceholderText));
            p.drawText(QRect(area.left() + 6, rows.bottom() + 1, area.width() - 12, rowHeight),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       m_capped ? QObject::tr("%L1 more rows not shown (a picture holds at most %L2)")
                                      .arg(hiddenRows())
                                      .arg(kMaxTableRows)
                                : QObject::tr("%L1 more rows not shown").arg(hiddenRows()));
            p.restore();
        }
    }

    QString shown() const override
    {
        QString text = QObject::tr("spans table of %L1 rows").arg(m_model->rowCount());
        if (m_model->sortColumn() >= 0)
            text += QObject::tr(" sorted by %1")
                        .arg(m_model->headerData(m_model->sortColumn(), Qt::Horizontal).toString().toLower());
        if (!m_model->filter().empty())
            text += QObject::tr(", filtered");
        return text;
    }

private:
    int hiddenRows() const { return m_model->rowCount() - m_rows; } // before and after those shown

    std::unique_ptr<SpanTableModel> m_own;
    const SpanTableModel* m_model;
    SpanTablePainter m_painter;
    bool m_dark;
    int m_first = 0;
    int m_rows = 0;
    bool m_capped = false; // by kMaxTableRows
};

} // namespace

std::unique_ptr<ViewImageBody> makeViewImageBody(TraceViewState* state, const ViewImageChoice& choice, int width,
                                                 bool dark)
{
    switch (choice.view) {
    case ImageView::FlameGraph:
        return std::make_unique<FlameBody>(state, choice, dark);
    case ImageView::Graph:
        return std::make_unique<GraphBody>(state, choice, width, dark);
    case ImageView::Spans:
        return std::make_unique<TableBody>(state, choice, dark);
    case ImageView::Waterfall:
        break;
    }
    return nullptr;
}

QString imageViewName(ImageView view)
{
    switch (view) {
    case ImageView::Waterfall:
        return QObject::tr("waterfall");
    case ImageView::FlameGraph:
        return QObject::tr("flame graph");
    case ImageView::Graph:
        return QObject::tr("graph");
    case ImageView::Spans:
        return QObject::tr("spans table");
    }
    return {};
}

} // namespace spanwise
