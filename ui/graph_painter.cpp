#include "graph_painter.h"

#include "model_text.h"
#include "theme.h"

#include <QFontInfo>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace spanwise {

namespace {

constexpr double kPadding = 7;   // inside a node, around its text
constexpr double kStripe = 5;    // the service colour down a node's left side
constexpr double kBarHeight = 4; // the self-time bar under the self time
constexpr double kMinNodeWidth = 150;
constexpr double kMaxLabelWidth = 340;     // longer labels are elided (the tooltip has them whole)
constexpr double kMaxZoom = 1.0;           // fitting never enlarges the graph
constexpr double kTextMinPixels = 11;      // lines lower than this on screen: the nodes show their names only
constexpr double kReadableLinePixels = 13; // lines this high on screen are read without effort
constexpr int kNameMinPixels = 9;          // names in nodes are written at least this large (font pixels)
constexpr double kNameShare = 0.6;         // of a node's height, the most its name's font takes
constexpr int kMinShownChars = 10;         // of a name cut short in a node, or it is written beside it
constexpr double kFrameMargin = 16;        // around the graph, fitted or opening
// Where an edge is drawn, in pixels: at the first offset, or at all three for the critical path's.
constexpr QPointF kEdgeOffsets[] = {QPointF(0, 0), QPointF(1, 0), QPointF(0, 1)};

QString countText(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

QString shareText(TimeNs part, TimeNs whole)
{
    const double share = whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
    return share > 0 && share < 1 ? QStringLiteral("<1 %") : QStringLiteral("%1 %").arg(std::lround(share));
}

// How many characters of `full` an elided text shows.
qsizetype shownChars(const QString& elided, const QString& full)
{
    return elided == full ? full.size() : std::max<qsizetype>(0, elided.size() - 1);
}

// Rectangles already taken on screen, bucketed by cells so that a dense graph's hundreds of
// labels each meet only their neighbours.
class Occupied {
public:
    explicit Occupied(const QRectF& area) : m_area(area)
    {
        m_columns = std::max(1, int(std::ceil(area.width() / kCell)));
        m_rows = std::max(1, int(std::ceil(area.height() / kCell)));
        m_cells.resize(std::size_t(m_columns) * std::size_t(m_rows));
    }
    void add(const QRectF& r)
    {
        const std::size_t index = m_rects.size();
        m_rects.push_back(r);
        forCells(r, [&](std::size_t cell) {
            m_cells[cell].push_back(index);
            return false;
        });
    }
    bool free(const QRectF& r) const
    {
        return m_area.contains(r) && !forCells(r, [&](std::size_t cell) {
                   return std::any_of(m_cells[cell].begin(), m_cells[cell].end(),
                                      [&](std::size_t i) { return m_rects[i].intersects(r); });
               });
    }

private:
    static constexpr double kCell = 64;
    // Calls f on every cell r meets, until f returns true; says whether it did.
    template <typename F>
    bool forCells(const QRectF& r, F f) const
    {
        const QRectF clipped = r.intersected(m_area);
        if (clipped.isEmpty())
            return false;
        const int c0 = std::clamp(int((clipped.left() - m_area.left()) / kCell), 0, m_columns - 1);
        const int c1 = std::clamp(int((clipped.right() - m_area.left()) / kCell), 0, m_columns - 1);
        const int r0 = std::clamp(int((clipped.top() - m_area.top()) / kCell), 0, m_rows - 1);
        const int r1 = std::clamp(int((clipped.bottom() - m_area.top()) / kCell), 0, m_rows - 1);
        for (int row = r0; row <= r1; ++row) {
            for (int column = c0; column <= c1; ++column) {
                if (f(std::size_t(row) * std::size_t(m_columns) + std::size_t(column)))
                    return true;
            }
        }
        return false;
    }
    QRectF m_area;
    int m_columns = 1;
    int m_rows = 1;
    std::vector<std::vector<std::size_t>> m_cells;
    std::vector<QRectF> m_rects;
};

QColor mixed(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

// Only the cubic pieces of a curve near the visible area: zoomed in, an edge runs far beyond it,
// and stroking all of it costs more than the rest of the frame together.
void drawVisiblePieces(QPainter& p, const QPainterPath& curve, const QRectF& visible)
{
    QPainterPath shown;
    bool joined = false; // the last piece was drawn: the next one continues it
    for (int i = 1; i + 2 < curve.elementCount(); i += 3) {
        const QPointF from = curve.elementAt(i - 1);
        const QPointF c1 = curve.elementAt(i);
        const QPointF c2 = curve.elementAt(i + 1);
        const QPointF to = curve.elementAt(i + 2);
        // Grown a little: a straight piece has no height or width, and an empty rectangle meets none.
        const QRectF bounds = QPolygonF({from, c1, c2, to}).boundingRect().adjusted(-1, -1, 1, 1);
        if (!bounds.intersects(visible)) {
            joined = false;
            continue;
        }
        if (!joined)
            shown.moveTo(from);
        shown.cubicTo(c1, c2, to);
        joined = true;
    }
    p.drawPath(shown);
}

// A trace's graph: of the focused subtree, with the view state's selection, search and critical path.
class TraceGraphSource : public GraphSource {
public:
    explicit TraceGraphSource(const TraceViewState* state) : m_state(state) {}

    OperationGraph build(GraphMode mode) const override
    {
        const std::uint32_t first = m_state->rangeBegin();
        const std::uint32_t end = m_state->rangeEnd();
        return buildOperationGraph(m_state->data(), m_state->trace(), first, end,
                                   m_state->criticalSegmentsOf(first, end), GraphOptions{mode});
    }
    QString serviceName(StringId service) const override { return qstr(m_state->data().str(service)); }
    QColor serviceColor(StringId service, bool dark) const override
    {
        return m_state->serviceColors().color(m_state->data().str(service), dark);
    }
    std::vector<std::pair<QString, QString>> nodeFacts(const GraphNode& n) const override
    {
        return {{QObject::tr("Longest"), durationText(m_state->data().spans[n.longestSpan].duration())},
                {QObject::tr("On the critical path"),
                 n.onCriticalPath ? durationText(n.criticalNanos) : QObject::tr("no")}};
    }
    bool showsCriticalPath() const override { return m_state->showCriticalPath(); }
    std::uint32_t selectedSpan() const override { return m_state->selected(); }
    std::span<const std::uint32_t> searchMatches() const override { return m_state->searchMatches(); }

private:
    const TraceViewState* m_state;
};

} // namespace

QString GraphSource::headerText(const OperationGraph& g) const
{
    const QString calls = QObject::tr("%1 caller–callee pairs").arg(countText(g.edges.size()));
    if (g.coarsening == Coarsening::TooManyOperations)
        return QObject::tr("%1 operations are too many to read: shown as %2 services · %3")
            .arg(countText(g.operationCount), countText(g.nodes.size()), calls);
    if (g.coarsening == Coarsening::TooTangled)
        return QObject::tr(
                   "%1 operations with %2 caller–callee pairs are too tangled to read: shown as %3 services · %4")
            .arg(countText(g.operationCount), countText(g.operationEdgeCount), countText(g.nodes.size()), calls);
    return g.mode == GraphMode::Operations ? QObject::tr("%1 operations · %2").arg(countText(g.nodes.size()), calls)
                                           : QObject::tr("%1 services · %2").arg(countText(g.nodes.size()), calls);
}

QString GraphSource::edgeLabel(const GraphEdge& e, std::size_t) const
{
    return e.errors > 0 ? QObject::tr("×%1, %2 failed").arg(countText(e.calls), countText(e.errors))
                        : QObject::tr("×%1").arg(countText(e.calls));
}

std::vector<std::pair<QString, QString>> GraphSource::nodeFacts(const GraphNode&) const
{
    return {};
}

GraphPainter::GraphPainter(const TraceViewState* state) : GraphPainter(std::make_unique<TraceGraphSource>(state)) {}

GraphPainter::GraphPainter(std::unique_ptr<GraphSource> source) : m_source(std::move(source))
{
    setPalette(QPalette());
    setFont(QFont());
}

void GraphPainter::setPalette(const QPalette& palette)
{
    m_palette = palette;
    m_dark = hasDarkBase(palette);
}

void GraphPainter::setFont(const QFont& font)
{
    m_font = font;
    m_boldFont = font;
    m_boldFont.setBold(true);
    invalidate();
}

void GraphPainter::setMode(GraphMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    invalidate();
}

void GraphPainter::invalidate()
{
    m_scene.reset();
    m_matchedNodes.reset();
}

void GraphPainter::setView(const View& view)
{
    m_view = view;
    m_fitting = false;
    m_opening = false;
}

void GraphPainter::setFitting(bool fitting)
{
    m_fitting = fitting;
    m_opening = m_opening && !fitting;
}

void GraphPainter::setOpening(bool opening)
{
    m_opening = opening;
    m_fitting = m_fitting && !opening;
}

const OperationGraph& GraphPainter::graph() const
{
    return scene().graph;
}

const GraphGeometry& GraphPainter::geometry() const
{
    return scene().geometry;
}

int GraphPainter::lineHeight() const
{
    return QFontMetrics(m_font).height();
}

int GraphPainter::headerHeight() const
{
    return lineHeight() + 10;
}

const GraphPainter::Scene& GraphPainter::scene() const
{
    if (!m_scene)
        m_scene = build();
    return *m_scene;
}

GraphPainter::Scene GraphPainter::build() const
{
    Scene scene;
    scene.graph = m_source->build(m_mode);
    const QFontMetricsF metrics(m_font);
    const QFontMetricsF boldMetrics(m_boldFont);
    const double line = metrics.height();
    GraphLayoutInput input;
    input.nodes.reserve(scene.graph.nodes.size());
    scene.texts.reserve(scene.graph.nodes.size());
    for (const GraphNode& n : scene.graph.nodes) {
        scene.maxNodeSelf = std::max(scene.maxNodeSelf, n.selfNanos);
        NodeText text;
        text.label = boldMetrics.elidedText(qstr(n.label), Qt::ElideMiddle, kMaxLabelWidth);
        text.counts = n.spans == 1 ? QObject::tr("1 span") : QObject::tr("×%1 spans").arg(countText(n.spans));
        if (n.errors > 0)
            text.errors = n.errors == 1 ? QObject::tr("1 error") : QObject::tr("%1 errors").arg(countText(n.errors));
        text.self =
            QObject::tr("self %1 · %2").arg(durationText(n.selfNanos), shareText(n.selfNanos, scene.graph.selfNanos));
        text.name = qstr(n.label);
        const QString service = m_source->serviceName(n.service) + QStringLiteral(": ");
        if (text.name.startsWith(service))
            text.operation = text.name.mid(service.size());
        for (const double width : {kMaxLabelWidth * 0.7, kMaxLabelWidth * 0.4, kMaxLabelWidth * 0.22}) {
            QString beside = metrics.elidedText(text.name, Qt::ElideMiddle, width);
            if ((text.beside.empty() || text.beside.back().text != beside) &&
                shownChars(beside, text.name) >= std::min<qsizetype>(text.name.size(), 4))
                text.beside.push_back({beside, metrics.horizontalAdvance(beside)});
        }
        const double countsWidth = metrics.horizontalAdvance(text.counts) +
                                   (text.errors.isEmpty() ? 0 : metrics.horizontalAdvance(text.errors) + line);
        const double textWidth = std::max(
            {boldMetrics.horizontalAdvance(text.label), countsWidth, metrics.horizontalAdvance(text.self)});
        input.nodes.emplace_back(std::max(kMinNodeWidth, std::ceil(textWidth) + kStripe + 2 * kPadding),
                                 std::ceil(3 * line + kBarHeight + 2 * kPadding + 2));
        scene.texts.push_back(std::move(text));
    }
    input.edges.reserve(scene.graph.edges.size());
    scene.edgeLabels.reserve(scene.graph.edges.size());
    for (std::size_t i = 0; i < scene.graph.edges.size(); ++i) {
        const GraphEdge& e = scene.graph.edges[i];
        input.edges.push_back({e.from, e.to, e.onCriticalPath});
        scene.edgeLabels.push_back(m_source->edgeLabel(e, i));
        if (m_source->spacesRanksForLabels())
            input.rankSeparation = std::max(input.rankSeparation,
                                            metrics.horizontalAdvance(scene.edgeLabels.back()) + 24);
    }
    scene.geometry = layoutGraph(input);
    scene.bySelf.resize(scene.graph.nodes.size());
    std::iota(scene.bySelf.begin(), scene.bySelf.end(), 0u);
    std::stable_sort(scene.bySelf.begin(), scene.bySelf.end(), [&](std::uint32_t a, std::uint32_t b) {
        return scene.graph.nodes[a].selfNanos > scene.graph.nodes[b].selfNanos;
    });
    return scene;
}

QString GraphPainter::headerText() const
{
    if (!geometry().error.isEmpty())
        return QObject::tr("The graph could not be laid out: %1").arg(geometry().error.trimmed());
    return m_source->headerText(graph());
}

QRect GraphPainter::graphArea(const QRect& area) const
{
    return area.adjusted(0, headerHeight(), 0, 0);
}

GraphPainter::View GraphPainter::fittedView(const QRect& area) const
{
    const QRectF bounds = geometry().bounds;
    const QRectF room = QRectF(graphArea(area)).adjusted(kFrameMargin, kFrameMargin, -kFrameMargin, -kFrameMargin);
    View v;
    if (bounds.isEmpty() || room.isEmpty())
        return v;
    v.scale = std::min({kMaxZoom, room.width() / bounds.width(), room.height() / bounds.height()});
    v.origin = room.center() - bounds.center() * v.scale;
    return v;
}

double GraphPainter::readableScale() const
{
    return std::min(kMaxZoom, kReadableLinePixels / lineHeight());
}

GraphPainter::View GraphPainter::openingView(const QRect& area) const
{
    const View fitted = fittedView(area);
    const double scale = readableScale();
    const GraphGeometry& geo = geometry();
    const QRectF room = QRectF(graphArea(area)).adjusted(kFrameMargin, kFrameMargin, -kFrameMargin, -kFrameMargin);
    if (fitted.scale >= scale || geo.nodes.empty() || room.isEmpty())
        return fitted;
    // What to show first: the selected span's node; else the roots with the critical path's start
    // (laid out left to right, they are at the left), or that start alone when they are too many.
    const OperationGraph& g = graph();
    QRectF target;
    if (const std::uint32_t selected = selectedNode(); selected != kNoIndex) {
        target = geo.nodes[selected];
    } else {
        std::vector<std::uint8_t> called(g.nodes.size(), 0);
        for (const GraphEdge& e : g.edges)
            called[e.to] = called[e.to] || e.from != e.to;
        QRectF start;
        for (std::uint32_t n = 0; n < g.nodes.size(); ++n) {
            if (!called[n])
                target = target.united(geo.nodes[n]);
            if (g.nodes[n].onCriticalPath && (start.isNull() || geo.nodes[n].left() < start.left()))
                start = geo.nodes[n];
        }
        if (!start.isNull()) {
            const QRectF both = target.united(start);
            target = both.height() * scale <= room.height() && both.width() * scale <= room.width() ? both : start;
        }
        if (target.isNull())
            target = geo.nodes.front();
    }
    // The target in the middle, yet no empty room beside a graph larger than the area, and a
    // graph narrower (or lower) than the area centred that way.
    const auto axis =
        [](double targetMiddle, double boundsLow, double boundsHigh, double roomLow, double roomHigh, double s) {
        if ((boundsHigh - boundsLow) * s <= roomHigh - roomLow)
            return (roomLow + roomHigh) / 2 - (boundsLow + boundsHigh) / 2 * s;
        return std::clamp((roomLow + roomHigh) / 2 - targetMiddle * s, roomHigh - boundsHigh * s,
                          roomLow - boundsLow * s);
    };
    View v;
    v.scale = scale;
    v.origin = QPointF(
        axis(target.center().x(), geo.bounds.left(), geo.bounds.right(), room.left(), room.right(), scale),
        axis(target.center().y(), geo.bounds.top(), geo.bounds.bottom(), room.top(), room.bottom(), scale));
    return v;
}

GraphPainter::View GraphPainter::view(const QRect& area) const
{
    return m_opening ? openingView(area) : m_fitting ? fittedView(area) : m_view;
}

std::uint32_t GraphPainter::selectedNode() const
{
    const std::uint32_t span = m_source->selectedSpan();
    return span == kNoIndex ? kNoIndex : graph().nodeOf(span);
}

const std::vector<std::uint8_t>& GraphPainter::matchedNodes() const
{
    if (!m_matchedNodes) {
        std::vector<std::uint8_t> matched(graph().nodes.size(), 0);
        for (const std::uint32_t span : m_source->searchMatches()) {
            if (const std::uint32_t node = graph().nodeOf(span); node != kNoIndex)
                matched[node] = 1;
        }
        m_matchedNodes = std::move(matched);
    }
    return *m_matchedNodes;
}

std::uint32_t GraphPainter::nodeAt(QPointF point, const QRect& area) const
{
    if (!graphArea(area).contains(point.toPoint()))
        return kNoIndex;
    const View v = view(area);
    const QPointF scenePoint = (point - v.origin) / v.scale;
    const std::vector<QRectF>& nodes = geometry().nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].contains(scenePoint))
            return static_cast<std::uint32_t>(i);
    }
    return kNoIndex;
}

