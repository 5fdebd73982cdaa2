#include "query_field.h"

#include "model_text.h"
#include "theme.h"

#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>

namespace spanwise {

QString queryLanguageHelp()
{
    return QCoreApplication::translate(
        "spanwise::QueryField",
        "<p>Find spans; every term must match, case is ignored:</p><table>"
        "<tr><td><code>checkout</code></td><td>a word in the service, operation, span id, traceparent, "
        "attribute key or value</td></tr>"
        "<tr><td><code>\"GET /cart\"</code></td><td>a phrase with spaces</td></tr>"
        "<tr><td><code>/^GET .*cart$/</code></td><td>a regular expression, in the same names</td></tr>"
        "<tr><td><code>http.method=GET</code></td><td>an attribute with this value; <code>*</code> matches "
        "anything: <code>http.url=*cart*</code>, <code>db.system=*</code>; quote spaces: "
        "<code>key=\"a b\"</code></td></tr>"
        "<tr><td><code>key!=value</code></td><td>no such attribute with this value</td></tr>"
        "<tr><td><code>http.status_code&gt;=500</code></td><td>a numeric attribute compared (&gt; &gt;= &lt; "
        "&lt;=)</td></tr>"
        "<tr><td><code>service=cart*</code> <code>op=GET*</code></td><td>the span's service or operation</td></tr>"
        "<tr><td><code>duration&gt;10ms</code></td><td>spans longer than 10 ms (also s, us, ns)</td></tr>"
        "<tr><td><code>status=error</code> <code>kind=server</code></td><td>the span's status or kind</td></tr>"
        "</table>");
}

void showQueryError(QLineEdit* field, QLabel* label, const QString& text, const ParsedQuery& parsed)
{
    if (parsed.ok()) {
        label->hide();
        label->clear();
        return;
    }
    // The error is a byte offset in the UTF-8 text; the field counts UTF-16 units.
    const QByteArray utf8 = text.toUtf8();
    const int at = static_cast<int>(QString::fromUtf8(utf8.left(static_cast<qsizetype>(parsed.errorAt))).size());
    const QString message =
        QCoreApplication::translate("spanwise::QueryField", "Column %1: %2").arg(at + 1).arg(qstr(parsed.error));
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, theme::error(hasDarkBase(field->palette())));
    label->setPalette(palette);
    label->setText(message);
    label->setToolTip(message);
    label->show();
}

} // namespace spanwise
