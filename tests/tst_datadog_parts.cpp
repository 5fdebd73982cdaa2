// Datadog lists read in parts on several threads: the dataset and report are those of the whole
// reading, span for span and string for string, on any number of threads; anything the parts cannot
// repeat exactly is read whole.
#include <test_support.h>

#include <datadog_importer.h>
#include <same_model.h>

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

struct Read {
    Dataset dataset;
    ImportReport report;
    std::size_t parts = 0; // as onPartProgress saw them: 0 when not read in parts on threads
};

constexpr DatadogPartOptions kWhole{.partBytes = 0, .minInputBytes = std::uint64_t(1) << 62};

Read read(const std::string& text, unsigned threads, const DatadogPartOptions& options)
{
    const std::string padded = text + std::string(kInputPadding, '\0');
    DatasetBuilder builder;
    Read result;
    result.report.onPartProgress = [&result](std::uint64_t, std::uint64_t, std::uint64_t) {
        ++result.parts;
        return true;
    };
    readDatadog(Input{padded.data(), text.size(), threads}, builder, result.report, options);
    result.dataset = builder.finish({.threads = 1});
    return result;
}

std::string span(int trace, int id, int parent, const std::string& meta = {})
{
    return "{\"trace_id\":" + std::to_string(trace) + ",\"span_id\":" + std::to_string(id) +
           ",\"parent_id\":" + std::to_string(parent) + ",\"name\":\"op-" + std::to_string(id % 7) +
           "\",\"service\":\"svc-" + std::to_string(id % 5) + "\",\"resource\":\"GET /item/" + std::to_string(id % 11) +
           "\",\"type\":\"web\",\"start\":" + std::to_string(1'700'000'000'000'000'000 + id * 1000) +
           ",\"duration\":" + std::to_string(500 + id % 300) + ",\"meta\":{" + meta + "}}";
}

std::string tid(const char* high)
{
    return "\"_dd.p.tid\":\"" + std::string(high) + "\"";
}

// Lists of three traces whose spans are spread over many lists and parts; the upper trace id half of
// trace 1 is learnt only in its last list, that of trace 2 in its first, trace 3 has none; empty
// lists stand between, and with mixed, loose spans too (a shape read whole).
std::string spreadTraces(bool mixed = false)
{
    std::string text = "[\n";
    int id = 1;
    for (int list = 0; list < 30; ++list) {
        text += list ? ",\n[" : "[";
        for (int i = 0; i < 12; ++i, ++id) {
            const int trace = 1 + (list + i) % 3;
            const std::string meta = trace == 1 && list == 29 && i == 10 ? tid("00000000000000aa")
                                     : trace == 2 && id < 6              ? tid("00000000000000bb")
                                                            : "\"k\":\"v-" + std::to_string(id % 13) + "\"";
            text += (i ? "," : "") + span(trace, id, i == 0 ? 0 : id - 1, meta);
        }
        text += "]";
        if (list % 7 == 3)
            text += mixed ? ", " + span(3, 10'000 + list, 1) + ",[]" : ",[]";
    }
    return text + "\n]\n";
}

QString fileText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestDatadogParts : public QObject {
    Q_OBJECT

private slots:
    void sameAsWholeReading_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("partBytes");
        QTest::addColumn<bool>("inParts");
        const QString generated = fileText(generatedTrace(u"datadog"_s, 6000, {u"--traces"_s, u"9"_s}));
        QTest::newRow("generated, 64 KiB parts") << generated << quint64(64 << 10) << true;
        QTest::newRow("generated, one span per part") << generated << quint64(1) << true;
        QTest::newRow("spread traces, tiny parts") << QString::fromStdString(spreadTraces()) << quint64(700) << true;
        QTest::newRow("flat list") << QString::fromStdString("[" + span(5, 1, 0) + "," + span(5, 2, 1, tid("0c")) +
                                                             "," + span(6, 3, 0) + "]")
                                   << quint64(1) << true;
        QTest::newRow("lists and loose spans") << QString::fromStdString(spreadTraces(true)) << quint64(700) << false;
    }

    void sameAsWholeReading()
    {
        QFETCH(QString, text);
        QFETCH(quint64, partBytes);
        QFETCH(bool, inParts);
        QVERIFY(!text.isEmpty());
        const std::string input = text.toStdString();
        const Read whole = read(input, 1, kWhole);
        QVERIFY(!whole.dataset.spans.empty());
        QVERIFY(!whole.report.hasErrors());
        for (unsigned threads : {1u, 2u, 4u}) {
            const Read parts = read(input, threads, {.partBytes = partBytes, .minInputBytes = 0});
            if (threads > 1)
                QCOMPARE(parts.parts > 1, inParts);
            verifySameModel(whole.dataset, parts.dataset);
            verifySameReport(whole.report, parts.report);
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(u"differs on %1 threads"_s.arg(threads)));
        }
    }

    // Upper halves learnt anywhere: every span of a trace ends up under the full 128-bit id.
    void upperHalvesLearntInLaterParts()
    {
        const Read parts = read(spreadTraces(), 2, {.partBytes = 700, .minInputBytes = 0});
        QCOMPARE(parts.dataset.traces.size(), std::size_t(3));
        std::vector<TraceId> ids;
        for (const Trace& trace : parts.dataset.traces)
            ids.push_back(trace.id);
        QVERIFY(std::find(ids.begin(), ids.end(), TraceId{0xaa, 1}) != ids.end());
        QVERIFY(std::find(ids.begin(), ids.end(), TraceId{0xbb, 2}) != ids.end());
        QVERIFY(std::find(ids.begin(), ids.end(), TraceId{0, 3}) != ids.end());
        QCOMPARE(parts.report.variant, "traces");
        QCOMPARE(read(spreadTraces(true), 2, {.partBytes = 700, .minInputBytes = 0}).report.variant, "traces+spans");
    }

    // What the parts cannot repeat exactly is read whole, with the same report.
    void irregularInputIsReadWhole_data()
    {
        QTest::addColumn<QString>("text");
        const std::string a = span(1, 1, 0), b = span(1, 2, 1), c = span(2, 3, 0);
        const auto row = [](const char* name, const std::string& text) {
            QTest::newRow(name) << QString::fromStdString(text);
        };
        row("a number among the lists", "[[" + a + "],7,[" + b + "]]");
        row("a list in a list", "[[" + a + ",[" + b + "]]]");
        row("a span without span_id", "[[" + a + ",{\"trace_id\":4,\"name\":\"x\"}," + c + "]]");
        row("a field of the wrong type", "[[" + a + ",{\"trace_id\":\"x\",\"span_id\":9}," + c + "]]");
        row("text after the list", "[[" + a + "," + b + "]] trailing");
        row("cut off", "[[" + a + "," + b + "],[" + c.substr(0, 40));
        row("a missing comma", "[[" + a + " " + b + "]]");
        row("an object at the top", "{\"traces\":[[" + a + "]]}");
    }

    void irregularInputIsReadWhole()
    {
        QFETCH(QString, text);
        const std::string input = text.toStdString();
        const Read whole = read(input, 1, kWhole);
        QVERIFY(!whole.report.diagnostics.empty());
        for (unsigned threads : {1u, 2u}) {
            const Read parts = read(input, threads, {.partBytes = 1, .minInputBytes = 0});
            verifySameModel(whole.dataset, parts.dataset);
            verifySameReport(whole.report, parts.report);
        }
    }
};

QTEST_APPLESS_MAIN(TestDatadogParts)
#include "tst_datadog_parts.moc"
