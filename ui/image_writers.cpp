#include "image_writers.h"

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

QString writeSvg(const DocumentImage& image, QSaveFile& file)
{
    const DocumentPage page = image.singlePage();
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setResolution(kLogicalDpi);
    svg.setSize(QSize(image.width(), page.height));
    svg.setViewBox(QRect(0, 0, image.width(), page.height));
    svg.setTitle(image.title().toHtmlEscaped()); // QSvgGenerator writes <title> as given, unescaped
    svg.setDescription(image.description().toHtmlEscaped());
    QPainter p;
    if (!p.begin(&svg))
        return saveError(file);
    page.paint(p);
    p.end();
    return {};
}

QString writePdf(const DocumentImage& image, QSaveFile& file)
{
    const std::vector<DocumentPage> pages = pdfPages(image);
    QPdfWriter pdf(&file);
    pdf.setResolution(kLogicalDpi);
    pdf.setCreator(QStringLiteral("Spanwise"));
    pdf.setTitle(image.title());
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setPageSize(pageSizeFor(image.width(), pages.front().height));
    QPainter p;
    if (!p.begin(&pdf))
        return saveError(file);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (i > 0) {
            pdf.setPageSize(pageSizeFor(image.width(), pages[i].height));
            pdf.newPage();
        }
        pages[i].paint(p);
    }
    p.end();
    return {};
}

} // namespace

int pdfPageHeight(int width)
{
    return static_cast<int>(std::lround(width * std::sqrt(2.0)));
}

std::vector<DocumentPage> pdfPages(const DocumentImage& image)
{
    return image.documentPages(pdfPageHeight(image.width()));
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

QString exportLimitProblem(const DocumentImage& image, ImageFormat format, int scale)
{
    if (format != ImageFormat::Png)
        return image.vectorLimitProblem();
    const qint64 width = qint64(image.width()) * scale;
    const qint64 height = qint64(image.singlePage().height) * scale;
    if (height <= DocumentImage::kMaxRasterHeight && width * height <= DocumentImage::kMaxRasterPixels)
        return {};
    return QObject::tr("the image would be %1 × %2 pixels, more than a PNG export holds (%3 pixels tall, %4 million "
                       "pixels): export as PDF (split into pages)%5 or with fewer rows")
        .arg(width)
        .arg(height)
        .arg(DocumentImage::kMaxRasterHeight)
        .arg(DocumentImage::kMaxRasterPixels / 1'000'000)
        .arg(scale > 1 ? QObject::tr(", at scale 1,") : QObject::tr(","));
}

QImage renderImage(const DocumentImage& image, int scale)
{
    if (!exportLimitProblem(image, ImageFormat::Png, scale).isEmpty())
        return {};
    const DocumentPage page = image.singlePage();
    QImage pixels(image.width() * scale, page.height * scale, QImage::Format_RGB32);
    if (pixels.isNull())
        return {};
    pixels.setDevicePixelRatio(scale);
    // So viewers that read the pHYs chunk show a 2× image at its logical size.
    const int dotsPerMeter = static_cast<int>(std::lround(kLogicalDpi * scale / 0.0254));
    pixels.setDotsPerMeterX(dotsPerMeter);
    pixels.setDotsPerMeterY(dotsPerMeter);
    QPainter p(&pixels);
    p.setRenderHint(QPainter::TextAntialiasing);
    page.paint(p);
    p.end();
    return pixels;
}

QString writeImage(const DocumentImage& image, const QString& path, ImageFormat format, int scale)
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
        const QImage pixels = renderImage(image, scale);
        if (pixels.isNull())
            return QObject::tr("not enough memory for a %1 × %2 image")
                .arg(image.width() * scale)
                .arg(image.singlePage().height * scale);
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
