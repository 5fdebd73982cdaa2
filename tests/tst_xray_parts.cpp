// AWS X-Ray read in parts on several threads (BatchGetTraces cut between Segments elements, documents
// one per line cut at line starts, the daemon's form before header lines) gives the dataset and report of reading it
// whole, down to string ids, ranges, order, warnings and diagnostics: also when what ties documents together
// (independent subsegments and their parents, documents in progress and their complete versions) lies in other parts,
// and when a document is broken. Anything the parts cannot repeat is left to the whole reading.
#include <test_support.h>

#include <invariants.h>
#include <same_model.h>
#include <xray_parts.h>

#include <QFile>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr const char* kTraceId = "1-5759e988-bd862e3fe1be46a994272793";
constexpr const char* kOtherTraceId = "1-5759e988-bd862e3fe1be46a994272794";

const xray::PartOptions kWhole{.minInputBytes = std::numeric_limits<std::uint64_t>::max()};
// A part for every element or line (tiny skeleton blocks too, so their seams fall everywhere).
const xray::PartOptions kTinyParts{.partBytes = 1, .minInputBytes = 0, .skeletonBlockBytes = 64};
const xray::PartOptions kSmallParts{.partBytes = 700, .minInputBytes = 0, .skeletonBlockBytes = 4096};

struct Read {
    ImportReport report;
    Dataset dataset;
    std::size_t partProgress = 0; // calls of onPartProgress: the input was read in parts
};

Read readXray(const std::string& text, unsigned threads, const xray::PartOptions& options)
{
    const std::string bytes = text + std::string(kInputPadding, '\0');
    const Input input{bytes.data(), text.size(), threads};
    Read read;
    read.report.onPartProgress = [&read](std::uint64_t, std::uint64_t, std::uint64_t) {
        ++read.partProgress;
        return true;
    };
    DatasetBuilder builder;
    xray::read(input, builder, read.report, options);
    read.report.setText({}); // the text goes away
    read.report.onPartProgress = nullptr;
    read.dataset = builder.finish(BuildOptions{.threads = 1});
    return read;
}

// Reads text whole and in parts of every size on 1, 2 and 4 threads, and checks they are twins.
// Returns the whole reading. partsExpected: the parts are used, not left to the whole reading (which
// they may have tried first).
Read verifyPartsRepeatWhole(const std::string& text, bool partsExpected = true)
{
    Read whole = readXray(text, 1, kWhole);
    for (const xray::PartOptions& options : {kTinyParts, kSmallParts}) {
        for (const unsigned threads : {1u, 2u, 4u}) {
            const Read parts = readXray(text, threads, options);
            verifySameModel(whole.dataset, parts.dataset);
            verifySameReport(whole.report, parts.report);
            if (partsExpected && threads > 1 && options.partBytes == 1 && parts.partProgress < 2)
                QTest::qFail("not read in parts", __FILE__, __LINE__);
            if (QTest::currentTestFailed()) {
                qWarning("differs on %u threads with parts of %llu bytes", threads,
                         static_cast<unsigned long long>(options.partBytes));
                return whole;
            }
        }
    }
    return whole;
}

