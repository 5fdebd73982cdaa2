#pragma once
// The details of the selected span: identity, timing, status, attributes, resource, events,
// links and warnings. Ids can be copied, also as a W3C traceparent header.

#include "trace_view_state.h"

#include <QTextBrowser>

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

private:
    void applyPalette();
    TraceViewState* m_state;
};

// An attribute value as text: strings as they are, arrays and lists in JSON-like form.
QString attributeText(const Dataset& data, const Value& value);

} // namespace spanwise
