#include "trace_view_state.h"

#include <algorithm>

namespace spanwise {

TraceViewState::TraceViewState(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QObject* parent)
    : QObject(parent), m_data(std::move(data)), m_traceIndex(traceIndex),
      m_serviceColors(m_data->services(m_data->traces[traceIndex]))
{
    const Trace& t = trace();
    m_collapsed.assign(t.count, 0);
    m_failedBelow.assign(t.count, 0);
    // Bottom-up: in depth-first order children follow their parent.
    for (std::uint32_t i = t.end_index(); i-- > t.first;) {
        const Span& s = m_data->spans[i];
        if (s.parent != kNoIndex && (s.status == StatusCode::Error || m_failedBelow[i - t.first]))
            m_failedBelow[s.parent - t.first] = 1;
    }
    m_criticalPath = spanwise::criticalPath(*m_data, t);
    m_criticalBySpan = m_criticalPath;
    std::stable_sort(m_criticalBySpan.begin(), m_criticalBySpan.end(),
                     [](const CriticalSegment& a, const CriticalSegment& b) { return a.span < b.span; });
    rebuildRows();
    resetView();
}

void TraceViewState::setServiceColors(ServiceColors colors)
{
    m_serviceColors = std::move(colors);
    emit decorationChanged();
}

std::span<const CriticalSegment> TraceViewState::criticalSegmentsOf(std::uint32_t first, std::uint32_t end) const
{
    const auto bySpan = [](const CriticalSegment& s, std::uint32_t span) { return s.span < span; };
    const auto from = std::lower_bound(m_criticalBySpan.begin(), m_criticalBySpan.end(), first, bySpan);
    const auto to = std::lower_bound(from, m_criticalBySpan.end(), end, bySpan);
    return {from, to};
}

void TraceViewState::setShowCriticalPath(bool show)
{
    if (show == m_showCriticalPath)
        return;
    m_showCriticalPath = show;
    emit decorationChanged();
}

void TraceViewState::stepCriticalSegment(int direction)
{
    if (m_criticalPath.empty())
        return;
    const bool onCursor = m_criticalCursor < m_criticalPath.size() &&
                          m_criticalPath[m_criticalCursor].span == m_selected;
    if (!onCursor) { // start from the selection's first segment, or from an end of the path
        const auto it = std::find_if(m_criticalPath.begin(), m_criticalPath.end(),
                                     [this](const CriticalSegment& s) { return s.span == m_selected; });
        m_criticalCursor = it != m_criticalPath.end() ? static_cast<std::size_t>(it - m_criticalPath.begin())
                           : direction > 0            ? m_criticalPath.size() - 1
                                                      : 0;
    }
    m_criticalCursor = (m_criticalCursor + m_criticalPath.size() + direction) % m_criticalPath.size();
    // The views bring the segment into view (they know how wide it is on screen).
    select(m_criticalPath[m_criticalCursor].span);
    m_stepped = true;
    emit criticalStepped(m_criticalCursor);
}

std::optional<std::size_t> TraceViewState::steppedSegment() const
{
    if (m_stepped && m_criticalCursor < m_criticalPath.size() && m_criticalPath[m_criticalCursor].span == m_selected)
        return m_criticalCursor;
    return std::nullopt;
}

std::uint32_t TraceViewState::rangeBegin() const
{
    return m_focusStack.empty() ? trace().first : m_focusStack.back();
}

std::uint32_t TraceViewState::rangeEnd() const
{
    return m_focusStack.empty() ? trace().end_index() : m_data->spans[m_focusStack.back()].subtreeEnd;
}

void TraceViewState::setViewRange(TimeNs start, TimeNs end)
{
    if (end - start < minimumViewSpan()) {
        const TimeNs middle = start + (end - start) / 2;
        start = middle - minimumViewSpan() / 2;
        end = start + minimumViewSpan();
    }
    if (start == m_viewStart && end == m_viewEnd)
        return;
    m_viewStart = start;
    m_viewEnd = end;
    emit viewRangeChanged();
}

void TraceViewState::zoom(double factor, TimeNs anchor)
{
    const double left = static_cast<double>(anchor - m_viewStart) / factor;
    const double right = static_cast<double>(m_viewEnd - anchor) / factor;
    setViewRange(anchor - static_cast<TimeNs>(left), anchor + static_cast<TimeNs>(right));
}

void TraceViewState::pan(TimeNs delta)
{
    setViewRange(m_viewStart + delta, m_viewEnd + delta);
}

void TraceViewState::resetView()
{
    TimeNs start = trace().start;
    TimeNs end = trace().end;
    if (!m_focusStack.empty()) {
        start = m_data->spans[m_focusStack.back()].start;
        end = start;
        for (std::uint32_t i = rangeBegin(); i < rangeEnd(); ++i)
            end = std::max(end, m_data->spans[i].end);
    }
    const TimeNs margin = (end - start) / 50; // room for the last duration label
    setViewRange(start, end + margin);
}

void TraceViewState::select(std::uint32_t span)
{
    if (span == m_selected)
        return;
    m_selected = span;
    m_stepped = false;
    if (span != kNoIndex)
        reveal(span);
    emit selectionChanged(span);
}

int TraceViewState::rowOf(std::uint32_t span) const
{
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), span);
    return it != m_rows.end() && *it == span ? static_cast<int>(it - m_rows.begin()) : -1;
}

