#pragma once
// The details of the selected span: identity, timing, status, attributes, resource, events,
// links and warnings. Ids can be copied, also as a W3C traceparent header; ids never wrap. The
// parent id and links to spans of the trace select them.

#include "trace_view_state.h"

#include <QImage>
#include <QTextBrowser>

#include <vector>

namespace spanwise {

class SpanDetails : public QTextBrowser {
    Q_OBJECT
public:
    explicit SpanDetails(TraceViewState* state, QWidget* parent = nullptr);
    void showSpan(std::uint32_t span);
    // The W3C traceparent header value of a span: 00-<trace id>-<span id>-<flags>.
    static QString traceparent(const Dataset& data, const Trace& trace, std::uint32_t span);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    QVariant loadResource(int type, const QUrl& name) override; // the copy icon

private:
    struct Row;
    static constexpr int kCellPadding = 8;
    static constexpr const char* kCopyIcon = "spanwise-icon:copy";
    int copyIconSize() const;
    static std::vector<Row> attributeRows(const Dataset& data, Range range);
    void applyPalette();
    int textWidth() const; // the document's, for a table filling it
    // The key column: as wide as the widest key, at most 45% of the table.
    int keyColumnWidth(const std::vector<Row>& rows, int tableWidth) const;
    QString table(const std::vector<Row>& rows, int tableWidth) const;

    TraceViewState* m_state;
    bool m_showsGroup = false; // the span shown is a folded group's first call
    QFont m_codeFont;
    QImage m_copyIcon;    // in the links' colour
    int m_laidOutFor = 0; // the text width of the span shown
};

// An attribute value as text: strings as they are, arrays and lists in JSON-like form.
QString attributeText(const Dataset& data, const Value& value);

} // namespace spanwise
