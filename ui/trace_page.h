#pragma once
// One trace on screen in one of its views — the waterfall (under its minimap), the flame graph, the
// call graph or the spans table, all following one TraceViewState — with the find bar, legend and
// focus breadcrumb above them and the details panel beside them.

#include "trace_view_state.h"

#include <QWidget>

#include <memory>

class QButtonGroup;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace spanwise {

class AnnotationStore;
class AnnotationsPanel;
class BreakdownPanel;
class FocusBreadcrumb;
class FindingsPanel;
class FlameGraphView;
class GraphView;
class Minimap;
class SearchBar;
class SpanDetails;
class SpanTableView;
class WaterfallView;

class TracePage : public QWidget {
    Q_OBJECT
public:
    // The annotations are those of the trace's file, shared with its other traces' pages; without
    // a store, annotations live in memory until saved with saveAs().
    TracePage(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QWidget* parent = nullptr,
              std::shared_ptr<AnnotationStore> annotations = {});

    TraceViewState* state() const { return m_state; }

    // The views of the trace, in the switcher's order. Each but the waterfall is made when first shown.
    enum class View { Waterfall, FlameGraph, Graph, Spans };
    static constexpr int kViewCount = 4;
    static QString viewName(View view); // "Waterfall", "Flame graph", …
    View currentView() const { return m_view; }
    void showView(View view); // and gives it the keyboard
    QButtonGroup* viewButtons() const { return m_viewButtons; }
    FlameGraphView* flameGraph(); // made when first asked for
    GraphView* graph();
    SpanTableView* spanTable();

    WaterfallView* waterfall() const { return m_waterfall; }
    Minimap* minimap() const { return m_minimap; }
    SpanDetails* details() const { return m_details; }
    SearchBar* searchBar() const { return m_search; }
    BreakdownPanel* breakdown() const { return m_breakdown; }
    FindingsPanel* findings() const { return m_findings; }
    QTabWidget* sidePanels() const { return m_side; }
    AnnotationStore* annotations() const { return m_annotations.get(); }
    AnnotationsPanel* annotationsPanel() const { return m_annotationsPanel; }
    QLabel* annotationProblem() const { return m_annotationProblem; } // shown when the file is unusable
    FocusBreadcrumb* breadcrumb() const { return m_breadcrumb; }
    // "Critical path: segment 4 of 181 …" over the waterfall's corner while a stepped segment is selected.
    QLabel* criticalStepLabel() const { return m_criticalStep; }

signals:
    void viewChanged(View view);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* viewSwitcher();
    QWidget* viewWidget(View view);
    void showCriticalStep();
    void placeCriticalStep();

    TraceViewState* m_state;
    QStackedWidget* m_views;
    QButtonGroup* m_viewButtons;
    View m_view = View::Waterfall;
    QWidget* m_waterfallPage;
    FlameGraphView* m_flameGraph = nullptr;
    GraphView* m_graph = nullptr;
    SpanTableView* m_spanTable = nullptr;
    Minimap* m_minimap;
    WaterfallView* m_waterfall;
    SpanDetails* m_details;
    SearchBar* m_search;
    QTabWidget* m_side;
    BreakdownPanel* m_breakdown;
    FindingsPanel* m_findings;
    std::shared_ptr<AnnotationStore> m_annotations;
    AnnotationsPanel* m_annotationsPanel;
    QLabel* m_annotationProblem;
    FocusBreadcrumb* m_breadcrumb;
    bool m_shownOnce = false;
    QLabel* m_criticalStep;
};

} // namespace spanwise
