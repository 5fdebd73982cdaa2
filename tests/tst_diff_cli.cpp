// `spanwise diff`: the headless comparison contract scripts and CI rely on.
#include <test_support.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace spanwise;
using test::exampleTrace;
using test::runSpanwise;

namespace {

QJsonObject parse(const QByteArray& out)
{
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(out, &error).object();
    if (error.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << error.errorString() << out.left(300);
    return root;
}

// A Jaeger trace of root → (cart, pay); `cartMicros` sets how long the cart call takes, `extra` adds
// spans (JSON objects, comma-first). Names and services may be anything, escapes included.
QByteArray jaegerTrace(const char* traceId, int cartMicros, const QByteArray& extra = {},
                       const QByteArray& rootName = "GET /checkout")
{
    return "{\"data\":[{\"traceID\":\"" + QByteArray(traceId) +
           "\",\"spans\":["
           "{\"traceID\":\"" +
           traceId + "\",\"spanID\":\"1\",\"operationName\":\"" + rootName +
           "\",\"startTime\":1000,\"duration\":100000,\"processID\":\"p1\"},"
           "{\"traceID\":\"" +
           traceId +
           "\",\"spanID\":\"2\",\"operationName\":\"GET /cart/17\",\"references\":"
           "[{\"refType\":\"CHILD_OF\",\"traceID\":\"" +
           traceId +
           "\",\"spanID\":\"1\"}],\"startTime\":2000,"
           "\"duration\":" +
           QByteArray::number(cartMicros) +
           ",\"processID\":\"p2\"},"
           "{\"traceID\":\"" +
           traceId +
           "\",\"spanID\":\"3\",\"operationName\":\"charge\",\"references\":"
           "[{\"refType\":\"CHILD_OF\",\"traceID\":\"" +
           traceId +
           "\",\"spanID\":\"1\"}],\"startTime\":60000,"
           "\"duration\":30000,\"processID\":\"p3\"}" +
           extra +
           "],"
           "\"processes\":{\"p1\":{\"serviceName\":\"web\"},\"p2\":{\"serviceName\":\"cart\"},"
           "\"p3\":{\"serviceName\":\"pay\"}}}]}";
}

QByteArray childOfRoot(const char* traceId, const char* spanId, const QByteArray& name)
{
    return ",{\"traceID\":\"" + QByteArray(traceId) + "\",\"spanID\":\"" + spanId + "\",\"operationName\":\"" + name +
           "\",\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"" + traceId +
           "\",\"spanID\":\"1\"}],\"startTime\":95000,\"duration\":1000,\"processID\":\"p1\"}";
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qWarning() << "cannot write" << path;
    return path;
}

QJsonObject nodeAt(const QJsonArray& nodes, const QStringList& path)
{
    for (const auto& n : nodes) {
        QStringList p;
        for (const auto& part : n.toObject()[QStringLiteral("path")].toArray())
            p << part.toString();
        if (p == path)
            return n.toObject();
    }
    return {};
}

} // namespace

class TestDiffCli : public QObject {
    Q_OBJECT
private slots:
    void jsonHasTheDocumentedShape()
    {
        QTemporaryDir dir;
        const QString a = write(dir, u"a.json"_s, jaegerTrace("aa", 20000, childOfRoot("aa", "4", "GET /old")));
        const QString b = write(dir, u"b.json"_s, jaegerTrace("bb", 50000, childOfRoot("bb", "4", "GET /new")));
        const test::ProcessRun r = runSpanwise({u"diff"_s, a, b, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        const QJsonObject root = parse(r.out);
        const QJsonObject sa = root["a"_L1].toObject();
        QCOMPARE(sa["path"_L1].toString(), a);
        QCOMPARE(sa["traceId"_L1].toString(), u"000000000000000000000000000000aa"_s);
        QCOMPARE(sa["durationNanos"_L1].toInteger(), 100'000'000);
        QCOMPARE(root["b"_L1].toObject()["traceId"_L1].toString(), u"000000000000000000000000000000bb"_s);
        QCOMPARE(root["normalisations"_L1].toArray(), QJsonArray{u"numbers"_s});

        const QJsonArray nodes = root["nodes"_L1].toArray();
        QCOMPARE(nodes.size(), 5); // root, cart, pay, old, new
        const QStringList keys = {u"path"_s,        u"status"_s,      u"countA"_s,     u"countB"_s,
                                  u"totalNanosA"_s, u"totalNanosB"_s, u"selfNanosA"_s, u"selfNanosB"_s};
        double previous = INFINITY;
        for (const auto& value : nodes) {
            const QJsonObject n = value.toObject();
            for (const QString& key : keys)
                QVERIFY2(n.contains(key), qPrintable(key));
            const double delta = std::abs(n["totalNanosB"_L1].toDouble() - n["totalNanosA"_L1].toDouble());
            QVERIFY(delta <= previous); // largest |Δ total| first
            previous = delta;
        }
        const QJsonObject cart = nodeAt(nodes, {u"web: GET /checkout"_s, u"cart: GET /cart/{n}"_s});
        QCOMPARE(cart["status"_L1].toString(), u"changed"_s);
        QCOMPARE(cart["totalNanosA"_L1].toInteger(), 20'000'000);
        QCOMPARE(cart["totalNanosB"_L1].toInteger(), 50'000'000);
        QCOMPARE(cart["countA"_L1].toInt(), 1);
        QCOMPARE(nodes[0].toObject(), cart);
        QCOMPARE(nodeAt(nodes, {u"web: GET /checkout"_s, u"pay: charge"_s})["status"_L1].toString(), u"same"_s);
        QCOMPARE(nodeAt(nodes, {u"web: GET /checkout"_s, u"web: GET /old"_s})["status"_L1].toString(),
                 QStringLiteral("removed"));
        QCOMPARE(nodeAt(nodes, {u"web: GET /checkout"_s, u"web: GET /new"_s})["status"_L1].toString(), u"added"_s);
        QCOMPARE(nodeAt(nodes, {u"web: GET /checkout"_s, u"web: GET /new"_s})["countA"_L1].toInt(), 0);

        const QJsonArray services = root["services"_L1].toArray();
        QCOMPARE(services.size(), 3);
        for (const auto& value : services) {
            const QJsonObject s = value.toObject();
            for (const char* key : {"service", "selfNanosA", "selfNanosB", "criticalPathNanosA", "criticalPathNanosB"})
                QVERIFY2(s.contains(QLatin1String(key)), key);
            if (s["service"_L1].toString() == QLatin1String("cart")) {
                QCOMPARE(s["selfNanosB"_L1].toInteger() - s["selfNanosA"_L1].toInteger(), 30'000'000);
                QCOMPARE(s["criticalPathNanosB"_L1].toInteger(), 50'000'000);
            }
        }
    }

    void sameSeedInTwoFormatsIsAllSame()
    {
        const QStringList args = {u"--seed"_s, u"21"_s};
        const test::ProcessRun r = runSpanwise({u"diff"_s, test::generatedTrace(u"jaeger"_s, 1500, args),
                                                test::generatedTrace(u"otlp-json"_s, 1500, args), u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray nodes = parse(r.out)["nodes"_L1].toArray();
        QVERIFY(nodes.size() > 10);
        for (const auto& n : nodes)
            QCOMPARE(n.toObject()["status"_L1].toString(), u"same"_s);
    }

    void twoTracesOfOneFile()
    {
        const QString file = test::generatedTrace(u"jaeger"_s, 900, {u"--traces"_s, u"3"_s, u"--seed"_s, u"4"_s});
        const LoadResult loaded = test::load(file);
        const QString first = QString::fromStdString(toHex(loaded.dataset.traces[0].id));
        const QString second = QString::fromStdString(toHex(loaded.dataset.traces[1].id));

        const test::ProcessRun ok = runSpanwise(
            {u"diff"_s, file, file, u"--a-trace"_s, first, u"--b-trace="_s + second.toUpper(), u"--json"_s});
        QCOMPARE(ok.exitCode, 0);
        const QJsonObject root = parse(ok.out);
        QCOMPARE(root["a"_L1].toObject()["traceId"_L1].toString(), first);
        QCOMPARE(root["b"_L1].toObject()["traceId"_L1].toString(), second);

        // Several traces and none chosen: a usage error that lists them, nothing on stdout.
        const test::ProcessRun unchosen = runSpanwise({u"diff"_s, file, file, u"--a-trace"_s, first});
        QCOMPARE(unchosen.exitCode, 2);
        QVERIFY(unchosen.out.isEmpty());
        QVERIFY(unchosen.err.contains("--b-trace"));
        QVERIFY(unchosen.err.contains(second.toLatin1()));
        QVERIFY(unchosen.err.contains(QString::fromStdString(toHex(loaded.dataset.traces[2].id)).toLatin1()));

        const test::ProcessRun unknown = runSpanwise(
            {u"diff"_s, file, file, u"--a-trace"_s, first, u"--b-trace"_s, u"123"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no trace 123"));
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        const QString example = exampleTrace();
        QTest::newRow("identical") << QStringList{u"diff"_s, example, example} << 0 << QByteArray();
        QTest::newRow("one file") << QStringList{u"diff"_s, example} << 2 << QByteArray("two files");
        QTest::newRow("three files") << QStringList{u"diff"_s, example, example, example} << 2
                                     << QByteArray("two files");
        QTest::newRow("unknown option") << QStringList{u"diff"_s, example, example, u"--frobnicate"_s} << 2
                                        << QByteArray("unknown option --frobnicate");
        QTest::newRow("trace id missing") << QStringList{u"diff"_s, example, example, u"--a-trace"_s} << 2
                                          << QByteArray("--a-trace needs a trace id");
        QTest::newRow("missing file") << QStringList{u"diff"_s, example, u"/nonexistent/b.json"_s} << 1
                                      << QByteArray("/nonexistent/b.json");
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, message);
        const test::ProcessRun r = runSpanwise(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), r.err.constData());
        if (exitCode == 2)
            QVERIFY(r.err.contains("usage: spanwise diff"));
    }

    // The example's script also writes the same checkout a release later, for the README's walk-through.
    void exampleBeforeAndAfterTheFix()
    {
        QTemporaryDir dir;
        const QString before = dir.filePath(QStringLiteral("before.json"));
        const QString after = dir.filePath(QStringLiteral("after.json"));
        for (const QStringList& args : {QStringList{QStringLiteral("-o"), before},
                                        QStringList{QStringLiteral("--after"), QStringLiteral("-o"), after}}) {
            const test::ProcessRun python = test::runExampleScript(args);
            QVERIFY2(python.exitCode == 0, python.err.constData());
        }
        // The bundled file is what the script writes.
        QFile bundled(exampleTrace()), written(before);
        QVERIFY(bundled.open(QIODevice::ReadOnly) && written.open(QIODevice::ReadOnly));
        QVERIFY(bundled.readAll() == written.readAll());

        const test::ProcessRun r = runSpanwise({u"diff"_s, exampleTrace(), after, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject root = parse(r.out);
        QCOMPARE(root["a"_L1]["durationNanos"_L1].toInteger(), 1'796'700'000LL);
        const QJsonArray nodes = root["nodes"_L1].toArray();
        const QStringList checkout = {u"web-frontend: POST /checkout"_s, u"web-frontend: POST"_s,
                                      u"api-gateway: POST /api/v1/checkout"_s, u"checkout-service: POST /checkouts"_s};
        const QJsonObject products = nodeAt(nodes, checkout + QStringList{u"checkout-service: POST"_s,
                                                                          u"pricing-service: POST /v1/quotes"_s,
                                                                          u"pricing-service: SELECT shop.products"_s});
        QCOMPARE(products["countA"_L1].toInt(), 34); // the N+1 loop, one query after the fix
        QCOMPARE(products["countB"_L1].toInt(), 1);
        const QStringList payment = checkout + QStringList{u"checkout-service: payment.v1.PaymentService/Charge"_s,
                                                           u"payment-service: payment.v1.PaymentService/Charge"_s,
                                                           u"payment-service: POST"_s};
        QCOMPARE(nodeAt(nodes, payment)["countA"_L1].toInt(), 2); // the failed attempt and its retry
        QCOMPARE(nodeAt(nodes, payment)["errorCountA"_L1].toInt(), 1);
        QCOMPARE(nodeAt(nodes, payment)["countB"_L1].toInt(), 1);
        QCOMPARE(nodeAt(nodes, payment)["errorCountB"_L1].toInt(), 0);
        const QJsonObject update = nodeAt(
            nodes, checkout + QStringList{u"checkout-service: inventory.v1.InventoryService/ReserveStock"_s,
                                          u"inventory-service: inventory.v1.InventoryService/ReserveStock"_s,
                                          u"inventory-service: UPDATE shop.inventory"_s});
        QCOMPARE(update["totalNanosA"_L1].toInteger(), 419'300'000LL); // the lock wait, gone
        QCOMPARE(update["totalNanosB"_L1].toInteger(), 6'200'000LL);
        QCOMPARE(update["status"_L1].toString(), u"changed"_s);
    }

    void tableShowsTheLargestChangesFirst()
    {
        QTemporaryDir dir;
        const QString a = write(dir, u"a.json"_s, jaegerTrace("aa", 20000, childOfRoot("aa", "4", "GET /old")));
        const QString b = write(dir, u"b.json"_s, jaegerTrace("bb", 50000));
        const test::ProcessRun r = runSpanwise({u"diff"_s, a, b});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains("duration 0 ns"_L1));
        QVERIFY(out.contains("operation names normalised: numbers"_L1));
        QVERIFY(out.contains("2 changed, 0 added, 1 removed, 1 same"_L1)); // the root's self time changed too
        const qsizetype cart = out.indexOf("cart: GET /cart/{n}"_L1);
        const qsizetype old = out.indexOf("web: GET /old"_L1);
        QVERIFY(cart > 0 && old > cart);
        QVERIFY(out.contains("+30.0 ms"_L1));
        QVERIFY(!out.contains("pay: charge"_L1)); // unchanged nodes are not listed
        QVERIFY(out.contains("SERVICE"_L1));

        const test::ProcessRun same = runSpanwise({u"diff"_s, a, a});
        QVERIFY(QString::fromUtf8(same.out).contains("no differences beyond the noise threshold"_L1));
    }

    void namesFromFilesCannotDriveTheTerminal()
    {
        QTemporaryDir dir;
        const QString a = write(dir, u"a.json"_s, jaegerTrace("aa", 20000, {}, "\\u001b[2Jwiped"));
        const QString b = write(dir, u"b.json"_s, jaegerTrace("bb", 20000, {}, "\\u001b[2Jgone\\u0007"));
        const test::ProcessRun r = runSpanwise({u"diff"_s, a, b});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(!r.out.contains('\x07'));
        QVERIFY(r.out.contains("\\x1b[2Jgone\\x07"));
    }
};

QTEST_GUILESS_MAIN(TestDiffCli)
#include "tst_diff_cli.moc"
