#include "span_table_painter.h"

#include "theme.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>

namespace spanwise {

namespace {

constexpr int kPadding = 6;

} // namespace

SpanTablePainter::SpanTablePainter(const SpanTableModel* model) : m_model(model) {}

void SpanTablePainter::setPalette(const QPalette& palette)
{
    m_palette = palette;
}

void SpanTablePainter::setFont(const QFont& font)
{
    m_font = font;
}

int SpanTablePainter::rowHeight() const
{
    return QFontMetrics(m_font).height() + 6;
}

int SpanTablePainter::headerHeight() const
{
    return QFontMetrics(m_font).height() + 10;
}

std::vector<int> SpanTablePainter::columnWidths(int rows, QPaintDevice* device) const
{
    const QFontMetrics metrics(m_font, device);
    QFont bold = m_font;
    bold.setBold(true);
    const QFontMetrics headerMetrics(bold, device);
    std::vector<int> widths(static_cast<std::size_t>(m_model->columnCount()));
    for (int column = 0; column < m_model->columnCount(); ++column) {
        const auto c = static_cast<std::size_t>(column);
        if (c < m_widths.size() && m_widths[c] > 0) {
            widths[c] = m_widths[c];
            continue;
        }
        // A few pixels to spare, for the header and the rows: eliding measures a little wider than
        // horizontalAdvance.
        int width = headerMetrics.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + 4;
        for (int row = m_firstRow; row < m_firstRow + rows; ++row)
            width = std::max(width, metrics.horizontalAdvance(m_model->text(row, column)) + 4);
        if (column == SpanTableModel::Service)
            width += metrics.height();
        widths[c] = std::min(width, metrics.averageCharWidth() * 40) + 2 * kPadding;
    }
    return widths;
}

void SpanTablePainter::paint(QPainter& painter, const QRect& area) const
{
    painter.save();
    painter.setFont(m_font);
    painter.setClipRect(area);
    painter.fillRect(area, m_palette.base());
    // Measured on the device: an image's resolution may not be the screen's.
    const QFontMetrics metrics(m_font, painter.device());
    const int rowH = rowHeight();
    const int headerH = headerHeight();
    const int rows = std::clamp((area.height() - headerH + rowH - 1) / rowH, 0,
                                std::max(0, m_model->rowCount() - m_firstRow));
    const std::vector<int> widths = columnWidths(rows, painter.device());
    const bool dark = hasDarkBase(m_palette);
    const TraceViewState* state = m_model->state();

    // The header.
    const QRect header(area.left(), area.top(), area.width(), headerH);
    painter.fillRect(header, m_palette.button());
    painter.setPen(m_palette.color(QPalette::Mid));
    painter.drawLine(header.bottomLeft(), header.bottomRight());
    int x = area.left();
    for (int column = 0; column < m_model->columnCount() && x < area.right(); ++column) {
        const int width = widths[static_cast<std::size_t>(column)];
        const QRect cell(x + kPadding, header.top(), width - 2 * kPadding, headerH);
        const auto align = Qt::Alignment(m_model->headerData(column, Qt::Horizontal, Qt::TextAlignmentRole).toInt());
        QFont bold = m_font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(m_palette.color(QPalette::ButtonText));
        painter.drawText(
            cell, static_cast<int>(align),
            QFontMetrics(bold, painter.device())
                .elidedText(m_model->headerData(column, Qt::Horizontal).toString(), Qt::ElideRight, cell.width()));
        painter.setFont(m_font);
        painter.setPen(m_palette.color(QPalette::Mid));
        painter.drawLine(x + width - 1, header.top() + 3, x + width - 1, header.bottom() - 3);
        x += width;
    }

    // The rows.
    for (int i = 0; i < rows; ++i) {
        const int row = m_firstRow + i;
        const std::uint32_t span = m_model->spanAt(row);
        const QRect line(area.left(), header.bottom() + 1 + i * rowH, area.width(), rowH);
        const bool selected = m_paintsSelection && span == state->selected();
        if (selected)
            painter.fillRect(line, m_palette.highlight());
        else if (state->isSearchMatch(span))
            painter.fillRect(line, theme::searchMatch(dark));
        else if (i % 2 == 1)
            painter.fillRect(line, m_palette.alternateBase());
        x = area.left();
        for (int column = 0; column < m_model->columnCount() && x < area.right(); ++column) {
            const int width = widths[static_cast<std::size_t>(column)];
            QRect cell(x + kPadding, line.top(), width - 2 * kPadding, rowH);
            x += width;
            const QModelIndex index = m_model->index(row, column);
            if (column == SpanTableModel::Service) {
                const int swatch = metrics.ascent() - 2;
                const std::string_view service = state->data().str(state->data().spans[span].service);
                painter.fillRect(QRect(cell.left(), cell.center().y() - swatch / 2, swatch, swatch),
                                 state->serviceColors().color(service, dark));
                cell.setLeft(cell.left() + swatch + 4);
            }
            painter.setPen(selected                           ? m_palette.color(QPalette::HighlightedText)
                           : column == SpanTableModel::Errors ? theme::error(dark)
                                                              : m_palette.color(QPalette::Text));
            const auto align = Qt::Alignment(m_model->data(index, Qt::TextAlignmentRole).toInt());
            painter.drawText(cell, static_cast<int>(align),
                             metrics.elidedText(m_model->text(row, column), Qt::ElideRight, cell.width()));
        }
    }
    painter.restore();
}

} // namespace spanwise
