#include "annotation_store.h"

#include "trace_server_link.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QUndoCommand>
#include <QUndoStack>

namespace spanwise {

namespace {

QString serverTracesFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/server-traces");
}

constexpr int kSaveDelayMs = 400;
constexpr qint64 kMaxFileBytes = 64 << 20;

// Every change swaps the whole document: annotations are few, and a snapshot cannot get undo
// and redo out of step with the ids the views hold.
class SnapshotCommand : public QUndoCommand {
public:
    SnapshotCommand(AnnotationStore* store, AnnotationDocument after, const QString& text)
        : QUndoCommand(text), m_store(store), m_before(store->document()), m_after(std::move(after))
    {
    }
    void redo() override { apply(m_after); }
    void undo() override { apply(m_before); }

private:
    void apply(const AnnotationDocument& state)
    {
        m_store->mutableDocument() = state;
        m_store->notifyChanged();
    }

    AnnotationStore* m_store;
    AnnotationDocument m_before;
    AnnotationDocument m_after;
};

bool readFile(const QString& path, QByteArray* bytes, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    if (file.size() > kMaxFileBytes) {
        *error = QObject::tr("larger than %1 MB: not an annotation file").arg(kMaxFileBytes >> 20);
        return false;
    }
    *bytes = file.readAll();
    return true;
}

// Parses an annotation file; the error starts with the path as given.
std::optional<AnnotationDocument> readDocument(const QString& path, QString* error)
{
    QByteArray bytes;
    QString reason;
    if (!readFile(path, &bytes, &reason)) {
        *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason);
        return std::nullopt;
    }
    try {
        return annotationsFromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    } catch (const AnnotationFormatError& e) {
        *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

} // namespace

AnnotationStore::AnnotationStore(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this))
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &AnnotationStore::flush);
}

AnnotationStore::~AnnotationStore()
{
    const QSignalBlocker quiet(this); // the views listening may be half destroyed already
    flush();
}

QList<QPair<QString, std::uint32_t>> AnnotationStore::highlightColors()
{
    return {{tr("Yellow"), 0xf2c200}, {tr("Orange"), 0xf0842a}, {tr("Red"), 0xe0403a},
            {tr("Green"), 0x2fa84f},  {tr("Blue"), 0x2f7de1},   {tr("Purple"), 0x9b51e0}};
}

QString AnnotationStore::sidecarPathFor(const QString& traceFile)
{
    if (looksLikeWebAddress(traceFile)) { // a trace on a server: kept in the user's data folder
        const QByteArray key = QCryptographicHash::hash(traceFile.toUtf8(), QCryptographicHash::Sha1).toHex();
        return serverTracesFolder() + QLatin1Char('/') + QString::fromLatin1(key) + QStringLiteral(".spanwise.json");
    }
    return traceFile + QStringLiteral(".spanwise.json");
}

void AnnotationStore::attachToTraceFile(const QString& traceFile)
{
    const QString sidecar = sidecarPathFor(traceFile);
    m_undo->clear();
    m_document = {};
    m_savePath.clear();
    if (QFileInfo::exists(sidecar)) {
        QString error;
        auto document = readDocument(sidecar, &error);
        if (!document) {
            setProblem(tr("The annotations in %1 could not be read, so the file is left as it is and "
                          "annotations made now are not saved. Use File ▸ Save Annotations As… to save them "
                          "elsewhere.\n%2")
                           .arg(QFileInfo(sidecar).fileName(), error));
            notifyChanged();
            return;
        }
        m_document = std::move(*document);
    }
    m_savePath = sidecar;
    setProblem({});
    emit changed();
}

void AnnotationStore::notifyChanged()
{
    if (!m_savePath.isEmpty()) {
        m_unsaved = true;
        m_saveTimer.start();
    }
    emit changed();
}

void AnnotationStore::setProblem(const QString& problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    emit problemChanged(problem);
}

std::uint64_t AnnotationStore::addSpanNote(const TraceId& trace, SpanId span, const QString& text)
{
    AnnotationDocument after = m_document;
    Annotation a;
    a.kind = AnnotationKind::SpanNote;
    a.trace = trace;
    a.span = span;
    a.text = text.toStdString();
    const std::uint64_t id = after.insert(std::move(a));
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Add Note")));
    return id;
}

std::uint64_t AnnotationStore::addRangeNote(const TraceId& trace, TimeNs start, TimeNs end, const QString& text)
{
    AnnotationDocument after = m_document;
    Annotation a;
    a.kind = AnnotationKind::RangeNote;
    a.trace = trace;
    a.start = std::min(start, end);
    a.end = std::max(start, end);
    a.text = text.toStdString();
    const std::uint64_t id = after.insert(std::move(a));
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Add Range Note")));
    return id;
}

