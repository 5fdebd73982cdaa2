#pragma once
// A DocumentImage (a trace, a comparison) written as a file: PNG (at 1× or 2×), SVG (vector, text as
// text) or PDF (vector, split into pages of A-series proportions when taller than one), each written
// atomically.

#include "document_image.h"

#include <QImage>
#include <QString>

#include <optional>
#include <vector>

namespace spanwise {

enum class ImageFormat { Png, Svg, Pdf };

// From the file name's extension (.png, .svg, .pdf; any case).
std::optional<ImageFormat> imageFormatFor(const QString& path);

// Why this image cannot be exported in that format at that scale (too big), or empty.
QString exportLimitProblem(const DocumentImage& image, ImageFormat format, int scale);

// The height of a PDF page for an image this wide: at most √2 times the width (A-series proportions).
int pdfPageHeight(int width);
// The pages of its PDF.
std::vector<DocumentPage> pdfPages(const DocumentImage& image);

// The image in pixels at scale × its logical size (also what Copy Image puts on the clipboard);
// a null image when too big.
QImage renderImage(const DocumentImage& image, int scale);

// Writes the file; returns what went wrong, or an empty string. Scale applies to PNG only.
QString writeImage(const DocumentImage& image, const QString& path, ImageFormat format, int scale = 1);

} // namespace spanwise
