// Comparing two traces: the merged tree, node status, operation-name normalisation, service deltas.
#include <test_support.h>

#include <described_trace.h>
#include <operation_name.h>
#include <self_time.h>
#include <trace_diff.h>

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

Dataset build(const QString& description)
{
    return test::describedTrace(description);
}

std::uint32_t findNode(const TraceDiff& diff, const std::vector<std::string>& path)
{
    for (std::uint32_t i = 0; i < diff.nodes.size(); ++i) {
        if (nodePath(diff, i) == path)
            return i;
    }
    return kNoIndex;
}

TraceDiff diffOf(const Dataset& a, const Dataset& b)
{
    return diffTraces(a, a.traces.front(), b, b.traces.front());
}

void verifyAllSame(const TraceDiff& diff)
{
    QVERIFY(!diff.nodes.empty());
    for (std::uint32_t i = 0; i < diff.nodes.size(); ++i) {
        const DiffNode& n = diff.nodes[i];
        const QByteArray where = QByteArray::fromStdString(n.label);
        QVERIFY2(n.status == DiffStatus::Same, where);
        QVERIFY2(n.a.count == n.b.count && n.a.errors == n.b.errors, where);
        QVERIFY2(n.totalDelta() == 0 && n.selfDelta() == 0, where);
        QVERIFY2(n.a.criticalNanos == n.b.criticalNanos, where);
    }
    for (const ServiceDelta& s : diff.services) {
        QCOMPARE(s.selfNanosA, s.selfNanosB);
        QCOMPARE(s.criticalPathNanosA, s.criticalPathNanosB);
    }
    QCOMPARE(diff.durationA, diff.durationB);
}

const char* const kBase = "r:-:0:10000:web:GET_/checkout a:r:100:4000:cart:load b:r:5000:9000:pay:charge";

} // namespace

