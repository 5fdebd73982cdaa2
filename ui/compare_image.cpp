#include "compare_image.h"

#include "comparison.h"
#include "diff_tree_model.h"
#include "model_text.h"
#include "service_delta_chart.h"
#include "theme.h"
#include "trace_image.h"
#include "waterfall_painter.h"

#include <operation_name.h>

#include <QPainter>

#include <algorithm>
#include <climits>

namespace spanwise {

namespace {

using document::kGap;
using document::kMargin;
using document::kTextPixels;
using document::kTitlePixels;
using document::lineHeight;

constexpr int kCellPadding = 6;
const QString kSeparator = QStringLiteral("  ·  ");

// The page's colours for a slower and a faster B, a little lighter on a dark page.
QColor changeColor(TimeNs delta, bool dark)
{
    return delta > 0 ? theme::slower(dark) : theme::faster(dark);
}

} // namespace

CompareImage::CompareImage(const Comparison& comparison, CompareImageOptions options)
    : m_diff(comparison.sharedDiff()),
      m_model(comparison.model()), m_states{comparison.state(0), comparison.state(1)}, m_names{comparison.sideName(0),
                                                                                               comparison.sideName(1)},
      m_options(std::move(options))
{
    m_options.width = std::clamp(m_options.width, TraceImage::kMinWidth, TraceImage::kMaxWidth);
    m_options.tableRows = std::clamp(m_options.tableRows, 0, kMaxTableRows);
    if (!m_options.exportedAt.isValid())
        m_options.exportedAt = QDateTime::currentDateTimeUtc();
    for (std::uint32_t node : nodesByTotalDelta(*m_diff)) {
        if (m_diff->nodes[node].status == DiffStatus::Same)
            continue;
        if (m_tableNodes.size() < static_cast<std::size_t>(m_options.tableRows))
            m_tableNodes.push_back(node);
        else
            ++m_notShown;
    }

    const QPalette palette = TraceImage::documentPalette(m_options.dark);
    const QFont text = TraceImage::documentFont(kTextPixels);
    m_chart = std::make_unique<ServiceDeltaBars>(m_diff);
    m_chart->setPalette(palette);
    m_chart->setFont(text);

    // Columns as wide as their widest text (bold, as an added node's row is); the node takes the rest.
    const QFontMetrics bold(TraceImage::documentFont(kTextPixels, true));
    const auto widest = [&](int column, const QString& heading) {
        int w = bold.horizontalAdvance(heading);
        for (std::uint32_t node : m_tableNodes)
            w = std::max(w, bold.horizontalAdvance(m_model->indexOfNode(node, column).data().toString()));
        return w + 2 * kCellPadding;
    };
    m_columns.status = widest(DiffTreeModel::Status, QObject::tr("Status"));
    m_columns.count = widest(DiffTreeModel::Count, QObject::tr("Count A → B"));
    m_columns.total = widest(DiffTreeModel::Total, QObject::tr("Total A → B"));
    m_columns.delta = widest(DiffTreeModel::Delta, QObject::tr("Δ total"));
    m_columns.percent = widest(DiffTreeModel::DeltaPercent, QObject::tr("Δ %"));
    const int inner = m_options.width - 2 * kMargin;
    m_columns.node = std::max(inner / 4, inner - m_columns.status - m_columns.count - m_columns.total -
                                             m_columns.delta - m_columns.percent);

    m_node = m_options.waterfalls ? comparison.shownNode() : kNoIndex;
    if (m_node == kNoIndex)
        return;
    int nameWidth = 0;
    for (int side = 0; side < 2; ++side) {
        TraceViewState* state = m_states[side];
        auto waterfall = std::make_unique<WaterfallPainter>(state);
        waterfall->setPalette(palette);
        waterfall->setFont(text);
        waterfall->setPaintsSelection(false); // the node's spans are marked as the page marks them
        const int rows = static_cast<int>(state->rows().size());
        const int selectedRow = state->selected() == kNoIndex ? 0 : std::max(0, state->rowOf(state->selected()));
        m_firstRow[side] = std::clamp(selectedRow - 2, 0, rows);
        m_rowCount[side] = std::min(kWaterfallRows, rows - m_firstRow[side]);
        waterfall->setIndentRows(m_firstRow[side], m_rowCount[side]);
        nameWidth = std::max(nameWidth, waterfall->fittingNameColumnWidth(m_firstRow[side], m_rowCount[side]));
        m_waterfalls[side] = std::move(waterfall);
    }
    // One name column width: the page aligns both sides on one time scale, and so does the picture.
    for (const auto& waterfall : m_waterfalls)
        waterfall->setNameColumnWidth(std::clamp(nameWidth, 260, inner * 45 / 100));
}

CompareImage::~CompareImage() = default;

QString CompareImage::title() const
{
    const QString a = qstr(m_states[0]->data().rootLabel(m_states[0]->trace()));
    const QString b = qstr(m_states[1]->data().rootLabel(m_states[1]->trace()));
    return QObject::tr("Comparison: %1").arg(a == b ? a : QStringLiteral("%1 → %2").arg(a, b));
}

QString CompareImage::description() const
{
    return QObject::tr("Trace comparison exported by Spanwise");
}

DocumentPage CompareImage::singlePage() const
{
    return documentPage(layout(INT_MAX).front());
}

std::vector<DocumentPage> CompareImage::documentPages(int maxHeight) const
{
    std::vector<DocumentPage> pages;
    for (const Page& page : layout(maxHeight))
        pages.push_back(documentPage(page));
    return pages;
}

DocumentPage CompareImage::documentPage(const Page& page) const
{
    return {height(page), [this, page](QPainter& p) { paint(p, page); }};
}

std::vector<CompareImage::Page> CompareImage::layout(int maxHeight) const
{
    const int continuation = lineHeight(TraceImage::documentFont(kTextPixels)) + kGap;
    std::vector<Page> pages;
    Page current;
    int used = 2 * kMargin;
    const auto gap = [&] { return current.pieces.empty() ? 0 : kGap; };
    const auto fits = [&](const Piece& piece) { return gap() + height(piece) <= maxHeight - used; };
    const auto newPage = [&] {
        pages.push_back(std::move(current));
        current = {};
        used = 2 * kMargin + continuation;
    };
    // A piece that does not fit starts a page; alone on one, it may be taller than maxHeight.
    const auto place = [&](const Piece& piece) {
        if (!current.pieces.empty() && !fits(piece))
            newPage();
        used += gap() + height(piece);
        current.pieces.push_back(piece);
    };

    place({Part::Header});
    place({Part::Chart});
    const int rows = static_cast<int>(m_tableNodes.size());
    const int rowHeight = tableRowHeight();
    for (int row = 0;;) {
        const Piece rest{Part::Table, row, rows - row, true};
        if (fits(rest) || (current.pieces.empty() && row == rows)) {
            place(rest);
            break;
        }
        // The rows that fit, keeping the last one for the piece that says what is not shown.
        const int fit = std::min((maxHeight - used - gap() - height(Piece{Part::Table, row, 0, false})) / rowHeight,
                                 rows - row - 1);
        if (fit < 3 && !current.pieces.empty()) { // no page ends with a lone row or two
            newPage();
            continue;
        }
        const int count = std::max(fit, 1);
        place({Part::Table, row, count, false});
        row += count;
        newPage();
    }
    if (m_node != kNoIndex) {
        place({Part::Waterfall, 0});
        place({Part::Waterfall, 1});
    }
    pages.push_back(std::move(current));
    for (std::size_t i = 0; i < pages.size(); ++i) {
        pages[i].number = static_cast<int>(i) + 1;
        pages[i].count = static_cast<int>(pages.size());
    }
    return pages;
}

int CompareImage::height(const Page& page) const
{
    int h = 2 * kMargin;
    if (page.number > 1)
        h += lineHeight(TraceImage::documentFont(kTextPixels)) + kGap;
    for (std::size_t i = 0; i < page.pieces.size(); ++i)
        h += (i > 0 ? kGap : 0) + height(page.pieces[i]);
    return h;
}

int CompareImage::height(const Piece& piece) const
{
    switch (piece.part) {
    case Part::Header:
        return headerHeight();
    case Part::Chart:
        return m_chart->heightForWidth(520);
    case Part::Table: {
        const bool footer = piece.last && (m_notShown > 0 || m_tableNodes.empty());
        const bool columnHeadings = !m_tableNodes.empty();
        return lineHeight(TraceImage::documentFont(kTextPixels, true)) +
               ((columnHeadings ? 1 : 0) + piece.count + (footer ? 1 : 0)) * tableRowHeight();
    }
    case Part::Waterfall:
        return waterfallHeight(piece.first);
    }
    return 0;
}

int CompareImage::headerHeight() const
{
    return lineHeight(TraceImage::documentFont(kTitlePixels, true)) + 2 +
           4 * lineHeight(TraceImage::documentFont(kTextPixels));
}

int CompareImage::tableRowHeight() const
{
    return lineHeight(TraceImage::documentFont(kTextPixels)) + 4;
}

int CompareImage::waterfallHeight(int side) const
{
    const WaterfallPainter& view = *m_waterfalls[side];
    return lineHeight(TraceImage::documentFont(kTextPixels)) + 2 + view.rulerHeight() +
           m_rowCount[side] * view.rowHeight() + 2;
}

QStringList CompareImage::sideLines() const
{
    QStringList lines;
    for (int side = 0; side < 2; ++side) {
        const Trace& t = m_states[side]->trace();
        QStringList facts;
        facts << (side == 0 ? QStringLiteral("A  ") : QStringLiteral("B  ")) + m_names[side];
        facts << QObject::tr("trace %1").arg(qstr(toHex(t.id)));
        facts << QObject::tr("%1 spans").arg(t.count);
        facts << durationText(t.duration());
        lines << facts.join(kSeparator);
    }
    return lines;
}

void CompareImage::paint(QPainter& p, const Page& page) const
{
    const QPalette palette = TraceImage::documentPalette(m_options.dark);
    const int inner = m_options.width - 2 * kMargin;
    p.save();
    p.fillRect(QRect(0, 0, m_options.width, height(page)), palette.color(QPalette::Base));
    int y = kMargin;
    if (page.number > 1) {
        const QFont text = TraceImage::documentFont(kTextPixels);
        p.setFont(text);
        p.setPen(palette.color(QPalette::PlaceholderText));
        const QString line = QObject::tr("%1  ·  page %2 of %3").arg(title()).arg(page.number).arg(page.count);
        p.drawText(QRect(kMargin, y, inner, lineHeight(text)), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(text).elidedText(line, Qt::ElideMiddle, inner));
        y += lineHeight(text) + kGap;
    }
    for (std::size_t i = 0; i < page.pieces.size(); ++i) {
        const Piece& piece = page.pieces[i];
        if (i > 0)
            y += kGap;
        switch (piece.part) {
        case Part::Header:
            paintHeader(p, y, page.count);
            break;
        case Part::Chart:
            m_chart->paint(p, QRect(kMargin - 8, y, inner + 16, height(piece))); // the chart has its own margin
            break;
        case Part::Table:
            paintTable(p, piece, y);
            break;
        case Part::Waterfall:
            paintWaterfall(p, piece.first, y);
            break;
        }
        y += height(piece);
    }
    p.restore();
}

void CompareImage::paintHeader(QPainter& p, int y, int pageCount) const
{
    const QPalette palette = TraceImage::documentPalette(m_options.dark);
    const int inner = m_options.width - 2 * kMargin;
    const QFont titleFont = TraceImage::documentFont(kTitlePixels, true);
    p.setFont(titleFont);
    p.setPen(palette.color(QPalette::Text));
    p.drawText(QRect(kMargin, y, inner, lineHeight(titleFont)), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(titleFont).elidedText(title(), Qt::ElideRight, inner));
    y += lineHeight(titleFont) + 2;

    const QFont text = TraceImage::documentFont(kTextPixels);
    const QFont bold = TraceImage::documentFont(kTextPixels, true);
    const int line = lineHeight(text);
    const auto drawLine = [&](const QString& s) {
        p.drawText(QRect(kMargin, y, inner, line), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(p.font()).elidedText(s, Qt::ElideMiddle, inner));
        y += line;
    };
    p.setFont(text);
    p.setPen(palette.color(QPalette::Text));
    for (const QString& side : sideLines())
        drawLine(side);

    // "Duration +12.0 ms (+5.4%)", the change in the page's colours, then the nodes by status.
    const TimeNs delta = m_diff->durationB - m_diff->durationA;
    QString change = qstr(formatDurationDelta(delta));
    if (const std::optional<double> relative = relativeChange(m_diff->durationA, m_diff->durationB))
        change += QStringLiteral(" (%1%2%)")
                      .arg(*relative > 0 ? QStringLiteral("+") : QString())
                      .arg(*relative * 100, 0, 'f', 1);
    int x = kMargin;
    const auto run = [&](const QString& s, const QFont& font, const QColor& color) {
        p.setFont(font);
        p.setPen(color);
        const int w = QFontMetrics(font).horizontalAdvance(s);
        p.drawText(QRect(x, y, std::max(0, kMargin + inner - x), line), Qt::AlignLeft | Qt::AlignVCenter, s);
        x += w;
    };
    run(QObject::tr("Duration "), bold, palette.color(QPalette::Text));
    run(change, bold, delta == 0 ? palette.color(QPalette::Text) : changeColor(delta, m_options.dark));
    run(kSeparator + QObject::tr("%1 nodes: %2 changed, %3 added, %4 removed, %5 same")
                         .arg(m_diff->nodes.size())
                         .arg(m_diff->count(DiffStatus::Changed))
                         .arg(m_diff->count(DiffStatus::Added))
                         .arg(m_diff->count(DiffStatus::Removed))
                         .arg(m_diff->count(DiffStatus::Same)),
        text, palette.color(QPalette::Text));
    y += line;

    QStringList normalised;
    for (const std::string& n : normalisationNames(m_diff->normalisations))
        normalised << qstr(n);
    QStringList facts;
    facts << QObject::tr("names normalised: %1")
                 .arg(normalised.isEmpty() ? QObject::tr("none needed") : normalised.join(QStringLiteral(", ")));
    facts << QObject::tr("noise threshold: %1% and %2")
                 .arg(m_diff->options.relative * 100, 0, 'f', 0)
                 .arg(durationText(m_diff->options.absoluteNanos));
    facts << QObject::tr("exported %1")
                 .arg(m_options.exportedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    if (pageCount > 1)
        facts << QObject::tr("page 1 of %1").arg(pageCount);
    p.setFont(text);
    p.setPen(palette.color(QPalette::PlaceholderText));
    drawLine(facts.join(kSeparator));
}

QString CompareImage::compactPath(std::uint32_t node, const QFontMetrics& metrics, int width) const
{
    // The node's own text (with the model's + or − marker), then as many ancestors as fit, "… › " in
    // front of them when not all do.
    const QString separator = QStringLiteral(" › ");
    const QString cut = QStringLiteral("… › ");
    QString path = m_model->indexOfNode(node, DiffTreeModel::Node).data().toString();
    if (metrics.horizontalAdvance(path) > width)
        return metrics.elidedText(path, Qt::ElideRight, width);
    for (std::uint32_t p = m_diff->nodes[node].parent; p != kNoIndex; p = m_diff->nodes[p].parent) {
        QString longer = qstr(m_diff->nodes[p].label) + separator + path;
        const bool top = m_diff->nodes[p].parent == kNoIndex;
        if (metrics.horizontalAdvance(top ? longer : cut + longer) > width)
            return metrics.horizontalAdvance(cut + path) <= width ? cut + path : path;
        path = std::move(longer);
    }
    return path;
}

void CompareImage::paintTable(QPainter& p, const Piece& piece, int y) const
{
    const QPalette palette = TraceImage::documentPalette(m_options.dark);
    const int inner = m_options.width - 2 * kMargin;
    const QFont text = TraceImage::documentFont(kTextPixels);
    const QFont bold = TraceImage::documentFont(kTextPixels, true);

    const int titleLine = lineHeight(bold);
    p.setFont(bold);
    p.setPen(palette.color(QPalette::Text));
    const QString heading = piece.first == 0 ? QObject::tr("Largest changes, by |Δ total|")
                                             : QObject::tr("Largest changes (continued)");
    p.drawText(QRect(kMargin, y, inner, titleLine), Qt::AlignLeft | Qt::AlignVCenter, heading);
    if (piece.first == 0) {
        const std::size_t changed = m_tableNodes.size() + m_notShown;
        p.setFont(text);
        p.setPen(palette.color(QPalette::PlaceholderText));
        p.drawText(
            QRect(kMargin + QFontMetrics(bold).horizontalAdvance(heading), y, inner, titleLine),
            Qt::AlignLeft | Qt::AlignVCenter,
            kSeparator +
                (m_notShown == 0
                     ? QObject::tr("all %1 changed, added or removed nodes").arg(changed)
                     : QObject::tr("%1 of %2 changed, added or removed nodes").arg(m_tableNodes.size()).arg(changed)));
    }
    y += titleLine;

    struct Column {
        int column;
        int width;
        QString heading;
    };
    const Column columns[] = {{DiffTreeModel::Status, m_columns.status, QObject::tr("Status")},
                              {DiffTreeModel::Node, m_columns.node, QObject::tr("Node (path from the root)")},
                              {DiffTreeModel::Count, m_columns.count, QObject::tr("Count A → B")},
                              {DiffTreeModel::Total, m_columns.total, QObject::tr("Total A → B")},
                              {DiffTreeModel::Delta, m_columns.delta, QObject::tr("Δ total")},
                              {DiffTreeModel::DeltaPercent, m_columns.percent, QObject::tr("Δ %")}};
    const int rowHeight = tableRowHeight();
    const auto alignment = [](int column) {
        return (column >= DiffTreeModel::Count ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
    };

    int x = kMargin;
    if (!m_tableNodes.empty()) {
        p.setFont(bold);
        p.setPen(palette.color(QPalette::Text));
        for (const Column& c : columns) {
            p.drawText(QRect(x + kCellPadding, y, c.width - 2 * kCellPadding, rowHeight), alignment(c.column),
                       c.heading);
            x += c.width;
        }
        y += rowHeight;
        p.setPen(palette.color(QPalette::Mid));
        p.drawLine(kMargin, y - 1, kMargin + inner, y - 1);
    }

    for (int row = piece.first; row < piece.first + piece.count; ++row) {
        const std::uint32_t node = m_tableNodes[static_cast<std::size_t>(row)];
        if (row % 2 == 1)
            p.fillRect(QRect(kMargin, y, inner, rowHeight), palette.color(QPalette::AlternateBase));
        QFont font = text;
        if (const QVariant style = m_model->indexOfNode(node, DiffTreeModel::Node).data(Qt::FontRole);
            style.isValid()) {
            font.setItalic(style.value<QFont>().italic());
            font.setBold(style.value<QFont>().bold());
        }
        p.setFont(font);
        x = kMargin;
        for (const Column& c : columns) {
            const QModelIndex index = m_model->indexOfNode(node, c.column);
            const QRect cell(x, y, c.width, rowHeight);
            if (const QVariant background = index.data(Qt::BackgroundRole); background.isValid())
                p.fillRect(cell.adjusted(2, 1, -2, -1), background.value<QColor>());
            const QVariant foreground = index.data(Qt::ForegroundRole);
            p.setPen(foreground.isValid() ? foreground.value<QColor>() : palette.color(QPalette::Text));
            const QRect textArea = cell.adjusted(kCellPadding, 0, -kCellPadding, 0);
            const QString shown = c.column == DiffTreeModel::Node
                                      ? compactPath(node, QFontMetrics(font), textArea.width())
                                      : index.data().toString();
            p.drawText(textArea, alignment(c.column), shown);
            x += c.width;
        }
        y += rowHeight;
    }

    if (piece.last && (m_notShown > 0 || m_tableNodes.empty())) {
        p.setFont(text);
        p.setPen(palette.color(QPalette::PlaceholderText));
        const QString footer = m_tableNodes.empty()
                                   ? QObject::tr("No node changed beyond the noise threshold")
                                   : QObject::tr("%1 more changed, added or removed nodes not shown").arg(m_notShown);
        p.drawText(QRect(kMargin + kCellPadding, y, inner - 2 * kCellPadding, rowHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, footer);
    }
}

void CompareImage::paintWaterfall(QPainter& p, int side, int y) const
{
    const QPalette palette = TraceImage::documentPalette(m_options.dark);
    const int inner = m_options.width - 2 * kMargin;
    const TraceViewState* state = m_states[side];
    const DiffNode& node = m_diff->nodes[m_node];
    const bool present = (side == 0 ? node.a : node.b).count > 0;

    const QFont bold = TraceImage::documentFont(kTextPixels, true);
    const QFont text = TraceImage::documentFont(kTextPixels);
    const int line = lineHeight(text);
    const QString name = (side == 0 ? QStringLiteral("A  ") : QStringLiteral("B  ")) + m_names[side];
    p.setFont(bold);
    p.setPen(palette.color(QPalette::Text));
    p.drawText(QRect(kMargin, y, inner, line), Qt::AlignLeft | Qt::AlignVCenter, name);
    const int nameWidth = QFontMetrics(bold).horizontalAdvance(name);
    QStringList facts;
    facts << (present ? QObject::tr("%1 marked").arg(qstr(node.label))
                      : QObject::tr("%1 is not in %2: shown where it would be")
                            .arg(qstr(node.label), side == 0 ? QStringLiteral("A") : QStringLiteral("B")));
    facts << QObject::tr("rows %1 to %2 of %3")
                 .arg(m_firstRow[side] + 1)
                 .arg(m_firstRow[side] + m_rowCount[side])
                 .arg(state->rows().size());
    p.setFont(text);
    p.setPen(palette.color(QPalette::PlaceholderText));
    p.drawText(QRect(kMargin + nameWidth, y, inner - nameWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(text).elidedText(kSeparator + facts.join(kSeparator), Qt::ElideMiddle, inner - nameWidth));
    y += line + 2;

    const WaterfallPainter& view = *m_waterfalls[side];
    const QRect area =
        QRect(kMargin, y, inner, view.rulerHeight() + m_rowCount[side] * view.rowHeight() + 2).adjusted(1, 1, -1, -1);
    view.paint(p, area, m_firstRow[side], state->viewStart(), state->viewEnd());
    p.setPen(palette.color(QPalette::Mid));
    p.setBrush(Qt::NoBrush);
    p.drawRect(area.adjusted(-1, -1, 0, 0));
}

} // namespace spanwise
