// `spanwise folded`: merged call paths in the folded-stack format flame-graph tools read, checked by
// running the binary on the real samples and reading its output as flamegraph.pl and speedscope do.
#include <test_support.h>

#include <call_tree.h>
#include <self_time.h>

#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;
using test::runSpanwise;

namespace {

using Run = test::ProcessRun;

struct FoldedLine {
    QStringList frames;
    qint64 value = 0;
};

// The lines as speedscope's importer reads them (`^(.*) (\d+)$`, frames split on ';'), failing the
// test on any line it would skip or misread, or on a path printed twice.
std::vector<FoldedLine> parseFolded(const QByteArray& out)
{
    std::vector<FoldedLine> lines;
    if (out.isEmpty())
        return lines;
    if (!out.endsWith('\n')) {
        QTest::qFail("output does not end with a newline", __FILE__, __LINE__);
        return {};
    }
    static const QRegularExpression kLine(QStringLiteral("^(.*) ([0-9]+)$"));
    QSet<QString> paths;
    for (const QByteArray& raw : out.chopped(1).split('\n')) {
        const QString text = QString::fromUtf8(raw);
        const QRegularExpressionMatch m = kLine.match(text);
        if (!m.hasMatch() || paths.contains(m.captured(1)) || m.captured(2).toLongLong() <= 0 ||
            m.captured(1).split(QLatin1Char(';')).contains(QString())) {
            QTest::qFail(qPrintable(QStringLiteral("bad line: ") + text), __FILE__, __LINE__);
            return {};
        }
        paths.insert(m.captured(1));
        lines.push_back({m.captured(1).split(QLatin1Char(';')), m.captured(2).toLongLong()});
    }
    return lines;
}

qint64 sumOf(const std::vector<FoldedLine>& lines)
{
    qint64 sum = 0;
    for (const FoldedLine& l : lines)
        sum += l.value;
    return sum;
}

TimeNs selfTimeOf(const Dataset& data, const Trace& trace)
{
    TimeNs sum = 0;
    for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
        sum += selfTime(data, i);
    return sum;
}

// What --weight total adds up to: the top-level durations, plus where children together outlast
// their parent (parallel calls) the excess, as the parent's frame is then as wide as its children.
TimeNs totalWeightOf(const Dataset& data, const Trace& trace)
{
    const CallTree tree = buildCallTree(data, trace, trace.first, trace.end_index());
    std::vector<TimeNs> children(tree.nodes.size(), 0);
    for (const CallTreeNode& n : tree.nodes) {
        if (n.parent != kNoIndex)
            children[n.parent] += n.totalNanos;
    }
    TimeNs sum = 0;
    for (std::uint32_t root : data.topLevelSpans(trace))
        sum += data.spans[root].duration();
    for (std::uint32_t n = 0; n < tree.nodes.size(); ++n)
        sum += std::max<TimeNs>(0, children[n] - tree.nodes[n].totalNanos);
    return sum;
}

QString sample(const char* name)
{
    return test::dataPath(QStringLiteral("samples/") + QLatin1String(name));
}

} // namespace

