#pragma once
// What an exported document says: the texts of an SVG, the text of a PDF.

#include <QString>
#include <QStringList>

namespace spanwise::test {

// The texts of an SVG's <text> elements; empty (with a warning) when it does not parse.
QStringList svgTexts(const QString& path);

bool hasPdftotext();
// pdftotext's output, pages separated by form feeds; empty when it is not installed or fails.
QString pdfText(const QString& path);

} // namespace spanwise::test
