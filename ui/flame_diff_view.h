#pragma once
// The differential flame graph of a comparison, as no peer offers it: B's merged call paths, each
// frame as wide as its total time in B and coloured by its change from A on the same path (red
// slower, green faster, the stronger the larger the change; grey the same within the diff's noise
// threshold; hatched red added), the paths only A had marked where they hung. Zoom, breadcrumb and
// tooltips as in the flame graph; clicking a frame selects its longest span in B's state.

#include "flame_graph_view.h"

#include <trace_diff.h>

#include <QWidget>

namespace spanwise {

class FlameDiffView : public QWidget {
    Q_OBJECT
public:
    // B's state, and the comparison of A with B (diffTraces, as ComparePage::diff() holds it).
    FlameDiffView(TraceViewState* stateB, const TraceDiff& diff, QWidget* parent = nullptr);

    const CallTreeDiff& diff() const { return *m_diff; }
    FlameGraphView* graph() const { return m_graph; }
    QWidget* legend() const { return m_legend; }

private:
    std::shared_ptr<const CallTreeDiff> m_diff;
    FlameGraphView* m_graph;
    QWidget* m_legend;
};

} // namespace spanwise
