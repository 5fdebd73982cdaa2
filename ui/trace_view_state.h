#pragma once
// The state every view of one trace follows: the visible time window, the selected span, which
// spans are collapsed (hence which rows are visible) and the subtree in focus.
//
// Rows are span indices, ascending. A run of repeated sibling calls (RepeatGroup) folds into one
// row, the row of its first member: that row stands for every member and their subtrees until the
// group is unfolded, when the members show as rows of their own. Selecting a member other than the
// first unfolds its group; selecting the first selects the group's row.
//
// Spans can be hidden: those shorter than a minimum duration, and those of hidden services.
// - A short span is hidden only with its whole subtree: when a descendant is long enough to show,
//   the span shows too, so no row is ever shown without its parent's row.
// - A span of a hidden service is taken out of the rows alone: its descendants of other services
//   stay visible, at their own depth, as if it were expanded (its collapsed flag is ignored).
// A folded group shows while any of its members shows. Revealing or selecting a hidden span does
// not show it (the views say how many spans are hidden). Row filters show the kept spans one by one:
// groups do not fold while a filter is on.

#include "service_palette.h"

#include <critical_path.h>
#include <dataset.h>
#include <repeat_groups.h>

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
    // The trace's services by name (Dataset::services), read from the spans once for every view.
    const std::vector<std::string_view>& services() const { return m_services; }
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
    bool isCollapsed(std::uint32_t span) const
    {
        const std::uint8_t set = m_collapsed[span - trace().first];
        // The span itself is read only while a level is collapsed: rebuilding the rows of an
        // expanded trace reads the flags alone.
        return set ? set == kCollapsed
                   : m_collapseDepth != kNoIndex && m_data->spans[span].depth >= m_collapseDepth && hasChildren(span);
    }
    void setCollapsed(std::uint32_t span, bool collapsed);
    void expandAll();
    void collapseBelowDepth(std::uint32_t depth);      // spans at this depth and deeper are collapsed
    void reveal(std::uint32_t span);                   // expands its ancestors
    void reveal(std::span<const std::uint32_t> spans); // the same for many, the rows rebuilt once
    // Some descendant of this span failed (the span itself may not).
    bool hasFailedDescendant(std::uint32_t span) const { return m_failedBelow[span - trace().first] != 0; }

    // Focus on one subtree: only its rows, its time range. Focus stack for "back".
    std::uint32_t focusRoot() const { return m_focusStack.empty() ? kNoIndex : m_focusStack.back(); }
    const std::vector<std::uint32_t>& focusStack() const { return m_focusStack; } // outermost first
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

    // Grouped repeats (on by default): the groups of the trace, by first member.
    const std::vector<RepeatGroup>& repeatGroups() const { return m_groups; }
    bool groupRepeats() const { return m_groupRepeats; }
    void setGroupRepeats(bool group);
    // Runs of at least this many calls form a group (5 by default); the groups fold again.
    std::uint32_t repeatThreshold() const { return m_repeatThreshold; }
    void setRepeatThreshold(std::uint32_t minCount);
    // The group whose members include `span` (as a direct member), nullptr for none.
    const RepeatGroup* groupOf(std::uint32_t span) const;
    // The group folded into the row of `span` (its first member), nullptr when that row shows one span.
    const RepeatGroup* foldedGroupAt(std::uint32_t span) const;
    // The group whose first member is `span` when it is unfolded (its members show as rows), else nullptr.
    const RepeatGroup* unfoldedGroupAt(std::uint32_t span) const;
    // The row that shows `span` without unfolding anything: its group's first member when the span is
    // a member of a folded group, else the span.
    std::uint32_t rowSpanOf(std::uint32_t span) const;
    // Folds or unfolds the group whose first member is `first`.
    void setGroupFolded(std::uint32_t first, bool folded);
    // Some member of the group failed, or a span below one.
    bool groupHasFailure(const RepeatGroup& group) const { return m_groupFailed[&group - m_groups.data()] != 0; }
    // When each of the group's calls started, in order, and whether it failed: side by side in
    // memory, for painting a tick per call without visiting spans spread over the trace.
    std::span<const TimeNs> callStarts(const RepeatGroup& group) const;
    std::span<const std::uint8_t> callsFailed(const RepeatGroup& group) const;
    // One past the last span of the group's members' subtrees.
    std::uint32_t groupEnd(const RepeatGroup& group) const { return m_data->spans[group.last].subtreeEnd; }
    // A search match among spans first <= span < end.
    bool hasSearchMatchIn(std::uint32_t first, std::uint32_t end) const;

    // Hidden spans (see above). Zero shows every span, whatever its duration.
    TimeNs minimumDuration() const { return m_minimumDuration; }
    void setMinimumDuration(TimeNs duration);
    bool isServiceHidden(StringId service) const;
    bool isServiceHidden(std::string_view service) const;
    void setServiceHidden(std::string_view service, bool hidden);
    std::vector<std::string_view> hiddenServices() const; // by name
    void showHiddenSpans();                               // no minimum duration, no hidden service
    // Spans of the focused subtree hidden as too short, and as of a hidden service (not counting
    // those also short); the spans of a folded group that shows count as shown, its row stands for them.
    std::uint32_t hiddenAsShort() const { return m_hiddenShort; }
    std::uint32_t hiddenByService() const { return m_hiddenByService; }
    std::uint32_t hiddenSpans() const { return m_hiddenShort + m_hiddenByService; }

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
    void hidingChanged();                      // the minimum duration or the hidden services

private:
    void rebuildRows();
    void findServicesAndFailures();
    void indexGroups();                            // what m_groups says, per span and per call
    void findShortSpans();                         // m_longEnough from the minimum duration
    bool groupFoldable(std::uint32_t group) const; // folds, unless unfolded
    bool groupFolds(std::uint32_t group) const;
    bool groupShows(const RepeatGroup& group) const;
    void countHidden();

    std::shared_ptr<const Dataset> m_data;
    std::uint32_t m_traceIndex;
    std::vector<std::string_view> m_services;
    ServiceColors m_serviceColors;
    TimeNs m_viewStart = 0;
    TimeNs m_viewEnd = 1;
    std::uint32_t m_selected = kNoIndex;
    // Collapsing a level marks no span: spans with children at m_collapseDepth or deeper are
    // collapsed unless m_collapsed says otherwise (0: as the depth says, else kCollapsed or kExpanded).
    enum : std::uint8_t { kCollapsed = 1, kExpanded = 2 };
    std::vector<std::uint8_t> m_collapsed; // per span of the trace
    std::uint32_t m_collapseDepth = kNoIndex;
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
    bool m_filtered = false; // a row filter keeps only some spans
    bool m_groupRepeats = true;
    std::uint32_t m_repeatThreshold = RepeatGroupOptions{}.minCount;
    std::vector<RepeatGroup> m_groups;
    std::vector<std::uint32_t> m_groupOf;  // per span of the trace: the group it is a member of
    std::vector<std::uint8_t> m_groupOpen; // per group: unfolded
    std::vector<std::uint8_t> m_groupFailed;
    std::vector<std::uint32_t> m_groupCalls; // per group and one more: where its calls begin below
    std::vector<TimeNs> m_callStarts;
    std::vector<std::uint8_t> m_callFailed;
    TimeNs m_minimumDuration = 0;
    std::vector<std::uint8_t> m_longEnough; // per span of the trace, while a minimum is set
    std::vector<StringId> m_hiddenServices; // ascending
    std::uint32_t m_hiddenShort = 0;
    std::uint32_t m_hiddenByService = 0;
};

} // namespace spanwise
