#include "trace_view_state.h"

#include <parallel_for.h>

#include <algorithm>
#include <thread>

namespace spanwise {

namespace {

std::vector<RepeatGroup> repeatGroupsOf(const Dataset& data, const Trace& trace, std::uint32_t minCount)
{
    return findRepeatGroups(data, trace, {.minCount = minCount, .threads = std::thread::hardware_concurrency()});
}

} // namespace

TraceViewState::TraceViewState(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QObject* parent)
    : QObject(parent), m_data(std::move(data)), m_traceIndex(traceIndex)
{
    const Trace& t = trace();
    m_collapsed.assign(t.count, 0);
    // Three reads of the trace that need nothing of each other, side by side: a big trace opens
    // sooner. The longest first.
    runTasks(std::thread::hardware_concurrency(), 3, [this](std::size_t task, bool) {
        switch (task) {
        case 0:
            m_groups = repeatGroupsOf(*m_data, trace(), m_repeatThreshold);
            break;
        case 1:
            m_criticalPath = spanwise::criticalPath(*m_data, trace());
            m_criticalBySpan = m_criticalPath;
            std::stable_sort(m_criticalBySpan.begin(), m_criticalBySpan.end(),
                             [](const CriticalSegment& a, const CriticalSegment& b) { return a.span < b.span; });
            break;
        default:
            findServicesAndFailures();
        }
    });
    m_serviceColors = ServiceColors(m_services);
    indexGroups();
    rebuildRows();
    resetView();
}

void TraceViewState::findServicesAndFailures()
{
    const Trace& t = trace();
    m_failedBelow.assign(t.count, 0);
    // Bottom-up: in depth-first order children follow their parent. The services (as
    // Dataset::services finds them) in the same pass: one read of the spans, not two.
    std::vector<std::uint8_t> seen(m_data->strings.size(), 0);
    for (std::uint32_t i = t.end_index(); i-- > t.first;) {
        const Span& s = m_data->spans[i];
        if (!seen[s.service]) {
            seen[s.service] = 1;
            m_services.push_back(m_data->str(s.service));
        }
        if (s.parent != kNoIndex && (s.status == StatusCode::Error || m_failedBelow[i - t.first]))
            m_failedBelow[s.parent - t.first] = 1;
    }
    std::sort(m_services.begin(), m_services.end());
}

void TraceViewState::indexGroups()
{
    const Trace& t = trace();
    m_groupOf.assign(t.count, kNoIndex);
    m_groupOpen.assign(m_groups.size(), 0);
    m_groupFailed.assign(m_groups.size(), 0);
    m_groupCalls.assign(m_groups.size() + 1, 0);
    for (std::uint32_t g = 0; g < m_groups.size(); ++g)
        m_groupCalls[g + 1] = m_groupCalls[g] + m_groups[g].count;
    m_callStarts.resize(m_groupCalls.back());
    m_callFailed.resize(m_groupCalls.back());
    // Each group writes only its own members' places: groups side by side, on all cores.
    parallelFor(
        std::thread::hardware_concurrency(), m_groups.size(),
        [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t g = begin; g < end; ++g) {
            const RepeatGroup& group = m_groups[g];
            std::uint32_t call = m_groupCalls[g];
            for (std::uint32_t m = group.first; m <= group.last; m = m_data->spans[m].subtreeEnd, ++call) {
                const Span& s = m_data->spans[m];
                m_groupOf[m - t.first] = static_cast<std::uint32_t>(g);
                if (s.status == StatusCode::Error || m_failedBelow[m - t.first])
                    m_groupFailed[g] = 1;
                m_callStarts[call] = s.start;
                m_callFailed[call] = s.status == StatusCode::Error ? 1 : 0;
            }
        }
        },
        256);
}

std::span<const TimeNs> TraceViewState::callStarts(const RepeatGroup& group) const
{
    const std::size_t g = static_cast<std::size_t>(&group - m_groups.data());
    return std::span<const TimeNs>(m_callStarts).subspan(m_groupCalls[g], m_groupCalls[g + 1] - m_groupCalls[g]);
}

std::span<const std::uint8_t> TraceViewState::callsFailed(const RepeatGroup& group) const
{
    const std::size_t g = static_cast<std::size_t>(&group - m_groups.data());
    return std::span<const std::uint8_t>(m_callFailed).subspan(m_groupCalls[g], m_groupCalls[g + 1] - m_groupCalls[g]);
}

