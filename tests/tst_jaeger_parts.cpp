// Jaeger JSON read in parts on several threads gives the dataset and report of reading it whole, in
// every shape Jaeger files come in; anything the parts cannot repeat exactly leaves it to the whole
// reading.
#include <test_support.h>

#include <jaeger_parts.h>
#include <same_model.h>
#include <same_spans.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

struct Read {
    bool inParts = false;
    ImportReport report;
    Dataset dataset;
};

Read readJaeger(const QByteArray& text, unsigned threads, const jaeger::PartOptions* parts)
{
    const std::string bytes = text.toStdString() + std::string(kInputPadding, '\0');
    const Input input{bytes.data(), static_cast<std::size_t>(text.size()), threads};
    Read read;
    DatasetBuilder builder;
    read.report.setText(input.text());
    if (parts) {
        read.inParts = jaeger::readSpansInParts(input, builder, read.report, *parts);
        if (!read.inParts) { // nothing read, nothing reported
            QTest::qVerify(builder.spanCount() == 0 && read.report.diagnostics.empty(), "untouched", "", __FILE__,
                           __LINE__);
            return read;
        }
    } else {
        jaegerImporter().read(input, builder, read.report);
    }
    read.report.setText({});
    read.dataset = builder.finish(BuildOptions{.threads = 1});
    return read;
}

QStringList diagnosticsOf(const ImportReport& report)
{
    QStringList out;
    for (const Diagnostic& d : report.diagnostics)
        out += u"%1 %2 %3:%4 %5 %6"_s.arg(d.severity == Diagnostic::Severity::Error ? u"error"_s : u"warning"_s)
                   .arg(d.offset)
                   .arg(d.line)
                   .arg(d.column)
                   .arg(d.skippedSpan)
                   .arg(QString::fromStdString(d.message));
    return out;
}

QStringList warningsOf(const Dataset& data)
{
    QStringList out;
    for (const Trace& trace : data.traces) {
        for (const std::string& w : trace.warnings)
            out += QString::fromStdString(toHex(trace.id)) + u": "_s + QString::fromStdString(w);
        for (const SpanWarning& w : trace.spanWarnings)
            out += QString::fromStdString(toHex(data.spans[w.span].id)) + u": "_s + QString::fromStdString(w.text);
    }
    return out;
}

void verifySame(const Read& whole, const Read& parts)
{
    QCOMPARE(parts.report.variant, whole.report.variant);
    QCOMPARE(parts.report.skippedSpans, whole.report.skippedSpans);
    QCOMPARE(parts.report.inputErrors, whole.report.inputErrors);
    QCOMPARE(diagnosticsOf(parts.report), diagnosticsOf(whole.report));
    QCOMPARE(parts.dataset.traces.size(), whole.dataset.traces.size());
    QCOMPARE(parts.dataset.spans.size(), whole.dataset.spans.size());
    for (std::size_t t = 0; t < whole.dataset.traces.size(); ++t) {
        const Trace& a = whole.dataset.traces[t];
        const Trace& b = parts.dataset.traces[t];
        QCOMPARE(toHex(b.id), toHex(a.id));
        QCOMPARE(b.rootCount, a.rootCount);
        QCOMPARE(b.orphanCount, a.orphanCount);
        QCOMPARE(b.errorCount, a.errorCount);
        QCOMPARE(b.duplicateCount, a.duplicateCount);
    }
    QCOMPARE(warningsOf(parts.dataset), warningsOf(whole.dataset));
    test::verifySameSpans(whole.dataset, parts.dataset);
}

QByteArray compact(const QJsonValue& value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// The generated query response {"data": [trace...]} in Jaeger's other shapes.
struct Shapes {
    explicit Shapes(const QByteArray& queryResponse)
    {
        const QJsonArray traces = QJsonDocument::fromJson(queryResponse).object()[u"data"_s].toArray();
        QJsonArray withWarnings, withoutSpanTraceIds, spans;
        for (const QJsonValue& t : traces) {
            QJsonObject trace = t.toObject();
            const QJsonObject processes = trace[u"processes"_s].toObject();
            QJsonArray bare;
            for (const QJsonValue& s : trace[u"spans"_s].toArray()) {
                QJsonObject span = s.toObject();
                QJsonObject inlined = span;
                inlined[u"process"_s] = processes[span[u"processID"_s].toString()];
                inlined.remove(u"processID"_s);
                spans.append(inlined);
                span.remove(u"traceID"_s);
                bare.append(span);
            }
            QJsonObject noIds = trace;
            noIds[u"spans"_s] = bare;
            withoutSpanTraceIds.append(noIds);
            trace[u"warnings"_s] = QJsonArray{u"clock skew adjustment disabled"_s, u"second [warning]"_s};
            withWarnings.append(trace);
        }
        add("query response", queryResponse);
        add("pretty query response", QJsonDocument::fromJson(queryResponse).toJson(QJsonDocument::Indented));
        add("bare trace object", compact(traces[0]));
        add("data object", compact(QJsonObject{{u"data"_s, traces[0]}}));
        add("trace array", compact(traces));
        add("pretty trace array", QJsonDocument(traces).toJson(QJsonDocument::Indented));
        add("span array", compact(spans));
        add("trace warnings", compact(QJsonObject{{u"data"_s, withWarnings}, {u"errors"_s, QJsonValue()}}));
        add("spans without traceID",
            compact(QJsonObject{{u"data"_s, withoutSpanTraceIds},
                                {u"errors"_s, QJsonArray{QJsonObject{{u"code"_s, 404}, {u"msg"_s, u"gone"_s}}}}}));
    }
    void add(const char* name, QByteArray text) { texts.push_back({name, std::move(text)}); }
    std::vector<std::pair<const char*, QByteArray>> texts;
};

} // namespace

