// Regression inputs found by fuzzing (tests/data/hostile/, named after what they triggered): each is
// replayed through the front door and through every importer directly, as the fuzz targets run it,
// and the model must hold together.
#include "fuzz/model_check.h"

#include <test_support.h>

#include <importer.h>

#include <QDir>
#include <QTest>

using namespace spanwise;

namespace {

QFileInfoList hostileFiles()
{
    QFileInfoList files = QDir(test::dataPath(QStringLiteral("hostile"))).entryInfoList(QDir::Files, QDir::Name);
    files.removeIf([](const QFileInfo& file) { return file.fileName() == QLatin1String("README.md"); });
    return files;
}

} // namespace

class TestHostileCorpus : public QObject {
    Q_OBJECT
private slots:
    void corpusIsThere() { QVERIFY(hostileFiles().size() > 0); }

    void throughTheFrontDoor_data()
    {
        QTest::addColumn<QString>("path");
        for (const QFileInfo& file : hostileFiles())
            QTest::newRow(qPrintable(file.fileName())) << file.filePath();
    }
    void throughTheFrontDoor()
    {
        QFETCH(QString, path);
        const QByteArray bytes = test::readFile(path);
        const LoadResult r = loadBytes({bytes.constData(), std::size_t(bytes.size())}, path.toStdString());
        const std::string problem = check::findLoadProblem(r, bytes.size());
        QVERIFY2(problem.empty(), problem.c_str());
        // Whatever was lost is said: a load that kept nothing has an error.
        QVERIFY(!r.dataset.spans.empty() || r.report.hasErrors());
    }

    void throughEachImporter_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("importer");
        const auto importers = allImporters();
        for (const QFileInfo& file : hostileFiles())
            for (std::size_t i = 0; i < importers.size(); ++i)
                QTest::addRow("%s %s", qPrintable(file.fileName()), importers[i]->format) << file.filePath() << int(i);
    }
    void throughEachImporter()
    {
        QFETCH(QString, path);
        QFETCH(int, importer);
        QByteArray bytes = test::readFile(path);
        const std::size_t size = bytes.size();
        bytes.append(QByteArray(kInputPadding, '\0'));
        DatasetBuilder builder;
        ImportReport report;
        allImporters()[importer]->read(Input{bytes.constData(), size}, builder, report);
        const Dataset dataset = builder.finish();
        const std::string problem = check::findModelProblem(dataset, report, size);
        QVERIFY2(problem.empty(), problem.c_str());
    }
};

QTEST_GUILESS_MAIN(TestHostileCorpus)
#include "tst_hostile_corpus.moc"