void TraceViewState::setGroupRepeats(bool group)
{
    if (group == m_groupRepeats)
        return;
    m_groupRepeats = group;
    rebuildRows();
}

void TraceViewState::setRepeatThreshold(std::uint32_t minCount)
{
    minCount = std::max<std::uint32_t>(2, minCount);
    if (minCount == m_repeatThreshold)
        return;
    m_repeatThreshold = minCount;
    m_groups = repeatGroupsOf(*m_data, trace(), m_repeatThreshold);
    indexGroups();
    rebuildRows();
}

const RepeatGroup* TraceViewState::groupOf(std::uint32_t span) const
{
    const std::uint32_t g = m_groupOf[span - trace().first];
    return g == kNoIndex ? nullptr : &m_groups[g];
}

bool TraceViewState::groupFoldable(std::uint32_t group) const
{
    // Into the row of its first member, when its parent's row is in the focused subtree.
    const RepeatGroup& g = m_groups[group];
    return m_groupRepeats && !m_filtered && g.first > rangeBegin() && g.first < rangeEnd();
}

bool TraceViewState::groupFolds(std::uint32_t group) const
{
    return !m_groupOpen[group] && groupFoldable(group);
}

const RepeatGroup* TraceViewState::unfoldedGroupAt(std::uint32_t span) const
{
    const std::uint32_t g = m_groupOf[span - trace().first];
    return g != kNoIndex && m_groups[g].first == span && m_groupOpen[g] && groupFoldable(g) ? &m_groups[g] : nullptr;
}

const RepeatGroup* TraceViewState::foldedGroupAt(std::uint32_t span) const
{
    const std::uint32_t g = m_groupOf[span - trace().first];
    return g != kNoIndex && m_groups[g].first == span && groupFolds(g) ? &m_groups[g] : nullptr;
}

std::uint32_t TraceViewState::rowSpanOf(std::uint32_t span) const
{
    const std::uint32_t g = m_groupOf[span - trace().first];
    return g != kNoIndex && groupFolds(g) ? m_groups[g].first : span;
}

void TraceViewState::setGroupFolded(std::uint32_t first, bool folded)
{
    const std::uint32_t g = m_groupOf[first - trace().first];
    if (g == kNoIndex || m_groups[g].first != first || m_groupOpen[g] == !folded)
        return;
    m_groupOpen[g] = !folded;
    rebuildRows();
}

bool TraceViewState::hasSearchMatchIn(std::uint32_t first, std::uint32_t end) const
{
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), first);
    return it != m_matches.end() && *it < end;
}

void TraceViewState::setMinimumDuration(TimeNs duration)
{
    duration = std::max<TimeNs>(0, duration);
    if (duration == m_minimumDuration)
        return;
    m_minimumDuration = duration;
    findShortSpans();
    rebuildRows();
    emit hidingChanged();
}

void TraceViewState::findShortSpans()
{
    const Trace& t = trace();
    if (m_minimumDuration <= 0) {
        m_longEnough.clear();
        return;
    }
    m_longEnough.assign(t.count, 0);
    // Bottom-up: a span long enough keeps its ancestors shown.
    for (std::uint32_t i = t.end_index(); i-- > t.first;) {
        const Span& s = m_data->spans[i];
        if (s.duration() >= m_minimumDuration)
            m_longEnough[i - t.first] = 1;
        if (m_longEnough[i - t.first] && s.parent != kNoIndex)
            m_longEnough[s.parent - t.first] = 1;
    }
}

bool TraceViewState::isServiceHidden(StringId service) const
{
    return std::binary_search(m_hiddenServices.begin(), m_hiddenServices.end(), service);
}

bool TraceViewState::isServiceHidden(std::string_view service) const
{
    const StringId id = m_data->strings.find(service);
    return id != kNoIndex && isServiceHidden(id);
}

void TraceViewState::setServiceHidden(std::string_view service, bool hidden)
{
    const StringId id = m_data->strings.find(service);
    if (id == kNoIndex || isServiceHidden(id) == hidden)
        return;
    const auto at = std::lower_bound(m_hiddenServices.begin(), m_hiddenServices.end(), id);
    if (hidden)
        m_hiddenServices.insert(at, id);
    else
        m_hiddenServices.erase(at);
    rebuildRows();
    emit hidingChanged();
}

