#pragma once
// What went wrong reading a set of files, kept compact above its traces: one line saying how many
// files could not be read in full, with the list of them and their errors to unfold, and one line
// naming the files skipped for holding no trace.

#include <trace_set.h>

#include <QWidget>

class QLabel;
class QToolButton;
class QTreeWidget;

namespace spanwise {

class SetProblemsBanner : public QWidget {
    Q_OBJECT
public:
    enum Column { File, Read, Problem, ColumnCount };

    explicit SetProblemsBanner(const TraceSet& set, QWidget* parent = nullptr);
    // Whether a set has anything to say: files that failed or were skipped.
    static bool needed(const TraceSet& set);

    QLabel* failedLine() const { return m_failed; }       // nullptr when every file was read
    QToolButton* detailsButton() const { return m_more; } // nullptr when every file was read
    QTreeWidget* details() const { return m_details; }    // the failed files, folded away at first
    QLabel* skippedLine() const { return m_skipped; }     // nullptr when none was skipped

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();

    QWidget* m_failedBar = nullptr;
    QLabel* m_failed = nullptr;
    QToolButton* m_more = nullptr;
    QTreeWidget* m_details = nullptr;
    QLabel* m_skipped = nullptr;
};

} // namespace spanwise
