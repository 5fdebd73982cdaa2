#pragma once
// A comparison apart from any widget: the diff, its tree model, both traces' view states on one time
// scale and one set of service colours, and the node they show. The compare page puts it on screen;
// `spanwise diff -o` draws it with no widgets at all.

#include "trace_view_state.h"

#include <trace_diff.h>

#include <QObject>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace spanwise {

class DiffTreeModel;

// One side of a comparison: a trace of a loaded file.
struct CompareSide {
    std::shared_ptr<const Dataset> data;
    std::uint32_t traceIndex = 0;
    QString name; // the file's name, shown over its waterfall
};

class Comparison : public QObject {
    Q_OBJECT
public:
    Comparison(const CompareSide& a, const CompareSide& b, std::shared_ptr<const TraceDiff> diff,
               QObject* parent = nullptr);

    const TraceDiff& diff() const { return *m_diff; }
    const std::shared_ptr<const TraceDiff>& sharedDiff() const { return m_diff; }
    DiffTreeModel* model() const { return m_model; }
    // Side 0 is A, 1 is B.
    TraceViewState* state(int side) const { return m_states[side]; }
    const QString& sideName(int side) const { return m_names[side]; }

    // The node a reader opens on: the largest slow-down, else the largest change; kNoIndex when
    // nothing changed.
    std::uint32_t openingNode() const;
    // Spans of a side on a node, ascending.
    std::vector<std::uint32_t> spansOf(int side, std::uint32_t node) const;

    // Shows the node in both traces: its spans revealed and marked, the first one selected (a side
    // lacking the node shows its nearest ancestor there), both time windows on one scale starting a
    // little before it. The selection of `keepSide` (0, 1, or -1 for none) stays as it is.
    void showNode(std::uint32_t node, int keepSide = -1);
    // The node shown last; kNoIndex before any.
    std::uint32_t shownNode() const { return m_shownNode; }
    // The span of a side showNode selected or kept; kNoIndex when the side has none.
    std::uint32_t shownSpan(int side) const { return m_shownSpans[side]; }

signals:
    // A span selected in one side's trace (by a view, not by showNode) showed its node in both.
    void nodeShownFromSpan(std::uint32_t node, int side);

private:
    void alignOnShownSpans();

    std::shared_ptr<const TraceDiff> m_diff;
    DiffTreeModel* m_model;
    std::array<TraceViewState*, 2> m_states{};
    std::array<QString, 2> m_names;
    std::uint32_t m_shownNode = kNoIndex;
    std::array<std::uint32_t, 2> m_shownSpans{kNoIndex, kNoIndex};
    bool m_showing = false; // selections made by showNode are not a reader's
};

} // namespace spanwise
