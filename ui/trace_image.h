#pragma once
// A picture of one trace for a document: a header (file, trace id, root service and operation,
// duration, span count, export date), the service colour legend, the waterfall exactly as the
// view paints it (ruler, critical path and whatever else WaterfallPainter paints: the same
// code, on a hidden instance with a document palette and font) — or the flame graph, graph or
// spans table so (view_image_body.h) — and, optionally, the critical-path breakdown chart. Laid out in logical pixels;
// painted on any QPaintDevice whose pixels are logical pixels (a QImage with a device pixel ratio, an SVG or PDF at 96
// dpi), on one page or split into pages that each repeat the ruler.

#include "document_image.h"
#include "trace_view_state.h"
#include "view_image_body.h"

#include <annotations.h>

#include <QDateTime>
#include <QString>

#include <memory>
#include <vector>

class QPainter;
class QPalette;
class QFont;
class QRect;

namespace spanwise {

class AnnotationStore;
class CriticalPathBar;
class WaterfallPainter;

struct TraceImageOptions {
    QString fileName;       // shown in the header
    int width = 1400;       // logical pixels
    bool dark = false;      // the document theme, independent of the desktop's
    bool breakdown = false; // the critical-path breakdown chart under the waterfall
    int firstRow = 0;       // the state's rows shown: rowCount of them from firstRow, or all (-1)
    int rowCount = -1;
    TimeNs viewStart = 0; // time window; an empty one means the state's
    TimeNs viewEnd = 0;
    QDateTime exportedAt;                   // invalid: now
    AnnotationStore* annotations = nullptr; // notes, ranges and highlights drawn, if any
    // The view drawn under the header and legend: the waterfall (with the rows and time window
    // above), or the flame graph, graph or spans table as the choice says.
    ViewImageChoice view;
};

struct TraceImagePage {
    int firstRow = 0;
    int rowCount = 0;
    bool header = true; // the full header and legend; later pages get one line
    bool chart = false;
    int number = 1;
    int count = 1;
    BodySlice body; // of a view other than the waterfall (no rows then)
};

class TraceImage : public DocumentImage {
public:
    static constexpr int kMinWidth = 640;
    static constexpr int kMaxWidth = 4000;
    // The rows a vector export holds and stays usable with.
    static constexpr int kMaxVectorRows = 10000;

    TraceImage(TraceViewState* state, TraceImageOptions options);
    ~TraceImage() override;

    const TraceImageOptions& options() const { return m_options; }
    int width() const override { return m_options.width; }
    int rowCount() const { return m_rowCount; } // of the waterfall
    QString title() const override;             // root service and operation
    QString description() const override;
    QString vectorLimitProblem() const override;
    DocumentPage singlePage() const override;
    std::vector<DocumentPage> documentPages(int maxHeight) const override;
    TraceImagePage wholePage() const; // everything on one page
    // Pages at most maxHeight tall (but always at least one row each): the first with the
    // header, the last with the chart.
    std::vector<TraceImagePage> pages(int maxHeight) const;
    int height(const TraceImagePage& page) const;
    void paint(QPainter& painter, const TraceImagePage& page) const; // at (0, 0)
    // Where the page's waterfall is painted (inside its frame), and what paints it.
    QRect waterfallArea(const TraceImagePage& page) const;
    const WaterfallPainter& waterfall() const { return *m_waterfall; }

    static QPalette documentPalette(bool dark);
    static QFont documentFont(int pixelSize, bool bold = false);

private:
    int headerHeight() const;
    int continuationHeight() const;
    int waterfallHeight(int rows) const;
    int chartHeight() const;
    QStringList headerLines(int pageCount) const;
    int paintHeader(QPainter& p, int y, int pageCount) const;

    TraceViewState* m_state;
    TraceImageOptions m_options;
    int m_rowCount = 0;
    std::unique_ptr<WaterfallPainter> m_waterfall;
    TraceAnnotations m_annotationIndex; // of the options' annotations
    std::unique_ptr<CriticalPathBar> m_chart;
    std::unique_ptr<ViewImageBody> m_body; // of a view other than the waterfall
};

} // namespace spanwise
