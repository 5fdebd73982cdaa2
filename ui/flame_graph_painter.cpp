#include "flame_graph_painter.h"

#include "model_text.h"
#include "theme.h"

#include <critical_path.h>
#include <self_time.h>

#include <QCoreApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <utility>

namespace spanwise {

namespace {

constexpr double kMinFrameWidth = 3; // narrower frames fold into one grey mark
constexpr int kFoldGap = 3;          // icicle: folded columns closer than this make one mark
constexpr int kTextPad = 4;
constexpr int kMinTextWidth = 24;  // no label in a narrower frame
constexpr int kAncestorsShown = 4; // above a frame zoomed into, scrolled to

QString tr(const char* text)
{
    return QCoreApplication::translate("FlameGraphPainter", text);
}

QColor mixed(const QColor& a, const QColor& b, double share) // share of a
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * share + b.redF() * (1 - share)),
                            static_cast<float>(a.greenF() * share + b.greenF() * (1 - share)),
                            static_cast<float>(a.blueF() * share + b.blueF() * (1 - share)));
}

QString percentText(double share)
{
    return QStringLiteral("%1 %").arg(share * 100, 0, 'f', share < 0.1 ? 1 : 0);
}

} // namespace

FlameGraphPainter::FlameGraphPainter(const TraceViewState* state) : m_state(state)
{
    setFont(m_font);
    rebuild();
}

void FlameGraphPainter::setPalette(const QPalette& palette)
{
    m_palette = palette;
    m_dark = hasDarkBase(palette);
}

void FlameGraphPainter::setFont(const QFont& font)
{
    m_font = font;
    m_rowHeight = QFontMetrics(font).height() + 6;
    m_advances.clear();
    m_charAdvances.clear();
}

void FlameGraphPainter::setMode(Mode mode)
{
    m_mode = mode;
    m_offset = 0;
    if (mode == Mode::Icicle && m_block.empty())
        computeLayout();
    updateContentRows();
}

void FlameGraphPainter::computeLayout()
{
    const Dataset& d = m_state->data();
    const std::uint32_t begin = m_state->rangeBegin();
    const std::uint32_t end = m_state->rangeEnd();
    const std::uint32_t count = end - begin;
    const std::uint32_t top = count; // the slot of the top-level spans' parent
    const auto parentSlot = [&](std::uint32_t i) {
        const std::uint32_t parent = d.spans[i].parent;
        return parent == kNoIndex || parent < begin ? top : parent - begin;
    };
    // Children come after their parents: counted, placed in depth-first order (siblings by start),
    // then laid out bottom-up, each parent once its children's blocks are known.
    m_childStart.assign(count + 2, 0);
    m_longestChild.assign(count + 1, 0);
    std::vector<TimeNs> reach(count + 1, 0); // the latest end in each subtree: what a lane holds
    for (std::uint32_t i = begin; i < end; ++i) {
        const std::uint32_t parent = parentSlot(i);
        ++m_childStart[parent + 1];
        m_longestChild[parent] = std::max(m_longestChild[parent], d.spans[i].duration());
        reach[i - begin] = d.spans[i].end;
    }
    for (std::uint32_t slot = 0; slot <= count; ++slot)
        m_childStart[slot + 1] += m_childStart[slot];
    m_children.resize(m_childStart[count + 1]);
    m_childTimes.resize(m_children.size());
    m_childRow.assign(m_children.size(), 0);
    std::vector<std::uint32_t> fill(m_childStart.begin(), m_childStart.end() - 1);
    for (std::uint32_t i = begin; i < end; ++i)
        m_children[fill[parentSlot(i)]++] = i;
    const auto topLevel = m_children.begin() + m_childStart[top];
    std::stable_sort(topLevel, m_children.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return d.spans[a].start < d.spans[b].start; });
    for (std::size_t c = 0; c < m_children.size(); ++c)
        m_childTimes[c] = {d.spans[m_children[c]].start, d.spans[m_children[c]].end};
    for (std::uint32_t i = end; i-- > begin;) {
        if (const std::uint32_t parent = parentSlot(i); parent != top)
            reach[parent] = std::max(reach[parent], reach[i - begin]);
    }
    m_block.assign(count + 1, 1);
    m_concurrent.clear();
    m_concurrentOf.clear();
    std::vector<TimeNs> laneEnd;
    std::vector<std::uint32_t> laneRows;
    for (std::uint32_t k = 0; k <= count; ++k) { // the spans bottom-up, then the top level
        const std::uint32_t slot = k < count ? count - 1 - k : top;
        const std::uint32_t first = m_childStart[slot];
        const std::uint32_t last = m_childStart[slot + 1];
        if (first == last)
            continue;
        laneEnd.clear();
        laneRows.clear();
        const std::size_t marks = m_concurrent.size();
        for (std::uint32_t c = first; c < last; ++c) {
            const std::uint32_t child = m_children[c] - begin;
            const TimeNs start = m_childTimes[c].first;
            const auto lane = std::find_if(laneEnd.begin(), laneEnd.end(), [&](TimeNs e) { return e <= start; });
            if (lane == laneEnd.end() && laneEnd.size() == kMaxLanes) {
                m_childRow[c] = kNoIndex;
                const std::uint32_t spans = d.spans[m_children[c]].subtreeEnd - m_children[c];
                if (m_concurrent.size() > marks && start <= m_concurrent.back().end) {
                    m_concurrent.back().end = std::max(m_concurrent.back().end, reach[child]);
                    m_concurrent.back().spans += spans;
                } else {
                    m_concurrent.push_back({start, reach[child], spans});
                }
                continue;
            }
            const auto l = static_cast<std::uint32_t>(lane - laneEnd.begin());
            if (lane == laneEnd.end()) {
                laneEnd.push_back(reach[child]);
                laneRows.push_back(m_block[child]);
            } else {
                *lane = reach[child];
                laneRows[l] = std::max(laneRows[l], m_block[child]);
            }
            m_childRow[c] = l; // the lane, for now
        }
        // Lanes one under the other, each subtree under its span in its lane.
        std::vector<std::uint32_t>& offsets = laneRows;
        std::uint32_t below = 1;
        for (std::uint32_t& rows : offsets)
            below += std::exchange(rows, below);
        for (std::uint32_t c = first; c < last; ++c) {
            if (m_childRow[c] != kNoIndex)
                m_childRow[c] = offsets[m_childRow[c]];
        }
        const bool folds = m_concurrent.size() > marks;
        m_block[slot] = below + (folds ? 1 : 0); // the last row for the marks of those beyond the lanes
        if (folds)
            m_concurrentOf[slot] = {static_cast<std::uint32_t>(marks),
                                    static_cast<std::uint32_t>(m_concurrent.size() - marks)};
    }
}