void AnnotationStore::setText(std::uint64_t id, const QString& text)
{
    const Annotation* current = m_document.find(id);
    if (!current || current->kind == AnnotationKind::Highlight || current->text == text.toStdString())
        return;
    AnnotationDocument after = m_document;
    after.find(id)->text = text.toStdString();
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Edit Note")));
}

void AnnotationStore::moveSpanNote(std::uint64_t id, SpanId span)
{
    const Annotation* current = m_document.find(id);
    if (!current || current->kind != AnnotationKind::SpanNote || current->span == span)
        return;
    AnnotationDocument after = m_document;
    after.find(id)->span = span;
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Move Note")));
}

void AnnotationStore::moveRangeNote(std::uint64_t id, TimeNs start, TimeNs end)
{
    const Annotation* current = m_document.find(id);
    if (!current || current->kind != AnnotationKind::RangeNote)
        return;
    if (end < start)
        std::swap(start, end);
    if (current->start == start && current->end == end)
        return;
    AnnotationDocument after = m_document;
    after.find(id)->start = start;
    after.find(id)->end = end;
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Move Range Note")));
}

void AnnotationStore::setHighlight(const TraceId& trace, SpanId span, std::uint32_t rgb)
{
    AnnotationDocument after = m_document;
    if (const Annotation* existing = m_document.highlightOf(trace, span)) {
        if (existing->color == rgb)
            return;
        after.find(existing->id)->color = rgb;
        m_undo->push(new SnapshotCommand(this, std::move(after), tr("Recolour Highlight")));
        return;
    }
    Annotation a;
    a.kind = AnnotationKind::Highlight;
    a.trace = trace;
    a.span = span;
    a.color = rgb;
    after.insert(std::move(a));
    m_undo->push(new SnapshotCommand(this, std::move(after), tr("Highlight Span")));
}

void AnnotationStore::removeHighlight(const TraceId& trace, SpanId span)
{
    if (const Annotation* existing = m_document.highlightOf(trace, span))
        remove(existing->id);
}

void AnnotationStore::remove(std::uint64_t id)
{
    const Annotation* current = m_document.find(id);
    if (!current)
        return;
    const QString text = current->kind == AnnotationKind::Highlight   ? tr("Remove Highlight")
                         : current->kind == AnnotationKind::RangeNote ? tr("Delete Range Note")
                                                                      : tr("Delete Note");
    AnnotationDocument after = m_document;
    after.remove(id);
    m_undo->push(new SnapshotCommand(this, std::move(after), text));
}

bool AnnotationStore::merge(const QString& path, QString* error, int* added)
{
    auto incoming = readDocument(path, error);
    if (!incoming)
        return false;
    AnnotationDocument after = m_document;
    int count = 0;
    for (Annotation a : incoming->items()) {
        if (after.contains(a))
            continue;
        if (a.kind == AnnotationKind::Highlight) {
            if (const Annotation* existing = after.highlightOf(a.trace, a.span)) {
                after.find(existing->id)->color = a.color;
                ++count;
                continue;
            }
        }
        a.id = 0;
        after.insert(std::move(a));
        ++count;
    }
    if (added)
        *added = count;
    if (count > 0)
        m_undo->push(new SnapshotCommand(this, std::move(after), tr("Open Annotations")));
    return true;
}

bool AnnotationStore::write(const QString& path, QString* error) const
{
    const std::string json = annotationsToJson(m_document);
    const QString serverTraces = serverTracesFolder();
    if (path.startsWith(serverTraces)) // made on first use; other folders are the user's
        QDir().mkpath(serverTraces);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(json.data(), static_cast<qint64>(json.size())) != static_cast<qint64>(json.size()) ||
        !file.commit()) {
        *error = tr("Could not save the annotations to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool AnnotationStore::saveAs(const QString& path, QString* error)
{
    if (!write(path, error))
        return false;
    if (m_savePath.isEmpty() || !m_problem.isEmpty()) { // nowhere to save, or saving there failed
        m_unsaved = false;
        m_savePath = path;
        setProblem({});
    }
    return true;
}

void AnnotationStore::flush()
{
    m_saveTimer.stop();
    if (!m_unsaved || m_savePath.isEmpty())
        return;
    m_unsaved = false;
    QString error;
    setProblem(write(m_savePath, &error) ? QString() : error);
}

} // namespace spanwise
