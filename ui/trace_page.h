#pragma once
// One trace on screen: the minimap over the waterfall, the details panel beside them.

#include "trace_view_state.h"

#include <QWidget>

#include <memory>

class QLabel;
class QSplitter;
class QTabWidget;

namespace spanwise {

class AnnotationStore;
class AnnotationsPanel;
class BreakdownPanel;
class FocusBreadcrumb;
class FindingsPanel;
class Minimap;
class SearchBar;
class SpanDetails;
class WaterfallView;

class TracePage : public QWidget {
    Q_OBJECT
public:
    // The annotations are those of the trace's file, shared with its other traces' pages; without
    // a store, annotations live in memory until saved with saveAs().
    TracePage(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QWidget* parent = nullptr,
              std::shared_ptr<AnnotationStore> annotations = {});

    TraceViewState* state() const { return m_state; }
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

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showCriticalStep();
    void placeCriticalStep();

    TraceViewState* m_state;
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
