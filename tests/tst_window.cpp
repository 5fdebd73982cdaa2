// The window around the traces: the start page, recent files, the title, Edit ▸ Find, the
// shortcut overlay, dropping files, a layout that does not jump; and quiet headless commands.
#include <screenshot.h>
#include <test_support.h>

#include <export_dialog.h>
#include <hide_short_spans_dialog.h>
#include <keyboard_shortcuts.h>
#include <main_window.h>
#include <search_bar.h>
#include <shortcut_overlay.h>
#include <start_page.h>
#include <trace_page.h>
#include <waterfall_view.h>

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyleHints>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// The window at the default size with the example trace open; false when it did not show or load.
bool showWithExample(MainWindow& window)
{
    window.resize(1400, 860);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    window.openFile(test::exampleTrace());
    return QTest::qWaitFor([&] { return window.currentTracePage() != nullptr; }, 20000);
}

// Answers the next "Hide Spans Shorter Than…" dialog with `text` once it shows, after checking it
// offers `current` and takes `text` (OK enabled) and no typo; false when the dialog never showed.
bool answerMinimumDuration(const QString& current, const QString& text)
{
    QInputDialog* dialog = nullptr;
    if (!QTest::qWaitFor([&] {
            dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            return dialog && dialog->objectName() == QLatin1String(kHideShortSpansDialogName) && dialog->isVisible();
        }))
        return false;
    QPushButton* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    const bool offered = dialog->textValue() == current;
    dialog->setTextValue(QStringLiteral("5 parsecs"));
    const bool refusesTypos = !ok->isEnabled();
    dialog->setTextValue(text);
    const bool takes = ok->isEnabled();
    ok->click();
    return offered && refusesTypos && takes;
}

QAction* menuAction(QMainWindow& window, const QString& menu, const QString& text)
{
    for (QAction* top : window.menuBar()->actions()) {
        if (top->text() != menu || !top->menu())
            continue;
        for (QAction* action : top->menu()->actions()) {
            if (action->text() == text)
                return action;
        }
    }
    return nullptr;
}

// Every text the overlay's card shows, as plain text.
QString overlayText(ShortcutOverlay* overlay)
{
    QString text;
    for (const QLabel* label : overlay->card()->findChildren<QLabel*>()) {
        QTextDocument doc;
        doc.setHtml(label->text());
        text += doc.toPlainText() + QLatin1Char('\n');
    }
    return text;
}