QRectF GraphPainter::nodeRect(std::uint32_t node, const QRect& area) const
{
    if (node >= geometry().nodes.size())
        return {};
    const View v = view(area);
    const QRectF r = geometry().nodes[node];
    return {v.origin + r.topLeft() * v.scale, r.size() * v.scale};
}

QString GraphPainter::nodeDescription(std::uint32_t node) const
{
    const OperationGraph& g = graph();
    if (node >= g.nodes.size())
        return {};
    const GraphNode& n = g.nodes[node];
    QString rows;
    const auto row = [&rows](const QString& name, const QString& value) {
        rows += QStringLiteral("<tr><td>%1</td><td align=right>%2</td></tr>").arg(name, value);
    };
    row(QObject::tr("Spans"), countText(n.spans));
    if (n.errors > 0)
        row(QObject::tr("Errors"),
            QStringLiteral("<span style='color:%1'>%2</span>").arg(theme::error(m_dark).name(), countText(n.errors)));
    row(QObject::tr("Total"), durationText(n.totalNanos));
    row(QObject::tr("Average"), durationText(n.totalNanos / std::max<TimeNs>(1, n.spans)));
    row(QObject::tr("Self"),
        QStringLiteral("%1 (%2)").arg(durationText(n.selfNanos), shareText(n.selfNanos, g.selfNanos)));
    for (const auto& [name, value] : m_source->nodeFacts(n))
        row(name, value);
    std::uint32_t callers = 0;
    std::uint32_t callees = 0;
    for (const GraphEdge& e : g.edges) {
        callers += e.to == node ? e.calls : 0;
        callees += e.from == node ? e.calls : 0;
    }
    row(QObject::tr("Called"), countText(callers));
    row(QObject::tr("Calls made"), countText(callees));
    return QStringLiteral("<b>%1</b><table>%2</table>").arg(qstr(n.label).toHtmlEscaped(), rows);
}

