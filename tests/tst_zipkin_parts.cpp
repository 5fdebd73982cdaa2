// Zipkin JSON read in parts on several threads gives the dataset and report of reading it whole, to
// the string id: fragments of one span and shared halves read by different parts are merged at the
// end as one reader merges them, broken spans are reported where they are, and anything the parts
// cannot repeat exactly is left to the whole reading.
#include <test_support.h>

#include <same_model.h>
#include <zipkin_parts.h>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

struct Read {
    bool inParts = false;
    ImportReport report;
    Dataset dataset;
};

Input inputOf(const std::string& bytes, unsigned threads)
{
    return {bytes.data(), bytes.size() - kInputPadding, threads};
}

// The whole reading (parts null), or the reading in parts; the dataset built on one thread.
Read readZipkin(const QByteArray& text, unsigned threads, const zipkin::PartOptions* parts)
{
    const std::string bytes = text.toStdString() + std::string(kInputPadding, '\0');
    const Input input = inputOf(bytes, threads);
    Read read;
    DatasetBuilder builder;
    read.report.setText(input.text());
    if (parts) {
        read.inParts = zipkin::readSpansInParts(input, builder, read.report, *parts);
        if (!read.inParts) { // nothing read, nothing reported
            QTest::qVerify(builder.empty() && read.report.diagnostics.empty(), "untouched", "", __FILE__, __LINE__);
            return read;
        }
    } else {
        zipkin::readWhole(input, builder, read.report);
    }
    read.report.setText({});
    read.dataset = builder.finish(BuildOptions{.threads = 1});
    return read;
}

QByteArray compact(const QJsonArray& array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

// The spans of a flat array grouped by trace, as Zipkin's /api/v2/traces lists them.
QByteArray asTraceList(const QByteArray& spanArray)
{
    std::map<QString, QJsonArray> traces;
    for (const QJsonValue& span : QJsonDocument::fromJson(spanArray).array())
        traces[span[u"traceId"_s].toString()].append(span);
    QJsonArray list;
    for (const auto& [id, spans] : traces)
        list.append(spans);
    list.append(QJsonArray()); // a trace found empty
    return compact(list);
}

QJsonObject span(const char* id, const char* name, QJsonObject fields = {})
{
    fields[u"traceId"_s] = u"5af7183fb1d4cf5f"_s;
    fields[u"id"_s] = QLatin1StringView(id);
    fields[u"name"_s] = QLatin1StringView(name);
    return fields;
}

QJsonObject endpoint(const char* service, const char* ipv4 = nullptr)
{
    QJsonObject e;
    if (service)
        e[u"serviceName"_s] = QLatin1StringView(service);
    if (ipv4)
        e[u"ipv4"_s] = QLatin1StringView(ipv4);
    return e;
}

// Spans that are not about the test, between those that are: each its own part with tiny parts.
QJsonArray filler(const char* prefix, int count)
{
    QJsonArray spans;
    for (int i = 0; i < count; ++i) {
        const QByteArray id = prefix + QByteArray::number(i + 1);
        const QByteArray name = prefix + QByteArray(" filler ") + QByteArray::number(i);
        spans.append(span(id.constData(), name.constData(),
                          {{u"timestamp"_s, 1000 + i},
                           {u"duration"_s, 10},
                           {u"localEndpoint"_s, endpoint("filler")},
                           {u"tags"_s, QJsonObject{{u"filler."_s + QString::number(i), u"x"_s}}}}));
    }
    return spans;
}

QJsonArray operator+(QJsonArray a, const QJsonArray& b)
{
    for (const QJsonValue& v : b)
        a.append(v);
    return a;
}

// Broken spans in the middle of a pretty file, a mixed v1/v2 span's warning, and a span whose end
// overflows (skipped when it is added at the end).
QByteArray brokenSpans()
{
    const QJsonArray broken =
        filler("d", 3) + QJsonArray{span("b1", "bad id type", {{u"parentId"_s, 7}})} + filler("e", 2) +
        QJsonArray{
            QJsonObject{{u"id"_s, u"b2"_s}, {u"name"_s, u"no trace id"_s}},
            span("b3", "v1 and v2",
                 {{u"timestamp"_s, 1},
                  {u"kind"_s, u"CLIENT"_s},
                  {u"binaryAnnotations"_s, QJsonArray{QJsonObject{{u"key"_s, u"k"_s}, {u"value"_s, u"v"_s}}}}}),
            span("b4", "overflowing",
                 {{u"timestamp"_s, 9000000000000000000.0 / 1000}, {u"duration"_s, 9000000000000000000.0 / 1000}})} +
        filler("f", 2);
    return QJsonDocument(broken).toJson(QJsonDocument::Indented);
}

void addRow(const char* name, const QByteArray& text, bool inParts = true)
{
    QTest::newRow(name) << text << inParts;
}

} // namespace