class TestJaegerParts : public QObject {
    Q_OBJECT
private slots:
    void sameAsWholeReading_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("inParts");
        const QString generated = test::generatedTrace(u"jaeger"_s, 3000, {u"--traces"_s, u"3"_s, u"--seed"_s, u"5"_s});
        for (const auto& [name, text] : Shapes(test::readFile(generated)).texts)
            QTest::newRow(name) << text << true;
        // Nesting near simdjson's and the importer's depth limits, which a span read as a document of its
        // own starts deeper down from.
        for (const int depth : {60, 61, 62, 63, 64, 100, 1018, 1019, 1020, 1021, 1022, 1023, 3000}) {
            const QByteArray deepSpan = "{\"traceID\":\"1\",\"spanID\":\"1\",\"tags\":[{\"key\":\"k\",\"value\":" +
                                        QByteArray(depth, '[') + QByteArray(depth, ']') + "}]}";
            const QByteArray text = "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + deepSpan + "," +
                                    QByteArray(deepSpan).replace("\"spanID\":\"1\"", "\"spanID\":\"2\"") + "]}]}";
            QTest::newRow(qPrintable(u"tag value %1 deep"_s.arg(depth))) << text << false;
        }
        const QDir fixtures(test::dataPath(u"jaeger"_s));
        for (const QString& file : fixtures.entryList({u"*.json"_s}))
            QTest::newRow(qPrintable(file)) << test::readFile(fixtures.filePath(file)) << false;
    }
    void sameAsWholeReading()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, inParts);
        const Read whole = readJaeger(text, 1, nullptr);
        test::forThreadsAndPartSizes([&](unsigned threads, std::size_t partBytes) {
            const jaeger::PartOptions options{.partBytes = partBytes, .minInputBytes = 0, .skeletonBlockBytes = 997};
            const Read parts = readJaeger(text, threads, &options);
            if (inParts)
                QVERIFY2(parts.inParts, "read whole instead");
            if (parts.inParts)
                verifySame(whole, parts);
        });
    }

    // The fixtures that are Jaeger's usual shapes, without a problem, are read in parts.
    void fixturesReadInParts()
    {
        for (const char* file : {"query-api.json", "bare-object.json", "bare-array.json", "data-object.json",
                                 "inline-process.json", "logs.json", "references.json", "tags.json"}) {
            const QByteArray text = test::readFile(test::dataPath(u"jaeger/"_s + QLatin1StringView(file)));
            const jaeger::PartOptions options{.partBytes = 1, .minInputBytes = 0};
            QVERIFY2(readJaeger(text, 2, &options).inParts, file);
        }
    }

    // Whatever the parts cannot repeat exactly is left to the whole reading, which reports it.
    void problemsLeftToWholeReading_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QByteArray span =
            "{\"traceID\":\"1\",\"spanID\":\"2\",\"operationName\":\"a\",\"startTime\":1,\"duration\":2}";
        const QByteArray span3 =
            "{\"traceID\":\"1\",\"spanID\":\"3\",\"operationName\":\"b\",\"startTime\":1,\"duration\":2}";
        QTest::newRow("span that fails") << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + span +
                                                ",{\"spanID\":\"3\",\"startTime\":\"soon\"}]}]}";
        QTest::newRow("scalar among spans")
            << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + span + ",7," + span3 + "]}]}";
        QTest::newRow("two commas") << "[" + span + ",," + span3 + "]";
        QTest::newRow("truncated") << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + span + "," + span3;
        QTest::newRow("unclosed string") << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + span + ",{\"a\":\"]}]}";
        QTest::newRow("unknown process") << QByteArray(
            "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"spanID\":\"2\",\"processID\":\"p9\","
            "\"operationName\":\"a\",\"startTime\":1,\"duration\":2}],\"processes\":7}]}");
        QTest::newRow("warnings without traceID") << "{\"data\":[{\"spans\":[" + span + "],\"warnings\":[\"w\"]}]}";
        QTest::newRow("garbage after") << "{\"data\":[{\"traceID\":\"1\",\"spans\":[" + span + "]}]} x";
        QTest::newRow("trace among spans") << "[" + span + ",{\"traceID\":\"1\",\"spans\":[" + span3 + "]}]";
        QTest::newRow("no traceID anywhere")
            << QByteArray("{\"spans\":[{\"spanID\":\"2\",\"startTime\":1,\"duration\":2}]}");
    }
    void problemsLeftToWholeReading()
    {
        QFETCH(QByteArray, text);
        const jaeger::PartOptions options{.partBytes = 1, .minInputBytes = 0, .skeletonBlockBytes = 7};
        QVERIFY(!readJaeger(text, 2, &options).inParts);
    }

    void smallInputReadWhole()
    {
        const QByteArray text = test::readFile(test::dataPath(u"jaeger/query-api.json"_s));
        const jaeger::PartOptions small{.minInputBytes = std::size_t(text.size()) + 1};
        QVERIFY(!readJaeger(text, 2, &small).inParts);
        const jaeger::PartOptions any{.minInputBytes = std::size_t(text.size())};
        QVERIFY(readJaeger(text, 2, &any).inParts);
    }
};

QTEST_GUILESS_MAIN(TestJaegerParts)
#include "tst_jaeger_parts.moc"
