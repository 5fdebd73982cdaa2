// Why a trace was slow: critical path, latency breakdowns and findings.
#include <test_support.h>

#include <breakdown.h>
#include <findings.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <map>

using namespace spanwise;

namespace {

constexpr TraceId kTrace{0, 0xabc};

// Builds a trace from a compact description, one span per word: "id:parent:start:end[:flags]" where
// id and parent are single letters (parent "-" for none) and flags are letters: f FOLLOWS_FROM,
// p producer, c consumer, e error. Service is "svc", operation "op" unless set with setCall.
class Tree {
public:
    explicit Tree(const QString& description)
    {
        for (const QString& word : description.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QStringList f = word.split(QLatin1Char(':'));
            SpanRecord r = record(idOf(f[0]), f[1] == QLatin1String("-") ? 0 : idOf(f[1]), f[2].toLongLong(),
                                  f[3].toLongLong());
            const QString flags = f.value(4);
            r.marks = flags.contains(QLatin1Char('f')) ? MarkFollowsFrom : 0;
            r.kind = flags.contains(QLatin1Char('p'))   ? SpanKind::Producer
                     : flags.contains(QLatin1Char('c')) ? SpanKind::Consumer
                                                        : SpanKind::Internal;
            r.status = flags.contains(QLatin1Char('e')) ? StatusCode::Error : StatusCode::Unset;
            m_builder.addSpan(r);
        }
    }
    Tree() = default;

    SpanRecord record(SpanId id, SpanId parent, TimeNs start, TimeNs end, const char* service = "svc",
                      const char* operation = "op")
    {
        SpanRecord r;
        r.traceId = kTrace;
        r.id = id;
        r.parentId = parent;
        r.start = start;
        r.end = end;
        r.kind = SpanKind::Internal;
        r.name = m_builder.intern(operation);
        r.resource = m_builder.addResource(m_builder.intern(service), {});
        return r;
    }
    void add(const SpanRecord& r) { m_builder.addSpan(r); }
    Dataset finish() { return m_builder.finish(BuildOptions{.adjustClockSkew = false}); }

    static SpanId idOf(const QString& letter) { return static_cast<SpanId>(letter.at(0).unicode()); }

private:
    DatasetBuilder m_builder;
};

// "A:0:10 B:10:40" for a path, with span ids back as letters.
QString describe(const Dataset& data, const std::vector<CriticalSegment>& path)
{
    QStringList words;
    for (const CriticalSegment& s : path)
        words << QStringLiteral("%1:%2:%3").arg(QChar(char16_t(data.spans[s.span].id))).arg(s.start).arg(s.end);
    return words.join(QLatin1Char(' '));
}

// Segments follow each other without gap or overlap from the root's start to its end.
void verifyTilesRoot(const Dataset& data, std::uint32_t root, const std::vector<CriticalSegment>& path)
{
    TimeNs at = data.spans[root].start;
    TimeNs total = 0;
    for (const CriticalSegment& s : path) {
        QCOMPARE(s.start, at);
        QVERIFY(s.end > s.start);
        QVERIFY(s.span >= root && s.span < data.spans[root].subtreeEnd);
        at = s.end;
        total += s.length();
    }
    QCOMPARE(total, data.spans[root].duration());
}

// Jaeger UI's test cases name spans "span-A" and traces "trace-abc": give them hex ids, as a real file has.
struct JaegerCase {
    QByteArray traceJson;
    std::map<QString, QString> hexOf; // the case's span id -> 16 hex digits
    QJsonArray expected;
};

QString hexId(std::map<QString, QString>& hexOf, const QString& id, int width)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{16}$"));
    if (auto it = hexOf.find(id); it != hexOf.end())
        return it->second;
    QString mapped = id;
    if (!hex.match(id).hasMatch())
        mapped = QStringLiteral("%1").arg(hexOf.size() + 1, width, 16, QLatin1Char('0'));
    return hexOf[id] = mapped;
}

