// `spanwise record`: its options, the file it writes when stopped by SIGINT, SIGTERM or --idle, the
// cap on spans, and that nothing acknowledged is lost when it is stopped mid-stream.
#include <test_support.h>

#include <live_store.h>
#include <recording_process.h>
#include <same_spans.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <set>
#include <thread>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

const QByteArray kJson = "application/json";
const QByteArray kOtlpPath = "/v1/traces";

// One OTLP JSON request: `count` spans of trace `trace` from service `service`, ids from firstId on, the
// first the parent of the others (a root when it is span 1).
QByteArray otlpSpans(int trace, int firstId, int count, const char* service = "checkout")
{
    QByteArray spans;
    for (int i = 0; i < count; ++i) {
        const int id = firstId + i;
        const int parent = i == 0 ? (id == 1 ? 0 : 1) : firstId;
        spans += (i ? "," : "") + QByteArray(R"({"traceId":")") +
                 QByteArray::number(trace, 16).rightJustified(32, '0') + R"(","spanId":")" +
                 QByteArray::number(id, 16).rightJustified(16, '0') + '"' +
                 (parent ? R"(,"parentSpanId":")" + QByteArray::number(parent, 16).rightJustified(16, '0') + '"'
                         : QByteArray()) +
                 R"(,"name":"op )" + QByteArray::number(id) + R"(","kind":2,"startTimeUnixNano":")" +
                 QByteArray::number(1767225600000000000ll + id * 1000000ll) + R"(","endTimeUnixNano":")" +
                 QByteArray::number(1767225600000500000ll + id * 1000000ll) +
                 R"(","attributes":[{"key":"n","value":{"intValue":")" + QByteArray::number(id) + R"("}}]})";
    }
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")" +
           QByteArray(service) + R"("}}]},"scopeSpans":[{"scope":{"name":"test"},"spans":[)" + spans + "]}]}]}";
}

const QByteArray kZipkinSpans = R"([{"traceId":"00000000000000000000000000000077","id":"0000000000000071",
  "name":"get /cart","kind":"SERVER","timestamp":1767225600000000,"duration":2000,
  "localEndpoint":{"serviceName":"cart"},"tags":{"http.method":"GET"}},
 {"traceId":"00000000000000000000000000000077","id":"0000000000000072","parentId":"0000000000000071",
  "name":"redis get","kind":"CLIENT","timestamp":1767225600000500,"duration":300,
  "localEndpoint":{"serviceName":"cart"}}])";

// The dataset the recorder must have written for these payloads: each read as the receivers read them,
// put together by a live store.
Dataset expectedCapture(const QList<QByteArray>& payloads)
{
    LiveStore store;
    for (const QByteArray& payload : payloads) {
        LoadOptions options;
        options.build.adjustClockSkew = false;
        store.add(loadBytes(payload.toStdString(), "payload", options).dataset);
    }
    return store.snapshot();
}

QStringList portZeroEndpoints()
{
    return {u"--otlp-grpc"_s, u"127.0.0.1:0"_s, u"--otlp-http"_s, u"127.0.0.1:0"_s, u"--zipkin"_s, u"127.0.0.1:0"_s};
}

std::set<SpanId> spanIds(const Dataset& data)
{
    std::set<SpanId> ids;
    for (const Span& s : data.spans)
        ids.insert(s.id);
    return ids;
}

} // namespace

