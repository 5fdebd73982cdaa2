#pragma once
// Two traces compared: both durations and the difference, the change per service, the merged tree
// of nodes, and the two waterfalls side by side following the node selected in the tree.

#include "page.h"
#include "trace_view_state.h"

#include <trace_diff.h>

#include <QWidget>

class QCheckBox;
class QLabel;
class QScrollArea;
class QSplitter;
class QTreeView;

namespace spanwise {

class DiffTreeModel;
class ServiceDeltaChart;
class WaterfallView;

// One side of a comparison: a trace of a loaded file.
struct CompareSide {
    std::shared_ptr<const Dataset> data;
    std::uint32_t traceIndex = 0;
    QString name; // the file's name, shown over its waterfall
};

class ComparePage : public Page {
    Q_OBJECT
public:
    ComparePage(CompareSide a, CompareSide b, std::shared_ptr<const TraceDiff> diff, QWidget* parent = nullptr);

    // The two files read for the comparison, when it was made of files (not of a tab's traces).
    QStringList paths() const override { return m_paths; }
    void setPaths(QStringList paths) { m_paths = std::move(paths); }
    ComparePage* comparePage() const override { return const_cast<ComparePage*>(this); }

    const TraceDiff& diff() const { return *m_diff; }
    const std::shared_ptr<const TraceDiff>& sharedDiff() const { return m_diff; }
    // The file name of a side (0 for A, 1 for B).
    const QString& sideName(int side) const { return m_names[side]; }
    QTreeView* tree() const { return m_tree; }
    DiffTreeModel* model() const { return m_model; }
    QCheckBox* onlyChanges() const { return m_onlyChanges; }
    ServiceDeltaChart* chart() const { return m_chart; }
    TraceViewState* stateA() const { return m_sides[0].state; }
    TraceViewState* stateB() const { return m_sides[1].state; }
    WaterfallView* waterfallA() const { return m_sides[0].waterfall; }
    WaterfallView* waterfallB() const { return m_sides[1].waterfall; }
    QLabel* header() const { return m_header; }
    QScrollArea* chartArea() const { return m_chartScroll; }
    // The fewest rows each waterfall shows when the page is first laid out, where the window allows.
    static constexpr int kWaterfallRows = 20;

    // The node selected in the tree, kNoIndex when none.
    std::uint32_t selectedNode() const;
    // The node the waterfalls show: the selected one, or one deeper than the tree shows (selected
    // with selectNode or in a waterfall), or one "only changes" hides; kNoIndex before any.
    std::uint32_t shownNode() const { return m_lastNode; }
    // Selects the node (its ancestor 1,000 levels down, for a deeper one), expanding the path to it.
    void selectNode(std::uint32_t node);
    // Spans of a side (0 for A, 1 for B) on a node, ascending.
    std::vector<std::uint32_t> spansOf(int side, std::uint32_t node) const;

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Side {
        TraceViewState* state = nullptr;
        WaterfallView* waterfall = nullptr;
        const std::vector<std::uint32_t>* nodeOfSpan = nullptr;
    };

    QWidget* sideColumn(int side, const CompareSide& input, QWidget* parent);
    void layOut(); // the splitters and name columns, once the page has its size
    // Makes the node's row (or, below kMaxTreeDepth, its ancestor's) current; true for an ancestor's.
    bool selectRow(std::uint32_t node);
    void showNodeInWaterfalls(std::uint32_t node, int exceptSide);
    void spanSelected(int side, std::uint32_t span);
    void alignOn(const std::uint32_t spans[2]);

    std::shared_ptr<const TraceDiff> m_diff;
    Side m_sides[2];
    QString m_names[2];
    QStringList m_paths;
    QLabel* m_header;
    ServiceDeltaChart* m_chart;
    DiffTreeModel* m_model;
    QTreeView* m_tree;
    QCheckBox* m_onlyChanges;
    QScrollArea* m_chartScroll;
    QSplitter* m_top;
    QSplitter* m_split;                  // the tree and chart above the waterfalls
    std::uint32_t m_lastNode = kNoIndex; // selected last, kept while "only changes" hides it
    bool m_laidOut = false;              // column widths set once the page has its size
    bool m_syncing = false;              // a selection being passed on: do not pass it back
};

} // namespace spanwise
