#include "image_arguments.h"

#include <trace_image.h>

namespace spanwise::cli {

std::vector<std::string> imageValueOptions()
{
    return {"-o", "--output", "--width", "--scale", "--theme"};
}

std::string imageSizeText(const DocumentImage& image, ImageFormat format, int scale)
{
    const std::string width = std::to_string(image.width() * scale);
    if (format == ImageFormat::Pdf) {
        const std::size_t pages = pdfPages(image).size();
        return std::to_string(pages) + (pages == 1 ? " page " : " pages ") + width + " px wide";
    }
    return width + " x " + std::to_string(image.singlePage().height * scale) + " px";
}

std::optional<int> integerIn(const std::string& text, int min, int max)
{
    bool ok = false;
    const int value = QString::fromStdString(text).toInt(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<ImageArguments> imageArguments(const Arguments& parsed, std::string& problem)
{
    ImageArguments image;
    const std::optional<std::string> output = parsed.value("-o") ? parsed.value("-o") : parsed.value("--output");
    if (!output || output->empty()) {
        for (const char* option : {"--width", "--scale", "--theme"}) {
            if (parsed.value(option)) {
                problem = std::string(option) + " applies to an image: give one with -o OUT.png, OUT.svg or OUT.pdf";
                return std::nullopt;
            }
        }
        return image;
    }
    image.path = QString::fromStdString(*output);
    const std::optional<ImageFormat> format = imageFormatFor(image.path);
    if (!format) {
        problem = "cannot tell the format of " + *output + ": name it .png, .svg or .pdf";
        return std::nullopt;
    }
    image.format = *format;
    if (const auto width = parsed.value("--width")) {
        image.width = integerIn(*width, TraceImage::kMinWidth, TraceImage::kMaxWidth);
        if (!image.width) {
            problem = "--width takes a number of pixels from " + std::to_string(TraceImage::kMinWidth) + " to " +
                      std::to_string(TraceImage::kMaxWidth) + ", not " + *width;
            return std::nullopt;
        }
    }
    if (const auto text = parsed.value("--scale")) {
        const auto value = integerIn(*text, 1, 2);
        if (!value) {
            problem = "--scale takes 1 or 2, not " + *text;
            return std::nullopt;
        }
        if (image.format != ImageFormat::Png && *value != 1) {
            problem = "--scale applies to PNG only: SVG and PDF are vector drawings";
            return std::nullopt;
        }
        image.scale = *value;
    }
    if (const auto theme = parsed.value("--theme")) {
        if (*theme != "light" && *theme != "dark") {
            problem = "--theme takes light or dark, not " + *theme;
            return std::nullopt;
        }
        image.dark = *theme == "dark";
    }
    return image;
}

} // namespace spanwise::cli
