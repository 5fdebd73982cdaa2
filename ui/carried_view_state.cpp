#include "carried_view_state.h"

#include "search_bar.h"
#include "trace_page.h"

#include <QLineEdit>
#include <QTabWidget>

#include <unordered_map>

namespace spanwise {

namespace {

CarriedViewState::SpanKey keyOf(const Span& span)
{
    return {span.id, span.has(MarkShared)};
}

struct SpanKeyHash {
    std::size_t operator()(const CarriedViewState::SpanKey& key) const
    {
        return std::hash<SpanId>()(key.first) ^ std::size_t(key.second);
    }
};

} // namespace

CarriedViewState CarriedViewState::of(const TracePage& page)
{
    const TraceViewState& state = *page.state();
    const Dataset& data = state.data();
    const Trace& trace = state.trace();
    CarriedViewState carried;
    if (state.selected() != kNoIndex)
        carried.m_selected = keyOf(data.spans[state.selected()]);
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
        if (state.hasChildren(i) && state.isCollapsed(i))
            carried.m_collapsed.push_back(keyOf(data.spans[i]));
    }
    for (std::uint32_t root : state.focusStack())
        carried.m_focus.push_back(keyOf(data.spans[root]));
    TimeNs start = trace.start;
    TimeNs end = trace.end;
    if (state.focusRoot() != kNoIndex) {
        start = data.spans[state.focusRoot()].start;
        end = start;
        for (std::uint32_t i = state.rangeBegin(); i < state.rangeEnd(); ++i)
            end = std::max(end, data.spans[i].end);
    }
    if (state.viewStart() > start || state.viewEnd() < end)
        carried.m_zoom = std::pair(state.viewStart(), state.viewEnd());
    carried.m_rowFilter = static_cast<int>(state.rowFilter());
    carried.m_minimumDuration = state.minimumDuration();
    for (std::string_view service : state.hiddenServices())
        carried.m_hiddenServices.emplace_back(service);
    carried.m_groupRepeats = state.groupRepeats();
    carried.m_showCriticalPath = state.showCriticalPath();
    if (page.searchBar()->isVisibleTo(&page)) {
        carried.m_search = page.searchBar()->field()->text();
        carried.m_typing = page.searchBar()->field()->hasFocus();
    }
    carried.m_view = static_cast<int>(page.currentView());
    carried.m_sidePanel = page.sidePanels()->currentIndex();
    return carried;
}

void CarriedViewState::applyTo(TracePage& page) const
{
    TraceViewState& state = *page.state();
    const Dataset& data = state.data();
    const Trace& trace = state.trace();
    std::unordered_map<SpanKey, std::uint32_t, SpanKeyHash> byKey;
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
        byKey.try_emplace(keyOf(data.spans[i]), i);
    const auto find = [&](const SpanKey& key) -> std::optional<std::uint32_t> {
        const auto it = byKey.find(key);
        return it == byKey.end() ? std::nullopt : std::optional(it->second);
    };

    // Selecting reveals the span (expanding its ancestors, leaving a focus it is outside of): first,
    // so that what the user collapsed and focused on is set after it.
    if (m_selected) {
        if (const auto span = find(*m_selected))
            state.select(*span);
    }

    state.setGroupRepeats(m_groupRepeats);
    state.setMinimumDuration(m_minimumDuration);
    for (const std::string& service : m_hiddenServices)
        state.setServiceHidden(service, true);
    for (const SpanKey& key : m_collapsed) {
        if (const auto span = find(key); span && state.hasChildren(*span))
            state.setCollapsed(*span, true);
    }
    for (const SpanKey& key : m_focus) {
        if (const auto span = find(key))
            state.focusOn(*span);
    }
    state.setRowFilter(static_cast<TraceViewState::RowFilter>(m_rowFilter));
    state.setShowCriticalPath(m_showCriticalPath);
    if (m_zoom)
        state.setViewRange(m_zoom->first, m_zoom->second);
    else
        state.resetView();
    page.showView(static_cast<TracePage::View>(m_view));
    page.sidePanels()->setCurrentIndex(m_sidePanel);
    if (m_search) {
        page.searchBar()->open();
        page.searchBar()->field()->setText(*m_search);
    }
}

} // namespace spanwise
