#include "span_details.h"

#include "model_text.h"
#include "service_palette.h"

#include <self_time.h>
#include <span_resource.h>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QLocale>
#include <QPainter>
#include <QScrollBar>

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

// One key and its value: HTML, or an id shown whole on one line (elided in the middle when there is
// no room) with a link copying it, a link to follow on the id itself, and a note below it.
struct SpanDetails::Row {
    QString key;
    QString valueHtml;
    QString id = {};
    QString idLink = {};
};

std::vector<SpanDetails::Row> SpanDetails::attributeRows(const Dataset& d, Range range)
{
    std::vector<Row> rows;
    for (std::uint32_t i = range.first; i < range.end(); ++i)
        rows.push_back({qstr(d.str(d.attributes[i].key)), esc(attributeText(d, d.attributes[i].value))});
    return rows;
}

int SpanDetails::textWidth() const
{
    // As if the vertical scroll bar showed, so that its coming does not push the ids out.
    return width() - 2 * frameWidth() - verticalScrollBar()->sizeHint().width() -
           2 * static_cast<int>(document()->documentMargin());
}

int SpanDetails::keyColumnWidth(const std::vector<Row>& rows, int tableWidth) const
{
    int widest = 0;
    for (const Row& row : rows)
        widest = std::max(widest, fontMetrics().horizontalAdvance(row.key));
    // Longer keys wrap, the values keep most of the room.
    return std::min(widest + 1, std::max(fontMetrics().averageCharWidth() * 10, tableWidth * 9 / 20));
}

QString SpanDetails::table(const std::vector<Row>& rows, int tableWidth) const
{
    const int keyWidth = keyColumnWidth(rows, tableWidth);
    const int valueWidth = tableWidth - keyWidth - kCellPadding;
    const QFontMetrics code(m_codeFont);
    const int copyWidth = fontMetrics().horizontalAdvance(QLatin1Char(' ')) + copyIconSize() + 2;
    QString html = QStringLiteral("<table width='100%' cellspacing='0'>");
    for (const Row& row : rows) {
        QString value = row.valueHtml;
        if (!row.id.isEmpty()) {
            const QString shown = code.elidedText(row.id, Qt::ElideMiddle, valueWidth - copyWidth);
            const QString tip = row.idLink.isEmpty() ? row.id : tr("%1: click to select it").arg(row.id);
            QString id = QStringLiteral("<code title='%1'>%2</code>").arg(esc(tip), esc(shown));
            if (!row.idLink.isEmpty())
                id = QStringLiteral("<a href='%1'>%2</a>").arg(row.idLink, id);
            value = QStringLiteral("%1 <a href='copy:%2' title='%3'><img src='%4' width='%5' height='%5' "
                                   "style='vertical-align: middle'></a>")
                        .arg(id, esc(row.id), esc(tr("Copy %1").arg(row.key)), QLatin1String(kCopyIcon))
                        .arg(copyIconSize()) +
                    (value.isEmpty() ? QString() : QStringLiteral("<br>") + value);
        }
        // A key too long for its column is elided in its middle, where dotted keys differ least.
        const QString key = fontMetrics().elidedText(row.key, Qt::ElideMiddle, keyWidth);
        html += QStringLiteral("<tr><td class='k' width='%1'%2>%3</td><td%4>%5</td></tr>")
                    .arg(keyWidth + kCellPadding) // the width takes in the padding
                    .arg(key == row.key ? QString() : QStringLiteral(" title='%1'").arg(esc(row.key)), esc(key),
                         row.id.isEmpty() ? QString() : QStringLiteral(" class='id'"), value);
    }
    return html + QStringLiteral("</table>");
}

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
        return QString::number(value.real(), 'g', QLocale::FloatingPointShortest); // 187.46, not 187.46000000000001
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
    connect(state, &TraceViewState::rowsChanged, this, [this] { // a group folded into the selection's row, or not
        if (m_state->selected() != kNoIndex && (m_state->foldedGroupAt(m_state->selected()) != nullptr) != m_showsGroup)
            showSpan(m_state->selected());
    });
    showSpan(kNoIndex);
}

