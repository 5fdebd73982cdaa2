#pragma once
// Paints the spans table with any QPainter (a QGuiApplication is enough): the header, then the
// rows from a first one that fit, as the window's table shows them: column widths, the selected
// row, search matches, service swatches and error colours. The image export draws the table so.

#include "span_table_model.h"

#include <QFont>
#include <QPalette>
#include <QRect>

#include <vector>

class QPaintDevice;
class QPainter;

namespace spanwise {

class SpanTablePainter {
public:
    explicit SpanTablePainter(const SpanTableModel* model);

    void setPalette(const QPalette& palette);
    void setFont(const QFont& font);
    // Widths of the model's columns in pixels; columns without one fit their header and the rows painted.
    void setColumnWidths(std::vector<int> widths) { m_widths = std::move(widths); }
    void setFirstRow(int row) { m_firstRow = row; }
    // The selected span's row is highlighted (the default), or not.
    void setPaintsSelection(bool paints) { m_paintsSelection = paints; }

    // The widths the columns without a set one take for `rows` rows from the first: their header and text.
    std::vector<int> fittingColumnWidths(int rows) const { return columnWidths(rows, nullptr); }

    int rowHeight() const;
    int headerHeight() const;
    void paint(QPainter& painter, const QRect& area) const;

private:
    std::vector<int> columnWidths(int rows, QPaintDevice* device) const;

    const SpanTableModel* m_model;
    QPalette m_palette;
    QFont m_font;
    std::vector<int> m_widths;
    int m_firstRow = 0;
    bool m_paintsSelection = true;
};

} // namespace spanwise
