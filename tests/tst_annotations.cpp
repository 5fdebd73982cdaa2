// Annotations: the JSON document, the sidecar store with undo, the waterfall's drawing of notes,
// ranges and highlights, the Annotations panel, and matching across trace formats.
#include <screenshot.h>
#include <test_support.h>

#include <annotation_store.h>
#include <annotations.h>
#include <annotations_panel.h>
#include <dark_palette.h>
#include <dataset_builder.h>
#include <main_window.h>
#include <trace_page.h>
#include <waterfall_view.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QUndoGroup>
#include <QUndoStack>

using namespace spanwise;

namespace {

constexpr TraceId kTrace{0, 0x42};

TimeNs at(TimeNs micros)
{
    return 1'000'000 + micros * 1000;
}

Annotation spanNote(SpanId span, std::string text)
{
    Annotation a;
    a.kind = AnnotationKind::SpanNote;
    a.trace = kTrace;
    a.span = span;
    a.text = std::move(text);
    return a;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool sameContent(const AnnotationDocument& a, const AnnotationDocument& b)
{
    return a.items().size() == b.items().size() &&
           std::equal(a.items().begin(), a.items().end(), b.items().begin(),
                      [](const Annotation& x, const Annotation& y) { return x.sameAs(y); });
}

} // namespace

class TestAnnotations : public QObject {
    Q_OBJECT
private slots:
    void jsonRoundTrip()
    {
        AnnotationDocument doc;
        doc.insert(spanNote(2, "cart is slow here — \"quoted\", ünïcode\nsecond line"));
        Annotation range;
        range.kind = AnnotationKind::RangeNote;
        range.trace = {0x0123456789abcdefull, 0xfedcba9876543210ull};
        range.start = 1'700'000'000'123'456'789;
        range.end = 1'700'000'000'223'456'789;
        range.text = "GC pause";
        doc.insert(range);
        Annotation highlight;
        highlight.kind = AnnotationKind::Highlight;
        highlight.trace = kTrace;
        highlight.span = 0xffffffffffffffffull;
        highlight.color = 0xf2c200;
        doc.insert(highlight);
        const std::string json = annotationsToJson(doc);
        QVERIFY(json.find("\"format\": \"spanwise-annotations\"") != std::string::npos);
        QVERIFY(json.find("\"traceId\": \"00000000000000000000000000000042\"") != std::string::npos);
        QVERIFY(json.find("\"color\": \"#f2c200\"") != std::string::npos);
        const AnnotationDocument back = annotationsFromJson(json);
        QVERIFY(sameContent(doc, back));
        QCOMPARE(annotationsToJson(back), json);
        // A 64-bit (Jaeger) trace id written as 16 digits is the same trace.
        const auto parsed = annotationsFromJson(R"({"format":"spanwise-annotations","version":1,"annotations":[
            {"kind":"span-note","traceId":"0000000000000042","spanId":"0000000000000002","text":"x"}]})");
        QVERIFY(parsed.items().front().trace == kTrace);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("foreign");
        const QString head = QStringLiteral(R"({"format":"spanwise-annotations","version":1,"annotations":[)");
        const QString trace = QStringLiteral(R"("traceId":"00000000000000000000000000000042")");
        auto item = [&](const QString& body) -> QString { return head + body + QStringLiteral("]}"); };
        QTest::newRow("truncated") << QStringLiteral(R"({"format":"spanwise-annotations",)")
                                   << "line 1, column 34: not valid JSON" << false;
        QTest::newRow("error on line 4")
            << QStringLiteral("{\n \"format\": \"spanwise-annotations\",\n \"version\": 1,\n \"annotations\": [,]\n}")
            << "line 4, column 18: not valid JSON" << false;
        QTest::newRow("empty file") << QString() << "line 1, column 1: not valid JSON" << false;
        QTest::newRow("array") << QStringLiteral("[]") << "not a Spanwise annotation file" << true;
        QTest::newRow("a trace file") << QStringLiteral(R"({"data":[{"traceID":"1","spans":[]}]})")
                                      << "not a Spanwise annotation file" << true;
        QTest::newRow("other format") << QStringLiteral(R"({"format":"excalidraw","version":1})")
                                      << "not a Spanwise annotation file" << true;
        QTest::newRow("newer version") << QStringLiteral(
                                              R"({"format":"spanwise-annotations","version":2,"annotations":[]})")
                                       << "version: version 2 is not one this Spanwise reads (1)" << false;
        QTest::newRow("no version") << QStringLiteral(R"({"format":"spanwise-annotations","annotations":[]})")
                                    << "document: missing \"version\"" << false;
        QTest::newRow("annotations not array")
            << QStringLiteral(R"({"format":"spanwise-annotations","version":1,"annotations":{}})")
            << "annotations: expected an array, found object" << false;
        QTest::newRow("unknown top-level key")
            << QStringLiteral(R"({"format":"spanwise-annotations","version":1,"annotations":[],"x":1})")
            << "document: unexpected \"x\"" << false;
        QTest::newRow("item not object") << item(QStringLiteral("3"))
                                         << "annotations[0]: expected an object, found number" << false;
        QTest::newRow("unknown kind") << item(QStringLiteral(R"({"kind":"arrow",)") + trace + QStringLiteral("}"))
                                      << "annotations[0].kind: unknown kind \"arrow\"" << false;
        QTest::newRow("bad trace id")
            << item(QStringLiteral(R"({"kind":"span-note","traceId":"xyz","spanId":"0000000000000002","text":"a"})"))
            << "annotations[0].traceId: expected 32 (or 16) hex digits" << false;
        QTest::newRow("zero span id") << item(QStringLiteral(R"({"kind":"span-note",)") + trace +
                                              QStringLiteral(R"(,"spanId":"0000000000000000","text":"a"})"))
                                      << "annotations[0].spanId: expected 16 hex digits, not all zero" << false;
        QTest::newRow("missing text") << item(QStringLiteral(R"({"kind":"span-note",)") + trace +
                                              QStringLiteral(R"(,"spanId":"0000000000000002"})"))
                                      << "annotations[0]: missing \"text\"" << false;
        QTest::newRow("text not string") << item(QStringLiteral(R"({"kind":"span-note",)") + trace +
                                                 QStringLiteral(R"(,"spanId":"0000000000000002","text":5})"))
                                         << "annotations[0].text: expected a string, found number" << false;
        QTest::newRow("end before start") << item(QStringLiteral(R"({"kind":"range-note",)") + trace +
                                                  QStringLiteral(R"(,"startUnixNano":20,"endUnixNano":10,"text":"a"})"))
                                          << "annotations[0]: endUnixNano is before startUnixNano" << false;
        QTest::newRow("fractional time") << item(QStringLiteral(R"({"kind":"range-note",)") + trace +
                                                 QStringLiteral(R"(,"startUnixNano":1.5,"endUnixNano":10,"text":"a"})"))
                                         << "annotations[0].startUnixNano: expected integer nanoseconds" << false;
        QTest::newRow("time as string")
            << item(QStringLiteral(R"({"kind":"range-note",)") + trace +
                    QStringLiteral(R"(,"startUnixNano":"1","endUnixNano":10,"text":"a"})"))
            << "annotations[0].startUnixNano: expected integer nanoseconds since the Unix epoch, found string" << false;
        QTest::newRow("time beyond int64")
            << item(QStringLiteral(R"({"kind":"range-note",)") + trace +
                    QStringLiteral(R"(,"startUnixNano":18446744073709551615,"endUnixNano":10,"text":"a"})"))
            << "annotations[0].startUnixNano: expected integer nanoseconds" << false;
        QTest::newRow("bad colour") << item(QStringLiteral(R"({"kind":"highlight",)") + trace +
                                            QStringLiteral(R"(,"spanId":"0000000000000002","color":"yellow"})"))
                                    << "annotations[0].color: expected a colour as #rrggbb" << false;
        QTest::newRow("unexpected field")
            << item(QStringLiteral(R"({"kind":"highlight",)") + trace +
                    QStringLiteral(R"(,"spanId":"0000000000000002","color":"#ffcc00","text":"a"})"))
            << "annotations[0]: unexpected \"text\" in a highlight" << false;
        const QString highlight = QStringLiteral(R"({"kind":"highlight",)") + trace +
                                  QStringLiteral(R"(,"spanId":"0000000000000002","color":"#ffcc00"})");
        QTest::newRow("highlighted twice") << item(highlight + QLatin1Char(',') + highlight)
                                           << "annotations[1]: span 0000000000000002 is highlighted twice" << false;
    }

    void rejects()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        QFETCH(bool, foreign);
        const QByteArray bytes = json.toUtf8();
        bool isForeign = !foreign;
        try {
            annotationsFromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                                &isForeign);
            QFAIL("accepted");
        } catch (const AnnotationFormatError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).startsWith(message), e.what());
        }
        QCOMPARE(isForeign, foreign);
    }

    void sidecarRoundTrip()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("trace.json"));
        const QString sidecar = dir.filePath(QStringLiteral("trace.json.spanwise.json"));
        QCOMPARE(AnnotationStore::sidecarPathFor(trace), sidecar);
        AnnotationDocument saved;
        {
            AnnotationStore store;
            store.attachToTraceFile(trace);
            QVERIFY(store.problem().isEmpty());
            QCOMPARE(store.savePath(), sidecar);
            QVERIFY(!QFileInfo::exists(sidecar)); // nothing to save yet
            store.addSpanNote(kTrace, 2, QStringLiteral("retry storm"));
            store.addRangeNote(kTrace, at(600), at(300), QStringLiteral("deploy")); // given backwards
            store.setHighlight(kTrace, 4, 0x2f7de1);
            QTRY_VERIFY(QFileInfo::exists(sidecar)); // saved by itself, shortly after the change
            saved = store.document();
            QCOMPARE(saved.items()[1].start, at(300));
        }
        AnnotationStore reloaded;
        reloaded.attachToTraceFile(trace);
        QVERIFY(reloaded.problem().isEmpty());
        QVERIFY(sameContent(saved, reloaded.document()));
        QCOMPARE(reloaded.undoStack()->count(), 0);
        // Changes after the reload go to the same file; the destructor writes what is pending.
        {
            AnnotationStore store;
            store.attachToTraceFile(trace);
            store.remove(store.document().items().front().id);
        }
        const auto final = annotationsFromJson(readAll(sidecar).toStdString());
        QCOMPARE(final.items().size(), 2u);
    }

    void unreadableSidecarIsLeftUntouched_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("broken")
            << QByteArray("{\"format\": \"spanwise-annotations\", \"version\": 1, \"annotations\": [{\"kind\"")
            << QStringLiteral("not valid JSON");
        QTest::newRow("foreign") << QByteArray("{\"settings\": {\"theme\": \"dark\"}}\n")
                                 << QStringLiteral("not a Spanwise annotation file");
        QTest::newRow("newer") << QByteArray("{\"format\":\"spanwise-annotations\",\"version\":7,\"annotations\":[]}")
                               << QStringLiteral("version 7");
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 11) << QStringLiteral("not valid JSON");
    }

    void unreadableSidecarIsLeftUntouched()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("t.json"));
        const QString sidecar = AnnotationStore::sidecarPathFor(trace);
        QVERIFY(test::writeFile(sidecar, content));
        const QString elsewhere = dir.filePath(QStringLiteral("mine.spanwise.json"));
        {
            AnnotationStore store;
            QSignalSpy problems(&store, &AnnotationStore::problemChanged);
            store.attachToTraceFile(trace);
            QCOMPARE(problems.count(), 1);
            QVERIFY2(store.problem().contains(reason), qPrintable(store.problem()));
            QVERIFY(store.problem().contains(QStringLiteral("t.json.spanwise.json")));
            QVERIFY(store.problem().contains(QStringLiteral("Save Annotations As")));
            QVERIFY(store.savePath().isEmpty());
            QVERIFY(store.document().empty());
            store.addSpanNote(kTrace, 1, QStringLiteral("kept in memory"));
            store.flush();
            QTest::qWait(600); // past the save delay
            QCOMPARE(readAll(sidecar), content);
            // Save As gives the changes a home: the problem is gone, later changes are saved there.
            QString error;
            QVERIFY2(store.saveAs(elsewhere, &error), qPrintable(error));
            QCOMPARE(store.savePath(), elsewhere);
            QVERIFY(store.problem().isEmpty());
            store.addSpanNote(kTrace, 2, QStringLiteral("second"));
        }
        QCOMPARE(readAll(sidecar), content);
        QCOMPARE(annotationsFromJson(readAll(elsewhere).toStdString()).items().size(), 2u);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2); // no temporary file left behind
    }

    void saveFailureIsReported()
    {
        AnnotationStore store;
        store.attachToTraceFile(QStringLiteral("/nonexistent-dir/trace.json"));
        QVERIFY(store.problem().isEmpty());
        store.addSpanNote(kTrace, 1, QStringLiteral("x"));
        store.flush();
        QVERIFY2(store.problem().startsWith(
                     QStringLiteral("Could not save the annotations to /nonexistent-dir/trace.json.spanwise.json")),
                 qPrintable(store.problem()));
        AnnotationsPanel panel(&store, new TraceViewState(test::smallTrace(), 0, &store));
        QVERIFY2(panel.saveInfo()->text().contains(QStringLiteral("Saving to trace.json.spanwise.json failed")),
                 qPrintable(panel.saveInfo()->text()));
        // Save As moves the saving to a place that works.
        QTemporaryDir dir;
        const QString elsewhere = dir.filePath(QStringLiteral("notes.spanwise.json"));
        QString error;
        QVERIFY2(store.saveAs(elsewhere, &error), qPrintable(error));
        QCOMPARE(store.savePath(), elsewhere);
        QVERIFY(store.problem().isEmpty());
        QVERIFY(panel.saveInfo()->text().contains(QStringLiteral("Saved automatically to notes.spanwise.json")));
    }

    void undoRedo_data()
    {
        QTest::addColumn<int>("command");
        QTest::addColumn<QString>("label");
        QTest::newRow("add note") << 0 << "Add Note";
        QTest::newRow("add range note") << 1 << "Add Range Note";
        QTest::newRow("edit text") << 2 << "Edit Note";
        QTest::newRow("move span note") << 3 << "Move Note";
        QTest::newRow("move range note") << 4 << "Move Range Note";
        QTest::newRow("highlight") << 5 << "Highlight Span";
        QTest::newRow("recolour") << 6 << "Recolour Highlight";
        QTest::newRow("remove highlight") << 7 << "Remove Highlight";
        QTest::newRow("delete note") << 8 << "Delete Note";
        QTest::newRow("delete range note") << 9 << "Delete Range Note";
    }

    void undoRedo()
    {
        QFETCH(int, command);
        QFETCH(QString, label);
        AnnotationStore store;
        const std::uint64_t note = store.addSpanNote(kTrace, 2, QStringLiteral("first"));
        const std::uint64_t range = store.addRangeNote(kTrace, at(100), at(200), QStringLiteral("window"));
        store.setHighlight(kTrace, 3, 0xf2c200);
        const AnnotationDocument before = store.document();
        const int depth = store.undoStack()->count();
        QSignalSpy changes(&store, &AnnotationStore::changed);
        switch (command) {
        case 0:
            store.addSpanNote(kTrace, 4, QStringLiteral("new"));
            break;
        case 1:
            store.addRangeNote(kTrace, at(0), at(50), QStringLiteral("new"));
            break;
        case 2:
            store.setText(note, QStringLiteral("edited"));
            break;
        case 3:
            store.moveSpanNote(note, 4);
            break;
        case 4:
            store.moveRangeNote(range, at(300), at(500));
            break;
        case 5:
            store.setHighlight(kTrace, 1, 0x2fa84f);
            break;
        case 6:
            store.setHighlight(kTrace, 3, 0xe0403a);
            break;
        case 7:
            store.removeHighlight(kTrace, 3);
            break;
        case 8:
            store.remove(note);
            break;
        case 9:
            store.remove(range);
            break;
        }
        QCOMPARE(store.undoStack()->count(), depth + 1);
        QCOMPARE(store.undoStack()->undoText(), label);
        QCOMPARE(changes.count(), 1);
        const AnnotationDocument after = store.document();
        QVERIFY(!sameContent(before, after));
        store.undoStack()->undo();
        QVERIFY(sameContent(before, store.document()));
        store.undoStack()->redo();
        QVERIFY(sameContent(after, store.document()));
        QCOMPARE(changes.count(), 3);
        // Ids survive undo and redo, so views keep pointing at the same annotation.
        if (command == 2 || command == 3)
            QVERIFY(store.document().find(note));
    }

    void noOpChangesAreNotCommands()
    {
        AnnotationStore store;
        const std::uint64_t note = store.addSpanNote(kTrace, 2, QStringLiteral("same"));
        store.setHighlight(kTrace, 3, 0xf2c200);
        const int depth = store.undoStack()->count();
        store.setText(note, QStringLiteral("same"));
        store.moveSpanNote(note, 2);
        store.setHighlight(kTrace, 3, 0xf2c200);
        store.removeHighlight(kTrace, 4);
        store.remove(12345);
        QCOMPARE(store.undoStack()->count(), depth);
    }

    void openAnnotationsMerges()
    {
        QTemporaryDir dir;
        AnnotationDocument shared;
        shared.insert(spanNote(2, "from a colleague"));
        shared.insert(spanNote(1, "already here"));
        Annotation h;
        h.kind = AnnotationKind::Highlight;
        h.trace = kTrace;
        h.span = 3;
        h.color = 0xe0403a;
        shared.insert(h);
        const QString path = dir.filePath(QStringLiteral("shared.spanwise.json"));
        QVERIFY(test::writeFile(path, QByteArray::fromStdString(annotationsToJson(shared))));

        AnnotationStore store;
        store.addSpanNote(kTrace, 1, QStringLiteral("already here"));
        store.setHighlight(kTrace, 3, 0xf2c200);
        const AnnotationDocument before = store.document();
        QString error;
        int added = -1;
        QVERIFY2(store.merge(path, &error, &added), qPrintable(error));
        QCOMPARE(added, 2); // the new note, and the highlight recoloured; the duplicate skipped
        QCOMPARE(store.document().items().size(), 3u);
        QCOMPARE(store.document().highlightOf(kTrace, 3)->color, 0xe0403au);
        QCOMPARE(store.undoStack()->undoText(), QStringLiteral("Open Annotations"));
        store.undoStack()->undo();
        QVERIFY(sameContent(before, store.document()));

        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(test::writeFile(broken, annotationsToJson(shared).substr(0, 120).c_str()));
        QVERIFY(!store.merge(broken, &error));
        QVERIFY2(error.startsWith(broken + QStringLiteral(": line ")), qPrintable(error));
        QVERIFY(sameContent(before, store.document())); // nothing half-applied
        QVERIFY(!store.merge(dir.filePath(QStringLiteral("missing.json")), &error));
        QVERIFY2(error.startsWith(dir.filePath(QStringLiteral("missing.json: "))), qPrintable(error));
    }

    void waterfallDrawsAnnotations_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void waterfallDrawsAnnotations()
    {
        QFETCH(bool, dark);
        TracePage page(test::smallTrace(), 0);
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        AnnotationStore* store = page.annotations();
        const std::uint64_t note = store->addSpanNote(kTrace, 3,
                                                      QStringLiteral("N+1 queries against the orders table"));
        const std::uint64_t range = store->addRangeNote(kTrace, at(600), at(800),
                                                        QStringLiteral("Payment gateway timeout"));
        store->setHighlight(kTrace, 4, 0xe0403a);
        QApplication::processEvents();
        const QImage shot = view->viewport()->grab().toImage();
        test::saveScreenshot(view, dark ? "annotations-dark" : "annotations-light");

        // The callout sits right of db's bar and its duration label, in the note colour.
        const QRect callout = view->annotationRect(note);
        QVERIFY(!callout.isEmpty());
        const QRect bar = view->barRect(2);
        QVERIFY2(callout.left() > bar.right() + 30,
                 qPrintable(QStringLiteral("%1 %2").arg(callout.left()).arg(bar.right())));
        QVERIFY(callout.top() >= bar.top() - 4 && callout.bottom() <= bar.bottom() + 4);
        const QColor fill = shot.pixelColor(callout.left() + 3, callout.center().y());
        QCOMPARE(fill, dark ? QColor(0x5c, 0x4b, 0x12) : QColor(0xff, 0xf3, 0xbf));

        // The range band shades the bar area between its times, with its label at the top.
        const TimeScale scale = view->timeScale();
        const int inside = view->nameColumnWidth() + static_cast<int>(scale.toX(at(700)));
        const int outside = view->nameColumnWidth() + static_cast<int>(scale.toX(at(950)));
        const int y = view->barRect(1).center().y(); // cart's row: nothing drawn out there
        const QColor shaded = shot.pixelColor(inside, y), plain = shot.pixelColor(outside, y);
        QVERIFY2(shaded != plain, qPrintable(shaded.name()));
        QVERIFY2(shaded.blue() > shaded.green() + 4, qPrintable(shaded.name()));
        const QRect label = view->annotationRect(range);
        QVERIFY(!label.isEmpty());
        QVERIFY(label.top() >= view->rulerHeight());
        for (const std::uint32_t span : view->state()->rows()) // a label covers no bar
            QVERIFY2(!label.intersects(view->barRect(span)), qPrintable(QString::number(span)));
        QVERIFY(std::abs(label.left() - (view->nameColumnWidth() + static_cast<int>(scale.toX(at(600))))) <= 4);

        // The highlight: a stripe at the row's left edge and an outline round the bar.
        const QRect highlighted = view->barRect(3);
        QCOMPARE(shot.pixelColor(1, highlighted.center().y()), QColor(0xe0, 0x40, 0x3a));
        QCOMPARE(shot.pixelColor(highlighted.left() + 10, highlighted.top() - 2), QColor(0xe0, 0x40, 0x3a));

        // The same drawing reaches an exported image through the view's painter, painting elsewhere
        // with its own hit areas.
        QImage exported(view->viewport()->size(), QImage::Format_ARGB32);
        QPainter painter(&exported);
        WaterfallPainter elsewhere = view->painter();
        elsewhere.paint(painter, exported.rect(), 0, view->state()->viewStart(), view->state()->viewEnd());
        painter.end();
        QCOMPARE(exported.pixelColor(callout.left() + 3, callout.center().y()), fill);
        QCOMPARE(exported.pixelColor(inside, y), shaded);
        QCOMPARE(view->annotationRect(note), callout);

        // Removing the note removes its callout.
        store->remove(note);
        QApplication::processEvents();
        const QImage after = view->viewport()->grab().toImage();
        QVERIFY(view->annotationRect(note).isEmpty());
        QVERIFY(after.pixelColor(callout.left() + 3, callout.center().y()) != fill);
    }

    void calloutStaysOnScreenWhenTheBarFillsTheLane()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1000, 300);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const std::uint64_t note = page.annotations()->addSpanNote(kTrace, 1,
                                                                   QStringLiteral("the root, from end to end"));
        const std::uint64_t near = page.annotations()->addSpanNote(kTrace, 4, QString(300, QLatin1Char('w')));
        QApplication::processEvents();
        page.waterfall()->viewport()->grab();
        const QRect callout = page.waterfall()->annotationRect(note);
        QVERIFY(!callout.isEmpty());
        QVERIFY(callout.right() < page.waterfall()->viewport()->width());
        QVERIFY(callout.left() > page.waterfall()->nameColumnWidth());
        const QRect longOne = page.waterfall()->annotationRect(near); // elided, never wider than the limit
        const int lane = page.waterfall()->viewport()->width() - page.waterfall()->nameColumnWidth();
        QVERIFY(longOne.width() <= std::max(280, lane * 3 / 5));
        QVERIFY(longOne.right() < page.waterfall()->viewport()->width());
    }

    // With room beside the bar, a note of a sentence shows whole rather than cut at a fixed width.
    void calloutUsesTheRoomItHas()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1900, 300);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QString text = QStringLiteral("Row lock wait: 419 ms of the 1.34 s response, on the critical path");
        const std::uint64_t note = page.annotations()->addSpanNote(kTrace, 3, text);
        QApplication::processEvents();
        page.waterfall()->viewport()->grab();
        const QRect callout = page.waterfall()->annotationRect(note);
        QVERIFY(callout.width() >= page.waterfall()->fontMetrics().horizontalAdvance(text) + 14);
    }

    void exampleTraceWithAnnotations_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void exampleTraceWithAnnotations()
    {
        QFETCH(bool, dark);
        LoadResult loaded = test::load(test::exampleTrace());
        auto data = std::make_shared<const Dataset>(std::move(loaded.dataset));
        TracePage page(data, 0);
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(1400, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const Trace& t = data->traces.front();
        AnnotationStore* store = page.annotations();
        const auto& rows = page.state()->rows();
        // Rows 8 and 10: pricing-service's POST /v1/quotes and the first of its 34 product queries.
        const Span& quote = data->spans[rows.at(8)];
        QCOMPARE(data->str(quote.name), std::string_view("POST /v1/quotes"));
        const SpanId slow = quote.id, narrow = data->spans[rows.at(10)].id, root = data->spans[rows.at(0)].id;
        const std::uint64_t notes[] = {
            store->addSpanNote(t.id, slow, QStringLiteral("N+1: one query per cart item")),
            store->addSpanNote(t.id, narrow, QStringLiteral("SELECT … WHERE id = $1, 34 times")),
            store->addSpanNote(t.id, root, QStringLiteral("Incident 4711: p99 of checkout over budget")),
            store->addRangeNote(t.id, t.start + 433'600'000, t.start + 1'327'900'000,
                                QStringLiteral("Payment, retried once")),
            store->addRangeNote(t.id, t.start + 687'000'000, t.start + 887'800'000, QStringLiteral("Back-off")),
        };
        store->setHighlight(t.id, slow, 0xf2c200);
        store->setHighlight(t.id, data->spans[rows.at(2)].id, 0x2f7de1);
        QApplication::processEvents();
        WaterfallView* view = page.waterfall();
        view->viewport()->grab();
        test::saveScreenshot(view, dark ? "checkout-annotated-dark" : "checkout-annotated-light");
        // Every note is on screen, inside the bar area, and no two overlap.
        std::vector<QRect> rects;
        for (std::uint64_t id : notes) {
            const QRect r = view->annotationRect(id);
            QVERIFY2(!r.isEmpty(), qPrintable(QString::number(id)));
            QVERIFY(r.left() > view->nameColumnWidth() && r.right() < view->viewport()->width());
            for (const QRect& other : rects)
                QVERIFY(!other.intersects(r));
            rects.push_back(r);
        }
    }

    void addAndEditInPlace()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        AnnotationStore* store = page.annotations();
        view->beginAddNote(1);
        QVERIFY(view->noteEditor()->isVisible());
        QTest::keyClicks(view->noteEditor(), QStringLiteral("cart waits on the lock"));
        QTest::keyClick(view->noteEditor(), Qt::Key_Return);
        QVERIFY(!view->noteEditor()->isVisible());
        QCOMPARE(store->document().items().size(), 1u);
        const Annotation& added = store->document().items().front();
        QCOMPARE(added.span, SpanId(2));
        QCOMPARE(added.text, std::string("cart waits on the lock"));
        const std::uint64_t id = added.id;

        // Escape cancels; N adds a note to the selected span.
        page.state()->select(3);
        QTest::keyClick(view, Qt::Key_N);
        QVERIFY(view->noteEditor()->isVisible());
        QTest::keyClicks(view->noteEditor(), QStringLiteral("never mind"));
        QTest::keyClick(view->noteEditor(), Qt::Key_Escape);
        QVERIFY(!view->noteEditor()->isVisible());
        QCOMPARE(store->document().items().size(), 1u);

        // Double-click the callout to edit it where it is.
        view->viewport()->repaint();
        const QRect callout = view->annotationRect(id);
        QVERIFY(!callout.isEmpty());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, callout.center());
        QVERIFY(view->noteEditor()->isVisible());
        QCOMPARE(view->noteEditor()->text(), QStringLiteral("cart waits on the lock"));
        test::saveScreenshot(view, "note-editor");
        QVERIFY(std::abs(view->noteEditor()->geometry().left() - callout.left()) <= 4);
        view->noteEditor()->setText(QStringLiteral("cart waits on the inventory lock"));
        QTest::keyClick(view->noteEditor(), Qt::Key_Enter);
        QCOMPARE(store->document().find(id)->text, std::string("cart waits on the inventory lock"));
        QCOMPARE(store->undoStack()->undoText(), QStringLiteral("Edit Note"));

        // A note with several lines (from a file) keeps them when edited in place unchanged.
        const std::uint64_t lines = store->addSpanNote(kTrace, 1, QStringLiteral("first line\nsecond line"));
        view->beginEditNote(lines);
        QTest::keyClick(view->noteEditor(), Qt::Key_Return);
        QCOMPARE(store->document().find(lines)->text, std::string("first line\nsecond line"));
        store->undoStack()->undo();

        // Drag the callout onto payment's row to move the note there.
        view->viewport()->repaint();
        const QRect moved = view->annotationRect(id);
        const QPoint target(moved.center().x(), view->barRect(3).center().y());
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, moved.center());
        QMouseEvent move(QEvent::MouseMove, target, view->viewport()->mapToGlobal(target), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &move);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, target);
        QCOMPARE(store->document().find(id)->span, SpanId(4));
        store->undoStack()->undo();
        QCOMPARE(store->document().find(id)->span, SpanId(2));
    }

    void contextMenusAddAndRemove()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        AnnotationStore* store = page.annotations();
        // Opens the context menu at `pos` and triggers the action at `path` (menu, submenu…).
        auto choose = [&](const QPoint& pos, const QStringList& path) {
            bool found = false;
            QTimer::singleShot(0, this, [&] {
                auto* top = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                QMenu* menu = top;
                for (int i = 0; menu && i < path.size(); ++i) {
                    QAction* match = nullptr;
                    for (QAction* action : menu->actions()) {
                        if (action->text() == path[i])
                            match = action;
                    }
                    if (!match)
                        break;
                    if (i + 1 < path.size()) {
                        menu = match->menu();
                    } else if (match->isEnabled()) {
                        match->trigger();
                        found = true;
                    }
                }
                if (top)
                    top->close();
            });
            QContextMenuEvent event(QContextMenuEvent::Mouse, pos, view->viewport()->mapToGlobal(pos));
            QApplication::sendEvent(view->viewport(), &event);
            return found;
        };
        const QPoint onPayment = view->barRect(3).center();
        QVERIFY(choose(onPayment, {QStringLiteral("Highlight"), QStringLiteral("Red")}));
        QCOMPARE(store->document().highlightOf(kTrace, 4)->color, 0xe0403au);
        QVERIFY(choose(onPayment, {QStringLiteral("Highlight"), QStringLiteral("Blue")}));
        QCOMPARE(store->document().highlightOf(kTrace, 4)->color, 0x2f7de1u);
        QCOMPARE(store->undoStack()->undoText(), QStringLiteral("Recolour Highlight"));
        QVERIFY(choose(onPayment, {QStringLiteral("Remove Highlight")}));
        QVERIFY(!store->document().highlightOf(kTrace, 4));
        QVERIFY(!choose(onPayment, {QStringLiteral("Remove Highlight")})); // disabled now

        QVERIFY(choose(onPayment, {QStringLiteral("Add Note…")}));
        QVERIFY(view->noteEditor()->isVisible());
        QTest::keyClicks(view->noteEditor(), QStringLiteral("card declined"));
        QTest::keyClick(view->noteEditor(), Qt::Key_Return);
        QCOMPARE(store->document().items().size(), 1u);
        view->viewport()->repaint();
        const QRect callout = view->annotationRect(store->document().items().front().id);
        QVERIFY(choose(callout.center(), {QStringLiteral("Delete Note")}));
        QVERIFY(store->document().empty());

        // The ruler: nothing to add until a range is selected.
        const QPoint onRuler(view->nameColumnWidth() + 100, view->rulerHeight() / 2);
        QVERIFY(!choose(onRuler, {QStringLiteral("Add Range Note…")}));
        view->setRangeSelection(at(100), at(300));
        QVERIFY(choose(onRuler, {QStringLiteral("Add Range Note…")}));
        QTest::keyClicks(view->noteEditor(), QStringLiteral("warm-up"));
        QTest::keyClick(view->noteEditor(), Qt::Key_Return);
        QCOMPARE(store->document().items().front().kind, AnnotationKind::RangeNote);
        const std::uint64_t range = store->document().items().front().id;
        view->setRangeSelection(at(600), at(700));
        view->viewport()->repaint();
        QVERIFY(choose(view->annotationRect(range).center(), {QStringLiteral("Move to Selected Range")}));
        QCOMPARE(store->document().find(range)->start, at(600));
        QCOMPARE(store->document().find(range)->end, at(700));
        view->viewport()->repaint();
        QVERIFY(choose(view->annotationRect(range).center(), {QStringLiteral("Delete Range Note")}));
        QVERIFY(store->document().empty());
    }

    void rulerDragSelectsARangeForANote()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        WaterfallView* view = page.waterfall();
        const TimeScale scale = view->timeScale();
        const int y = view->rulerHeight() / 2;
        const QPoint from(view->nameColumnWidth() + static_cast<int>(scale.toX(at(200))), y);
        const QPoint to(view->nameColumnWidth() + static_cast<int>(scale.toX(at(450))), y);
        const TimeNs viewStart = page.state()->viewStart();
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, to, view->viewport()->mapToGlobal(to), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &move);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(page.state()->viewStart(), viewStart); // selecting, not panning
        QVERIFY(view->rangeSelection().has_value());
        const auto [start, end] = *view->rangeSelection();
        const TimeNs pixel = static_cast<TimeNs>(scale.nsPerPixel()) + 1;
        QVERIFY(std::abs(start - at(200)) <= pixel);
        QVERIFY(std::abs(end - at(450)) <= pixel);
        view->beginAddRangeNote();
        QTest::keyClicks(view->noteEditor(), QStringLiteral("cache cold"));
        test::saveScreenshot(view, "range-selection-editor");
        QTest::keyClick(view->noteEditor(), Qt::Key_Return);
        const auto& items = page.annotations()->document().items();
        QCOMPARE(items.size(), 1u);
        QCOMPARE(items.front().kind, AnnotationKind::RangeNote);
        QCOMPARE(items.front().start, start);
        QCOMPARE(items.front().end, end);
        QVERIFY(!view->rangeSelection().has_value());

        // Sliding the label moves the note in time, keeping its length.
        view->viewport()->repaint();
        const QRect label = view->annotationRect(items.front().id);
        const QPoint slid = label.center() + QPoint(100, 0);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, label.center());
        QMouseEvent slide(QEvent::MouseMove, slid, view->viewport()->mapToGlobal(slid), Qt::NoButton, Qt::LeftButton,
                          Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &slide);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, slid);
        const Annotation& movedNote = items.front();
        QCOMPARE(movedNote.end - movedNote.start, end - start);
        QVERIFY(std::abs(movedNote.start - start - static_cast<TimeNs>(100 * scale.nsPerPixel())) <= pixel);

        // A click on the ruler clears a selection.
        view->setRangeSelection(at(0), at(10));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, from);
        QVERIFY(!view->rangeSelection().has_value());
    }

    void panelListsAndReveals()
    {
        TracePage page(test::smallTrace(), 0);
        page.resize(1200, 400);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        AnnotationStore* store = page.annotations();
        AnnotationsPanel* panel = page.annotationsPanel();
        QCOMPARE(page.sidePanels()->tabText(page.sidePanels()->indexOf(panel)), QStringLiteral("Annotations"));
        AnnotationListModel* model = panel->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(panel->saveInfo()->text().contains(QStringLiteral("Right-click a span")));
        const std::uint64_t note = store->addSpanNote(kTrace, 3, QStringLiteral("deep one\nwith details"));
        const std::uint64_t range = store->addRangeNote(kTrace, at(500), at(900), QStringLiteral("payment window"));
        store->setHighlight(kTrace, 4, 0x2fa84f);
        store->addSpanNote({0, 0x99}, 1, QStringLiteral("another trace of the file"));
        store->addSpanNote(kTrace, 0x777, QStringLiteral("span not here"));
        QCOMPARE(model->rowCount(), 4);
        QVERIFY(panel->saveInfo()->text().contains(QStringLiteral("1 annotation on another trace")));
        QVERIFY(panel->saveInfo()->text().contains(QStringLiteral("not saved")));
        auto cell = [&](int row, int column) { return model->index(row, column).data().toString(); };
        QCOMPARE(cell(0, AnnotationListModel::KindColumn), QStringLiteral("Note"));
        QCOMPARE(cell(0, AnnotationListModel::WhereColumn), QStringLiteral("db op3"));
        QCOMPARE(cell(0, AnnotationListModel::TextColumn), QStringLiteral("deep one with details"));
        QCOMPARE(cell(1, AnnotationListModel::WhereColumn), QStringLiteral("+500 µs – +900 µs"));
        QCOMPARE(cell(2, AnnotationListModel::TextColumn), QStringLiteral("Green"));
        QVERIFY(model->index(2, AnnotationListModel::KindColumn).data(Qt::DecorationRole).isValid());
        QCOMPARE(cell(3, AnnotationListModel::WhereColumn),
                 QStringLiteral("span 0000000000000777 (not in this trace)"));
        QVERIFY(!(model->flags(model->index(2, AnnotationListModel::TextColumn)) & Qt::ItemIsEditable));

        // Clicking a note reveals and selects its span, even inside a collapsed subtree.
        page.state()->setCollapsed(0, true);
        page.state()->select(0);
        panel->list()->setCurrentIndex(model->index(0, 0));
        emit panel->list()->clicked(model->index(0, 0));
        QCOMPARE(page.state()->selected(), 2u);
        QVERIFY(page.state()->rowOf(2) >= 0);
        // Clicking a range note zooms to it.
        emit panel->list()->clicked(model->index(1, 0));
        QVERIFY(page.state()->viewStart() <= at(500) && page.state()->viewStart() > at(400));
        QVERIFY(page.state()->viewEnd() >= at(900) && page.state()->viewEnd() < at(1000));

        // Edit in the list: one undoable command; the row stays selected.
        panel->list()->setCurrentIndex(model->index(1, AnnotationListModel::TextColumn));
        QVERIFY(model->setData(model->index(1, AnnotationListModel::TextColumn), QStringLiteral("gateway timeout")));
        QCOMPARE(store->document().find(range)->text, std::string("gateway timeout"));
        QCOMPARE(panel->list()->currentIndex().row(), 1);
        QVERIFY(!model->setData(model->index(1, AnnotationListModel::TextColumn), QStringLiteral("  ")));
        // Delete key in the list removes the current one.
        page.sidePanels()->setCurrentWidget(panel);
        panel->list()->setFocus();
        panel->list()->setCurrentIndex(model->index(0, 0));
        QTest::keyClick(panel->list(), Qt::Key_Delete);
        QVERIFY(!store->document().find(note));
        QCOMPARE(model->rowCount(), 3);
        store->undoStack()->undo();
        QCOMPARE(model->rowCount(), 4);
    }

    void matchesTheSameTraceInAnotherFormat()
    {
        const QStringList seed = {QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--traces"),
                                  QStringLiteral("2")};
        LoadResult jaeger = test::load(test::generatedTrace(QStringLiteral("jaeger"), 60, seed));
        LoadResult otlp = test::load(test::generatedTrace(QStringLiteral("otlp-json"), 60, seed));
        QVERIFY(!jaeger.dataset.traces.empty());
        auto jaegerData = std::make_shared<const Dataset>(std::move(jaeger.dataset));
        auto otlpData = std::make_shared<const Dataset>(std::move(otlp.dataset));
        const Trace& trace = jaegerData->traces.back();
        const Span& span = jaegerData->spans[trace.first + trace.count / 2];

        QTemporaryDir dir;
        const QString shared = dir.filePath(QStringLiteral("notes.spanwise.json"));
        {
            TracePage page(jaegerData, static_cast<std::uint32_t>(jaegerData->traces.size() - 1));
            page.annotations()->addSpanNote(trace.id, span.id, QStringLiteral("made on the Jaeger file"));
            page.annotations()->addRangeNote(trace.id, trace.start, trace.start + trace.duration() / 4,
                                             QStringLiteral("first quarter"));
            QString error;
            QVERIFY2(page.annotations()->saveAs(shared, &error), qPrintable(error));
        }
        const Trace* same = otlpData->findTrace(trace.id);
        QVERIFY(same);
        TracePage page(otlpData, static_cast<std::uint32_t>(same - otlpData->traces.data()));
        QString error;
        QVERIFY2(page.annotations()->merge(shared, &error), qPrintable(error));
        QCOMPARE(page.annotationsPanel()->model()->rowCount(), 2);
        const QString where =
            page.annotationsPanel()->model()->index(0, AnnotationListModel::WhereColumn).data().toString();
        const auto text = [&](StringId id) { return QString::fromStdString(std::string(jaegerData->str(id))); };
        QCOMPARE(where, QStringLiteral("%1 %2").arg(text(span.service), text(span.name)));
        QVERIFY(!where.contains(QStringLiteral("not in this trace")));
        // The other trace of the file shows none of them.
        const std::uint32_t other = same == &otlpData->traces.front() ? 1 : 0;
        TracePage otherPage(otlpData, other);
        otherPage.annotations()->merge(shared, &error);
        QCOMPARE(otherPage.annotationsPanel()->model()->rowCount(), 0);
    }

    void windowLoadsTheSidecarAndUndoes()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("checkout.json"));
        QVERIFY(QFile::copy(test::exampleTrace(), trace));
        const LoadResult loaded = test::load(trace);
        const Trace& t = loaded.dataset.traces.front();
        AnnotationDocument doc;
        Annotation a;
        a.kind = AnnotationKind::SpanNote;
        a.trace = t.id;
        a.span = loaded.dataset.spans[t.first + 3].id;
        a.text = "loaded from the sidecar";
        doc.insert(a);
        QVERIFY(
            test::writeFile(AnnotationStore::sidecarPathFor(trace), QByteArray::fromStdString(annotationsToJson(doc))));

        MainWindow window;
        window.resize(1400, 800);
        window.show();
        window.openFile(trace);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        TracePage* page = window.currentTracePage();
        QVERIFY(page->annotationProblem()->isHidden());
        QCOMPARE(page->annotationsPanel()->model()->rowCount(), 1);
        QCOMPARE(window.annotationsFor(trace).get(), page->annotations()); // one store per file
        page->annotations()->setHighlight(t.id, a.span, 0x9b51e0);
        QMenu* edit = nullptr;
        for (QAction* action : window.menuBar()->actions()) {
            if (action->text() == QStringLiteral("&Edit"))
                edit = action->menu();
        }
        QVERIFY(edit);
        QAction* undo = edit->actions().front();
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        QVERIFY(undo->isEnabled());
        QVERIFY(undo->text().contains(QStringLiteral("Highlight Span")));
        undo->trigger();
        QVERIFY(!page->annotations()->document().highlightOf(t.id, a.span));
        QVERIFY(edit->actions().at(1)->isEnabled()); // redo
        page->annotations()->addRangeNote(t.id, t.start, t.start + 30'000'000, QStringLiteral("Slow start"));
        page->sidePanels()->setCurrentWidget(page->annotationsPanel());
        QApplication::processEvents();
        test::saveScreenshot(&window, "annotations-window");

        // A broken sidecar shows a banner on the page and is left alone.
        const QString broken = dir.filePath(QStringLiteral("copy.json"));
        QVERIFY(QFile::copy(trace, broken));
        QVERIFY(test::writeFile(AnnotationStore::sidecarPathFor(broken), "{ not json"));
        window.openFile(broken);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() && window.currentTracePage() != page, 20000);
        QLabel* banner = window.currentTracePage()->annotationProblem();
        QVERIFY(!banner->isHidden());
        QVERIFY2(banner->text().contains(QStringLiteral("copy.json.spanwise.json")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("Save Annotations As")));
        window.currentTracePage()->annotations()->addSpanNote(t.id, a.span, QStringLiteral("x"));
        window.currentTracePage()->annotations()->flush();
        QCOMPARE(readAll(AnnotationStore::sidecarPathFor(broken)), QByteArray("{ not json"));
    }
};

QTEST_MAIN(TestAnnotations)
#include "tst_annotations.moc"
