#pragma once
// The service graph of a set of traces as a GraphPainter paints it: a node per service (coloured as
// in the trace views), an edge per caller → callee service labelled with its calls, the share that
// failed and the p95 call duration.

#include "graph_painter.h"
#include "service_palette.h"

#include <set_service_graph.h>

namespace spanwise {

class SetGraphSource : public GraphSource {
public:
    explicit SetGraphSource(SetServiceGraph graph);

    const SetServiceGraph& setGraph() const { return m_graph; }

    OperationGraph build(GraphMode mode) const override;
    QString serviceName(StringId service) const override;
    QColor serviceColor(StringId service, bool dark) const override;
    QString headerText(const OperationGraph& graph) const override;
    QString edgeLabel(const GraphEdge& edge, std::size_t index) const override;
    std::vector<std::pair<QString, QString>> nodeFacts(const GraphNode& node) const override;
    bool spacesRanksForLabels() const override { return true; }

private:
    SetServiceGraph m_graph;
    ServiceColors m_colors;
};

} // namespace spanwise