class TestZipkinParts : public QObject {
    Q_OBJECT
private slots:
    void sameAsWholeReading_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("inParts");
        const QByteArray generated = test::readFile(
            test::generatedTrace(u"zipkin"_s, 3000, {u"--traces"_s, u"3"_s, u"--seed"_s, u"5"_s}));
        addRow("generated v2", generated);
        addRow("generated v2, pretty",
               QJsonDocument::fromJson(generated).toJson(QJsonDocument::Indented)); // lines differ from offsets
        addRow("generated v2 as a trace list", asTraceList(generated));

        // One span reported in fragments (start, then finish with an annotation) far apart, a
        // fragment without a local endpoint, and one whose endpoint conflicts: a distinct span.
        const QJsonArray fragments =
            QJsonArray{span("a1", "fragmented", {{u"timestamp"_s, 100}, {u"localEndpoint"_s, endpoint("front")}})} +
            filler("b", 5) +
            QJsonArray{
                span("a1", "",
                     {{u"duration"_s, 50},
                      {u"localEndpoint"_s, endpoint("front", "10.0.0.1")},
                      {u"annotations"_s, QJsonArray{QJsonObject{{u"timestamp"_s, 120}, {u"value"_s, u"flushed"_s}}}},
                      {u"tags"_s, QJsonObject{{u"error"_s, u"late"_s}}}})} +
            filler("c", 3) +
            QJsonArray{span("a1", "", {{u"tags"_s, QJsonObject{{u"fragment.last"_s, u"yes"_s}}}}),
                       span("a1", "elsewhere", {{u"timestamp"_s, 90}, {u"localEndpoint"_s, endpoint("back")}})};
        addRow("fragments in different parts", compact(fragments));

        // The client and the shared server half of one RPC in different parts, the server without
        // its parent id (taken from the client), and a server reusing its client's id unflagged.
        const QJsonArray shared = QJsonArray{span("c1", "call",
                                                  {{u"parentId"_s, u"f0"_s},
                                                   {u"kind"_s, u"CLIENT"_s},
                                                   {u"timestamp"_s, 10},
                                                   {u"duration"_s, 100},
                                                   {u"localEndpoint"_s, endpoint("front")},
                                                   {u"remoteEndpoint"_s, endpoint("back", "10.0.0.2")}})} +
                                  filler("d", 4) +
                                  QJsonArray{span("c1", "serve",
                                                  {{u"kind"_s, u"SERVER"_s},
                                                   {u"shared"_s, true},
                                                   {u"timestamp"_s, 20},
                                                   {u"duration"_s, 80},
                                                   {u"localEndpoint"_s, endpoint("back")}}),
                                             span("c2", "call 2",
                                                  {{u"parentId"_s, u"f0"_s},
                                                   {u"kind"_s, u"CLIENT"_s},
                                                   {u"timestamp"_s, 30},
                                                   {u"duration"_s, 10},
                                                   {u"localEndpoint"_s, endpoint("front")}})} +
                                  filler("e", 2) +
                                  QJsonArray{span("c2", "serve 2",
                                                  {{u"kind"_s, u"SERVER"_s},
                                                   {u"timestamp"_s, 31},
                                                   {u"duration"_s, 8},
                                                   {u"localEndpoint"_s, endpoint("back")}})};
        addRow("shared halves in different parts", compact(shared));

