#pragma once
// The Annotations tab: every note and highlight of the trace in a list. Clicking one shows it in
// the waterfall; notes are edited in the list (double-click or F2) and deleted with Delete.

#include "trace_view_state.h"

#include <annotations.h>

#include <QAbstractTableModel>
#include <QPointer>
#include <QWidget>

#include <unordered_map>

class QLabel;
class QPushButton;
class QTreeView;

namespace spanwise {

class AnnotationStore;

class AnnotationListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KindColumn, WhereColumn, TextColumn, ColumnCount };
    AnnotationListModel(AnnotationStore* store, const TraceViewState* state, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    std::uint64_t idAt(int row) const { return m_ids.at(static_cast<std::size_t>(row)); }
    int rowOf(std::uint64_t id) const;
    // The span of this trace an annotation is on, kNoIndex for range notes and unknown spans.
    std::uint32_t spanOf(const Annotation& annotation) const;

private:
    void rebuild();
    const Annotation* at(int row) const;

    QPointer<AnnotationStore> m_store;
    const TraceViewState* m_state;
    std::vector<std::uint64_t> m_ids;                              // annotations of this trace, in document order
    mutable std::unordered_map<SpanId, std::uint32_t> m_spanIndex; // built when first needed
};

class AnnotationsPanel : public QWidget {
    Q_OBJECT
public:
    AnnotationsPanel(AnnotationStore* store, TraceViewState* state, QWidget* parent = nullptr);
    QTreeView* list() const { return m_list; }
    AnnotationListModel* model() const { return m_model; }
    QLabel* saveInfo() const { return m_saveInfo; }
    // Shows an annotation in the waterfall: selects its span, or zooms to its range.
    void reveal(std::uint64_t id);

private:
    void updateInfo();
    void deleteSelected();

    QPointer<AnnotationStore> m_store;
    TraceViewState* m_state;
    AnnotationListModel* m_model;
    QTreeView* m_list;
    QLabel* m_saveInfo;
    QPushButton* m_edit;
    QPushButton* m_delete;
};

} // namespace spanwise
