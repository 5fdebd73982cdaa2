#pragma once
// The viewer window: one tab per opened file (or trace), menus, drag and drop, loading in the
// background with progress and cancel.

#include <compare_page.h>
#include <live_page.h>
#include <trace_download.h>
#include <trace_set.h>

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <optional>

class QAction;
class QUndoGroup;
class QTabWidget;
class QMenu;
class QStackedWidget;

namespace spanwise {

class AnnotationStore;
class ExportDialog;
class LoadingPage;
class Page;
class ServerCredentialStore;
class ShortcutOverlay;
class StartPage;
class TracePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // A file; a folder as a set of the trace files in it; a web address of a trace on a trace server
    // (see openUrl).
    void openFile(const QString& path);
    // One path as openFile does; several as one set of traces, in one tab (web addresses each in a tab
    // of its own).
    void openPaths(const QStringList& paths);
    // The files named and those in the folders named, as one set of traces in one tab.
    void openSet(const QStringList& paths);
    // A trace from Jaeger, Grafana Tempo or Zipkin, by the link to it: fetched with the credentials
    // given, else those remembered for the server, then read as a file is.
    void openUrl(const QString& link, std::optional<ServerCredentials> credentials = std::nullopt);
    // File ▸ Receive Traces… without its dialog: starts receiving in a live tab (or shows the one
    // that receives already) and returns it; nullptr when no endpoint could start (said in a message).
    LivePage* receiveTraces(const struct ReceiverOptions& options, std::uint64_t maxSpans);
    LivePage* livePage() const { return m_live; }
    // Opens a tab comparing the two files' traces (asking which, for a file with several).
    void compareFiles(const QString& pathA, const QString& pathB);
    // Opens a tab comparing two loaded traces.
    void compareTraces(CompareSide a, CompareSide b);
    QTabWidget* tabs() const { return m_tabs; }
    StartPage* startPage() const { return m_start; } // shown while no tab is open
    ShortcutOverlay* shortcutOverlay() const { return m_shortcuts; }
    // Most recent first, at most kMaxRecent, files that are gone left out.
    static QStringList recentFiles();
    static constexpr int kMaxRecent = 10;
    // The example trace bundled with the program, opened from a copy in the user's data folder.
    void openExample();
    // The tab's page (nullptr past the last), the current one's.
    Page* page(int index) const;
    Page* currentPage() const;
    // Closes the tab, cancelling what its page was waiting for.
    void closeTab(int index);
    TracePage* currentTracePage() const;
    ComparePage* currentComparePage() const;
    // File ▸ Export Image… without its modal dialogs: the export dialog for the current tab (a trace
    // or a comparison; nullptr for neither), and the image it describes written to a file (what went
    // wrong, or empty).
    std::unique_ptr<ExportDialog> exportDialog();
    QString exportCurrentTab(const ExportDialog& dialog, const QString& path);
    QUndoGroup* undoGroup() const { return m_undoGroup; }
    // The annotations of a trace file: one store per file while any of its traces is open.
    std::shared_ptr<AnnotationStore> annotationsFor(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void chooseFiles();
    void chooseFolder();
    void chooseServerTrace();
    void chooseReceivers();
    void saveCapture();
    void openLiveTrace(const TraceId& id);
    void fetchTrace(LoadingPage* placeholder, const TraceServerRequest& request, const ServerCredentials& credentials);
    void chooseComparison();
    std::optional<std::uint32_t> chooseTrace(const Dataset& data, const QString& fileName, const QString& side);
    void addTab(Page* page, const QString& title, const QString& toolTip); // and shows it
    void followTracePageOf(Page* page); // the menus follow a tab's trace page when it is replaced
    void replaceTab(LoadingPage* placeholder, Page* page);
    void closeCancelled(LoadingPage* placeholder, const QString& message);
    void showComparison(LoadingPage* placeholder, CompareSide a, CompareSide b);
    void reloadCurrent();
    void exportImage();
    void copyImage();
    void rememberRecent(const QString& path);
    void fillRecentMenu();
    void clearRecent();
    void showRecent();       // on the start page
    void followCurrentTab(); // the title, the central widget, what the menus act on
    void showLoaded(LoadingPage* placeholder, const QString& path, struct LoadOutcome outcome);
    void showSet(LoadingPage* placeholder, std::shared_ptr<const TraceSet> set);
    // What shows a set's traces, opening and comparing them in tabs of their own.
    QWidget* traceSetContent(std::shared_ptr<const TraceSet> set);
    void openTraceOfSet(const TraceSet& set, TraceRef trace);
    void openAnnotations();
    void saveAnnotationsAs();

    QTabWidget* m_tabs;
    QStackedWidget* m_central;
    StartPage* m_start;
    ShortcutOverlay* m_shortcuts = nullptr;
    QAction* m_find = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_showCriticalPath = nullptr;
    QAction* m_criticalOnly = nullptr;
    QAction* m_groupRepeats = nullptr;
    QAction* m_showHidden = nullptr;
    QMetaObject::Connection m_hidingFollowed; // the current trace's hidingChanged, to enable m_showHidden
    QUndoGroup* m_undoGroup;
    QHash<QString, std::weak_ptr<AnnotationStore>> m_annotations;
    ServerCredentialStore* m_credentials;
    QPointer<LivePage> m_live; // the tab receiving traces, while open
    QAction* m_saveCapture = nullptr;
};

} // namespace spanwise
