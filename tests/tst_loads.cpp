// Loads and diffs that stop: closing a tab, reloading or closing the window while files load or two
// traces are compared cancels the work on its worker thread, and nothing is added afterwards.
#include <test_support.h>

#include <compare_page.h>
#include <main_window.h>
#include <pages.h>
#include <start_page.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// A Jaeger file of `copies` copies of one generated trace, each under its own trace id: slow to load,
// quick to write.
QString bigJaegerFile(const QString& dir, int copies)
{
    const QByteArray one = test::readFile(test::generatedTrace(u"jaeger"_s, 2000, {u"--traces"_s, u"1"_s}));
    const QJsonObject trace = QJsonDocument::fromJson(one).object()[QLatin1String("data")].toArray().first().toObject();
    const QByteArray id = trace[QLatin1String("traceID")].toString().toLatin1();
    const QByteArray text = QJsonDocument(trace).toJson(QJsonDocument::Compact);
    const QString path = dir + QStringLiteral("/big.json");
    QFile file(path);
    if (id.size() < 8 || !file.open(QIODevice::WriteOnly))
        return {};
    file.write("{\"data\":[");
    for (int i = 0; i < copies; ++i) {
        if (i > 0)
            file.write(",");
        file.write(QByteArray(text).replace(
            id, QByteArray(id.left(id.size() - 8) + QByteArray::number(i, 16).rightJustified(8, '0'))));
    }
    file.write("]}");
    return path;
}

// Waits (serving no events, so that nothing the load finishes is shown meanwhile) until the job has
// read part of its file.
bool waitUntilReading(const JobControl& job)
{
    QElapsedTimer timer;
    timer.start();
    while (job.done == 0 && job.end() == JobControl::End::Running && timer.elapsed() < 30000)
        QThread::msleep(1);
    return job.done > 0 && job.end() == JobControl::End::Running;
}

// How long the job takes to end after being cancelled, in ms; -1 past a second.
qint64 msUntilEnded(const JobControl& job, const QElapsedTimer& since)
{
    while (job.end() == JobControl::End::Running && since.elapsed() < 1000)
        QThread::msleep(1);
    return job.end() == JobControl::End::Running ? -1 : since.elapsed();
}

} // namespace

class TestLoads : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_big;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_big = bigJaegerFile(m_dir.path(), 100); // 200,000 spans
        QVERIFY(!m_big.isEmpty());
    }

    void cleanup()
    {
        QVERIFY(QThreadPool::globalInstance()->waitForDone(5000)); // no work left behind
    }

    void closingTheTabCancelsItsLoad()
    {
        MainWindow window;
        window.show();
        window.openFile(m_big);
        auto* loading = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(loading);
        const std::shared_ptr<const JobControl> job = loading->job();
        QVERIFY(waitUntilReading(*job));
        QElapsedTimer timer;
        timer.start();
        window.closeTab(0);
        const qint64 ms = msUntilEnded(*job, timer);
        QVERIFY2(ms >= 0 && ms < 1000, qPrintable(QString::number(ms)));
        QCOMPARE(job->end(), JobControl::End::Cancelled);
        QTest::qWait(300); // whatever the worker sent, nothing comes of it
        QCOMPARE(window.tabs()->count(), 0);
        QVERIFY(window.startPage()->isVisible());
    }

    void theCancelButtonClosesTheTabAtOnce()
    {
        MainWindow window;
        window.show();
        window.openFile(m_big);
        auto* loading = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(loading);
        const std::shared_ptr<const JobControl> job = loading->job();
        QVERIFY(waitUntilReading(*job));
        QPushButton* cancel = loading->findChild<QPushButton*>();
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 0);
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("cancelled")));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(msUntilEnded(*job, timer) >= 0);
        QCOMPARE(job->end(), JobControl::End::Cancelled);
    }

    void reloadingDuringALoadCancelsIt()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openFile(m_big);
        auto* first = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(first);
        const std::shared_ptr<const JobControl> firstJob = first->job();
        QVERIFY(waitUntilReading(*firstJob));
        QTest::keyClick(&window, Qt::Key_F5);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(msUntilEnded(*firstJob, timer) >= 0);
        QCOMPARE(firstJob->end(), JobControl::End::Cancelled);
        QCOMPARE(window.tabs()->count(), 1);
        auto* second = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(second && second != first);
        QCOMPARE(second->paths(), QStringList{m_big});
        const std::shared_ptr<const JobControl> secondJob = second->job();
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<FilePage*>(window.currentPage()) != nullptr, 60000);
        QCOMPARE(secondJob->end(), JobControl::End::Completed);
        QCOMPARE(window.tabs()->count(), 1);
        QCOMPARE(window.currentPage()->paths(), QStringList{m_big});
    }

    void closingTheWindowDuringALoadReturnsPromptly()
    {
        MainWindow window;
        window.show();
        window.openFile(m_big);
        const std::shared_ptr<const JobControl> job = qobject_cast<LoadingPage*>(window.currentPage())->job();
        QVERIFY(waitUntilReading(*job));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(window.close());
        QVERIFY(QThreadPool::globalInstance()->waitForDone(1000)); // what keeps the program from exiting
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(job->end(), JobControl::End::Cancelled);
    }

    void closingAComparisonWhileItLoadsCancelsIt()
    {
        MainWindow window;
        window.show();
        window.compareFiles(m_big, m_big);
        auto* loading = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(loading);
        QCOMPARE(loading->paths(), (QStringList{m_big, m_big}));
        const std::shared_ptr<const JobControl> job = loading->job();
        QVERIFY(waitUntilReading(*job));
        window.closeTab(0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(msUntilEnded(*job, timer) >= 0);
        QCOMPARE(job->end(), JobControl::End::Cancelled);
        QTest::qWait(300);
        QCOMPARE(window.tabs()->count(), 0);
    }

    void closingAComparisonWhileItDiffsCancelsIt()
    {
        const auto data = test::wideTrace(300, 1000); // 300,301 spans, diffed against themselves
        MainWindow window;
        window.show();
        window.compareTraces({data, 0, QStringLiteral("a")}, {data, 0, QStringLiteral("b")});
        auto* diffing = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(diffing);
        QVERIFY(diffing->paths().isEmpty()); // nothing to read again
        const std::shared_ptr<const JobControl> job = diffing->job();
        QCOMPARE(job->end(), JobControl::End::Running);
        window.closeTab(0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(msUntilEnded(*job, timer) >= 0);
        QCOMPARE(job->end(), JobControl::End::Cancelled);
        QTest::qWait(300);
        QCOMPARE(window.tabs()->count(), 0);

        // Left alone, the same comparison shows.
        window.compareTraces({data, 0, QStringLiteral("a")}, {data, 0, QStringLiteral("b")});
        QTRY_VERIFY_WITH_TIMEOUT(window.currentComparePage() != nullptr, 60000);
        QCOMPARE(qobject_cast<LoadingPage*>(window.currentPage()), nullptr);
    }
};

QTEST_MAIN(TestLoads)
#include "tst_loads.moc"