void FlameGraphPainter::setWidthMetric(Width width)
{
    m_width = width;
    m_marks = marksOf(m_tree, m_width);
}

void FlameGraphPainter::setDifferential(std::shared_ptr<const CallTreeDiff> diff)
{
    m_diff = std::move(diff);
    m_removedUnder.clear();
    m_removedTop.clear();
    if (m_diff) {
        m_removedUnder.resize(m_diff->tree.nodes.size());
        for (std::uint32_t r = 0; r < m_diff->removed.size(); ++r)
            (m_diff->removed[r].parent == kNoIndex ? m_removedTop : m_removedUnder[m_diff->removed[r].parent])
                .push_back(r);
        m_mode = Mode::Merged;
    }
    rebuild();
}

void FlameGraphPainter::rebuild()
{
    const Trace& trace = m_state->trace();
    if (m_critical.empty())
        m_critical = criticalTimePerSpan(trace, m_state->criticalPath());
    m_tree = m_diff ? m_diff->tree
                    : buildCallTree(m_state->data(), trace, m_state->rangeBegin(), m_state->rangeEnd(), m_critical);
    m_zoom = kNoIndex;
    m_offset = 0;
    m_block.clear();
    m_sandwich.reset();
    m_sandwichLabel = kNoIndex;
    m_marks = marksOf(m_tree, m_width);
    if (m_mode == Mode::Icicle)
        computeLayout();
    updateContentRows();
}

void FlameGraphPainter::updateSearch()
{
    m_marks = marksOf(m_tree, m_width);
    if (m_sandwich) {
        m_callerMarks = marksOf(m_sandwich->callers, Width::Total);
        m_calleeMarks = marksOf(m_sandwich->callees, Width::Total);
    }
}

FlameGraphPainter::TreeMarks FlameGraphPainter::marksOf(const CallTree& tree, Width width) const
{
    TreeMarks marks;
    const std::size_t count = tree.nodes.size();
    marks.widths.assign(count, 0);
    marks.critical.assign(count, 0);
    for (std::size_t n = count; n-- > 0;) { // children after their parent: bottom-up sums
        marks.critical[n] += tree.nodes[n].criticalNanos;
        if (tree.nodes[n].parent != kNoIndex)
            marks.critical[tree.nodes[n].parent] += marks.critical[n];
    }
    if (width == Width::Self) {
        // A frame holds the self time of its whole subtree, so children always fit inside.
        for (std::size_t n = count; n-- > 0;) {
            marks.widths[n] += static_cast<double>(tree.nodes[n].selfNanos);
            if (tree.nodes[n].parent != kNoIndex)
                marks.widths[tree.nodes[n].parent] += marks.widths[n];
        }
    } else {
        // Children drawn to their parent's scale; when together longer than it (parallel calls),
        // shrunk alike to fit inside.
        std::vector<double> childrenTotal(count, 0);
        for (const CallTreeNode& n : tree.nodes) {
            if (n.parent != kNoIndex)
                childrenTotal[n.parent] += static_cast<double>(n.totalNanos);
        }
        for (std::size_t n = 0; n < count; ++n) {
            const CallTreeNode& node = tree.nodes[n];
            const double total = static_cast<double>(node.totalNanos);
            if (node.parent == kNoIndex) {
                marks.widths[n] = total;
                continue;
            }
            const CallTreeNode& parent = tree.nodes[node.parent];
            const double parentTotal = static_cast<double>(parent.totalNanos);
            const double scale = parentTotal > 0 ? marks.widths[node.parent] / parentTotal : 0;
            const double fit = childrenTotal[node.parent] > parentTotal ? parentTotal / childrenTotal[node.parent] : 1;
            marks.widths[n] = total * scale * fit;
        }
    }
    marks.tailMax.assign(count, 0);
    for (std::size_t n = count; n-- > 0;) {
        const std::uint32_t next = tree.nodes[n].subtreeEnd;
        const bool sibling = next < count && tree.nodes[next].parent == tree.nodes[n].parent;
        marks.tailMax[n] = std::max(marks.widths[n], sibling ? marks.tailMax[next] : 0.0);
    }
    marks.childCount.assign(count + 1, 0);
    marks.childWidth.assign(count + 1, 0);
    for (std::size_t n = 0; n < count; ++n) {
        const std::size_t parent = tree.nodes[n].parent == kNoIndex ? count : tree.nodes[n].parent;
        ++marks.childCount[parent];
        marks.childWidth[parent] += marks.widths[n];
    }
    if (!m_state->searchMatches().empty()) {
        marks.matches.assign(count, 0);
        for (const std::uint32_t span : m_state->searchMatches()) {
            if (const std::uint32_t node = tree.nodeOf(span); node != kNoIndex)
                marks.matches[node] = 1;
        }
    }
    return marks;
}

void FlameGraphPainter::setZoomNode(std::uint32_t node)
{
    m_zoom = node < m_tree.nodes.size() ? node : kNoIndex;
    updateContentRows();
    // Scrolled to the zoomed frame with a few of its ancestors above it, however deep it lies.
    m_offset = m_zoom == kNoIndex
                   ? 0
                   : std::max(0, static_cast<int>(std::min<std::uint32_t>(m_tree.nodes[m_zoom].depth, 1u << 20)) -
                                     kAncestorsShown) *
                         m_rowHeight;
}

void FlameGraphPainter::setSandwichSpan(std::uint32_t span)
{
    const std::uint32_t node = m_tree.nodeOf(span);
    const std::uint32_t label = node == kNoIndex ? kNoIndex : m_tree.nodes[node].label;
    if (label == m_sandwichLabel)
        return;
    m_sandwichLabel = label;
    m_sandwich.reset();
    m_offset = 0;
    if (label == kNoIndex) {
        updateContentRows();
        return;
    }
    m_sandwich = buildSandwich(m_state->data(), m_state->trace(), m_state->rangeBegin(), m_state->rangeEnd(), span,
                               m_critical);
    m_callerMarks = marksOf(m_sandwich->callers, Width::Total);
    m_calleeMarks = marksOf(m_sandwich->callees, Width::Total);
    updateContentRows();
}

