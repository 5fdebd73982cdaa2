#pragma once
// The Spans view of a trace: every span of the focused subtree as a table row, sortable by any
// column, filtered by the find bar's query language, with attribute columns added from the
// header's context menu. It follows the trace's view state: the selected span's row is selected
// and scrolled to, search matches are marked; selecting a row selects and reveals its span,
// Enter or a double click focuses on it, Ctrl+C copies the selected rows as tab-separated text.

#include "span_table_painter.h"
#include "trace_view_state.h"

#include <QWidget>

class QLabel;
class QMenu;
class QLineEdit;
class QTableView;
class QTimer;

namespace spanwise {

class SpanTableModel;

class SpanTableView : public QWidget {
    Q_OBJECT
public:
    explicit SpanTableView(TraceViewState* state, QWidget* parent = nullptr);

    SpanTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QLineEdit* filterField() const { return m_filter; }
    QLabel* filterError() const { return m_error; }
    QLabel* count() const { return m_count; }
    // The header context menu: a checkable entry per attribute key of the trace, the most frequent
    // first, adding or removing its column. The caller owns it.
    QMenu* attributeMenu(QWidget* parent);
    // The context menu of a cell: copy the selected rows, focus on the span, narrow the filter to
    // the row's service, operation or (in an attribute column) attribute value. The caller owns it.
    QMenu* rowMenu(const QModelIndex& index, QWidget* parent);
    // A painter drawing the table as shown: its column widths, from the first visible row.
    SpanTablePainter painter() const;
    // Copies the selected rows (with the header) as tab-separated text.
    void copySelection() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void applyFilter();
    void showSelection();
    void updateCount();
    void fitColumns(int from);
    void addFilterTerm(const QString& key,
                       const QString& value); // the columns from this one on fit their header and first rows

    TraceViewState* m_state;
    SpanTableModel* m_model;
    QLineEdit* m_filter;
    QLabel* m_error;
    QLabel* m_count;
    QTableView* m_table;
    QTimer* m_filterDelay;
    bool m_following = false; // showing the state's selection: the table's is not the user's
};

} // namespace spanwise