std::string replaced(std::string text, std::string_view from, std::string_view to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// A segment document of trace kTraceId (TRACE in extra stands for it too); extra fields go before
// the closing brace.
std::string segment(const std::string& id, const std::string& name, int second, const std::string& extra = {})
{
    const std::string start = std::to_string(1500000000 + second);
    return replaced(R"({"trace_id":"TRACE","id":")" + id + R"(","name":")" + name + R"(","start_time":)" + start +
                        ".5" + extra + "}",
                    "TRACE", kTraceId);
}

std::string ended(int second)
{
    return R"(,"end_time":)" + std::to_string(1500000000 + second) + ".75";
}

// BatchGetTraces output: one trace object per list of documents.
std::string batch(const std::vector<std::vector<std::string>>& traces, const std::string& extraRoot = {})
{
    std::string out = R"({"Traces": [)";
    for (std::size_t t = 0; t < traces.size(); ++t) {
        out += (t ? ",\n" : "") + std::string(R"({"Id": "TRACE", "Duration": 1.25, "Segments": [)");
        for (std::size_t s = 0; s < traces[t].size(); ++s)
            out += (s ? ",\n  " : "\n  ") + std::string(R"({"Id": "seg)") + std::to_string(s) + R"(", "Document": )" +
                   quotedJson(traces[t][s]) + "}";
        out += "]}";
    }
    return replaced(out + R"(], "UnprocessedTraceIds": [])" + extraRoot + "}\n", "TRACE", kTraceId);
}

std::string lines(const std::vector<std::string>& documents)
{
    std::string out;
    for (const std::string& document : documents)
        out += document + "\n";
    return out;
}

// The daemon's form: a header line before each document, here spread over two lines.
std::string daemonForm(const std::vector<std::string>& documents)
{
    std::string out;
    for (const std::string& document : documents)
        out += R"({"format": "json", "version": 1})"
               "\n" +
               replaced(document, R"(,"start_time")", ",\n\"start_time\"") + "\n";
    return out;
}

// The documents in the form a test row names.
std::string inForm(const QString& form, const std::vector<std::string>& documents)
{
    if (form == u"lines"_s)
        return lines(documents);
    if (form == u"daemon"_s)
        return daemonForm(documents);
    return batch({documents});
}

void addForms()
{
    QTest::addColumn<QString>("form");
    QTest::newRow("BatchGetTraces") << u"batch"_s;
    QTest::newRow("lines") << u"lines"_s;
    QTest::newRow("daemon") << u"daemon"_s;
}

// Segments of five services, each with a subsegment: what lies between the documents a test ties together.
std::vector<std::string> fillers(int first, int count)
{
    std::vector<std::string> out;
    for (int n = first; n < first + count; ++n) {
        char id[17], sub[17];
        std::snprintf(id, sizeof id, "%016x", 0x1000 + n);
        std::snprintf(sub, sizeof sub, "%016x", 0x9000 + n);
        const std::string second = std::to_string(1500000000 + n);
        out.push_back(segment(id, "service-" + std::to_string(n % 5), n,
                              ended(n + 1) + R"(,"annotations":{"n":)" + std::to_string(n) +
                                  R"(},"subsegments":[{"id":")" + sub + R"(","name":"call-)" + std::to_string(n % 3) +
                                  R"(","start_time":)" + second + R"(.6,"end_time":)" + second + ".7}]"));
    }
    return out;
}

std::vector<std::string> joined(std::vector<std::vector<std::string>> pieces)
{
    std::vector<std::string> out;
    for (std::vector<std::string>& piece : pieces)
        out.insert(out.end(), piece.begin(), piece.end());
    return out;
}

// An independent subsegment (sent on its own) of parent, with a nested subsegment whose id is its
// own with the first digit f.
std::string independent(const std::string& id, const std::string& parent, int second)
{
    const std::string at = std::to_string(1500000000 + second);
    return segment(id, "independent-" + id.substr(14), second,
                   R"(,"type":"subsegment","parent_id":")" + parent + "\"" + ended(second) +
                       R"(,"subsegments":[{"id":"f)" + id.substr(1) + R"(","name":"inner","start_time":)" + at +
                       R"(.6,"end_time":)" + at + ".7}]");
}

std::string readFileText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll().toStdString();
}

} // namespace

class TestXrayParts : public QObject {
    Q_OBJECT
private slots:
    void generated_data()
    {
        QTest::addColumn<int>("spans");
        QTest::addColumn<QStringList>("args");
        QTest::newRow("one trace") << 3000 << QStringList{u"--traces"_s, u"1"_s, u"--seed"_s, u"2"_s};
        QTest::newRow("several traces") << 6000 << QStringList{u"--traces"_s, u"9"_s, u"--seed"_s, u"3"_s};
        QTest::newRow("skewed, errors") << 4000 << QStringList{u"--traces"_s, u"4"_s,         u"--seed"_s,
                                                               u"5"_s,        u"--skew-us"_s, u"40000"_s};
    }
    void generated()
    {
        QFETCH(int, spans);
        QFETCH(QStringList, args);
        const QString path = generatedTrace(u"xray"_s, spans, args);
        QVERIFY(!path.isEmpty());
        const Read whole = verifyPartsRepeatWhole(readFileText(path));
        QCOMPARE(whole.dataset.spans.size(), std::size_t(spans));
        QCOMPARE(whole.report.variant, std::string("batch-get-traces"));
    }

