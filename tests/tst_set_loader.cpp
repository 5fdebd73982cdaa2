// Many files as one set: what a folder yields, the order, the failures and skipped files, one progress
// and one cancel over all of them, and the same set whatever the number of threads.
#include <test_support.h>

#include <set_loader.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

std::vector<std::string> fileNames(const TraceSet& set, const QString& root)
{
    std::vector<std::string> names;
    for (const TraceSetFile& file : set.files)
        names.push_back(QDir(root).relativeFilePath(QString::fromStdString(file.path)).toStdString());
    return names;
}

// The folder every test reads: traces of several formats (one compressed, some nested), a truncated
// one, files that are no traces, and what a folder search leaves out.
class TraceFolder {
public:
    TraceFolder()
    {
        copyGenerated(u"jaeger"_s, u"a-jaeger.json"_s, 1);
        copyGenerated(u"zipkin"_s, u"t2-zipkin.json"_s, 2);
        copyGenerated(u"otlp-json"_s, u"t10-otlp.json"_s, 3);
        copyGenerated(u"otlp-proto"_s, u"sub/b-otlp.pb"_s, 4);
        copyGenerated(u"xray"_s, u"sub/deeper/c-xray.json"_s, 5);
        copyGenerated(u"datadog"_s, u"sub/d-datadog.json"_s, 6);
        copyGenerated(u"otlp-jsonl"_s, u"e-otlp.jsonl"_s, 7);
        const QString gz = path(u"e-otlp.jsonl"_s);
        QCOMPARE(test::runProgram(u"gzip"_s, {u"-k"_s, u"-f"_s, gz}).exitCode, 0);
        const QByteArray jaeger = test::readFile(path(u"a-jaeger.json"_s));
        write(u"broken.json"_s, jaeger.left(jaeger.size() * 2 / 3));
        write(u"README.txt"_s, "Traces captured on staging, Tuesday.\n");
        write(u"logo.png"_s, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        write(u".hidden.json"_s, jaeger);
        write(u".cache/x.json"_s, jaeger);
        write(u"a-jaeger.json.spanwise.json"_s, R"({"version": 1, "annotations": []})");
    }

    QString root() const { return m_dir.path(); }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    std::string at(const QString& name) const { return path(name).toStdString(); }

    // What a search of the folder finds, in order.
    static std::vector<std::string> expected()
    {
        return {"a-jaeger.json", "broken.json",   "e-otlp.jsonl",       "e-otlp.jsonl.gz",        "logo.png",
                "README.txt",    "sub/b-otlp.pb", "sub/d-datadog.json", "sub/deeper/c-xray.json", "t2-zipkin.json",
                "t10-otlp.json"};
    }

private:
    void copyGenerated(const QString& format, const QString& name, int seed)
    {
        const QString generated = test::generatedTrace(format, 120,
                                                       {u"--traces"_s, u"3"_s, u"--seed"_s, QString::number(seed)});
        write(name, test::readFile(generated));
    }
    void write(const QString& name, const QByteArray& bytes)
    {
        QVERIFY(QDir(root()).mkpath(QFileInfo(path(name)).path()));
        QVERIFY(test::writeFile(path(name), bytes));
    }

    QTemporaryDir m_dir;
};

const TraceSetFile* fileNamed(const TraceSet& set, const std::string& suffix)
{
    for (const TraceSetFile& file : set.files) {
        if (file.path.ends_with(suffix))
            return &file;
    }
    return nullptr;
}

} // namespace

class TestSetLoader : public QObject {
    Q_OBJECT
private slots:
    void folderIsSearchedInNaturalOrder()
    {
        TraceFolder folder;
        const std::vector<SetEntry> entries = expandPaths({folder.root().toStdString()});
        std::vector<std::string> names;
        for (const SetEntry& entry : entries) {
            names.push_back(QDir(folder.root()).relativeFilePath(QString::fromStdString(entry.path)).toStdString());
            QVERIFY(entry.inFolder);
            QVERIFY(entry.error.empty());
            QCOMPARE(entry.size, std::uint64_t(QFileInfo(QString::fromStdString(entry.path)).size()));
        }
        QCOMPARE(names, TraceFolder::expected());
    }

    void goodBrokenAndSkippedFiles()
    {
        TraceFolder folder;
        const TraceSet set = loadTraceSet({folder.root().toStdString()});
        QCOMPARE(fileNames(set, folder.root()), TraceFolder::expected());

        const std::map<std::string, std::string> formats = {
            {"a-jaeger.json", "jaeger"},     {"t2-zipkin.json", "zipkin"},       {"t10-otlp.json", "otlp-json"},
            {"sub/b-otlp.pb", "otlp-proto"}, {"sub/deeper/c-xray.json", "xray"}, {"sub/d-datadog.json", "datadog"},
            {"e-otlp.jsonl", "otlp-json"},   {"e-otlp.jsonl.gz", "otlp-json"}};
        std::size_t traces = 0;
        for (const auto& [name, format] : formats) {
            const TraceSetFile* file = fileNamed(set, "/" + name);
            QVERIFY2(file, name.c_str());
            QCOMPARE(file->format, format);
            QVERIFY2(file->error.empty(), file->error.c_str());
            QVERIFY(!file->skipped);
            QCOMPARE(file->dataset->traces.size(), std::size_t(3));
            traces += file->dataset->traces.size();
        }

        const TraceSetFile* broken = fileNamed(set, "/broken.json");
        QCOMPARE(broken->format, std::string("jaeger"));
        QVERIFY(!broken->skipped);
        QVERIFY(broken->error.starts_with(broken->path + ": offset "));
        QVERIFY(!broken->error.ends_with('\n'));
        QVERIFY2(!broken->dataset->spans.empty(), "what came before the cut is kept");
        traces += broken->dataset->traces.size();

        for (const char* name : {"/README.txt", "/logo.png"}) {
            const TraceSetFile* file = fileNamed(set, name);
            QVERIFY(file->skipped);
            QVERIFY(file->format.empty());
            QVERIFY(file->error.find("not a trace file") != std::string::npos);
            QVERIFY(file->dataset->traces.empty());
        }
        QCOMPARE(set.failedFileCount(), std::size_t(1));

        // Every trace of every file, files in order.
        QCOMPARE(set.traces.size(), traces);
        for (std::size_t i = 1; i < set.traces.size(); ++i)
            QVERIFY(set.traces[i - 1] < set.traces[i]);
    }