class TestFoldedCli : public QObject {
    Q_OBJECT
private slots:
    void valuesAddUpOnTheSamples_data()
    {
        QTest::addColumn<QString>("path");
        for (const char* name : {"jaeger-ui_01.json", "zipkin-v2-yelp.json", "zipkin-v2-messaging-kafka.json",
                                 "zipkin-v2-skew.json", "otlp-json-example.json", "datadog-graphql-error.json",
                                 "datadog-otel-span-kinds.json", "datadog-span-links-legacy.json",
                                 "xray-batch-get-traces.json", "xray-daemon-server.txt", "xray-in-progress.txt"})
            QTest::newRow(name) << sample(name);
        QTest::newRow("example") << test::exampleTrace();
    }
    void valuesAddUpOnTheSamples()
    {
        QFETCH(QString, path);
        const LoadResult file = test::load(path, true);
        const Dataset& data = file.dataset;
        QVERIFY(!data.traces.empty());
        TimeNs self = 0;
        TimeNs total = 0;
        for (const Trace& t : data.traces) {
            self += selfTimeOf(data, t);
            total += totalWeightOf(data, t);
        }
        const Run bySelf = runSpanwise({QStringLiteral("folded"), path});
        QCOMPARE(bySelf.exitCode, 0);
        QCOMPARE(bySelf.err, QByteArray());
        const std::vector<FoldedLine> selfLines = parseFolded(bySelf.out);
        QCOMPARE(sumOf(selfLines), qint64(self));
        const Run byTotal = runSpanwise(
            {QStringLiteral("folded"), path, QStringLiteral("--weight"), QStringLiteral("total")});
        QCOMPARE(byTotal.exitCode, 0);
        QCOMPARE(byTotal.err, QByteArray());
        QCOMPARE(sumOf(parseFolded(byTotal.out)), qint64(total));
        // Root first: every first frame is a top-level span's.
        QSet<QString> topLevel;
        for (const Trace& t : data.traces) {
            for (std::uint32_t root : data.topLevelSpans(t))
                topLevel.insert(QString::fromStdString(operationKeyOf(data, data.spans[root]).label).toLower());
        }
        for (const FoldedLine& l : selfLines)
            QVERIFY2(topLevel.contains(l.frames.front().toLower()), qPrintable(l.frames.join(QLatin1Char(';'))));
    }

    void pathsAreTheMergedTree()
    {
        // The example: one trace, whose merged tree's paths are the lines, self times as values.
        const QString path = test::exampleTrace();
        const LoadResult file = test::load(path);
        const Trace& t = file.dataset.traces.front();
        const CallTree tree = buildCallTree(file.dataset, t, t.first, t.end_index());
        const Run r = runSpanwise({QStringLiteral("folded"), path});
        const std::vector<FoldedLine> lines = parseFolded(r.out);
        std::size_t withSelf = 0;
        for (std::uint32_t n = 0; n < tree.nodes.size(); ++n) {
            if (tree.nodes[n].selfNanos == 0)
                continue;
            QStringList frames;
            for (std::uint32_t p = n; p != kNoIndex; p = tree.nodes[p].parent)
                frames.prepend(QString::fromStdString(tree.labelOf(p)));
            const auto line = std::find_if(lines.begin(), lines.end(),
                                           [&](const FoldedLine& l) { return l.frames == frames; });
            QVERIFY2(line != lines.end(), qPrintable(frames.join(QLatin1Char(';'))));
            QCOMPARE(line->value, qint64(tree.nodes[n].selfNanos));
            ++withSelf;
        }
        QCOMPARE(lines.size(), withSelf);
        QVERIFY(lines.size() > 5);
        // Left heavy, root first: the first line is the root alone or its heaviest path.
        QCOMPARE(lines.front().frames.front(), QString::fromStdString(tree.labelOf(0)));
    }