class TestDiff : public QObject {
    Q_OBJECT
private slots:
    void normalisesOperationNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QStringList>("applied");
        const QStringList none;
        QTest::newRow("plain") << "GET /cart"
                               << "GET /cart" << none;
        QTest::newRow("number") << "GET /user/42"
                                << "GET /user/{n}" << QStringList{u"numbers"_s};
        QTest::newRow("numbers everywhere") << "batch 7 of 12"
                                            << "batch {n} of {n}" << QStringList{u"numbers"_s};
        QTest::newRow("digits inside a word stay") << "GET /v2/s3/http2"
                                                   << "GET /v2/s3/http2" << none;
        QTest::newRow("uuid") << "GET /order/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items"
                              << "GET /order/{uuid}/items" << QStringList{u"uuids"_s};
        QTest::newRow("upper-case uuid") << "DELETE /3F2504E0-4F89-11D3-9A0C-0305E82C3301"
                                         << "DELETE /{uuid}" << QStringList{u"uuids"_s};
        QTest::newRow("hex id") << "GET /blob/9f86d081884c7d65"
                                << "GET /blob/{hex}" << QStringList{u"hex ids"_s};
        QTest::newRow("short or digitless hex stays") << "GET /deadbeef/cafe12"
                                                      << "GET /deadbeef/cafe12" << none;
        QTest::newRow("date") << "GET /reports/2024-03-01"
                              << "GET /reports/{date}" << QStringList{u"dates"_s};
        QTest::newRow("email") << "GET /users/jane.doe+news@example.co.uk/prefs"
                               << "GET /users/{email}/prefs" << QStringList{u"emails"_s};
        QTest::newRow("not an email") << "user@localhost"
                                      << "user@localhost" << none;
        QTest::newRow("several kinds") << "PUT /u/17/doc/9f86d081884c7d65"
                                       << "PUT /u/{n}/doc/{hex}" << QStringList{u"hex ids"_s, u"numbers"_s};
        QTest::newRow("empty") << ""
                               << "" << none;
        QTest::newRow("utf-8 kept") << "GET /café/12"
                                    << "GET /café/{n}" << QStringList{u"numbers"_s};
    }
    void normalisesOperationNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QFETCH(QStringList, applied);
        unsigned used = 0;
        QCOMPARE(QString::fromStdString(normaliseOperationName(name.toStdString(), &used)), expected);
        QStringList names;
        for (const std::string& n : normalisationNames(used))
            names << QString::fromStdString(n);
        QCOMPARE(names, applied);
    }

    void status_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("status");
        const QString base = QString::fromLatin1(kBase);
        const QStringList cart = {u"web: GET /checkout"_s, u"cart: load"_s};
        QTest::newRow("same") << base << base << cart << "same";
        QTest::newRow("slower beyond the threshold")
            << base << QString(base).replace(u"a:r:100:4000"_s, u"a:r:100:4900"_s) << cart << "changed";
        QTest::newRow("faster beyond the threshold")
            << base << QString(base).replace(u"a:r:100:4000"_s, u"a:r:100:3000"_s) << cart << "changed";
        QTest::newRow("relative change under 10%")
            << base << QString(base).replace(u"a:r:100:4000"_s, u"a:r:100:4200"_s) << cart << "same";
        QTest::newRow("tiny span tripling: under 100 µs")
            << "r:-:0:10000:web:GET_/checkout a:r:100:120:cart:load"
            << "r:-:0:10000:web:GET_/checkout a:r:100:160:cart:load" << cart << "same";
        QTest::newRow("count differs") << base << base + u" c:r:4100:4200:cart:load"_s << cart << "changed";
        QTest::newRow("errors differ") << base << QString(base).replace(u"cart:load"_s, u"cart:load:e"_s) << cart
                                       << "changed";
        QTest::newRow("self time changed though total is not")
            << base + u" x:a:200:3900:db:query"_s << base + u" x:a:200:1000:db:query"_s << cart << "changed";
        QTest::newRow("added") << base << base + u" x:b:6000:7000:db:insert"_s
                               << QStringList{u"web: GET /checkout"_s, u"pay: charge"_s, u"db: insert"_s} << "added";
        QTest::newRow("removed") << base + u" x:b:6000:7000:db:insert"_s << base
                                 << QStringList{u"web: GET /checkout"_s, u"pay: charge"_s, u"db: insert"_s}
                                 << "removed";
        QTest::newRow("moved under another parent is removed there")
            << base + u" x:a:200:300:db:query"_s << base + u" x:b:6000:6100:db:query"_s
            << QStringList{u"web: GET /checkout"_s, u"cart: load"_s, u"db: query"_s} << "removed";
        QTest::newRow("same name in another case")
            << base << QString(base).replace(u"GET_/checkout"_s, u"get_/CHECKOUT"_s) << cart << "same";
        QTest::newRow("renamed root: all added") << base << QString(base).replace(u"GET_/checkout"_s, u"GET_/cart"_s)
                                                 << QStringList{u"web: GET /cart"_s} << "added";
    }
    void status()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(QStringList, path);
        QFETCH(QString, status);
        const Dataset da = build(a);
        const Dataset db = build(b);
        const TraceDiff diff = diffOf(da, db);
        std::vector<std::string> p;
        for (const QString& s : path)
            p.push_back(s.toStdString());
        const std::uint32_t node = findNode(diff, p);
        QVERIFY(node != kNoIndex);
        QCOMPARE(QString::fromLatin1(toString(diff.nodes[node].status)), status);
        QCOMPARE(diff.count(DiffStatus::Added) + diff.count(DiffStatus::Removed) + diff.count(DiffStatus::Changed) +
                     diff.count(DiffStatus::Same),
                 diff.nodes.size());
    }

    void repeatedSiblingsMergeWithCounts()
    {
        QString a = u"r:-:0:100000:web:GET_/page"_s;
        QString b = a;
        for (int i = 0; i < 50; ++i) { // 50 sequential calls in A, 30 in B, ids and user numbers differing
            const QChar id(0x100 + i);
            const QString call = QStringLiteral(" %1:r:%2:%3:web:GET_user-profile_/user/%4")
                                     .arg(id)
                                     .arg(i * 1000)
                                     .arg(i * 1000 + 800)
                                     .arg(40 + i);
            a += call;
            if (i < 30)
                b += call;
        }
        const Dataset da = build(a);
        const Dataset db = build(b);
        const TraceDiff diff = diffOf(da, db);
        QCOMPARE(diff.nodes.size(), std::size_t(2));
        const DiffNode& calls = diff.nodes[1];
        QCOMPARE(calls.label, std::string("web: GET user-profile /user/{n}"));
        QCOMPARE(calls.parent, 0u);
        QCOMPARE(calls.depth, 1u);
        QCOMPARE(calls.a.count, 50u);
        QCOMPARE(calls.b.count, 30u);
        QCOMPARE(calls.a.totalNanos, TimeNs(50 * 800'000));
        QCOMPARE(calls.b.totalNanos, TimeNs(30 * 800'000));
        QCOMPARE(calls.status, DiffStatus::Changed);
        QCOMPARE(diff.normalisations, unsigned(NormalisedNumber));
        for (std::uint32_t node : diff.nodeOfSpanA)
            QVERIFY(node < diff.nodes.size());
        QCOMPARE(diff.nodeOfSpanA.size(), std::size_t(51));
        QCOMPARE(diff.nodeOfSpanB[5], 1u); // a call, not the root
    }

    void sidesSumTheirSpans()
    {
        const Dataset da = build(QString::fromLatin1(kBase) + u" x:a:200:900:db:query y:a:1000:1500:db:query"_s);
        const Dataset db = build(QString::fromLatin1(kBase));
        const TraceDiff diff = diffOf(da, db);
        const std::uint32_t cart = findNode(diff, {"web: GET /checkout", "cart: load"});
        QCOMPARE(diff.nodes[cart].a.totalNanos, TimeNs(3'900'000));
        QCOMPARE(diff.nodes[cart].a.selfNanos, TimeNs(3'900'000 - 700'000 - 500'000));
        QCOMPARE(diff.nodes[cart].b.selfNanos, TimeNs(3'900'000));
        const std::uint32_t root = findNode(diff, {"web: GET /checkout"});
        QCOMPARE(diff.nodes[root].subtreeEnd, std::uint32_t(diff.nodes.size()));
        QCOMPARE(diff.nodes[root].a.criticalNanos + diff.nodes[cart].a.criticalNanos +
                     diff.nodes[findNode(diff, {"web: GET /checkout", "pay: charge"})].a.criticalNanos +
                     diff.nodes[findNode(diff, {"web: GET /checkout", "cart: load", "db: query"})].a.criticalNanos,
                 diff.durationA);
        // Services: self time and critical-path time per side.
        const auto db_ = std::find_if(diff.services.begin(), diff.services.end(),
                                      [](const ServiceDelta& s) { return s.service == "db"; });
        QVERIFY(db_ != diff.services.end());
        QCOMPARE(db_->selfNanosA, TimeNs(1'200'000));
        QCOMPARE(db_->selfNanosB, TimeNs(0));
        QCOMPARE(db_->criticalPathNanosB, TimeNs(0));
        // Largest |Δ total| first.
        const std::vector<std::uint32_t> order = nodesByTotalDelta(diff);
        QCOMPARE(diff.nodes[order.front()].label, std::string("db: query"));
        QCOMPARE(diff.nodes[order.front()].status, DiffStatus::Removed);
    }

    void identicalTracesAreAllSame()
    {
        const LoadResult file = test::load(test::generatedTrace(u"jaeger"_s, 3000, {u"--seed"_s, u"3"_s}));
        const Trace& t = file.dataset.traces.front();
        verifyAllSame(diffTraces(file.dataset, t, file.dataset, t));
    }

    void sameSeedInOtherFormatsIsAllSame_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("sameCriticalPath"); // Zipkin cannot say a child is asynchronous
        QTest::newRow("otlp-json") << "otlp-json" << true;
        QTest::newRow("otlp-proto") << "otlp-proto" << true;
        QTest::newRow("zipkin, whose names are lower case") << "zipkin" << false;
    }
    void sameSeedInOtherFormatsIsAllSame()
    {
        QFETCH(QString, format);
        QFETCH(bool, sameCriticalPath);
        const QStringList args = {u"--seed"_s, u"11"_s, u"--traces"_s, u"2"_s};
        const LoadResult jaeger = test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000, args));
        const LoadResult other = test::load(test::generatedTrace(format, 3000, args));
        for (const Trace& t : jaeger.dataset.traces) {
            const Trace* match = other.dataset.findTrace(t.id);
            QVERIFY(match);
            const TraceDiff diff = diffTraces(jaeger.dataset, t, other.dataset, *match);
            for (const DiffNode& n : diff.nodes) {
                QVERIFY2(n.status == DiffStatus::Same, n.label.c_str());
                QVERIFY2(n.a.count == n.b.count && n.totalDelta() == 0 && n.selfDelta() == 0, n.label.c_str());
            }
            for (const ServiceDelta& s : diff.services) {
                QCOMPARE(s.selfNanosA, s.selfNanosB);
                if (sameCriticalPath) // OTLP's link to the parent says what Jaeger's FOLLOWS_FROM says
                    QCOMPARE(s.criticalPathNanosA, s.criticalPathNanosB);
            }
        }
    }

    void twoTracesOfOneFile()
    {
        DatasetBuilder b;
        test::addDescribedTrace(b, {0, 1}, QString::fromLatin1(kBase));
        test::addDescribedTrace(b, {0, 2}, QString::fromLatin1(kBase).replace(u"a:r:100:4000"_s, u"a:r:100:8000"_s));
        const Dataset data = b.finish(BuildOptions{.adjustClockSkew = false});
        QCOMPARE(data.traces.size(), std::size_t(2));
        const TraceDiff diff = diffTraces(data, data.traces[0], data, data.traces[1]);
        QCOMPARE(diff.nodes.size(), std::size_t(3));
        QCOMPARE(diff.nodes[findNode(diff, {"web: GET /checkout", "cart: load"})].status, DiffStatus::Changed);
        QCOMPARE(diff.nodes[findNode(diff, {"web: GET /checkout", "pay: charge"})].status, DiffStatus::Same);
        QCOMPARE(diff.nodeOfSpanB.size(), std::size_t(data.traces[1].count));
    }

    void datadogResourcesTellOperationsApart()
    {
        // Same operation name, resources that differ (one with an id in it, normalised). JSON is
        // written with ' for " (moc misreads raw strings holding an odd number of quotes).
        const auto json = [](std::string text) {
            std::replace(text.begin(), text.end(), '\'', '"');
            return text;
        };
        auto trace = [&](const std::string& spans) {
            return json("[[{'trace_id':7,'span_id':1,'parent_id':0,'name':'web.request','resource':'GET /cart',"
                        "'service':'web','start':1000,'duration':9000},") +
                   spans + "]]";
        };
        const auto span = [&](int id, const std::string& resource) {
            return json("{'trace_id':7,'span_id':" + std::to_string(id) +
                        ",'parent_id':1,'name':'postgres.query',"
                        "'resource':'" +
                        resource + "','service':'db','start':2000,'duration':1000}");
        };
        const LoadResult a = test::loadText(trace(span(2, "SELECT carts") + "," + span(3, "SELECT user 42")), false);
        const LoadResult b = test::loadText(trace(span(2, "SELECT carts") + "," + span(3, "SELECT user 43")), false);
        const LoadResult c = test::loadText(trace(span(2, "SELECT carts")), false);
        QCOMPARE(a.format, std::string("datadog"));
        verifyAllSame(diffOf(a.dataset, b.dataset));
        const TraceDiff diff = diffOf(a.dataset, c.dataset);
        const std::uint32_t gone = findNode(diff, {"web: web.request GET /cart", "db: postgres.query SELECT user {n}"});
        QVERIFY(gone != kNoIndex);
        QCOMPARE(diff.nodes[gone].status, DiffStatus::Removed);
        QCOMPARE(diff.nodes[findNode(diff, {"web: web.request GET /cart", "db: postgres.query SELECT carts"})].status,
                 DiffStatus::Same);
    }

    void orphansAndSeveralRootsAreTopLevelNodes()
    {
        const Dataset a = build(u"r:-:0:1000:web:a x:q:10:20:db:lost"_s);
        const Dataset b = build(u"r:-:0:1000:web:a"_s);
        const TraceDiff diff = diffOf(a, b);
        const std::uint32_t lost = findNode(diff, {"db: lost"});
        QVERIFY(lost != kNoIndex);
        QCOMPARE(diff.nodes[lost].parent, kNoIndex);
        QCOMPARE(diff.nodes[lost].status, DiffStatus::Removed);
    }

    void deepChainIsIterativeAndFast()
    {
        constexpr int kDepth = 100'000;
        const Dataset data = test::chainTrace(kDepth, [](int i) { return "call " + std::to_string(i); });
        QElapsedTimer timer;
        timer.start();
        const TraceDiff diff = diffTraces(data, data.traces.front(), data, data.traces.front());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(diff.nodes.size(), std::size_t(kDepth));
        QCOMPARE(diff.nodes.back().depth, std::uint32_t(kDepth - 1));
        QCOMPARE(diff.nodes.front().label, std::string("svc: call {n}"));
        QCOMPARE(diff.count(DiffStatus::Same), std::size_t(kDepth));
    }

    void cancellingStopsTheDiff()
    {
        const auto wide = test::wideTrace(300, 1000);
        const Dataset& data = *wide;
        const Trace& trace = data.traces.front();
        const TraceDiff whole = diffTraces(data, trace, data, trace);

        std::size_t asked = 0;
        const std::optional<TraceDiff> uncancelled = diffTraces(data, trace, data, trace, {}, [&] {
            ++asked;
            return false;
        });
        QVERIFY(uncancelled.has_value());
        QCOMPARE(uncancelled->nodes.size(), whole.nodes.size());
        QCOMPARE(uncancelled->nodeOfSpanB, whole.nodeOfSpanB);
        QCOMPARE(uncancelled->services.size(), whole.services.size());
        // Asked at least once every 4,096 spans of each side, but not for each span.
        const std::size_t spans = 2 * std::size_t(trace.count);
        QVERIFY2(asked >= spans / 4096 && asked <= spans / 1000, qPrintable(QString::number(asked)));

        for (const std::size_t stopAt : {std::size_t(1), asked / 2, asked}) {
            std::size_t calls = 0;
            const std::optional<TraceDiff> stopped = diffTraces(data, trace, data, trace, {},
                                                                [&] { return ++calls >= stopAt; });
            QVERIFY(!stopped.has_value());
            QCOMPARE(calls, stopAt); // stopped at the first "yes"
        }
    }

    void formatsSignedDeltas()
    {
        QCOMPARE(formatDurationDelta(1'200'000), std::string("+1.20 ms"));
        QCOMPARE(formatDurationDelta(-850'000), std::string("-850 µs"));
        QCOMPARE(formatDurationDelta(0), std::string("0 ns"));
        QCOMPARE(relativeChange(0, 5), std::optional<double>());
        QCOMPARE(*relativeChange(200, 300), 0.5);
    }
};

QTEST_GUILESS_MAIN(TestDiff)
#include "tst_diff.moc"
