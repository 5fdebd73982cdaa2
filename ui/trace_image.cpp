#include "trace_image.h"

#include "annotation_store.h"
#include "critical_path_chart.h"
#include "model_text.h"
#include "service_palette.h"
#include "swatch_legend.h"
#include "waterfall_painter.h"

#include <QFontInfo>
#include <QGuiApplication>
#include <QPainter>

#include <climits>

namespace spanwise {

namespace {

using document::kGap;
using document::kMargin;
using document::kTextPixels;
using document::kTitlePixels;
using document::lineHeight;

QString offset(TimeNs ns)
{
    return ns == 0 ? QStringLiteral("0") : ns < 0 ? QStringLiteral("−") + durationText(-ns) : durationText(ns);
}

// "1 span", "3 spans": the export has no translations loaded to pick plurals.
QString counted(std::uint64_t n, const char* one, const char* many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

std::vector<Swatch> traceLegend(const TraceViewState* state, bool dark)
{
    std::vector<Swatch> swatches;
    for (std::string_view service : state->services())
        swatches.push_back(
            {state->serviceColors().color(service, dark), qstr(service), state->isServiceHidden(service)});
    if (state->showCriticalPath() && !state->criticalPath().empty())
        swatches.push_back({theme::criticalPath(dark), QObject::tr("critical path")});
    return swatches;
}

} // namespace

QPalette TraceImage::documentPalette(bool dark)
{
    QPalette p;
    auto set = [&p](QPalette::ColorRole role, QColor color) { p.setColor(QPalette::All, role, color); };
    set(QPalette::Base, dark ? QColor(0x1e, 0x20, 0x24) : QColor(Qt::white));
    set(QPalette::AlternateBase, dark ? QColor(0x26, 0x29, 0x2e) : QColor(0xf5, 0xf6, 0xf8));
    set(QPalette::Window, dark ? QColor(0x2c, 0x2f, 0x35) : QColor(0xec, 0xee, 0xf1));
    set(QPalette::Text, dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x1f, 0x23, 0x28));
    set(QPalette::WindowText, dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x1f, 0x23, 0x28));
    set(QPalette::Mid, dark ? QColor(0x5a, 0x5f, 0x68) : QColor(0xae, 0xb3, 0xbb));
    set(QPalette::Midlight, dark ? QColor(0x3a, 0x3e, 0x45) : QColor(0xdf, 0xe2, 0xe6));
    set(QPalette::PlaceholderText, dark ? QColor(0x9a, 0xa0, 0xa8) : QColor(0x6f, 0x75, 0x7e));
    set(QPalette::Button, dark ? QColor(0x2c, 0x2f, 0x35) : QColor(0xec, 0xee, 0xf1)); // the table's header
    set(QPalette::ButtonText, dark ? QColor(0xe6, 0xe8, 0xeb) : QColor(0x1f, 0x23, 0x28));
    return p;
}

QFont TraceImage::documentFont(int pixelSize, bool bold)
{
    // Sized in pixels: text keeps its size against the rows on every device, whatever its dpi.
    QFont font = QGuiApplication::font();
    font.setFamily(QFontInfo(font).family()); // the family found, not an alias ("Sans Serif") SVG viewers ignore
    font.setPixelSize(pixelSize);
    font.setBold(bold);
    return font;
}

