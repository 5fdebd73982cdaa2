#pragma once
// A picture of a comparison for a document or an incident report: a header (both files, trace ids
// and durations, the difference, node counts by status, the names normalised and the noise
// threshold), the per-service delta chart, a table of the largest changes and, optionally, the two
// waterfalls of the selected node one above the other on one time scale. Painted by the compare
// page's own painters (ServiceDeltaBars; WaterfallPainter instances sharing
// the comparison's TraceViewStates; the tree model's texts and colours) in TraceImage's document palette
// and font; on one page, or on pages that each say where they belong.

#include "document_image.h"

#include <trace_diff.h>

#include <QDateTime>

#include <memory>

class QPainter;

namespace spanwise {

class Comparison;
class DiffTreeModel;
class ServiceDeltaBars;
class TraceViewState;
class WaterfallPainter;

struct CompareImageOptions {
    int width = 1400;       // logical pixels
    bool dark = false;      // the document theme, independent of the desktop's
    bool waterfalls = true; // the selected node's spans in both traces
    int tableRows = 20;     // the largest changes listed
    QDateTime exportedAt;   // invalid: now
};

class CompareImage : public DocumentImage {
public:
    static constexpr int kMaxTableRows = 500;
    static constexpr int kWaterfallRows = 24; // per side, from just above the node's first span

    // The comparison's shown node is the one whose waterfalls are shown.
    CompareImage(const Comparison& comparison, CompareImageOptions options);
    ~CompareImage() override;

    const CompareImageOptions& options() const { return m_options; }
    int width() const override { return m_options.width; }
    QString title() const override;
    QString description() const override;
    DocumentPage singlePage() const override;
    std::vector<DocumentPage> documentPages(int maxHeight) const override;

    // The table's nodes, largest change first, and how many changed nodes it leaves out.
    const std::vector<std::uint32_t>& tableNodes() const { return m_tableNodes; }
    std::size_t nodesNotShown() const { return m_notShown; }
    // The node whose waterfalls are shown; kNoIndex for none.
    std::uint32_t waterfallNode() const { return m_node; }

private:
    enum class Part { Header, Chart, Table, Waterfall };
    struct Piece {
        Part part;
        int first = 0;     // Table: its first row; Waterfall: the side
        int count = 0;     // Table: its rows
        bool last = false; // Table: the last piece, which says how many are not shown
    };
    struct Page {
        std::vector<Piece> pieces;
        int number = 1;
        int count = 1;
    };
    struct Columns {
        int status, node, count, total, delta, percent; // widths; the node column takes what is left
    };

    std::vector<Page> layout(int maxHeight) const;
    DocumentPage documentPage(const Page& page) const;
    int height(const Page& page) const;
    int height(const Piece& piece) const;
    int headerHeight() const;
    int tableRowHeight() const;
    int waterfallHeight(int side) const;
    QStringList sideLines() const;
    void paint(QPainter& p, const Page& page) const;
    void paintHeader(QPainter& p, int y, int pageCount) const;
    void paintTable(QPainter& p, const Piece& piece, int y) const;
    void paintWaterfall(QPainter& p, int side, int y) const;
    QString compactPath(std::uint32_t node, const QFontMetrics& metrics, int width) const;

    std::shared_ptr<const TraceDiff> m_diff;
    const DiffTreeModel* m_model;
    TraceViewState* m_states[2];
    QString m_names[2];
    CompareImageOptions m_options;
    std::vector<std::uint32_t> m_tableNodes;
    std::size_t m_notShown = 0;
    Columns m_columns{};
    std::unique_ptr<ServiceDeltaBars> m_chart;
    std::uint32_t m_node = kNoIndex;
    std::unique_ptr<WaterfallPainter> m_waterfalls[2];
    int m_firstRow[2] = {0, 0};
    int m_rowCount[2] = {0, 0};
};

} // namespace spanwise