JaegerCase readJaegerCase(int n)
{
    QFile file(test::dataPath(QStringLiteral("samples/critical-path/jaeger-ui-case-%1.json").arg(n)));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open case %d", n);
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    JaegerCase c;
    std::map<QString, QString> traceHex;
    QJsonObject trace = root[QStringLiteral("trace")].toObject();
    trace[QStringLiteral("traceID")] = hexId(traceHex, trace[QStringLiteral("traceID")].toString(), 32);
    QJsonArray spans;
    for (const QJsonValue& v : trace[QStringLiteral("spans")].toArray()) {
        QJsonObject span = v.toObject();
        span[QStringLiteral("spanID")] = hexId(c.hexOf, span[QStringLiteral("spanID")].toString(), 16);
        QJsonArray references;
        for (const QJsonValue& r : span[QStringLiteral("references")].toArray()) {
            QJsonObject ref = r.toObject();
            ref[QStringLiteral("spanID")] = hexId(c.hexOf, ref[QStringLiteral("spanID")].toString(), 16);
            if (ref.contains(QStringLiteral("traceID")))
                ref[QStringLiteral("traceID")] = trace[QStringLiteral("traceID")];
            references.append(ref);
        }
        span[QStringLiteral("references")] = references;
        spans.append(span);
    }
    trace[QStringLiteral("spans")] = spans;
    c.traceJson = QJsonDocument(trace).toJson(QJsonDocument::Compact);
    c.expected = root[QStringLiteral("criticalPathSections")].toArray();
    return c;
}

std::uint32_t indexOf(const Dataset& data, SpanId id)
{
    const Span* s = test::findSpan(data, id);
    return s ? static_cast<std::uint32_t>(s - data.spans.data()) : kNoIndex;
}

