#pragma once
// What the image writers (image_writers.h) export: a picture laid out in logical pixels, painted on
// one page (PNG, SVG, the clipboard) or split into pages no taller than asked (PDF). TraceImage and
// CompareImage are the two kinds.

#include <QFontMetrics>
#include <QString>

#include <functional>
#include <vector>

class QPainter;

namespace spanwise {

// The layout both kinds share, in logical pixels.
namespace document {
constexpr int kMargin = 24;
constexpr int kTextPixels = 12;
constexpr int kTitlePixels = 17;
constexpr int kGap = 14; // between the parts: header, waterfall, charts, tables

inline int lineHeight(const QFont& font)
{
    return QFontMetrics(font).height() + 3;
}
} // namespace document

struct DocumentPage {
    int height = 0;
    std::function<void(QPainter&)> paint; // the page at (0, 0), as wide as the image
};

class DocumentImage {
public:
    // A raster's size that keeps the export possible and its file usable (device pixels).
    static constexpr int kMaxRasterHeight = 32767;
    static constexpr qint64 kMaxRasterPixels = 100'000'000;

    virtual ~DocumentImage() = default;
    virtual int width() const = 0;
    virtual QString title() const = 0;       // of the SVG and the PDF
    virtual QString description() const = 0; // of the SVG
    // Why it cannot be drawn as vectors (SVG, PDF), or empty.
    virtual QString vectorLimitProblem() const { return {}; }
    virtual DocumentPage singlePage() const = 0; // everything on one page
    // Pages at most maxHeight tall, unless one piece (a row, a chart) alone is taller.
    virtual std::vector<DocumentPage> documentPages(int maxHeight) const = 0;
};

} // namespace spanwise
