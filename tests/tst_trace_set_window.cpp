// Many files as one tab: a folder, several files or a drop of them load in the background with one
// progress bar and Cancel, then list every trace with its file; files that failed or hold no trace
// are said so above the list; a trace opens (with its own file's annotations) or two are compared.
#include <screenshot.h>
#include <test_support.h>

#include <annotation_store.h>
#include <compare_page.h>
#include <dark_palette.h>
#include <main_window.h>
#include <pages.h>
#include <set_problems_banner.h>
#include <start_page.h>
#include <trace_list_model.h>
#include <trace_list_page.h>
#include <trace_page.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>

#include <filesystem>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// Two good files (one in a subfolder), a truncated one, two that are no traces and a hidden one.
class TraceFolder {
public:
    TraceFolder()
    {
        copyGenerated(u"jaeger"_s, u"checkout.json"_s, 1);
        copyGenerated(u"zipkin"_s, u"east/payments.json"_s, 2);
        const QByteArray jaeger = test::readFile(path(u"checkout.json"_s));
        write(u"truncated.json"_s, jaeger.left(jaeger.size() / 2));
        write(u"README.txt"_s, "Traces captured on staging.\n");
        write(u"diagram.png"_s, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
        write(u".hidden.json"_s, jaeger);
    }

    QString root() const { return m_dir.path(); }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    static constexpr int kGoodTraces = 4 + 3; // checkout's and payments'

    void copyGenerated(const QString& format, const QString& name, int seed, int traces = -1)
    {
        const int count = traces > 0 ? traces : (format == u"jaeger"_s ? 4 : 3);
        const QString generated = test::generatedTrace(
            format, 40 * count, {u"--traces"_s, QString::number(count), u"--seed"_s, QString::number(seed)});
        write(name, test::readFile(generated));
    }
    void write(const QString& name, const QByteArray& bytes)
    {
        QVERIFY(QDir(root()).mkpath(QFileInfo(path(name)).path()));
        QVERIFY(test::writeFile(path(name), bytes));
    }

private:
    QTemporaryDir m_dir;
};

// The set's list once the current tab has loaded, or nullptr.
TraceListPage* waitForList(MainWindow& window)
{
    TraceListPage* list = nullptr;
    (void)QTest::qWaitFor(
        [&] {
        Page* page = window.currentPage();
        list = page ? page->findChild<TraceListPage*>() : nullptr;
        return list != nullptr;
        },
        30000);
    return list;
}

TraceListModel* listModel(TraceListPage* list)
{
    return qobject_cast<TraceListModel*>(list->proxy()->sourceModel());
}

// The row shown for the first trace of the file whose path ends so.
int rowOfFile(TraceListPage* list, const QString& suffix)
{
    const TraceListModel* model = listModel(list);
    for (int row = 0; row < list->proxy()->rowCount(); ++row) {
        const TraceRef ref = TraceListModel::traceAt(list->proxy()->index(row, 0));
        if (QString::fromStdString(model->set().files[ref.file].path).endsWith(suffix))
            return row;
    }
    return -1;
}

void drop(MainWindow& window, const QList<QUrl>& urls)
{
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint centre = window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropped(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &dropped);
}

QAction* fileAction(MainWindow& window, const QString& text)
{
    for (QAction* action : window.menuBar()->actions().front()->menu()->actions()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

} // namespace

class TestTraceSetWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings stay out of the user's files
        QApplication::setOrganizationName(u"SpanwiseTest"_s);
        QApplication::setApplicationName(u"tst_trace_set_window"_s);
    }

    void init() { QSettings().remove(u"recentFiles"_s); }

    void cleanup() { QVERIFY(QThreadPool::globalInstance()->waitForDone(10000)); }

