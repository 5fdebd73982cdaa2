#include "span_details.h"

#include "model_text.h"
#include "service_palette.h"

#include <self_time.h>
#include <span_resource.h>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>

namespace spanwise {

namespace {

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString absoluteTime(TimeNs ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
           QStringLiteral("%1 UTC").arg(ns % 1'000'000 / 1000, 3, 10, QLatin1Char('0'));
}

QString row(const QString& key, const QString& valueHtml)
{
    return QStringLiteral("<tr><td class='k'>%1</td><td>%2</td></tr>").arg(esc(key), valueHtml);
}

QString attributeRows(const Dataset& d, Range range)
{
    QString html;
    for (std::uint32_t i = range.first; i < range.end(); ++i)
        html += row(qstr(d.str(d.attributes[i].key)), esc(attributeText(d, d.attributes[i].value)));
    return html;
}

QString section(const QString& title, const QString& rows)
{
    if (rows.isEmpty())
        return {};
    return QStringLiteral("<h4>%1</h4><table>%2</table>").arg(esc(title), rows);
}

const char* linkTypeName(LinkType type)
{
    switch (type) {
    case LinkType::ChildOf:
        return "child of";
    case LinkType::FollowsFrom:
        return "follows from";
    case LinkType::Link:
        break;
    }
    return "link";
}

std::uint32_t findSpanById(const Dataset& d, const Trace& t, SpanId id)
{
    for (std::uint32_t i = t.first; i < t.end_index(); ++i) {
        if (d.spans[i].id == id)
            return i;
    }
    return kNoIndex;
}

} // namespace

QString attributeText(const Dataset& data, const Value& value)
{
    switch (value.type()) {
    case ValueType::String:
        return qstr(data.str(value.stringId()));
    case ValueType::Bytes:
        return QString::fromLatin1(QByteArray::fromStdString(std::string(data.str(value.stringId()))).toBase64());
    case ValueType::Int:
        return QString::number(value.integer());
    case ValueType::Double:
        return QString::number(value.real(), 'g', 17);
    case ValueType::Bool:
        return value.boolean() ? QStringLiteral("true") : QStringLiteral("false");
    case ValueType::Array:
    case ValueType::KeyValueList: {
        const bool list = value.type() == ValueType::KeyValueList;
        QStringList parts;
        const Range r = value.range();
        for (std::uint32_t i = r.first; i < r.end() && parts.size() < 50; ++i) {
            const Attribute& a = data.attributes[i];
            parts << (list ? qstr(data.str(a.key)) + QStringLiteral(": ") : QString()) + attributeText(data, a.value);
        }
        return (list ? QStringLiteral("{") : QStringLiteral("[")) + parts.join(QStringLiteral(", ")) +
               (list ? QStringLiteral("}") : QStringLiteral("]"));
    }
    case ValueType::Empty:
        break;
    }
    return {};
}

QString SpanDetails::traceparent(const Dataset& data, const Trace& trace, std::uint32_t span)
{
    return QStringLiteral("00-%1-%2-%3")
        .arg(QString::fromStdString(toHex(trace.id)), QString::fromStdString(toHex(data.spans[span].id)))
        .arg(data.spans[span].flags & 0xff, 2, 16, QLatin1Char('0'));
}

SpanDetails::SpanDetails(TraceViewState* state, QWidget* parent) : QTextBrowser(parent), m_state(state)
{
    setOpenLinks(false);
    applyPalette();
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("copy"))
            QApplication::clipboard()->setText(url.path());
        else if (url.scheme() == QLatin1String("span"))
            m_state->select(url.path().toUInt()); // a link to another span of this trace
    });
    connect(state, &TraceViewState::selectionChanged, this, &SpanDetails::showSpan);
    showSpan(kNoIndex);
}

void SpanDetails::applyPalette()
{
    // Rich text does not resolve palette() in style sheets: the colours are spelled out, and
    // links kept readable on dark backgrounds whose palette leaves Link at its default blue.
    const QPalette& colors = palette();
    QColor link = colors.color(QPalette::Link);
    if (hasDarkBase(colors) && link.lightness() < 140)
        link = QColor(0x6c, 0xb4, 0xff);
    document()->setDefaultStyleSheet(
        QStringLiteral("h3 { margin: 0 0 4px 0; } h4 { margin: 10px 0 2px 0; } td { padding: 1px 8px 1px 0; "
                       "vertical-align: top; } td.k { color: %1; white-space: nowrap; } a { color: %2; "
                       "text-decoration: none; }")
            .arg(colors.color(QPalette::PlaceholderText).name(), link.name()));
}

void SpanDetails::changeEvent(QEvent* event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        showSpan(m_state->selected());
    }
}