TraceImage::TraceImage(TraceViewState* state, TraceImageOptions options)
    : m_state(state), m_options(std::move(options)), m_waterfall(std::make_unique<WaterfallPainter>(state))
{
    m_options.width = std::clamp(m_options.width, kMinWidth, kMaxWidth);
    if (m_options.viewEnd <= m_options.viewStart) {
        m_options.viewStart = state->viewStart();
        m_options.viewEnd = state->viewEnd();
    }
    if (!m_options.exportedAt.isValid())
        m_options.exportedAt = QDateTime::currentDateTimeUtc();
    if (m_options.view.view != ImageView::Waterfall)
        m_body = makeViewImageBody(state, m_options.view, m_options.width - 2 * kMargin - 2, m_options.dark);
    const int rows = m_body ? 0 : static_cast<int>(state->rows().size());
    m_options.firstRow = std::clamp(m_options.firstRow, 0, rows);
    m_rowCount = m_options.rowCount < 0 ? rows - m_options.firstRow
                                        : std::min(m_options.rowCount, rows - m_options.firstRow);

    m_waterfall->setPalette(documentPalette(m_options.dark));
    m_waterfall->setFont(documentFont(kTextPixels));
    m_waterfall->setPaintsSelection(false);
    if (m_options.annotations) {
        m_annotationIndex = indexAnnotations(m_options.annotations->document(), state->trace().id);
        m_waterfall->setAnnotations(&m_annotationIndex);
    }
    m_waterfall->setIndentRows(m_options.firstRow, m_rowCount);
    const int inner = m_options.width - 2 * kMargin;
    m_waterfall->setNameColumnWidth(
        std::clamp(m_waterfall->fittingNameColumnWidth(m_options.firstRow, std::min(m_rowCount, kMaxVectorRows)), 260,
                   inner * 45 / 100));
    if (m_options.breakdown) {
        m_chart = std::make_unique<CriticalPathBar>(state);
        m_chart->setPalette(documentPalette(m_options.dark));
        m_chart->setFont(documentFont(kTextPixels));
    }
}

TraceImage::~TraceImage() = default;

QString TraceImage::title() const
{
    return qstr(m_state->data().rootLabel(m_state->trace()));
}

QString TraceImage::description() const
{
    return QObject::tr("Trace exported by Spanwise");
}

QString TraceImage::vectorLimitProblem() const
{
    if (m_body || m_rowCount <= kMaxVectorRows)
        return {};
    return QObject::tr(
               "%1 rows are more than an SVG or PDF export holds (%2): collapse deeper levels or export fewer rows")
        .arg(m_rowCount)
        .arg(kMaxVectorRows);
}

DocumentPage TraceImage::singlePage() const
{
    const TraceImagePage page = wholePage();
    return {height(page), [this, page](QPainter& p) { paint(p, page); }};
}

std::vector<DocumentPage> TraceImage::documentPages(int maxHeight) const
{
    std::vector<DocumentPage> documentPages;
    for (const TraceImagePage& page : pages(maxHeight))
        documentPages.push_back({height(page), [this, page](QPainter& p) { paint(p, page); }});
    return documentPages;
}

TraceImagePage TraceImage::wholePage() const
{
    TraceImagePage page{m_options.firstRow, m_rowCount, true, m_chart != nullptr, 1, 1, {}};
    if (m_body)
        page.body = m_body->slices(INT_MAX, INT_MAX).front();
    return page;
}

std::vector<TraceImagePage> TraceImage::pages(int maxHeight) const
{
    std::vector<TraceImagePage> pages;
    if (m_body) {
        TraceImagePage first;
        TraceImagePage later;
        later.header = false;
        for (const BodySlice& slice : m_body->slices(maxHeight - height(first) - 2, maxHeight - height(later) - 2)) {
            TraceImagePage page = pages.empty() ? first : later;
            page.body = slice;
            pages.push_back(page);
        }
    }
    const int rowHeight = m_waterfall->rowHeight();
    const int end = m_options.firstRow + m_rowCount;
    int row = m_options.firstRow;
    while (!m_body) {
        TraceImagePage page;
        page.header = pages.empty();
        page.firstRow = row;
        const int room = maxHeight - height(page) - waterfallHeight(0);
        page.rowCount = std::min(end - row, std::max(1, room / rowHeight));
        row += page.rowCount;
        pages.push_back(page);
        if (row >= end)
            break;
    }
    if (m_chart) {
        TraceImagePage& last = pages.back();
        last.chart = true;
        if (height(last) > maxHeight &&
            (last.rowCount > 0 || last.body.height > 0)) { // the chart gets a page of its own
            last.chart = false;
            TraceImagePage chartPage;
            chartPage.header = false;
            chartPage.firstRow = end;
            chartPage.rowCount = 0;
            chartPage.chart = true;
            pages.push_back(chartPage);
        }
    }
    for (std::size_t i = 0; i < pages.size(); ++i) {
        pages[i].number = static_cast<int>(i) + 1;
        pages[i].count = static_cast<int>(pages.size());
    }
    return pages;
}

