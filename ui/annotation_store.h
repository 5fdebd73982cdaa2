#pragma once
// The annotations of one open trace file, shared by every tab showing one of its traces. Every
// change is an undoable command; after each change the document is saved (debounced, atomically)
// to its file — by default the sidecar `<trace file>.spanwise.json`. A sidecar that cannot be read
// (broken, foreign, newer format) is reported and never written: changes then stay in memory
// until saveAs() picks another file, which is saved from then on.

#include <annotations.h>

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTimer>

class QUndoStack;

namespace spanwise {

class AnnotationStore : public QObject {
    Q_OBJECT
public:
    // In memory, saved nowhere until saveAs() (for headless export, or a trace with no file).
    explicit AnnotationStore(QObject* parent = nullptr);
    // Loads the sidecar of this trace file when there is one, and saves to it.
    static QString sidecarPathFor(const QString& traceFile);
    void attachToTraceFile(const QString& traceFile);
    ~AnnotationStore() override;

    // The colours offered for highlighting spans: name and 0xRRGGBB.
    static QList<QPair<QString, std::uint32_t>> highlightColors();

    const AnnotationDocument& document() const { return m_document; }
    QUndoStack* undoStack() const { return m_undo; }
    QString savePath() const { return m_savePath; } // empty when changes go nowhere
    // What went wrong with the file (reading it, or the last save), empty when all is well.
    QString problem() const { return m_problem; }

    // Changes, one undoable command each. Ids are those of AnnotationDocument.
    std::uint64_t addSpanNote(const TraceId& trace, SpanId span, const QString& text);
    std::uint64_t addRangeNote(const TraceId& trace, TimeNs start, TimeNs end, const QString& text);
    void setText(std::uint64_t id, const QString& text);
    void moveSpanNote(std::uint64_t id, SpanId span);
    void moveRangeNote(std::uint64_t id, TimeNs start, TimeNs end);
    // Adds the span's highlight, or recolours it.
    void setHighlight(const TraceId& trace, SpanId span, std::uint32_t rgb);
    void removeHighlight(const TraceId& trace, SpanId span);
    void remove(std::uint64_t id);

    // Reads an annotation file and merges it in as one undoable command (annotations already
    // present are not added twice; a highlight in the file recolours the span). All or nothing:
    // returns false with the reason in *error and changes nothing when the file is not valid.
    bool merge(const QString& path, QString* error, int* added = nullptr);
    // Writes the document to `path` now. When the store had nowhere to save (its file was
    // rejected) or saving there failed, `path` becomes where later changes are saved; otherwise
    // it is a copy.
    bool saveAs(const QString& path, QString* error);
    // Writes pending changes now instead of after the debounce delay.
    void flush();

    // Used by the undo commands: the document changed.
    AnnotationDocument& mutableDocument() { return m_document; }
    void notifyChanged();

signals:
    void changed();
    void problemChanged(const QString& problem);

private:
    void setProblem(const QString& problem);
    bool write(const QString& path, QString* error) const;

    AnnotationDocument m_document;
    QUndoStack* m_undo;
    QTimer m_saveTimer;
    QString m_savePath;
    QString m_problem;
    bool m_unsaved = false; // changed since the last write to m_savePath
};

} // namespace spanwise