void SpanDetails::showSpan(std::uint32_t span)
{
    if (span == kNoIndex) {
        setHtml(tr("<p style='color:%1'>Select a span to see its details.</p>").arg(palette().color(QPalette::PlaceholderText).name()));
        return;
    }
    const Dataset& d = m_state->data();
    const Trace& t = m_state->trace();
    const Span& s = d.spans[span];
    auto copyable = [](const QString& text) {
        return QStringLiteral("<code>%1</code> <a href='copy:%1'>copy</a>").arg(esc(text));
    };
    QString title = esc(qstr(d.str(s.name)));
    if (const std::string_view resource = resourceNameOf(d, s); !resource.empty() && resource != d.str(s.name))
        title += QStringLiteral(" <span style='font-weight:normal'>%1</span>").arg(esc(qstr(resource)));
    QString html = QStringLiteral("<h3>%1</h3><div>%2</div>").arg(title, esc(qstr(d.str(s.service))));
    QString overview;
    overview += row(tr("Kind"), QString::fromLatin1(toString(s.kind)));
    overview += row(tr("Start"), esc(absoluteTime(s.start)) + QStringLiteral(" (+%1)").arg(durationText(s.start - t.start)));
    overview += row(tr("Duration"), durationText(s.duration()));
    overview += row(tr("Self time"), durationText(selfTime(d, span)));
    QString status = QString::fromLatin1(toString(s.status));
    if (s.status == StatusCode::Error)
        status = QStringLiteral("<b style='color:#d03030'>error</b>");
    if (s.statusMessage)
        status += QStringLiteral(" — ") + esc(qstr(d.str(s.statusMessage)));
    overview += row(tr("Status"), status);
    if (s.has(MarkInProgress))
        overview += row(tr("In progress"), tr("no end time in the file (still running when written): drawn up to the "
                                              "end of the trace"));
    if (s.has(MarkInferred))
        overview += row(tr("Inferred"), tr("not reported by the service itself: the tracing backend made it from "
                                           "the call to it"));
    overview += row(tr("Span ID"), copyable(QString::fromStdString(toHex(s.id))));
    if (s.parentId)
        overview += row(tr("Parent ID"), copyable(QString::fromStdString(toHex(s.parentId))) +
                                             (s.has(MarkOrphan) ? tr(" <b>(missing from the file)</b>") : QString()));
    overview += row(tr("Trace ID"), copyable(QString::fromStdString(toHex(t.id))));
    overview += row(tr("traceparent"), copyable(traceparent(d, t, span)));
    if (s.traceState)
        overview += row(tr("Trace state"), esc(qstr(d.str(s.traceState))));
    if (s.has(MarkSkewAdjusted))
        overview += row(tr("Clock skew"), tr("moved by %1; as written it started at %2")
                                              .arg(durationText(s.skewDelta), esc(absoluteTime(s.start - s.skewDelta))));
    html += QStringLiteral("<table>%1</table>").arg(overview);
    html += section(tr("Attributes"), attributeRows(d, s.attributes));
    if (s.resource != kNoIndex)
        html += section(tr("Process / resource"), attributeRows(d, d.resources[s.resource].attributes));
    if (s.scope != kNoIndex) {
        const Scope& scope = d.scopes[s.scope];
        html += section(tr("Instrumentation scope"),
                        row(tr("name"), esc(qstr(d.str(scope.name)))) + row(tr("version"), esc(qstr(d.str(scope.version)))));
    }
    QString events;
    for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
        const Event& ev = d.events[e];
        events += row(QStringLiteral("+") + durationText(ev.time - s.start),
                      QStringLiteral("<b>%1</b><table>%2</table>").arg(esc(qstr(d.str(ev.name))), attributeRows(d, ev.attributes)));
    }
    html += section(tr("Events"), events);
    QString links;
    for (std::uint32_t l = s.links.first; l < s.links.end(); ++l) {
        const Link& link = d.links[l];
        QString target = QStringLiteral("%1 / %2").arg(QString::fromStdString(toHex(link.traceId)),
                                                       QString::fromStdString(toHex(link.spanId)));
        const std::uint32_t inTrace = link.traceId == t.id ? findSpanById(d, t, link.spanId) : kNoIndex;
        if (inTrace != kNoIndex)
            target = QStringLiteral("<a href='span:%1'>%2</a> — %3").arg(inTrace).arg(
                esc(qstr(d.str(d.spans[inTrace].name))), target);
        links += row(QString::fromLatin1(linkTypeName(link.type)), target);
    }
    html += section(tr("Links"), links);
    QString warnings;
    const auto& all = t.spanWarnings;
    auto it = std::lower_bound(all.begin(), all.end(), span, [](const SpanWarning& w, std::uint32_t i) { return w.span < i; });
    for (; it != all.end() && it->span == span; ++it)
        warnings += QStringLiteral("<tr><td>⚠ %1</td></tr>").arg(esc(QString::fromStdString(it->text)));
    if (s.has(MarkDuplicateId))
        warnings += tr("<tr><td>⚠ another span of this trace has the same id</td></tr>");
    if (s.has(MarkCycleBroken))
        warnings += tr("<tr><td>⚠ its parent link closed a cycle and was cut</td></tr>");
    html += section(tr("Warnings"), warnings);
    setHtml(html);
}

} // namespace spanwise
