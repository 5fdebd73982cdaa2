#pragma once
// The state every view of one trace follows: the visible time window, the selected span, which
// spans are collapsed (hence which rows are visible) and the subtree in focus.

#include "service_palette.h"

#include <critical_path.h>
#include <dataset.h>

#include <QObject>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace spanwise {

class TraceViewState : public QObject {
    Q_OBJECT
public:
    TraceViewState(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QObject* parent = nullptr);

    const Dataset& data() const { return *m_data; }
    const Trace& trace() const { return m_data->traces[m_traceIndex]; }
    std::uint32_t traceIndex() const { return m_traceIndex; }
    // The colours of the trace's services; a comparison gives both its sides those of the union.
    const ServiceColors& serviceColors() const { return m_serviceColors; }
    void setServiceColors(ServiceColors colors);

    // Time window shown by the waterfall (absolute nanoseconds).
    TimeNs viewStart() const { return m_viewStart; }
    TimeNs viewEnd() const { return m_viewEnd; }
    void setViewRange(TimeNs start, TimeNs end);
    // Zooms by factor (> 1 zooms in) keeping time `anchor` at the same place.
    void zoom(double factor, TimeNs anchor);
    void pan(TimeNs delta);
    void resetView(); // the whole focused subtree
    TimeNs minimumViewSpan() const { return 1000; }

    std::uint32_t selected() const { return m_selected; } // kNoIndex when none
    void select(std::uint32_t span);

    // Rows: the spans shown, in order (ascending span indices).
    const std::vector<std::uint32_t>& rows() const { return m_rows; }
    int rowOf(std::uint32_t span) const; // -1 when hidden
    bool hasChildren(std::uint32_t span) const { return m_data->spans[span].subtreeEnd > span + 1; }
    bool isCollapsed(std::uint32_t span) const { return m_collapsed[span - trace().first] != 0; }
    void setCollapsed(std::uint32_t span, bool collapsed);
    void expandAll();
    void collapseBelowDepth(std::uint32_t depth);      // spans at this depth and deeper are collapsed
    void reveal(std::uint32_t span);                   // expands its ancestors
    void reveal(std::span<const std::uint32_t> spans); // the same for many, the rows rebuilt once
    // Some descendant of this span failed (the span itself may not).
    bool hasFailedDescendant(std::uint32_t span) const { return m_failedBelow[span - trace().first] != 0; }

    // Focus on one subtree: only its rows, its time range. Focus stack for "back".
    std::uint32_t focusRoot() const { return m_focusStack.empty() ? kNoIndex : m_focusStack.back(); }
    void focusOn(std::uint32_t span);
    void focusBack();
    // Focus on span, one of the focused subtree's ancestors or descendants: back to it when it was
    // focused before, on it otherwise; kNoIndex shows the whole trace again.
    void setFocusRoot(std::uint32_t span);
    std::uint32_t rangeBegin() const;
    std::uint32_t rangeEnd() const;

    // Spans found by the search, ascending; the views mark them.
    const std::vector<std::uint32_t>& searchMatches() const { return m_matches; }
    bool isSearchMatch(std::uint32_t span) const;
    void setSearchMatches(std::vector<std::uint32_t> matches);
    // Which rows show: all, or only the search matches / the spans on the critical path, each with
    // the path from the root to it; how many spans the filter hides.
    enum class RowFilter { All, Matches, CriticalPath };
    void setRowFilter(RowFilter filter);
    RowFilter rowFilter() const { return m_rowFilter; }
    std::uint32_t hiddenByFilter() const { return m_hiddenByFilter; }

    // The critical path of the trace, in time order, and its segments by span.
    const std::vector<CriticalSegment>& criticalPath() const { return m_criticalPath; }
    // Segments of spans first <= span < end (a span, or a span and its subtree), in span order.
    std::span<const CriticalSegment> criticalSegmentsOf(std::uint32_t first, std::uint32_t end) const;
    bool showCriticalPath() const { return m_showCriticalPath; }
    void setShowCriticalPath(bool show);
    // Selects the span of the next (+1) or previous (-1) critical segment in time after the current
    // one, and moves the view to show it.
    void stepCriticalSegment(int direction);
    // The index in criticalPath() of the segment stepped to last, while its span stays selected.
    std::optional<std::size_t> steppedSegment() const;

signals:
    void searchChanged();
    void decorationChanged(); // what is drawn over the bars (critical path) changed
    void viewRangeChanged();
    void selectionChanged(std::uint32_t span);
    void rowsChanged();
    void focusChanged();
    void criticalStepped(std::size_t segment); // after stepCriticalSegment selected its span

private:
    void rebuildRows();

    std::shared_ptr<const Dataset> m_data;
    std::uint32_t m_traceIndex;
    ServiceColors m_serviceColors;
    TimeNs m_viewStart = 0;
    TimeNs m_viewEnd = 1;
    std::uint32_t m_selected = kNoIndex;
    std::vector<std::uint8_t> m_collapsed;   // per span of the trace
    std::vector<std::uint8_t> m_failedBelow; // per span of the trace
    std::vector<std::uint32_t> m_rows;
    std::vector<std::uint32_t> m_focusStack;
    std::vector<std::uint32_t> m_matches;
    RowFilter m_rowFilter = RowFilter::All;
    std::vector<std::uint8_t> m_keep; // per span of the trace, when filtered: kept, or above a kept one
    std::vector<CriticalSegment> m_criticalPath;
    std::vector<CriticalSegment> m_criticalBySpan;
    bool m_showCriticalPath = true;
    std::size_t m_criticalCursor = 0; // index in m_criticalPath of the segment stepped to last
    bool m_stepped = false;           // the cursor's segment is the one shown, not just where to go on from
    std::uint32_t m_hiddenByFilter = 0;
};

} // namespace spanwise