void GraphPainter::paint(QPainter& p, const QRect& area) const
{
    p.save();
    p.setClipRect(area);
    p.fillRect(area, m_palette.color(QPalette::Base));
    const QRect graphRect = graphArea(area);
    const View v = view(area);
    p.save();
    p.setClipRect(graphRect);
    p.translate(v.origin);
    p.scale(v.scale, v.scale);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QRectF visible((QPointF(graphRect.topLeft()) - v.origin) / v.scale, QSizeF(graphRect.size()) / v.scale);
    paintEdges(p, visible, v.scale);
    const bool detailed = showsText(v.scale);
    const std::vector<std::uint8_t>& matched = matchedNodes();
    const std::vector<QRectF>& nodes = geometry().nodes;
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].intersects(visible))
            paintNode(p, i, v.scale, detailed, matched[i] != 0);
    }
    p.restore();
    if (!detailed)
        paintNames(p, graphRect, v);
    paintHeader(p, area);
    p.restore();
}

void GraphPainter::paintHeader(QPainter& p, const QRect& area) const
{
    const QRect header(area.left(), area.top(), area.width(), headerHeight());
    p.fillRect(header, m_palette.color(QPalette::Window));
    p.setPen(m_palette.color(QPalette::Mid));
    p.drawLine(header.bottomLeft(), header.bottomRight());
    const OperationGraph& g = graph();
    p.setFont(m_font);
    p.setPen(g.coarsened() || !geometry().error.isEmpty() ? theme::warning(m_dark).darker(m_dark ? 100 : 130)
                                                          : m_palette.color(QPalette::WindowText));
    p.drawText(header.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter, headerText());
}

