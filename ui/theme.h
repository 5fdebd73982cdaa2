#pragma once
// The colours that carry a meaning, shared by every view and export: red is for errors only.

#include <QColor>
#include <QPalette>

namespace spanwise {

// Whether a palette draws on a dark background: the views choose their shades by it.
bool hasDarkBase(const QPalette& palette);

// Black or white, whichever reads better on a fill of this colour.
QColor textColorOn(const QColor& fill);

namespace theme {

QColor error(bool dark);        // a failed span: markers, bar frames, error counts
QColor warning(bool dark);      // orphans, broken cycles, adjusted clocks
QColor slower(bool dark);       // a comparison's regression
QColor faster(bool dark);       // a comparison's improvement
QColor searchMatch(bool dark);  // the name cell of a row the search found
QColor criticalPath(bool dark); // the ink of the critical path over the bars
// Links in rich text: the palette's, unless a dark palette left Link at its default dark blue,
// which cannot be read on a dark background.
QColor link(const QPalette& palette);

} // namespace theme
} // namespace spanwise