std::vector<std::string_view> TraceViewState::hiddenServices() const
{
    std::vector<std::string_view> names;
    for (const StringId id : m_hiddenServices)
        names.push_back(m_data->str(id));
    std::sort(names.begin(), names.end());
    return names;
}

void TraceViewState::showHiddenSpans()
{
    if (m_minimumDuration == 0 && m_hiddenServices.empty())
        return;
    m_minimumDuration = 0;
    m_longEnough.clear();
    m_hiddenServices.clear();
    rebuildRows();
    emit hidingChanged();
}

bool TraceViewState::groupShows(const RepeatGroup& group) const
{
    if (m_longEnough.empty())
        return true;
    for (std::uint32_t m = group.first; m <= group.last; m = m_data->spans[m].subtreeEnd) {
        if (m_longEnough[m - trace().first])
            return true;
    }
    return false;
}

void TraceViewState::countHidden()
{
    m_hiddenShort = m_hiddenByService = 0;
    if (m_longEnough.empty() && m_hiddenServices.empty())
        return;
    const std::uint32_t first = trace().first;
    for (std::uint32_t i = rangeBegin(); i < rangeEnd(); ++i) {
        if (const RepeatGroup* group = foldedGroupAt(i);
            group && groupShows(*group) && !isServiceHidden(m_data->spans[i].service)) {
            i = groupEnd(*group) - 1; // its row stands for all its spans
            continue;
        }
        if (!m_longEnough.empty() && !m_longEnough[i - first])
            ++m_hiddenShort;
        else if (!m_hiddenServices.empty() && isServiceHidden(m_data->spans[i].service))
            ++m_hiddenByService;
    }
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
    m_collapsed[span - trace().first] = collapsed ? kCollapsed : kExpanded;
    rebuildRows();
}

void TraceViewState::expandAll()
{
    std::fill(m_collapsed.begin(), m_collapsed.end(), 0);
    m_collapseDepth = kNoIndex;
    rebuildRows();
}

void TraceViewState::collapseBelowDepth(std::uint32_t depth)
{
    const std::uint32_t base = m_focusStack.empty() ? 0 : m_data->spans[m_focusStack.back()].depth;
    std::fill(m_collapsed.begin(), m_collapsed.end(), 0);
    m_collapseDepth = base + depth;
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
    const auto unfold = [&](std::uint32_t member) { // the group of a member
        const std::uint32_t g = m_groupOf[member - trace().first];
        if (g != kNoIndex && !m_groupOpen[g]) {
            m_groupOpen[g] = 1;
            changed = true;
        }
    };
    for (const std::uint32_t span : spans) {
        if (const RepeatGroup* g = groupOf(span); g && g->first != span)
            unfold(span); // the first member's row is the group's
        for (std::uint32_t p = m_data->spans[span].parent; p != kNoIndex; p = m_data->spans[p].parent) {
            if (isCollapsed(p)) {
                m_collapsed[p - trace().first] = kExpanded;
                changed = true;
            }
            unfold(p);
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
    m_filtered = filtered;
    m_hiddenByFilter = 0;
    const bool hidesShort = !m_longEnough.empty();
    const bool hidesServices = !m_hiddenServices.empty();
    for (std::uint32_t i = rangeBegin(); i < rangeEnd();) {
        const Span& s = m_data->spans[i];
        if (filtered && !m_keep[i - first]) {
            m_hiddenByFilter += s.subtreeEnd - i;
            i = s.subtreeEnd;
            continue;
        }
        if (hidesServices && isServiceHidden(s.service)) { // its descendants show as they are
            ++i;
            continue;
        }
        if (const RepeatGroup* group = foldedGroupAt(i)) {
            if (groupShows(*group))
                m_rows.push_back(i);
            i = groupEnd(*group);
            continue;
        }
        if (hidesShort && !m_longEnough[i - first]) {
            i = s.subtreeEnd;
            continue;
        }
        m_rows.push_back(i);
        i = isCollapsed(i) ? s.subtreeEnd : i + 1;
    }
    countHidden();
    emit rowsChanged();
}

} // namespace spanwise