    void namedFilesAreLoadedAsGiven()
    {
        TraceFolder folder;
        const std::string missing = folder.at(u"nowhere.json"_s);
        const TraceSet set = loadTraceSet({folder.at(u"t10-otlp.json"_s), folder.at(u"README.txt"_s), missing,
                                           folder.at(u".hidden.json"_s), folder.at(u"t10-otlp.json"_s)});
        QCOMPARE(set.files.size(), std::size_t(4)); // the file named twice is read once
        QCOMPARE(set.files[0].format, std::string("otlp-json"));
        QVERIFY2(!set.files[1].skipped, "a file named that is not a trace is an error");
        QVERIFY(set.files[1].error.find("not a trace file") != std::string::npos);
        QCOMPARE(set.files[2].path, missing);
        QCOMPARE(set.files[2].error, missing + ": no such file or folder");
        QVERIFY(set.files[2].dataset->traces.empty());
        QCOMPARE(set.files[3].format, std::string("jaeger")); // named, so not left out for being hidden
        QCOMPARE(set.failedFileCount(), std::size_t(2));
    }

    void aFileInsideAFolderNamedIsReadOnce()
    {
        TraceFolder folder;
        const std::vector<SetEntry> entries = expandPaths(
            {folder.at(u"sub/b-otlp.pb"_s), folder.path(u"sub"_s).toStdString()});
        QCOMPARE(entries.size(), std::size_t(3));
        QVERIFY(!entries[0].inFolder);
        QVERIFY(entries[1].path.ends_with("sub/d-datadog.json"));
        QVERIFY(entries[2].path.ends_with("sub/deeper/c-xray.json"));
    }

    void progressClimbsToTheTotal()
    {
        TraceFolder folder;
        const std::vector<SetEntry> entries = expandPaths({folder.root().toStdString()});
        std::uint64_t size = 0;
        for (const SetEntry& entry : entries)
            size += entry.size;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        SetLoadOptions options{.threads = 3};
        options.load.progress = [&](std::uint64_t done, std::uint64_t total) {
            calls.emplace_back(done, total);
            return true;
        };
        const TraceSet set = loadSetEntries(entries, options);
        QVERIFY(calls.size() >= entries.size());
        for (std::size_t i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].second, size);
            QVERIFY(calls[i].first <= size);
            if (i)
                QVERIFY(calls[i - 1].first <= calls[i].first);
        }
        QCOMPARE(calls.back().first, size);
        QCOMPARE(set.files.size(), entries.size());
    }

    void cancelStopsTheWholeSet()
    {
        TraceFolder folder;
        for (const unsigned threads : {1u, 4u}) {
            int callsAfterCancel = 0;
            bool cancelled = false;
            SetLoadOptions options{.threads = threads};
            options.load.progress = [&](std::uint64_t done, std::uint64_t) {
                callsAfterCancel += cancelled;
                cancelled = cancelled || done > 0;
                return !cancelled;
            };
            const TraceSet set = loadTraceSet({folder.root().toStdString()}, options);
            QVERIFY(cancelled);
            QCOMPARE(callsAfterCancel, 0);
            QVERIFY(set.files.empty());
            QVERIFY(set.traces.empty());
        }
    }

    void threadsDoNotChangeTheSet()
    {
        TraceFolder folder;
        // Enough files that several threads finish them out of order.
        QVERIFY(QDir(folder.root()).mkpath(u"many"_s));
        for (int i = 0; i < 12; ++i)
            QVERIFY(QFile::copy(folder.path(u"t2-zipkin.json"_s), folder.path(u"many/z%1.json"_s.arg(i))));
        const TraceSet one = loadTraceSet({folder.root().toStdString()}, {.threads = 1});
        const TraceSet many = loadTraceSet({folder.root().toStdString()}, {.threads = 4});
        QCOMPARE(one.files.size(), TraceFolder::expected().size() + 12);
        QCOMPARE(many.files.size(), one.files.size());
        QVERIFY(one.traces == many.traces);
        for (std::size_t f = 0; f < one.files.size(); ++f) {
            QCOMPARE(many.files[f].path, one.files[f].path);
            QCOMPARE(many.files[f].format, one.files[f].format);
            QCOMPARE(many.files[f].error, one.files[f].error);
            QCOMPARE(many.files[f].skipped, one.files[f].skipped);
            QCOMPARE(many.files[f].dataset->spans.size(), one.files[f].dataset->spans.size());
        }
        for (const TraceRef ref : one.traces) {
            QVERIFY(one.trace(ref).id == many.trace(ref).id);
            QCOMPARE(one.trace(ref).count, many.trace(ref).count);
        }
    }

    void emptyFolderGivesAnEmptySet()
    {
        QTemporaryDir dir;
        QVERIFY(expandPaths({dir.path().toStdString()}).empty());
        const TraceSet set = loadTraceSet({dir.path().toStdString()});
        QVERIFY(set.files.empty());
    }
};

QTEST_GUILESS_MAIN(TestSetLoader)
#include "tst_set_loader.moc"