void SpanDetails::applyPalette()
{
    // Rich text does not resolve palette() in style sheets: the colours are spelled out, and
    // links kept readable on dark backgrounds whose palette leaves Link at its default blue.
    // Ids in a fixed-pitch font a little smaller than the text's, which looks as large.
    m_codeFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_codeFont.setPointSizeF(font().pointSizeF() * 0.9);
    const QPalette& colors = palette();
    const QColor link = theme::link(colors);
    // The copy icon: two overlapping sheets, in the links' colour.
    const qreal ratio = devicePixelRatioF();
    const int size = copyIconSize();
    m_copyIcon = QImage(QSize(size, size) * ratio, QImage::Format_ARGB32_Premultiplied);
    m_copyIcon.setDevicePixelRatio(ratio);
    m_copyIcon.fill(Qt::transparent);
    {
        QPainter p(&m_copyIcon);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(link, 1.2));
        const qreal sheet = size * 0.62;
        p.drawRoundedRect(QRectF(0.6, 0.6, sheet, sheet), 1.5, 1.5);
        p.setBrush(colors.color(QPalette::Base));
        p.drawRoundedRect(QRectF(size - sheet - 0.6, size - sheet - 0.6, sheet, sheet), 1.5, 1.5);
    }
    document()->addResource(QTextDocument::ImageResource, QUrl(QLatin1String(kCopyIcon)), m_copyIcon);
    document()->setDefaultStyleSheet(
        QStringLiteral(
            "h3 { margin: 0 0 4px 0; } h4 { margin: 10px 0 2px 0; } td { padding: 1px 0; "
            "vertical-align: top; } td.k { color: %2; white-space: nowrap; padding-right: %1px; } td.id { white-space: nowrap; } a { color: %3; "
            "text-decoration: none; } code { font-family: '%4'; font-size: %5pt; }")
            .arg(kCellPadding)
            .arg(colors.color(QPalette::PlaceholderText).name(), link.name(), m_codeFont.family())
            .arg(m_codeFont.pointSizeF()));
}

int SpanDetails::copyIconSize() const
{
    return fontMetrics().height() * 3 / 4;
}

