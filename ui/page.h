#pragma once
// What a tab of the main window shows — a file, one of its traces, a comparison, or one of them still
// loading — and what the window asks of any of them.

#include <QStringList>
#include <QWidget>

namespace spanwise {

class ComparePage;
class TracePage;

class Page : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    ~Page() override;

    // The files read again by Reload: one for a file or one of its traces, both of a comparison of
    // files (the same one twice for two traces of a file); none when there is nothing to read again.
    virtual QStringList paths() const = 0;
    // Whether the paths are read as one set of traces (a folder, several files), by Reload too.
    bool readsAsSet() const { return m_readsAsSet; }
    void setReadsAsSet(bool set) { m_readsAsSet = set; }
    // The trace or comparison on screen, for the menus and export; nullptr for anything else.
    virtual TracePage* tracePage() const { return nullptr; }
    virtual ComparePage* comparePage() const { return nullptr; }
    // Stops the work the page waits for (a load, a diff), whose result is then dropped.
    virtual void cancel() {}

signals:
    // tracePage() is another one now (a live trace shown again with the spans that arrived).
    void tracePageReplaced();

private:
    bool m_readsAsSet = false;
};

} // namespace spanwise
