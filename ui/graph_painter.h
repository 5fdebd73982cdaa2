#pragma once
// Paints a trace's operation graph with any QPainter: a header line saying what the graph shows,
// then the nodes (label, calls, errors, self time as text and as a bar) and the calls between them,
// laid out by Graphviz, the critical path in heavy ink. The window's GraphView paints itself with
// it, an image export its picture. The graph and its layout are built on first use and again when
// the focused subtree, the mode or the font changes. A graph built elsewhere (the services of a set
// of traces) is painted alike through a GraphSource of its own.

#include "graph_layout.h"
#include "trace_view_state.h"

#include <operation_graph.h>

#include <QFont>
#include <QPalette>
#include <QRect>

#include <memory>
#include <optional>
#include <span>
#include <utility>

class QPainter;

namespace spanwise {

// What a GraphPainter shows and what it says about it. The trace's source follows its view state
// (selection, search, critical path); another source paints a graph it built, without those.
class GraphSource {
public:
    virtual ~GraphSource() = default;
    virtual OperationGraph build(GraphMode mode) const = 0;
    virtual QString serviceName(StringId service) const = 0; // of GraphNode::service
    virtual QColor serviceColor(StringId service, bool dark) const = 0;
    // The header line (the painter says so itself when the layout failed).
    virtual QString headerText(const OperationGraph& graph) const;
    // The text over an edge: its calls, and how many failed.
    virtual QString edgeLabel(const GraphEdge& edge, std::size_t index) const;
    // Whether ranks stand apart by the widest edge label (long labels), not by a fixed gap.
    virtual bool spacesRanksForLabels() const { return false; }
    // Rows a node's tooltip has besides its counts and times: (name, value as rich text).
    virtual std::vector<std::pair<QString, QString>> nodeFacts(const GraphNode& node) const;
    virtual bool showsCriticalPath() const { return false; }
    virtual std::uint32_t selectedSpan() const { return kNoIndex; }
    virtual std::span<const std::uint32_t> searchMatches() const { return {}; }
};

class GraphPainter {
public:
    explicit GraphPainter(const TraceViewState* state);
    explicit GraphPainter(std::unique_ptr<GraphSource> source);

    void setPalette(const QPalette& palette);
    const QPalette& palette() const { return m_palette; }
    void setFont(const QFont& font); // sizes the nodes: lays the graph out again
    const QFont& font() const { return m_font; }
    bool dark() const { return m_dark; }

    // Operations (merged `service: operation`) or services; too many operations show by service.
    void setMode(GraphMode mode);
    GraphMode mode() const { return m_mode; }
    // Builds the graph again for the state's focused range, on next use.
    void invalidate();
    // The search matches changed: the marked nodes are found again on next use.
    void invalidateSearch() { m_matchedNodes.reset(); }
    // The selected span's node is framed (the default), or not (an exported picture).
    void setPaintsSelection(bool paints) { m_paintsSelection = paints; }

    const OperationGraph& graph() const;
    const GraphGeometry& geometry() const; // in scene points
    // What the header line says: the counts, or why operations are shown by service.
    QString headerText() const;
    int headerHeight() const;

    // Scene to area: area point = origin + scene point × scale. Fitting (the default) centres the
    // whole graph in whatever area is painted, at 100 % at most.
    struct View {
        double scale = 1;
        QPointF origin;
    };
    void setView(const View& view);
    void setFitting(bool fitting);
    bool fitting() const { return m_fitting; }
    // Opening (what the window starts with) follows openingView() for whatever area is painted.
    void setOpening(bool opening);
    bool opening() const { return m_opening; }
    View view(const QRect& area) const; // the fitted or opening view when fitting or opening
    View fittedView(const QRect& area) const;
    // The whole graph when it fits at the readable scale; else the readable scale, showing the
    // selected span's node, or the roots and the critical path's start.
    View openingView(const QRect& area) const;
    // The least scale at which the nodes' text is read without effort.
    double readableScale() const;
    QRect graphArea(const QRect& area) const; // below the header

    void paint(QPainter& painter, const QRect& area) const;

    // The node at a point of the painted area, kNoIndex for none.
    std::uint32_t nodeAt(QPointF point, const QRect& area) const;
    QRectF nodeRect(std::uint32_t node, const QRect& area) const; // in the area's coordinates
    // The node holding the selected span, kNoIndex for none.
    std::uint32_t selectedNode() const;
    // Label, counts and times of a node, for a tooltip (rich text).
    QString nodeDescription(std::uint32_t node) const;

    // Where paint() writes the nodes' names in the area (inside the node or beside it); a node
    // left out had no room, and has less self time than those named.
    struct PlacedLabel {
        std::uint32_t node = kNoIndex;
        QRectF rect;
        QString text;
        bool inside = true;
    };
    std::vector<PlacedLabel> placedLabels(const QRect& area) const;

private:
    struct NodeText {
        QString label;     // elided to the node's width
        QString counts;    // "×12 calls"
        QString errors;    // "3 errors", empty for none
        QString self;      // "self 1.20 ms · 34 %"
        QString name;      // the label whole
        QString operation; // the label without its service, empty for a service
        struct Beside {
            QString text; // the name, shorter and shorter
            double width; // in the font
        };
        std::vector<Beside> beside; // written beside the node zoomed out: the first that finds room
    };
    struct Scene {
        OperationGraph graph;
        GraphGeometry geometry;
        std::vector<NodeText> texts;
        std::vector<QString> edgeLabels;
        TimeNs maxNodeSelf = 0;
        std::vector<std::uint32_t> bySelf; // node indices, the most self time first
    };
    const Scene& scene() const;
    Scene build() const;
    const std::vector<std::uint8_t>& matchedNodes() const;
    int lineHeight() const;
    void paintHeader(QPainter& p, const QRect& area) const;
    bool showsText(double scale) const;  // in the nodes, at this zoom
    QFont nameFont(const View& v) const; // the names written in nodes too small for their text
    std::vector<PlacedLabel> placeNames(const QRect& graphRect, const View& v) const;
    void paintNames(QPainter& p, const QRect& graphRect, const View& v) const;
    void paintEdges(QPainter& p, const QRectF& visible, double scale) const;
    QColor nodeFill(std::uint32_t node) const;
    void paintNode(QPainter& p, std::uint32_t node, double scale, bool detailed, bool matched) const;

    std::unique_ptr<GraphSource> m_source;
    QPalette m_palette;
    QFont m_font;
    QFont m_boldFont;
    bool m_dark = false;
    GraphMode m_mode = GraphMode::Operations;
    bool m_paintsSelection = true;
    bool m_fitting = true;
    bool m_opening = false;
    View m_view;
    mutable std::optional<Scene> m_scene;
    mutable std::optional<std::vector<std::uint8_t>> m_matchedNodes;
};

} // namespace spanwise