// A parent "front: handle" with `count` children of 10 ns each, `step` ns apart: "db: SELECT orders"
// first, then "db: SELECT users".
Dataset parentWithCalls(int count, TimeNs step)
{
    Tree tree;
    tree.add(tree.record(1, 0, 0, 10'000, "front", "handle"));
    for (int i = 0; i < count; ++i) {
        const TimeNs start = 100 + i * step;
        tree.add(tree.record(100 + i, 1, start, start + 10, "db", i == 0 ? "SELECT orders" : "SELECT users"));
    }
    return tree.finish();
}

std::vector<Finding> findingsOf(const Dataset& data, FindingKind kind, const FindingOptions& options = {})
{
    const Trace& trace = data.traces.front();
    std::vector<Finding> all = findFindings(data, trace, criticalPath(data, trace), options);
    std::erase_if(all, [&](const Finding& f) { return f.kind != kind; });
    return all;
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT
private slots:
    void jaegerUiCases_data()
    {
        QTest::addColumn<int>("number");
        const char* names[] = {"children in sequence",
                               "overlapping children",
                               "producer with a late client",
                               "child after its parent ends",
                               "consumer FOLLOWS_FROM a producer",
                               "grandchild starting before its parent",
                               "grandchild clipped at the end",
                               "child starting before its parent",
                               "child wholly before its parent"};
        for (int n = 1; n <= 9; ++n)
            QTest::newRow(qPrintable(QStringLiteral("%1: %2").arg(n).arg(QLatin1String(names[n - 1])))) << n;
    }
    void jaegerUiCases()
    {
        QFETCH(int, number);
        JaegerCase c = readJaegerCase(number);
        LoadOptions options;
        options.build.adjustClockSkew = false; // the expected sections use the times as written
        const LoadResult loaded = test::loadText(c.traceJson.toStdString(), false, options);
        QCOMPARE(loaded.dataset.traces.size(), std::size_t(1));
        const Dataset& data = loaded.dataset;
        const std::vector<CriticalSegment> path = criticalPath(data, data.traces.front());
        // Jaeger UI lists the sections latest first.
        QCOMPARE(path.size(), std::size_t(c.expected.size()));
        for (qsizetype i = 0; i < c.expected.size(); ++i) {
            const QJsonObject want = c.expected[c.expected.size() - 1 - i].toObject();
            const CriticalSegment& got = path[static_cast<std::size_t>(i)];
            QCOMPARE(QString::fromStdString(toHex(data.spans[got.span].id)),
                     c.hexOf.at(want[QStringLiteral("spanID")].toString()));
            QCOMPARE(got.start, TimeNs(want[QStringLiteral("sectionStart")].toInteger()) * 1000);
            QCOMPARE(got.end, TimeNs(want[QStringLiteral("sectionEnd")].toInteger()) * 1000);
        }
    }

    void criticalPathOfHandBuiltTrees_data()
    {
        QTest::addColumn<QString>("tree");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nested") << "A:-:0:100 B:A:10:90 C:B:20:80"
                                << "A:0:10 B:10:20 C:20:80 B:80:90 A:90:100";
        QTest::newRow("children with gaps") << "A:-:0:100 B:A:10:40 C:A:50:90"
                                            << "A:0:10 B:10:40 A:40:50 C:50:90 A:90:100";
        QTest::newRow("back-to-back: as in Jaeger UI the earlier child is not on the path")
            << "A:-:0:100 B:A:0:50 C:A:50:100"
            << "A:0:50 C:50:100";
        QTest::newRow("overlapped children are hidden by the last to finish")
            << "A:-:0:100 B:A:10:70 C:A:20:60 D:A:50:90"
            << "A:0:50 D:50:90 A:90:100";
        QTest::newRow("a child overlapping the next is skipped") << "A:-:0:100 B:A:10:40 C:A:30:60 D:A:55:90"
                                                                 << "A:0:10 B:10:40 A:40:55 D:55:90 A:90:100";
        QTest::newRow("child past the parent's end is clipped") << "A:-:0:100 B:A:50:150"
                                                                << "A:0:50 B:50:100";
        QTest::newRow("child before the parent's start is clipped") << "A:-:10:100 B:A:0:50"
                                                                    << "B:10:50 A:50:100";
        QTest::newRow("child covering the parent is clipped") << "A:-:10:100 B:A:0:150"
                                                              << "B:10:100";
        QTest::newRow("child starting at the parent's end is outside") << "A:-:0:100 B:A:100:150"
                                                                       << "A:0:100";
        QTest::newRow("child ending at the parent's start is outside") << "A:-:10:100 B:A:0:10"
                                                                       << "A:10:100";
        QTest::newRow("grandchild outside its clipped parent") << "A:-:0:100 B:A:50:150 C:B:120:140"
                                                               << "A:0:50 B:50:100";
        QTest::newRow("grandchild clipped to its clipped parent") << "A:-:0:100 B:A:50:150 C:B:90:140"
                                                                  << "A:0:50 B:50:90 C:90:100";
        QTest::newRow("FOLLOWS_FROM child does not block") << "A:-:0:100 B:A:20:60:f"
                                                           << "A:0:100";
        QTest::newRow("FOLLOWS_FROM subtree does not block") << "A:-:0:100 B:A:20:60:f C:B:30:50"
                                                             << "A:0:100";
        QTest::newRow("consumer of a producer does not block") << "A:-:0:100:p B:A:10:50:c"
                                                               << "A:0:100";
        QTest::newRow("consumer under a non-producer blocks") << "A:-:0:100 B:A:10:50:c"
                                                              << "A:0:10 B:10:50 A:50:100";
        QTest::newRow("equal ends: the earlier start wins") << "A:-:0:100 B:A:10:80 C:A:30:80"
                                                            << "A:0:10 B:10:80 A:80:100";
        QTest::newRow("zero-length child") << "A:-:0:100 B:A:50:50"
                                           << "A:0:100";
        QTest::newRow("zero-length children at a boundary") << "A:-:0:100 B:A:20:50 C:A:50:50 D:A:50:50"
                                                            << "A:0:20 B:20:50 A:50:100";
        QTest::newRow("zero-length root") << "A:-:10:10 B:A:10:10"
                                          << "";
        QTest::newRow("leaf root") << "A:-:5:25"
                                   << "A:5:25";
    }
    void criticalPathOfHandBuiltTrees()
    {
        QFETCH(QString, tree);
        QFETCH(QString, expected);
        const Dataset data = Tree(tree).finish();
        const std::vector<CriticalSegment> path = criticalPath(data, data.traces.front());
        QCOMPARE(describe(data, path), expected);
        verifyTilesRoot(data, 0, path);
    }

    void severalRootsAreMergedInTimeOrder()
    {
        const Dataset data = Tree(QStringLiteral("A:-:0:100 B:A:10:20 R:-:50:150 S:Z:60:70")).finish();
        const Trace& trace = data.traces.front();
        QCOMPARE(data.topLevelSpans(trace).size(), std::size_t(3)); // S is an orphan: its own root
        const std::vector<CriticalSegment> path = criticalPath(data, trace);
        QCOMPARE(describe(data, path), QStringLiteral("A:0:10 B:10:20 A:20:100 R:50:150 S:60:70"));
        const std::vector<TimeNs> perSpan = criticalTimePerSpan(trace, path);
        QCOMPARE(perSpan[indexOf(data, Tree::idOf(QStringLiteral("A"))) - trace.first], TimeNs(90));
        QCOMPARE(perSpan[indexOf(data, Tree::idOf(QStringLiteral("R"))) - trace.first], TimeNs(100));
    }

    void deepChainWithoutRecursion()
    {
        constexpr int kDepth = 100'000;
        Tree tree;
        for (int i = 0; i < kDepth; ++i) // each span one ns inside its parent at both ends
            tree.add(tree.record(SpanId(i + 1), SpanId(i), i, 2 * kDepth - i));
        const Dataset data = tree.finish();
        const std::vector<CriticalSegment> path = criticalPath(data, data.traces.front());
        QCOMPARE(path.size(), std::size_t(2 * kDepth - 1)); // down the front edges, the leaf, up the back edges
        QCOMPARE(data.spans[path[kDepth - 1].span].depth, std::uint32_t(kDepth - 1));
        verifyTilesRoot(data, 0, path);
    }

    void generatedTraceTilesEveryRoot()
    {
        const LoadResult loaded = test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000));
        const Dataset& data = loaded.dataset;
        for (const Trace& trace : data.traces) {
            for (std::uint32_t root : data.topLevelSpans(trace))
                verifyTilesRoot(data, root, criticalPath(data, root));
        }
    }

    void breakdownOfASmallTree_data()
    {
        QTest::addColumn<int>("grouping");
        QTest::addColumn<int>("rows");
        QTest::newRow("by service") << int(BreakdownGrouping::Service) << 2;
        QTest::newRow("by operation") << int(BreakdownGrouping::Operation) << 3;
        QTest::newRow("by service and operation") << int(BreakdownGrouping::ServiceOperation) << 4;
    }
    void breakdownOfASmallTree()
    {
        QFETCH(int, grouping);
        QFETCH(int, rows);
        // front: handle 0..100 calls db: get 10..40 (failing), db: get 50..90, db: put 92..96 and front: get 96..98.
        Tree tree;
        tree.add(tree.record(1, 0, 0, 100, "front", "handle"));
        SpanRecord failing = tree.record(2, 1, 10, 40, "db", "get");
        failing.status = StatusCode::Error;
        tree.add(failing);
        tree.add(tree.record(3, 1, 50, 90, "db", "get"));
        tree.add(tree.record(4, 1, 92, 96, "db", "put"));
        tree.add(tree.record(5, 1, 96, 98, "front", "get"));
        const Dataset data = tree.finish();
        const Trace& trace = data.traces.front();
        const std::vector<BreakdownRow> table = computeBreakdown(data, trace, BreakdownGrouping(grouping),
                                                                 criticalPath(data, trace));
        QCOMPARE(int(table.size()), rows);
        TimeNs self = 0, critical = 0, total = 0;
        double share = 0;
        std::uint32_t count = 0;
        for (const BreakdownRow& row : table) {
            self += row.selfNanos;
            critical += row.criticalPathNanos;
            total += row.totalNanos;
            share += row.selfShare;
            count += row.spanCount;
            QCOMPARE(std::size_t(row.spanCount), row.spans.size());
        }
        QCOMPARE(self, TimeNs(100)); // children do not overlap: self times add up to the root
        QCOMPARE(critical, TimeNs(100));
        QCOMPARE(total, TimeNs(176));
        QCOMPARE(count, 5u);
        QVERIFY(qAbs(share - 1.0) < 1e-9);
        if (BreakdownGrouping(grouping) != BreakdownGrouping::Service)
            return;
        const BreakdownRow& db = table[0]; // most self time first
        QCOMPARE(data.str(db.service), std::string_view("db"));
        QCOMPARE(db.spanCount, 3u);
        QCOMPARE(db.errorCount, 1u);
        QCOMPARE(db.totalNanos, TimeNs(74));
        QCOMPARE(db.selfNanos, TimeNs(74));
        QCOMPARE(db.criticalPathNanos, TimeNs(70)); // put (92-96) ends as front starts: off the path, as in Jaeger UI
        QCOMPARE(db.minNanos, TimeNs(4));
        QCOMPARE(db.maxNanos, TimeNs(40));
        QCOMPARE(db.p50Nanos, TimeNs(30));
        QCOMPARE(db.p95Nanos, TimeNs(40));
        QCOMPARE(db.avgNanos, TimeNs(24));
        const BreakdownRow& front = table[1];
        QCOMPARE(front.spanCount, 2u);
        QCOMPARE(front.selfNanos, TimeNs(26)); // handle: 100 - 74 - 2; get: 2
        QCOMPARE(front.totalNanos, TimeNs(102));
        QCOMPARE(front.errorCount, 0u);
        QVERIFY(qAbs(front.selfShare - 0.26) < 1e-9);
    }

    void repeatedCalls_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("kind");
        // The first child has another operation: `count - 1` identical calls.
        QTest::newRow("5 in sequence") << 6 << 20 << "n-plus-one";
        QTest::newRow("4 in sequence: under the threshold") << 5 << 20 << "";
        QTest::newRow("back to back") << 6 << 10 << "n-plus-one";
        QTest::newRow("slight overlap") << 6 << 9 << "n-plus-one";
        QTest::newRow("5 in parallel") << 6 << 2 << "fan-out";
        QTest::newRow("all at once") << 30 << 0 << "fan-out";
    }
    void repeatedCalls()
    {
        QFETCH(int, count);
        QFETCH(int, step);
        QFETCH(QString, kind);
        const Dataset data = parentWithCalls(count, step);
        const Trace& trace = data.traces.front();
        std::vector<Finding> found = findFindings(data, trace, criticalPath(data, trace));
        std::erase_if(
            found, [](const Finding& f) { return f.kind != FindingKind::NPlusOne && f.kind != FindingKind::FanOut; });
        if (kind.isEmpty()) {
            QVERIFY(found.empty());
            return;
        }
        QCOMPARE(found.size(), std::size_t(1));
        const Finding& f = found.front();
        QCOMPARE(QString::fromLatin1(toString(f.kind)), kind);
        QCOMPARE(f.spans.size(), std::size_t(count - 1));
        for (std::uint32_t i : f.spans)
            QCOMPARE(data.str(data.spans[i].name), std::string_view("SELECT users"));
        const TimeNs wall = data.spans[f.spans.back()].end - data.spans[f.spans.front()].start;
        QCOMPARE(f.nanos, std::min<TimeNs>(wall, TimeNs(count - 1) * 10));
        const QString message = QString::fromStdString(f.message);
        QVERIFY2(message.startsWith(QStringLiteral("front calls SELECT users on db %1× in ").arg(count - 1)),
                 qPrintable(message));
        QVERIFY2(message.contains(kind == QLatin1String("fan-out") ? QStringLiteral("in parallel under handle")
                                                                   : QStringLiteral("in sequence under handle")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("of the critical path")) ||
                     message.endsWith(QStringLiteral("not on the critical path")),
                 qPrintable(message));
    }

    void nPlusOneMessageGivesTheShareOfTheCriticalPath()
    {
        // 5 sequential calls of 30 ns, 2 ns apart, in a 200 ns request: 150 ns, 75% of the critical path.
        Tree tree;
        tree.add(tree.record(1, 0, 0, 200, "checkout", "POST /api/checkout"));
        for (int i = 0; i < 5; ++i)
            tree.add(tree.record(10 + i, 1, 20 + 32 * i, 50 + 32 * i, "checkout", "GET user-profile"));
        const Dataset data = tree.finish();
        const std::vector<Finding> found = findingsOf(data, FindingKind::NPlusOne);
        QCOMPARE(found.size(), std::size_t(1));
        QCOMPARE(found[0].message, std::string("checkout calls GET user-profile 5× in sequence under "
                                               "POST /api/checkout: 150 ns, 75% of the critical path"));
        QCOMPARE(found[0].nanos, TimeNs(150));
    }

    void errorsNameWhereTheFailureStartedAndWhereItEnded()
    {
        // A (ok) <- B (error) <- C (error) <- D (error, the origin); E fails alone.
        Tree tree(QStringLiteral("A:-:0:100 B:A:10:90:e C:B:20:80:e D:C:30:40:e E:A:91:95:e"));
        const Dataset data = tree.finish();
        const std::vector<Finding> found = findingsOf(data, FindingKind::Error);
        QCOMPARE(found.size(), std::size_t(2));
        const Finding& chain = found[0]; // more time at stake: B's 80 ns
        QCOMPARE(chain.nanos, TimeNs(80));
        QCOMPARE(chain.spans.size(), std::size_t(3));
        QCOMPARE(data.spans[chain.spans.front()].id, Tree::idOf(QStringLiteral("B")));
        QCOMPARE(chain.message, std::string("svc: op failed; propagated up to svc: op (3 failing spans)"));
        QCOMPARE(found[1].spans, std::vector<std::uint32_t>{indexOf(data, Tree::idOf(QStringLiteral("E")))});
        QCOMPARE(found[1].message, std::string("svc: op failed"));
    }

    void gapsAreParentTimeOnTheCriticalPath_data()
    {
        QTest::addColumn<QString>("tree");
        QTest::addColumn<QString>("messages");
        QTest::newRow("before the first child") << "A:-:0:100 B:A:80:100"
                                                << "svc: op spends 80 ns on its own before its first child call, "
                                                   "80% of the critical path";
        QTest::newRow("between children") << "A:-:0:100 B:A:0:10 C:A:60:100"
                                          << "svc: op spends 50 ns on its own between child calls, "
                                             "50% of the critical path";
        QTest::newRow("after the last child") << "A:-:0:100 B:A:0:30"
                                              << "svc: op spends 70 ns on its own after its last child call, "
                                                 "70% of the critical path";
        QTest::newRow("only async children") << "A:-:0:100 B:A:0:30:f"
                                             << "svc: op spends 100 ns on its own with no child call covering it, "
                                                "100% of the critical path";
        QTest::newRow("short gaps are not reported") << "A:-:0:100 B:A:0:45 C:A:50:100"
                                                     << "";
        QTest::newRow("leaves are not gaps") << "A:-:0:100"
                                             << "";
    }
    void gapsAreParentTimeOnTheCriticalPath()
    {
        QFETCH(QString, tree);
        QFETCH(QString, messages);
        const Dataset data = Tree(tree).finish();
        FindingOptions options;
        options.minGapNanos = 10;
        options.minGapShare = 0.2;
        QStringList found;
        for (const Finding& f : findingsOf(data, FindingKind::Gap, options))
            found << QString::fromStdString(f.message);
        QCOMPARE(found.join(QLatin1Char('\n')), messages);
    }

    void generatedTraceHasNPlusOneAndIsFast()
    {
        const LoadResult loaded = test::load(test::generatedTrace(QStringLiteral("jaeger"), 3000));
        const Dataset& data = loaded.dataset;
        QElapsedTimer timer;
        timer.start();
        std::map<FindingKind, int> kinds;
        for (const Trace& trace : data.traces) {
            const std::vector<CriticalSegment> path = criticalPath(data, trace);
            QVERIFY(!computeBreakdown(data, trace, BreakdownGrouping::ServiceOperation, path).empty());
            for (const Finding& f : findFindings(data, trace, path)) {
                ++kinds[f.kind];
                QVERIFY(!f.spans.empty());
                QVERIFY(!f.message.empty());
            }
        }
        QVERIFY(timer.elapsed() < 1000);
        QVERIFY(kinds[FindingKind::NPlusOne] > 0);
        QVERIFY(kinds[FindingKind::FanOut] > 0);
        QVERIFY(kinds[FindingKind::Error] > 0);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
