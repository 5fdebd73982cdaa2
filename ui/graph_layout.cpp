#include "graph_layout.h"

#include <QLineF>

#include <algorithm>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <memory>
#include <mutex>
#include <string>

namespace spanwise {

namespace {

constexpr double kPointsPerInch = 72.0;
// More edges and nodes than these: dot's iterations are limited. A small graph with many edges (a
// services graph of a busy mesh) is laid out fast enough in full, and reads much better so.
constexpr std::size_t kBoundedWorkEdges = 100;
constexpr std::size_t kBoundedWorkNodes = 25;

std::mutex& graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

// Where Graphviz's messages go while the mutex is held.
std::string* g_messages = nullptr;

int collectMessage(char* message)
{
    if (g_messages)
        g_messages->append(message);
    return 0;
}

// Routes messages to collectMessage for as long as it lives; errors only (warnings about, say, a
// missing font are noise here: the labels are painted by Qt).
class MessageCapture {
public:
    explicit MessageCapture(std::string& messages)
    {
        g_messages = &messages;
        m_previousFunction = agseterrf(collectMessage);
        m_previousLevel = agseterr(AGERR);
    }
    ~MessageCapture()
    {
        agseterr(m_previousLevel);
        agseterrf(m_previousFunction);
        g_messages = nullptr;
    }
    MessageCapture(const MessageCapture&) = delete;
    MessageCapture& operator=(const MessageCapture&) = delete;

private:
    agusererrf m_previousFunction = nullptr;
    agerrlevel_t m_previousLevel = AGWARN;
};

// One context for the program: it loads the plugins (dot among them) once.
GVC_t* context()
{
    static GVC_t* const gvc = gvContext();
    return gvc;
}

// cgraph takes names and values as char*, though it copies them.
char* text(const char* literal)
{
    return const_cast<char*>(literal);
}

QPointF toPoint(const pointf& p, double top)
{
    return {p.x, top - p.y};
}

QPolygonF arrowHead(QPointF base, QPointF tip)
{
    const QLineF axis(base, tip);
    if (axis.length() <= 0)
        return {};
    const QPointF normal = QPointF(-(tip.y() - base.y()), tip.x() - base.x()) / axis.length() * (axis.length() / 2.5);
    return QPolygonF({tip, base + normal, base - normal});
}

EdgeGeometry edgeGeometry(const bezier& b, double left, double top)
{
    EdgeGeometry edge;
    if (b.size < 1)
        return edge;
    const QPointF shift(-left, 0);
    const auto at = [&](int i) { return toPoint(b.list[i], top) + shift; };
    edge.curve.moveTo(at(0));
    for (int i = 1; i + 2 < b.size; i += 3)
        edge.curve.cubicTo(at(i), at(i + 1), at(i + 2));
    if (b.eflag)
        edge.arrowHead = arrowHead(at(b.size - 1), toPoint(b.ep, top) + shift);
    edge.middle = edge.curve.pointAtPercent(0.5);
    return edge;
}

struct GraphCloser {
    void operator()(Agraph_t* g) const { agclose(g); }
};

} // namespace

GraphGeometry layoutGraph(const GraphLayoutInput& input)
{
    GraphGeometry geometry;
    if (input.nodes.empty())
        return geometry;
    const std::lock_guard lock(graphvizMutex());
    std::string messages;
    const MessageCapture capture(messages);
    GVC_t* gvc = context();

    const std::unique_ptr<Agraph_t, GraphCloser> graph(agopen(text("calls"), Agdirected, nullptr));
    Agraph_t* g = graph.get();
    agattr(g, AGRAPH, text("rankdir"), text(input.direction == RankDirection::LeftToRight ? "LR" : "TB"));
    agattr(g, AGRAPH, text("nodesep"), text("0.35")); // room for an edge label between two nodes
    // and for one beside the arrows between ranks
    agattr(g, AGRAPH, text("ranksep"), std::to_string(std::max(0.9, input.rankSeparation / kPointsPerInch)).data());
    agattr(g, AGNODE, text("shape"), text("box"));
    agattr(g, AGNODE, text("fixedsize"), text("true"));
    agattr(g, AGNODE, text("label"), text(""));
    if (input.edges.size() > kBoundedWorkEdges && input.nodes.size() > kBoundedWorkNodes) {
        // dot's crossing minimisation and network simplex can take minutes on a tangled graph of a
        // few hundred edges; bounded, they take well under a second, and look nearly as good.
        agattr(g, AGRAPH, text("mclimit"), text("0.1"));
        agattr(g, AGRAPH, text("nslimit"), text("2"));
        agattr(g, AGRAPH, text("nslimit1"), text("2"));
    }
    Agsym_t* width = agattr(g, AGNODE, text("width"), text("1"));
    Agsym_t* height = agattr(g, AGNODE, text("height"), text("1"));
    Agsym_t* weight = agattr(g, AGEDGE, text("weight"), text("1"));

    std::vector<Agnode_t*> nodes;
    nodes.reserve(input.nodes.size());
    for (std::size_t i = 0; i < input.nodes.size(); ++i) {
        Agnode_t* n = agnode(g, std::to_string(i).data(), 1);
        agxset(n, width, std::to_string(input.nodes[i].width() / kPointsPerInch).data());
        agxset(n, height, std::to_string(input.nodes[i].height() / kPointsPerInch).data());
        nodes.push_back(n);
    }
    std::vector<Agedge_t*> edges;
    edges.reserve(input.edges.size());
    for (const GraphLayoutInput::Edge& e : input.edges) {
        Agedge_t* edge = agedge(g, nodes.at(e.from), nodes.at(e.to), nullptr, 1);
        if (e.heavy)
            agxset(edge, weight, text("4"));
        edges.push_back(edge);
    }

    if (gvLayout(gvc, g, "dot") != 0) {
        geometry.error = QString::fromStdString(messages.empty() ? std::string("the dot layout failed") : messages);
        return geometry;
    }
    const boxf bb = GD_bb(g);
    const double left = bb.LL.x;
    const double top = bb.UR.y;
    geometry.bounds = QRectF(0, 0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    geometry.nodes.reserve(nodes.size());
    for (Agnode_t* n : nodes) {
        const double w = ND_width(n) * kPointsPerInch;
        const double h = ND_height(n) * kPointsPerInch;
        const QPointF centre = toPoint(ND_coord(n), top) - QPointF(left, 0);
        geometry.nodes.emplace_back(centre.x() - w / 2, centre.y() - h / 2, w, h);
    }
    geometry.edges.reserve(edges.size());
    for (Agedge_t* e : edges) {
        const splines* spl = ED_spl(e);
        geometry.edges.push_back(spl && spl->size > 0 ? edgeGeometry(spl->list[0], left, top) : EdgeGeometry{});
    }
    gvFreeLayout(gvc, g);
    return geometry;
}

} // namespace spanwise