    void folderOpensAsOneTab()
    {
        TraceFolder folder;
        MainWindow window;
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openFile(folder.root());
        QCOMPARE(window.tabs()->count(), 1);
        QVERIFY(qobject_cast<LoadingPage*>(window.currentPage()));
        TraceListPage* list = waitForList(window);
        QVERIFY(list);
        QCOMPARE(window.tabs()->count(), 1);
        QCOMPARE(window.tabs()->tabText(0), QFileInfo(folder.root()).fileName());
        QVERIFY(window.currentPage()->readsAsSet());
        QCOMPARE(window.currentPage()->paths(), QStringList{folder.root()});

        TraceListModel* model = listModel(list);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const TraceSet& set = model->set();
        QCOMPARE(set.files.size(), std::size_t(5)); // not the hidden one
        const std::size_t truncatedTraces = set.files[4].dataset->traces.size();
        QVERIFY(QString::fromStdString(set.files[4].path).endsWith(u"truncated.json"_s));
        QCOMPARE(model->rowCount(), int(TraceFolder::kGoodTraces + truncatedTraces));
        QVERIFY(!list->table()->isColumnHidden(TraceListModel::File));
        QVERIFY(list->table()->columnWidth(TraceListModel::File) > 0);
        QCOMPARE(list->proxy()->index(rowOfFile(list, u"payments.json"_s), TraceListModel::File).data().toString(),
                 QDir::toNativeSeparators(u"east/payments.json"_s));

        auto* banner = window.currentPage()->findChild<SetProblemsBanner*>();
        QVERIFY(banner);
        QVERIFY(banner->failedLine()->isVisible());
        QCOMPARE(banner->failedLine()->text(),
                 u"1 of 3 files could not be read in full; what could be read is listed."_s);
        QVERIFY(!banner->details()->isVisible());
        QVERIFY(banner->skippedLine()->isVisible());
        QCOMPARE(banner->skippedLine()->text(), u"Skipped 2 files holding no trace: diagram.png, README.txt"_s);
        test::saveScreenshot(&window, "trace-set-folder");
        QTest::mouseClick(banner->detailsButton(), Qt::LeftButton);
        QVERIFY(banner->details()->isVisible());
        QCOMPARE(banner->details()->topLevelItemCount(), 1);
        const QTreeWidgetItem* failed = banner->details()->topLevelItem(0);
        QCOMPARE(failed->text(SetProblemsBanner::File), u"truncated.json"_s);
        QVERIFY2(failed->text(SetProblemsBanner::Problem).startsWith(u"offset "_s),
                 qPrintable(failed->text(SetProblemsBanner::Problem)));
        // The list keeps most of the page: the banner stays compact even unfolded.
        QVERIFY(banner->height() < list->height() / 3);
        QVERIFY(banner->mapTo(&window, QPoint(0, banner->height())).y() <= list->mapTo(&window, QPoint(0, 0)).y());
        test::saveScreenshot(&window, "trace-set-folder-details");

        window.setPalette(test::darkPalette());
        QApplication::processEvents();
        const QImage dark = banner->failedLine()->parentWidget()->grab().toImage();
        QVERIFY(dark.pixelColor(2, 2).lightness() < 90);                 // the tint follows the theme: no bright bar
        const QImage button = banner->detailsButton()->grab().toImage(); // unfolded: no light pressed fill
        QVERIFY(button.pixelColor(1, button.height() / 2).lightness() < 90);
        test::saveScreenshot(&window, "trace-set-folder-dark");

        QCOMPARE(MainWindow::recentFiles(), QStringList{folder.root()});
        QVERIFY(window.startPage()->recentButtons().front()->text().startsWith(
            QDir::toNativeSeparators(QFileInfo(folder.root()).fileName() + u"/"_s)));
    }

    void openingATraceUsesItsFilesAnnotations()
    {
        TraceFolder folder;
        MainWindow window;
        window.show();
        window.openFile(folder.root());
        TraceListPage* list = waitForList(window);
        QVERIFY(list);
        const int row = rowOfFile(list, u"payments.json"_s);
        QVERIFY(row >= 0);
        const TraceRef ref = TraceListModel::traceAt(list->proxy()->index(row, 0));
        const TraceSet& set = listModel(list)->set();
        emit list->table()->activated(list->proxy()->index(row, TraceListModel::TraceId));
        QCOMPARE(window.tabs()->count(), 2);
        TracePage* trace = window.currentTracePage();
        QVERIFY(trace);
        const QString path = folder.path(u"east/payments.json"_s);
        QCOMPARE(window.tabs()->tabText(1),
                 u"payments.json · "_s + QString::fromStdString(toHex(set.trace(ref).id)).left(8));
        QCOMPARE(window.currentPage()->paths(), QStringList{path});
        QVERIFY(!window.currentPage()->readsAsSet());
        QCOMPARE(trace->annotations(), window.annotationsFor(path).get());
        QCOMPARE(trace->annotations()->savePath(), AnnotationStore::sidecarPathFor(path));
    }