    void chooseOneTrace()
    {
        const QString path = sample("datadog-otel-span-kinds.json");
        const LoadResult file = test::load(path, true);
        QCOMPARE(file.dataset.traces.size(), std::size_t(5));
        for (const Trace& t : file.dataset.traces) {
            const QString id = QString::fromStdString(toHex(t.id));
            const Run r = runSpanwise({QStringLiteral("folded"), path, QStringLiteral("--trace"), id});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.err, QByteArray());
            QCOMPARE(sumOf(parseFolded(r.out)), qint64(selfTimeOf(file.dataset, t)));
        }
    }

    void namesAreMadeSafeAndIdenticalPathsMerge()
    {
        // "get;x" and "get x" are one frame once ';' is a space; a line break in a name too.
        const QByteArray trace =
            "{\"data\":[{\"traceID\":\"1\",\"spans\":["
            "{\"traceID\":\"1\",\"spanID\":\"1\",\"operationName\":\"root\",\"startTime\":1000,\"duration\":100,"
            "\"processID\":\"p1\"},"
            "{\"traceID\":\"1\",\"spanID\":\"2\",\"operationName\":\"get;x\",\"startTime\":1010,\"duration\":20,"
            "\"processID\":\"p1\",\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"1\",\"spanID\":\"1\"}]},"
            "{\"traceID\":\"1\",\"spanID\":\"3\",\"operationName\":\"get x\",\"startTime\":1040,\"duration\":30,"
            "\"processID\":\"p1\",\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"1\",\"spanID\":\"1\"}]},"
            "{\"traceID\":\"1\",\"spanID\":\"4\",\"operationName\":\"two\\nlines\",\"startTime\":1080,\"duration\":0,"
            "\"processID\":\"p1\",\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"1\",\"spanID\":\"1\"}]}"
            "],\"processes\":{\"p1\":{\"serviceName\":\"svc\"}}}]}";
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("names.json"));
        QVERIFY(test::writeFile(path, trace));
        const Run r = runSpanwise({QStringLiteral("folded"), path});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("svc: root 50000\nsvc: root;svc: get x 50000\n")); // zero-length span left out
        const Run total = runSpanwise({QStringLiteral("folded"), path, QStringLiteral("--weight=total")});
        QCOMPARE(total.out, QByteArray("svc: root 50000\nsvc: root;svc: get x 50000\n"));
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString file = sample("jaeger-ui_01.json");
        QTest::newRow("no file") << QStringList{} << QStringLiteral("no file given");
        QTest::newRow("two files") << QStringList{file, file} << QStringLiteral("one trace file at a time");
        QTest::newRow("unknown option") << QStringList{file, QStringLiteral("--json")}
                                        << QStringLiteral("unknown option --json");
        QTest::newRow("weight") << QStringList{file, QStringLiteral("--weight"), QStringLiteral("wall")}
                                << QStringLiteral("--weight takes self or total, not wall");
        QTest::newRow("trace without id")
            << QStringList{file, QStringLiteral("--trace")} << QStringLiteral("--trace needs a value");
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runSpanwise(QStringList{QStringLiteral("folded")} + args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.startsWith(QByteArray("spanwise folded: " + message.toUtf8() + '\n')), r.err.constData());
        QVERIFY(r.err.contains("usage: spanwise folded FILE"));
    }

    void help()
    {
        const Run r = runSpanwise({QStringLiteral("folded"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("usage: spanwise folded FILE [--trace ID] [--weight self|total]\n"));
        QCOMPARE(r.err, QByteArray());
    }

    void unknownTraceAndUnreadableFile()
    {
        const Run r = runSpanwise({QStringLiteral("folded"), sample("xray-batch-get-traces.json"),
                                   QStringLiteral("--trace"), QStringLiteral("0123456789abcdef")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.contains("no trace 0123456789abcdef in the file; it holds"), r.err.constData());

        QTemporaryDir dir;
        const Run missing = runSpanwise({QStringLiteral("folded"), dir.filePath(QStringLiteral("absent.json"))});
        QCOMPARE(missing.exitCode, 1);
        QCOMPARE(missing.out, QByteArray());
        QVERIFY(!missing.err.isEmpty());

        const QString truncated = dir.filePath(QStringLiteral("truncated.json"));
        const QByteArray whole = test::readFile(sample("jaeger-ui_01.json"));
        QVERIFY(test::writeFile(truncated, whole.left(whole.size() * 2 / 3)));
        const Run partial = runSpanwise({QStringLiteral("folded"), truncated});
        QCOMPARE(partial.exitCode, 1);
        QVERIFY(partial.err.contains("was not read completely"));
    }
};

QTEST_GUILESS_MAIN(TestFoldedCli)
#include "tst_folded_cli.moc"
