// The Jaeger JSON importer: query API, bare trace object and array shapes, every span field,
// the real jaeger-ui sample, a generated file, and bad or truncated input.
#include <test_support.h>

#include <ids.h>
#include <importer.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

SpanId spanId(const QString& hex)
{
    return parseHexSpanId(hex.toStdString()).value_or(0);
}

QString hexOf(SpanId id)
{
    return id == 0 ? QString() : QString::fromStdString(toHex(id));
}

// The span with this id and name (ids repeat in some files), or nullptr.
const Span* findNamedSpan(const Dataset& data, SpanId id, const QString& name)
{
    const auto found = std::find_if(data.spans.begin(), data.spans.end(), [&](const Span& s) {
        return s.id == id && (name.isEmpty() || data.str(s.name) == name.toStdString());
    });
    return found == data.spans.end() ? nullptr : &*found;
}

QString describe(const Dataset& data, const Value& value)
{
    switch (value.type()) {
    case ValueType::String:
        return u"string:"_s + QString::fromStdString(std::string(data.str(value.stringId())));
    case ValueType::Bytes:
        return u"bytes:"_s +
               QString::fromLatin1(QByteArray::fromStdString(std::string(data.str(value.stringId()))).toHex());
    case ValueType::Int:
        return u"int:"_s + QString::number(value.integer());
    case ValueType::Double:
        return u"double:"_s + QString::number(value.real());
    case ValueType::Bool:
        return value.boolean() ? u"bool:true"_s : u"bool:false"_s;
    case ValueType::Empty:
        return u"empty"_s;
    case ValueType::Array:
    case ValueType::KeyValueList:
        break;
    }
    return u"nested"_s;
}

QString linkTypeName(LinkType type)
{
    return type == LinkType::ChildOf ? u"CHILD_OF"_s : type == LinkType::FollowsFrom ? u"FOLLOWS_FROM"_s : u"LINK"_s;
}

// "CHILD_OF <trace>/<span>" per link of the span.
QStringList linksOf(const Dataset& data, const Span& span)
{
    QStringList links;
    for (std::uint32_t i = span.links.first; i < span.links.end(); ++i) {
        const Link& link = data.links[i];
        links << linkTypeName(link.type) + u' ' + QString::fromStdString(toHex(link.traceId)) + u'/' +
                     hexOf(link.spanId);
    }
    return links;
}

QStringList spanWarningsOf(const Dataset& data, const Span& span)
{
    const auto index = static_cast<std::uint32_t>(&span - data.spans.data());
    QStringList warnings;
    for (const Trace& trace : data.traces) {
        for (const SpanWarning& w : trace.spanWarnings) {
            if (w.span == index)
                warnings << QString::fromStdString(w.text);
        }
    }
    return warnings;
}

QStringList allServices(const Dataset& data)
{
    QStringList services;
    for (const Trace& trace : data.traces) {
        for (std::string_view s : data.services(trace))
            services << QString::fromStdString(std::string(s));
    }
    services.removeDuplicates();
    services.sort();
    return services;
}

LoadResult loadFixture(const QString& name)
{
    return load(dataPath(u"jaeger/"_s + name));
}

} // namespace

