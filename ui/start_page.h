#pragma once
// What the window shows with no file open: Open…, Open Folder…, the recent files and folders, Compare…,
// the bundled example trace, and that trace files and folders can be dropped on the window.

#include <QWidget>

class QLabel;
class QVBoxLayout;
class QPushButton;

namespace spanwise {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    // Most recent first (files or folders); those that no longer exist are not offered.
    void setRecentFiles(const QStringList& paths);

    QPushButton* openButton() const { return m_open; }
    QPushButton* openFolderButton() const { return m_openFolder; }
    QPushButton* compareButton() const { return m_compare; }
    QPushButton* openFromServerButton() const { return m_openFromServer; }
    QPushButton* receiveButton() const { return m_receive; }
    QPushButton* exampleButton() const { return m_example; }
    QList<QPushButton*> recentButtons() const; // one per recent file, most recent first

signals:
    void openRequested();
    void openFolderRequested();
    void compareRequested();
    void openFromServerRequested();
    void receiveRequested();
    void exampleRequested();
    void recentRequested(const QString& path);

private:
    QPushButton* m_open;
    QPushButton* m_openFolder;
    QPushButton* m_compare;
    QPushButton* m_openFromServer;
    QPushButton* m_receive;
    QPushButton* m_example;
    QWidget* m_recent;
    QVBoxLayout* m_recentLayout;
    QLabel* m_noRecent;
};

} // namespace spanwise
