// `spanwise record` fed by real clients: the OpenTelemetry JavaScript exporters (OTLP/gRPC, OTLP/HTTP
// protobuf and JSON, Zipkin) and Python's py_zipkin. The recorded file holds what the exporters
// reported sending, span for span.
#include <test_support.h>

#include <hex_ids.h>
#include <recording_process.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <map>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

const QString kClients = QStringLiteral(SPANWISE_SOURCE_DIR "/tests/clients");

std::string text(const QJsonValue& v)
{
    return v.toString().toStdString();
}

// A model value against a typed value the client wrote: {"type": "int", "value": 3}.
bool sameValue(const Dataset& d, const Value& value, const QJsonObject& expected)
{
    const QString type = expected.value("type"_L1).toString();
    const QJsonValue v = expected.value("value"_L1);
    if (type == "string"_L1)
        return value.type() == ValueType::String && d.str(value.stringId()) == text(v);
    if (type == "bool"_L1)
        return value.type() == ValueType::Bool && value.boolean() == v.toBool();
    if (type == "int"_L1)
        return value.type() == ValueType::Int && value.integer() == static_cast<std::int64_t>(v.toDouble());
    if (type == "double"_L1)
        return value.type() == ValueType::Double && value.real() == v.toDouble();
    if (type == "array"_L1) {
        const QJsonArray elements = v.toArray();
        if (value.type() != ValueType::Array || value.range().count != std::uint32_t(elements.size()))
            return false;
        for (qsizetype i = 0; i < elements.size(); ++i) {
            if (!sameValue(d, d.attributes[value.range().first + std::uint32_t(i)].value, elements[i].toObject()))
                return false;
        }
        return true;
    }
    return false;
}

// The attributes of a range are exactly the ones expected (in any order); the first difference otherwise.
QString attributeDifference(const Dataset& d, Range range, const QJsonArray& expected)
{
    if (range.count != std::uint32_t(expected.size()))
        return u"%1 attributes, expected %2"_s.arg(range.count).arg(expected.size());
    for (const QJsonValue& e : expected) {
        const QJsonObject attribute = e.toObject();
        const std::string key = text(attribute.value("key"_L1));
        bool found = false;
        for (std::uint32_t i = range.first; i < range.end() && !found; ++i)
            found = d.str(d.attributes[i].key) == key && sameValue(d, d.attributes[i].value, attribute);
        if (!found)
            return u"attribute %1 missing or different"_s.arg(QString::fromStdString(key));
    }
    return {};
}

const Span* findSpan(const Dataset& d, const TraceId& trace, SpanId id)
{
    const Trace* t = d.findTrace(trace);
    if (!t)
        return nullptr;
    for (std::uint32_t i = t->first; i < t->end_index(); ++i) {
        if (d.spans[i].id == id)
            return &d.spans[i];
    }
    return nullptr;
}

// The server half of a Zipkin v1 span shared by client and server: in OTLP a child of the client span,
// with an id of its own.
const Span* findSharedHalf(const Dataset& d, const TraceId& trace, SpanId client)
{
    const Trace* t = d.findTrace(trace);
    if (!t)
        return nullptr;
    for (std::uint32_t i = t->first; i < t->end_index(); ++i) {
        if (d.spans[i].parentId == client && d.spans[i].kind == SpanKind::Server)
            return &d.spans[i];
    }
    return nullptr;
}

