#pragma once
// Find spans (Ctrl+F) by the query language of model/span_search.h (words, /regex/, key=value) and
// filters (service, minimum duration, errors only): matches are marked in the waterfall, Enter and
// Shift+Enter step through them, "Matches only" hides the rest but keeps the path from the root;
// Esc closes.

#include "trace_view_state.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace spanwise {

class SearchBar : public QWidget {
    Q_OBJECT
public:
    explicit SearchBar(TraceViewState* state, QWidget* parent = nullptr);
    void open();
    void close();
    void step(int direction); // +1 next match after the selection, -1 previous
    QLineEdit* field() const { return m_field; }
    QLabel* status() const { return m_status; }
    QLabel* error() const { return m_error; } // what is wrong with the query, hidden when nothing is
    QComboBox* serviceFilter() const { return m_service; }
    QLineEdit* minDuration() const { return m_minDuration; }
    QCheckBox* errorsOnly() const { return m_errorsOnly; }
    QCheckBox* matchesOnly() const { return m_matchesOnly; }

signals:
    void closed(); // the keyboard goes back to the view

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void search();
    void updateStatus();

    TraceViewState* m_state;
    QLineEdit* m_field;
    QComboBox* m_service;
    QLineEdit* m_minDuration;
    QCheckBox* m_errorsOnly;
    QCheckBox* m_matchesOnly;
    QLabel* m_status;
    QLabel* m_error;
};

} // namespace spanwise