int TraceImage::waterfallHeight(int rows) const
{
    return m_waterfall->rulerHeight() + rows * m_waterfall->rowHeight() + 2; // and the frame
}

int TraceImage::chartHeight() const
{
    return m_chart ? m_chart->heightForWidth(m_options.width - 2 * kMargin + 16) : 0;
}

QStringList TraceImage::headerLines(int pageCount) const
{
    const Dataset& d = m_state->data();
    const Trace& t = m_state->trace();
    QStringList facts;
    if (!m_options.fileName.isEmpty())
        facts << m_options.fileName;
    facts << QObject::tr("trace %1").arg(QString::fromStdString(toHex(t.id)));
    facts << durationText(t.duration());
    facts << QObject::tr("%1 in %2")
                 .arg(counted(t.count, "span", "spans"), counted(d.services(t).size(), "service", "services"));
    if (t.errorCount)
        facts << counted(t.errorCount, "error", "errors");

    QStringList shown;
    const std::uint32_t focus = m_state->focusRoot();
    if (focus != kNoIndex)
        shown << QObject::tr("subtree of %1: %2")
                     .arg(qstr(d.str(d.spans[focus].service)), qstr(d.str(d.spans[focus].name)));
    const bool timed = !m_body || m_options.view.flameMode == FlameGraphPainter::Mode::Icicle;
    if (timed && m_options.viewStart <= t.start && m_options.viewEnd >= t.end)
        shown << QObject::tr("the whole trace");
    else if (timed)
        shown << QObject::tr("%1 to %2 from the start")
                     .arg(offset(m_options.viewStart - t.start), offset(m_options.viewEnd - t.start));
    const int rows = static_cast<int>(m_state->rows().size());
    if (m_body)
        shown << m_body->shown();
    else if (m_rowCount == rows)
        shown << QObject::tr("all %1").arg(counted(static_cast<std::uint64_t>(rows), "row", "rows"));
    else
        shown << QObject::tr("rows %1 to %2 of %3")
                     .arg(m_options.firstRow + 1)
                     .arg(m_options.firstRow + m_rowCount)
                     .arg(rows);
    shown << QObject::tr("exported %1")
                 .arg(m_options.exportedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    if (pageCount > 1)
        shown << QObject::tr("page 1 of %1").arg(pageCount);
    const QString separator = QStringLiteral("  ·  ");
    return {facts.join(separator), QObject::tr("Shown: %1").arg(shown.join(separator))};
}

int TraceImage::headerHeight() const
{
    const QFont text = documentFont(kTextPixels);
    const int inner = m_options.width - 2 * kMargin;
    const int lines = static_cast<int>(headerLines(1).size());
    return lineHeight(documentFont(kTitlePixels, true)) + 2 + lines * lineHeight(text) + 8 +
           swatchLegendHeight(traceLegend(m_state, m_options.dark), QFontMetrics(text), inner);
}

int TraceImage::continuationHeight() const
{
    return lineHeight(documentFont(kTextPixels));
}

int TraceImage::height(const TraceImagePage& page) const
{
    int h = kMargin + (page.header ? headerHeight() : continuationHeight()) + kGap;
    if (page.rowCount > 0)
        h += waterfallHeight(page.rowCount);
    if (page.body.height > 0)
        h += page.body.height + 2; // and the frame
    if (page.chart)
        h += kGap + chartHeight();
    return h + kMargin;
}

int TraceImage::paintHeader(QPainter& p, int y, int pageCount) const
{
    const QPalette palette = documentPalette(m_options.dark);
    const int inner = m_options.width - 2 * kMargin;
    const QFont titleFont = documentFont(kTitlePixels, true);
    p.setFont(titleFont);
    p.setPen(palette.color(QPalette::Text));
    const int titleLine = lineHeight(titleFont);
    p.drawText(QRect(kMargin, y, inner, titleLine), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(titleFont).elidedText(title(), Qt::ElideRight, inner));
    y += titleLine + 2;
    const QFont text = documentFont(kTextPixels);
    p.setFont(text);
    p.setPen(palette.color(QPalette::PlaceholderText));
    for (const QString& line : headerLines(pageCount)) {
        p.drawText(QRect(kMargin, y, inner, lineHeight(text)), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(text).elidedText(line, Qt::ElideMiddle, inner));
        y += lineHeight(text);
    }
    y += 8;
    const std::vector<Swatch> legend = traceLegend(m_state, m_options.dark);
    const int legendHeight = swatchLegendHeight(legend, QFontMetrics(text), inner);
    p.setPen(palette.color(QPalette::Text));
    paintSwatchLegend(p, legend, QRect(kMargin, y, inner, legendHeight));
    return y + legendHeight;
}

QRect TraceImage::waterfallArea(const TraceImagePage& page) const
{
    const int top = kMargin + (page.header ? headerHeight() : continuationHeight()) + kGap;
    return QRect(kMargin, top, m_options.width - 2 * kMargin, waterfallHeight(page.rowCount)).adjusted(1, 1, -1, -1);
}

void TraceImage::paint(QPainter& p, const TraceImagePage& page) const
{
    const QPalette palette = documentPalette(m_options.dark);
    p.save();
    p.fillRect(QRect(0, 0, m_options.width, height(page)), palette.color(QPalette::Base));
    int y = kMargin;
    if (page.header) {
        y = paintHeader(p, y, page.count);
    } else {
        const QFont text = documentFont(kTextPixels);
        p.setFont(text);
        p.setPen(palette.color(QPalette::PlaceholderText));
        const QString line = QObject::tr("%1  ·  %2  ·  page %3 of %4")
                                 .arg(title(), m_options.fileName.isEmpty()
                                                   ? QString::fromStdString(toHex(m_state->trace().id))
                                                   : m_options.fileName)
                                 .arg(page.number)
                                 .arg(page.count);
        const int inner = m_options.width - 2 * kMargin;
        p.drawText(QRect(kMargin, y, inner, continuationHeight()), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(text).elidedText(line, Qt::ElideMiddle, inner));
        y += continuationHeight();
    }
    y += kGap;
    if (page.rowCount > 0) {
        const QRect area = waterfallArea(page);
        m_waterfall->paint(p, area, page.firstRow, m_options.viewStart, m_options.viewEnd);
        p.setPen(palette.color(QPalette::Mid));
        p.setBrush(Qt::NoBrush);
        p.drawRect(area.adjusted(-1, -1, 0, 0));
        y = area.bottom() + 2;
    }
    if (page.body.height > 0) {
        const QRect area(kMargin + 1, y + 1, m_options.width - 2 * kMargin - 2, page.body.height);
        m_body->paint(p, area, page.body);
        p.setPen(palette.color(QPalette::Mid));
        p.setBrush(Qt::NoBrush);
        p.drawRect(area.adjusted(-1, -1, 0, 0));
        y = area.bottom() + 2;
    }
    if (page.chart) {
        y += kGap;
        m_chart->paint(p, QRect(kMargin - 8, y, m_options.width - 2 * kMargin + 16, chartHeight()));
    }
    p.restore();
}

} // namespace spanwise
