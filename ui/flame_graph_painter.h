#pragma once
// Paints a trace's flame graph with any QPainter, root at the top (icicle orientation, as Chrome
// and speedscope draw it): the merged call paths of the focused subtree, siblings left-heavy (the
// default); the time-ordered icicle of every span on the state's time window, concurrent siblings
// on lanes of their own; or the sandwich of one operation, its callers above and its callees below.
// Frames take their service's colour, carry a line for their critical-path share, an error frame,
// the search and selection marks; frames narrower than a few pixels fold into grey marks, as Tracy
// folds its zones. FlameGraphView paints its canvas with it, an image export its picture.

#include "trace_view_state.h"

#include <call_tree.h>

#include <QFont>
#include <QHash>
#include <QPalette>
#include <QRect>
#include <QString>

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class QPainter;

namespace spanwise {

class FlameGraphPainter {
public:
    enum class Mode : std::uint8_t { Merged, Icicle, Sandwich };
    // What a merged frame's width stands for: its spans' total time, or the self time of its subtree.
    enum class Width : std::uint8_t { Total, Self };

    // Icicle: lanes a level of concurrent siblings takes at most; the rest fold into one mark.
    static constexpr std::uint32_t kMaxLanes = 8;

    explicit FlameGraphPainter(const TraceViewState* state);

    // The palette chooses light or dark shades; the font sizes rows and labels.
    void setPalette(const QPalette& palette);
    void setFont(const QFont& font);
    bool dark() const { return m_dark; }
    int rowHeight() const { return m_rowHeight; }
    // The selected span's frame is outlined (the default), or not (an exported picture).
    void setPaintsSelection(bool paints) { m_paintsSelection = paints; }

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    Width widthMetric() const { return m_width; }
    void setWidthMetric(Width width);

    // The merged tree of the state's focused spans, built again after the focus changed (the zoom
    // is reset); and the search marks, after the search changed.
    void rebuild();
    void updateSearch();
    const CallTree& tree() const { return m_tree; }

    // Merged: the node whose subtree fills the width, its ancestors in full-width rows above;
    // kNoIndex for the whole tree.
    std::uint32_t zoomNode() const { return m_zoom; }
    void setZoomNode(std::uint32_t node);

    // Differential: the merged tree of the state's whole trace (B) as compared with trace A, each
    // frame coloured by its change (slower, faster, same within the noise threshold, added) and the
    // paths only A has marked under their parent; nullptr for the plain graph. Only the merged mode
    // shows it, and the focus does not apply.
    void setDifferential(std::shared_ptr<const CallTreeDiff> diff);
    const CallTreeDiff* differential() const { return m_diff.get(); }

    // Sandwich: of the operation of this span (kNoIndex: none), built when the operation changes.
    void setSandwichSpan(std::uint32_t span);
    const Sandwich* sandwich() const { return m_sandwich ? &*m_sandwich : nullptr; }
    QString sandwichLabel() const;

    // Rows scrolled off the top, in pixels; the height all rows of the mode take.
    void setVerticalOffset(int pixels) { m_offset = std::max(0, pixels); }
    int verticalOffset() const { return m_offset; }
    int contentHeight() const { return m_contentRows * m_rowHeight; }

    void paint(QPainter& p, const QRect& area) const;

