// The OTLP protobuf importer: inputs written with protoc's generated classes (and, for broken
// input, by hand with the small wire writer below).
#include "otlp_trace.pb.h"

#include <test_support.h>

#include <importer.h>

#include <QRandomGenerator>
#include <QTest>

#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;
using namespace spanwise;
using test::attribute;
using test::findSpan;

namespace {

constexpr std::uint64_t kStart = 1767225600000000000ull; // 2026-01-01
constexpr std::uint64_t kTraceHigh = 0x5759e988bd862e3full;
constexpr std::uint64_t kTraceLow = 0xe1be46a994272793ull;

std::string bigEndian(std::uint64_t value, int bytes)
{
    std::string out(static_cast<std::size_t>(bytes), '\0');
    for (int i = bytes - 1; i >= 0; --i, value >>= 8)
        out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    return out;
}

std::string traceIdBytes(std::uint64_t low = kTraceLow)
{
    return bigEndian(kTraceHigh, 8) + bigEndian(low, 8);
}

QByteArray bytesOf(const std::string& s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

std::string_view viewOf(const QByteArray& bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// A plain span of trace kTraceHigh/low with the given ids, lasting a millisecond.
void fillSpan(otlp::Span& span, std::uint64_t id, std::uint64_t parent = 0, const std::string& name = "op")
{
    span.set_trace_id(traceIdBytes());
    span.set_span_id(bigEndian(id, 8));
    if (parent)
        span.set_parent_span_id(bigEndian(parent, 8));
    span.set_name(name);
    span.set_start_time_unix_nano(kStart + id * 1000);
    span.set_end_time_unix_nano(kStart + id * 1000 + 1000000);
}

void setString(otlp::KeyValue& kv, const std::string& key, const std::string& value)
{
    kv.set_key(key);
    kv.mutable_value()->set_string_value(value);
}

// One ResourceSpans of service `service` holding spans [firstId, firstId + count), each a child of the first.
otlp::ResourceSpans resourceSpans(const std::string& service, std::uint64_t firstId, int count)
{
    otlp::ResourceSpans rs;
    setString(*rs.mutable_resource()->add_attributes(), "service.name", service);
    otlp::ScopeSpans& ss = *rs.add_scope_spans();
    ss.mutable_scope()->set_name("lib");
    for (int i = 0; i < count; ++i)
        fillSpan(*ss.add_spans(), firstId + static_cast<std::uint64_t>(i), i ? firstId : 0);
    return rs;
}

std::string tracesData(const std::string& service, std::uint64_t firstId, int count)
{
    otlp::TracesData data;
    *data.add_resource_spans() = resourceSpans(service, firstId, count);
    return data.SerializeAsString();
}

std::string framed(const std::string& message)
{
    return bigEndian(message.size(), 4) + message;
}

// Hand-written wire format, for input the generated classes refuse to write.
namespace wire {
std::string varint(std::uint64_t value)
{
    std::string out;
    for (; value >= 0x80; value >>= 7)
        out += static_cast<char>((value & 0x7f) | 0x80);
    out += static_cast<char>(value);
    return out;
}
std::string tag(std::uint32_t field, int type)
{
    return varint(std::uint64_t(field) << 3 | static_cast<std::uint64_t>(type));
}
std::string bytes(std::uint32_t field, const std::string& payload)
{
    return tag(field, 2) + varint(payload.size()) + payload;
}
std::string number(std::uint32_t field, std::uint64_t value)
{
    return tag(field, 0) + varint(value);
}
std::string fixed64(std::uint32_t field, std::uint64_t value)
{
    std::string le(8, '\0');
    for (int i = 0; i < 8; ++i, value >>= 8)
        le[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    return tag(field, 1) + le;
}
// A span with valid ids and times, before `extra` (its fields after those).
std::string span(std::uint64_t id, const std::string& extra = {})
{
    return bytes(1, traceIdBytes()) + bytes(2, bigEndian(id, 8)) + bytes(5, "op") + fixed64(7, kStart) +
           fixed64(8, kStart + 1000) + extra;
}
// TracesData { ResourceSpans { ScopeSpans { spans... } } }: each span payload is placed in order.
std::string tracesData(const std::vector<std::string>& spans)
{
    std::string scopeSpans;
    for (const std::string& s : spans)
        scopeSpans += bytes(2, s);
    return bytes(1, bytes(2, scopeSpans));
}
} // namespace wire

LoadResult loadProto(const std::string& bytes)
{
    return test::loadText(bytes, true);
}

// Runs the importer itself on bytes (with the padding the loader provides), whatever sniff would say.
ImportReport readDirectly(const std::string& bytes, DatasetBuilder& builder)
{
    std::string padded = bytes;
    padded.append(kInputPadding, '\0');
    ImportReport report;
    otlpProtoImporter().read(Input{padded.data(), bytes.size()}, builder, report);
    return report;
}

QString qstr(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString render(const Dataset& data, const Value& value);

QString renderAttributes(const Dataset& data, Range range, bool keyed = true)
{
    QStringList parts;
    for (std::uint32_t i = range.first; i < range.end(); ++i) {
        const Attribute& a = data.attributes[i];
        parts << (keyed ? qstr(data.str(a.key)) + QLatin1Char('=') : QString()) + render(data, a.value);
    }
    return parts.join(QStringLiteral(", "));
}

QString render(const Dataset& data, const Value& value)
{
    switch (value.type()) {
    case ValueType::Empty:
        return QStringLiteral("(empty)");
    case ValueType::String:
        return QLatin1Char('"') + qstr(data.str(value.stringId())) + QLatin1Char('"');
    case ValueType::Int:
        return QString::number(value.integer());
    case ValueType::Double:
        return QString::number(value.real());
    case ValueType::Bool:
        return value.boolean() ? QStringLiteral("true") : QStringLiteral("false");
    case ValueType::Bytes:
        return QStringLiteral("0x") + QString::fromLatin1(bytesOf(std::string(data.str(value.stringId()))).toHex());
    case ValueType::Array:
        return QLatin1Char('[') + renderAttributes(data, value.range(), false) + QLatin1Char(']');
    case ValueType::KeyValueList:
        return QLatin1Char('{') + renderAttributes(data, value.range()) + QLatin1Char('}');
    }
    return QStringLiteral("?");
}

// A span with every field set, child of span 1, in a resource and scope with attributes.
std::string everyField()
{
    otlp::TracesData data;
    otlp::ResourceSpans& rs = *data.add_resource_spans();
    setString(*rs.mutable_resource()->add_attributes(), "service.name", "checkout");
    setString(*rs.mutable_resource()->add_attributes(), "host.name", "node-7");
    otlp::ScopeSpans& ss = *rs.add_scope_spans();
    ss.mutable_scope()->set_name("io.opentelemetry.http");
    ss.mutable_scope()->set_version("1.2.0");
    setString(*ss.mutable_scope()->add_attributes(), "scope.kind", "auto");
    fillSpan(*ss.add_spans(), 1);

    otlp::Span& span = *ss.add_spans();
    fillSpan(span, 2, 1, "GET /cart");
    span.set_trace_state("vendor=1");
    span.set_flags(0x301);
    span.set_kind(otlp::Span_SpanKind_SPAN_KIND_CLIENT);
    span.set_end_time_unix_nano(kStart + 2500000);
    setString(*span.add_attributes(), "http.method", "GET");
    otlp::KeyValue& status = *span.add_attributes();
    status.set_key("http.status_code");
    status.mutable_value()->set_int_value(503);
    otlp::KeyValue& retried = *span.add_attributes();
    retried.set_key("retried");
    retried.mutable_value()->set_bool_value(true);
    otlp::KeyValue& ratio = *span.add_attributes();
    ratio.set_key("ratio");
    ratio.mutable_value()->set_double_value(0.25);
    otlp::KeyValue& raw = *span.add_attributes();
    raw.set_key("raw");
    raw.mutable_value()->set_bytes_value(std::string("\x01\xff", 2));
    span.set_dropped_attributes_count(3);

    otlp::Span_Event& event = *span.add_events();
    event.set_time_unix_nano(kStart + 2100000);
    event.set_name("exception");
    setString(*event.add_attributes(), "exception.type", "Timeout");

    otlp::Span_Link& link = *span.add_links();
    link.set_trace_id(traceIdBytes(0x42));
    link.set_span_id(bigEndian(0x99, 8));
    link.set_trace_state("other=2");
    link.set_flags(1);
    setString(*link.add_attributes(), "link.kind", "batch");

    span.mutable_status()->set_code(otlp::Status_StatusCode_STATUS_CODE_ERROR);
    span.mutable_status()->set_message("upstream timed out");
    return data.SerializeAsString();
}

// The field of a span as text, for the data-driven field test.
QString fieldOf(const Dataset& data, const Span& span, const QString& field)
{
    const Trace& trace = data.traces.front();
    if (field == QLatin1String("trace id"))
        return QString::fromStdString(toHex(trace.id));
    if (field == QLatin1String("span id"))
        return QString::fromStdString(toHex(span.id));
    if (field == QLatin1String("parent id"))
        return QString::fromStdString(toHex(span.parentId));
    if (field == QLatin1String("name"))
        return qstr(data.str(span.name));
    if (field == QLatin1String("kind"))
        return QString::fromLatin1(toString(span.kind));
    if (field == QLatin1String("start"))
        return QString::number(span.start - static_cast<TimeNs>(kStart));
    if (field == QLatin1String("duration"))
        return QString::number(span.duration());
    if (field == QLatin1String("trace state"))
        return qstr(data.str(span.traceState));
    if (field == QLatin1String("flags"))
        return QString::number(span.flags, 16);
    if (field == QLatin1String("status"))
        return QString::fromLatin1(toString(span.status)) + QStringLiteral(": ") + qstr(data.str(span.statusMessage));
    if (field == QLatin1String("attributes"))
        return renderAttributes(data, span.attributes);
    if (field == QLatin1String("events")) {
        QStringList events;
        for (std::uint32_t i = span.events.first; i < span.events.end(); ++i) {
            const Event& e = data.events[i];
            events << QString::number(e.time - static_cast<TimeNs>(kStart)) + QLatin1Char(' ') +
                          qstr(data.str(e.name)) + QStringLiteral(" (") + renderAttributes(data, e.attributes) +
                          QLatin1Char(')');
        }
        return events.join(QStringLiteral("; "));
    }
    if (field == QLatin1String("links")) {
        QStringList links;
        for (std::uint32_t i = span.links.first; i < span.links.end(); ++i) {
            const Link& l = data.links[i];
            links << QString::fromStdString(toHex(l.traceId) + "/" + toHex(l.spanId)) + QLatin1Char(' ') +
                         qstr(data.str(l.traceState)) + QStringLiteral(" (") + renderAttributes(data, l.attributes) +
                         QLatin1Char(')');
        }
        return links.join(QStringLiteral("; "));
    }
    const Resource& resource = data.resources[span.resource];
    if (field == QLatin1String("service"))
        return qstr(data.str(span.service));
    if (field == QLatin1String("host"))
        return qstr(data.str(resource.host));
    if (field == QLatin1String("resource attributes"))
        return renderAttributes(data, resource.attributes);
    const Scope& scope = data.scopes[span.scope];
    if (field == QLatin1String("scope"))
        return qstr(data.str(scope.name)) + QLatin1Char(' ') + qstr(data.str(scope.version)) + QStringLiteral(" (") +
               renderAttributes(data, scope.attributes) + QLatin1Char(')');
    if (field == QLatin1String("warnings")) {
        QStringList warnings;
        for (const SpanWarning& w : trace.spanWarnings)
            warnings << QString::fromStdString(w.text);
        return warnings.join(QStringLiteral("; "));
    }
    return QStringLiteral("unknown field ") + field;
}

void addUnknownFields(google::protobuf::Message& message)
{
    google::protobuf::UnknownFieldSet& unknown = *message.GetReflection()->MutableUnknownFields(&message);
    unknown.AddVarint(90, 12345678901ull);
    unknown.AddFixed32(91, 7);
    unknown.AddFixed64(92, 8);
    unknown.AddLengthDelimited(93, "\x0a\x02xx");
    unknown.AddVarint(536870911, 1); // the largest field number
}

// AnyValue with `levels` nested array values around an int.
std::string nestedArrays(int levels)
{
    std::string value = wire::number(3, 7);
    for (int i = 0; i < levels; ++i)
        value = wire::bytes(5, wire::bytes(1, value));
    return value;
}

std::string spanWithValue(const std::string& anyValue)
{
    return wire::span(1, wire::bytes(9, wire::bytes(1, "k") + wire::bytes(2, anyValue)));
}

} // namespace

class Test_otlp_proto : public QObject {
    Q_OBJECT
private slots:
    void sniff_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("claimed");
        const std::string data = tracesData("svc", 1, 3);
        QTest::newRow("TracesData") << bytesOf(data) << true;
        QTest::newRow("first 40 bytes of a TracesData") << bytesOf(data.substr(0, 40)) << true;
        QTest::newRow("length-prefixed") << bytesOf(framed(data) + framed(data)) << true;
        QTest::newRow("JSON object") << QByteArray(R"({"resourceSpans":[]})") << false;
        QTest::newRow("JSON after a newline") << QByteArray("\n{\n  \"resourceSpans\": []\n}\n") << false;
        QTest::newRow("JSON array") << QByteArray(R"([{"traceID":"ab"}])") << false;
        QTest::newRow("JSON lines") << QByteArray("{\"resourceSpans\":[]}\n{\"resourceSpans\":[]}\n") << false;
        QTest::newRow("plain text") << QByteArray("hello world\n") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("0x0a then a group tag") << QByteArray("\x0a\x05\x0b\x00\x00\x00\x00", 7) << false;
        QTest::newRow("gzip magic") << QByteArray("\x1f\x8b\x08\x00\x00\x00", 6) << false;
    }
    void sniff()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, claimed);
        QCOMPARE(otlpProtoImporter().sniff(viewOf(head)) > 0, claimed);
    }

    void fields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("trace_id") << "trace id"
                                  << "5759e988bd862e3fe1be46a994272793";
        QTest::newRow("span_id") << "span id"
                                 << "0000000000000002";
        QTest::newRow("parent_span_id") << "parent id"
                                        << "0000000000000001";
        QTest::newRow("name") << "name"
                              << "GET /cart";
        QTest::newRow("kind") << "kind" << QString::fromLatin1(toString(SpanKind::Client));
        QTest::newRow("start_time_unix_nano") << "start"
                                              << "2000";
        QTest::newRow("end_time_unix_nano") << "duration"
                                            << "2498000";
        QTest::newRow("trace_state") << "trace state"
                                     << "vendor=1";
        QTest::newRow("flags") << "flags"
                               << "301";
        QTest::newRow("status") << "status"
                                << QString::fromLatin1(toString(StatusCode::Error)) + u": upstream timed out"_s;
        QTest::newRow("attributes of every scalar type")
            << "attributes"
            << R"(http.method="GET", http.status_code=503, retried=true, ratio=0.25, raw=0x01ff)";
        QTest::newRow("events") << "events"
                                << R"(2100000 exception (exception.type="Timeout"))";
        QTest::newRow("links") << "links"
                               << R"(5759e988bd862e3f0000000000000042/0000000000000099 other=2 (link.kind="batch"))";
        QTest::newRow("resource service.name") << "service"
                                               << "checkout";
        QTest::newRow("resource host.name") << "host"
                                            << "node-7";
        QTest::newRow("resource attributes") << "resource attributes"
                                             << R"(service.name="checkout", host.name="node-7")";
        QTest::newRow("scope") << "scope"
                               << R"(io.opentelemetry.http 1.2.0 (scope.kind="auto"))";
        QTest::newRow("dropped counts warned") << "warnings"
                                               << "the SDK dropped 3 attributes of this span";
    }
    void fields()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        const LoadResult result = test::loadText(everyField(), false);
        QCOMPARE(result.format, std::string("otlp-proto"));
        const Span* span = findSpan(result.dataset, 2);
        QVERIFY(span);
        QCOMPARE(fieldOf(result.dataset, *span, field), expected);
    }

    void values_data()
    {
        QTest::addColumn<QByteArray>("anyValue");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const otlp::AnyValue& value, const QString& expected) {
            QTest::newRow(name) << bytesOf(value.SerializeAsString()) << expected;
        };
        otlp::AnyValue value;
        value.set_int_value(-42);
        row("negative int", value, u"-42"_s);
        value.set_int_value(std::numeric_limits<std::int64_t>::min());
        row("int64 minimum", value, QString::number(std::numeric_limits<std::int64_t>::min()));
        value.set_double_value(-1.5e300);
        row("double", value, u"-1.5e+300"_s);
        value.set_string_value("");
        row("empty string", value, uR"("")"_s);
        value.set_string_value("naïve ✓");
        row("UTF-8 string", value, uR"("naïve ✓")"_s);
        value.Clear();
        row("no value", value, u"(empty)"_s);

        otlp::AnyValue array;
        array.mutable_array_value()->add_values()->set_string_value("a");
        array.mutable_array_value()->add_values()->set_int_value(2);
        array.mutable_array_value()->add_values()->set_bool_value(false);
        row("array", array, uR"(["a", 2, false])"_s);
        otlp::AnyValue emptyArray;
        emptyArray.mutable_array_value();
        row("empty array", emptyArray, u"[]"_s);

        otlp::AnyValue list;
        otlp::KeyValue& inner = *list.mutable_kvlist_value()->add_values();
        inner.set_key("inner");
        *inner.mutable_value() = array;
        setString(*list.mutable_kvlist_value()->add_values(), "name", "x");
        row("kvlist holding an array", list, uR"({inner=["a", 2, false], name="x"})"_s);

        otlp::AnyValue deep;
        *deep.mutable_array_value()->add_values() = list;
        deep.mutable_array_value()->add_values()->set_double_value(0.5);
        row("array of kvlist of array", deep, uR"([{inner=["a", 2, false], name="x"}, 0.5])"_s);
        QTest::newRow("64 levels of arrays")
            << bytesOf(nestedArrays(64))
            << QString(64, QLatin1Char('[')) + QLatin1Char('7') + QString(64, QLatin1Char(']'));
    }
    void values()
    {
        QFETCH(QByteArray, anyValue);
        QFETCH(QString, expected);
        const std::string payload = spanWithValue(std::string(viewOf(anyValue)));
        const LoadResult result = test::loadText(wire::tracesData({payload}), false);
        const Span* span = findSpan(result.dataset, 1);
        QVERIFY(span);
        QCOMPARE(render(result.dataset, attribute(result.dataset, *span, "k")), expected);
    }

    void streams_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("spans");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("services");

        const std::string a = tracesData("alpha", 1, 3);
        const std::string b = tracesData("beta", 10, 2);
        QTest::newRow("TracesData") << bytesOf(a) << 3 << ""
                                    << "alpha";
        QTest::newRow("concatenated TracesData") << bytesOf(a + b + tracesData("gamma", 20, 1)) << 6 << ""
                                                 << "alpha beta gamma";
        QTest::newRow("length-prefixed") << bytesOf(framed(a) + framed(b)) << 5 << "length-prefixed"
                                         << "alpha beta";
        QTest::newRow("length-prefixed, one frame") << bytesOf(framed(a)) << 3 << "length-prefixed"
                                                    << "alpha";
        QTest::newRow("length-prefixed with an empty frame")
            << bytesOf(framed(a) + framed("") + framed(b)) << 5 << "length-prefixed"
            << "alpha beta";

        otlp::ExportTraceServiceRequest request;
        *request.add_resource_spans() = resourceSpans("request", 1, 4);
        *request.add_resource_spans() = resourceSpans("other", 30, 1);
        QTest::newRow("ExportTraceServiceRequest") << bytesOf(request.SerializeAsString()) << 5 << ""
                                                   << "other request";

        otlp::TracesData legacy;
        otlp::ResourceSpans& rs = *legacy.add_resource_spans();
        setString(*rs.mutable_resource()->add_attributes(), "service.name", "old-sdk");
        fillSpan(*rs.add_instrumentation_library_spans()->add_spans(), 1);
        fillSpan(*rs.add_instrumentation_library_spans()->add_spans(), 2, 1);
        QTest::newRow("legacy instrumentation_library_spans (1000)") << bytesOf(legacy.SerializeAsString()) << 2 << ""
                                                                     << "old-sdk";

        otlp::TracesData unknown;
        *unknown.add_resource_spans() = resourceSpans("svc", 1, 2);
        addUnknownFields(unknown);
        otlp::ResourceSpans& urs = *unknown.mutable_resource_spans(0);
        addUnknownFields(urs);
        addUnknownFields(*urs.mutable_resource());
        addUnknownFields(*urs.mutable_scope_spans(0));
        addUnknownFields(*urs.mutable_scope_spans(0)->mutable_scope());
        otlp::Span& span = *urs.mutable_scope_spans(0)->mutable_spans(1);
        addUnknownFields(span);
        otlp::KeyValue& kv = *span.add_attributes();
        setString(kv, "k", "v");
        addUnknownFields(kv);
        addUnknownFields(*kv.mutable_value());
        addUnknownFields(*span.add_events());
        addUnknownFields(*span.mutable_status());
        QTest::newRow("unknown fields at every level") << bytesOf(unknown.SerializeAsString()) << 2 << ""
                                                       << "svc";

        // Fields in any order: the resource after the scope spans, the scope after its spans.
        const std::string resource = wire::bytes(
            1, wire::bytes(1, wire::bytes(1, "service.name") + wire::bytes(2, wire::bytes(1, "late"))));
        const std::string scopeSpans = wire::bytes(2, wire::span(1)) + wire::bytes(1, wire::bytes(1, "lib"));
        QTest::newRow("resource after scope_spans")
            << bytesOf(wire::bytes(1, wire::bytes(2, scopeSpans) + resource)) << 1 << ""
            << "late";

        otlp::TracesData noResource;
        fillSpan(*noResource.add_resource_spans()->add_scope_spans()->add_spans(), 1);
        QTest::newRow("no resource") << bytesOf(noResource.SerializeAsString()) << 1 << ""
                                     << "unknown_service";
    }
    void streams()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, spans);
        QFETCH(QString, variant);
        QFETCH(QString, services);
        const LoadResult result = test::loadText(viewOf(bytes), false);
        QCOMPARE(result.format, std::string("otlp-proto"));
        QCOMPARE(QString::fromStdString(result.report.variant), variant);
        QCOMPARE(result.dataset.spans.size(), std::size_t(spans));
        QStringList names;
        for (const Trace& trace : result.dataset.traces) {
            for (std::string_view s : result.dataset.services(trace))
                names << qstr(s);
        }
        names.removeDuplicates();
        names.sort();
        QCOMPARE(names.join(QLatin1Char(' ')), services);
        for (const Span& span : result.dataset.spans) {
            QVERIFY(!span.has(MarkOrphan));
            QVERIFY(span.resource != kNoIndex);
        }
    }

    void generatedFile()
    {
        const QString path = test::generatedTrace(QStringLiteral("otlp-proto"), 2000,
                                                  {QStringLiteral("--traces"), QStringLiteral("3")});
        QVERIFY(!path.isEmpty());
        const LoadResult result = test::load(path);
        QCOMPARE(result.format, std::string("otlp-proto"));
        const Dataset& data = result.dataset;
        QCOMPARE(data.spans.size(), std::size_t(2000));
        QCOMPARE(data.traces.size(), std::size_t(3));
        std::size_t withEvents = 0, errors = 0, withLinks = 0;
        for (const Trace& trace : data.traces) {
            QCOMPARE(trace.rootCount, 1u);
            QCOMPARE(trace.orphanCount, 0u);
            QCOMPARE(trace.duplicateCount, 0u);
            QVERIFY(data.services(trace).size() > 1);
            errors += trace.errorCount;
        }
        for (const Span& span : data.spans) {
            QVERIFY(span.name != 0);
            QVERIFY(span.kind != SpanKind::Unspecified);
            QVERIFY(span.end >= span.start);
            QVERIFY(span.start >= static_cast<TimeNs>(kStart));
            QCOMPARE(data.str(data.resources[span.resource].service), data.str(span.service));
            QCOMPARE(data.str(data.scopes[span.scope].name), std::string_view("gen_trace"));
            withEvents += !span.events.empty();
            withLinks += !span.links.empty();
        }
        QVERIFY(withEvents > 0);
        QVERIFY(withLinks > 0);
        QVERIFY(errors > 0);
        const Resource& resource = data.resources.front();
        QCOMPARE(data.str(resource.host), std::string(data.str(resource.service)) + "-7f9c");
    }

    // A file cut at every byte: no crash, an error at or before the cut, every span that was complete kept.
    void truncated_data()
    {
        QTest::addColumn<bool>("lengthPrefixed");
        QTest::newRow("TracesData") << false;
        QTest::newRow("length-prefixed") << true;
    }
    void truncated()
    {
        QFETCH(bool, lengthPrefixed);
        const std::string parts[] = {tracesData("alpha", 1, 4), tracesData("beta", 10, 3)};
        std::string file;
        std::vector<std::size_t> spanEnds;
        for (const std::string& part : parts) {
            const std::size_t base = file.size() + (lengthPrefixed ? 4 : 0);
            file += lengthPrefixed ? framed(part) : part;
            otlp::TracesData parsed;
            QVERIFY(parsed.ParseFromString(part));
            for (const otlp::Span& span : parsed.resource_spans(0).scope_spans(0).spans()) {
                const std::size_t at = part.find(span.SerializeAsString());
                QVERIFY(at != std::string::npos);
                spanEnds.push_back(base + at + span.ByteSizeLong());
            }
        }
        for (std::size_t cut = 1; cut < file.size(); ++cut) {
            DatasetBuilder builder;
            const ImportReport report = readDirectly(file.substr(0, cut), builder);
            const auto complete = static_cast<std::size_t>(
                std::count_if(spanEnds.begin(), spanEnds.end(), [cut](std::size_t end) { return end <= cut; }));
            const bool atMessageEnd = cut == file.size() - parts[1].size() - (lengthPrefixed ? 4 : 0);
            QVERIFY2(report.hasErrors() != atMessageEnd, qPrintable(QStringLiteral("cut at %1").arg(cut)));
            for (const Diagnostic& d : report.diagnostics)
                QVERIFY(d.offset <= cut);
            QCOMPARE(builder.spanCount(), complete);
            QVERIFY(report.skippedSpans <= 1);
        }
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("spans");   // read
        QTest::addColumn<int>("skipped"); // report.skippedSpans
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QString>("message");

        // A good span, then a bad one as the last thing in the file: the bad span's payload is its tail.
        // badFieldAt: where the problem is, from the start of the payload (-2: the span's own tag).
        const auto badSpan = [](const char* name, const std::string& payload, qint64 badFieldAt, const char* message) {
            const std::string file = wire::tracesData({wire::span(1), payload});
            QTest::newRow(name) << bytesOf(file) << 1 << 1 << qint64(file.size() - payload.size()) + badFieldAt
                                << QString::fromLatin1(message);
        };
        const std::string good = wire::span(2);
        const auto withField = [&](const std::string& field) { return good + field; };
        badSpan("trace_id of 15 bytes", wire::bytes(1, std::string(15, 'x')) + good, 0, "Span.trace_id has 15 bytes");
        badSpan("span_id of 9 bytes", withField(wire::bytes(2, std::string(9, 'x'))), good.size(),
                "Span.span_id has 9 bytes");
        badSpan("parent_span_id of 4 bytes", withField(wire::bytes(4, "abcd")), good.size(),
                "Span.parent_span_id has 4 bytes");
        const std::string shortLinkSpanId = wire::bytes(1, traceIdBytes()) + wire::bytes(2, "abc");
        badSpan("link span_id of 3 bytes", withField(wire::bytes(13, shortLinkSpanId)), good.size() + 2 + 18,
                "Link.span_id has 3 bytes");
        badSpan("link without trace_id", withField(wire::bytes(13, wire::bytes(2, bigEndian(5, 8)))), good.size(),
                "a link without trace_id");
        badSpan("no trace_id", good.substr(18), -2, "no trace_id");
        badSpan("all-zero span_id", wire::bytes(1, traceIdBytes()) + wire::bytes(2, std::string(8, '\0')), 18,
                "span_id is all zeros");
        badSpan("start beyond int64", withField(wire::fixed64(7, 1ull << 63)), good.size(), "beyond the year 2262");
        badSpan("event time beyond int64", withField(wire::bytes(11, wire::fixed64(1, ~0ull))), good.size() + 2,
                "Event.time_unix_nano 18446744073709551615 is beyond the year 2262");
        badSpan("trace_id as varint", withField(wire::number(1, 5)), good.size(), "Span.trace_id has wire type varint");
        badSpan("start as varint", withField(wire::number(7, 5)), good.size(),
                "Span.start_time_unix_nano has wire type varint, expected fixed64");
        badSpan("kind as fixed64", withField(wire::fixed64(6, 2)), good.size(), "Span.kind has wire type fixed64");
        badSpan("flags as varint", withField(wire::number(16, 1)), good.size(), "Span.flags has wire type varint");
        badSpan("int_value as bytes", withField(wire::bytes(9, wire::bytes(2, wire::bytes(3, "x")))), good.size() + 4,
                "AnyValue.int_value has wire type length-delimited");
        badSpan("KeyValue.value as varint", withField(wire::bytes(9, wire::number(2, 1))), good.size() + 2,
                "KeyValue.value has wire type varint");
        badSpan("group wire type", withField(wire::tag(40, 3)), good.size(), "group");
        badSpan("wire type 7", withField(wire::tag(40, 7)), good.size(), "invalid field tag");
        badSpan("field number 0", withField(wire::number(0, 1)), good.size(), "invalid field tag");
        badSpan("varint of 11 bytes", withField(wire::tag(6, 0) + std::string(10, '\xff') + '\x01'), good.size() + 1,
                "varint longer than 10 bytes");
        badSpan("attribute length of 4 GiB", withField(wire::tag(9, 2) + wire::varint(1ull << 32)), good.size() + 1,
                "a length of 4294967296 bytes, but only 0 are left");
        const std::string deepSpan = spanWithValue(nestedArrays(65));
        badSpan("65 levels of nested arrays", deepSpan, qint64(deepSpan.size() - nestedArrays(1).size()),
                "nested more than 64 levels");

        // The ResourceSpans claims 4 GiB: reported at its length, and what is there is read.
        const std::string rsContent = wire::bytes(2, wire::bytes(2, wire::span(1)));
        const std::string huge = "\x0a" + wire::varint(4ull << 30) + rsContent;
        QTest::newRow("ResourceSpans claiming 4 GiB")
            << bytesOf(huge) << 1 << 0 << qint64(1) << "a length of 4294967296 bytes";
        const std::string frame = framed(tracesData("a", 1, 2));
        std::string bigFrame = frame;
        bigFrame[0] = '\x7f';
        const std::size_t claimed = 0x7f000000 | (frame.size() - 4);
        QTest::newRow("frame claiming 2 GiB") << bytesOf(frame + bigFrame) << 4 << 0 << qint64(frame.size())
                                              << QStringLiteral("frame length of %1 bytes").arg(claimed);
        const std::string scopeSpansAsVarint = wire::bytes(1, wire::number(2, 1) +
                                                                  wire::bytes(2, wire::bytes(2, wire::span(1))));
        QTest::newRow("scope_spans as varint")
            << bytesOf(scopeSpansAsVarint) << 1 << 0 << qint64(2) << "ResourceSpans.scope_spans has wire type varint";
        const std::string deepResource = wire::bytes(
            1, wire::bytes(1, wire::bytes(1, wire::bytes(1, "k") + wire::bytes(2, nestedArrays(2000)))) +
                   wire::bytes(2, wire::bytes(2, wire::span(1))));
        QTest::newRow("resource with 2000 levels of nesting")
            << bytesOf(deepResource) << 1 << 0 << qint64(deepResource.find(nestedArrays(1936)))
            << "resource attributes left out, its spans are shown under unknown_service";
    }
    void hostile()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, spans);
        QFETCH(int, skipped);
        QFETCH(qint64, offset);
        QFETCH(QString, message);
        const LoadResult result = loadProto(std::string(viewOf(bytes)));
        QCOMPARE(result.format, std::string("otlp-proto"));
        QCOMPARE(result.dataset.spans.size(), std::size_t(spans));
        QCOMPARE(result.report.skippedSpans, std::uint64_t(skipped));
        QVERIFY(result.report.hasErrors());
        const Diagnostic& first = result.report.diagnostics.front();
        QVERIFY2(QString::fromStdString(first.message).contains(message), first.message.c_str());
        QCOMPARE(qint64(first.offset), offset);
    }

    void keptWithWarning_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("warning");
        QTest::addColumn<int>("marks");
        QTest::newRow("unknown kind") << bytesOf(wire::tracesData({wire::span(1, wire::number(6, 9))}))
                                      << "kind 9 is not defined by OTLP: left unset" << 0;
        QTest::newRow("negative kind") << bytesOf(wire::tracesData({wire::span(1, wire::number(6, ~0ull))}))
                                       << "kind -1 is not defined by OTLP: left unset" << 0;
        QTest::newRow("unknown status code")
            << bytesOf(wire::tracesData({wire::span(1, wire::bytes(15, wire::number(3, 7)))}))
            << "status.code 7 is not defined by OTLP: left unset" << 0;
        QTest::newRow("no end time") << bytesOf(wire::tracesData({wire::span(1, wire::fixed64(8, 0))})) << ""
                                     << int(MarkInProgress);
        QTest::newRow("no start time") << bytesOf(wire::tracesData({wire::span(1, wire::fixed64(7, 0))}))
                                       << "no start time (startTimeUnixNano missing or 0): drawn with zero length"
                                       << int(MarkInvalidTime);
        QTest::newRow("end before start") << bytesOf(wire::tracesData({wire::span(1, wire::fixed64(8, kStart - 5))}))
                                          << "ends before it starts: drawn with zero length" << int(MarkInvalidTime);
    }
    void keptWithWarning()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, warning);
        QFETCH(int, marks);
        const LoadResult result = test::loadText(viewOf(bytes), false);
        QCOMPARE(result.dataset.spans.size(), std::size_t(1));
        const Trace& trace = result.dataset.traces.front();
        const QString firstWarning = trace.spanWarnings.empty()
                                         ? QString()
                                         : QString::fromStdString(trace.spanWarnings.front().text);
        QCOMPARE(firstWarning, warning);
        QCOMPARE(result.dataset.spans.front().marks & marks, marks);
    }

    // Random bytes and random damage to a valid file: never a crash, offsets always inside the data.
    void randomInput_data()
    {
        QTest::addColumn<bool>("damageValidFile");
        QTest::newRow("random bytes") << false;
        QTest::newRow("valid file with random bytes changed") << true;
    }
    void randomInput()
    {
        QFETCH(bool, damageValidFile);
        const std::string valid = everyField() + tracesData("beta", 10, 5);
        constexpr std::size_t kValidSpans = 7;
        QRandomGenerator random(damageValidFile ? 7 : 11);
        for (int round = 0; round < 3000; ++round) {
            std::string bytes = valid;
            if (damageValidFile) {
                for (int i = random.bounded(1, 4); i > 0; --i)
                    bytes[random.bounded(quint32(bytes.size()))] = static_cast<char>(random.bounded(256));
            } else {
                bytes.resize(random.bounded(1, 300));
                for (char& c : bytes)
                    c = static_cast<char>(random.bounded(256));
                if (round % 2)
                    bytes[0] = '\x0a';
            }
            DatasetBuilder builder;
            const ImportReport report = readDirectly(bytes, builder);
            for (const Diagnostic& d : report.diagnostics)
                QVERIFY(d.offset <= bytes.size());
            QVERIFY(builder.spanCount() <= kValidSpans);
            builder.finish();
        }
    }
};

QTEST_GUILESS_MAIN(Test_otlp_proto)
#include "tst_otlp_proto.moc"
