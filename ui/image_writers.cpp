#include "image_writers.h"

#include "trace_image.h"

#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace spanwise {

namespace {

constexpr int kLogicalDpi = 96; // what the image's logical pixels are on vector devices
constexpr double kPointsPerPixel = 72.0 / kLogicalDpi;

QPageSize pageSizeFor(int width, int height)
{
    return QPageSize(QSizeF(width * kPointsPerPixel, height * kPointsPerPixel), QPageSize::Point, QString(),
                     QPageSize::ExactMatch);
}

QString saveError(const QSaveFile& file)
{
    return QObject::tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
}

QString writeSvg(const TraceImage& image, QSaveFile& file)
{
    const TraceImagePage page = image.wholePage();
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setResolution(kLogicalDpi);
    svg.setSize(QSize(image.width(), image.height(page)));
    svg.setViewBox(QRect(0, 0, image.width(), image.height(page)));
    svg.setTitle(image.title().toHtmlEscaped()); // QSvgGenerator writes <title> as given, unescaped
    svg.setDescription(QObject::tr("Trace exported by Spanwise"));
    QPainter p;
    if (!p.begin(&svg))
        return saveError(file);
    image.paint(p, page);
    p.end();
    return {};
}

QString writePdf(const TraceImage& image, QSaveFile& file)
{
    const std::vector<TraceImagePage> pages = pdfPages(image);
    QPdfWriter pdf(&file);
    pdf.setResolution(kLogicalDpi);
    pdf.setCreator(QStringLiteral("Spanwise"));
    pdf.setTitle(image.title());
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setPageSize(pageSizeFor(image.width(), image.height(pages.front())));
    QPainter p;
    if (!p.begin(&pdf))
        return saveError(file);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) {
            pdf.setPageSize(pageSizeFor(image.width(), image.height(pages[i])));
            pdf.newPage();
        }
        image.paint(p, pages[i]);
    }
    p.end();
    return {};
}

} // namespace

std::vector<TraceImagePage> pdfPages(const TraceImage& image)
{
    return image.pages(static_cast<int>(std::lround(image.width() * std::sqrt(2.0))));
}

std::optional<ImageFormat> imageFormatFor(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return ImageFormat::Png;
    if (suffix == QLatin1String("svg"))
        return ImageFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return ImageFormat::Pdf;
    return std::nullopt;
}

QString exportLimitProblem(const TraceImage& image, ImageFormat format, int scale)
{
    if (format != ImageFormat::Png) {
        if (image.rowCount() <= TraceImage::kMaxVectorRows)
            return {};
        return QObject::tr("%1 rows are more than an SVG or PDF export holds (%2): collapse deeper levels or "
                           "export fewer rows")
            .arg(image.rowCount())
            .arg(TraceImage::kMaxVectorRows);
    }
    const qint64 width = qint64(image.width()) * scale;
    const qint64 height = qint64(image.height(image.wholePage())) * scale;
    if (height <= TraceImage::kMaxRasterHeight && width * height <= TraceImage::kMaxRasterPixels)
        return {};
    return QObject::tr("the image would be %1 × %2 pixels, more than a PNG export holds (%3 pixels tall, %4 million "
                       "pixels): export as PDF (split into pages)%5 or with fewer rows")
        .arg(width)
        .arg(height)
        .arg(TraceImage::kMaxRasterHeight)
        .arg(TraceImage::kMaxRasterPixels / 1'000'000)
        .arg(scale > 1 ? QObject::tr(", at scale 1,") : QObject::tr(","));
}

QImage renderTraceImage(const TraceImage& image, int scale)
{
    if (!exportLimitProblem(image, ImageFormat::Png, scale).isEmpty())
        return {};
    const TraceImagePage page = image.wholePage();
    QImage pixels(image.width() * scale, image.height(page) * scale, QImage::Format_RGB32);
    if (pixels.isNull())
        return {};
    pixels.setDevicePixelRatio(scale);
    // So viewers that read the pHYs chunk show a 2× image at its logical size.
    const int dotsPerMeter = static_cast<int>(std::lround(kLogicalDpi * scale / 0.0254));
    pixels.setDotsPerMeterX(dotsPerMeter);
    pixels.setDotsPerMeterY(dotsPerMeter);
    QPainter p(&pixels);
    p.setRenderHint(QPainter::TextAntialiasing);
    image.paint(p, page);
    p.end();
    return pixels;
}

QString writeTraceImage(const TraceImage& image, const QString& path, ImageFormat format, int scale)
{
    if (format != ImageFormat::Png)
        scale = 1;
    if (const QString problem = exportLimitProblem(image, format, scale); !problem.isEmpty())
        return problem;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return saveError(file);
    QString error;
    switch (format) {
    case ImageFormat::Png: {
        const QImage pixels = renderTraceImage(image, scale);
        if (pixels.isNull())
            return QObject::tr("not enough memory for a %1 × %2 image").arg(image.width() * scale).arg(image.height(image.wholePage()) * scale);
        if (!pixels.save(&file, "PNG"))
            error = saveError(file);
        break;
    }
    case ImageFormat::Svg:
        error = writeSvg(image, file);
        break;
    case ImageFormat::Pdf:
        error = writePdf(image, file);
        break;
    }
    if (!error.isEmpty())
        return error;
    if (!file.commit())
        return saveError(file);
    return {};
}

} // namespace spanwise