    // What was painted last, in the painted area's coordinates, for hit-testing and tooltips.
    struct Frame {
        enum class Kind : std::uint8_t {
            Node,    // a node of tree(), or of a sandwich tree (section)
            Folded,  // frames too narrow to draw, folded into one mark
            Span,    // a span of the icicle
            Removed, // Differential: paths only A has, under the node `index` (kNoIndex: top level)
            // Icicle: spans running alongside more concurrent siblings than a level has lanes for,
            // with their subtrees, folded into one mark under the span `index` (kNoIndex: top level)
            Concurrent,
        };
        QRectF rect;
        Kind kind = Kind::Node;
        std::uint8_t section = 0;       // Sandwich: 0 for the callers, 1 for the callees
        std::uint32_t index = kNoIndex; // Node: the node; Span: the span; Folded: the parent node or span
        std::uint32_t hidden = 0;       // Folded, Concurrent: frames (merged) or spans (icicle) folded
    };
    const std::vector<Frame>& frames() const { return m_frames; }
    const Frame* frameAt(const QPointF& pos) const;
    // The tree a Node frame belongs to.
    const CallTree& treeOf(const Frame& frame) const;
    // The span clicking the frame selects: a node's longest span; kNoIndex for a folded mark.
    std::uint32_t spanOf(const Frame& frame) const;
    // Rich text: count, total, self, p50, max, errors and critical-path time of a node; a span's
    // times; what a folded mark holds.
    QString toolTip(const Frame& frame) const;
    // The frame of a node of tree() (Merged) painted last, if it was.
    std::optional<QRectF> nodeRect(std::uint32_t node) const;

private:
    struct TreeMarks {
        std::vector<double> widths;        // layout width of each node, in nanoseconds of its root
        std::vector<TimeNs> critical;      // critical-path time of each node's subtree
        std::vector<std::uint8_t> matches; // holds a search match
        // Once a frame and all its later siblings are too narrow, they fold without being visited:
        // the widest of a node and its later siblings; the children of each node, and the sum of
        // their widths (the last entries for the top level).
        std::vector<double> tailMax;
        std::vector<std::uint32_t> childCount;
        std::vector<double> childWidth;
    };
    TreeMarks marksOf(const CallTree& tree, Width width) const;
    void paintTree(QPainter& p, const CallTree& tree, const TreeMarks& marks, std::uint8_t section, std::uint32_t root,
                   int firstRow, bool upward, const QRect& area) const;
    void paintIcicle(QPainter& p, const QRect& area) const;
    void paintSandwich(QPainter& p, const QRect& area) const;
    void paintFrame(QPainter& p, const QRectF& rect, const QColor& service, const QString& label, bool error,
                    bool match, double criticalShare) const;
    // A mark for `hidden` frames folded, recorded as a frame of the section under `index`.
    void paintFolded(QPainter& p, const QRectF& rect, std::uint32_t hidden, std::uint8_t section,
                     std::uint32_t index) const;
    void paintBatch(QPainter& p) const;
    int labelAdvance(const QString& label) const; // its width in m_font, measured once
    // The label cut to `room` pixels with an ellipsis ("" when not even one character fits).
    QString elided(const QString& label, int room) const;
    int charAdvance(QChar c) const; // in m_font, measured once
    void paintHeading(QPainter& p, int y, int width, const QString& text) const;
    void paintSelection(QPainter& p) const;
    QColor serviceColor(std::uint32_t span) const;
    QColor nodeColor(const CallTree& tree, std::uint32_t node) const; // the service's, or the change's
    void paintRemoved(QPainter& p, std::uint32_t parent, const QRectF& parentRect) const;
    QString differentialToolTip(const Frame& frame) const;
    QString nodeLabel(const CallTree& tree, std::uint32_t node, TimeNs shown) const;
    int rowY(int row) const { return row * m_rowHeight - m_offset; }
    std::uint32_t sandwichCallerRows() const;
    void computeLayout(); // the icicle's lanes
    void paintConcurrent(QPainter& p, std::uint32_t slot, int row, int firstRow, int rows, double nsPerPixel,
                         std::vector<std::uint8_t>& covered) const;
    void updateContentRows(); // m_contentRows, after the mode, tree, zoom or sandwich changed

    const TraceViewState* m_state;
    QPalette m_palette;
    QFont m_font;
    bool m_dark = false;
    int m_rowHeight = 20;
    bool m_paintsSelection = true;
    Mode m_mode = Mode::Merged;
    Width m_width = Width::Total;
    std::uint32_t m_zoom = kNoIndex;
    int m_offset = 0;
    int m_contentRows = 0;
    CallTree m_tree;
    std::vector<TimeNs> m_critical; // per span of the trace
    // The icicle's layout of the focused range, by slot: a span's index minus the range's first, and
    // one more slot after them for the range's top-level spans. Siblings running at the same time
    // take lanes, the first free one by start time, each lane as tall as the tallest subtree in it,
    // so no span is painted over another: the rows a slot's subtree takes, its own included; its
    // children (m_children from m_childStart[slot] to m_childStart[slot + 1], in start order, with
    // their start and end times alongside in m_childTimes and the rows below the parent each is
    // drawn on in m_childRow, kNoIndex for one beyond the lanes) and the longest of them.
    std::vector<std::uint32_t> m_block;
    std::vector<std::uint32_t> m_childStart;
    std::vector<std::uint32_t> m_children;
    std::vector<std::pair<TimeNs, TimeNs>> m_childTimes;
    std::vector<std::uint32_t> m_childRow;
    std::vector<TimeNs> m_longestChild;
    // Children beyond the lanes, merged while they overlap, on the last row of their parent's block:
    // the marks of a slot from first, count of them.
    struct ConcurrentMark {
        TimeNs start = 0;
        TimeNs end = 0;
        std::uint32_t spans = 0; // with their subtrees
    };
    std::vector<ConcurrentMark> m_concurrent;
    std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> m_concurrentOf;
    TreeMarks m_marks; // of m_tree, for m_width
    std::optional<Sandwich> m_sandwich;
    std::uint32_t m_sandwichLabel = kNoIndex; // of m_tree: the operation m_sandwich is of
    TreeMarks m_callerMarks;
    TreeMarks m_calleeMarks;
    std::shared_ptr<const CallTreeDiff> m_diff;
    std::vector<std::vector<std::uint32_t>> m_removedUnder; // per node of m_diff->tree: its removed frames
    std::vector<std::uint32_t> m_removedTop;                // removed top-level paths
    mutable std::vector<Frame> m_frames;
    // What paintFrame leaves for one call per kind (and colour) at the end of the paint: frames too
    // narrow for a label, marks and lines, as thousands of them show on a big trace.
    struct Batch {
        std::unordered_map<QRgb, std::vector<QRectF>> fills;
        std::vector<QRectF> matchBands;
        std::vector<QRectF> errorFrames;
        std::vector<QRectF> criticalLines;
    };
    mutable Batch m_batch;
    mutable QHash<QString, int> m_advances;   // by label, in m_font
    mutable QHash<QChar, int> m_charAdvances; // in m_font
};

} // namespace spanwise
