#pragma once
// The options of the headless subcommands that draw an image (`export`, `diff -o`): the output file
// and its format, --width, --scale and --theme, checked once for both.

#include "command_line.h"

#include <image_writers.h>

#include <QString>

#include <optional>
#include <string>

namespace spanwise::cli {

struct ImageArguments {
    QString path; // empty when no -o/--output was given
    ImageFormat format = ImageFormat::Png;
    std::optional<int> width; // as given; the image's default otherwise
    int scale = 1;
    bool dark = false;
};

// The image options given; a usage problem instead when one is wrong, or when one is given without
// an output file.
std::optional<ImageArguments> imageArguments(const Arguments& parsed, std::string& problem);

// The options imageArguments reads, for parseArguments.
std::vector<std::string> imageValueOptions();

// "3 pages 1400 px wide" for a PDF, "1400 x 2200 px" for the others.
std::string imageSizeText(const DocumentImage& image, ImageFormat format, int scale);

// A decimal integer from min to max.
std::optional<int> integerIn(const std::string& text, int min, int max);

} // namespace spanwise::cli