bool GraphPainter::showsText(double scale) const
{
    return lineHeight() * scale >= kTextMinPixels;
}

QFont GraphPainter::nameFont(const View& v) const
{
    QFont font = m_boldFont;
    const double nodeHeight = geometry().nodes.empty() ? 0 : geometry().nodes.front().height() * v.scale;
    font.setPixelSize(std::max(1, std::min(QFontInfo(m_boldFont).pixelSize(), int(nodeHeight * kNameShare))));
    return font;
}

std::vector<GraphPainter::PlacedLabel> GraphPainter::placedLabels(const QRect& area) const
{
    return placeNames(graphArea(area), view(area));
}

// Detailed, each node's label is its first line. Zoomed out, the nodes are too small for their
// text: each shows its name alone, in a font as large as the node allows, or, when that would
// show too little of it, beside the node (right, left, below, above, shortened if need be) where
// it covers no node and no other name. The nodes with the most self time are named first: a node
// is left unnamed only when the others took all the room around it.
std::vector<GraphPainter::PlacedLabel> GraphPainter::placeNames(const QRect& graphRect, const View& v) const
{
    const Scene& s = scene();
    std::vector<PlacedLabel> placed;
    const QRectF area(graphRect);
    const auto onScreen = [&](std::uint32_t node) {
        const QRectF box = s.geometry.nodes[node];
        return QRectF(v.origin + box.topLeft() * v.scale, box.size() * v.scale);
    };
    if (showsText(v.scale)) {
        const double line = QFontMetricsF(m_font).height();
        for (std::uint32_t node = 0; node < s.geometry.nodes.size(); ++node) {
            const QRectF box = s.geometry.nodes[node];
            const QRectF row(box.left() + kStripe + kPadding, box.top() + kPadding,
                             box.width() - kStripe - 2 * kPadding, line);
            const QRectF shown(v.origin + row.topLeft() * v.scale, row.size() * v.scale);
            if (shown.intersects(area))
                placed.push_back({node, shown, s.texts[node].label, true});
        }
        return placed;
    }
    const QFont inFont = nameFont(v);
    const bool fitsInside = inFont.pixelSize() >= kNameMinPixels;
    const QFontMetricsF inMetrics(inFont);
    const QFontMetricsF outMetrics(m_font);
    const std::uint32_t selected = m_paintsSelection ? selectedNode() : kNoIndex;
    Occupied occupied(area);
    for (std::uint32_t node = 0; node < s.geometry.nodes.size(); ++node) {
        const double margin = node == selected ? 8 : 4; // clear of the selection frame
        const QRectF box = onScreen(node);
        if (box.intersects(area))
            occupied.add(box.adjusted(-margin, -margin, margin, margin));
    }
    for (const std::uint32_t node : s.bySelf) {
        const QRectF box = onScreen(node);
        if (!box.intersects(area))
            continue;
        const NodeText& names = s.texts[node];
        const QString& label = names.name;
        const QString& operation = names.operation;
        const QRectF inner = box.adjusted((kStripe + 4) * v.scale + 2, 0, -4, 0);
        const auto inside = [&](const QString& text) {
            const QSizeF size(std::min(inner.width(), inMetrics.horizontalAdvance(text)), inMetrics.height());
            return PlacedLabel{node, QRectF(QPointF(inner.left(), box.center().y() - size.height() / 2), size), text,
                               true};
        };
        if (fitsInside && inMetrics.horizontalAdvance(label) <= inner.width()) {
            placed.push_back(inside(label));
            continue;
        }
        // In a node, the operation alone says more than both names cut short: the colour is the service's.
        if (fitsInside && !operation.isEmpty() && inMetrics.horizontalAdvance(operation) <= inner.width()) {
            placed.push_back(inside(operation));
            continue;
        }
        const QString& whole = operation.isEmpty() ? label : operation;
        const QString inText = fitsInside ? inMetrics.elidedText(whole, Qt::ElideMiddle, inner.width()) : QString();
        if (fitsInside && shownChars(inText, whole) >= kMinShownChars) {
            placed.push_back(inside(inText));
            continue;
        }
        bool found = false;
        for (const NodeText::Beside& beside : names.beside) {
            const QSizeF size(beside.width + 6, outMetrics.height());
            const double gap = 5;
            const double middleY = box.center().y() - size.height() / 2;
            const double middleX = box.center().x() - size.width() / 2;
            const double belowY = box.bottom() + gap;
            const double aboveY = box.top() - gap - size.height();
            const QRectF candidates[] = {
                QRectF(QPointF(box.right() + gap, middleY), size),
                QRectF(QPointF(box.left() - gap - size.width(), middleY), size),
                QRectF(QPointF(middleX, aboveY), size),
                QRectF(QPointF(middleX, belowY), size),
                // Corners, still touching the node's edge, before the name is cut short.
                QRectF(QPointF(box.left(), aboveY), size),
                QRectF(QPointF(box.left(), belowY), size),
                QRectF(QPointF(box.right() - size.width(), aboveY), size),
                QRectF(QPointF(box.right() - size.width(), belowY), size),
            };
            const auto free = std::find_if(std::begin(candidates), std::end(candidates),
                                           [&](const QRectF& r) { return occupied.free(r); });
            if (free != std::end(candidates)) {
                placed.push_back({node, *free, beside.text, false});
                occupied.add(*free);
                found = true;
                break;
            }
        }
        // No room beside it: cut shorter in it.
        if (!found && fitsInside && shownChars(inText, whole) >= 3)
            placed.push_back(inside(inText));
    }
    return placed;
}

