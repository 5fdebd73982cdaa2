#pragma once
// Two traces compared: both durations and the difference, the change per service, the merged tree
// of nodes, and below them either the two waterfalls side by side following the node selected in the
// tree, or B's differential flame graph (each merged call path coloured by its change from A).

#include "comparison.h"
#include "page.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QScrollArea;
class QSplitter;
class QTabWidget;
class QTreeView;

namespace spanwise {

class DiffTreeModel;
class FlameDiffView;
class ServiceDeltaChart;
class WaterfallView;

class ComparePage : public Page {
    Q_OBJECT
public:
    ComparePage(CompareSide a, CompareSide b, std::shared_ptr<const TraceDiff> diff, QWidget* parent = nullptr);

    // The two files read for the comparison, when it was made of files (not of a tab's traces).
    QStringList paths() const override { return m_paths; }
    void setPaths(QStringList paths) { m_paths = std::move(paths); }
    ComparePage* comparePage() const override { return const_cast<ComparePage*>(this); }

    const Comparison& comparison() const { return *m_comparison; }
    const TraceDiff& diff() const { return m_comparison->diff(); }
    QTreeView* tree() const { return m_tree; }
    DiffTreeModel* model() const { return m_comparison->model(); }
    QCheckBox* onlyChanges() const { return m_onlyChanges; }
    ServiceDeltaChart* chart() const { return m_chart; }
    TraceViewState* stateA() const { return m_comparison->state(0); }
    TraceViewState* stateB() const { return m_comparison->state(1); }
    WaterfallView* waterfallA() const { return m_waterfalls[0]; }
    WaterfallView* waterfallB() const { return m_waterfalls[1]; }
    QLabel* header() const { return m_header; }
    QScrollArea* chartArea() const { return m_chartScroll; }
    // What the bottom of the page shows: the tabs are in this order.
    enum class Bottom { Waterfalls, FlameGraph };
    QTabWidget* bottomTabs() const { return m_bottom; }
    Bottom bottom() const;
    void showBottom(Bottom which);
    // The differential flame graph, made when first shown; nullptr before.
    FlameDiffView* flameDiff() const { return m_flameDiff; }
    // The fewest rows each waterfall shows when the page is first laid out, where the window allows.
    static constexpr int kWaterfallRows = 20;

    // The node selected in the tree, kNoIndex when none.
    std::uint32_t selectedNode() const;
    // The node the waterfalls show: the selected one, or one deeper than the tree shows (selected
    // with selectNode or in a waterfall), or one "only changes" hides; kNoIndex before any.
    std::uint32_t shownNode() const { return m_comparison->shownNode(); }
    // Selects the node (its ancestor 1,000 levels down, for a deeper one), expanding the path to it.
    void selectNode(std::uint32_t node);

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* sideColumn(int side, QWidget* parent);
    void layOut(); // the splitters and name columns, once the page has its size
    // Makes the node's row (or, below kMaxTreeDepth, its ancestor's) current; true for an ancestor's.
    bool selectRow(std::uint32_t node);
    void showNodeInWaterfalls(std::uint32_t node, int keepSide);
    void scrollToShownSpans();

    Comparison* m_comparison;
    WaterfallView* m_waterfalls[2] = {nullptr, nullptr};
    FlameDiffView* m_flameDiff = nullptr;
    QTabWidget* m_bottom;
    QStringList m_paths;
    QLabel* m_header;
    ServiceDeltaChart* m_chart;
    QTreeView* m_tree;
    QCheckBox* m_onlyChanges;
    QScrollArea* m_chartScroll;
    QSplitter* m_top;
    QSplitter* m_split;     // the tree and chart above the waterfalls
    bool m_laidOut = false; // column widths set once the page has its size
    bool m_syncing = false; // a selection being passed on: do not pass it back
};

} // namespace spanwise