// The span recorded for what a client sent; the first difference, or an empty string.
QString difference(const Dataset& d, const QJsonObject& sent)
{
    const TraceId traceId = *parseHexTraceId(text(sent.value("traceId"_L1)));
    const Span* s = sent.contains("sharedHalfOf"_L1)
                        ? findSharedHalf(d, traceId, *parseHexSpanId(text(sent.value("sharedHalfOf"_L1))))
                        : findSpan(d, traceId, *parseHexSpanId(text(sent.value("spanId"_L1))));
    if (!s)
        return u"not recorded"_s;
    const std::string parent = text(sent.value("parentSpanId"_L1));
    if (s->parentId != (parent.empty() ? 0 : *parseHexSpanId(parent)))
        return u"parent"_s;
    if (d.str(s->name) != text(sent.value("name"_L1)))
        return u"name %1"_s.arg(QString::fromUtf8(d.str(s->name)));
    if (d.str(s->service) != text(sent.value("service"_L1)))
        return u"service %1"_s.arg(QString::fromUtf8(d.str(s->service)));
    if (int(s->kind) != sent.value("kind"_L1).toInt())
        return u"kind %1"_s.arg(int(s->kind));
    if (std::to_string(s->start) != text(sent.value("startNs"_L1)) ||
        std::to_string(s->end) != text(sent.value("endNs"_L1)))
        return u"times %1..%2"_s.arg(s->start).arg(s->end);
    if (const QString a = attributeDifference(d, s->attributes, sent.value("attributes"_L1).toArray()); !a.isEmpty())
        return a;
    const QJsonObject status = sent.value("status"_L1).toObject();
    if (int(s->status) != status.value("code"_L1).toInt() ||
        d.str(s->statusMessage) != text(status.value("message"_L1)))
        return u"status %1 %2"_s.arg(int(s->status)).arg(QString::fromUtf8(d.str(s->statusMessage)));
    const QJsonArray events = sent.value("events"_L1).toArray();
    if (s->events.count != std::uint32_t(events.size()))
        return u"%1 events"_s.arg(s->events.count);
    for (qsizetype i = 0; i < events.size(); ++i) {
        const Event& e = d.events[s->events.first + std::uint32_t(i)];
        const QJsonObject expected = events[i].toObject();
        if (d.str(e.name) != text(expected.value("name"_L1)) ||
            std::to_string(e.time) != text(expected.value("timeNs"_L1)))
            return u"event %1"_s.arg(i);
        if (const QString a = attributeDifference(d, e.attributes, expected.value("attributes"_L1).toArray());
            !a.isEmpty())
            return u"event %1: "_s.arg(i) + a;
    }
    const QJsonArray links = sent.value("links"_L1).toArray();
    if (s->links.count != std::uint32_t(links.size()))
        return u"%1 links"_s.arg(s->links.count);
    for (qsizetype i = 0; i < links.size(); ++i) {
        const Link& l = d.links[s->links.first + std::uint32_t(i)];
        const QJsonObject expected = links[i].toObject();
        if (toHex(l.traceId) != text(expected.value("traceId"_L1)) ||
            toHex(l.spanId) != text(expected.value("spanId"_L1)))
            return u"link %1"_s.arg(i);
        if (const QString a = attributeDifference(d, l.attributes, expected.value("attributes"_L1).toArray());
            !a.isEmpty())
            return u"link %1: "_s.arg(i) + a;
    }
    if (sent.contains("resource"_L1)) {
        if (s->resource == kNoIndex)
            return u"no resource"_s;
        if (const QString a = attributeDifference(d, d.resources[s->resource].attributes,
                                                  sent.value("resource"_L1).toArray());
            !a.isEmpty())
            return u"resource: "_s + a;
    }
    if (sent.contains("scope"_L1)) {
        const QJsonObject scope = sent.value("scope"_L1).toObject();
        if (s->scope == kNoIndex || d.str(d.scopes[s->scope].name) != text(scope.value("name"_L1)) ||
            d.str(d.scopes[s->scope].version) != text(scope.value("version"_L1)))
            return u"scope"_s;
    }
    return {};
}

QJsonArray sentSpans(const QString& path)
{
    return QJsonDocument::fromJson(test::readFile(path)).object().value("spans"_L1).toArray();
}

