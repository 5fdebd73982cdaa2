#pragma once
// One trace on screen: the minimap over the waterfall, the details panel beside them.

#include "trace_view_state.h"

#include <QWidget>

class QSplitter;
class QTabWidget;

namespace spanwise {

class BreakdownPanel;
class FindingsPanel;
class Minimap;
class SearchBar;
class SpanDetails;
class WaterfallView;

class TracePage : public QWidget {
    Q_OBJECT
public:
    TracePage(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QWidget* parent = nullptr);

    TraceViewState* state() const { return m_state; }
    WaterfallView* waterfall() const { return m_waterfall; }
    Minimap* minimap() const { return m_minimap; }
    SpanDetails* details() const { return m_details; }
    SearchBar* searchBar() const { return m_search; }
    BreakdownPanel* breakdown() const { return m_breakdown; }
    FindingsPanel* findings() const { return m_findings; }
    QTabWidget* sidePanels() const { return m_side; }

private:
    TraceViewState* m_state;
    Minimap* m_minimap;
    WaterfallView* m_waterfall;
    SpanDetails* m_details;
    SearchBar* m_search;
    QTabWidget* m_side;
    BreakdownPanel* m_breakdown;
    FindingsPanel* m_findings;
};

} // namespace spanwise