QString FlameGraphPainter::sandwichLabel() const
{
    return m_sandwichLabel == kNoIndex ? QString() : QString::fromStdString(m_tree.labels[m_sandwichLabel]);
}

std::uint32_t FlameGraphPainter::sandwichCallerRows() const
{
    std::uint32_t deepest = 0;
    for (const CallTreeNode& n : m_sandwich->callers.nodes)
        deepest = std::max(deepest, n.depth);
    return deepest + 1;
}

void FlameGraphPainter::updateContentRows()
{
    std::uint32_t rows = 0;
    switch (m_mode) {
    case Mode::Merged: {
        const std::uint32_t from = m_zoom == kNoIndex ? 0 : m_zoom;
        const std::uint32_t to = m_zoom == kNoIndex ? static_cast<std::uint32_t>(m_tree.nodes.size())
                                                    : m_tree.nodes[m_zoom].subtreeEnd;
        for (std::uint32_t n = from; n < to; ++n)
            rows = std::max(rows, m_tree.nodes[n].depth + 1);
        break;
    }
    case Mode::Icicle:
        rows = m_block.back() - 1; // the top-level spans' block, under no span of its own
        break;
    case Mode::Sandwich:
        if (m_sandwich) {
            std::uint32_t callees = 0;
            for (const CallTreeNode& n : m_sandwich->callees.nodes)
                callees = std::max(callees, n.depth + 1);
            rows = 2 + sandwichCallerRows() + callees; // two heading rows
        }
        break;
    }
    m_contentRows = static_cast<int>(std::min<std::uint32_t>(rows, 1u << 20));
}

QColor FlameGraphPainter::serviceColor(std::uint32_t span) const
{
    const Dataset& d = m_state->data();
    return m_state->serviceColors().color(d.str(d.spans[span].service), m_dark);
}

QColor FlameGraphPainter::nodeColor(const CallTree& tree, std::uint32_t node) const
{
    if (!m_diff || &tree != &m_tree)
        return serviceColor(tree.nodes[node].longestSpan);
    // The stronger the change relative to the larger side, the stronger the colour, as in Brendan
    // Gregg's differential flame graphs; what did not change is grey.
    const QColor base = m_palette.color(QPalette::Base);
    const TimeNs a = m_diff->a[node].totalNanos;
    const TimeNs b = tree.nodes[node].totalNanos;
    const double change = std::abs(static_cast<double>(b - a)) /
                          static_cast<double>(std::max<TimeNs>(1, std::max(a, b)));
    switch (m_diff->change[node]) {
    case FrameChange::Same:
        return m_palette.color(QPalette::Mid);
    case FrameChange::Slower:
        return mixed(theme::slower(m_dark), base, 0.4 + 0.6 * change);
    case FrameChange::Faster:
        return mixed(theme::faster(m_dark), base, 0.4 + 0.6 * change);
    case FrameChange::Added:
        return theme::slower(m_dark);
    }
    return base;
}

void FlameGraphPainter::paintRemoved(QPainter& p, std::uint32_t parent, const QRectF& parentRect) const
{
    // Where the paths only A had would hang: a hatched mark at the right end of the row below.
    const double width = std::min(8.0, parentRect.width());
    const QRectF mark(parentRect.right() - width, parentRect.top() + m_rowHeight, width, m_rowHeight - 1);
    p.fillRect(mark, m_palette.color(QPalette::Base));
    p.fillRect(mark, QBrush(theme::faster(m_dark), Qt::BDiagPattern));
    p.setPen(theme::faster(m_dark));
    p.setBrush(Qt::NoBrush);
    p.drawRect(mark.adjusted(0.5, 0.5, -0.5, -0.5));
    Frame frame;
    frame.rect = mark;
    frame.kind = Frame::Kind::Removed;
    frame.index = parent;
    frame.hidden = static_cast<std::uint32_t>(parent == kNoIndex ? m_removedTop.size() : m_removedUnder[parent].size());
    m_frames.push_back(frame);
}

QString FlameGraphPainter::nodeLabel(const CallTree& tree, std::uint32_t node, TimeNs shown) const
{
    const CallTreeNode& n = tree.nodes[node];
    QString text = QString::fromStdString(tree.labelOf(node));
    if (n.count > 1)
        text = QStringLiteral("×%1 ").arg(n.count) + text;
    return text + QStringLiteral("  ") + durationText(shown);
}

void FlameGraphPainter::paint(QPainter& p, const QRect& area) const
{
    m_frames.clear();
    p.save();
    p.setFont(m_font);
    p.translate(area.topLeft());
    const QRect local(0, 0, area.width(), area.height());
    p.setClipRect(local, Qt::IntersectClip);
    p.fillRect(local, m_palette.color(QPalette::Base));
    switch (m_mode) {
    case Mode::Merged: {
        // The zoomed node's ancestors first, each the full width, then its subtree below them.
        int row = 0;
        if (m_zoom != kNoIndex) {
            std::vector<std::uint32_t> ancestors;
            for (std::uint32_t a = m_tree.nodes[m_zoom].parent; a != kNoIndex; a = m_tree.nodes[a].parent)
                ancestors.push_back(a);
            for (auto a = ancestors.rbegin(); a != ancestors.rend(); ++a, ++row) {
                const QRectF rect(0, rowY(row), local.width(), m_rowHeight - 1);
                if (rect.bottom() < 0 || rect.top() > local.height())
                    continue;
                const CallTreeNode& n = m_tree.nodes[*a];
                const QColor faded = mixed(nodeColor(m_tree, *a), m_palette.color(QPalette::Base), 0.45);
                paintFrame(p, rect, faded, nodeLabel(m_tree, *a, static_cast<TimeNs>(m_marks.widths[*a])), n.errors > 0,
                           !m_marks.matches.empty() && m_marks.matches[*a], 0);
                m_frames.push_back({rect, Frame::Kind::Node, 0, *a, 0});
            }
        }
        paintTree(p, m_tree, m_marks, 0, m_zoom, row, false, local);
        break;
    }
    case Mode::Icicle:
        paintIcicle(p, local);
        break;
    case Mode::Sandwich:
        paintSandwich(p, local);
        break;
    }
    paintBatch(p);
    if (m_paintsSelection)
        paintSelection(p);
    p.restore();
}

