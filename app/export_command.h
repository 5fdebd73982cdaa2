#pragma once
// `spanwise export FILE -o OUT.png|OUT.svg|OUT.pdf ...`: one trace as an image, without a display.

#include <string>
#include <vector>

namespace spanwise {

// Needs a QGuiApplication (main() makes one on the offscreen platform).
int runExportCommand(const std::vector<std::string>& args);

} // namespace spanwise
