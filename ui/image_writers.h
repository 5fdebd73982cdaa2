#pragma once
// A TraceImage written as a file: PNG (at 1× or 2×), SVG (vector, text as text) or PDF (vector,
// split into pages of A-series proportions when taller than one), each written atomically.

#include <QImage>
#include <QString>

#include <optional>
#include <vector>

namespace spanwise {

class TraceImage;
struct TraceImagePage;

enum class ImageFormat { Png, Svg, Pdf };

// From the file name's extension (.png, .svg, .pdf; any case).
std::optional<ImageFormat> imageFormatFor(const QString& path);

// Why this image cannot be exported in that format at that scale (too big), or empty.
QString exportLimitProblem(const TraceImage& image, ImageFormat format, int scale);

// The pages of its PDF: as wide as the image, at most √2 times as tall (A-series proportions).
std::vector<TraceImagePage> pdfPages(const TraceImage& image);

// The image in pixels at scale × its logical size (also what Copy Image puts on the clipboard);
// a null image when too big.
QImage renderTraceImage(const TraceImage& image, int scale);

// Writes the file; returns what went wrong, or an empty string. Scale applies to PNG only.
QString writeTraceImage(const TraceImage& image, const QString& path, ImageFormat format, int scale = 1);

} // namespace spanwise