class TestRecordCli : public QObject {
    Q_OBJECT
private slots:
    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no output") << QStringList{} << u"no output file given"_s;
        QTest::newRow("other extension") << QStringList{u"-o"_s, u"run.json"_s} << u"must end in .otlp.pb"_s;
        QTest::newRow("unknown option") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--jaeger"_s, u"x"_s}
                                        << u"unknown option --jaeger"_s;
        QTest::newRow("idle zero") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--idle"_s, u"0"_s}
                                   << u"--idle takes a number of seconds"_s;
        QTest::newRow("idle text") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--idle"_s, u"soon"_s}
                                   << u"--idle takes a number of seconds"_s;
        QTest::newRow("max spans") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--max-spans"_s, u"-3"_s}
                                   << u"--max-spans takes a number of spans"_s;
        QTest::newRow("empty address") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--zipkin="_s}
                                       << u"--zipkin takes an address host:port"_s;
        QTest::newRow("address without port") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--otlp-grpc"_s, u"localhost"_s}
                                              << u"--otlp-grpc takes an address host:port"_s;
        QTest::newRow("port out of range")
            << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"--otlp-http"_s, u"127.0.0.1:70000"_s}
            << u"\"70000\" in \"127.0.0.1:70000\" is not a port"_s;
        QTest::newRow("stray argument") << QStringList{u"-o"_s, u"a.otlp.pb"_s, u"b.json"_s}
                                        << u"unexpected argument b.json"_s;
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const test::ProcessRun run = test::runSpanwise(QStringList{u"record"_s} + args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.err.contains("usage: spanwise record"));
        QVERIFY(run.out.isEmpty());
    }

    void helpPrintsTheOptions()
    {
        const test::ProcessRun run = test::runSpanwise({u"record"_s, u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("--otlp-grpc ADDR") && run.out.contains("--idle SECONDS"));
        QVERIFY(run.err.isEmpty());
    }

    void unwritableOutputFailsBeforeListening()
    {
        const test::ProcessRun run = test::runSpanwise(
            QStringList{u"record"_s, u"-o"_s, u"/nonexistent/dir/run.otlp.pb"_s} + portZeroEndpoints());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("cannot write /nonexistent/dir/run.otlp.pb"), run.err.constData());
        QVERIFY(!run.err.contains("listening"));
    }

    // Listening beyond loopback is allowed when asked for, with a warning; the spans still arrive.
    void nonLoopbackAddressIsWarnedAbout()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"open.otlp.pb"_s);
        test::RecordingProcess recorder;
        QVERIFY2(recorder.start({u"-o"_s, out, u"--zipkin"_s, u"0.0.0.0:0"_s}, 1), recorder.err().constData());
        QVERIFY2(recorder.err().startsWith("spanwise record: warning: Zipkin listens on 0.0.0.0:0, not only on this "
                                           "machine: anyone who can reach it over the network can send spans to it\n"),
                 recorder.err().constData());
        const QString port = recorder.address(u"zipkin"_s).section(u':', -1);
        QVERIFY(recorder.address(u"zipkin"_s).startsWith("0.0.0.0:"_L1) && port.toInt() > 0);
        QCOMPARE(test::postHttp(u"127.0.0.1:"_s + port, "/api/v2/spans", kJson, kZipkinSpans), 202);
        QVERIFY(recorder.stop(SIGINT));
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(test::load(out).dataset.spans.size(), 2u);
    }

    void addressInUseIsAnError()
    {
        QTemporaryDir dir;
        test::RecordingProcess first;
        QVERIFY(first.start({u"-o"_s, dir.filePath(u"a.otlp.pb"_s), u"--otlp-http"_s, u"127.0.0.1:0"_s}, 1));
        const test::ProcessRun second = test::runSpanwise(
            {u"record"_s, u"-o"_s, dir.filePath(u"b.otlp.pb"_s), u"--otlp-http"_s, first.address(u"otlp-http"_s)});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(first.address(u"otlp-http"_s).toLatin1()), second.err.constData());
        QVERIFY(!second.err.contains("listening"));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"b.otlp.pb"_s)));
        QVERIFY(first.stop(SIGINT));
        QCOMPARE(first.exitCode(), 0);
    }

    void recordsUntilSigint_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("format");
        QTest::newRow("protobuf") << u"run.otlp.pb"_s << u"otlp-proto"_s;
        QTest::newRow("JSON lines") << u"run.otlp.jsonl"_s << u"otlp-json"_s;
    }
    void recordsUntilSigint()
    {
        QFETCH(QString, name);
        QFETCH(QString, format);
        QTemporaryDir dir;
        const QString out = dir.filePath(name);
        test::RecordingProcess recorder;
        QVERIFY2(recorder.start(QStringList{u"-o"_s, out} + portZeroEndpoints(), 3), recorder.err().constData());
        for (const char* endpoint : {"otlp-grpc", "otlp-http", "zipkin"})
            QVERIFY(recorder.address(QLatin1String(endpoint)).startsWith("127.0.0.1:"_L1));
        QVERIFY(recorder.address(u"otlp-http"_s) != recorder.address(u"zipkin"_s));

        // Trace 1 from two services in two requests, trace 2 in a third; Zipkin spans of trace 0x77.
        const QList<QByteArray> otlp = {otlpSpans(1, 1, 3, "frontend"), otlpSpans(2, 20, 2),
                                        otlpSpans(1, 10, 2, "checkout")};
        for (const QByteArray& body : otlp)
            QCOMPARE(test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, body), 200);
        const int zipkinStatus = test::postHttp(recorder.address(u"zipkin"_s), "/api/v2/spans", kJson, kZipkinSpans);
        QVERIFY2(zipkinStatus == 202, QByteArray::number(zipkinStatus));

        QVERIFY(recorder.stop(SIGINT));
        QVERIFY(!recorder.crashed());
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(recorder.errBesidesListening(), QByteArray());
        QVERIFY2(recorder.out().startsWith("recorded 9 spans in 3 traces from 4 requests (otlp-grpc 0, otlp-http 3, "
                                           "zipkin 1), stopped by SIGINT\n"),
                 recorder.out().constData());
        QVERIFY(recorder.out().contains(QByteArray(out.toUtf8() + "  [" + format.toUtf8()))); // the summary table
        QVERIFY(recorder.out().contains("00000000000000000000000000000077"));

        const LoadResult written = test::load(out);
        QCOMPARE(QString::fromStdString(written.format), format);
        test::verifySameSpans(expectedCapture(otlp + QList<QByteArray>{kZipkinSpans}), written.dataset);
        QCOMPARE(written.dataset.findTrace({0, 1})->count, 5u);
        QCOMPARE(written.dataset.findTrace({0, 1})->orphanCount, 0u);
    }

    void nothingReceivedStillWritesAFile()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"empty.otlp.pb"_s);
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s}, 1));
        QVERIFY(recorder.stop(SIGTERM));
        QCOMPARE(recorder.exitCode(), 0);
        QVERIFY(recorder.out().contains("recorded 0 spans in 0 traces from 0 requests"));
        QVERIFY(recorder.out().contains("stopped by SIGTERM"));
        const LoadResult written = test::load(out);
        QVERIFY(written.dataset.traces.empty());
    }

    // An existing OUT stays as it was while recording and is replaced whole when the recorder stops.
    void existingOutputIsReplacedOnlyWhenStopped()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"kept.otlp.jsonl"_s);
        QFile previous(out);
        QVERIFY(previous.open(QIODevice::WriteOnly) && previous.write("last week's capture\n") > 0);
        previous.close();
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s}, 1));
        QCOMPARE(test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, otlpSpans(4, 1, 3)), 200);
        QCOMPARE(test::readFile(out), QByteArray("last week's capture\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"kept.otlp.jsonl"_s});
        QVERIFY(recorder.stop(SIGINT));
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(test::load(out).dataset.spans.size(), 3u);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"kept.otlp.jsonl"_s}); // no temporary left
    }

    // Spans keep coming while SIGTERM arrives: every span the recorder acknowledged is in the file.
    void sigtermMidStreamLosesNothingAcknowledged()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"stream.otlp.pb"_s);
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s}, 1));
        const QString address = recorder.address(u"otlp-http"_s);
        constexpr int kSenders = 3;
        constexpr int kSpansPerRequest = 4;
        std::atomic<int> acknowledged = 0;
        std::atomic<int> refusedAfterStop = 0;
        std::vector<std::vector<int>> acked(kSenders); // first span id of each acknowledged request
        std::vector<std::thread> senders;
        for (int s = 0; s < kSenders; ++s) {
            senders.emplace_back([&, s] {
                for (int n = 0;; ++n) {
                    const int first = 2 + (s * 100000 + n) * kSpansPerRequest;
                    const int status = test::postHttp(address, kOtlpPath, kJson,
                                                      otlpSpans(100 + n % 50, first, kSpansPerRequest));
                    if (status == 200) {
                        acked[s].push_back(first);
                        ++acknowledged;
                    } else if (status == 0) { // the recorder stopped listening
                        ++refusedAfterStop;
                        return;
                    }
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged > 60, 30000);
        QVERIFY(recorder.stop(SIGTERM));
        for (std::thread& t : senders)
            t.join();
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(recorder.errBesidesListening(), QByteArray());
        QCOMPARE(refusedAfterStop.load(), kSenders);
        const LoadResult written = test::load(out);
        const std::set<SpanId> ids = spanIds(written.dataset);
        int missing = 0;
        for (const std::vector<int>& firsts : acked) {
            for (const int first : firsts) {
                for (int i = 0; i < kSpansPerRequest; ++i)
                    missing += ids.count(SpanId(first + i)) == 0;
            }
        }
        QCOMPARE(missing, 0);
        QVERIFY(written.dataset.spans.size() >= std::size_t(acknowledged * kSpansPerRequest));
    }

    void stopsAfterIdleSeconds()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"idle.otlp.jsonl"_s);
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s, u"--idle"_s, u"1.5"_s}, 1));
        QElapsedTimer sinceSpans;
        QCOMPARE(test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, otlpSpans(5, 1, 2)), 200);
        sinceSpans.start();
        QVERIFY(recorder.waitForExit(20000));
        QVERIFY(sinceSpans.elapsed() >= 1400);
        QCOMPARE(recorder.exitCode(), 0);
        QCOMPARE(recorder.errBesidesListening(), QByteArray());
        QVERIFY2(recorder.out().contains("stopped after 1.5 s without spans"), recorder.out().constData());
        QCOMPARE(test::load(out).dataset.spans.size(), 2u);
    }

    void overMaxSpansTheOldestTracesAreDroppedAndReported()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"capped.otlp.pb"_s);
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s, u"--max-spans"_s, u"4"_s}, 1));
        for (int trace = 1; trace <= 3; ++trace)
            QCOMPARE(
                test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, otlpSpans(trace, trace * 10, 2)),
                200);
        QVERIFY(recorder.stop(SIGINT));
        QCOMPARE(recorder.exitCode(), 0);
        QVERIFY2(recorder.errBesidesListening().contains("warning: 1 trace (2 spans) dropped"), recorder.err());
        const Dataset data = test::load(out).dataset;
        QCOMPARE(data.traces.size(), 2u);
        QVERIFY(!data.findTrace({0, 1}));
        QVERIFY(data.findTrace({0, 2}) && data.findTrace({0, 3}));
    }

    void unreadableRequestsAreWarnedAbout()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"bad.otlp.pb"_s);
        test::RecordingProcess recorder;
        QVERIFY(recorder.start({u"-o"_s, out, u"--otlp-http"_s, u"127.0.0.1:0"_s}, 1));
        QCOMPARE(test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, "{\"resourceSpans\": [tru"), 400);
        QCOMPARE(test::postHttp(recorder.address(u"otlp-http"_s), kOtlpPath, kJson, otlpSpans(9, 1, 1)), 200);
        QVERIFY(recorder.stop(SIGINT));
        QCOMPARE(recorder.exitCode(), 0);
        QVERIFY2(recorder.errBesidesListening().contains("warning: 1 request refused (1 unreadable"), recorder.err());
        QCOMPARE(test::load(out).dataset.spans.size(), 1u);
    }
};

QTEST_GUILESS_MAIN(TestRecordCli)
#include "tst_record_cli.moc"
