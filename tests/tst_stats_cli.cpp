// `spanwise stats`: durations across the traces of many files, checked by running the binary on
// generated files and comparing its JSON with the same numbers worked out here from the loaded spans.
#include <test_support.h>

#include <call_path.h>
#include <critical_path.h>
#include <self_time.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
using namespace spanwise;
using test::runSpanwise;

namespace {

using Run = test::ProcessRun;

// What a group of the JSON must hold, counted directly from the spans.
struct Expected {
    std::vector<TimeNs> durations;
    qint64 errors = 0;
    std::map<std::pair<int, std::uint32_t>, std::pair<TimeNs, TimeNs>> perTrace; // (file, trace) → self, critical
};

TimeNs rankOf(std::vector<TimeNs> values, qint64 percent)
{
    std::sort(values.begin(), values.end());
    const auto n = static_cast<qint64>(values.size());
    const qint64 rank = std::max<qint64>(1, (percent * n + 99) / 100); // ⌈p · n / 100⌉ in integers
    return values[static_cast<std::size_t>(rank - 1)];
}

std::map<std::string, Expected> expectedGroups(const std::vector<const Dataset*>& files, const QString& grouping)
{
    std::map<std::string, Expected> groups;
    for (int f = 0; f < static_cast<int>(files.size()); ++f) {
        const Dataset& data = *files[static_cast<std::size_t>(f)];
        for (std::uint32_t t = 0; t < data.traces.size(); ++t) {
            const Trace& trace = data.traces[t];
            const std::vector<CriticalSegment> path = criticalPath(data, trace);
            const std::vector<TimeNs> critical = criticalTimePerSpan(trace, path);
            if (grouping == "root"_L1) {
                Expected& g = groups[operationKeyOf(data, data.spans[trace.first]).label];
                g.durations.push_back(trace.duration());
                g.errors += trace.errorCount > 0;
                TimeNs onPath = 0;
                for (TimeNs c : critical)
                    onPath += c;
                g.perTrace[{f, t}] = {selfTime(data, trace.first), onPath};
                continue;
            }
            for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
                const Span& s = data.spans[i];
                const std::string key = grouping == "service"_L1 ? std::string(data.str(s.service))
                                                                 : operationKeyOf(data, s).label;
                Expected& g = groups[key];
                g.durations.push_back(s.duration());
                g.errors += s.status == StatusCode::Error;
                auto& [self, onPath] = g.perTrace[{f, t}];
                self += selfTime(data, i);
                onPath += critical[i - trace.first];
            }
        }
    }
    return groups;
}

qint64 meanOf(const Expected& g, bool self)
{
    double sum = 0;
    for (const auto& [trace, times] : g.perTrace)
        sum += static_cast<double>(self ? times.first : times.second);
    return std::llround(sum / static_cast<double>(g.perTrace.size()));
}

QJsonObject parse(const Run& r)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        QTest::qFail(qPrintable(u"not JSON: "_s + error.errorString()), __FILE__, __LINE__);
    return doc.object();
}

QString firstFile()
{
    return test::generatedTrace(u"jaeger"_s, 3000, {u"--traces"_s, u"40"_s, u"--seed"_s, u"3"_s});
}

QString secondFile()
{
    return test::generatedTrace(u"otlp-json"_s, 1000, {u"--traces"_s, u"15"_s, u"--seed"_s, u"4"_s});
}

// Everything past the key in a table row: the numbers, which must line up under the header.
qsizetype columnEnd(const QString& line, const QString& word)
{
    const qsizetype at = line.indexOf(word);
    return at < 0 ? -1 : at + word.size();
}

} // namespace

