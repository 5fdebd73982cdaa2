// Untrusted input: whatever the bytes, loading ends with a clear error or a flagged model whose
// structure holds, never a crash or a hang.
#include <test_support.h>

#include <invariants.h>

#include <QRandomGenerator>
#include <QTest>

using namespace spanwise;

namespace {

std::string readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll().toStdString();
}

void verifySoundModel(const LoadResult& r, std::size_t inputSize)
{
    const std::string violation = findInvariantViolation(r.dataset);
    QVERIFY2(violation.empty(), violation.c_str());
    for (const Diagnostic& d : r.report.diagnostics)
        QVERIFY2(d.offset <= inputSize, d.message.c_str());
}

std::string jaegerSpan(int i, int parent)
{
    std::string refs = parent < 0 ? "[]"
                                   : R"([{"refType":"CHILD_OF","traceID":"00000000000000000000000000000abc","spanID":")" +
                                         toHex(SpanId(parent + 1)) + "\"}]";
    return R"({"traceID":"00000000000000000000000000000abc","spanID":")" + toHex(SpanId(i + 1)) +
           R"(","operationName":"op","references":)" + refs + R"(,"startTime":)" + std::to_string(1000 + i) +
           R"(,"duration":)" + std::to_string(1'000'000 - i) + R"(,"processID":"p1"})";
}

std::string jaegerTrace(const std::vector<std::string>& spans)
{
    std::string text = R"({"data":[{"traceID":"00000000000000000000000000000abc","spans":[)";
    for (std::size_t i = 0; i < spans.size(); ++i)
        text += (i ? "," : "") + spans[i];
    return text + R"(],"processes":{"p1":{"serviceName":"svc","tags":[]}}}]})";
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT
private slots:
    void truncatedFiles_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl", "otlp-proto", "xray", "datadog"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }
    void truncatedFiles()
    {
        QFETCH(QString, format);
        const std::string whole = readAll(test::generatedTrace(format, 300, {QStringLiteral("--traces"), QStringLiteral("2")}));
        const LoadResult complete = test::loadText(whole, false);
        QCOMPARE(complete.dataset.spans.size(), std::size_t(300));
        const std::size_t cuts = 150;
        for (std::size_t i = 1; i < cuts; ++i) {
            const std::size_t at = whole.size() * i / cuts;
            const LoadResult r = test::loadText(std::string_view(whole).substr(0, at));
            verifySoundModel(r, at);
            QVERIFY2(!r.complete() || r.dataset.spans.size() == 300, qPrintable(QStringLiteral("cut at %1").arg(at)));
            QVERIFY(r.dataset.spans.size() <= 300);
        }
        // Cut near the end, most of the spans survive.
        const LoadResult nearEnd = test::loadText(std::string_view(whole).substr(0, whole.size() * 9 / 10));
        QVERIFY(!nearEnd.complete());
        QVERIFY2(nearEnd.dataset.spans.size() >= 200, qPrintable(QString::number(nearEnd.dataset.spans.size())));
    }

    void randomBytes()
    {
        QRandomGenerator rng(42);
        const char* prefixes[] = {"", "{", "[", "{\"data\":[", "{\"resourceSpans\":[", "[{\"traceId\":", "\x0a", "\x00\x00\x01\x00\x0a"};
        for (int round = 0; round < 2000; ++round) {
            std::string bytes = prefixes[round % std::size(prefixes)];
            const int length = rng.bounded(1, 400);
            for (int i = 0; i < length; ++i)
                bytes.push_back(static_cast<char>(rng.bounded(256)));
            const LoadResult r = test::loadText(bytes);
            verifySoundModel(r, bytes.size());
        }
    }

    void mutatedFiles_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-proto", "xray", "datadog"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }
    void mutatedFiles()
    {
        QFETCH(QString, format);
        const std::string whole = readAll(test::generatedTrace(format, 100));
        QRandomGenerator rng(7);
        for (int round = 0; round < 400; ++round) {
            std::string bytes = whole;
            for (int flips = rng.bounded(1, 8); flips > 0; --flips)
                bytes[rng.bounded(static_cast<int>(bytes.size()))] = static_cast<char>(rng.bounded(256));
            const LoadResult r = test::loadText(bytes);
            verifySoundModel(r, bytes.size());
        }
    }

    void deepNesting_data()
    {
        QTest::addColumn<QByteArray>("text");
        const int depth = 100000;
        QTest::newRow("arrays") << QByteArray(depth, '[') + QByteArray(depth, ']');
        QByteArray otlp = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":)";
        for (int i = 0; i < depth; ++i)
            otlp += R"({"arrayValue":{"values":[)";
        otlp += R"({"stringValue":"x"})";
        for (int i = 0; i < depth; ++i)
            otlp += "]}}";
        otlp += "}]}}]}";
        QTest::newRow("OTLP array values") << otlp;
        QByteArray jaeger = R"({"data":[{"traceID":"1","spans":[{"traceID":"1","spanID":"1","tags":[{"key":"k","value":)";
        jaeger += QByteArray(depth, '[') + QByteArray(depth, ']') + "}]}]}]}";
        QTest::newRow("Jaeger tag value") << jaeger;
        QByteArray xray = R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"0000000000000001","start_time":1,)";
        for (int i = 0; i < depth; ++i)
            xray += R"("subsegments":[{"id":"0000000000000002","start_time":1,)";
        xray += R"("name":"x")";
        for (int i = 0; i < depth; ++i)
            xray += "}]";
        xray += "}";
        QTest::newRow("X-Ray subsegments") << xray;
        QTest::newRow("X-Ray metadata") << R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"1","start_time":1,"metadata":)" +
                                               QByteArray(depth, '{').replace("{", "{\"a\":") + "1" + QByteArray(depth, '}') + "}";
        QTest::newRow("Datadog span event values")
            << R"([[{"trace_id":1,"span_id":1,"service":"s","span_events":[{"name":"e","attributes":{"k":)" +
                   QByteArray().fill('x', 0) + QByteArray(depth, '{').replace("{", R"({"array_value":{"values":[)") +
                   "1" + QByteArray(depth, ']').replace("]", "]}}") + "}}]}]]";
    }
    void deepNesting()
    {
        QFETCH(QByteArray, text);
        const LoadResult r = test::loadText(text.toStdString());
        verifySoundModel(r, text.size());
        QVERIFY(!r.complete());
    }

    void deepSpanChainLoads()
    {
        constexpr int depth = 100000;
        std::vector<std::string> spans;
        for (int i = 0; i < depth; ++i)
            spans.push_back(jaegerSpan(i, i - 1));
        const LoadResult r = test::loadText(jaegerTrace(spans), false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(depth));
        QCOMPARE(r.dataset.spans.back().depth, std::uint32_t(depth - 1));
        verifySoundModel(r, 0);
    }

    void cyclesAndDuplicatesInAFile()
    {
        // 1 → 2 → 3 → 1 and a second span with id 4.
        const std::vector<std::string> spans = {jaegerSpan(0, 2), jaegerSpan(1, 0), jaegerSpan(2, 1), jaegerSpan(3, -1),
                                                jaegerSpan(3, -1)};
        const LoadResult r = test::loadText(jaegerTrace(spans), false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(5));
        QCOMPARE(r.dataset.traces[0].cycleCount, 1u);
        QCOMPARE(r.dataset.traces[0].duplicateCount, 1u);
        verifySoundModel(r, 0);
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
