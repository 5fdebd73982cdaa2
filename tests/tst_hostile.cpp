// Untrusted input: whatever the bytes, loading ends with a clear error or a flagged model whose
// structure holds, never a crash or a hang.
#include <test_support.h>

#include <invariants.h>
#include <utf8_repair.h>

#include <QRandomGenerator>
#include <QTest>

using namespace spanwise;

namespace {

void verifySoundModel(const LoadResult& r, std::size_t inputSize)
{
    const std::string violation = findInvariantViolation(r.dataset);
    QVERIFY2(violation.empty(), violation.c_str());
    for (const Diagnostic& d : r.report.diagnostics)
        QVERIFY2(d.offset <= inputSize, d.message.c_str());
}

std::string jaegerSpan(int i, int parent)
{
    std::string refs = parent < 0
                           ? "[]"
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
        const QString twoTraces = test::generatedTrace(format, 300, {QStringLiteral("--traces"), QStringLiteral("2")});
        const std::string whole = test::readFile(twoTraces).toStdString();
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
        const char* prefixes[] = {
            "", "{", "[", "{\"data\":[", "{\"resourceSpans\":[", "[{\"traceId\":", "\x0a", "\x00\x00\x01\x00\x0a"};
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
        const std::string whole = test::readFile(test::generatedTrace(format, 100)).toStdString();
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
        QByteArray jaeger =
            R"({"data":[{"traceID":"1","spans":[{"traceID":"1","spanID":"1","tags":[{"key":"k","value":)";
        jaeger += QByteArray(depth, '[') + QByteArray(depth, ']') + "}]}]}]}";
        QTest::newRow("Jaeger tag value") << jaeger;
        QByteArray xray =
            R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"0000000000000001","start_time":1,)";
        for (int i = 0; i < depth; ++i)
            xray += R"("subsegments":[{"id":"0000000000000002","start_time":1,)";
        xray += R"("name":"x")";
        for (int i = 0; i < depth; ++i)
            xray += "}]";
        xray += "}";
        QTest::newRow("X-Ray subsegments") << xray;
        QTest::newRow("X-Ray metadata")
            << R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"1","start_time":1,"metadata":)" +
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

    void utf8Repair_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("repaired");
        QTest::addColumn<int>("replaced");
        const QByteArray fffd = "\xEF\xBF\xBD";
        QTest::newRow("valid, kept") << QByteArray("a\xC3\xA9\xF0\x9F\x98\x80")
                                     << QByteArray("a\xC3\xA9\xF0\x9F\x98\x80") << 0;
        QTest::newRow("stray continuation") << QByteArray("a\x80z") << "a" + fffd + "z" << 1;
        QTest::newRow("lead without continuation") << QByteArray("\xC3(") << fffd + "(" << 1;
        QTest::newRow("cut 4-byte sequence is one") << QByteArray("\xF0\x9F\x98!") << fffd + "!" << 1;
        QTest::newRow("overlong") << QByteArray("\xE0\x80\xAF") << fffd + fffd + fffd << 3;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << fffd + fffd + fffd << 3;
        QTest::newRow("beyond U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << fffd + fffd + fffd + fffd << 4;
        QTest::newRow("invalid bytes") << QByteArray("\xFF\xFE\xC0\xC1") << fffd + fffd + fffd + fffd << 4;
        QTest::newRow("at the end") << QByteArray("ok\xE2\x82") << "ok" + fffd << 1;
    }
    void utf8Repair()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, repaired);
        QFETCH(int, replaced);
        QCOMPARE(isValidUtf8(text.toStdString()), replaced == 0);
        FileBuffer out;
        const Utf8Repair repair(text.toStdString(), out);
        QVERIFY(repair.ok());
        QCOMPARE(QByteArray(out.input().data, static_cast<qsizetype>(out.input().size)), repaired);
        QCOMPARE(repair.replaced(), std::uint64_t(replaced));
        QCOMPARE(repair.originalOffset(repaired.size()), std::uint64_t(text.size()));
    }

    void invalidUtf8InNamesIsReplaced_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }
    void invalidUtf8InNamesIsReplaced()
    {
        QFETCH(QString, format);
        const std::string whole = test::readFile(test::generatedTrace(format, 50)).toStdString();
        std::string mangled = whole;
        const std::size_t first = mangled.find("\"frontend\"") + 1;
        int replaced = 0;
        for (std::size_t at = first; at != std::string::npos + 1; at = mangled.find("\"frontend\"", at) + 1, ++replaced)
            mangled.replace(at, 8, "front\xFF\xC3(end");
        const LoadResult before = test::loadText(whole, false);
        const LoadResult r = test::loadText(mangled, false);
        QCOMPARE(r.dataset.spans.size(), before.dataset.spans.size());
        const auto services = r.dataset.services(r.dataset.traces[0]);
        QVERIFY(std::find(services.begin(), services.end(), "front\xEF\xBF\xBD\xEF\xBF\xBD(end") != services.end());
        QCOMPARE(r.dataset.traces[0].warnings.back(),
                 std::to_string(2 * replaced) + " invalid UTF-8 sequence(s) in the file (the first at offset " +
                     std::to_string(first + 5) + ") are shown as U+FFFD");
    }

    void offsetsAfterReplacementAreTheFiles()
    {
        // The same error after two invalid bytes or two valid ones is at the same offset.
        const std::string broken = R"(,"spans":[{"spanID":"1","operationName":"o??p"}, @]}]})";
        std::string mangled = broken;
        mangled.replace(mangled.find("??"), 2, "\xFF\xFE");
        const std::string head = R"({"data":[{"traceID":"1")";
        const LoadResult valid = test::loadText(head + broken);
        const LoadResult repaired = test::loadText(head + mangled);
        QVERIFY(!valid.report.diagnostics.empty());
        QCOMPARE(repaired.report.diagnostics.front().offset, valid.report.diagnostics.front().offset);
        QCOMPARE(repaired.report.diagnostics.front().line, valid.report.diagnostics.front().line);
    }

    // Each gives a clear error or a flagged model, in time linear in the input.
    void hugeStructures_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("spans"); // -1: an error is expected
        const int million = 1000000;
        QTest::newRow("1M-deep arrays") << QByteArray(million, '[') + QByteArray(million, ']') << -1;
        const QByteArray spanHead =
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\","
            "\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\",";
        const QByteArray spanTail = "}]}]}]}";
        QByteArray attributes = spanHead + "\"name\":\"n\",\"attributes\":[";
        for (int i = 0; i < million; ++i)
            attributes += (i ? "," : "") +
                          ("{\"key\":\"k" + QByteArray::number(i) + "\",\"value\":{\"intValue\":\"1\"}}");
        QTest::newRow("1M attributes on a span") << attributes + "]" + spanTail << 1;
        QTest::newRow("64 MB name") << spanHead + "\"name\":\"" + QByteArray(64 << 20, 'x') + "\"" + spanTail << 1;
    }
    void hugeStructures()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, spans);
        const LoadResult r = test::loadText(std::string_view(text.constData(), text.size()));
        verifySoundModel(r, text.size());
        if (spans < 0) {
            QVERIFY(!r.complete());
        } else {
            QVERIFY2(r.complete(), r.errorText().c_str());
            QCOMPARE(r.dataset.spans.size(), std::size_t(spans));
        }
    }

    void manySpansSharingOneId()
    {
        std::vector<std::string> spans;
        for (int i = 0; i < 100000; ++i)
            spans.push_back(jaegerSpan(0, -1));
        const LoadResult r = test::loadText(jaegerTrace(spans), false);
        QCOMPARE(r.dataset.spans.size(), std::size_t(100000));
        QCOMPARE(r.dataset.traces[0].duplicateCount, 99999u);
        verifySoundModel(r, 0);
    }

    void deepSpanChainLoads()
    {
        constexpr int depth = 200000;
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
