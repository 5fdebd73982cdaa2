#include "main_window.h"

#include "pages.h"

#include <annotation_store.h>
#include <annotations_panel.h>
#include <compare_page.h>
#include <export_dialog.h>
#include <hide_short_spans_dialog.h>
#include <image_writers.h>
#include <loader.h>
#include <model_text.h>
#include <open_from_server_dialog.h>
#include <page.h>
#include <search_bar.h>
#include <server_credentials.h>
#include <set_loader.h>
#include <set_problems_banner.h>
#include <shortcut_overlay.h>
#include <start_page.h>
#include <trace_image.h>
#include <trace_page.h>
#include <trace_set_page.h>
#include <trace_view_state.h>
#include <waterfall_view.h>

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QScrollBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyleHints>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeView>
#include <QUndoGroup>
#include <QUndoStack>

// The example trace is compiled into this static library: its resources need registering.
static void registerExampleTrace()
{
    Q_INIT_RESOURCE(examples);
}

namespace spanwise {

struct LoadOutcome {
    std::shared_ptr<const Dataset> data;
    QString errors;
};

namespace {

const char* const kRecentKey = "recentFiles";

// Runs in a worker thread; stops early, reading nothing, when the job is cancelled.
LoadOutcome loadWithProgress(const QString& path, JobControl& job)
{
    LoadOptions options;
    options.progress = [&job](std::uint64_t done, std::uint64_t total) {
        job.done = done;
        job.total = total;
        return !job.cancelled();
    };
    LoadResult result = loadFile(path.toStdString(), options);
    LoadOutcome outcome;
    outcome.errors = QString::fromStdString(result.errorText()).trimmed();
    outcome.data = std::make_shared<const Dataset>(std::move(result.dataset));
    return outcome;
}

// Runs in a worker thread; stops early, reading nothing, when the job is cancelled.
std::shared_ptr<const TraceSet> loadSetWithProgress(const QStringList& paths, JobControl& job)
{
    std::vector<std::string> files;
    for (const QString& path : paths)
        files.push_back(path.toStdString());
    SetLoadOptions options;
    options.load.progress = [&job](std::uint64_t done, std::uint64_t total) {
        job.done = done;
        job.total = total;
        return !job.cancelled();
    };
    return std::make_shared<const TraceSet>(loadTraceSet(files, options));
}

// A set's tab: the folder's name, or how many files or folders were named.
QString setTitle(const QStringList& paths)
{
    if (paths.size() == 1)
        return QFileInfo(paths.front()).fileName();
    const bool folders = std::all_of(paths.begin(), paths.end(), [](const QString& p) { return QFileInfo(p).isDir(); });
    return folders ? MainWindow::tr("%1 folders").arg(paths.size()) : MainWindow::tr("%1 files").arg(paths.size());
}

// A set's tab tip: the paths named, the first few of a long list and how many more.
QString setTabTip(const QStringList& paths)
{
    constexpr int kNamedPaths = 12;
    QStringList lines;
    for (const QString& path : paths.mid(0, kNamedPaths))
        lines << QDir::toNativeSeparators(path);
    if (paths.size() > kNamedPaths)
        lines << MainWindow::tr("and %1 more").arg(paths.size() - kNamedPaths);
    return lines.join(QLatin1Char('\n'));
}

QString traceLabel(const Dataset& data, std::uint32_t trace)
{
    const Trace& t = data.traces[trace];
    return QStringLiteral("%1  %2  (%3 spans, %4)")
        .arg(QString::fromStdString(toHex(t.id)), qstr(data.rootLabel(t)), QString::number(t.count),
             QString::fromStdString(formatDuration(t.duration())));
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_tabs(new QTabWidget(this)), m_central(new QStackedWidget(this)),
      m_start(new StartPage(this)), m_undoGroup(new QUndoGroup(this)), m_credentials(new ServerCredentialStore(this))
{
    registerExampleTrace();
    setWindowTitle(QStringLiteral("Spanwise"));
    // Context menus show the keys that do the same (some desktops hide them by default).
    QGuiApplication::styleHints()->setShowShortcutsInContextMenus(true);
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    m_central->addWidget(m_start);
    m_central->addWidget(m_tabs);
    setCentralWidget(m_central);
    connect(m_start, &StartPage::openRequested, this, &MainWindow::chooseFiles);
    connect(m_start, &StartPage::openFolderRequested, this, &MainWindow::chooseFolder);
    connect(m_start, &StartPage::openFromServerRequested, this, &MainWindow::chooseServerTrace);
    connect(m_start, &StartPage::receiveRequested, this, &MainWindow::chooseReceivers);
    connect(m_start, &StartPage::compareRequested, this, &MainWindow::chooseComparison);
    connect(m_start, &StartPage::exampleRequested, this, &MainWindow::openExample);
    connect(m_start, &StartPage::recentRequested, this, &MainWindow::openFile);
    showRecent();
    setAcceptDrops(true);
    statusBar(); // always there: messages never shift the window's content
    m_shortcuts = new ShortcutOverlay(this);
    createMenus();
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::followCurrentTab);
    followCurrentTab();
    resize(1400, 860);
}

void MainWindow::followCurrentTab()
{
    Page* page = currentPage();
    m_central->setCurrentWidget(page ? static_cast<QWidget*>(m_tabs) : m_start);
    if (!page)
        showRecent();
    const QString title = page ? m_tabs->tabText(m_tabs->currentIndex()) : QString();
    setWindowTitle(title.isEmpty() ? QStringLiteral("Spanwise") : tr("%1 — Spanwise").arg(title));
    const QStringList paths = page ? page->paths() : QStringList();
    setWindowFilePath(paths.size() == 1 ? paths.front() : QString()); // a comparison is of no one file
    TracePage* trace = currentTracePage();
    m_find->setEnabled(trace != nullptr);
    m_undoGroup->setActiveStack(trace ? trace->annotations()->undoStack() : nullptr);
    if (trace) { // the checks follow the trace on screen
        const QSignalBlocker a(m_showCriticalPath), b(m_criticalOnly);
        m_showCriticalPath->setChecked(trace->state()->showCriticalPath());
        m_criticalOnly->setChecked(trace->state()->rowFilter() == TraceViewState::RowFilter::CriticalPath);
        const QSignalBlocker c(m_groupRepeats);
        m_groupRepeats->setChecked(trace->state()->groupRepeats());
    }
    m_groupRepeats->setEnabled(trace != nullptr);
    disconnect(m_hidingFollowed);
    const auto followHiding = [this, state = trace ? trace->state() : nullptr] {
        m_showHidden->setEnabled(state && state->hiddenSpans() > 0);
    };
    followHiding();
    if (trace)
        m_hidingFollowed = connect(trace->state(), &TraceViewState::hidingChanged, m_showHidden, followHiding);
}

Page* MainWindow::page(int index) const
{
    return static_cast<Page*>(m_tabs->widget(index)); // every tab is one
}

Page* MainWindow::currentPage() const
{
    return page(m_tabs->currentIndex());
}

TracePage* MainWindow::currentTracePage() const
{
    Page* page = currentPage();
    return page ? page->tracePage() : nullptr;
}

ComparePage* MainWindow::currentComparePage() const
{
    Page* page = currentPage();
    return page ? page->comparePage() : nullptr;
}

void MainWindow::closeTab(int index)
{
    Page* closed = page(index);
    if (!closed)
        return;
    closed->cancel();
    m_tabs->removeTab(index);
    closed->deleteLater();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Loads and diffs stop now rather than keep the program alive until they end.
    for (int i = 0; i < m_tabs->count(); ++i)
        page(i)->cancel();
    QMainWindow::closeEvent(event);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::chooseFiles);
    file->addAction(tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::chooseFolder);
    file->addAction(tr("Open from Ser&ver…"), QKeySequence(Qt::CTRL | Qt::Key_L), this, &MainWindow::chooseServerTrace);
    file->addAction(tr("Receive &Traces…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                    &MainWindow::chooseReceivers);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(tr("Co&mpare…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this,
                    &MainWindow::chooseComparison);
    file->addAction(tr("Re&load"), QKeySequence(Qt::Key_F5), this, &MainWindow::reloadCurrent);
    file->addSeparator();
    m_saveCapture = file->addAction(tr("Save Ca&pture As…"), this, &MainWindow::saveCapture);
    m_saveCapture->setEnabled(false);
    file->addAction(tr("Open &Annotations…"), this, &MainWindow::openAnnotations);
    file->addAction(tr("&Save Annotations As…"), this, &MainWindow::saveAnnotationsAs);
    file->addSeparator();
    QAction* exportImage = file->addAction(tr("&Export Image…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                                           &MainWindow::exportImage);
    QAction* copyImage = file->addAction(tr("Copy &Image"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this,
                                         &MainWindow::copyImage);
    connect(file, &QMenu::aboutToShow, this, [this, exportImage, copyImage] {
        const bool exportable = currentTracePage() != nullptr || currentComparePage() != nullptr;
        exportImage->setEnabled(exportable);
        copyImage->setEnabled(exportable);
    });
    file->addSeparator();
    file->addAction(tr("&Close Tab"), QKeySequence::Close, this, [this] {
        if (m_tabs->currentIndex() >= 0)
            closeTab(m_tabs->currentIndex());
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    m_find = edit->addAction(tr("&Find…"), this, [this] {
        if (TracePage* page = currentTracePage())
            page->searchBar()->open();
    });
    m_find->setShortcuts({QKeySequence::Find, QKeySequence(Qt::Key_Slash)});

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const auto onTrace = [this](auto action) {
        return [this, action] {
            if (TracePage* page = currentTracePage())
                action(page);
        };
    };
    // The trace's views: Alt+1…4, as the switcher over the view says.
    auto* views = new QActionGroup(view);
    for (int index = 0; index < TracePage::kViewCount; ++index) {
        const auto which = TracePage::View(index);
        QAction* action = view->addAction(TracePage::viewName(which), QKeySequence(Qt::ALT | (Qt::Key_1 + index)), this,
                                          onTrace([which](TracePage* p) { p->showView(which); }));
        action->setCheckable(true);
        views->addAction(action);
    }
    connect(view, &QMenu::aboutToShow, this, [this, views] {
        TracePage* page = currentTracePage();
        for (QAction* action : views->actions())
            action->setEnabled(page != nullptr);
        if (page)
            views->actions().at(int(page->currentView()))->setChecked(true);
    });
    view->addSeparator();
    view->addAction(tr("Zoom &In"), QKeySequence(Qt::CTRL | Qt::Key_Plus), this, onTrace([](TracePage* p) {
                        p->state()->zoom(1.5, (p->state()->viewStart() + p->state()->viewEnd()) / 2);
                    }));
    view->addAction(tr("Zoom &Out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), this, onTrace([](TracePage* p) {
                        p->state()->zoom(1 / 1.5, (p->state()->viewStart() + p->state()->viewEnd()) / 2);
                    }));
    view->addAction(tr("&Reset Zoom"), QKeySequence(Qt::CTRL | Qt::Key_0), this,
                    onTrace([](TracePage* p) { p->state()->resetView(); }));
    view->addSeparator();
    view->addAction(tr("&Expand All"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    onTrace([](TracePage* p) { p->state()->expandAll(); }));
    for (int depth = 1; depth <= 3; ++depth) {
        view->addAction(
            tr("Collapse Below Level &%1").arg(depth), QKeySequence(Qt::CTRL | (Qt::Key_0 + depth)), this,
            onTrace([depth](TracePage* p) { p->state()->collapseBelowDepth(static_cast<std::uint32_t>(depth)); }));
    }
    view->addSeparator();
    view->addAction(tr("&Focus on Selected Subtree"), QKeySequence(Qt::Key_F), this, onTrace([](TracePage* p) {
                        if (p->state()->selected() != kNoIndex && p->state()->hasChildren(p->state()->selected()))
                            p->state()->focusOn(p->state()->selected());
                    }));
    view->addAction(tr("&Back from Focus"), QKeySequence(Qt::Key_Backspace), this,
                    onTrace([](TracePage* p) { p->state()->focusBack(); }));
    view->addAction(tr("&Zoom to Selected Span"), QKeySequence(Qt::Key_Z), this, onTrace([](TracePage* p) {
                        if (p->state()->selected() != kNoIndex)
                            p->waterfall()->zoomToSpan(p->state()->selected());
                    }));
    view->addSeparator();
    m_showCriticalPath = view->addAction(tr("Show &Critical Path"));
    m_showCriticalPath->setCheckable(true);
    m_showCriticalPath->setChecked(true);
    m_showCriticalPath->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(m_showCriticalPath, &QAction::toggled, this,
            [this, onTrace](bool on) { onTrace([on](TracePage* p) { p->state()->setShowCriticalPath(on); })(); });
    m_criticalOnly = view->addAction(tr("Critical Path &Only"));
    m_criticalOnly->setCheckable(true);
    connect(m_criticalOnly, &QAction::toggled, this, [this, onTrace](bool on) {
        onTrace([on](TracePage* p) {
            p->state()->setRowFilter(on ? TraceViewState::RowFilter::CriticalPath : TraceViewState::RowFilter::All);
        })();
    });
    view->addAction(tr("&Next Critical Segment"), QKeySequence(Qt::Key_BracketRight), this,
                    onTrace([](TracePage* p) { p->state()->stepCriticalSegment(1); }));
    view->addAction(tr("&Previous Critical Segment"), QKeySequence(Qt::Key_BracketLeft), this,
                    onTrace([](TracePage* p) { p->state()->stepCriticalSegment(-1); }));
    view->addSeparator();
    m_groupRepeats = view->addAction(tr("&Group Repeated Calls"));
    m_groupRepeats->setObjectName(QStringLiteral("groupRepeats"));
    m_groupRepeats->setCheckable(true);
    m_groupRepeats->setChecked(true);
    m_groupRepeats->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    connect(m_groupRepeats, &QAction::toggled, this,
            [this, onTrace](bool on) { onTrace([on](TracePage* p) { p->state()->setGroupRepeats(on); })(); });
    QAction* hideShort = view->addAction(tr("&Hide Spans Shorter Than…"), QKeySequence(Qt::CTRL | Qt::Key_H), this,
                                         onTrace([this](TracePage* p) { askMinimumDuration(this, p->state()); }));
    hideShort->setObjectName(QStringLiteral("hideShortSpans"));
    m_showHidden = view->addAction(tr("Sho&w Hidden Spans"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H), this,
                                   onTrace([](TracePage* p) { p->state()->showHiddenSpans(); }));
    m_showHidden->setObjectName(QStringLiteral("showHiddenSpans"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), m_shortcuts, &ShortcutOverlay::toggle);
    keys->setShortcuts({QKeySequence(Qt::Key_Question), QKeySequence::HelpContents});
    help->addAction(tr("&About Spanwise"), this, [this] {
        QMessageBox::about(this, tr("About Spanwise"),
                           tr("<h3>Spanwise %1</h3><p>A fast offline viewer for distributed traces: Jaeger, Zipkin "
                              "and OpenTelemetry files, plain or compressed.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

std::shared_ptr<AnnotationStore> MainWindow::annotationsFor(const QString& path)
{
    if (auto store = m_annotations.value(path).lock())
        return store;
    auto store = std::make_shared<AnnotationStore>();
    store->attachToTraceFile(path);
    m_undoGroup->addStack(store->undoStack());
    m_annotations.insert(path, store);
    return store;
}

void MainWindow::openAnnotations()
{
    TracePage* page = currentTracePage();
    if (!page) {
        statusBar()->showMessage(tr("Open a trace first: annotations are added to the trace on screen"), 5000);
        return;
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Annotations"), QString(), tr("Spanwise annotations (*.spanwise.json *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    int added = 0;
    if (!page->annotations()->merge(path, &error, &added)) {
        QMessageBox::warning(this, tr("Open Annotations"), tr("Nothing was added.\n\n%1").arg(error));
        return;
    }
    page->sidePanels()->setCurrentWidget(page->annotationsPanel());
    statusBar()->showMessage(
        added ? tr("Added %1 from %2 (Edit ▸ Undo takes them back)")
                    .arg(added == 1 ? tr("1 annotation") : tr("%1 annotations").arg(added), QFileInfo(path).fileName())
              : tr("%1 holds no annotations that are not already here").arg(QFileInfo(path).fileName()),
        8000);
}

void MainWindow::saveAnnotationsAs()
{
    TracePage* page = currentTracePage();
    if (!page)
        return;
    AnnotationStore* store = page->annotations();
    // Not the sidecar itself: a copy to share, or a new home when the sidecar could not be used.
    const QString tracePath = currentPage()->paths().value(0); // the tab's file
    const QString suggested = tracePath + QStringLiteral("-notes.spanwise.json");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Annotations As"), suggested, tr("Spanwise annotations (*.spanwise.json *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!store->saveAs(path, &error)) {
        QMessageBox::warning(this, tr("Save Annotations As"), error);
        return;
    }
    statusBar()->showMessage(store->savePath() == path
                                 ? tr("Annotations saved to %1; later changes are saved there too").arg(path)
                                 : tr("A copy of the annotations was saved to %1").arg(path),
                             8000);
}

std::unique_ptr<ExportDialog> MainWindow::exportDialog()
{
    if (TracePage* page = currentTracePage())
        return std::make_unique<ExportDialog>(page->waterfall(), currentPage()->paths().value(0), this,
                                              ExportDialog::shownView(page));
    if (ComparePage* page = currentComparePage())
        return std::make_unique<ExportDialog>(page, page->paths().value(0), this);
    return nullptr;
}

QString MainWindow::exportCurrentTab(const ExportDialog& dialog, const QString& path)
{
    const std::optional<ImageFormat> format = imageFormatFor(path);
    if (!format)
        return tr("cannot tell the format of %1: name it .png, .svg or .pdf").arg(path);
    if (TracePage* page = currentTracePage()) {
        TraceImageOptions options = dialog.options();
        options.annotations = page->annotations();
        return writeImage(TraceImage(page->state(), options), path, *format, dialog.scale());
    }
    if (ComparePage* page = currentComparePage())
        return writeImage(CompareImage(page->comparison(), dialog.compareOptions()), path, *format, dialog.scale());
    return tr("the current tab shows neither a trace nor a comparison");
}

void MainWindow::exportImage()
{
    const std::unique_ptr<ExportDialog> dialog = exportDialog();
    if (!dialog || dialog->exec() != QDialog::Accepted)
        return;
    static const char* const filters[] = {"PNG image (*.png)", "SVG drawing (*.svg)", "PDF document (*.pdf)"};
    QString path = QFileDialog::getSaveFileName(this, tr("Export Image"), dialog->suggestedFileName(),
                                                tr(filters[static_cast<int>(dialog->format())]));
    if (path.isEmpty())
        return;
    if (!imageFormatFor(path)) // no or another extension: the chosen format's
        path += QFileInfo(dialog->suggestedFileName()).suffix().prepend(QLatin1Char('.'));
    if (const QString error = exportCurrentTab(*dialog, path); !error.isEmpty()) {
        QMessageBox::warning(this, tr("Export Image"), tr("The image could not be exported: %1.").arg(error));
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
}

void MainWindow::copyImage()
{
    std::unique_ptr<DocumentImage> image;
    if (TracePage* page = currentTracePage()) {
        const WaterfallView* waterfall = page->waterfall();
        TraceImageOptions options;
        options.fileName = QFileInfo(currentPage()->paths().value(0)).fileName();
        options.view = ExportDialog::shownView(page, true);
        if (options.view.view == ImageView::Waterfall) {
            options.width = waterfall->viewport()->width() + 48; // the waterfall as wide as on screen, and margins
            options.firstRow = waterfall->verticalScrollBar()->value();
            options.rowCount = waterfall->verticalScrollBar()->pageStep();
        } else {
            options.width = waterfall->width() + 48; // the trace page's views share one size
        }
        options.annotations = page->annotations();
        image = std::make_unique<TraceImage>(page->state(), options);
    } else if (ComparePage* page = currentComparePage()) {
        CompareImageOptions options;
        options.width = page->width();
        image = std::make_unique<CompareImage>(page->comparison(), options);
    } else {
        return;
    }
    const QImage pixels = renderImage(*image, devicePixelRatio() > 1 ? 2 : 1);
    if (pixels.isNull()) {
        statusBar()->showMessage(tr("The view is too large to copy as an image"), 5000);
        return;
    }
    QApplication::clipboard()->setImage(pixels);
    statusBar()->showMessage(tr("Copied the view as a %1 × %2 image").arg(pixels.width()).arg(pixels.height()), 5000);
}

void MainWindow::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Trace"), QString(),
        tr("Trace files (*.json *.jsonl *.ndjson *.pb *.bin *.gz *.zst);;JSON (*.json *.jsonl *.ndjson);;"
           "Protobuf (*.pb *.bin);;Compressed (*.gz *.zst);;All files (*)"));
    openPaths(paths);
}

void MainWindow::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder of Traces"));
    if (!folder.isEmpty())
        openSet({folder});
}

void MainWindow::reloadCurrent()
{
    Page* page = currentPage();
    if (!page)
        return;
    const QStringList paths = page->paths();
    if (paths.isEmpty()) { // two traces of a file already open: nothing to read again
        statusBar()->showMessage(tr("Reload the file's tab, then compare its traces again"), 5000);
        return;
    }
    const int index = m_tabs->currentIndex();
    closeTab(index);
    if (page->readsAsSet())
        openSet(paths);
    else if (paths.size() == 2)
        compareFiles(paths[0], paths[1]);
    else
        openFile(paths[0]);
    m_tabs->tabBar()->moveTab(m_tabs->count() - 1, index);
    m_tabs->setCurrentIndex(index);
}

QStringList MainWindow::recentFiles()
{
    QStringList recent = QSettings().value(QLatin1String(kRecentKey)).toStringList();
    recent.removeIf([](const QString& path) { return !looksLikeWebAddress(path) && !QFileInfo::exists(path); });
    return recent.mid(0, kMaxRecent);
}

void MainWindow::rememberRecent(const QString& path)
{
    QStringList recent = recentFiles();
    recent.removeAll(path);
    recent.prepend(path);
    QSettings().setValue(QLatin1String(kRecentKey), recent.mid(0, kMaxRecent));
    showRecent();
}

void MainWindow::clearRecent()
{
    QSettings().remove(QLatin1String(kRecentKey));
    showRecent();
}

void MainWindow::showRecent()
{
    m_start->setRecentFiles(recentFiles());
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    for (int i = 0; i < recent.size(); ++i) {
        const QString& path = recent[i];
        const QFileInfo file(path);
        QAction* action = m_recentMenu->addAction(
            QStringLiteral("&%1  %2  (%3)")
                .arg(i + 1 < 10 ? QString::number(i + 1) : QStringLiteral("1&0"))
                .arg(QString(file.isDir() ? QDir::toNativeSeparators(file.fileName() + QLatin1Char('/'))
                                          : file.fileName())
                         .replace(QLatin1Char('&'), QStringLiteral("&&")),
                     QDir::toNativeSeparators(file.path())),
            this, [this, path] { openFile(path); });
        action->setStatusTip(QDir::toNativeSeparators(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear Recent Files"), this, &MainWindow::clearRecent)->setEnabled(!recent.isEmpty());
}

void MainWindow::openExample()
{
    // A real file, so that it can be reloaded, annotated beside and listed as recent like any other.
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                           QStringLiteral("/examples");
    const QString path = folder + QStringLiteral("/checkout.json");
    QFile bundled(QStringLiteral(":/examples/checkout.json"));
    if (QFileInfo(path).size() != bundled.size()) {
        QFile::remove(path);
        if (!QDir().mkpath(folder) || !bundled.copy(path)) {
            QMessageBox::warning(this, tr("Open Example"),
                                 tr("The example trace could not be copied to %1: %2")
                                     .arg(QDir::toNativeSeparators(path), bundled.errorString()));
            return;
        }
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    }
    openFile(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    openPaths(paths);
}

void MainWindow::followTracePageOf(Page* page)
{
    connect(page, &Page::tracePageReplaced, this, [this, page] {
        if (page == currentPage())
            followCurrentTab();
    });
}

void MainWindow::addTab(Page* page, const QString& title, const QString& toolTip)
{
    followTracePageOf(page);
    const int index = m_tabs->addTab(page, title);
    m_tabs->setTabToolTip(index, toolTip);
    m_tabs->setCurrentIndex(index);
}

void MainWindow::replaceTab(LoadingPage* placeholder, Page* page)
{
    followTracePageOf(page);
    const int index = m_tabs->indexOf(placeholder);
    m_tabs->insertTab(index, page, m_tabs->tabText(index));
    m_tabs->setTabToolTip(index, m_tabs->tabToolTip(index + 1));
    m_tabs->removeTab(index + 1);
    m_tabs->setCurrentIndex(index);
    placeholder->deleteLater();
}

void MainWindow::closeCancelled(LoadingPage* placeholder, const QString& message)
{
    closeTab(m_tabs->indexOf(placeholder));
    statusBar()->showMessage(message, 5000);
}

void MainWindow::openPaths(const QStringList& paths)
{
    QStringList local; // files and folders
    for (const QString& path : paths) {
        if (looksLikeWebAddress(path))
            openUrl(path); // one trace fetched from a server: a tab of its own
        else
            local << path;
    }
    if (local.size() == 1)
        openFile(local.front());
    else if (local.size() > 1)
        openSet(local);
}

void MainWindow::openSet(const QStringList& paths)
{
    QStringList absolute;
    for (const QString& path : paths)
        absolute << QFileInfo(path).absoluteFilePath();
    absolute.removeDuplicates();
    if (absolute.size() == 1 && !QFileInfo(absolute.front()).isDir()) { // the same file dropped twice
        openFile(absolute.front());
        return;
    }
    if (absolute.size() == 1)
        rememberRecent(absolute.front());
    const QString title = setTitle(absolute);
    const QString label = absolute.size() == 1 ? tr("Loading the traces in %1…").arg(absolute.front())
                                               : tr("Loading %1…").arg(title);
    auto* placeholder = new LoadingPage(absolute, label, true);
    placeholder->setReadsAsSet(true);
    addTab(placeholder, title, setTabTip(absolute));
    connect(placeholder, &LoadingPage::cancelClicked, this,
            [this, placeholder, title] { closeCancelled(placeholder, tr("Loading %1 cancelled").arg(title)); });
    placeholder->run([absolute](JobControl& job) { return loadSetWithProgress(absolute, job); },
                     [this, placeholder](std::shared_ptr<const TraceSet> set) {
        showSet(placeholder, std::move(set));
    });
}

void MainWindow::openFile(const QString& path)
{
    if (looksLikeWebAddress(path)) {
        openUrl(path);
        return;
    }
    if (QFileInfo(path).isDir()) {
        openSet({path});
        return;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    rememberRecent(absolute);
    auto* placeholder = new LoadingPage({absolute}, tr("Loading %1…").arg(absolute), true);
    addTab(placeholder, QFileInfo(path).fileName(), absolute);
    connect(placeholder, &LoadingPage::cancelClicked, this,
            [this, placeholder, absolute] { closeCancelled(placeholder, tr("Loading %1 cancelled").arg(absolute)); });
    placeholder->run([absolute](JobControl& job) { return loadWithProgress(absolute, job); },
                     [this, placeholder, absolute](LoadOutcome outcome) {
        showLoaded(placeholder, absolute, std::move(outcome));
    });
}

void MainWindow::chooseComparison()
{
    const QString filter = tr("Trace files (*.json *.jsonl *.ndjson *.pb *.bin *.gz *.zst);;All files (*)");
    const QString a = QFileDialog::getOpenFileName(this, tr("Compare: First Trace (A, before)"), QString(), filter);
    if (a.isEmpty())
        return;
    const QString b = QFileDialog::getOpenFileName(this, tr("Compare: Second Trace (B, after)"), QFileInfo(a).path(),
                                                   filter);
    if (!b.isEmpty())
        compareFiles(a, b);
}

void MainWindow::compareFiles(const QString& pathA, const QString& pathB)
{
    const QString a = QFileInfo(pathA).absoluteFilePath();
    const QString b = QFileInfo(pathB).absoluteFilePath();
    const QString nameA = QFileInfo(a).fileName();
    const QString nameB = QFileInfo(b).fileName();
    auto* placeholder = new LoadingPage({a, b}, tr("Loading %1 and %2…").arg(a, b), true);
    addTab(placeholder, tr("%1 ↔ %2").arg(nameA, nameB), QStringLiteral("%1\n%2").arg(a, b));
    connect(placeholder, &LoadingPage::cancelClicked, this, [this, placeholder, nameA, nameB] {
        closeCancelled(placeholder, tr("Comparing %1 and %2 cancelled").arg(nameA, nameB));
    });
    using Outcomes = std::pair<LoadOutcome, LoadOutcome>;
    const auto load = [a, b](JobControl& job) {
        LoadOutcome first = loadWithProgress(a, job);
        LoadOutcome second = b == a ? first : loadWithProgress(b, job); // one file, two of its traces
        return Outcomes(std::move(first), std::move(second));
    };
    placeholder->run(load, [=, this](const Outcomes& outcomes) {
        const auto& [outcomeA, outcomeB] = outcomes;
        QStringList problems;
        for (const auto& [outcome, path] : {std::pair(&outcomeA, a), std::pair(&outcomeB, b)}) {
            if (outcome->data->traces.empty())
                problems << tr("No spans could be read from %1.").arg(path);
            if (!outcome->errors.isEmpty() && !problems.contains(outcome->errors))
                problems << outcome->errors;
        }
        if (outcomeA.data->traces.empty() || outcomeB.data->traces.empty()) {
            replaceTab(placeholder, new FilePage({a, b}, problems.join(QLatin1Char('\n')), nullptr));
            return;
        }
        if (!problems.isEmpty()) // compared all the same, as `spanwise diff` does
            statusBar()->showMessage(tr("Not everything could be read: %1").arg(problems.join(QStringLiteral("; "))),
                                     15000);
        const QPointer<LoadingPage> alive(placeholder);
        const std::optional<std::uint32_t> traceA = chooseTrace(*outcomeA.data, nameA, tr("A (before)"));
        const std::optional<std::uint32_t> traceB = traceA ? chooseTrace(*outcomeB.data, nameB, tr("B (after)"))
                                                           : std::nullopt;
        if (!alive || alive->job()->cancelled()) // closed while a trace was being chosen
            return;
        if (!traceA || !traceB) {
            closeTab(m_tabs->indexOf(placeholder));
            return;
        }
        showComparison(placeholder, {outcomeA.data, *traceA, nameA}, {outcomeB.data, *traceB, nameB});
    });
}

std::optional<std::uint32_t> MainWindow::chooseTrace(const Dataset& data, const QString& fileName, const QString& side)
{
    if (data.traces.size() == 1)
        return 0;
    QStringList items;
    for (std::uint32_t t = 0; t < data.traces.size(); ++t)
        items << traceLabel(data, t);
    bool ok = false;
    const QString chosen = QInputDialog::getItem(
        this, tr("Compare: Choose a Trace"),
        tr("%1 holds %2 traces. Trace %3:").arg(fileName).arg(items.size()).arg(side), items, 0, false, &ok);
    if (!ok)
        return std::nullopt;
    return static_cast<std::uint32_t>(items.indexOf(chosen));
}

void MainWindow::compareTraces(CompareSide a, CompareSide b)
{
    auto* placeholder = new LoadingPage({}, tr("Comparing…"), false);
    addTab(placeholder, tr("%1 ↔ %2").arg(a.name, b.name), QStringLiteral("%1\n%2").arg(a.name, b.name));
    showComparison(placeholder, std::move(a), std::move(b));
}

void MainWindow::showComparison(LoadingPage* placeholder, CompareSide a, CompareSide b)
{
    const auto diff = [a, b](JobControl& job) -> std::shared_ptr<const TraceDiff> {
        std::optional<TraceDiff> diff = diffTraces(*a.data, a.data->traces[a.traceIndex], *b.data,
                                                   b.data->traces[b.traceIndex], {},
                                                   [&job] { return job.cancelled(); });
        return diff ? std::make_shared<const TraceDiff>(std::move(*diff)) : nullptr;
    };
    placeholder->run(diff, [=, this](const std::shared_ptr<const TraceDiff>& result) {
        auto* page = new ComparePage(a, b, result);
        page->setPaths(placeholder->paths());
        replaceTab(placeholder, page);
        page->tree()->setFocus();
    });
}

void MainWindow::showLoaded(LoadingPage* placeholder, const QString& path, LoadOutcome outcome)
{
    const auto& traces = outcome.data->traces;
    const auto annotations = annotationsFor(path);
    QWidget* content = nullptr;
    TracePage* trace = nullptr;
    if (traces.size() == 1) {
        content = trace = new TracePage(outcome.data, 0, nullptr, annotations);
    } else if (traces.size() > 1) {
        content = traceSetContent(
            std::make_shared<const TraceSet>(TraceSet::ofDataset(outcome.data, path.toStdString())));
    } else {
        auto* empty = new QLabel(tr("No spans could be read from this file."));
        empty->setAlignment(Qt::AlignCenter);
        content = empty;
    }
    replaceTab(placeholder, new FilePage({path}, outcome.errors, content));
    if (trace)
        trace->waterfall()->setFocus();
}

QWidget* MainWindow::traceSetContent(std::shared_ptr<const TraceSet> set)
{
    auto* page = new TraceSetPage(set);
    connect(page, &TraceSetPage::traceOpened, this, [this, set](TraceRef trace) { openTraceOfSet(*set, trace); });
    connect(page, &TraceSetPage::compareRequested, this, [this, set](TraceRef a, TraceRef b) {
        const auto side = [&set](TraceRef t) {
            const QString name = QFileInfo(QString::fromStdString(set->files[t.file].path)).fileName();
            return CompareSide{
                set->files[t.file].dataset, t.trace,
                QStringLiteral("%1 · %2").arg(name, QString::fromStdString(toHex(set->trace(t).id)).left(8))};
        };
        compareTraces(side(a), side(b));
    });
    return page;
}

void MainWindow::openTraceOfSet(const TraceSet& set, TraceRef trace)
{
    const TraceSetFile& file = set.files[trace.file];
    const QString path = QString::fromStdString(file.path);
    const QString title = QStringLiteral("%1 · %2").arg(QFileInfo(path).fileName(),
                                                        QString::fromStdString(toHex(set.trace(trace).id)).left(8));
    auto* page = new TracePage(file.dataset, trace.trace, nullptr, annotationsFor(path));
    addTab(new FilePage({path}, {}, page), title, QDir::toNativeSeparators(path));
    page->waterfall()->setFocus();
}

void MainWindow::showSet(LoadingPage* placeholder, std::shared_ptr<const TraceSet> set)
{
    const QStringList paths = placeholder->paths();
    QWidget* banner = SetProblemsBanner::needed(*set) ? new SetProblemsBanner(*set) : nullptr;
    QWidget* content = nullptr;
    TracePage* trace = nullptr;
    if (set->traces.size() == 1) { // as a file of one trace shows
        const TraceRef only = set->traces.front();
        const QString path = QString::fromStdString(set->files[only.file].path);
        content = trace = new TracePage(set->files[only.file].dataset, only.trace, nullptr, annotationsFor(path));
    } else if (set->traces.size() > 1) {
        content = traceSetContent(set);
    } else {
        auto* empty = new QLabel(set->files.empty()
                                     ? tr("There are no files in %1.").arg(paths.join(QStringLiteral(", ")))
                                     : tr("No traces could be read from these files."));
        empty->setAlignment(Qt::AlignCenter);
        empty->setWordWrap(true);
        content = empty;
    }
    auto* page = new FilePage(paths, banner, content);
    page->setReadsAsSet(true);
    replaceTab(placeholder, page);
    if (trace)
        trace->waterfall()->setFocus();
}

void MainWindow::chooseServerTrace()
{
    QStringList servers; // the servers of the traces fetched before, most recent first
    for (const QString& recent : recentFiles()) {
        if (const auto request = traceServerRequest(QUrl(recent));
            request && !servers.contains(request->base.toString()))
            servers << request->base.toString();
    }
    OpenFromServerDialog dialog(servers, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const std::optional<TraceServerRequest> request = dialog.request();
    if (!request)
        return;
    const ServerCredentials credentials = dialog.credentials();
    if (credentials.kind == ServerCredentials::Kind::None) { // those remembered for the server, if any
        openUrl(request->api.toString());
        return;
    }
    m_credentials->remember(request->base, credentials, dialog.saveCredentials(), [this](const QString& error) {
        if (!error.isEmpty())
            statusBar()->showMessage(error, 15000);
    });
    openUrl(request->api.toString(), credentials);
}

void MainWindow::openUrl(const QString& link, std::optional<ServerCredentials> credentials)
{
    const QUrl url(link);
    if (!url.userName().isEmpty() && !credentials) // https://user:password@host/…: for this fetch only
        credentials = ServerCredentials{ServerCredentials::Kind::Basic, url.userName(), url.password()};
    QString why;
    const std::optional<TraceServerRequest> request = traceServerRequest(url, &why);
    // The API address names the trace: the same trace by its page or by its API is one recent entry
    // and one set of annotations.
    const QString address = request ? request->api.toString() : url.toString(QUrl::RemoveUserInfo);
    auto* placeholder = new LoadingPage({address}, tr("Fetching %1…").arg(address), true);
    addTab(placeholder,
           request ? QStringLiteral("%1 · %2").arg(request->base.host(), request->traceId.left(8)) : address, address);
    if (!request) {
        replaceTab(placeholder, new FilePage({}, why, nullptr));
        return;
    }
    rememberRecent(address);
    connect(placeholder, &LoadingPage::cancelClicked, this,
            [this, placeholder, address] { closeCancelled(placeholder, tr("Fetching %1 cancelled").arg(address)); });
    if (credentials) {
        fetchTrace(placeholder, *request, *credentials);
        return;
    }
    const QPointer<LoadingPage> alive(placeholder);
    m_credentials->find(request->base, [this, alive, request](const ServerCredentials& found) {
        if (alive && !alive->job()->cancelled())
            fetchTrace(alive, *request, found);
    });
}

void MainWindow::fetchTrace(LoadingPage* placeholder, const TraceServerRequest& request,
                            const ServerCredentials& credentials)
{
    auto* download = new TraceDownload(placeholder); // closing the tab stops it
    connect(download, &TraceDownload::progress, placeholder, [placeholder](qint64 received, qint64 total) {
        placeholder->setProgress(received, std::max<qint64>(total, 0));
    });
    const QString address = request.api.toString();
    connect(download, &TraceDownload::finished, this,
            [this, placeholder, address](const QByteArray& body, const QString& error) {
        if (!error.isEmpty()) {
            replaceTab(placeholder, new FilePage({address}, error, nullptr));
            return;
        }
        placeholder->run(
            [body, address](JobControl& job) {
            LoadOptions options;
            options.progress = [&job](std::uint64_t done, std::uint64_t total) {
                job.done = done;
                job.total = total;
                return !job.cancelled();
            };
            LoadResult result = loadBytes(std::string_view(body.constData(), static_cast<std::size_t>(body.size())),
                                          address.toStdString(), options);
            return LoadOutcome{std::make_shared<const Dataset>(std::move(result.dataset)),
                               QString::fromStdString(result.errorText()).trimmed()};
            },
            [this, placeholder, address](LoadOutcome outcome) {
            showLoaded(placeholder, address, std::move(outcome));
        });
    });
    download->start(request, credentials);
}

} // namespace spanwise
