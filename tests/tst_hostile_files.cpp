// Files that are not what they seem: directories, FIFOs, unreadable files and files that shrink
// while being read give an error naming the file, never a hang or a crash (SIGBUS).
#include <test_support.h>

#include <invariants.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace spanwise;

class TestHostileFiles : public QObject {
    Q_OBJECT
private slots:
    void directory()
    {
        QTemporaryDir dir;
        const LoadResult r = loadFile(dir.path().toStdString());
        QVERIFY(!r.complete());
        QVERIFY2(r.errorText().find("directory") != std::string::npos, r.errorText().c_str());
        QVERIFY(r.errorText().find(dir.path().toStdString()) != std::string::npos);
    }

    void fifoDoesNotWaitForAWriter()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("pipe")).toStdString();
        QCOMPARE(mkfifo(path.c_str(), 0600), 0);
        const LoadResult r = loadFile(path); // would block forever in open() without O_NONBLOCK
        QVERIFY(!r.complete());
        QVERIFY2(r.errorText().find("FIFO") != std::string::npos, r.errorText().c_str());
    }

    void unreadableFile()
    {
        if (geteuid() == 0)
            QSKIP("root reads every file");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{}");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::WriteOwner));
        const LoadResult r = loadFile(path.toStdString());
        QVERIFY2(r.errorText().find("Permission denied") != std::string::npos, r.errorText().c_str());
    }

    void missingFile()
    {
        const LoadResult r = loadFile("/nonexistent/trace.json");
        QVERIFY2(r.errorText().find("/nonexistent/trace.json: offset 0: cannot open: No such file") == 0,
                 r.errorText().c_str());
    }

    void fileShrinkingWhileRead_data()
    {
        QTest::addColumn<QString>("format");
        for (const char* format : {"jaeger", "zipkin", "otlp-json", "otlp-jsonl", "otlp-proto"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }
    void fileShrinkingWhileRead()
    {
        QFETCH(QString, format);
        const QString original = test::generatedTrace(format, 30000);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("shrinking"));
        QVERIFY(QFile::copy(original, path));
        const qint64 size = QFileInfo(path).size();
        LoadOptions options;
        bool truncated = false;
        options.progress = [&](std::uint64_t, std::uint64_t) {
            if (!truncated)
                truncated = ::truncate(path.toLocal8Bit().constData(), size / 4) == 0;
            return true;
        };
        const LoadResult r = loadFile(path.toStdString(), options);
        QVERIFY(truncated);
        QVERIFY(!r.complete());
        QVERIFY2(r.errorText().find("shrank while it was being read") != std::string::npos, r.errorText().c_str());
        QVERIFY(r.errorText().find(path.toStdString()) != std::string::npos);
        const std::string violation = findInvariantViolation(r.dataset);
        QVERIFY2(violation.empty(), violation.c_str());
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostile_files.moc"
