// The front door: opening files, compression, content sniffing, unreadable input.
#include <test_support.h>

#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>
#include <zstd.h>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

std::string gzip(std::string_view plain)
{
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, plain.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    z.avail_in = static_cast<uInt>(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string zstd(std::string_view plain)
{
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3));
    return out;
}

std::string firstError(const LoadResult& r)
{
    for (const Diagnostic& d : r.report.diagnostics) {
        if (d.severity == Diagnostic::Severity::Error)
            return d.message;
    }
    return {};
}

} // namespace

class TestLoader : public QObject {
    Q_OBJECT
private slots:
    void unreadableFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << "the file is empty";
        QTest::newRow("blank") << QByteArray(" \n\t ") << "the file is empty";
        QTest::newRow("prose") << QByteArray("hello world\n") << "not a trace file";
        QTest::newRow("unrelated JSON") << QByteArray(R"({"name": "package.json", "version": "1.0"})")
                                        << "not a trace file";
        QTest::newRow("binary noise") << QByteArray("\x7f\x45\x4c\x46\x02\x01\x01", 7) << "not a trace file";
    }
    void unreadableFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const LoadResult r = test::loadText(content.toStdString());
        QVERIFY(!r.complete());
        QVERIFY(r.format.empty());
        QVERIFY(r.notTrace);
        QVERIFY2(firstError(r).find(expected.toStdString()) != std::string::npos, firstError(r).c_str());
        QVERIFY(r.errorText().find("input: offset 0") == 0);
    }

    void missingFileAndDirectory()
    {
        const LoadResult missing = loadFile("/nonexistent/trace.json");
        QVERIFY(!missing.complete());
        QVERIFY2(!missing.notTrace, "a file that cannot be read is not said to hold no trace");
        QVERIFY(missing.errorText().find("/nonexistent/trace.json: offset 0: cannot open: No such file") == 0);
        QTemporaryDir dir;
        const LoadResult directory = loadFile(dir.path().toStdString());
        QVERIFY(firstError(directory).find("is a directory") != std::string::npos);
    }

    void compressedFilesReadTransparently_data()
    {
        QTest::addColumn<QString>("compression");
        QTest::newRow("gzip") << "gzip";
        QTest::newRow("gzip, two members") << "gzip2";
        QTest::newRow("zstd") << "zstd";
    }
    void compressedFilesReadTransparently()
    {
        QFETCH(QString, compression);
        const std::string plain = test::readFile(test::dataPath(u"samples/zipkin-v2-yelp.json"_s)).toStdString();
        std::string packed;
        if (compression == "gzip"_L1)
            packed = gzip(plain);
        else if (compression == "gzip2"_L1)
            packed = gzip(plain.substr(0, 1000)) + gzip(plain.substr(1000));
        else
            packed = zstd(plain);
        const LoadResult expected = test::loadText(plain, false);
        const LoadResult r = test::loadText(packed, false);
        QCOMPARE(r.compression, compression == "zstd"_L1 ? std::string("zstd") : std::string("gzip"));
        QCOMPARE(r.format, std::string("zipkin"));
        QCOMPARE(r.dataset.spans.size(), expected.dataset.spans.size());
        QVERIFY(r.dataset.spans.size() > 10);
    }

    void truncatedCompressedFileKeepsWhatWasRead()
    {
        const std::string plain =
            test::readFile(test::dataPath(u"samples/zipkin-v2-messaging-kafka.json"_s)).toStdString();
        const std::string packed = gzip(plain);
        const LoadResult r = test::loadText(std::string_view(packed).substr(0, packed.size() * 2 / 3));
        QVERIFY(!r.complete());
        QCOMPARE(r.compression, std::string("gzip"));
        QVERIFY2(r.errorText().find("gzip data unreadable at compressed byte") != std::string::npos,
                 r.errorText().c_str());
    }

    void decompressionBombIsCapped_data()
    {
        QTest::addColumn<QString>("compression");
        QTest::newRow("gzip") << "gzip";
        QTest::newRow("zstd") << "zstd";
    }
    void decompressionBombIsCapped()
    {
        QFETCH(QString, compression);
        const std::string blank(64 << 20, ' '); // 64 MiB of whitespace packs into a few KiB
        const std::string packed = compression == "gzip"_L1 ? gzip(blank) : zstd(blank);
        QVERIFY(packed.size() < 200 * 1024);
        const LoadResult r = test::loadText(packed);
        QVERIFY(!r.complete());
        QVERIFY2(r.errorText().find("exceeds the limit") != std::string::npos, r.errorText().c_str());

        LoadOptions generous;
        generous.decompression.ratio = 100000;
        const LoadResult allowed = test::loadText(packed, true, generous);
        QVERIFY2(firstError(allowed).find("the file is empty") != std::string::npos, firstError(allowed).c_str());
    }

    void progressIsReportedAndLoadsCanBeCancelled_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl", "otlp-proto", "xray", "datadog"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }
    void progressIsReportedAndLoadsCanBeCancelled()
    {
        QFETCH(QString, format);
        // 100,000 spans: big enough for the loader to release mapped pages behind the reader.
        const QString path = test::generatedTrace(format, 100000);
        std::vector<std::uint64_t> seen;
        LoadOptions options;
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            seen.push_back(done);
            return done <= total;
        };
        const LoadResult whole = test::load(path, false, options);
        QCOMPARE(whole.dataset.spans.size(), std::size_t(100000));
        QVERIFY(!whole.cancelled);
        QVERIFY(seen.size() >= 10);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));

        int calls = 0;
        options.progress = [&](std::uint64_t, std::uint64_t) { return ++calls < 3; };
        const LoadResult cancelled = loadFile(path.toStdString(), options);
        QVERIFY(cancelled.cancelled);
        QVERIFY(!cancelled.complete());
        QCOMPARE(calls, 3);
        QVERIFY(cancelled.dataset.spans.empty());

        // Once everything is read, building the traces stops too: at its first question.
        calls = 0;
        bool building = false;
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            ++calls;
            if (building)
                return false;
            building = done == total;
            return true;
        };
        const LoadResult whileBuilding = loadFile(path.toStdString(), options);
        QVERIFY(building);
        QVERIFY(whileBuilding.cancelled);
        QVERIFY(whileBuilding.dataset.spans.empty());
        QVERIFY(whileBuilding.dataset.traces.empty());
    }

    void buildStopsBetweenItsSteps()
    {
        DatasetBuilder builder;
        const StringId name = builder.intern("op");
        for (SpanId id = 1; id <= 1000; ++id) {
            SpanRecord span;
            span.traceId = {0, 1 + id % 3};
            span.id = id;
            span.name = name;
            span.start = 1;
            span.end = 2;
            builder.addSpan(span);
        }
        int asked = 0;
        BuildOptions options;
        options.cancelled = [&asked] { return ++asked == 4; };
        const Dataset stopped = builder.finish(options);
        QCOMPARE(asked, 4);
        QVERIFY(stopped.spans.empty() && stopped.traces.empty());
    }

    void formatIsFoundByContentNotName()
    {
        QTemporaryDir dir;
        const QString misleading = dir.filePath(QStringLiteral("trace.pb"));
        QVERIFY(QFile::copy(test::dataPath(u"samples/zipkin-v2-yelp.json"_s), misleading));
        QCOMPARE(test::load(misleading).format, std::string("zipkin"));
    }
};

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