void GraphPainter::paintNames(QPainter& p, const QRect& graphRect, const View& v) const
{
    const std::vector<std::uint8_t>& matched = matchedNodes();
    const QFont inFont = nameFont(v);
    QColor plate = m_palette.color(QPalette::Base);
    plate.setAlphaF(0.8f);
    const QColor matchColor = theme::searchMatch(m_dark);
    p.save();
    p.setClipRect(graphRect);
    for (const PlacedLabel& label : placeNames(graphRect, v)) {
        const bool match = matched[label.node] != 0;
        if (label.inside) {
            if (match)
                p.fillRect(label.rect.adjusted(-2, 0, 2, 0), matchColor);
            p.setFont(inFont);
            p.setPen(match ? textColorOn(matchColor) : textColorOn(nodeFill(label.node)));
            p.drawText(label.rect, Qt::AlignLeft | Qt::AlignVCenter, label.text);
        } else {
            p.fillRect(label.rect, match ? matchColor : plate);
            p.setFont(m_font);
            p.setPen(match ? textColorOn(matchColor) : m_palette.color(QPalette::Text));
            p.drawText(label.rect, Qt::AlignCenter, label.text);
        }
    }
    p.restore();
}

void GraphPainter::paintEdges(QPainter& p, const QRectF& visible, double scale) const
{
    const Scene& s = scene();
    // Many edges in grey ink would merge into one grey area: the more there are, the lighter.
    const double ink = s.graph.edges.size() > 150 ? 0.3 : s.graph.edges.size() > 60 ? 0.4 : 0.5;
    // So many lines cross that smoothing them shows little, and costs most of the frame.
    const bool manyEdges = s.graph.edges.size() > 150;
    const QColor plain = mixed(m_palette.color(QPalette::Base), m_palette.color(QPalette::Text), ink);
    const QColor critical = theme::criticalPath(m_dark);
    const QColor error = theme::error(m_dark);
    const bool critOn = m_source->showsCriticalPath();
    const bool labels = showsText(scale * 1.15); // a little larger than the nodes' text: they are smaller
    QFont labelFont = m_font;
    if (m_font.pointSizeF() > 0)
        labelFont.setPointSizeF(m_font.pointSizeF() * 0.9);
    else
        labelFont.setPixelSize(std::max(1, m_font.pixelSize() * 9 / 10));
    const QFontMetricsF metrics(labelFont);
    p.setFont(labelFont);
    // Critical edges last, so that they lie over the others.
    for (const bool pass : {false, true}) {
        for (std::size_t i = 0; i < s.graph.edges.size(); ++i) {
            const GraphEdge& e = s.graph.edges[i];
            const bool heavy = critOn && e.onCriticalPath;
            if (heavy != pass)
                continue;
            const EdgeGeometry& geo = s.geometry.edges[i];
            if (!geo.curve.controlPointRect().united(geo.arrowHead.boundingRect()).intersects(visible))
                continue;
            // Every curve is drawn by Qt's fast path for one-pixel lines (wide curves are stroked
            // as outlines: a few hundred of them take half a second); the critical path's calls
            // three times, a pixel apart, to stand out.
            const QColor color = heavy ? critical : plain;
            QPen pen(color, 1.0, Qt::SolidLine, Qt::FlatCap);
            pen.setCosmetic(true);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            const QRectF near = visible.adjusted(-2 / scale, -2 / scale, 2 / scale, 2 / scale);
            p.setRenderHint(QPainter::Antialiasing, !manyEdges);
            for (std::size_t k = 0; k < (heavy ? std::size(kEdgeOffsets) : 1); ++k) {
                p.translate(kEdgeOffsets[k] / scale);
                drawVisiblePieces(p, geo.curve, near);
                p.translate(-kEdgeOffsets[k] / scale);
            }
            p.setRenderHint(QPainter::Antialiasing, true);
            if (!geo.arrowHead.isEmpty()) {
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                p.drawPolygon(geo.arrowHead);
            }
            if (!labels)
                continue;
            const QString& text = s.edgeLabels[i];
            const QSizeF size(metrics.horizontalAdvance(text) + 6, metrics.height());
            const QRectF plate(geo.middle - QPointF(size.width() / 2, size.height() + 1), size);
            QColor back = m_palette.color(QPalette::Base);
            back.setAlphaF(0.85f);
            p.setPen(Qt::NoPen);
            p.setBrush(back);
            p.drawRoundedRect(plate, 3, 3);
            p.setPen(e.errors > 0 ? error : m_palette.color(QPalette::Text));
            p.drawText(plate, Qt::AlignCenter, text);
        }
    }
}

