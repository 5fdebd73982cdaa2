#include "set_graph_source.h"

#include "model_text.h"
#include "statistics_model.h"

#include <QLocale>

namespace spanwise {

namespace {

QString countText(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

std::vector<std::string_view> serviceNames(const SetServiceGraph& graph)
{
    std::vector<std::string_view> names;
    for (const SetServiceNode& n : graph.nodes)
        names.push_back(n.service);
    return names;
}

} // namespace

SetGraphSource::SetGraphSource(SetServiceGraph graph) : m_graph(std::move(graph)), m_colors(serviceNames(m_graph)) {}

// A node's service is its index: the set's files each have their own strings.
OperationGraph SetGraphSource::build(GraphMode) const
{
    OperationGraph g;
    g.mode = GraphMode::Services;
    for (std::uint32_t i = 0; i < m_graph.nodes.size(); ++i) {
        const SetServiceNode& n = m_graph.nodes[i];
        g.nodes.push_back({.label = n.service,
                           .service = i,
                           .spans = n.spans,
                           .errors = n.errors,
                           .selfNanos = n.selfNanos,
                           .totalNanos = n.totalNanos});
        g.selfNanos = saturatingAdd(g.selfNanos, n.selfNanos);
    }
    for (const SetServiceEdge& e : m_graph.edges)
        g.edges.push_back({.from = e.from, .to = e.to, .calls = e.calls, .errors = e.errors});
    return g;
}

QString SetGraphSource::serviceName(StringId service) const
{
    return service < m_graph.nodes.size() ? qstr(m_graph.nodes[service].service) : QString();
}

QColor SetGraphSource::serviceColor(StringId service, bool dark) const
{
    return m_colors.color(service < m_graph.nodes.size() ? m_graph.nodes[service].service : std::string_view(), dark);
}

QString SetGraphSource::headerText(const OperationGraph& graph) const
{
    return QObject::tr("%1 services · %2 caller–callee pairs · across %3 traces, %4 spans · edges: calls, failed, p95")
        .arg(countText(graph.nodes.size()), countText(graph.edges.size()), countText(m_graph.traceCount),
             countText(m_graph.spanCount));
}

QString SetGraphSource::edgeLabel(const GraphEdge& edge, std::size_t index) const
{
    const SetServiceEdge& e = m_graph.edges[index];
    const QString p95 = QObject::tr("p95 %1").arg(durationText(e.p95Nanos));
    if (edge.errors == 0)
        return QObject::tr("×%1 · %2").arg(countText(e.calls), p95);
    return QObject::tr("×%1 · %2 failed · %3").arg(countText(e.calls), errorRateText(e.errors, e.calls), p95);
}

std::vector<std::pair<QString, QString>> SetGraphSource::nodeFacts(const GraphNode& node) const
{
    return {{QObject::tr("Traces"), countText(m_graph.nodes[node.service].traces)}};
}

} // namespace spanwise
