// `spanwise diff`: the headless comparison contract scripts and CI rely on.
#include <test_support.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

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
        const QString a = write(dir, "a.json", jaegerTrace("aa", 20000, childOfRoot("aa", "4", "GET /old")));
        const QString b = write(dir, "b.json", jaegerTrace("bb", 50000, childOfRoot("bb", "4", "GET /new")));
        const test::ProcessRun r = runSpanwise({"diff", a, b, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        const QJsonObject root = parse(r.out);
        const QJsonObject sa = root["a"].toObject();
        QCOMPARE(sa["path"].toString(), a);
        QCOMPARE(sa["traceId"].toString(), QStringLiteral("000000000000000000000000000000aa"));
        QCOMPARE(sa["durationNanos"].toInteger(), 100'000'000);
        QCOMPARE(root["b"].toObject()["traceId"].toString(), QStringLiteral("000000000000000000000000000000bb"));
        QCOMPARE(root["normalisations"].toArray(), QJsonArray{"numbers"});

        const QJsonArray nodes = root["nodes"].toArray();
        QCOMPARE(nodes.size(), 5); // root, cart, pay, old, new
        const QStringList keys = {"path",        "status",      "countA",     "countB",
                                  "totalNanosA", "totalNanosB", "selfNanosA", "selfNanosB"};
        double previous = INFINITY;
        for (const auto& value : nodes) {
            const QJsonObject n = value.toObject();
            for (const QString& key : keys)
                QVERIFY2(n.contains(key), qPrintable(key));
            const double delta = std::abs(n["totalNanosB"].toDouble() - n["totalNanosA"].toDouble());
            QVERIFY(delta <= previous); // largest |Δ total| first
            previous = delta;
        }
        const QJsonObject cart = nodeAt(nodes, {"web: GET /checkout", "cart: GET /cart/{n}"});
        QCOMPARE(cart["status"].toString(), QStringLiteral("changed"));
        QCOMPARE(cart["totalNanosA"].toInteger(), 20'000'000);
        QCOMPARE(cart["totalNanosB"].toInteger(), 50'000'000);
        QCOMPARE(cart["countA"].toInt(), 1);
        QCOMPARE(nodes[0].toObject(), cart);
        QCOMPARE(nodeAt(nodes, {"web: GET /checkout", "pay: charge"})["status"].toString(), QStringLiteral("same"));
        QCOMPARE(nodeAt(nodes, {"web: GET /checkout", "web: GET /old"})["status"].toString(),
                 QStringLiteral("removed"));
        QCOMPARE(nodeAt(nodes, {"web: GET /checkout", "web: GET /new"})["status"].toString(), QStringLiteral("added"));
        QCOMPARE(nodeAt(nodes, {"web: GET /checkout", "web: GET /new"})["countA"].toInt(), 0);

        const QJsonArray services = root["services"].toArray();
        QCOMPARE(services.size(), 3);
        for (const auto& value : services) {
            const QJsonObject s = value.toObject();
            for (const char* key : {"service", "selfNanosA", "selfNanosB", "criticalPathNanosA", "criticalPathNanosB"})
                QVERIFY2(s.contains(QLatin1String(key)), key);
            if (s["service"].toString() == QLatin1String("cart")) {
                QCOMPARE(s["selfNanosB"].toInteger() - s["selfNanosA"].toInteger(), 30'000'000);
                QCOMPARE(s["criticalPathNanosB"].toInteger(), 50'000'000);
            }
        }
    }

    void sameSeedInTwoFormatsIsAllSame()
    {
        const QStringList args = {"--seed", "21"};
        const test::ProcessRun r = runSpanwise({"diff", test::generatedTrace("jaeger", 1500, args),
                                                test::generatedTrace("otlp-json", 1500, args), "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray nodes = parse(r.out)["nodes"].toArray();
        QVERIFY(nodes.size() > 10);
        for (const auto& n : nodes)
            QCOMPARE(n.toObject()["status"].toString(), QStringLiteral("same"));
    }

    void twoTracesOfOneFile()
    {
        const QString file = test::generatedTrace("jaeger", 900, {"--traces", "3", "--seed", "4"});
        const LoadResult loaded = test::load(file);
        const QString first = QString::fromStdString(toHex(loaded.dataset.traces[0].id));
        const QString second = QString::fromStdString(toHex(loaded.dataset.traces[1].id));

        const test::ProcessRun ok = runSpanwise(
            {"diff", file, file, "--a-trace", first, "--b-trace=" + second.toUpper(), "--json"});
        QCOMPARE(ok.exitCode, 0);
        const QJsonObject root = parse(ok.out);
        QCOMPARE(root["a"].toObject()["traceId"].toString(), first);
        QCOMPARE(root["b"].toObject()["traceId"].toString(), second);

        // Several traces and none chosen: a usage error that lists them, nothing on stdout.
        const test::ProcessRun unchosen = runSpanwise({"diff", file, file, "--a-trace", first});
        QCOMPARE(unchosen.exitCode, 2);
        QVERIFY(unchosen.out.isEmpty());
        QVERIFY(unchosen.err.contains("--b-trace"));
        QVERIFY(unchosen.err.contains(second.toLatin1()));
        QVERIFY(unchosen.err.contains(QString::fromStdString(toHex(loaded.dataset.traces[2].id)).toLatin1()));

        const test::ProcessRun unknown = runSpanwise({"diff", file, file, "--a-trace", first, "--b-trace", "123"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no trace 123"));
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        const QString example = exampleTrace();
        QTest::newRow("identical") << QStringList{"diff", example, example} << 0 << QByteArray();
        QTest::newRow("one file") << QStringList{"diff", example} << 2 << QByteArray("two files");
        QTest::newRow("three files") << QStringList{"diff", example, example, example} << 2 << QByteArray("two files");
        QTest::newRow("unknown option") << QStringList{"diff", example, example, "--frobnicate"} << 2
                                        << QByteArray("unknown option --frobnicate");
        QTest::newRow("trace id missing")
            << QStringList{"diff", example, example, "--a-trace"} << 2 << QByteArray("--a-trace needs a trace id");
        QTest::newRow("missing file") << QStringList{"diff", example, "/nonexistent/b.json"} << 1
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

        const test::ProcessRun r = runSpanwise({"diff", exampleTrace(), after, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject root = parse(r.out);
        QCOMPARE(root["a"]["durationNanos"].toInteger(), 1'796'700'000LL);
        const QJsonArray nodes = root["nodes"].toArray();
        const QStringList checkout = {"web-frontend: POST /checkout", "web-frontend: POST",
                                      "api-gateway: POST /api/v1/checkout", "checkout-service: POST /checkouts"};
        const QJsonObject products = nodeAt(nodes, checkout + QStringList{"checkout-service: POST",
                                                                          "pricing-service: POST /v1/quotes",
                                                                          "pricing-service: SELECT shop.products"});
        QCOMPARE(products["countA"].toInt(), 34); // the N+1 loop, one query after the fix
        QCOMPARE(products["countB"].toInt(), 1);
        const QStringList payment = checkout + QStringList{"checkout-service: payment.v1.PaymentService/Charge",
                                                           "payment-service: payment.v1.PaymentService/Charge",
                                                           "payment-service: POST"};
        QCOMPARE(nodeAt(nodes, payment)["countA"].toInt(), 2); // the failed attempt and its retry
        QCOMPARE(nodeAt(nodes, payment)["errorCountA"].toInt(), 1);
        QCOMPARE(nodeAt(nodes, payment)["countB"].toInt(), 1);
        QCOMPARE(nodeAt(nodes, payment)["errorCountB"].toInt(), 0);
        const QJsonObject update = nodeAt(
            nodes, checkout + QStringList{"checkout-service: inventory.v1.InventoryService/ReserveStock",
                                          "inventory-service: inventory.v1.InventoryService/ReserveStock",
                                          "inventory-service: UPDATE shop.inventory"});
        QCOMPARE(update["totalNanosA"].toInteger(), 419'300'000LL); // the lock wait, gone
        QCOMPARE(update["totalNanosB"].toInteger(), 6'200'000LL);
        QCOMPARE(update["status"].toString(), QStringLiteral("changed"));
    }

    void tableShowsTheLargestChangesFirst()
    {
        QTemporaryDir dir;
        const QString a = write(dir, "a.json", jaegerTrace("aa", 20000, childOfRoot("aa", "4", "GET /old")));
        const QString b = write(dir, "b.json", jaegerTrace("bb", 50000));
        const test::ProcessRun r = runSpanwise({"diff", a, b});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains("duration 0 ns"));
        QVERIFY(out.contains("operation names normalised: numbers"));
        QVERIFY(out.contains("2 changed, 0 added, 1 removed, 1 same")); // the root's self time changed too
        const qsizetype cart = out.indexOf("cart: GET /cart/{n}");
        const qsizetype old = out.indexOf("web: GET /old");
        QVERIFY(cart > 0 && old > cart);
        QVERIFY(out.contains("+30.0 ms"));
        QVERIFY(!out.contains("pay: charge")); // unchanged nodes are not listed
        QVERIFY(out.contains("SERVICE"));

        const test::ProcessRun same = runSpanwise({"diff", a, a});
        QVERIFY(QString::fromUtf8(same.out).contains("no differences beyond the noise threshold"));
    }

    void namesFromFilesCannotDriveTheTerminal()
    {
        QTemporaryDir dir;
        const QString a = write(dir, "a.json", jaegerTrace("aa", 20000, {}, "\\u001b[2Jwiped"));
        const QString b = write(dir, "b.json", jaegerTrace("bb", 20000, {}, "\\u001b[2Jgone\\u0007"));
        const test::ProcessRun r = runSpanwise({"diff", a, b});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(!r.out.contains('\x07'));
        QVERIFY(r.out.contains("\\x1b[2Jgone\\x07"));
    }
};

QTEST_GUILESS_MAIN(TestDiffCli)
#include "tst_diff_cli.moc"