QColor GraphPainter::nodeFill(std::uint32_t node) const
{
    const Scene& s = scene();
    const GraphNode& n = s.graph.nodes[node];
    const QColor service = m_source->serviceColor(n.service, m_dark);
    // The fill warms with the node's self time: the hottest node of the graph is the most coloured.
    const double heat = s.maxNodeSelf > 0 ? double(n.selfNanos) / double(s.maxNodeSelf) : 0.0;
    return mixed(m_palette.color(QPalette::Base), service, 0.10 + 0.45 * std::sqrt(heat));
}

void GraphPainter::paintNode(QPainter& p, std::uint32_t node, double scale, bool detailed, bool matched) const
{
    const Scene& s = scene();
    const GraphNode& n = s.graph.nodes[node];
    const NodeText& text = s.texts[node];
    const QRectF box = s.geometry.nodes[node];
    const QColor service = m_source->serviceColor(n.service, m_dark);
    const QColor fill = nodeFill(node);
    const bool critical = m_source->showsCriticalPath() && n.onCriticalPath;
    const double px = 1.0 / scale; // one pixel on screen

    if (m_paintsSelection && node == selectedNode()) {
        p.setPen(QPen(m_palette.color(QPalette::Highlight), std::max(3.0, 3 * px)));
        p.setBrush(Qt::NoBrush);
        const double out = std::max(4.0, 4 * px);
        p.drawRoundedRect(box.adjusted(-out, -out, out, out), 7, 7);
    }
    p.setPen(critical ? QPen(theme::criticalPath(m_dark), std::max(2.5, 2 * px))
                      : QPen(service.darker(m_dark ? 90 : 130), std::max(1.0, px)));
    p.setBrush(fill);
    p.drawRoundedRect(box, 5, 5);
    p.fillRect(QRectF(box.left() + 1, box.top() + 1, kStripe, box.height() - 2), service);
    if (n.errors > 0) { // framed in red at any zoom, as a failed bar is in the waterfall
        const double inset = std::max(2.0, 2 * px);
        p.setPen(QPen(theme::error(m_dark), inset));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(box.adjusted(inset, inset, -inset, -inset), 4, 4);
    }
    if (!detailed)
        return;

    const QFontMetricsF metrics(m_font);
    const double line = metrics.height();
    const QColor ink = textColorOn(fill);
    const double left = box.left() + kStripe + kPadding;
    const double width = box.right() - kPadding - left;
    QRectF row(left, box.top() + kPadding, width, line);
    if (matched)
        p.fillRect(row.adjusted(-3, 0, 3, 0), theme::searchMatch(m_dark));
    p.setFont(m_boldFont);
    p.setPen(matched ? textColorOn(theme::searchMatch(m_dark)) : ink);
    p.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, text.label);

    row.translate(0, line);
    p.setFont(m_font);
    p.setPen(ink);
    p.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, text.counts);
    if (!text.errors.isEmpty()) {
        p.setPen(theme::error(m_dark));
        p.drawText(row, Qt::AlignRight | Qt::AlignVCenter, text.errors);
    }

    row.translate(0, line);
    p.setPen(ink);
    p.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, text.self);
    // The self-time bar: the node's share of the self time of all the graph's spans.
    const QRectF track(left, row.bottom() + 2, width, kBarHeight);
    p.fillRect(track, mixed(fill, ink, 0.15));
    const double share = s.graph.selfNanos > 0 ? double(n.selfNanos) / double(s.graph.selfNanos) : 0.0;
    p.fillRect(QRectF(track.topLeft(), QSizeF(std::max(share > 0 ? 1.0 : 0.0, track.width() * share), kBarHeight)),
               service.darker(m_dark ? 80 : 115));
}

} // namespace spanwise