class TestStatsCli : public QObject {
    Q_OBJECT
private slots:
    void jsonMatchesTheSpans_data()
    {
        QTest::addColumn<QString>("grouping");
        QTest::newRow("root") << u"root"_s;
        QTest::newRow("service") << u"service"_s;
        QTest::newRow("operation") << u"operation"_s;
    }
    void jsonMatchesTheSpans()
    {
        QFETCH(QString, grouping);
        const LoadResult a = test::load(firstFile());
        const LoadResult b = test::load(secondFile());
        const Run r = runSpanwise({u"stats"_s, firstFile(), secondFile(), u"--group"_s, grouping, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QJsonObject doc = parse(r);
        QCOMPARE(doc.keys(), (QStringList{u"groups"_s, u"spans"_s, u"traces"_s}));
        QVERIFY(r.out.startsWith("{\n  \"traces\": ")); // the documented order
        QCOMPARE(doc[u"traces"_s].toInteger(), qint64(a.dataset.traces.size() + b.dataset.traces.size()));
        QCOMPARE(doc[u"spans"_s].toInteger(), qint64(a.dataset.spans.size() + b.dataset.spans.size()));

        const std::map<std::string, Expected> expected = expectedGroups({&a.dataset, &b.dataset}, grouping);
        const QJsonArray groups = doc[u"groups"_s].toArray();
        QCOMPARE(groups.size(), qsizetype(expected.size()));
        qint64 previousP99 = std::numeric_limits<qint64>::max();
        QString previousKey;
        for (const QJsonValue& value : groups) {
            const QJsonObject g = value.toObject();
            const QString key = g[u"key"_s].toString();
            const auto it = expected.find(key.toStdString());
            QVERIFY2(it != expected.end(), qPrintable(key));
            const Expected& e = it->second;
            const QStringList fields{u"key"_s,      u"count"_s,    u"errorCount"_s, u"minNanos"_s,
                                     u"p50Nanos"_s, u"p90Nanos"_s, u"p99Nanos"_s,   u"maxNanos"_s};
            for (const QString& field : fields)
                QVERIFY2(g.contains(field), qPrintable(field));
            QCOMPARE(g[u"count"_s].toInteger(), qint64(e.durations.size()));
            QCOMPARE(g[u"errorCount"_s].toInteger(), e.errors);
            QCOMPARE(g[u"minNanos"_s].toInteger(), *std::min_element(e.durations.begin(), e.durations.end()));
            QCOMPARE(g[u"maxNanos"_s].toInteger(), *std::max_element(e.durations.begin(), e.durations.end()));
            QCOMPARE(g[u"p50Nanos"_s].toInteger(), rankOf(e.durations, 50));
            QCOMPARE(g[u"p90Nanos"_s].toInteger(), rankOf(e.durations, 90));
            QCOMPARE(g[u"p99Nanos"_s].toInteger(), rankOf(e.durations, 99));
            QCOMPARE(g[u"traceCount"_s].toInteger(), qint64(e.perTrace.size()));
            QCOMPARE(g[u"meanSelfNanos"_s].toInteger(), meanOf(e, true));
            QCOMPARE(g[u"meanCriticalNanos"_s].toInteger(), meanOf(e, false));
            // By p99 descending, ties by key.
            const qint64 p99 = g[u"p99Nanos"_s].toInteger();
            QVERIFY(p99 < previousP99 || (p99 == previousP99 && previousKey < key));
            previousP99 = p99;
            previousKey = key;
        }
    }

    void rootIsTheDefault()
    {
        const Run byDefault = runSpanwise({u"stats"_s, firstFile(), u"--json"_s});
        const Run root = runSpanwise({u"stats"_s, u"--group=root"_s, firstFile(), u"--json"_s});
        QCOMPARE(byDefault.exitCode, 0);
        QCOMPARE(byDefault.out, root.out);
        const LoadResult a = test::load(firstFile());
        qint64 members = 0;
        for (const QJsonValue& g : parse(byDefault)[u"groups"_s].toArray())
            members += g[u"count"_s].toInteger();
        QCOMPARE(members, qint64(a.dataset.traces.size())); // one member per trace
    }

    void tableIsAlignedWithHumanDurations()
    {
        const Run r = runSpanwise({u"stats"_s, firstFile(), secondFile(), u"--group"_s, u"service"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        const QStringList lines = QString::fromUtf8(r.out).split(u'\n');
        const LoadResult a = test::load(firstFile());
        const LoadResult b = test::load(secondFile());
        QCOMPARE(lines[0], u"%1 trace(s), %2 span(s) from 2 file(s), by service"_s
                               .arg(a.dataset.traces.size() + b.dataset.traces.size())
                               .arg(a.dataset.spans.size() + b.dataset.spans.size()));
        const auto header = std::find_if(lines.begin(), lines.end(),
                                         [](const QString& l) { return l.startsWith(u"GROUP"_s); });
        QVERIFY(header != lines.end());
        for (const QString& column : {u"SPANS"_s, u"TRACES"_s, u"ERRORS"_s, u"MIN"_s, u"P50"_s, u"P90"_s, u"P99"_s,
                                      u"MAX"_s, u"SELF"_s, u"CRITICAL"_s})
            QVERIFY2(header->contains(column), qPrintable(column));
        const QJsonArray groups = parse(runSpanwise(
            {u"stats"_s, firstFile(), secondFile(), u"--group"_s, u"service"_s, u"--json"_s}))[u"groups"_s]
                                      .toArray();
        static const QRegularExpression kDuration(u"^\\d+(\\.\\d+)? (ns|µs|ms|s)$"_s);
        for (qsizetype i = 0; i < groups.size(); ++i) {
            const QString row = *(header + 1 + i);
            const QJsonObject g = groups[i].toObject();
            QVERIFY2(row.startsWith(g[u"key"_s].toString() + u' '), qPrintable(row));
            // Each number ends where its heading does.
            const QString count = QString::number(g[u"count"_s].toInteger());
            QCOMPARE(columnEnd(row, u' ' + count + u' '), columnEnd(*header, u"SPANS"_s) + 1);
            QCOMPARE(row.size(), header->size());
            const QString p99 = QString::fromStdString(formatDuration(g[u"p99Nanos"_s].toInteger()));
            QVERIFY(kDuration.match(p99).hasMatch());
            QCOMPARE(row.mid(columnEnd(*header, u"P99"_s) - p99.size(), p99.size()), p99);
        }
    }

    void manyFilesAndAFolder()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(firstFile(), dir.filePath(u"one.json"_s)));
        QVERIFY(QDir().mkpath(dir.filePath(u"more"_s)));
        QVERIFY(QFile::copy(secondFile(), dir.filePath(u"more/two.json"_s)));
        QVERIFY(test::writeFile(dir.filePath(u"more/notes.txt"_s), "no trace here\n")); // skipped, no error
        const Run files = runSpanwise({u"stats"_s, firstFile(), secondFile(), u"--json"_s});
        const Run folder = runSpanwise({u"stats"_s, dir.path(), u"--json"_s});
        QCOMPARE(folder.exitCode, 0);
        QVERIFY2(folder.err.isEmpty(), folder.err.constData());
        QCOMPARE(folder.out, files.out);
        const Run table = runSpanwise({u"stats"_s, dir.path()});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains(" from 2 file(s), 1 more skipped (no traces), by root operation\n"),
                 table.out.constData());

        // A file in the folder that breaks is an error, as when named.
        QVERIFY(test::writeFile(dir.filePath(u"more/broken.json"_s), "{\"data\": [{\"traceID\": "));
        const Run broken = runSpanwise({u"stats"_s, dir.path(), u"--json"_s});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains("broken.json: "), broken.err.constData());
        QCOMPARE(parse(broken)[u"traces"_s], parse(files)[u"traces"_s]);
    }