QVariant SpanDetails::loadResource(int type, const QUrl& name)
{
    if (type == QTextDocument::ImageResource && name == QUrl(QLatin1String(kCopyIcon)))
        return m_copyIcon;
    return QTextBrowser::loadResource(type, name);
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
        setHtml(tr("<p style='color:%1'>Select a span to see its details.</p>")
                    .arg(palette().color(QPalette::PlaceholderText).name()));
        return;
    }
    m_showsGroup = m_state->foldedGroupAt(span) != nullptr;
    const Dataset& d = m_state->data();
    const Trace& t = m_state->trace();
    const Span& s = d.spans[span];
    QString title = esc(qstr(d.str(s.name)));
    if (const std::string_view resource = resourceNameOf(d, s); !resource.empty() && resource != d.str(s.name))
        title += QStringLiteral(" <span style='font-weight:normal'>%1</span>").arg(esc(qstr(resource)));
    QString html = QStringLiteral("<h3>%1</h3><div>%2</div>").arg(title, esc(qstr(d.str(s.service))));
    struct Section {
        QString title; // none for the overview
        std::vector<Row> rows;
    };
    std::vector<Section> sections(1);
    std::vector<Row>& overview = sections.front().rows;
    overview.push_back({tr("Kind"), QString::fromLatin1(toString(s.kind))});
    overview.push_back({tr("Start"), esc(absoluteTime(s.start)) +
                                         QStringLiteral(" (+%1)").arg(
                                             durationText(s.start - t.start).replace(QLatin1Char(' '), QChar::Nbsp))});
    overview.push_back({tr("Duration"), durationText(s.duration())});
    overview.push_back({tr("Self time"), durationText(selfTime(d, span))});
    QString status = QString::fromLatin1(toString(s.status));
    if (s.status == StatusCode::Error)
        status = QStringLiteral("<b style='color:#d03030'>error</b>");
    if (s.statusMessage)
        status += QStringLiteral(" — ") + esc(qstr(d.str(s.statusMessage)));
    overview.push_back({tr("Status"), status});
    if (s.has(MarkInProgress))
        overview.push_back({tr("In progress"), tr("no end time in the file (still running when written): drawn up to "
                                                  "the end of the trace")});
    if (s.has(MarkInferred))
        overview.push_back({tr("Inferred"), tr("not reported by the service itself: the tracing backend made it from "
                                               "the call to it")});
    overview.push_back({tr("Span ID"), {}, QString::fromStdString(toHex(s.id))});
    if (s.parentId) {
        // The parent id selects the parent, when it is in the file.
        overview.push_back({tr("Parent ID"), s.has(MarkOrphan) ? tr("<b>missing from the file</b>") : QString(),
                            QString::fromStdString(toHex(s.parentId)),
                            s.parent != kNoIndex ? QStringLiteral("span:%1").arg(s.parent) : QString()});
    }
    overview.push_back({tr("Trace ID"), {}, QString::fromStdString(toHex(t.id))});
    overview.push_back({tr("traceparent"), {}, traceparent(d, t, span)});
    if (s.traceState)
        overview.push_back({tr("Trace state"), esc(qstr(d.str(s.traceState)))});
    if (s.has(MarkSkewAdjusted))
        overview.push_back(
            {tr("Clock skew"), tr("moved by %1; as written it started at %2")
                                   .arg(durationText(s.skewDelta), esc(absoluteTime(s.start - s.skewDelta)))});
    if (const RepeatGroup* group = m_state->foldedGroupAt(span)) { // its row stands for all the calls
        std::vector<Row> calls;
        calls.push_back(
            {tr("Calls"),
             tr("%L1, %2").arg(group->count).arg(group->concurrent ? tr("in parallel") : tr("one after another"))});
        calls.push_back(
            {tr("Over"), tr("%1 from +%2")
                             .arg(durationText(group->end - group->start),
                                  durationText(group->start - t.start).replace(QLatin1Char(' '), QChar::Nbsp))});
        calls.push_back({tr("Durations"), esc(groupTimesText(*group))});
        if (group->errors > 0)
            calls.push_back({tr("Failed"), QStringLiteral("<b style='color:#d03030'>%L1</b>").arg(group->errors)});
        sections.insert(sections.begin(), {tr("%L1 repeated calls; below, the first").arg(group->count), calls});
    }
    sections.push_back({tr("Attributes"), attributeRows(d, s.attributes)});
    if (s.resource != kNoIndex)
        sections.push_back({tr("Process / resource"), attributeRows(d, d.resources[s.resource].attributes)});
    if (s.scope != kNoIndex) {
        const Scope& scope = d.scopes[s.scope];
        sections.push_back(
            {tr("Instrumentation scope"),
             {{tr("name"), esc(qstr(d.str(scope.name)))}, {tr("version"), esc(qstr(d.str(scope.version)))}}});
    }
    struct {
        std::vector<Row> rows;
        std::vector<std::vector<Row>> attributes; // of each event, in a table under its name
    } events;
    for (std::uint32_t e = s.events.first; e < s.events.end(); ++e) {
        const Event& ev = d.events[e];
        events.rows.push_back(
            {QStringLiteral("+") + durationText(ev.time - s.start), esc(qstr(d.str(ev.name))), {}, {}});
        events.attributes.push_back(attributeRows(d, ev.attributes));
    }
    Section links{tr("Links"), {}};
    for (std::uint32_t l = s.links.first; l < s.links.end(); ++l) {
        const Link& link = d.links[l];
        QString target = QStringLiteral("%1 / %2").arg(QString::fromStdString(toHex(link.traceId)),
                                                       QString::fromStdString(toHex(link.spanId)));
        const std::uint32_t inTrace = link.traceId == t.id ? findSpanById(d, t, link.spanId) : kNoIndex;
        if (inTrace != kNoIndex)
            target = QStringLiteral("<a href='span:%1'>%2</a> — %3")
                         .arg(inTrace)
                         .arg(esc(qstr(d.str(d.spans[inTrace].name))), target);
        links.rows.push_back({QString::fromLatin1(linkTypeName(link.type)), target});
    }
    // Each table with its own key column: the short keys of the overview leave the ids the most room.
    const int width = textWidth();
    const auto render = [&](const Section& section) {
        if (section.rows.empty())
            return;
        if (!section.title.isEmpty())
            html += QStringLiteral("<h4>%1</h4>").arg(esc(section.title));
        html += table(section.rows, width);
    };
    for (const Section& section : sections)
        render(section);
    if (!events.rows.empty()) {
        html += QStringLiteral("<h4>%1</h4>").arg(esc(tr("Events")));
        const int eventKeys = keyColumnWidth(events.rows, width);
        for (std::size_t e = 0; e < events.rows.size(); ++e) {
            events.rows[e].valueHtml = QStringLiteral("<b>%1</b>%2")
                                           .arg(events.rows[e].valueHtml,
                                                table(events.attributes[e], width - eventKeys - kCellPadding));
        }
        html += table(events.rows, width);
    }
    render(links);
    QString warnings;
    const auto& all = t.spanWarnings;
    auto it = std::lower_bound(all.begin(), all.end(), span,
                               [](const SpanWarning& w, std::uint32_t i) { return w.span < i; });
    for (; it != all.end() && it->span == span; ++it)
        warnings += QStringLiteral("<tr><td>⚠ %1</td></tr>").arg(esc(QString::fromStdString(it->text)));
    if (s.has(MarkDuplicateId))
        warnings += tr("<tr><td>⚠ another span of this trace has the same id</td></tr>");
    if (s.has(MarkCycleBroken))
        warnings += tr("<tr><td>⚠ its parent link closed a cycle and was cut</td></tr>");
    if (!warnings.isEmpty())
        html += QStringLiteral("<h4>%1</h4><table>%2</table>").arg(esc(tr("Warnings")), warnings);
    m_laidOutFor = width;
    setHtml(html);
}

void SpanDetails::resizeEvent(QResizeEvent* event)
{
    QTextBrowser::resizeEvent(event);
    // The columns and the ids' elision follow the width: lay the text out again when it changes.
    if (m_state->selected() != kNoIndex && textWidth() != m_laidOutFor) {
        const int scrolled = verticalScrollBar()->value();
        showSpan(m_state->selected());
        verticalScrollBar()->setValue(scrolled);
    }
}

} // namespace spanwise
