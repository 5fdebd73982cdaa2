#pragma once
// Find spans by service, operation, id or attribute value (Ctrl+F): matches are marked in the
// waterfall; Enter and Shift+Enter step through them, revealing each; Esc closes.

#include "trace_view_state.h"

#include <QWidget>

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

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void search(const QString& text);
    void updateStatus();

    TraceViewState* m_state;
    QLineEdit* m_field;
    QLabel* m_status;
};

} // namespace spanwise
