// `spanwise summary`: the headless contract scripts and CI rely on.
#include <test_support.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace spanwise;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runSpanwise(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(SPANWISE_BINARY), args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QString example()
{
    return QStringLiteral(SPANWISE_SOURCE_DIR "/resources/examples/checkout.json");
}

bool isLowerHex(const QString& s, int length)
{
    return s.size() == length && QRegularExpression(QStringLiteral("^[0-9a-f]+$")).match(s).hasMatch();
}

} // namespace

class TestSummaryCli : public QObject {
    Q_OBJECT
private slots:
    void jsonHasTheDocumentedShape()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), example(), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray files = root[QStringLiteral("files")].toArray();
        QCOMPARE(files.size(), 1);
        const QJsonObject file = files[0].toObject();
        QCOMPARE(file[QStringLiteral("path")].toString(), example());
        QCOMPARE(file[QStringLiteral("format")].toString(), QStringLiteral("jaeger"));
        const QJsonArray traces = file[QStringLiteral("traces")].toArray();
        QCOMPARE(traces.size(), 1);
        const QJsonObject t = traces[0].toObject();
        QVERIFY(isLowerHex(t[QStringLiteral("traceId")].toString(), 32));
        QCOMPARE(t[QStringLiteral("spanCount")].toInt(), 400);
        const QJsonArray services = t[QStringLiteral("services")].toArray();
        QCOMPARE(t[QStringLiteral("serviceCount")].toInt(), services.size());
        QVERIFY(services.contains(QStringLiteral("frontend")));
        QStringList names;
        for (const auto& s : services)
            names << s.toString();
        QStringList sorted = names;
        sorted.sort();
        QCOMPARE(names, sorted);
        const QJsonArray roots = t[QStringLiteral("rootSpanIds")].toArray();
        QCOMPARE(roots.size(), 1);
        QVERIFY(isLowerHex(roots[0].toString(), 16));
        // Jaeger writes µs: 2026-01-01 plus a few seconds, in nanoseconds, exactly.
        const qint64 start = t[QStringLiteral("startUnixNano")].toInteger();
        QVERIFY(start >= 1'767'225'600'000'000'000LL && start % 1000 == 0);
        QVERIFY(t[QStringLiteral("durationNanos")].toInteger() > 0);
        QVERIFY(t[QStringLiteral("errorCount")].toInt() >= 0);
        QCOMPARE(t[QStringLiteral("orphanCount")].toInt(), 0);
        QVERIFY(t[QStringLiteral("warnings")].isArray());
    }

    void tableUsesHumanUnits()
    {
        const Run r = runSpanwise({QStringLiteral("summary"), example()});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains(QStringLiteral("TRACE ID")));
        QVERIFY(out.contains(QStringLiteral("frontend: GET /checkout")));
        QVERIFY(QRegularExpression(QStringLiteral("\\d+(\\.\\d+)? (ms|s|µs)")).match(out).hasMatch());
    }

    void badUsageExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no file") << QStringList{QStringLiteral("summary")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("summary"), QStringLiteral("--frobnicate"), example()};
    }
    void badUsageExitsWithTwo()
    {
        QFETCH(QStringList, args);
        const Run r = runSpanwise(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("usage: spanwise summary"));
    }

    void failedFileExitsWithOneAndNamesIt()
    {
        const QString missing = QStringLiteral("/nonexistent/trace.json");
        const Run r = runSpanwise({QStringLiteral("summary"), example(), missing, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].startsWith(missing.toUtf8() + ": offset 0: cannot open"));
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
            const QJsonObject t =
                QJsonDocument::fromJson(r.out).object()[QStringLiteral("files")][0][QStringLiteral("traces")][0].toObject();
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