        // An endpoint without a service name first met in a later part: the name the builder gives
        // it (unknown_service) is interned where one reader interns it, after the span's strings.
        const QJsonArray unnamed = filler("d", 3) +
                                   QJsonArray{span("1d", "unnamed service",
                                                   {{u"timestamp"_s, 5},
                                                    {u"duration"_s, 1},
                                                    {u"localEndpoint"_s, endpoint(nullptr, "10.9.9.9")},
                                                    {u"tags"_s, QJsonObject{{u"after.endpoint"_s, u"tag value"_s}}}})} +
                                   filler("e", 2);
        addRow("endpoint without service in a later part", compact(unnamed));

        addRow("broken spans in the middle", brokenSpans());
        // More problems than a report lists: the note standing for the rest says whether errors are among them.
        QJsonArray manyBroken = filler("d", 2);
        for (int i = 0; i < 260; ++i)
            manyBroken.append(QJsonObject{{u"id"_s, QString::number(i + 1, 16)}, {u"name"_s, u"no trace id"_s}});
        addRow("more problems than listed", compact(manyBroken + filler("e", 2)));

        const QDir fixtures(test::dataPath(u"zipkin"_s));
        for (const QString& file : fixtures.entryList({u"*.json"_s}))
            addRow(qPrintable(file), test::readFile(fixtures.filePath(file)), file != u"v2-single-span.json"_s);
    }
    void sameAsWholeReading()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, inParts);
        const Read whole = readZipkin(text, 1, nullptr);
        test::forThreadsAndPartSizes([&](unsigned threads, std::size_t partBytes) {
            const zipkin::PartOptions options{.partBytes = partBytes, .minInputBytes = 0, .skeletonBlockBytes = 997};
            const Read parts = readZipkin(text, threads, &options);
            QCOMPARE(parts.inParts, inParts);
            if (parts.inParts) {
                test::verifySameModel(whole.dataset, parts.dataset);
                test::verifySameReport(whole.report, parts.report);
            }
        });
    }

    // The default parts: a few megabytes each.
    void defaultPartsOfBigFile()
    {
        const QByteArray text = test::readFile(
            test::generatedTrace(u"zipkin"_s, 24000, {u"--traces"_s, u"4"_s, u"--seed"_s, u"3"_s}));
        QVERIFY(std::size_t(text.size()) > 2 * zipkin::PartOptions().partBytes);
        const Read whole = readZipkin(text, 1, nullptr);
        QCOMPARE(whole.dataset.spans.size(), std::size_t(24000));
        for (const unsigned threads : {1u, 2u}) {
            const zipkin::PartOptions defaults;
            const Read parts = readZipkin(text, threads, &defaults);
            QVERIFY(parts.inParts);
            test::verifySameModel(whole.dataset, parts.dataset);
            test::verifySameReport(whole.report, parts.report);
        }
    }

    // Whatever the parts cannot repeat exactly is left to the whole reading, which reports it.
    void problemsLeftToWholeReading_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QByteArray a = "{\"traceId\":\"1\",\"id\":\"2\",\"name\":\"a\"}";
        const QByteArray b = "{\"traceId\":\"1\",\"id\":\"3\",\"name\":\"b\"}";
        QTest::newRow("two commas") << "[" + a + ",," + b + "]";
        QTest::newRow("scalar among spans") << "[" + a + ",7," + b + "]";
        QTest::newRow("trailing comma in a span") << "[" + a + ",{\"traceId\":\"1\",\"id\":\"3\",}" + "]";
        QTest::newRow("missing colon") << "[" + a + ",{\"traceId\" \"1\",\"id\":\"3\"}" + "]";
        QTest::newRow("truncated") << "[" + a + "," + b;
        QTest::newRow("unclosed string") << "[" + a + ",{\"traceId\":\"1]}";
        QTest::newRow("garbage after") << "[" + a + "] x";
        QTest::newRow("spans and traces mixed") << "[" + a + ",[" + b + "]]";
        QTest::newRow("one span object") << a;
        QTest::newRow("byte order mark") << "\xEF\xBB\xBF[" + a + "," + b + "]";
        QTest::newRow("empty array") << QByteArray("[]");
    }
    void problemsLeftToWholeReading()
    {
        QFETCH(QByteArray, text);
        const zipkin::PartOptions options{.partBytes = 1, .minInputBytes = 0, .skeletonBlockBytes = 7};
        for (const unsigned threads : {1u, 2u})
            QVERIFY(!readZipkin(text, threads, &options).inParts);
    }

    // The broken spans are reported where they are, each on its line, in the order of the file.
    void brokenSpansReportedInPlace()
    {
        const QByteArray text = brokenSpans();
        const zipkin::PartOptions options{.partBytes = 1, .minInputBytes = 0};
        const Read parts = readZipkin(text, 2, &options);
        QVERIFY(parts.inParts);
        QCOMPARE(parts.report.skippedSpans, std::uint64_t(3));
        const std::vector<Diagnostic>& d = parts.report.diagnostics;
        QCOMPARE(d.size(), std::size_t(4));
        // The span object (an element of the indented root array) a diagnostic points into.
        const auto objectAt = [&](std::uint64_t offset) {
            const qsizetype begin = text.lastIndexOf("\n    {", qsizetype(offset));
            return text.mid(begin, text.indexOf("\n    }", begin) - begin);
        };
        QVERIFY(d[0].message.find("parentId: expected") != std::string::npos);
        QCOMPARE(text.mid(qsizetype(d[0].offset), 1), QByteArray("7"));
        QCOMPARE(d[1].message, std::string("span skipped: traceId: missing"));
        QVERIFY(objectAt(d[1].offset).contains("no trace id"));
        QCOMPARE(d[2].severity, Diagnostic::Severity::Warning);
        QVERIFY(objectAt(d[2].offset).contains("v1 and v2"));
        QVERIFY(d[3].message.find("timestamp + duration") != std::string::npos);
        QVERIFY(objectAt(d[3].offset).contains("overflowing"));
        for (const Diagnostic& each : d) {
            QCOMPARE(each.line, std::uint64_t(1 + text.left(qsizetype(each.offset)).count('\n')));
            QVERIFY(each.line > 1);
        }
        QVERIFY(d[0].offset < d[1].offset && d[1].offset < d[2].offset && d[2].offset < d[3].offset);
    }

    void smallInputReadWhole()
    {
        const QByteArray text = test::readFile(test::dataPath(u"zipkin/v1-rpc.json"_s));
        const zipkin::PartOptions small{.minInputBytes = std::size_t(text.size()) + 1};
        QVERIFY(!readZipkin(text, 2, &small).inParts);
        const zipkin::PartOptions any{.minInputBytes = std::size_t(text.size())};
        QVERIFY(readZipkin(text, 2, &any).inParts);
    }

    // Progress saying stop cancels the reading, on one thread (span by span) and on several.
    void cancelledByProgress()
    {
        const QByteArray text = test::readFile(
            test::generatedTrace(u"zipkin"_s, 9000, {u"--traces"_s, u"2"_s, u"--seed"_s, u"4"_s}));
        const std::string bytes = text.toStdString() + std::string(kInputPadding, '\0');
        for (const unsigned threads : {1u, 2u, 4u}) {
            DatasetBuilder builder;
            ImportReport report;
            report.setText(inputOf(bytes, threads).text());
            int calls = 0;
            report.onProgress = [&](std::uint64_t) { return ++calls < 2; };
            report.onPartProgress = [&](std::uint64_t, std::uint64_t, std::uint64_t) { return ++calls < 2; };
            const zipkin::PartOptions options{.partBytes = 4096, .minInputBytes = 0};
            QVERIFY_THROWS_EXCEPTION(ImportCancelled,
                                     zipkin::readSpansInParts(inputOf(bytes, threads), builder, report, options));
            QCOMPARE(calls, 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestZipkinParts)
#include "tst_zipkin_parts.moc"
