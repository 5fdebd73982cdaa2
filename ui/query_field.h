#pragma once
// What the find bar and the spans table share about the query language (model/span_search.h):
// its help text and how a field shows that its query does not parse.

#include <span_search.h>

#include <QString>

class QLabel;
class QLineEdit;

namespace spanwise {

// Rich-text help on the language, for a query field's tooltip.
QString queryLanguageHelp();

// Shows parsed's error in label (in the error colour, with where it is) and hides label when the
// text parsed.
void showQueryError(QLineEdit* field, QLabel* label, const QString& text, const ParsedQuery& parsed);

} // namespace spanwise