// Runs a client to its end; fails the test with what it printed when it does not succeed.
bool runClient(const QString& program, const QStringList& args)
{
    const test::ProcessRun run = test::runProgram(program, args);
    if (run.exitCode == 0)
        return true;
    QTest::qFail(qPrintable(program + u" failed:\n"_s + QString::fromUtf8(run.out + run.err)), __FILE__, __LINE__);
    return false;
}

} // namespace

class TestRecordClients : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(kClients + u"/node_modules/@opentelemetry/sdk-trace-base"_s),
                 "the test clients' npm packages are not installed: run scripts/install-deps");
        QVERIFY2(test::runProgram(QStringLiteral(SPANWISE_DEBIAN_PYTHON), {u"-c"_s, u"import py_zipkin"_s}).exitCode ==
                     0,
                 "py_zipkin is missing: run scripts/install-deps (Debian python3-py-zipkin)");
    }

    void exportersSpanForSpan_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("protobuf") << u"run.otlp.pb"_s;
        QTest::newRow("JSON lines") << u"run.otlp.jsonl"_s;
    }
    void exportersSpanForSpan()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString out = dir.filePath(name);
        test::RecordingProcess recorder;
        QVERIFY2(recorder.start({u"-o"_s, out, u"--otlp-grpc"_s, u"127.0.0.1:0"_s, u"--otlp-http"_s, u"127.0.0.1:0"_s,
                                 u"--zipkin"_s, u"127.0.0.1:0"_s},
                                3),
                 recorder.err().constData());
        const QString nodeSent = dir.filePath(u"node.json"_s);
        const QString pythonSent = dir.filePath(u"python.json"_s);
        QVERIFY(
            runClient(u"node"_s, {kClients + u"/send_spans.js"_s, u"--otlp-grpc"_s, recorder.address(u"otlp-grpc"_s),
                                  u"--otlp-http"_s, recorder.address(u"otlp-http"_s), u"--zipkin"_s,
                                  recorder.address(u"zipkin"_s), u"--out"_s, nodeSent}));
        QVERIFY(
            runClient(QStringLiteral(SPANWISE_DEBIAN_PYTHON), {kClients + u"/send_zipkin.py"_s, u"--zipkin"_s,
                                                               recorder.address(u"zipkin"_s), u"--out"_s, pythonSent}));
        QVERIFY(recorder.stop(SIGINT));
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(recorder.errBesidesListening(), QByteArray());

        LoadOptions raw; // times as sent: no clock-skew adjustment
        raw.build.adjustClockSkew = false;
        const LoadResult recorded = test::load(out, false, raw);
        QJsonArray sent = sentSpans(nodeSent);
        std::map<std::string, int> perEndpoint;
        for (const QJsonValue& s : sent)
            ++perEndpoint[text(s.toObject().value("endpoint"_L1))];
        for (const char* endpoint : {"otlp-grpc", "otlp-http-proto", "otlp-http-json", "zipkin"})
            QVERIFY2(perEndpoint[endpoint] == 10, endpoint); // two traces of five spans each
        for (const QJsonValue& s : sentSpans(pythonSent))
            sent.append(s);
        // py_zipkin: a v2 trace of 3 spans, a v1 one whose local span is a client and a shared server half.
        QCOMPARE(sent.size(), 4 * 10 + 3 + 4);
        QCOMPARE(recorded.dataset.spans.size(), std::size_t(sent.size()));
        for (const QJsonValue& s : sent) {
            const QJsonObject span = s.toObject();
            const QString problem = difference(recorded.dataset, span);
            QVERIFY2(problem.isEmpty(),
                     qPrintable(span.value("endpoint"_L1).toString() + u" span "_s + span.value("name"_L1).toString() +
                                u" "_s + span.value("spanId"_L1).toString() + u": "_s + problem));
        }
        QCOMPARE(recorded.dataset.traces.size(), 4u * 2 + 2);
        for (const Trace& t : recorded.dataset.traces)
            QCOMPARE(t.orphanCount, 0u);
    }
};

QTEST_GUILESS_MAIN(TestRecordClients)
#include "tst_record_clients.moc"