void FlameGraphPainter::paintTree(QPainter& p, const CallTree& tree, const TreeMarks& marks, std::uint8_t section,
                                  std::uint32_t root, int firstRow, bool upward, const QRect& area) const
{
    if (tree.nodes.empty())
        return;
    const std::uint32_t rootDepth = root == kNoIndex ? 0 : tree.nodes[root].depth;
    double span = 0; // nanoseconds the width stands for
    if (root != kNoIndex) {
        span = marks.widths[root];
    } else {
        for (std::uint32_t n = 0; n < tree.nodes.size(); n = tree.nodes[n].subtreeEnd)
            span += marks.widths[n];
    }
    if (span <= 0)
        return;
    const double scale = area.width() / span;
    const auto yOf = [&](std::uint32_t depth) {
        const int level = static_cast<int>(depth - rootDepth);
        return rowY(upward ? firstRow - level : firstRow + level);
    };
    struct Item {
        std::uint32_t node;
        double x;
    };
    std::vector<Item> stack;
    // Lays out a group of siblings from x on: frames wide enough are pushed to paint, runs of
    // narrower ones fold into one mark.
    const auto layOutSiblings = [&](std::uint32_t first, std::uint32_t end, double x, std::uint32_t parent) {
        const std::size_t from = stack.size();
        double foldX = 0;
        double foldWidth = 0;
        std::uint32_t folded = 0;
        const auto flushFold = [&](std::uint32_t depth) {
            if (folded == 0)
                return;
            const QRectF rect(foldX, yOf(depth), std::max(1.0, foldWidth), m_rowHeight - 1);
            if (rect.bottom() >= 0 && rect.top() <= area.height() && rect.right() >= 0 && rect.left() <= area.width()) {
                paintFolded(p, rect, folded, section, parent);
            }
            folded = 0;
            foldWidth = 0;
        };
        const std::size_t group = parent == kNoIndex ? tree.nodes.size() : parent;
        double widthLeft = marks.childWidth[group] * scale;
        std::uint32_t left = marks.childCount[group];
        for (std::uint32_t c = first; c < end; c = tree.nodes[c].subtreeEnd, --left) {
            const double width = marks.widths[c] * scale;
            widthLeft -= width;
            if (marks.tailMax[c] * scale < kMinFrameWidth) { // this one and all after it
                if (folded == 0)
                    foldX = x;
                folded += left;
                foldWidth += width + std::max(0.0, widthLeft);
                break;
            }
            if (width < kMinFrameWidth) {
                if (folded == 0)
                    foldX = x;
                foldWidth += width;
                ++folded;
            } else {
                flushFold(tree.nodes[c].depth);
                stack.push_back({c, x});
            }
            x += width;
            if (x > area.width() + 1 && folded == 0)
                break;
        }
        if (first < end)
            flushFold(tree.nodes[first].depth);
        std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(from), stack.end()); // leftmost on top
    };
    std::vector<std::pair<std::uint32_t, QRectF>> removedMarks; // drawn over the children
    if (root == kNoIndex)
        layOutSiblings(0, static_cast<std::uint32_t>(tree.nodes.size()), 0, kNoIndex);
    else
        stack.push_back({root, 0});
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        const CallTreeNode& n = tree.nodes[item.node];
        const double width = marks.widths[item.node] * scale;
        const int y = yOf(n.depth);
        if ((!upward && y > area.height()) || (upward && y + m_rowHeight < 0))
            continue; // the rest of this subtree lies further out still
        if (item.x > area.width() || item.x + width < 0)
            continue;
        if (y + m_rowHeight >= 0 && y <= area.height()) {
            const QRectF rect(item.x, y, width, m_rowHeight - 1);
            // The share of the frame's time on the critical path, its callees' included.
            const double critical = n.totalNanos > 0 ? static_cast<double>(marks.critical[item.node]) /
                                                           static_cast<double>(n.totalNanos)
                                                     : 0;
            paintFrame(p, rect, nodeColor(tree, item.node),
                       width < kMinTextWidth ? QString()
                                             : nodeLabel(tree, item.node, static_cast<TimeNs>(marks.widths[item.node])),
                       n.errors > 0, !marks.matches.empty() && marks.matches[item.node], upward ? 0 : critical);
            m_frames.push_back({rect, Frame::Kind::Node, section, item.node, 0});
            if (m_diff && &tree == &m_tree) {
                if (m_diff->change[item.node] == FrameChange::Added)
                    p.fillRect(rect.adjusted(0, 0, -1, 0), QBrush(m_palette.color(QPalette::Base), Qt::BDiagPattern));
                if (!m_removedUnder[item.node].empty())
                    removedMarks.push_back({item.node, rect});
            }
        }
        layOutSiblings(item.node + 1, n.subtreeEnd, item.x, item.node);
    }
    for (const auto& [node, rect] : removedMarks)
        paintRemoved(p, node, rect);
    if (m_diff && &tree == &m_tree && root == kNoIndex && !m_removedTop.empty())
        paintRemoved(p, kNoIndex, QRectF(0, rowY(firstRow) - m_rowHeight, area.width(), m_rowHeight - 1));
}