    void tracesOfTwoFilesCompare()
    {
        TraceFolder folder;
        MainWindow window;
        window.show();
        window.openFile(folder.root());
        TraceListPage* list = waitForList(window);
        QVERIFY(list);
        const int a = rowOfFile(list, u"checkout.json"_s);
        const int b = rowOfFile(list, u"payments.json"_s);
        QVERIFY(a >= 0 && b >= 0);
        QItemSelectionModel* selection = list->table()->selectionModel();
        selection->select(list->proxy()->index(a, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(list->proxy()->index(b, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(list->compareButton()->isEnabled());
        QTest::mouseClick(list->compareButton(), Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentComparePage() != nullptr, 20000);
        const QString title = window.tabs()->tabText(1);
        QVERIFY2(title.contains(u"checkout.json · "_s) && title.contains(u"payments.json · "_s), qPrintable(title));
    }

    void cancelStopsTheWholeSet()
    {
        QTemporaryDir dir;
        const QString big = test::generatedTrace(u"jaeger"_s, 40000, {u"--traces"_s, u"40"_s});
        for (int i = 0; i < 8; ++i)
            QVERIFY(QFile::copy(big, dir.filePath(u"part-%1.json"_s.arg(i))));
        MainWindow window;
        window.show();
        window.openFile(dir.path());
        auto* loading = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(loading);
        QVERIFY(loading->readsAsSet());
        const std::shared_ptr<const JobControl> job = loading->job();
        while (job->done == 0 && job->end() == JobControl::End::Running) // no events: nothing shown meanwhile
            QThread::msleep(1);
        QVERIFY2(job->end() == JobControl::End::Running, "the set loaded before it could be cancelled");
        QVERIFY(job->total > job->done);
        QPushButton* cancel = loading->findChild<QPushButton*>();
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 0);
        QVERIFY(window.statusBar()->currentMessage().contains(u"cancelled"_s));
        QTRY_COMPARE_WITH_TIMEOUT(job->end(), JobControl::End::Cancelled, 2000);
        QVERIFY2(job->done < job->total, "the files left were not read");
    }

    void oneProgressBarCountsEveryFilesBytes()
    {
        QTemporaryDir dir;
        const QString big = test::generatedTrace(u"jaeger"_s, 40000, {u"--traces"_s, u"40"_s});
        // Hard links to one copy: big enough to watch, little written; each is a file of its own (the
        // loader reads a file reached twice by one path once, a symbolic link included).
        constexpr int kFiles = 60;
        const QString first = dir.filePath(u"part-0.json"_s);
        QVERIFY(QFile::copy(big, first));
        for (int i = 1; i < kFiles; ++i) {
            std::error_code error;
            std::filesystem::create_hard_link(first.toStdString(), dir.filePath(u"part-%1.json"_s.arg(i)).toStdString(),
                                              error);
            QVERIFY2(!error, error.message().c_str());
        }
        const double megabytes = double(QFileInfo(big).size()) * kFiles / 1e6;
        MainWindow window;
        window.show();
        window.openFile(dir.path());
        auto* loading = qobject_cast<LoadingPage*>(window.currentPage());
        QVERIFY(loading);
        const QList<QProgressBar*> bars = loading->findChildren<QProgressBar*>();
        QCOMPARE(bars.size(), 1);
        const QPointer<QProgressBar> bar = bars.front();
        QTRY_VERIFY_WITH_TIMEOUT(!bar || (bar->maximum() > 0 && bar->value() > 0), 20000);
        QVERIFY2(bar, "the set loaded before its progress was seen");
        QVERIFY(bar->value() < bar->maximum());
        QVERIFY2(bar->format().endsWith(u" of %1 MB"_s.arg(megabytes, 0, 'f', 1)), qPrintable(bar->format()));
        QTest::mouseClick(loading->findChild<QPushButton*>(), Qt::LeftButton);
        QCOMPARE(window.tabs()->count(), 0);
    }

    void droppedFilesOpenAsOneSet()
    {
        TraceFolder folder;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        drop(window, {QUrl::fromLocalFile(folder.path(u"checkout.json"_s)),
                      QUrl::fromLocalFile(folder.path(u"east/payments.json"_s))});
        QCOMPARE(window.tabs()->count(), 1);
        QCOMPARE(window.tabs()->tabText(0), u"2 files"_s);
        QCOMPARE(window.tabs()->tabToolTip(0), QDir::toNativeSeparators(folder.path(u"checkout.json"_s) + u"\n"_s +
                                                                        folder.path(u"east/payments.json"_s)));
        TraceListPage* list = waitForList(window);
        QVERIFY(list);
        QCOMPARE(list->proxy()->rowCount(), TraceFolder::kGoodTraces);
        QVERIFY(!list->table()->isColumnHidden(TraceListModel::File));
        QVERIFY(!window.currentPage()->findChild<SetProblemsBanner*>()); // nothing went wrong: nothing said

        drop(window, {QUrl::fromLocalFile(folder.root())}); // a folder dropped alone: a set too
        QCOMPARE(window.tabs()->count(), 2);
        QVERIFY(waitForList(window));
        QVERIFY(window.currentPage()->readsAsSet());

        const QUrl checkout = QUrl::fromLocalFile(folder.path(u"checkout.json"_s));
        drop(window, {checkout, checkout}); // one file, however often named: opened as a file
        QCOMPARE(window.tabs()->count(), 3);
        QCOMPARE(window.tabs()->tabText(2), u"checkout.json"_s);
        QVERIFY(waitForList(window));
        QVERIFY(!window.currentPage()->readsAsSet());
    }

    void aWebAddressAmongFilesOpensOnItsOwn()
    {
        TraceFolder folder;
        MainWindow window;
        const QString link = u"https://tracing.example.com/not-a-trace"_s; // refused before any request
        window.openPaths({folder.path(u"checkout.json"_s), link, folder.path(u"east/payments.json"_s)});
        QCOMPARE(window.tabs()->count(), 2);
        QCOMPARE(window.tabs()->tabText(0), link);
        QCOMPARE(window.tabs()->tabText(1), u"2 files"_s);
        QVERIFY(waitForList(window));
        QCOMPARE(window.currentPage()->paths(),
                 (QStringList{folder.path(u"checkout.json"_s), folder.path(u"east/payments.json"_s)}));
    }

    void aLongSetNamesItsFirstPathsInTheTabTip()
    {
        QTemporaryDir dir;
        QStringList paths;
        for (int i = 1; i <= 15; ++i) {
            paths << dir.filePath(u"part-%1.json"_s.arg(i));
            QVERIFY(test::writeFile(paths.back(), "{}"));
        }
        MainWindow window;
        window.openPaths(paths);
        const QStringList tip = window.tabs()->tabToolTip(0).split(u'\n');
        QCOMPARE(tip.size(), 13);
        QCOMPARE(tip.front(), QDir::toNativeSeparators(paths.front()));
        QCOMPARE(tip.back(), u"and 3 more"_s);
        QCOMPARE(window.tabs()->tabText(0), u"15 files"_s);
    }

    void reloadReadsTheSetAgain()
    {
        TraceFolder folder;
        MainWindow window;
        window.show();
        window.openPaths({folder.path(u"checkout.json"_s), folder.path(u"east/payments.json"_s)});
        QVERIFY(waitForList(window));
        folder.copyGenerated(u"otlp-json"_s, u"east/payments.json"_s, 3, 5); // the file changed on disk
        QAction* reload = fileAction(window, u"Re&load"_s);
        QVERIFY(reload);
        reload->trigger();
        QCOMPARE(window.tabs()->count(), 1);
        QCOMPARE(window.tabs()->tabText(0), u"2 files"_s);
        TraceListPage* list = waitForList(window);
        QVERIFY(list);
        QCOMPARE(list->proxy()->rowCount(), 4 + 5);
    }

    void aSetOfOneTraceShowsTheTrace()
    {
        QTemporaryDir dir;
        QVERIFY(test::writeFile(dir.filePath(u"one.json"_s),
                                test::readFile(test::generatedTrace(u"zipkin"_s, 50, {u"--traces"_s, u"1"_s}))));
        QVERIFY(test::writeFile(dir.filePath(u"notes.txt"_s), "nothing to see"));
        MainWindow window;
        window.show();
        window.openFile(dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        QVERIFY(window.currentPage()->readsAsSet()); // Reload reads the folder again
        auto* banner = window.currentPage()->findChild<SetProblemsBanner*>();
        QVERIFY(banner && banner->skippedLine() && !banner->failedLine());
        QCOMPARE(window.currentTracePage()->annotations(), window.annotationsFor(dir.filePath(u"one.json"_s)).get());
    }

    void anEmptyFolderSaysSo()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        window.openFile(dir.path());
        QLabel* label = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (label = qobject_cast<FilePage*>(window.currentPage())
                         ? qobject_cast<QLabel*>(qobject_cast<FilePage*>(window.currentPage())->content())
                         : nullptr),
            20000);
        QCOMPARE(label->text(), u"There are no files in %1."_s.arg(dir.path()));
    }

    void openFolderHasItsOwnShortcut()
    {
        MainWindow window;
        QAction* openFolder = fileAction(window, u"Open &Folder…"_s);
        QVERIFY(openFolder);
        QCOMPARE(openFolder->shortcut(), QKeySequence(u"Ctrl+Shift+O"_s));
        QList<QKeySequence> others;
        for (QAction* menu : window.menuBar()->actions()) {
            for (QAction* action : menu->menu()->actions()) {
                if (action != openFolder)
                    others += action->shortcuts();
            }
        }
        QVERIFY(!others.contains(openFolder->shortcut()));
        QVERIFY(window.startPage()->openFolderButton()->isVisibleTo(window.startPage()));
    }
};

QTEST_MAIN(TestTraceSetWindow)
#include "tst_trace_set_window.moc"