class TestJaeger : public QObject {
    Q_OBJECT
private slots:
    void shapes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("traces");
        QTest::addColumn<int>("spans");
        QTest::addColumn<int>("resources");
        QTest::addColumn<QStringList>("services");
        QTest::newRow("query API, processes before and after spans")
            << "query-api.json"
            << "query-api" << 2 << 3 << 3 << QStringList{u"backend"_s, u"frontend"_s, u"worker"_s};
        QTest::newRow("bare object, keys in any order")
            << "bare-object.json"
            << "trace-object" << 1 << 2 << 2 << QStringList{u"api"_s, u"db"_s};
        QTest::newRow("bare array") << "bare-array.json"
                                    << "trace-array" << 2 << 3 << 2 << QStringList{u"alpha"_s, u"beta"_s};
        QTest::newRow("inline process, one resource per service")
            << "inline-process.json"
            << "trace-object" << 1 << 3 << 2 << QStringList{u"cart"_s, u"pricing"_s};
        QTest::newRow("real: Jaeger v2 query response with nulls")
            << "jaeger-query-otlp2jaeger-out.json"
            << "query-api" << 1 << 2 << 1 << QStringList{u"telemetrygen"_s};
        QTest::newRow("real: anonymizer's bare array of spans")
            << "jaeger-anonymizer-span-array.json"
            << "span-array" << 1 << 2 << 2 << QStringList{u"16af988c443cff37"_s, u"3c220036602f839e"_s};
    }

    // One span of each real file (see tests/data/jaeger/README.md), as written.
    void realFileSpans_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("parent");
        QTest::addColumn<QString>("service");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<SpanKind>("kind");
        QTest::addColumn<StatusCode>("status");
        QTest::addColumn<int>("duplicates");
        QTest::newRow("query response: span written twice, parent not exported")
            << "jaeger-query-otlp2jaeger-out.json"
            << "e127af99e3b3e074"
            << "909541b92cf05311"
            << "telemetrygen" << qint64(1706678909209712000) << qint64(123000) << SpanKind::Server << StatusCode::Unset
            << 1;
        QTest::newRow("span array: child with error tag \"true\"")
            << "jaeger-anonymizer-span-array.json"
            << "7bd66f09ba90ea3d"
            << "7606ddfe69932d34"
            << "3c220036602f839e" << qint64(1605223981965074000) << qint64(32782000) << SpanKind::Client
            << StatusCode::Error << 0;
    }
    void realFileSpans()
    {
        QFETCH(QString, file);
        QFETCH(QString, span);
        QFETCH(QString, parent);
        QFETCH(QString, service);
        QFETCH(qint64, start);
        QFETCH(qint64, duration);
        QFETCH(SpanKind, kind);
        QFETCH(StatusCode, status);
        QFETCH(int, duplicates);
        LoadOptions options;
        options.build.adjustClockSkew = false;
        const LoadResult result = load(dataPath(u"jaeger/"_s + file), false, options);
        const Dataset& data = result.dataset;
        QVERIFY(result.report.diagnostics.empty());
        QCOMPARE(int(data.traces.at(0).duplicateCount), duplicates);
        const Span* s = findSpan(data, spanId(span));
        QVERIFY(s);
        QCOMPARE(hexOf(s->parentId), parent);
        QCOMPARE(QString::fromStdString(std::string(data.str(s->service))), service);
        QCOMPARE(qint64(s->start), start);
        QCOMPARE(qint64(s->duration()), duration);
        QCOMPARE(s->kind, kind);
        QCOMPARE(s->status, status);
    }
    void shapes()
    {
        QFETCH(QString, file);
        QFETCH(QString, variant);
        QFETCH(int, traces);
        QFETCH(int, spans);
        QFETCH(int, resources);
        QFETCH(QStringList, services);
        const LoadResult result = loadFixture(file);
        QCOMPARE(result.format, std::string("jaeger"));
        QCOMPARE(QString::fromStdString(result.report.variant), variant);
        QVERIFY(result.complete());
        QCOMPARE(int(result.dataset.traces.size()), traces);
        QCOMPARE(int(result.dataset.spans.size()), spans);
        QCOMPARE(int(result.dataset.resources.size()), resources);
        QCOMPARE(allServices(result.dataset), services);
    }

    void spanFields_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("parent");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<uint>("flags");
        QTest::newRow("processes before spans") << "query-api.json"
                                                << "00f067aa0ba902b7"
                                                << "4bf92f3577b34da6a3ce929d0e0e4736"
                                                << "GET /"
                                                << "frontend"
                                                << "" << qint64(1700000000000000000) << qint64(1500000) << 1u;
        QTest::newRow("CHILD_OF parent, debug flag")
            << "query-api.json"
            << "00f067aa0ba902b8"
            << "4bf92f3577b34da6a3ce929d0e0e4736"
            << "query"
            << "backend"
            << "00f067aa0ba902b7" << qint64(1700000000000100000) << qint64(700000) << 3u;
        QTest::newRow("processes after spans, times as strings")
            << "query-api.json"
            << "b7ad6b7169203331"
            << "0af7651916cd43dd8448eb211c80319c"
            << "consume"
            << "worker"
            << "" << qint64(1700000001000000000) << qint64(250000) << 0u;
        QTest::newRow("trace's traceID after its spans, short ids padded")
            << "bare-object.json"
            << "1"
            << "0000000000000000000000000000007b"
            << "root"
            << "api"
            << "" << qint64(1700000000000000000) << qint64(100000) << 0u;
        QTest::newRow("legacy parentSpanID")
            << "bare-object.json"
            << "abc"
            << "0000000000000000000000000000007b"
            << "legacy child"
            << "db"
            << "0000000000000001" << qint64(1700000000000010000) << qint64(40000) << 0u;
        QTest::newRow("short traceID in a span") << "bare-array.json"
                                                 << "a1"
                                                 << "00000000000000000000000000000a01"
                                                 << "first"
                                                 << "alpha"
                                                 << "" << qint64(1700000000000000000) << qint64(10000) << 0u;
        QTest::newRow("inline process") << "inline-process.json"
                                        << "3"
                                        << "00000000000000000000000000c0ffee"
                                        << "c"
                                        << "pricing"
                                        << "0000000000000001" << qint64(1700000000000002000) << qint64(10000) << 0u;
    }
    void spanFields()
    {
        QFETCH(QString, file);
        QFETCH(QString, span);
        QFETCH(QString, trace);
        QFETCH(QString, name);
        QFETCH(QString, service);
        QFETCH(QString, parent);
        QFETCH(qint64, start);
        QFETCH(qint64, duration);
        QFETCH(uint, flags);
        const LoadResult result = loadFixture(file);
        const Dataset& data = result.dataset;
        const Span* s = findSpan(data, spanId(span));
        QVERIFY(s);
        const auto index = std::uint32_t(s - data.spans.data());
        const auto traceOf = std::find_if(data.traces.begin(), data.traces.end(),
                                          [&](const Trace& t) { return index >= t.first && index < t.end_index(); });
        QCOMPARE(QString::fromStdString(toHex(traceOf->id)), trace);
        QCOMPARE(QString::fromStdString(std::string(data.str(s->name))), name);
        QCOMPARE(QString::fromStdString(std::string(data.str(s->service))), service);
        QCOMPARE(hexOf(s->parentId), parent);
        QCOMPARE(qint64(s->start), start);
        QCOMPARE(qint64(s->duration()), duration);
        QCOMPARE(uint(s->flags), flags);
        QVERIFY(spanWarningsOf(data, *s).isEmpty());
    }

    void processResources_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("otherSpan");
        QTest::addColumn<bool>("sameResource");
        QTest::addColumn<QString>("host");
        QTest::newRow("process map, same process") << "tags.json"
                                                   << "1"
                                                   << "1" << true << "box";
        QTest::newRow("same processID, different traces") << "query-api.json"
                                                          << "00f067aa0ba902b7"
                                                          << "b7ad6b7169203331" << false << "web-1";
        QTest::newRow("ip as host") << "query-api.json"
                                    << "b7ad6b7169203331"
                                    << "00f067aa0ba902b7" << false << "10.0.0.7";
        QTest::newRow("equal inline processes shared") << "inline-process.json"
                                                       << "1"
                                                       << "2" << true << "cart-1";
        QTest::newRow("inline processes of other services") << "inline-process.json"
                                                            << "1"
                                                            << "3" << false << "cart-1";
    }
    void processResources()
    {
        QFETCH(QString, file);
        QFETCH(QString, span);
        QFETCH(QString, otherSpan);
        QFETCH(bool, sameResource);
        QFETCH(QString, host);
        const LoadResult result = loadFixture(file);
        const Dataset& data = result.dataset;
        const Span* a = findSpan(data, spanId(span));
        const Span* b = findSpan(data, spanId(otherSpan));
        QVERIFY(a && b);
        QVERIFY(a->resource != kNoIndex);
        QCOMPARE(a->resource == b->resource, sameResource);
        QCOMPARE(QString::fromStdString(std::string(data.str(data.resources[a->resource].host))), host);
    }

    void tagValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("string") << "text"
                                << "string:hello";
        QTest::newRow("bool") << "flag"
                              << "bool:true";
        QTest::newRow("int64") << "count"
                               << "int:42";
        QTest::newRow("int64 as a string, beyond 2^53") << "big"
                                                        << "int:9223372036854775222";
        QTest::newRow("float64") << "ratio"
                                 << "double:72.5";
        QTest::newRow("binary from base64") << "blob"
                                            << "bytes:00003039";
        QTest::newRow("upper-case type") << "upper"
                                         << "int:7";
        QTest::newRow("no type, integer") << "untyped-int"
                                          << "int:12";
        QTest::newRow("no type, double") << "untyped-double"
                                         << "double:0.25";
        QTest::newRow("no type, string") << "untyped-string"
                                         << "string:x";
        QTest::newRow("no type, bool") << "untyped-bool"
                                       << "bool:false";
        QTest::newRow("value before type and key") << "value-first"
                                                   << "string:late";
        QTest::newRow("bool as a string") << "bool-as-string"
                                          << "bool:true";
        QTest::newRow("float64 as a string") << "float-as-string"
                                             << "double:1.5";
        QTest::newRow("null value") << "empty"
                                    << "empty";
    }
    void tagValues()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const LoadResult result = loadFixture(u"tags.json"_s);
        const Span* s = findSpan(result.dataset, 1);
        QVERIFY(s);
        QCOMPARE(s->attributes.count, 15u);
        QCOMPARE(describe(result.dataset, attribute(result.dataset, *s, key.toStdString())), expected);
    }

    void processTags_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("int64 as a string") << "pid"
                                           << "int:4711";
        QTest::newRow("string") << "hostname"
                                << "string:box";
    }
    void processTags()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const LoadResult result = loadFixture(u"tags.json"_s);
        const Dataset& data = result.dataset;
        QCOMPARE(int(data.resources.size()), 1);
        const Range tags = data.resources[0].attributes;
        QCOMPARE(tags.count, 2u);
        const auto found = std::find_if(data.attributes.begin() + tags.first, data.attributes.begin() + tags.end(),
                                        [&](const Attribute& a) { return data.str(a.key) == key.toStdString(); });
        QVERIFY(found != data.attributes.begin() + tags.end());
        QCOMPARE(describe(data, found->value), expected);
    }

    void logs_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("named by event") << 0 << qint64(1700000000000100000) << "cache miss"
                                        << QStringList{u"event=string:cache miss"_s, u"attempt=int:2"_s};
        QTest::newRow("named by message, timestamp as a string, fields first")
            << 1 << qint64(1700000000000200000) << "retrying" << QStringList{u"message=string:retrying"_s};
        QTest::newRow("unnamed") << 2 << qint64(1700000000000300000) << "log" << QStringList{u"x=string:y"_s};
        QTest::newRow("event wins over message") << 3 << qint64(1700000000000400000) << "error"
                                                 << QStringList{u"message=string:second"_s, u"event=string:error"_s};
        QTest::newRow("no fields") << 4 << qint64(1700000000000500000) << "log" << QStringList{};
    }
    void logs()
    {
        QFETCH(int, index);
        QFETCH(qint64, time);
        QFETCH(QString, name);
        QFETCH(QStringList, fields);
        const LoadResult result = loadFixture(u"logs.json"_s);
        const Dataset& data = result.dataset;
        const Span* s = findSpan(data, 1);
        QVERIFY(s);
        QCOMPARE(s->events.count, 5u);
        const Event& event = data.events[s->events.first + index];
        QCOMPARE(qint64(event.time), time);
        QCOMPARE(QString::fromStdString(std::string(data.str(event.name))), name);
        QStringList actual;
        for (std::uint32_t i = event.attributes.first; i < event.attributes.end(); ++i) {
            const Attribute& a = data.attributes[i];
            actual << QString::fromStdString(std::string(data.str(a.key))) + u'=' + describe(data, a.value);
        }
        QCOMPARE(actual, fields);
    }

    void references_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("parent");
        QTest::addColumn<bool>("followsFrom");
        QTest::addColumn<QStringList>("links");
        const QString trace = u"000000000000000000000000000000ab/"_s;
        QTest::newRow("root") << "a"
                              << "" << false << QStringList{};
        QTest::newRow("CHILD_OF") << "b"
                                  << "000000000000000a" << false << QStringList{};
        QTest::newRow("FOLLOWS_FROM parent flagged") << "c"
                                                     << "000000000000000a" << true << QStringList{};
        QTest::newRow("first CHILD_OF within the trace wins, others kept as links")
            << "d"
            << "000000000000000b" << false
            << QStringList{u"CHILD_OF 000000000000000000000000000000ff/00000000000000ff"_s,
                           u"FOLLOWS_FROM "_s + trace + u"000000000000000a"_s};
        QTest::newRow("legacy parentSpanID") << "e"
                                             << "000000000000000b" << false << QStringList{};
        QTest::newRow("reference to another trace only")
            << "f"
            << "" << false << QStringList{u"CHILD_OF 000000000000000000000000000000ee/00000000000000e1"_s};
        QTest::newRow("reference without traceID or refType") << "10"
                                                              << "000000000000000a" << false << QStringList{};
        QTest::newRow("reference wins over parentSpanID, which is kept")
            << "11"
            << "000000000000000b" << false << QStringList{u"CHILD_OF "_s + trace + u"000000000000000a"_s};
    }
    void references()
    {
        QFETCH(QString, span);
        QFETCH(QString, parent);
        QFETCH(bool, followsFrom);
        QFETCH(QStringList, links);
        const LoadResult result = loadFixture(u"references.json"_s);
        const Dataset& data = result.dataset;
        const Span* s = findSpan(data, spanId(span));
        QVERIFY(s);
        QCOMPARE(hexOf(s->parentId), parent);
        QCOMPARE(s->has(MarkFollowsFrom), followsFrom);
        QCOMPARE(linksOf(data, *s), links);
        if (!parent.isEmpty())
            QCOMPARE(data.spans[s->parent].id, spanId(parent));
    }

    void kindAndStatus_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<SpanKind>("kind");
        QTest::addColumn<StatusCode>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("server, error tag with error.message")
            << "1" << SpanKind::Server << StatusCode::Error << "db down";
        QTest::newRow("client, error tag as a string") << "2" << SpanKind::Client << StatusCode::Error << "";
        QTest::newRow("producer, otel.status_code OK") << "3" << SpanKind::Producer << StatusCode::Ok << "";
        QTest::newRow("consumer, otel.status_code ERROR with description")
            << "4" << SpanKind::Consumer << StatusCode::Error << "boom";
        QTest::newRow("internal, error false") << "5" << SpanKind::Internal << StatusCode::Unset << "";
        QTest::newRow("no span.kind") << "6" << SpanKind::Unspecified << StatusCode::Unset << "";
    }
    void kindAndStatus()
    {
        QFETCH(QString, span);
        QFETCH(SpanKind, kind);
        QFETCH(StatusCode, status);
        QFETCH(QString, message);
        const LoadResult result = loadFixture(u"status.json"_s);
        const Span* s = findSpan(result.dataset, spanId(span));
        QVERIFY(s);
        QCOMPARE(s->kind, kind);
        QCOMPARE(s->status, status);
        QCOMPARE(QString::fromStdString(std::string(result.dataset.str(s->statusMessage))), message);
        QVERIFY(attribute(result.dataset, *s, "span.kind").type() != ValueType::Empty || kind == SpanKind::Unspecified);
    }

    void realSample_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("parent");
        QTest::addColumn<QStringList>("links");
        QTest::addColumn<QStringList>("warnings");
        QTest::addColumn<int>("events");
        QTest::addColumn<StatusCode>("status");
        const QString trace1 = u"00000000000000000000000000000001/"_s;
        QTest::newRow("logs") << "2"
                              << "test-general-conversion"
                              << "service-x"
                              << "" << QStringList{} << QStringList{} << 2 << StatusCode::Unset;
        QTest::newRow("duplicate id, typed tags") << "2"
                                                  << "some-operation"
                                                  << "service-x"
                                                  << "" << QStringList{} << QStringList{} << 0 << StatusCode::Error;
        QTest::newRow("CHILD_OF") << "3"
                                  << "some-operation"
                                  << "service-y"
                                  << "0000000000000002" << QStringList{} << QStringList{} << 0 << StatusCode::Unset;
        QTest::newRow("cross-trace and FOLLOWS_FROM references, warning")
            << "4"
            << "reference-test"
            << "service-y"
            << "0000000000000002"
            << QStringList{u"CHILD_OF 000000000000000000000000000000ff/00000000000000ff"_s,
                           u"FOLLOWS_FROM "_s + trace1 + u"0000000000000002"_s}
            << QStringList{u"some span warning"_s} << 0 << StatusCode::Unset;
        QTest::newRow("child of a child")
            << "5"
            << "preserveParentID-test"
            << "service-y"
            << "0000000000000004" << QStringList{} << QStringList{u"some span warning"_s} << 0 << StatusCode::Unset;
    }
    void realSample()
    {
        QFETCH(QString, span);
        QFETCH(QString, name);
        QFETCH(QString, service);
        QFETCH(QString, parent);
        QFETCH(QStringList, links);
        QFETCH(QStringList, warnings);
        QFETCH(int, events);
        QFETCH(StatusCode, status);
        const LoadResult result = load(dataPath(u"samples/jaeger-ui_01.json"_s));
        const Dataset& data = result.dataset;
        QCOMPARE(int(data.spans.size()), 5);
        QCOMPARE(int(data.traces.size()), 1);
        const Trace& trace = data.traces[0];
        QCOMPARE(trace.duplicateCount, 1u);
        QVERIFY(std::find(trace.warnings.begin(), trace.warnings.end(), "some trace warning") != trace.warnings.end());
        const Span* s = findNamedSpan(data, spanId(span), name);
        QVERIFY(s);
        QCOMPARE(qint64(s->start), qint64(1485467191639875000));
        QCOMPARE(QString::fromStdString(std::string(data.str(s->service))), service);
        QCOMPARE(hexOf(s->parentId), parent);
        QCOMPARE(linksOf(data, *s), links);
        QCOMPARE(spanWarningsOf(data, *s), warnings);
        QCOMPARE(int(s->events.count), events);
        QCOMPARE(s->status, status);
    }

    void realSampleTags_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("string") << "peer.service"
                                << "string:service-y";
        QTest::newRow("int64") << "peer.ipv4"
                               << "int:23456";
        QTest::newRow("bool") << "error"
                              << "bool:true";
        QTest::newRow("float64") << "temperature"
                                 << "double:72.5";
        QTest::newRow("int64 as a string") << "javascript_limit"
                                           << "int:9223372036854775222";
        QTest::newRow("binary") << "blob"
                                << "bytes:00003039";
    }
    void realSampleTags()
    {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const LoadResult result = load(dataPath(u"samples/jaeger-ui_01.json"_s));
        const Span* s = findNamedSpan(result.dataset, 2, u"some-operation"_s);
        QVERIFY(s);
        QCOMPARE(describe(result.dataset, attribute(result.dataset, *s, key.toStdString())), expected);
    }

    void generated_data()
    {
        QTest::addColumn<int>("trace");
        QTest::newRow("first trace") << 0;
        QTest::newRow("second trace") << 1;
        QTest::newRow("third trace") << 2;
    }
    void generated()
    {
        QFETCH(int, trace);
        const QString path = generatedTrace(u"jaeger"_s, 2000, {u"--traces"_s, u"3"_s});
        const LoadResult result = load(path);
        const Dataset& data = result.dataset;
        QCOMPARE(int(data.spans.size()), 2000);
        QCOMPARE(int(data.traces.size()), 3);

        // Compare one span well inside the trace with what the file says about it.
        const QJsonObject file = QJsonDocument::fromJson(readFile(path)).object();
        const QJsonObject jsonTrace = file["data"_L1].toArray()[trace].toObject();
        const QJsonArray jsonSpans = jsonTrace["spans"_L1].toArray();
        const Trace* t = data.findTrace(*parseHexTraceId(jsonTrace["traceID"_L1].toString().toStdString()));
        QVERIFY(t);
        QCOMPARE(int(t->count), int(jsonSpans.size()));
        QCOMPARE(int(t->orphanCount), 0);
        QCOMPARE(int(data.services(*t).size()), jsonTrace["processes"_L1].toObject().size());
        const QJsonObject jsonSpan = jsonSpans[jsonSpans.size() / 2].toObject();
        const Span* s = findSpan(data, spanId(jsonSpan["spanID"_L1].toString()));
        QVERIFY(s);
        const QJsonObject ref = jsonSpan["references"_L1].toArray()[0].toObject();
        QCOMPARE(hexOf(s->parentId), ref["spanID"_L1].toString());
        QCOMPARE(s->has(MarkFollowsFrom), ref["refType"_L1].toString() == "FOLLOWS_FROM"_L1);
        QVERIFY(s->parent != kNoIndex);
        QCOMPARE(hexOf(data.spans[s->parent].id), ref["spanID"_L1].toString());
        const QString processId = jsonSpan["processID"_L1].toString();
        QCOMPARE(QString::fromStdString(std::string(data.str(s->service))),
                 jsonTrace["processes"_L1].toObject()[processId].toObject()["serviceName"_L1].toString());
        QCOMPARE(qint64(s->start - s->skewDelta), qint64(jsonSpan["startTime"_L1].toDouble()) * 1000);
    }

    void badSpans_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("at");
        const QString good = uR"("spanID": "2", "operationName": "bad", "duration": 5, "processID": "p1")"_s;
        QTest::newRow("startTime of the wrong type")
            << good + uR"(, "startTime": true)"_s << "startTime: expected integer microseconds"
            << "true";
        QTest::newRow("startTime with a fraction")
            << good + uR"(, "startTime": 1.5e15)"_s << "startTime: expected integer microseconds"
            << "1.5e15";
        QTest::newRow("startTime out of range")
            << good + uR"(, "startTime": 9223372036854775807)"_s
            << "startTime: expected microseconds within the range of 64-bit nanoseconds, found 9223372036854775807"
            << "{";
        QTest::newRow("non-hex spanID") << R"("spanID": "xyz1", "startTime": 1700000000000000, "duration": 5)"
                                        << "spanID: expected 1 to 16 hex digits, found \"xyz1\""
                                        << "\"xyz1\"";
        QTest::newRow("spanID too long") << R"("spanID": "123456789abcdef01", "startTime": 1, "duration": 5)"
                                         << "spanID: expected 1 to 16 hex digits"
                                         << "\"123456789abcdef01\"";
        QTest::newRow("no spanID") << R"("startTime": 1700000000000000, "duration": 5)"
                                   << "spanID: missing"
                                   << "{";
        QTest::newRow("bad reference spanID")
            << good + uR"(, "startTime": 1, "references": [{"refType": "CHILD_OF", "spanID": "zz"}])"_s
            << "reference spanID: expected 1 to 16 hex digits"
            << "\"zz\"";
        QTest::newRow("unknown refType")
            << good + uR"(, "startTime": 1, "references": [{"refType": "SIBLING", "spanID": "1"}])"_s
            << "refType: expected CHILD_OF or FOLLOWS_FROM, found \"SIBLING\""
            << "{\"refType\"";
        QTest::newRow("int64 tag that is no number")
            << good + uR"(, "startTime": 1, "tags": [{"key": "n", "type": "int64", "value": "abc"}])"_s
            << "tag \"n\": the value is not of its type int64"
            << "{\"key\": \"n\"";
        QTest::newRow("binary tag that is no base64")
            << good + uR"(, "startTime": 1, "tags": [{"key": "b", "type": "binary", "value": "**"}])"_s
            << "tag \"b\": the value is not of its type binary"
            << "{\"key\": \"b\"";
        QTest::newRow("tags not an array")
            << good + uR"(, "startTime": 1, "tags": {})"_s << "tags: expected an array, found an object"
            << "{}";
        QTest::newRow("log without timestamp")
            << good + uR"(, "startTime": 1, "logs": [{"fields": []}])"_s << "logs[].timestamp: missing"
            << "{\"fields\"";
        QTest::newRow("span not an object") << ""
                                            << "spans[]: expected a span object, found 42"
                                            << "42";
    }
    void badSpans()
    {
        QFETCH(QString, span);
        QFETCH(QString, message);
        QFETCH(QString, at);
        const QString badSpan = span.isEmpty() ? u"42"_s : u"{"_s + span + u"}"_s;
        const std::string text = uR"({"traceID": "1", "processes": {"p1": {"serviceName": "s"}}, "spans": [
  {"spanID": "1", "operationName": "good", "startTime": 1700000000000000, "duration": 5, "processID": "p1"},
  %1,
  {"spanID": "3", "operationName": "after", "startTime": 1700000000000001, "duration": 1, "processID": "p1"}
]})"_s.arg(badSpan)
                                     .toStdString();
        const LoadResult result = loadText(text);
        QCOMPARE(int(result.report.skippedSpans), 1);
        QCOMPARE(int(result.dataset.spans.size()), 2);
        QVERIFY(findSpan(result.dataset, 1));
        QVERIFY(findSpan(result.dataset, 3));
        const Diagnostic* d = findDiagnostic(result.report, message);
        QVERIFY2(d, qPrintable(QString::fromStdString(result.errorText())));
        QCOMPARE(d->severity, Diagnostic::Severity::Error);
        QCOMPARE(int(d->line), 3);
        const QString atOffset = QString::fromStdString(text.substr(d->offset, 40));
        QVERIFY2(atOffset.startsWith(at), qPrintable(atOffset));
    }

    void keptWithWarning_data()
    {
        QTest::addColumn<QString>("span");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<bool>("invalidTime");
        QTest::addColumn<QString>("warning");
        const QString start = uR"("spanID": "1", "startTime": 1700000000000000)"_s;
        QTest::newRow("negative duration")
            << start + uR"(, "duration": -5, "processID": "p1")"_s << qint64(0) << true << "ends before it starts";
        QTest::newRow("duration out of range")
            << start + uR"(, "duration": 9223372036854775807, "processID": "p1")"_s << qint64(0) << true
            << "duration 9223372036854775807 µs is out of range";
        QTest::newRow("unknown processID") << start + uR"(, "duration": 5, "processID": "p9")"_s << qint64(5000)
                                           << false << "process \"p9\" is not in the trace's processes";
        QTest::newRow("no process") << start + uR"(, "duration": 5)"_s << qint64(5000) << false << "no process";
        QTest::newRow("no duration (left out as zero)") << start + uR"(, "processID": "p1")"_s << qint64(0) << false
                                                        << "no duration in the file: drawn with zero length";
        QTest::newRow("no startTime") << R"("spanID": "1", "duration": 5, "processID": "p1")" << qint64(5000) << false
                                      << "no start time in the file";
        QTest::newRow("no startTime, no duration")
            << R"("spanID": "1", "processID": "p1")" << qint64(0) << false << "no timing in the file";
    }
    void keptWithWarning()
    {
        QFETCH(QString, span);
        QFETCH(qint64, duration);
        QFETCH(bool, invalidTime);
        QFETCH(QString, warning);
        const QString trace = uR"({"traceID": "1", "spans": [{%1}], "processes": {"p1": {"serviceName": "s"}}})"_s;
        const std::string text = trace.arg(span).toStdString();
        const LoadResult result = loadText(text, false);
        QCOMPARE(int(result.dataset.spans.size()), 1);
        const Span& s = result.dataset.spans[0];
        QCOMPARE(s.duration(), duration);
        QCOMPARE(s.has(MarkInvalidTime), invalidTime);
        QCOMPARE(s.has(MarkNoTiming), !span.contains("startTime"_L1));
        const QStringList warnings = spanWarningsOf(result.dataset, s);
        QVERIFY2(std::any_of(warnings.begin(), warnings.end(), [&](const QString& w) { return w.contains(warning); }),
                 qPrintable(warnings.join(u"; "_s)));
    }

    // Jaeger UI's fixtures hold one trace object under "data"; one of its processes has no serviceName.
    void dataObject()
    {
        const LoadResult result = load(dataPath(QStringLiteral("jaeger/data-object.json")));
        QCOMPARE(result.format, std::string("jaeger"));
        QVERIFY(result.complete());
        const Dataset& d = result.dataset;
        QCOMPARE(int(d.spans.size()), 3);
        QCOMPARE(int(d.traces.size()), 1);
        const Span* root = findSpan(d, 0x6b2e1f0a9c8d7e6f);
        const Span* find = findSpan(d, 0x1d2c3b4a59687766);
        const Span* untimed = findSpan(d, 0x2e3d4c5b6a798877);
        QVERIFY(root && find && untimed);
        QCOMPARE(d.str(find->service), std::string_view("unknown_service"));
        QCOMPARE(d.str(d.resources[find->resource].service), std::string_view("unknown_service"));
        QVERIFY(untimed->has(MarkNoTiming));
        QCOMPARE(untimed->start, root->start);
        QCOMPARE(untimed->duration(), TimeNs(0));
        QCOMPARE(spanWarningsOf(d, *untimed).join(u"; "_s),
                 QStringLiteral("no timing in the file; no duration in the file: drawn with zero length"));
    }

    void processWithoutServiceNameIsUnknownService()
    {
        const LoadResult result = loadText(R"({"traceID": "1", "spans": [{"spanID": "1", "startTime": 1, "duration": 1,
            "processID": "p1"}], "processes": {"p1": {"tags": []}}})",
                                           false);
        QCOMPARE(int(result.dataset.spans.size()), 1);
        QCOMPARE(result.dataset.str(result.dataset.spans[0].service), std::string_view("unknown_service"));
    }

    void badDocuments_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("spans");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<QString>("message");
        const QString span = uR"({"spanID": "1", "startTime": 1, "duration": 1})"_s;
        QTest::newRow("no traceID anywhere") << R"({"spans": [{"spanID": "1", "startTime": 1, "duration": 1,
                             "references": [{"traceID": "5", "spanID": "9"}]}]})"
                                             << 0 << true << "no traceID, neither in the span nor in its trace";
        QTest::newRow("spans not an array")
            << R"({"traceID": "1", "spans": {}})" << 0 << true << "spans: expected an array";
        QTest::newRow("processes not an object") << uR"({"traceID": "1", "spans": [%1], "processes": []})"_s.arg(span)
                                                 << 1 << true << "processes: expected an object";
        QTest::newRow("bad trace traceID") << uR"({"traceID": "xyz", "spans": [%1]})"_s.arg(span) << 0 << true
                                           << "trace traceID: expected 1 to 32 hex digits";
        QTest::newRow("data element not an object") << R"({"data": [1, {"traceID": "1", "spans": []}]})" << 0 << true
                                                    << "trace: expected an object {traceID, spans, processes}, found 1";
        QTest::newRow("array of strings") << "[\"traceID\"]" << 0 << true
                                          << "trace: expected an object {traceID, spans, processes}, found \"traceID\"";
        QTest::newRow("query errors") << R"({"data": null, "total": 0, "limit": 0, "offset": 0,
                  "errors": [{"code": 404, "msg": "trace not found"}]})"
                                      << 0 << false << "the Jaeger query reported an error: trace not found";
        QTest::newRow("syntax error keeps spans before")
            << uR"({"traceID": "1", "spans": [%1, {"spanID": "2" "startTime": 1}]})"_s.arg(span) << 1 << true
            << "expected Jaeger trace JSON";
    }
    void badDocuments()
    {
        QFETCH(QString, text);
        QFETCH(int, spans);
        QFETCH(bool, isError);
        QFETCH(QString, message);
        const LoadResult result = loadText(text.toStdString());
        QCOMPARE(result.format, std::string("jaeger"));
        QCOMPARE(int(result.dataset.spans.size()), spans);
        const Diagnostic* d = findDiagnostic(result.report, message);
        QVERIFY2(d, qPrintable(QString::fromStdString(result.errorText())));
        QCOMPARE(d->severity == Diagnostic::Severity::Error, isError);
        QCOMPARE(result.report.hasErrors(), isError);
    }

    void truncated_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("cutAfter"); // the cut is just after the n-th occurrence of this text
        QTest::addColumn<int>("occurrence");
        QTest::addColumn<int>("keepExtra"); // characters of the following text kept
        const QString generated = u"generated"_s;
        QTest::newRow("cut inside a string") << generated << "\"operationName\":\"" << 50 << 3;
        QTest::newRow("cut inside a number") << generated << "\"startTime\":" << 80 << 4;
        QTest::newRow("cut right after a span") << generated << "\"flags\":1}" << 100 << 0;
        QTest::newRow("cut inside a tag") << generated << "{\"key\":" << 300 << 2;
        QTest::newRow("cut inside the processes") << generated << "\"processes\":" << 1 << 30;
        QTest::newRow("pretty-printed, cut inside the second span") << "query-api.json"
                                                                    << "\"query\"" << 1 << 0;
    }
    void truncated()
    {
        QFETCH(QString, file);
        QFETCH(QString, cutAfter);
        QFETCH(int, occurrence);
        QFETCH(int, keepExtra);
        const QString path = file == "generated"_L1 ? generatedTrace(u"jaeger"_s, 500) : dataPath(u"jaeger/"_s + file);
        const std::string whole = readFile(path).toStdString();
        std::size_t cut = 0;
        for (int i = 0; i < occurrence; ++i) {
            cut = whole.find(cutAfter.toStdString(), cut);
            QVERIFY(cut != std::string::npos);
            cut += cutAfter.size();
        }
        const std::string text = whole.substr(0, cut + keepExtra);
        // Every span of these files ends with its flags: the complete ones are those before the cut.
        std::size_t complete = 0;
        for (std::size_t at = text.find("\"flags\""); at != std::string::npos; at = text.find("\"flags\"", at + 1)) {
            if (text.find('}', at) != std::string::npos)
                ++complete;
        }
        const LoadResult result = loadText(text);
        QCOMPARE(result.format, std::string("jaeger"));
        QCOMPARE(qint64(result.dataset.spans.size()), qint64(complete));
        QVERIFY(complete > 0);
        QVERIFY(result.report.hasErrors());
        const auto isError = [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; };
        const Diagnostic& error = *std::find_if(result.report.diagnostics.begin(), result.report.diagnostics.end(),
                                                isError);
        QVERIFY(error.offset >= cut && error.offset <= text.size());
        QCOMPARE(qint64(error.line), 1 + qint64(std::count(text.begin(), text.begin() + error.offset, '\n')));
        for (const Span& s : result.dataset.spans)
            QVERIFY(s.end >= s.start && s.id != 0);
    }

    void sniff_data()
    {
        QTest::addColumn<QString>("head");
        QTest::addColumn<bool>("isJaeger");
        QTest::newRow("query API") << R"({"data":[{"traceID":"1","spans":[{"traceID":"1","spanID":"2")" << true;
        QTest::newRow("bare object") << R"({"traceID": "1", "spans": [)" << true;
        QTest::newRow("bare array, pretty") << "[\n  {\n    \"traceID\": \"1\",\n    \"spans\": [" << true;
        QTest::newRow("spans first") << R"({"spans":[{"operationName":"x","traceID":"1")" << true;
        QTest::newRow("OTLP JSON") << R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"1","spanId":"2")"
                                   << false;
        QTest::newRow("Jaeger api_v3 is OTLP")
            << R"({"result":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AQ==","spanId":"Ag==")" << false;
        QTest::newRow("query response without traces")
            << R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})"
            << true;
        QTest::newRow("Zipkin") << R"([{"traceId":"1","id":"2","name":"x"}])" << false;
        QTest::newRow("not JSON") << "traceID spans spanID" << false;
    }
    void sniff()
    {
        QFETCH(QString, head);
        QFETCH(bool, isJaeger);
        QCOMPARE(jaegerImporter().sniff(head.toStdString()) > 0, isJaeger);
    }
};

QTEST_GUILESS_MAIN(TestJaeger)
#include "tst_jaeger.moc"