void FlameGraphPainter::paintIcicle(QPainter& p, const QRect& area) const
{
    const Dataset& d = m_state->data();
    const std::uint32_t begin = m_state->rangeBegin();
    const std::uint32_t end = m_state->rangeEnd();
    if (begin >= end)
        return;
    const TimeNs viewStart = m_state->viewStart();
    const double nsPerPixel = static_cast<double>(std::max<TimeNs>(1, m_state->viewEnd() - viewStart)) /
                              std::max(1, area.width());
    const auto xOf = [&](TimeNs t) { return static_cast<double>(t - viewStart) / nsPerPixel; };
    const int firstRow = std::max(0, m_offset / m_rowHeight);
    const int rows = area.height() / m_rowHeight + 2;
    const int width = area.width();
    // Spans too narrow to draw: per visible row and pixel column, how many fold there; and the
    // columns that bars cover, where no folded mark goes.
    const auto cell = [&](int row, int column) {
        return static_cast<std::size_t>(row - firstRow) * static_cast<std::size_t>(width + 1) +
               static_cast<std::size_t>(column);
    };
    std::vector<std::uint32_t> folded(static_cast<std::size_t>(rows) * static_cast<std::size_t>(width + 1), 0);
    std::vector<std::uint8_t> covered(folded.size(), 0);
    // The rows below a folded span that its subtree reaches: +1 at the first, -1 after the last, per
    // column, summed down the rows afterwards, so a folded subtree costs the same at any depth.
    std::vector<std::int32_t> reach(folded.size() + static_cast<std::size_t>(width + 1), 0);
    // A folded span, or a run of them in one column: the top row counts the spans, the rows below
    // that their subtrees reach are marked.
    const auto fold = [&](int row, int column, std::uint32_t spans, std::uint32_t levelsBelow) {
        if (row - firstRow >= rows)
            return; // below the area, and so is its subtree
        if (row >= firstRow)
            folded[cell(row, column)] += spans;
        const int from = std::max(row + 1, firstRow);
        const int to = std::min<int>(row + static_cast<int>(levelsBelow), firstRow + rows - 1);
        if (from <= to) {
            ++reach[cell(from, column)];
            --reach[cell(to + 1, column)];
        }
    };
    const TimeNs viewEnd = m_state->viewEnd();
    const auto columnOf = [&](TimeNs t) { return std::clamp(static_cast<int>(xOf(t)), 0, width); };
    struct Item {
        std::uint32_t span;
        int row;
    };
    std::vector<Item> stack;
    // The children of a slot drawn on `row` that reach into the view, each on its lane: those wide
    // enough onto the stack, runs of narrower ones in one column folded at once. Their times lie
    // side by side, sorted by start: the walk begins at the first that starts less than the longest
    // child before the view, ends at the first that starts after it, and reads a child's span only
    // to draw it.
    const auto pushChildren = [&](std::uint32_t slot, int row) {
        const std::uint32_t first = m_childStart[slot];
        const std::uint32_t last = m_childStart[slot + 1];
        if (first == last || row + 1 - firstRow >= rows)
            return;
        const TimeNs from = viewStart - m_longestChild[slot];
        const auto times = m_childTimes.begin();
        std::uint32_t c = static_cast<std::uint32_t>(
            std::partition_point(times + first, times + last, [&](const auto& t) { return t.first < from; }) - times);
        const std::size_t pushed = stack.size();
        const auto narrow = [&](std::uint32_t c) {
            return xOf(m_childTimes[c].second) - xOf(m_childTimes[c].first) < 1;
        };
        while (c < last && m_childTimes[c].first <= viewEnd) {
            if (m_childRow[c] == kNoIndex ||
                m_childTimes[c].second < viewStart) { // beyond the lanes, or before the view
                ++c;
                continue;
            }
            if (!narrow(c)) {
                if (const int childRow = row + static_cast<int>(m_childRow[c]); childRow - firstRow < rows)
                    stack.push_back({m_children[c], childRow});
                ++c;
                continue;
            }
            // A run in one column, across lanes: one mark on the highest lane of the run, the rows of
            // their subtrees below it.
            const int column = columnOf(m_childTimes[c].first);
            const std::uint32_t run = c;
            std::uint32_t spans = 0;
            std::uint32_t highest = kNoIndex;
            std::uint32_t lowest = 0;
            for (; c < last && columnOf(m_childTimes[c].first) == column && narrow(c); ++c) {
                const std::uint32_t child = m_children[c];
                if (m_childRow[c] == kNoIndex) { // counted by its mark
                    spans -= d.spans[child].subtreeEnd - child;
                    continue;
                }
                highest = std::min(highest, m_childRow[c]);
                lowest = std::max(lowest, m_childRow[c] + m_block[child - begin] - 1);
            }
            spans += d.spans[m_children[c - 1]].subtreeEnd - m_children[run];
            if (highest != kNoIndex)
                fold(row + static_cast<int>(highest), column, spans, lowest - highest);
        }
        std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(pushed), stack.end());
    };
    const bool anyMatch = !m_state->searchMatches().empty();
    const auto paintSpan = [&](std::uint32_t s, int row, double x0, double x1) {
        const Span& span = d.spans[s];
        const double left = std::max(-2.0, x0);
        const QRectF rect(left, rowY(row), std::min<double>(width + 2, x1) - left, m_rowHeight - 1);
        const QString label = rect.width() < kMinTextWidth
                                  ? QString()
                                  : qstr(d.str(span.service)) + QStringLiteral(": ") + qstr(d.str(span.name)) +
                                        QStringLiteral("  ") + durationText(span.duration());
        paintFrame(p, rect, serviceColor(s), label, span.status == StatusCode::Error,
                   anyMatch && m_state->isSearchMatch(s), 0);
        // The stretches the span itself was on the critical path, where they were in time.
        for (const CriticalSegment& segment : m_state->criticalSegmentsOf(s, s + 1)) {
            const double from = std::max(rect.left(), xOf(segment.start));
            const double to = std::min(rect.right() - 1, xOf(segment.end));
            if (to > from - 1)
                m_batch.criticalLines.push_back(QRectF(from, rect.bottom() - 2, std::max(1.0, to - from), 2));
        }
        m_frames.push_back({rect, Frame::Kind::Span, 0, s, 0});
    };
    const std::uint32_t top = end - begin; // the slot of the top-level spans, as if under a row above
    pushChildren(top, -1);
    paintConcurrent(p, top, -1, firstRow, rows, nsPerPixel, covered);
    while (!stack.empty()) {
        const auto [s, row] = stack.back();
        stack.pop_back();
        const Span& span = d.spans[s];
        const double x0 = xOf(span.start);
        const double x1 = xOf(span.end);
        if (x1 < 0 || x0 > width)
            continue;
        if (x1 - x0 < 1) {
            fold(row, columnOf(span.start), span.subtreeEnd - s, m_block[s - begin] - 1);
            continue;
        }
        if (row >= firstRow) {
            const auto rowFrom = covered.begin() + static_cast<std::ptrdiff_t>(cell(row, columnOf(span.start)));
            // The bar's body ends a pixel before its end: the column of its end stays open for a mark.
            const auto rowTo =
                covered.begin() +
                static_cast<std::ptrdiff_t>(cell(row, std::max(columnOf(span.start), columnOf(span.end) - 1))) + 1;
            std::fill(rowFrom, rowTo, 1);
            paintSpan(s, row, x0, x1);
        }
        paintConcurrent(p, s - begin, row, firstRow, rows, nsPerPixel, covered);
        pushChildren(s - begin, row);
    }
    for (int r = firstRow + 1; r < firstRow + rows; ++r) { // reach becomes: folded subtrees reaching here
        for (int x = 0; x <= width; ++x)
            reach[cell(r, x)] += reach[cell(r - 1, x)];
    }
    // One mark per run of folded columns with gaps narrower than kFoldGap, as the waterfall folds,
    // where no bar is drawn.
    for (int r = firstRow; r < firstRow + rows; ++r) {
        const auto open = [&](int x) {
            return (folded[cell(r, x)] != 0 || reach[cell(r, x)] > 0) && !covered[cell(r, x)];
        };
        for (int x = 0; x <= width;) {
            if (!open(x)) {
                ++x;
                continue;
            }
            const int start = x;
            int stop = x + 1;
            std::uint32_t count = folded[cell(r, x)];
            for (int probe = stop; probe <= width && probe < stop + kFoldGap && !covered[cell(r, probe)]; ++probe) {
                if (open(probe)) {
                    count += folded[cell(r, probe)];
                    stop = probe + 1;
                }
            }
            const QRectF rect(start, rowY(r), stop - start, m_rowHeight - 1);
            paintFolded(p, rect, count, 0, kNoIndex);
            x = stop;
        }
    }
}