    // As lines and in the daemon's form, the same documents are cut at line starts, before headers.
    void generatedAsLinesAndDaemonForm()
    {
        const QString path = generatedTrace(u"xray"_s, 2000, {u"--traces"_s, u"3"_s, u"--seed"_s, u"4"_s});
        QVERIFY(!path.isEmpty());
        Read batchRead = readXray(readFileText(path), 1, kWhole);
        std::vector<std::string> documents;
        const std::string text = readFileText(path);
        // Every Document string of the file, unescaped.
        for (std::size_t at = text.find("\"Document\":"); at != std::string::npos;
             at = text.find("\"Document\":", at + 1)) {
            std::string document;
            for (std::size_t i = text.find('"', at + 11) + 1; text[i] != '"'; ++i)
                document += text[i] == '\\' ? text[++i] : text[i];
            documents.push_back(document);
        }
        const Read whole = verifyPartsRepeatWhole(lines(documents));
        QCOMPARE(whole.dataset.spans.size(), batchRead.dataset.spans.size());
        QCOMPARE(whole.report.variant, std::string("segment-documents"));
        const Read daemon = verifyPartsRepeatWhole(daemonForm(documents));
        QCOMPARE(daemon.dataset.spans.size(), batchRead.dataset.spans.size());
    }

    void fixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("array with in-progress and inferred") << u"xray/in-progress-and-inferred.json"_s;
        QTest::newRow("BatchGetTraces sample") << u"samples/xray-batch-get-traces.json"_s;
        QTest::newRow("daemon form") << u"samples/xray-daemon-server.txt"_s;
        QTest::newRow("in progress, daemon form") << u"samples/xray-in-progress.txt"_s;
    }
    void fixtures()
    {
        QFETCH(QString, file);
        const std::string text = readFileText(dataPath(file));
        const Read whole = verifyPartsRepeatWhole(text, file.contains(u"batch"_s)); // the others: one document
        QVERIFY(!whole.dataset.spans.empty());
    }

    void severalTraces()
    {
        const std::string other = replaced(segment("00000000000000a1", "billing", 3, ended(4)), kTraceId,
                                           kOtherTraceId);
        const Read whole = verifyPartsRepeatWhole(batch({fillers(0, 6), {other}, fillers(6, 5)}));
        QCOMPARE(whole.dataset.traces.size(), std::size_t(2));
    }

    // The subsegment's service is its parent's, found at the end whichever part the parent is in.
    void independentSubsegmentsInOtherParts_data() { addForms(); }
    void independentSubsegmentsInOtherParts()
    {
        QFETCH(QString, form);
        const std::vector<std::string> documents = joined({
            {independent("00000000000000b1", "0000000000001003", 40)}, // its parent comes later
            fillers(0, 8),
            {independent("00000000000000b2", "0000000000001001", 41)}, // its parent came before
            {independent("00000000000000b3", "f0000000000000b2", 42)},
            {independent("00000000000000b4", "0000000000000fff", 43)}, // no parent in the file
            fillers(8, 3),
        });
        const Read whole = verifyPartsRepeatWhole(inForm(form, documents));
        QCOMPARE(whole.dataset.spans.size(), std::size_t(2 * 11 + 2 * 4));
        const Dataset& d = whole.dataset;
        const Span* b1 = findSpan(d, 0xb1);
        QVERIFY(b1);
        QCOMPARE(d.str(d.resources[b1->resource].service), std::string_view("service-3"));
        QCOMPARE(d.str(d.resources[findSpan(d, 0xb4)->resource].service), std::string_view("unknown_service"));
    }

    // A document sent while in progress is dropped when its complete version comes, in any part.
    void inProgressCompletedInAnotherPart_data() { addForms(); }
    void inProgressCompletedInAnotherPart()
    {
        QFETCH(QString, form);
        const std::string open = segment("00000000000000c1", "mailer", 50, R"(,"in_progress":true)");
        const std::string done = segment("00000000000000c1", "mailer", 50, ended(51));
        const std::string neverDone = segment("00000000000000c2", "queue", 52, R"(,"in_progress":true)");
        const std::vector<std::string> documents = joined({{open}, fillers(0, 7), {done, neverDone}, fillers(7, 2)});
        const Read whole = verifyPartsRepeatWhole(inForm(form, documents));
        const Dataset& d = whole.dataset;
        QCOMPARE(d.spans.size(), std::size_t(2 * 9 + 2));
        QVERIFY(!findSpan(d, 0xc1)->has(MarkInProgress));
        QVERIFY(findSpan(d, 0xc2)->has(MarkInProgress));
    }

    // A Document string that is broken, in the middle: reported where the whole reading reports it,
    // and the documents after it are read.
    void brokenDocumentInTheMiddle()
    {
        std::vector<std::string> documents = joined({fillers(0, 5),
                                                     {R"({"id": "00000000000000d1", "name": )"},
                                                     {segment("00000000000000d2", "api", 60, R"(,"end_time":"soon")")},
                                                     fillers(5, 5)});
        const Read whole = verifyPartsRepeatWhole(batch({documents}));
        QCOMPARE(whole.report.diagnostics.size(), std::size_t(2));
        QVERIFY(whole.report.diagnostics[0].line > 1);
        QCOMPARE(whole.dataset.spans.size(), std::size_t(2 * 10 + 1));
    }

    void brokenDaemonDocumentInTheMiddle()
    {
        const std::vector<std::string> documents = joined(
            {fillers(0, 5), {R"({"id": "00000000000000d1", "name": )"}, fillers(5, 5)});
        const Read whole = verifyPartsRepeatWhole(daemonForm(documents));
        QVERIFY(!whole.report.diagnostics.empty());
        // Five fillers of four lines each (a header, a document on three), a header, the broken one.
        QCOMPARE(whole.report.diagnostics[0].line, std::uint64_t(5 * 4 + 2));
        QCOMPARE(whole.dataset.spans.size(), std::size_t(2 * 10));
    }

    void brokenLineInTheMiddle()
    {
        const std::vector<std::string> documents = joined(
            {fillers(0, 5), {R"({"id": "00000000000000d1", "name": )"}, fillers(5, 5)});
        const Read whole = verifyPartsRepeatWhole(lines(documents));
        QCOMPARE(whole.report.diagnostics.size(), std::size_t(1));
        QCOMPARE(whole.report.diagnostics[0].line, std::uint64_t(6));
        QCOMPARE(whole.dataset.spans.size(), std::size_t(2 * 10));
    }

    // What the parts cannot repeat exactly is read whole: the report says what the whole reading says.
    void unusualBatchesAreReadWhole_data()
    {
        QTest::addColumn<QString>("text");
        const std::string good = batch({fillers(0, 4)});
        const std::string element = R"({"Id": "seg1", "Document": )";
        QTest::newRow("broken JSON in a segment")
            << QString::fromStdString(replaced(good, element, R"({"Id": "seg1" "Document": )"));
        QTest::newRow("segment that is no object")
            << QString::fromStdString(replaced(good, element, "null, " + element));
        QTest::newRow("member the wrapper does not have")
            << QString::fromStdString(batch({fillers(0, 4)}, R"(, "x": 1)"));
        QTest::newRow("id on the wrapper") << QString::fromStdString(batch({fillers(0, 4)}, R"(, "id": "1")"));
        QTest::newRow("Segments not an array")
            << QString::fromStdString(replaced(good, R"("Duration": 1.25,)", R"("Segments": 5, "Duration": 1.25,)"));
        QTest::newRow("cut off") << QString::fromStdString(good.substr(0, good.size() - 200));
        QTest::newRow("content after") << QString::fromStdString(good + "{}");
    }
    void unusualBatchesAreReadWhole()
    {
        QFETCH(QString, text);
        const Read whole = verifyPartsRepeatWhole(text.toStdString(), false);
        QVERIFY(!whole.dataset.spans.empty());
    }

    void getTraceSummaries()
    {
        const std::string text = replaced(
            R"({"TraceSummaries": [{"Id": "TRACE", "Duration": 0.5, "HasError": false}], "ApproximateTime": 1.5})"
            "\n",
            "TRACE", kTraceId);
        const Read whole = verifyPartsRepeatWhole(text, false);
        QVERIFY(whole.report.hasErrors());
        QVERIFY(whole.dataset.spans.empty());
    }

    void cancelledThroughProgress_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::newRow("one thread") << 1u;
        QTest::newRow("two threads") << 2u;
    }
    void cancelledThroughProgress()
    {
        QFETCH(unsigned, threads);
        const QString path = generatedTrace(u"xray"_s, 24000, {u"--traces"_s, u"2"_s, u"--seed"_s, u"6"_s});
        QVERIFY(!path.isEmpty());
        const std::string text = readFileText(path) + std::string(kInputPadding, '\0');
        const Input input{text.data(), text.size() - kInputPadding, threads};
        for (const xray::PartOptions& options : {kWhole, kSmallParts}) {
            int asked = 0;
            ImportReport report;
            report.onProgress = [&asked](std::uint64_t) { return ++asked < 2; };
            report.onPartProgress = [&asked](std::uint64_t, std::uint64_t, std::uint64_t) { return ++asked < 2; };
            DatasetBuilder builder;
            QVERIFY_THROWS_EXCEPTION(ImportCancelled, xray::read(input, builder, report, options));
            QCOMPARE(asked, 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestXrayParts)
#include "tst_xray_parts.moc"