void TraceViewState::setCollapsed(std::uint32_t span, bool collapsed)
{
    if (!hasChildren(span) || isCollapsed(span) == collapsed)
        return;
    m_collapsed[span - trace().first] = collapsed;
    rebuildRows();
}

void TraceViewState::expandAll()
{
    std::fill(m_collapsed.begin(), m_collapsed.end(), 0);
    rebuildRows();
}

void TraceViewState::collapseBelowDepth(std::uint32_t depth)
{
    const Trace& t = trace();
    const std::uint32_t base = m_focusStack.empty() ? 0 : m_data->spans[m_focusStack.back()].depth;
    for (std::uint32_t i = t.first; i < t.end_index(); ++i)
        m_collapsed[i - t.first] = m_data->spans[i].depth >= base + depth && hasChildren(i);
    rebuildRows();
}

void TraceViewState::reveal(std::uint32_t span)
{
    reveal(std::span<const std::uint32_t>(&span, 1));
}

void TraceViewState::reveal(std::span<const std::uint32_t> spans)
{
    bool changed = false;
    bool unfocused = false;
    for (const std::uint32_t span : spans) {
        for (std::uint32_t p = m_data->spans[span].parent; p != kNoIndex; p = m_data->spans[p].parent) {
            if (m_collapsed[p - trace().first]) {
                m_collapsed[p - trace().first] = 0;
                changed = true;
            }
        }
        if (span < rangeBegin() || span >= rangeEnd()) {
            m_focusStack.clear();
            changed = unfocused = true;
        }
    }
    if (changed)
        rebuildRows();
    if (unfocused)
        emit focusChanged();
}

void TraceViewState::focusOn(std::uint32_t span)
{
    m_focusStack.push_back(span);
    rebuildRows();
    resetView();
    emit focusChanged();
}

void TraceViewState::focusBack()
{
    if (m_focusStack.empty())
        return;
    const std::uint32_t left = m_focusStack.back();
    m_focusStack.pop_back();
    rebuildRows();
    resetView();
    emit focusChanged();
    // Back where you were: the selection (or the subtree just left) shown among the rows again.
    if (m_selected == kNoIndex)
        select(left);
    else
        emit selectionChanged(m_selected);
}

void TraceViewState::setFocusRoot(std::uint32_t span)
{
    if (span == focusRoot())
        return;
    if (span == kNoIndex) {
        m_focusStack.clear();
    } else if (const auto it = std::find(m_focusStack.begin(), m_focusStack.end(), span); it != m_focusStack.end()) {
        m_focusStack.erase(it + 1, m_focusStack.end());
    } else {
        focusOn(span);
        return;
    }
    rebuildRows();
    resetView();
    emit focusChanged();
}

bool TraceViewState::isSearchMatch(std::uint32_t span) const
{
    return std::binary_search(m_matches.begin(), m_matches.end(), span);
}

void TraceViewState::setSearchMatches(std::vector<std::uint32_t> matches)
{
    m_matches = std::move(matches);
    emit searchChanged();
    if (m_rowFilter == RowFilter::Matches)
        rebuildRows();
}

void TraceViewState::setRowFilter(RowFilter filter)
{
    if (filter == m_rowFilter)
        return;
    m_rowFilter = filter;
    rebuildRows();
}

void TraceViewState::rebuildRows()
{
    m_rows.clear();
    const std::uint32_t first = trace().first;
    const bool filtered = (m_rowFilter == RowFilter::Matches && !m_matches.empty()) ||
                          (m_rowFilter == RowFilter::CriticalPath && !m_criticalPath.empty());
    if (filtered) {
        // Keep every match (or critical span) and, bottom-up, every span above one.
        m_keep.assign(trace().count, 0);
        if (m_rowFilter == RowFilter::Matches) {
            for (std::uint32_t m : m_matches)
                m_keep[m - first] = 1;
        } else {
            for (const CriticalSegment& segment : m_criticalPath)
                m_keep[segment.span - first] = 1;
        }
        for (std::uint32_t i = trace().end_index(); i-- > first;) {
            const std::uint32_t p = m_data->spans[i].parent;
            if (m_keep[i - first] && p != kNoIndex)
                m_keep[p - first] = 1;
        }
    }
    m_hiddenByFilter = 0;
    for (std::uint32_t i = rangeBegin(); i < rangeEnd();) {
        if (filtered && !m_keep[i - first]) {
            m_hiddenByFilter += m_data->spans[i].subtreeEnd - i;
            i = m_data->spans[i].subtreeEnd;
            continue;
        }
        m_rows.push_back(i);
        i = m_collapsed[i - first] ? m_data->spans[i].subtreeEnd : i + 1;
    }
    emit rowsChanged();
}

} // namespace spanwise