test::ProcessRun runWithoutRuntimeDir(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SPANWISE_BINARY), args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings and the example copy stay out of the user's files
        QApplication::setOrganizationName(QStringLiteral("SpanwiseTest"));
        QApplication::setApplicationName(QStringLiteral("tst_window"));
    }

    void init() { QSettings().remove(QStringLiteral("recentFiles")); }

    void startPageOpensTheExampleAndComesBack()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        StartPage* start = window.startPage();
        QVERIFY(start->isVisible());
        QVERIFY(!window.tabs()->isVisible());
        QCOMPARE(window.windowTitle(), QStringLiteral("Spanwise"));
        QVERIFY(start->openButton()->isVisible() && start->compareButton()->isVisible() &&
                start->exampleButton()->isVisible());
        QVERIFY(start->recentButtons().isEmpty());
        const auto labels = start->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel* l) { return l->isVisible() && l->text().contains(QStringLiteral("drop")); }));
        test::saveScreenshot(&window, "start-page-empty");

        QTest::mouseClick(start->exampleButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        QCOMPARE(window.currentTracePage()->state()->trace().count, 62u);
        QVERIFY(!start->isVisible());
        QCOMPARE(window.windowTitle(), QStringLiteral("checkout.json — Spanwise"));
        QVERIFY(window.windowFilePath().endsWith(QStringLiteral("/checkout.json")));
        QVERIFY(QFileInfo::exists(window.windowFilePath()));

        window.closeTab(0);
        QTRY_VERIFY(start->isVisible());
        QCOMPARE(window.windowTitle(), QStringLiteral("Spanwise"));
        QCOMPARE(window.windowFilePath(), QString());
        QCOMPARE(start->recentButtons().size(), 1); // the example, now recent
        QVERIFY(start->recentButtons().front()->text().startsWith(QStringLiteral("checkout.json")));
        test::saveScreenshot(&window, "start-page-recent");
        QTest::mouseClick(start->recentButtons().front(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        QCOMPARE(window.tabs()->count(), 1);
    }

    void recentFilesKeepTheLatestTenThatExist()
    {
        QTemporaryDir dir;
        const QByteArray trace = test::readFile(test::exampleTrace());
        QStringList paths;
        for (int i = 0; i < 12; ++i) {
            paths << dir.filePath(QStringLiteral("trace%1.json").arg(i));
            QVERIFY(test::writeFile(paths.back(), trace));
        }
        {
            MainWindow window;
            for (const QString& path : paths)
                window.openFile(path);
            QTRY_VERIFY_WITH_TIMEOUT(window.tabs()->count() == 12 && window.currentTracePage(), 30000);
            QStringList expected;
            for (int i = 11; i >= 2; --i)
                expected << paths[i];
            QCOMPARE(MainWindow::recentFiles(), expected);
            QCOMPARE(MainWindow::kMaxRecent, 10);
        }
        QFile::remove(paths[11]); // gone: no longer offered
        QCOMPARE(MainWindow::recentFiles().size(), 9);
        QCOMPARE(MainWindow::recentFiles().front(), paths[10]);

        MainWindow window;
        QCOMPARE(window.startPage()->recentButtons().size(), 9);
        QAction* recent = nullptr;
        for (QAction* action : window.menuBar()->actions().front()->menu()->actions()) {
            if (action->text() == QStringLiteral("Open &Recent"))
                recent = action;
        }
        QVERIFY(recent);
        emit recent->menu()->aboutToShow();
        QStringList items;
        QAction* clear = nullptr;
        for (QAction* action : recent->menu()->actions()) {
            if (action->text() == QStringLiteral("&Clear Recent Files"))
                clear = action;
            else if (!action->isSeparator())
                items << action->text();
        }
        QCOMPARE(items.size(), 9);
        QVERIFY(items.front().startsWith(QStringLiteral("&1  trace10.json")));
        QVERIFY(clear && clear->isEnabled());
        clear->trigger();
        QVERIFY(MainWindow::recentFiles().isEmpty());
        QVERIFY(window.startPage()->recentButtons().isEmpty());
    }

    void findOpensFromTheMenuCtrlFAndSlash()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction* find = menuAction(window, QStringLiteral("&Edit"), QStringLiteral("&Find…"));
        QVERIFY(find);
        QCOMPARE(find->shortcuts(), (QList<QKeySequence>{QKeySequence::Find, QKeySequence(Qt::Key_Slash)}));
        QVERIFY(!find->isEnabled()); // nothing to search yet
        window.openFile(test::exampleTrace());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        QVERIFY(find->isEnabled());
        TracePage* page = window.currentTracePage();
        SearchBar* bar = page->searchBar();
        QTRY_VERIFY(page->waterfall()->hasFocus());

        QTest::keyClick(page->waterfall(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(bar->isVisible());
        QVERIFY(bar->field()->hasFocus());
        QTest::keyClick(bar->field(), Qt::Key_Escape);
        QVERIFY(!bar->isVisible());

        page->waterfall()->setFocus();
        QTest::keyClick(page->waterfall(), Qt::Key_Slash);
        QVERIFY(bar->isVisible());
        QVERIFY(bar->field()->hasFocus());
        QTest::keyClick(bar->field(), Qt::Key_Slash); // typed into the field, not a shortcut any more
        QCOMPARE(bar->field()->text(), QStringLiteral("/"));
        QTest::keyClick(bar->field(), Qt::Key_Escape);

        find->trigger();
        QVERIFY(bar->isVisible() && bar->field()->hasFocus());
    }

    void questionMarkShowsEveryShortcut()
    {
        MainWindow window;
        QVERIFY(showWithExample(window));
        WaterfallView* waterfall = window.currentTracePage()->waterfall();
        QTRY_VERIFY(waterfall->hasFocus());
        ShortcutOverlay* overlay = window.shortcutOverlay();
        QVERIFY(!overlay->isVisible());

        QTest::keyClick(waterfall, Qt::Key_Question);
        QVERIFY(overlay->isVisible());
        QCOMPARE(overlay->geometry(), window.rect());
        QVERIFY(overlay->rect().contains(overlay->card()->geometry())); // the whole card fits the window
        const QString text = overlayText(overlay);
        for (const ShortcutGroup& group : keyboardShortcuts()) {
            QVERIFY2(text.contains(group.title), qPrintable(group.title));
            for (const ShortcutEntry& entry : group.entries)
                QVERIFY2(text.contains(entry.keys) && text.contains(entry.what), qPrintable(entry.keys));
        }
        for (const char* key : {"Ctrl+F, /", "W / S", "A / D", "] / [", "?, F1"})
            QVERIFY2(text.contains(QLatin1String(key)), key);
        test::saveScreenshot(&window, "shortcut-overlay");

        QTest::keyClick(overlay, Qt::Key_Slash); // the window's other keys wait while it shows
        QVERIFY(!window.currentTracePage()->searchBar()->isVisible());
        QTest::keyClick(overlay, Qt::Key_Escape);
        QVERIFY(!overlay->isVisible());
        QVERIFY(waterfall->hasFocus()); // the keyboard goes back where it was
        QTest::keyClick(waterfall, Qt::Key_Question);
        QVERIFY(overlay->isVisible());
        QTest::keyClick(overlay, Qt::Key_Question);
        QVERIFY(!overlay->isVisible());

        // Help ▸ Keyboard Shortcuts is the same overlay (and F1).
        QAction* help = menuAction(window, QStringLiteral("&Help"), QStringLiteral("&Keyboard Shortcuts"));
        QVERIFY(help);
        QVERIFY(help->shortcuts().contains(QKeySequence(QKeySequence::HelpContents)));
        help->trigger();
        QVERIFY(overlay->isVisible());
        help->trigger();
        QVERIFY(!overlay->isVisible());
    }

    void criticalStepKeysSaySegment()
    {
        MainWindow window;
        QVERIFY(showWithExample(window));
        TracePage* page = window.currentTracePage();
        QTRY_VERIFY(page->waterfall()->hasFocus());
        const int segments = static_cast<int>(page->state()->criticalPath().size());
        QTest::keyClick(page->waterfall(), Qt::Key_BracketRight);
        QVERIFY(page->criticalStepLabel()->isVisible());
        QVERIFY2(page->criticalStepLabel()->text().startsWith(
                     QStringLiteral("Critical path: segment 2 of %1").arg(segments)),
                 qPrintable(page->criticalStepLabel()->text()));
        QTest::keyClick(page->waterfall(), Qt::Key_BracketRight);
        QVERIFY(page->criticalStepLabel()->text().startsWith(QStringLiteral("Critical path: segment 3 of")));
        QTest::keyClick(page->waterfall(), Qt::Key_BracketLeft);
        QVERIFY(page->criticalStepLabel()->text().startsWith(QStringLiteral("Critical path: segment 2 of")));
        test::saveScreenshot(&window, "critical-step-window");
    }

    void viewMenuGroupsAndHidesFollowingTheTab()
    {
        MainWindow window;
        QVERIFY(showWithExample(window));
        TraceViewState* first = window.currentTracePage()->state();
        first->expandAll();
        QVERIFY(!first->repeatGroups().empty());
        const std::size_t grouped = first->rows().size();
        const auto view = [&](const char* text) { return menuAction(window, u"&View"_s, QString::fromUtf8(text)); };
        QAction* group = view("&Group Repeated Calls");
        QAction* hideShort = view("&Hide Spans Shorter Than…");
        QAction* showHidden = view("Sho&w Hidden Spans");
        QVERIFY(group && hideShort && showHidden);
        QVERIFY(group->isChecked() && first->groupRepeats());
        QVERIFY(!showHidden->isEnabled());

        // Ctrl+G: each call on a row of its own, and back.
        QTest::keyClick(&window, Qt::Key_G, Qt::ControlModifier);
        QVERIFY(!first->groupRepeats() && !group->isChecked());
        QVERIFY(first->rows().size() > grouped);
        group->trigger();
        QVERIFY(first->groupRepeats());
        QCOMPARE(first->rows().size(), grouped);

        // Hide spans shorter than 1 ms: fewer rows, and Show Hidden Spans can bring them back.
        QTimer::singleShot(0, [] { QVERIFY(answerMinimumDuration(QString(), u"1ms"_s)); });
        hideShort->trigger();
        QCOMPARE(first->minimumDuration(), TimeNs(1'000'000));
        QVERIFY(first->hiddenSpans() > 0 && first->rows().size() < grouped);
        QVERIFY(showHidden->isEnabled());
        window.activateWindow(); // the offscreen platform leaves no window active after a dialog
        QVERIFY(QTest::qWaitForWindowActive(&window));
        // The dialog offers the current value; emptied, it shows every span.
        const QString oneMs = QString::fromStdString(formatDuration(1'000'000));
        QTimer::singleShot(0, [oneMs] { QVERIFY(answerMinimumDuration(oneMs, QString())); });
        QTest::keyClick(&window, Qt::Key_H, Qt::ControlModifier);
        QCOMPARE(first->minimumDuration(), TimeNs(0));
        QCOMPARE(first->rows().size(), grouped);
        QVERIFY(!showHidden->isEnabled());
        QTimer::singleShot(0, [] { QVERIFY(answerMinimumDuration(QString(), u"5 ms"_s)); });
        hideShort->trigger();
        QCOMPARE(first->minimumDuration(), TimeNs(5'000'000));
        QVERIFY(showHidden->isEnabled());
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));

        // Another trace in another tab: the menu shows its state, and the first's on coming back.
        window.openFile(test::generatedTrace(u"jaeger"_s, 300, {u"--seed"_s, u"3"_s}));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() && window.currentTracePage()->state() != first, 20000);
        TraceViewState* second = window.currentTracePage()->state();
        QVERIFY(group->isChecked() && !showHidden->isEnabled());
        group->trigger();
        QVERIFY(!second->groupRepeats() && first->groupRepeats());
        // A service hidden as clicking it in the legend does: a leaf's, so its spans are gone.
        const Dataset& data = second->data();
        second->setServiceHidden(data.str(data.spans[second->trace().end_index() - 1].service), true);
        QVERIFY(showHidden->isEnabled());
        QTest::keyClick(&window, Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(second->hiddenSpans() == 0 && !showHidden->isEnabled());
        window.tabs()->setCurrentIndex(0);
        QVERIFY(group->isChecked() && showHidden->isEnabled());
        showHidden->trigger();
        QCOMPARE(first->minimumDuration(), TimeNs(0));
        QCOMPARE(first->rows().size(), grouped);
        window.tabs()->setCurrentIndex(1);
        QVERIFY(!group->isChecked());
    }

    void contextMenusShowShortcuts()
    {
        MainWindow window;
        QVERIFY(QGuiApplication::styleHints()->showShortcutsInContextMenus());
    }

    void messagesDoNotMoveTheView()
    {
        MainWindow window;
        QVERIFY(showWithExample(window));
        QApplication::processEvents();
        WaterfallView* waterfall = window.currentTracePage()->waterfall();
        const QRect before(waterfall->mapTo(&window, QPoint(0, 0)), waterfall->size());
        QVERIFY(window.statusBar()->isVisible());
        // What File ▸ Export Image… does after its dialogs: write the image, then say so.
        QTemporaryDir dir;
        const std::unique_ptr<ExportDialog> dialog = window.exportDialog();
        const QString path = dir.filePath(QStringLiteral("out.png"));
        QCOMPARE(window.exportCurrentTab(*dialog, path), QString());
        window.statusBar()->showMessage(QStringLiteral("Exported %1").arg(path), 5000);
        QApplication::processEvents();
        const QRect after(waterfall->mapTo(&window, QPoint(0, 0)), waterfall->size());
        QCOMPARE(after, before);
    }

    void droppedFilesOpen()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(test::exampleTrace())});
        const QPoint centre = window.rect().center();
        QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
    }

    void headlessCommandsAreQuietWithoutASession()
    {
        QTemporaryDir dir;
        const test::ProcessRun exported = runWithoutRuntimeDir({QStringLiteral("export"), test::exampleTrace(),
                                                                QStringLiteral("-o"),
                                                                dir.filePath(QStringLiteral("a.png"))});
        QCOMPARE(exported.exitCode, 0);
        QCOMPARE(exported.err, QByteArray());
        QVERIFY(exported.out.contains("62 rows"));

        const QString diffPng = dir.filePath(QStringLiteral("diff.png"));
        const test::ProcessRun diffed = runWithoutRuntimeDir(
            {QStringLiteral("diff"), test::exampleTrace(), test::exampleTrace(), QStringLiteral("-o"), diffPng});
        QCOMPARE(diffed.exitCode, 0);
        QCOMPARE(diffed.err, QByteArray());
        QVERIFY(QFileInfo::exists(diffPng));
    }
};

QTEST_MAIN(TestWindow)
#include "tst_window.moc"
