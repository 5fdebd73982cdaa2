// `spanwise summary`: the headless contract scripts and CI rely on.
#include <test_support.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;
using namespace spanwise;
using test::exampleTrace;
using test::runSpanwise;

namespace {

using Run = test::ProcessRun;

// A Jaeger trace whose names hold an ANSI "clear screen" sequence and a bell.
const char* const kEscapingTrace =
    "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\","
    "\"operationName\":\"\\u001b[2Jwiped\",\"startTime\":1,\"duration\":1,\"processID\":\"p1\"}],"
    "\"processes\":{\"p1\":{\"serviceName\":\"svc\\u0007\"}}}]}";

bool isLowerHex(const QString& s, int length)
{
    return s.size() == length && QRegularExpression(QStringLiteral("^[0-9a-f]+$")).match(s).hasMatch();
}

} // namespace

class TestSummaryCli : public QObject {
    Q_OBJECT
private slots:
    void jsonNamesTheFormat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::newRow("X-Ray") << "xray-batch-get-traces.json"
                               << "xray" << 3;
        QTest::newRow("Datadog") << "datadog-graphql-error.json"
                                 << "datadog" << 3;
    }
    void jsonNamesTheFormat()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, spans);
        const Run r = runSpanwise(
            {QStringLiteral("summary"), test::dataPath(QStringLiteral("samples/") + file), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject fileObject =
            QJsonDocument::fromJson(r.out).object()[QStringLiteral("files")].toArray()[0].toObject();
        QCOMPARE(fileObject[QStringLiteral("format")].toString(), format);
        QCOMPARE(fileObject[QStringLiteral("traces")].toArray()[0].toObject()[QStringLiteral("spanCount")].toInt(),
                 spans);
    }

    // What the formats' own tools show is no error: spans without timing, Zipkin's single-span
    // encoding, Jaeger's trace object under "data", spans without a service.
    void filesTheFormatsOwnToolsShow_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("spans");
        QTest::addColumn<bool>("unknownService");
        QTest::newRow("Zipkin fragments without timing") << "zipkin/v2-fragments-without-timing.json"
                                                         << "zipkin" << 5 << true;
        QTest::newRow("Zipkin single span") << "zipkin/v2-single-span.json"
                                            << "zipkin" << 1 << false;
        QTest::newRow("Jaeger data object") << "jaeger/data-object.json"
                                            << "jaeger" << 3 << true;
    }
    void filesTheFormatsOwnToolsShow()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(int, spans);
        QFETCH(bool, unknownService);
        const QString path = test::dataPath(file);
        const Run json = runSpanwise({QStringLiteral("summary"), path, QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        QVERIFY2(json.err.isEmpty(), json.err.constData());
        const QJsonObject fileObject =
            QJsonDocument::fromJson(json.out).object()[QStringLiteral("files")].toArray()[0].toObject();
        QCOMPARE(fileObject[QStringLiteral("format")].toString(), format);
        const QJsonObject trace = fileObject[QStringLiteral("traces")].toArray()[0].toObject();
        QCOMPARE(trace[QStringLiteral("spanCount")].toInt(), spans);
        const QJsonArray services = trace[QStringLiteral("services")].toArray();
        QCOMPARE(services.contains(QStringLiteral("unknown_service")), unknownService);
        QVERIFY(!services.contains(QString()));

        const Run table = runSpanwise({QStringLiteral("summary"), path});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.err.isEmpty(), table.err.constData());
        QCOMPARE(table.out.contains("unknown_service"), unknownService);
    }

    void jsonHasTheDocumentedShape()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), exampleTrace(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray files = root[QStringLiteral("files")].toArray();
        QCOMPARE(files.size(), 1);
        const QJsonObject file = files[0].toObject();
        QCOMPARE(file[QStringLiteral("path")].toString(), exampleTrace());
        QCOMPARE(file[QStringLiteral("format")].toString(), QStringLiteral("jaeger"));
        const QJsonArray traces = file[QStringLiteral("traces")].toArray();
        QCOMPARE(traces.size(), 1);
        const QJsonObject t = traces[0].toObject();
        QVERIFY(isLowerHex(t[QStringLiteral("traceId")].toString(), 32));
        QCOMPARE(t[QStringLiteral("spanCount")].toInt(), 62);
        const QJsonArray services = t[QStringLiteral("services")].toArray();
        QCOMPARE(t[QStringLiteral("serviceCount")].toInt(), services.size());
        QCOMPARE(services.size(), 8);
        QVERIFY(services.contains(QStringLiteral("web-frontend")));
        QVERIFY(services.contains(QStringLiteral("notification-worker")));
        QStringList names;
        for (const auto& s : services)
            names << s.toString();
        QStringList sorted = names;
        sorted.sort();
        QCOMPARE(names, sorted);
        const QJsonArray roots = t[QStringLiteral("rootSpanIds")].toArray();
        QCOMPARE(roots.size(), 1);
        QVERIFY(isLowerHex(roots[0].toString(), 16));
        // Jaeger writes µs: the example's start, 2026-03-12 14:27:05.318412 UTC, in nanoseconds, exactly.
        QCOMPARE(t[QStringLiteral("startUnixNano")].toInteger(), 1'773'325'625'318'412'000LL);
        // To the end of the asynchronous e-mail, 450 ms after the response.
        QCOMPARE(t[QStringLiteral("durationNanos")].toInteger(), 1'796'700'000LL);
        QCOMPARE(t[QStringLiteral("errorCount")].toInt(), 1); // the first call to the payment provider
        QCOMPARE(t[QStringLiteral("orphanCount")].toInt(), 0);
        // payment-service's node runs 6.3 ms behind: its server span and its two calls are moved.
        QCOMPARE(t[QStringLiteral("warnings")].toArray(),
                 QJsonArray{QStringLiteral("3 span(s) moved by clock-skew adjustment")});
    }

    void jsonExplainsWhereTheTimeWent()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), exampleTrace(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject t =
            QJsonDocument::fromJson(r.out).object()[QStringLiteral("files")][0][QStringLiteral("traces")][0].toObject();
        // The critical path: contiguous segments in time order from the root's start.
        const QJsonArray path = t[QStringLiteral("criticalPath")].toArray();
        QCOMPARE(path.size(), 31);
        qint64 at = t[QStringLiteral("startUnixNano")].toInteger();
        qint64 critical = 0;
        for (const auto& v : path) {
            const QJsonObject segment = v.toObject();
            QVERIFY(isLowerHex(segment[QStringLiteral("spanId")].toString(), 16));
            QCOMPARE(segment[QStringLiteral("startNanos")].toInteger(), at);
            at = segment[QStringLiteral("endNanos")].toInteger();
            critical += at - segment[QStringLiteral("startNanos")].toInteger();
        }
        QVERIFY(critical > 0 && critical <= t[QStringLiteral("durationNanos")].toInteger());
        // The breakdown by service accounts for every span, error and critical nanosecond, most self time first.
        const QJsonArray breakdown = t[QStringLiteral("breakdown")].toArray();
        QCOMPARE(breakdown.size(), t[QStringLiteral("serviceCount")].toInt());
        qint64 spans = 0, errors = 0, onPath = 0, previousSelf = std::numeric_limits<qint64>::max();
        for (const auto& v : breakdown) {
            const QJsonObject row = v.toObject();
            QVERIFY(t[QStringLiteral("services")].toArray().contains(row[QStringLiteral("service")]));
            const qint64 self = row[QStringLiteral("selfNanos")].toInteger();
            QVERIFY(self <= previousSelf);
            QVERIFY(self <= row[QStringLiteral("totalNanos")].toInteger());
            previousSelf = self;
            spans += row[QStringLiteral("spanCount")].toInteger();
            errors += row[QStringLiteral("errorCount")].toInteger();
            onPath += row[QStringLiteral("criticalPathNanos")].toInteger();
        }
        QCOMPARE(spans, t[QStringLiteral("spanCount")].toInteger());
        QCOMPARE(errors, t[QStringLiteral("errorCount")].toInteger());
        QCOMPARE(onPath, critical);
        // Findings, most time at stake first: the failed payment call, the retry's back-off, the N+1 loop.
        const QJsonArray findings = t[QStringLiteral("findings")].toArray();
        QStringList kinds;
        for (const auto& v : findings) {
            const QJsonObject f = v.toObject();
            kinds << f[QStringLiteral("kind")].toString();
            QVERIFY(!f[QStringLiteral("message")].toString().isEmpty());
            QVERIFY(!f[QStringLiteral("spanIds")].toArray().isEmpty());
            for (const auto& id : f[QStringLiteral("spanIds")].toArray())
                QVERIFY(isLowerHex(id.toString(), 16));
        }
        QCOMPARE(kinds, (QStringList{QStringLiteral("error"), QStringLiteral("gap"), QStringLiteral("n-plus-one")}));
        const QJsonObject failed = findings[0].toObject();
        QCOMPARE(failed[QStringLiteral("message")].toString(),
                 QStringLiteral("payment-service: POST failed: 503 Service Unavailable"));
        QCOMPARE(failed[QStringLiteral("spanIds")].toArray().size(), 1);
        QCOMPARE(failed[QStringLiteral("nanos")].toInteger(), 251'300'000LL);
        const QJsonObject backoff = findings[1].toObject();
        QVERIFY(backoff[QStringLiteral("message")].toString().startsWith(QStringLiteral(
            "payment-service: payment.v1.PaymentService/Charge spends 201 ms on its own between child calls")));
        QCOMPARE(backoff[QStringLiteral("nanos")].toInteger(), 200'800'000LL);
        const QJsonObject loop = findings[2].toObject();
        QCOMPARE(loop[QStringLiteral("message")].toString(),
                 QStringLiteral("pricing-service calls SELECT shop.products 34× in sequence under POST /v1/quotes: "
                                "110 ms, not on the critical path"));
        QCOMPARE(loop[QStringLiteral("spanIds")].toArray().size(), 34);
    }

    void jsonFindsNPlusOneLoops()
    {
        const QString generated = test::generatedTrace(QStringLiteral("jaeger"), 3000);
        const Run r = runSpanwise({QStringLiteral("summary"), generated, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray findings = QJsonDocument::fromJson(r.out)
                                        .object()[QStringLiteral("files")][0][QStringLiteral("traces")][0]
                                        .toObject()[QStringLiteral("findings")]
                                        .toArray();
        const auto nPlusOne = std::find_if(findings.begin(), findings.end(), [](const QJsonValue& f) {
            return f[QStringLiteral("kind")].toString() == QStringLiteral("n-plus-one");
        });
        QVERIFY(nPlusOne != findings.end());
        QVERIFY((*nPlusOne)[QStringLiteral("message")].toString().contains(QStringLiteral("× in sequence under")));
        QVERIFY((*nPlusOne)[QStringLiteral("spanIds")].toArray().size() >= 5);
    }

    void tableShowsBreakdownAndFindings()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), exampleTrace()});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains(QStringLiteral("critical path")));
        const QRegularExpression header(QStringLiteral("SERVICE +SPANS +SELF +SHARE +TOTAL +CRITICAL +ERRORS"));
        QVERIFY(header.match(out).hasMatch());
        QVERIFY(out.contains(QStringLiteral("critical path 1.34 s in 31 segment(s)")));
        QVERIFY(QRegularExpression(QStringLiteral("\\n +pricing-service +39 ")).match(out).hasMatch());
        QVERIFY(out.contains(QStringLiteral("FINDINGS")));
        QVERIFY(QRegularExpression(QStringLiteral("\\n +error +payment-service: POST failed")).match(out).hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("\\n +n-plus-one +pricing-service calls SELECT shop.products 34×"))
                    .match(out)
                    .hasMatch());
        QVERIFY(out.contains(QStringLiteral("3 span(s) moved by clock-skew adjustment")));
    }

    void tableUsesHumanUnits()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), exampleTrace()});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains(QStringLiteral("TRACE ID")));
        QVERIFY(out.contains(QStringLiteral("web-frontend: POST /checkout")));
        QVERIFY(QRegularExpression(QStringLiteral("\\d+(\\.\\d+)? (ms|s|µs)")).match(out).hasMatch());
    }

    void fileTextCannotDriveTheTerminal()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("escape.json"));
        QVERIFY(test::writeFile(path, kEscapingTrace));
        const Run r = runSpanwise({QStringLiteral("summary"), path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(!r.out.contains('\x07'));
        QVERIFY(r.out.contains("\\x1b[2Jwiped"));
        const Run json = runSpanwise({QStringLiteral("summary"), path, QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        QVERIFY(json.out.contains("svc\\u0007"));
    }

    // A long root label of multi-byte characters is cut between characters and padded by characters.
    void longRootLabelKeepsTheColumns()
    {
        std::string name;
        for (int i = 0; i < 30; ++i)
            name += "\xc3\xbc"; // ü
        const std::string trace = "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\","
                                  "\"operationName\":\"" +
                                  name +
                                  "\",\"startTime\":1,\"duration\":1,\"processID\":\"p1\"}],"
                                  "\"processes\":{\"p1\":{\"serviceName\":\"" +
                                  name + "\"}}}]}";
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("umlauts.json"));
        QVERIFY(test::writeFile(path, QByteArray::fromStdString(trace)));
        const Run r = runSpanwise({QStringLiteral("summary"), path});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(!out.contains(QChar::ReplacementCharacter)); // never cut inside a UTF-8 sequence
        const QStringList lines = out.split(QLatin1Char('\n'));
        const auto header = std::find_if(lines.begin(), lines.end(),
                                         [](const QString& l) { return l.contains(QStringLiteral("TRACE ID")); });
        QVERIFY(header != lines.end());
        const QString row = *(header + 1);
        QVERIFY2(row.contains(QStringLiteral("üüü...")), qPrintable(row));
        QCOMPARE(row.indexOf(QStringLiteral("       1 ")), header->indexOf(QStringLiteral("   SPANS")));
    }

    void invalidUtf8DoesNotBreakJson()
    {
        // Protobuf strings are not checked for UTF-8: a service name with a stray byte must not abort --json.
        std::string resource = std::string("\x0a\x14\x0a\x0cservice.name\x12\x04\x0a\x02") + "\xff" + "x";
        std::string span = std::string("\x0a\x10") + std::string(15, '\0') + "\x01" + "\x12\x08" +
                           std::string(7, '\0') + "\x02" + "\x2a\x02op" + "\x39" +
                           std::string("\x01\0\0\0\0\0\0\0", 8) + "\x41" + std::string("\x02\0\0\0\0\0\0\0", 8);
        std::string scopeSpans = "\x12" + std::string(1, static_cast<char>(span.size())) + span;
        std::string resourceSpans = "\x0a" + std::string(1, static_cast<char>(resource.size())) + resource + "\x12" +
                                    std::string(1, static_cast<char>(scopeSpans.size())) + scopeSpans;
        std::string data = "\x0a" + std::string(1, static_cast<char>(resourceSpans.size())) + resourceSpans;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad-utf8.pb"));
        QVERIFY(test::writeFile(path, QByteArray::fromStdString(data)));
        const Run r = runSpanwise({QStringLiteral("summary"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject t =
            QJsonDocument::fromJson(r.out).object()[QStringLiteral("files")][0][QStringLiteral("traces")][0].toObject();
        QCOMPARE(t[QStringLiteral("spanCount")].toInt(), 1);
        QVERIFY(t[QStringLiteral("services")][0].toString().endsWith(QStringLiteral("x")));
    }

    void badUsageExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no file") << QStringList{QStringLiteral("summary")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("summary"), QStringLiteral("--frobnicate"),
                                                       exampleTrace()};
    }
    void badUsageExitsWithTwo()
    {
        QFETCH(QStringList, args);
        const Run r = runSpanwise(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("usage: spanwise summary"));
    }

    // summary --help prints the same options as spanwise --help lists for it, on stdout.
    // A mistyped command is a usage error on the terminal, not a window trying to open a file.
    void unknownCommandWordIsAUsageError()
    {
        const Run r = runSpanwise({QStringLiteral("sumary"), exampleTrace()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown command or file 'sumary'"), r.err.constData());
        QVERIFY(r.err.contains("usage: spanwise"));
        QVERIFY(r.out.isEmpty());
    }

    void helpListsTheOptions()
    {
        const Run help = runSpanwise({QStringLiteral("summary"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.err.isEmpty());
        QVERIFY(help.out.startsWith("usage: spanwise summary FILE... [--json] [--no-skew-adjust]\n"));
        const Run overview = runSpanwise({QStringLiteral("--help")});
        QCOMPARE(overview.exitCode, 0);
        QVERIFY(overview.out.contains("spanwise summary FILE... [--json] [--no-skew-adjust]"));
        for (const char* option : {"--json", "--no-skew-adjust"})
            QVERIFY2(help.out.contains(QByteArray("\n  ").append(option).append(' ')), option); // each one explained
    }

    void failedFileExitsWithOneAndNamesIt()
    {
        const QString missing = QStringLiteral("/nonexistent/trace.json");
        const Run r = runSpanwise({QStringLiteral("summary"), exampleTrace(), missing, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].startsWith(QByteArray(missing.toUtf8() + ": offset 0: cannot open")));
        const QJsonArray files = QJsonDocument::fromJson(r.out).object()[QStringLiteral("files")].toArray();
        QCOMPARE(files.size(), 2); // the readable file is still summarised
        QCOMPARE(files[0].toObject()[QStringLiteral("traces")].toArray().size(), 1);
    }

    void skewAdjustmentCanBeTurnedOff()
    {
        const QString skewed = test::generatedTrace(QStringLiteral("jaeger"), 3000,
                                                    {QStringLiteral("--skew-us"), QStringLiteral("40000")});
        auto warnings = [&](const QStringList& extra) {
            const Run r = runSpanwise(QStringList{QStringLiteral("summary"), skewed, QStringLiteral("--json")} + extra);
            const QJsonObject t = QJsonDocument::fromJson(r.out)
                                      .object()[QStringLiteral("files")][0][QStringLiteral("traces")][0]
                                      .toObject();
            return t[QStringLiteral("warnings")].toArray();
        };
        const QJsonArray adjusted = warnings({});
        QVERIFY(!adjusted.isEmpty());
        QVERIFY(adjusted.last().toString().contains(QStringLiteral("clock-skew")));
        QVERIFY(warnings({QStringLiteral("--no-skew-adjust")}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSummaryCli)
#include "tst_summary_cli.moc"
