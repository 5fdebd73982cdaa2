#include "comparison.h"

#include "diff_tree_model.h"

#include <QScopedValueRollback>

#include <algorithm>

namespace spanwise {

Comparison::Comparison(const CompareSide& a, const CompareSide& b, std::shared_ptr<const TraceDiff> diff,
                       QObject* parent)
    : QObject(parent), m_diff(std::move(diff)), m_model(new DiffTreeModel(m_diff, this)), m_names{a.name, b.name}
{
    m_states[0] = new TraceViewState(a.data, a.traceIndex, this);
    m_states[1] = new TraceViewState(b.data, b.traceIndex, this);
    // One colour per service across both sides, so a service looks the same in A and B.
    std::vector<std::string_view> services = m_states[0]->services();
    const std::vector<std::string_view>& servicesB = m_states[1]->services();
    services.insert(services.end(), servicesB.begin(), servicesB.end());
    const ServiceColors colors(services);
    // Both sides on one time scale, so equal lengths look equal.
    const TimeNs width = std::max(m_states[0]->trace().duration(), m_states[1]->trace().duration());
    for (int side = 0; side < 2; ++side) {
        TraceViewState* state = m_states[side];
        state->setServiceColors(colors);
        state->setViewRange(state->trace().start, state->trace().start + width + width / 50);
        connect(state, &TraceViewState::selectionChanged, this, [this, side](std::uint32_t span) {
            if (m_showing || span == kNoIndex)
                return;
            const std::vector<std::uint32_t>& nodeOfSpan = side == 0 ? m_diff->nodeOfSpanA : m_diff->nodeOfSpanB;
            const std::uint32_t node = nodeOfSpan[span - m_states[side]->trace().first];
            showNode(node, side);
            emit nodeShownFromSpan(node, side);
        });
    }
}

std::uint32_t Comparison::openingNode() const
{
    const std::vector<std::uint32_t> byDelta = nodesByTotalDelta(*m_diff);
    const auto slower = std::find_if(byDelta.begin(), byDelta.end(), [this](std::uint32_t node) {
        return m_diff->nodes[node].totalDelta() > 0 && m_diff->nodes[node].status != DiffStatus::Same;
    });
    if (slower != byDelta.end())
        return *slower;
    if (!byDelta.empty() && m_diff->nodes[byDelta.front()].status != DiffStatus::Same)
        return byDelta.front();
    return kNoIndex;
}

std::vector<std::uint32_t> Comparison::spansOf(int side, std::uint32_t node) const
{
    const std::vector<std::uint32_t>& nodeOfSpan = side == 0 ? m_diff->nodeOfSpanA : m_diff->nodeOfSpanB;
    const std::uint32_t first = m_states[side]->trace().first;
    std::vector<std::uint32_t> spans;
    for (std::uint32_t i = 0; i < nodeOfSpan.size(); ++i) {
        if (nodeOfSpan[i] == node)
            spans.push_back(first + i);
    }
    return spans;
}

void Comparison::showNode(std::uint32_t node, int keepSide)
{
    const QScopedValueRollback<bool> showing(m_showing, true);
    m_shownNode = node;
    for (int side = 0; side < 2; ++side) {
        TraceViewState* state = m_states[side];
        // A node the side lacks (added, removed) shows where it would be: its nearest ancestor there.
        std::uint32_t present = node;
        while (present != kNoIndex && (side == 0 ? m_diff->nodes[present].a : m_diff->nodes[present].b).count == 0)
            present = m_diff->nodes[present].parent;
        std::vector<std::uint32_t> spans = present == kNoIndex ? std::vector<std::uint32_t>() : spansOf(side, present);
        m_shownSpans[side] = side == keepSide ? state->selected() : spans.empty() ? kNoIndex : spans.front();
        state->reveal(spans);
        state->setSearchMatches(std::move(spans)); // every span of the node marked
        if (side != keepSide)
            state->select(m_shownSpans[side]);
    }
    alignOnShownSpans();
}

void Comparison::alignOnShownSpans()
{
    // The same time scale on both sides, each starting a little before its span.
    TimeNs width = m_states[0]->minimumViewSpan();
    for (int side = 0; side < 2; ++side) {
        if (m_shownSpans[side] != kNoIndex)
            width = std::max(width, m_states[side]->data().spans[m_shownSpans[side]].duration());
    }
    width = width * 5 / 4;
    for (int side = 0; side < 2; ++side) {
        if (m_shownSpans[side] == kNoIndex)
            continue;
        const TimeNs start = m_states[side]->data().spans[m_shownSpans[side]].start - width / 10;
        m_states[side]->setViewRange(start, start + width);
    }
}

} // namespace spanwise