void FlameGraphPainter::paintConcurrent(QPainter& p, std::uint32_t slot, int row, int firstRow, int rows,
                                        double nsPerPixel, std::vector<std::uint8_t>& covered) const
{
    if (m_concurrentOf.empty())
        return;
    const auto found = m_concurrentOf.find(slot);
    const int markRow = row + static_cast<int>(m_block[slot]) - 1;
    if (found == m_concurrentOf.end() || markRow < firstRow || markRow - firstRow >= rows)
        return;
    const TimeNs viewStart = m_state->viewStart();
    const TimeNs viewEnd = m_state->viewEnd();
    const int width = static_cast<int>(covered.size() / static_cast<std::size_t>(rows)) - 1;
    const auto xOf = [&](TimeNs t) { return static_cast<double>(t - viewStart) / nsPerPixel; };
    const auto marks = m_concurrent.begin() + found->second.first;
    const auto marksEnd = marks + found->second.second;
    // Disjoint and in start order: their ends are in order too.
    auto mark = std::partition_point(marks, marksEnd, [&](const ConcurrentMark& m) { return m.end < viewStart; });
    const QColor grey = mixed(m_palette.color(QPalette::PlaceholderText), m_palette.color(QPalette::Base), 0.45);
    while (mark != marksEnd && mark->start <= viewEnd) {
        const double x0 = std::max(-2.0, xOf(mark->start));
        double x1 = xOf(mark->end);
        std::uint32_t spans = 0;
        for (; mark != marksEnd && mark->start <= viewEnd && xOf(mark->start) - x1 < kFoldGap; ++mark) {
            x1 = std::max(x1, xOf(mark->end));
            spans += mark->spans;
        }
        x1 = std::min<double>(width + 2, std::max(x1, x0 + 2));
        Frame frame;
        frame.rect = QRectF(x0, rowY(markRow), x1 - x0, m_rowHeight - 1);
        frame.kind = Frame::Kind::Concurrent;
        frame.index = slot == m_block.size() - 1 ? kNoIndex : m_state->rangeBegin() + slot;
        frame.hidden = spans;
        m_frames.push_back(frame);
        const auto cell = static_cast<std::size_t>(markRow - firstRow) * static_cast<std::size_t>(width + 1);
        const auto columnAt = [&](double x) {
            return covered.begin() + static_cast<std::ptrdiff_t>(cell) + std::clamp(static_cast<int>(x), 0, width);
        };
        std::fill(columnAt(x0), columnAt(x1) + 1, 1);
        // Hatched, unlike the plain grey of spans too short to draw: these are long enough, only too many.
        const QRectF body = frame.rect.adjusted(0, 2, frame.rect.width() > 2 ? -1 : 0, -2);
        p.fillRect(body, grey);
        p.fillRect(body, QBrush(mixed(textColorOn(grey), grey, 0.25), Qt::BDiagPattern));
        const QString text = tr("%L1 more concurrent").arg(spans);
        if (body.width() >= labelAdvance(text) + 2 * kTextPad) {
            p.setPen(textColorOn(grey));
            p.drawText(body.adjusted(kTextPad, 0, -kTextPad, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
        }
    }
}

void FlameGraphPainter::paintSandwich(QPainter& p, const QRect& area) const
{
    if (!m_sandwich) {
        p.setPen(m_palette.color(QPalette::PlaceholderText));
        p.drawText(area.adjusted(12, 12, -12, -12), Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap,
                   tr("Select a frame or a span: the sandwich shows its operation's callers above it and its "
                      "callees below it, merged over every place it occurs."));
        return;
    }
    const std::uint32_t callerRows = sandwichCallerRows();
    const QString label = sandwichLabel();
    paintHeading(p, rowY(0), area.width(), tr("Callers of %1, read upwards").arg(label));
    paintTree(p, m_sandwich->callers, m_callerMarks, 0, kNoIndex, static_cast<int>(callerRows), true, area);
    paintHeading(p, rowY(static_cast<int>(callerRows) + 1), area.width(),
                 tr("Callees of %1, read downwards").arg(label));
    paintTree(p, m_sandwich->callees, m_calleeMarks, 1, kNoIndex, static_cast<int>(callerRows) + 2, false, area);
}

void FlameGraphPainter::paintHeading(QPainter& p, int y, int width, const QString& text) const
{
    if (y + m_rowHeight < 0)
        return;
    const QRect rect(0, y, width, m_rowHeight);
    p.fillRect(rect, m_palette.color(QPalette::AlternateBase));
    p.setPen(m_palette.color(QPalette::Text));
    p.drawText(rect.adjusted(kTextPad, 0, -kTextPad, 0), Qt::AlignVCenter | Qt::AlignLeft,
               QFontMetrics(m_font).elidedText(text, Qt::ElideRight, width - 2 * kTextPad));
}

void FlameGraphPainter::paintFrame(QPainter& p, const QRectF& rect, const QColor& service, const QString& label,
                                   bool error, bool match, double criticalShare) const
{
    const bool anyMatch = !m_state->searchMatches().empty();
    // While searching, frames without a match fade, so the matches stand out.
    const QColor fill = anyMatch && !match ? mixed(service, m_palette.color(QPalette::Base), 0.3) : service;
    const QRectF body = rect.adjusted(0, 0, rect.width() > 2 ? -1 : 0, 0); // a gap between neighbours
    if (match)
        m_batch.matchBands.push_back(QRectF(body.left(), body.top(), body.width(), 3));
    if (error)
        m_batch.errorFrames.push_back(body.adjusted(0.75, 0.75, -0.75, -0.75));
    if (criticalShare > 0)
        m_batch.criticalLines.push_back(
            QRectF(body.left(), body.bottom() - 2, std::max(1.0, body.width() * std::min(1.0, criticalShare)), 2));
    if (body.width() < kMinTextWidth) { // no label: filled with the others of its colour
        m_batch.fills[fill.rgba()].push_back(body);
        return;
    }
    p.fillRect(body, fill);
    const QString shown = elided(label, static_cast<int>(body.width()) - 2 * kTextPad);
    if (shown.size() <= 1)
        return;
    p.setPen(anyMatch && !match ? mixed(textColorOn(service), fill, 0.6) : textColorOn(fill));
    p.drawText(body.adjusted(kTextPad, 0, -kTextPad, -2), Qt::AlignVCenter | Qt::AlignLeft, shown);
}

int FlameGraphPainter::labelAdvance(const QString& label) const
{
    // Measuring shapes the text, which costs far more than this lookup: labels repeat from paint to
    // paint, while zooming and scrolling, only their room changes.
    auto known = m_advances.constFind(label);
    if (known == m_advances.cend()) {
        if (m_advances.size() > 100'000)
            m_advances.clear();
        known = m_advances.insert(label, QFontMetrics(m_font).horizontalAdvance(label));
    }
    return *known;
}

QString FlameGraphPainter::elided(const QString& label, int room) const
{
    if (labelAdvance(label) <= room)
        return label;
    // Cut by the characters' own widths rather than with QFontMetrics::elidedText, which shapes the
    // text on every call: the most of a paint's time when hundreds of frames change width per zoom
    // step. Kerning is left out; the frame clips the pixel or two that may cost.
    const QChar ellipsis(0x2026);
    int used = charAdvance(ellipsis);
    qsizetype cut = 0;
    for (; cut < label.size(); ++cut) {
        used += charAdvance(label[cut]);
        if (used > room)
            break;
    }
    if (cut > 0 && label[cut - 1].isHighSurrogate())
        --cut;
    return cut == 0 ? QString() : QString(label.left(cut) + ellipsis);
}

int FlameGraphPainter::charAdvance(QChar c) const
{
    auto known = m_charAdvances.constFind(c);
    if (known == m_charAdvances.cend())
        known = m_charAdvances.insert(c, QFontMetrics(m_font).horizontalAdvance(c));
    return *known;
}

void FlameGraphPainter::paintBatch(QPainter& p) const
{
    p.save();
    p.setPen(Qt::NoPen);
    for (const auto& [rgba, rects] : m_batch.fills) {
        p.setBrush(QColor::fromRgba(rgba));
        p.drawRects(rects.data(), static_cast<int>(rects.size()));
    }
    p.setBrush(theme::searchMatch(m_dark));
    p.drawRects(m_batch.matchBands.data(), static_cast<int>(m_batch.matchBands.size()));
    p.setBrush(theme::criticalPath(m_dark));
    p.drawRects(m_batch.criticalLines.data(), static_cast<int>(m_batch.criticalLines.size()));
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(theme::error(m_dark), 1.5));
    p.drawRects(m_batch.errorFrames.data(), static_cast<int>(m_batch.errorFrames.size()));
    p.restore();
    m_batch = {};
}

void FlameGraphPainter::paintFolded(QPainter& p, const QRectF& rect, std::uint32_t hidden, std::uint8_t section,
                                    std::uint32_t index) const
{
    Frame frame;
    frame.rect = rect;
    frame.kind = Frame::Kind::Folded;
    frame.section = section;
    frame.index = index;
    frame.hidden = hidden;
    m_frames.push_back(frame);
    const QColor grey = mixed(m_palette.color(QPalette::PlaceholderText), m_palette.color(QPalette::Base), 0.45);
    p.fillRect(rect.adjusted(0, 2, 0, -2), grey);
    const QString text = tr("%L1 more").arg(hidden);
    const QFontMetrics metrics(m_font);
    if (hidden > 0 && rect.width() >= metrics.horizontalAdvance(text) + 2 * kTextPad) {
        p.setPen(textColorOn(grey));
        p.drawText(rect.adjusted(kTextPad, 0, -kTextPad, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
}

void FlameGraphPainter::paintSelection(QPainter& p) const
{
    const std::uint32_t selected = m_state->selected();
    if (selected == kNoIndex)
        return;
    QPen pen(m_palette.color(QPalette::Highlight), 2);
    pen.setJoinStyle(Qt::MiterJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    for (const Frame& f : m_frames) {
        bool holds = false;
        if (f.kind == Frame::Kind::Span)
            holds = f.index == selected;
        else if (f.kind == Frame::Kind::Node)
            holds = treeOf(f).nodeOf(selected) == f.index;
        if (holds)
            p.drawRect(f.rect.adjusted(1, 1, -1, -1));
    }
}

const FlameGraphPainter::Frame* FlameGraphPainter::frameAt(const QPointF& pos) const
{
    for (auto f = m_frames.rbegin(); f != m_frames.rend(); ++f) { // the one painted last is on top
        if (f->rect.contains(pos))
            return &*f;
    }
    return nullptr;
}

const CallTree& FlameGraphPainter::treeOf(const Frame& frame) const
{
    if (m_mode == Mode::Sandwich && m_sandwich)
        return frame.section == 0 ? m_sandwich->callers : m_sandwich->callees;
    return m_tree;
}

std::uint32_t FlameGraphPainter::spanOf(const Frame& frame) const
{
    switch (frame.kind) {
    case Frame::Kind::Node:
        return treeOf(frame).nodes[frame.index].longestSpan;
    case Frame::Kind::Span:
        return frame.index;
    case Frame::Kind::Folded:
    case Frame::Kind::Removed:
    case Frame::Kind::Concurrent:
        break;
    }
    return kNoIndex;
}

std::optional<QRectF> FlameGraphPainter::nodeRect(std::uint32_t node) const
{
    for (const Frame& f : m_frames) {
        if (f.kind == Frame::Kind::Node && f.index == node && f.section == 0)
            return f.rect;
    }
    return std::nullopt;
}

QString FlameGraphPainter::toolTip(const Frame& frame) const
{
    const Dataset& d = m_state->data();
    switch (frame.kind) {
    case Frame::Kind::Folded:
        if (m_mode == Mode::Icicle && frame.hidden == 0)
            return tr("Subtrees of spans above, too short to draw at this zoom; zoom in (Ctrl+wheel) or "
                      "double-click to see them");
        return m_mode == Mode::Icicle
                   ? tr("%L1 spans too short to draw at this zoom, with their subtrees; zoom in (Ctrl+wheel) or "
                        "double-click to see them")
                         .arg(frame.hidden)
                   : tr("%L1 frames narrower than %2 px; zoom into a frame to see them")
                         .arg(frame.hidden)
                         .arg(kMinFrameWidth);
    case Frame::Kind::Span: {
        const Span& s = d.spans[frame.index];
        QString text = QStringLiteral("<b>%1</b> %2<br>duration %3 · self %4<br>starts at +%5")
                           .arg(qstr(d.str(s.service)).toHtmlEscaped(), qstr(d.str(s.name)).toHtmlEscaped(),
                                durationText(s.duration()), durationText(selfTime(d, frame.index)),
                                durationText(s.start - m_state->trace().start));
        if (const TimeNs critical = m_critical[frame.index - m_state->trace().first]; critical > 0)
            text += tr("<br>critical path %1").arg(durationText(critical));
        if (s.status == StatusCode::Error)
            text +=
                QStringLiteral("<br><span style='color:%1'>%2</span>").arg(theme::error(m_dark).name(), tr("error"));
        return text;
    }
    case Frame::Kind::Removed:
        return differentialToolTip(frame);
    case Frame::Kind::Concurrent:
        return tr("%L1 spans, their subtrees included, running at the same time as the %2 lanes above: too many "
                  "side by side to draw each here; the waterfall and the span table list them all")
            .arg(frame.hidden)
            .arg(kMaxLanes);
    case Frame::Kind::Node:
        break;
    }
    const CallTree& tree = treeOf(frame);
    const CallTreeNode& n = tree.nodes[frame.index];
    QString text = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(tree.labelOf(frame.index)).toHtmlEscaped());
    if (m_mode == Mode::Sandwich && frame.section == 0 && n.parent != kNoIndex)
        text += tr("<br>calls %1 on this path:").arg(sandwichLabel().toHtmlEscaped());
    text += tr("<br>%L1 spans · total %2 · self %3")
                .arg(n.count)
                .arg(durationText(n.totalNanos), durationText(n.selfNanos));
    if (tree.hasMedians)
        text += tr("<br>p50 %1 · max %2").arg(durationText(n.p50Nanos), durationText(n.maxNanos));
    else
        text += tr("<br>max %1").arg(durationText(n.maxNanos));
    const bool callers = m_mode == Mode::Sandwich && frame.section == 0;
    const TreeMarks& marks = m_mode != Mode::Sandwich ? m_marks : callers ? m_callerMarks : m_calleeMarks;
    if (callers) {
        text += tr("<br>critical path %1").arg(durationText(n.criticalNanos));
    } else if (n.totalNanos > 0 && frame.index < marks.critical.size()) {
        const TimeNs below = marks.critical[frame.index];
        text += tr("<br>critical path %1 itself, %2 with its callees (%3 of its time)")
                    .arg(durationText(n.criticalNanos), durationText(below),
                         percentText(std::min(1.0, static_cast<double>(below) / static_cast<double>(n.totalNanos))));
    }
    if (n.errors > 0)
        text += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(theme::error(m_dark).name(), n.errors == 1 ? tr("1 error") : tr("%L1 errors").arg(n.errors));
    else
        text += tr("<br>no errors");
    if (m_diff && &tree == &m_tree)
        text += differentialToolTip(frame);
    return text;
}

QString FlameGraphPainter::differentialToolTip(const Frame& frame) const
{
    if (frame.kind == Frame::Kind::Removed) {
        QString text = tr("<b>Only in A</b>, gone from B:");
        for (const std::uint32_t r : frame.index == kNoIndex ? m_removedTop : m_removedUnder[frame.index]) {
            const RemovedFrame& removed = m_diff->removed[r];
            text += tr("<br>%1: %L2 spans, total %3")
                        .arg(QString::fromStdString(removed.label).toHtmlEscaped())
                        .arg(removed.a.count)
                        .arg(durationText(removed.a.totalNanos));
        }
        return text;
    }
    const CallTreeNode& n = m_tree.nodes[frame.index];
    const DiffSide& a = m_diff->a[frame.index];
    const FrameChange change = m_diff->change[frame.index];
    if (change == FrameChange::Added)
        return tr("<br><b>Only in B</b>: added since A");
    QString text = tr("<br>A: %L1 spans, total %2").arg(a.count).arg(durationText(a.totalNanos));
    const QString delta = QString::fromStdString(formatDurationDelta(n.totalNanos - a.totalNanos));
    const std::optional<double> relative = relativeChange(a.totalNanos, n.totalNanos);
    const QString share = relative ? QStringLiteral(" (%1%2 %)")
                                         .arg(*relative > 0 ? QStringLiteral("+") : QString())
                                         .arg(*relative * 100, 0, 'f', 1)
                                   : QString();
    const QString verdict = change == FrameChange::Slower   ? tr("slower")
                            : change == FrameChange::Faster ? tr("faster")
                                                            : tr("the same within the noise threshold");
    return text + tr("<br>B − A: %1%2, %3").arg(delta, share, verdict);
}

} // namespace spanwise
