#pragma once
// Lays a directed graph out with Graphviz `dot` into plain geometry in points: a rectangle per node,
// a bezier curve and an arrow head per edge. The caller sizes the nodes (from its text metrics);
// nothing of Graphviz leaks out.

#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <cstdint>
#include <vector>

namespace spanwise {

// Callers on the left, callees to their right (the default): operation labels are wide and short, so
// a rank is a column as wide as its widest label and a fan-out runs down the column, as the
// waterfall's depth runs to the right. Top to bottom would put wide labels side by side and make a
// fan-out of fifty calls a row many screens wide.
enum class RankDirection : std::uint8_t { LeftToRight, TopToBottom };

struct GraphLayoutInput {
    struct Edge {
        std::uint32_t from = 0;
        std::uint32_t to = 0;
        bool heavy = false; // kept short and straight before others (the critical path)
    };
    std::vector<QSizeF> nodes; // in points
    std::vector<Edge> edges;
    RankDirection direction = RankDirection::LeftToRight;
    double rankSeparation = 0; // the least room between two ranks, in points (more when 0.9 inch is more)
};

struct EdgeGeometry {
    QPainterPath curve;  // from the caller's border to the arrow head's base
    QPolygonF arrowHead; // a triangle whose tip touches the callee's border (empty for none)
    QPointF middle;      // halfway along the curve: where its label goes
};

struct GraphGeometry {
    std::vector<QRectF> nodes; // by node index
    std::vector<EdgeGeometry> edges;
    QRectF bounds; // of everything, with the top left at (0, 0); y grows downwards
    QString error; // what Graphviz reported when the layout failed (the geometry is then empty)
};

// Thread-safe (Graphviz is not: calls are serialised). Graphviz's own messages never reach stderr:
// its errors end up in GraphGeometry::error, its warnings are dropped. Graphs of more than 100
// edges and 25 nodes get dot's iterations bounded, so that a tangled one is laid out in well under
// a second.
GraphGeometry layoutGraph(const GraphLayoutInput& input);

} // namespace spanwise