    void badUsageExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no file") << QStringList{u"stats"_s} << u"no file given"_s;
        QTest::newRow("unknown option") << QStringList{u"stats"_s, u"--frobnicate"_s, firstFile()}
                                        << u"unknown option --frobnicate"_s;
        QTest::newRow("unknown grouping") << QStringList{u"stats"_s, firstFile(), u"--group"_s, u"host"_s}
                                          << u"--group takes root, service or operation, not host"_s;
        QTest::newRow("grouping without value")
            << QStringList{u"stats"_s, firstFile(), u"--group"_s} << u"--group needs a value"_s;
    }
    void badUsageExitsWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runSpanwise(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith(QString(u"spanwise stats: "_s + message + u'\n').toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("usage: spanwise stats FILE|DIR..."));
    }

    void helpListsTheOptions()
    {
        const Run help = runSpanwise({u"stats"_s, u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.err.isEmpty());
        QVERIFY(help.out.startsWith(
            "usage: spanwise stats FILE|DIR... [--group root|service|operation] [--json] [--no-skew-adjust]\n"));
        for (const char* option :
             {"--group root", "--group service", "--group operation", "--json", "--no-skew-adjust"})
            QVERIFY2(help.out.contains(QByteArray("\n  ").append(option).append(' ')), option);
        const Run overview = runSpanwise({u"--help"_s});
        QVERIFY(overview.out.contains("spanwise stats FILE|DIR... [--group root|service|operation] [--json]"));
    }

    // A broken file is named on stderr with where it broke; the others still count, and the exit
    // code says not everything could be read, as for summary.
    void brokenFileExitsWithOne()
    {
        QTemporaryDir dir;
        const QString broken = dir.filePath(u"broken.json"_s);
        const QByteArray good = test::readFile(firstFile());
        QVERIFY(test::writeFile(broken, good.left(good.size() / 2)));
        const QString missing = dir.filePath(u"missing.json"_s);
        const Run r = runSpanwise({u"stats"_s, secondFile(), broken, missing, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QByteArray(broken.toUtf8() + ": offset ")), r.err.constData());
        QVERIFY2(r.err.contains(QByteArray(missing.toUtf8() + ": no such file or folder")), r.err.constData());
        const LoadResult b = test::load(secondFile());
        const LoadResult half = test::load(broken, true);
        QCOMPARE(parse(r)[u"traces"_s].toInteger(), qint64(b.dataset.traces.size() + half.dataset.traces.size()));

        const Run table = runSpanwise({u"stats"_s, missing});
        QCOMPARE(table.exitCode, 1);
        QVERIFY(table.out.startsWith("0 trace(s), 0 span(s) from 1 file(s), by root operation\n"));
    }

    void fileTextCannotDriveTheTerminal()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"escape.json"_s);
        QVERIFY(test::writeFile(path, "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\","
                                      "\"operationName\":\"\\u001b[2Jwiped\",\"startTime\":1,\"duration\":1,"
                                      "\"processID\":\"p1\"}],\"processes\":{\"p1\":{\"serviceName\":\"svc\"}}}]}"));
        const Run r = runSpanwise({u"stats"_s, path});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(r.out.contains("svc: \\x1b[2Jwiped"));
    }
};

QTEST_GUILESS_MAIN(TestStatsCli)
#include "tst_stats_cli.moc"
