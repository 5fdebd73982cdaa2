#pragma once
// The annotations layer of a waterfall: which notes, range notes and highlights it draws, the
// inline editor that adds and edits them, dragging a callout to another span or a range label
// along the time axis, selecting a time range on the ruler, their menus and tooltips. The
// waterfall gives it its mouse events first.

#include "waterfall_painter.h"

#include <annotations.h>

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QContextMenuEvent;
class QLineEdit;
class QMenu;
class QMouseEvent;

namespace spanwise {

class AnnotationStore;
class WaterfallView;

class AnnotationOverlay : public QObject {
    Q_OBJECT
public:
    AnnotationOverlay(WaterfallView* view, TraceViewState* state);

    void setStore(AnnotationStore* store); // nullptr for none
    AnnotationStore* store() const;
    const TraceAnnotations& index() const { return m_index; }
    // What only the window draws: the range being selected, a range note being dragged.
    const ScreenMarks& screenMarks() const { return m_marks; }

    // The time range selected by dragging on the ruler (absolute), for a range note.
    std::optional<std::pair<TimeNs, TimeNs>> rangeSelection() const { return m_marks.rangeSelection; }
    void setRangeSelection(TimeNs start, TimeNs end);
    void clearRangeSelection();

    // Where a note's callout or a range note's label was last drawn on screen (empty if not shown).
    QRect annotationRect(std::uint64_t id) const;
    std::uint64_t annotationAt(const QPoint& pos) const; // 0 for none

    // The inline editor: adding a note to a span, a range note on the selected range, editing.
    void beginAddNote(std::uint32_t span);
    void beginAddRangeNote();
    void beginEditNote(std::uint64_t id);
    QLineEdit* editor() const { return m_editor; }

    // Mouse events in viewport coordinates; true when the overlay took them.
    bool mousePress(QMouseEvent* event);
    bool mouseMove(QMouseEvent* event);
    bool mouseRelease(QMouseEvent* event);
    bool mouseDoubleClick(QMouseEvent* event);
    // Shows the menu of an annotation or of the ruler under the event; true when it did.
    bool contextMenu(QContextMenuEvent* event);
    // Add Note…, Highlight and Remove Highlight for a span's menu.
    void addSpanActions(QMenu& menu, std::uint32_t span);
    // The tooltip of an annotation under pos, or empty.
    QString annotationToolTip(const QPoint& pos) const;
    // What a span's tooltip adds: its notes and the range notes at the time under x.
    QString spanToolTipNotes(std::uint32_t span, int x) const;

private:
    void startEditor(const QRect& where, const QString& text, std::function<void(const QString&)> commit);
    void showAnnotationMenu(QMenu& menu, std::uint64_t id);
    void rebuildIndex();
    TimeNs timeAt(int x) const;

    WaterfallView* m_view;
    TraceViewState* m_state;
    QPointer<AnnotationStore> m_store;
    TraceAnnotations m_index; // of this trace, rebuilt when the store changes
    ScreenMarks m_marks;
    TimeNs m_rangeAnchor = 0;
    enum class Drag { None, RangeSelect, Note, RangeNote } m_drag = Drag::None;
    QPoint m_pressPos;
    bool m_dragMoved = false;
    std::uint64_t m_dragged = 0;
    QLineEdit* m_editor = nullptr;
    std::function<void(const QString&)> m_commit;
};

} // namespace spanwise
