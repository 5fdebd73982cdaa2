#pragma once
// The viewer window: one tab per opened file (or trace), menus, drag and drop, loading in the
// background with progress and cancel.

#include <QMainWindow>

class QAction;
class QTabWidget;
class QMenu;

namespace spanwise {

class TracePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    void openFile(const QString& path);
    QTabWidget* tabs() const { return m_tabs; }
    TracePage* currentTracePage() const;

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

    QTabWidget* m_tabs;
    QMenu* m_recentMenu = nullptr;
    QAction* m_showCriticalPath = nullptr;
    QAction* m_criticalOnly = nullptr;
};

} // namespace spanwise
