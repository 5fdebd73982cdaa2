#pragma once
// The viewer window: one tab per opened file (or trace), menus, drag and drop, loading in the
// background with progress and cancel.

#include <QHash>
#include <QMainWindow>

#include <memory>

class QAction;
class QUndoGroup;
class QTabWidget;
class QMenu;

namespace spanwise {

class AnnotationStore;
class TracePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    void openFile(const QString& path);
    QTabWidget* tabs() const { return m_tabs; }
    TracePage* currentTracePage() const;
    QUndoGroup* undoGroup() const { return m_undoGroup; }
    // The annotations of a trace file: one store per file while any of its traces is open.
    std::shared_ptr<AnnotationStore> annotationsFor(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void chooseFiles();
    void reloadCurrent();
    void exportImage();
    void copyImage();
    QString pathOf(const QWidget* widget) const; // the file a tab's page shows
    void rememberRecent(const QString& path);
    void fillRecentMenu();
    void showShortcuts();
    void showLoaded(QWidget* placeholder, const QString& path, struct LoadOutcome outcome);
    void openAnnotations();
    void saveAnnotationsAs();

    QTabWidget* m_tabs;
    QMenu* m_recentMenu = nullptr;
    QAction* m_showCriticalPath = nullptr;
    QAction* m_criticalOnly = nullptr;
    QUndoGroup* m_undoGroup;
    QHash<QString, std::weak_ptr<AnnotationStore>> m_annotations;
};

} // namespace spanwise
