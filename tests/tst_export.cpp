// Image export: the `spanwise export` command line and the TraceImage API behind it and the GUI.
#include <document_text.h>
#include <screenshot.h>
#include <test_support.h>

#include <export_dialog.h>
#include <flame_graph_view.h>
#include <image_writers.h>
#include <main_window.h>
#include <service_palette.h>
#include <span_table_model.h>
#include <span_table_view.h>
#include <time_scale.h>
#include <trace_image.h>
#include <trace_page.h>
#include <trace_view_state.h>
#include <waterfall_view.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace spanwise;
using test::exampleTrace;
using test::hasPdftotext;
using test::pdfText;
using test::runSpanwise;
using test::svgTexts;

namespace {

using Run = test::ProcessRun;

std::shared_ptr<const Dataset> loadShared(const QString& path)
{
    return std::make_shared<const Dataset>(test::load(path).dataset);
}

// The centre of a span's bar in an exported image, in logical pixels.
QPoint barCentre(const TraceImage& image, const TraceViewState& state, std::uint32_t span)
{
    const QRect area = image.waterfallArea(image.wholePage());
    const WaterfallPainter& view = image.waterfall();
    TimeScale scale;
    scale.viewStart = state.viewStart();
    scale.viewEnd = state.viewEnd();
    scale.width = area.width() - view.nameColumnWidth() - 12;
    const Span& s = state.data().spans[span];
    const int row = state.rowOf(span) - image.options().firstRow;
    const double x = scale.toX(s.start + s.duration() / 2);
    return {area.left() + view.nameColumnWidth() + static_cast<int>(x),
            area.top() + view.rulerHeight() + row * view.rowHeight() + view.rowHeight() / 2};
}

// Pixels of exactly this colour below the header and legend of a trace's picture.
int pixelsBelowTheLegend(const QImage& pixels, TraceViewState& state, const QColor& color)
{
    const int top = TraceImage(&state, {}).waterfallArea(TraceImage(&state, {}).wholePage()).top();
    int count = 0;
    for (int y = top; y < pixels.height(); ++y) {
        for (int x = 0; x < pixels.width(); ++x)
            count += pixels.pixelColor(x, y).rgb() == color.rgb();
    }
    return count;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private slots:
    void cliWritesEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("png") << "out.png" << QByteArray("\x89PNG\r\n\x1a\n");
        QTest::newRow("svg") << "out.svg" << QByteArray("<?xml");
        QTest::newRow("pdf") << "out.pdf" << QByteArray("%PDF-");
        QTest::newRow("upper-case extension") << "OUT.PNG" << QByteArray("\x89PNG");
    }
    void cliWritesEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, magic);
        QTemporaryDir dir;
        const QString out = dir.filePath(name);
        const Run r = runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("62 rows"));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(magic.size()).startsWith(magic));
        QVERIFY(file.size() > 10000);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // written atomically: no stray temp file
    }

    void pngScaleDoublesThePixels()
    {
        QTemporaryDir dir;
        const QString one = dir.filePath(QStringLiteral("one.png"));
        const QString two = dir.filePath(QStringLiteral("two.png"));
        QCOMPARE(runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), one,
                              QStringLiteral("--expand-depth"), QStringLiteral("4"), QStringLiteral("--width"),
                              QStringLiteral("1000")})
                     .exitCode,
                 0);
        QCOMPARE(runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), two,
                              QStringLiteral("--expand-depth"), QStringLiteral("4"), QStringLiteral("--width"),
                              QStringLiteral("1000"), QStringLiteral("--scale"), QStringLiteral("2")})
                     .exitCode,
                 0);
        const QImage a(one);
        const QImage b(two);
        QCOMPARE(a.width(), 1000);
        QCOMPARE(b.size(), a.size() * 2);
        QVERIFY(a.height() > 300 && a.height() < 700); // the header and 10 rows of depth <= 4
        QCOMPARE(qRound(b.dotsPerMeterX() * 0.0254), 192);
    }

    void barsArePaintedInTheirServiceColour_data()
    {
        QTest::addColumn<int>("scale");
        QTest::addColumn<bool>("dark");
        QTest::newRow("1x light") << 1 << false;
        QTest::newRow("2x light") << 2 << false;
        QTest::newRow("1x dark") << 1 << true;
    }
    void barsArePaintedInTheirServiceColour()
    {
        QFETCH(int, scale);
        QFETCH(bool, dark);
        TraceViewState state(loadShared(exampleTrace()), 0);
        state.collapseBelowDepth(4);      // down to checkout-service's calls
        state.setShowCriticalPath(false); // nothing drawn across the bars
        TraceImageOptions options;
        options.dark = dark;
        const TraceImage image(&state, options);
        const QImage pixels = renderImage(image, scale);
        QCOMPARE(pixels.width(), image.width() * scale);
        int checked = 0;
        for (const std::uint32_t span : state.rows()) {
            const Span& s = state.data().spans[span];
            if (s.has(MarkFollowsFrom) || s.duration() < (state.viewEnd() - state.viewStart()) / 20)
                continue; // hatched, or too narrow to hit for sure
            const QPoint centre = barCentre(image, state, span) * scale;
            QCOMPARE(pixels.pixelColor(centre).rgb(),
                     state.serviceColors().color(state.data().str(s.service), dark).rgb());
            ++checked;
        }
        QVERIFY(checked >= 5);
        // And the page is the document's, not the desktop's.
        QCOMPARE(pixels.pixelColor(2, 2).rgb(), TraceImage::documentPalette(dark).color(QPalette::Base).rgb());
    }

    void criticalPathShowsUnlessTurnedOff()
    {
        TraceViewState state(loadShared(exampleTrace()), 0);
        state.collapseBelowDepth(0); // the root row alone shows the whole path, folded
        const std::uint32_t root = state.rows().front();
        const TraceImage withPath(&state, {});
        const QPoint centre = barCentre(withPath, state, root);
        const QColor service = state.serviceColors().color(state.data().str(state.data().spans[root].service), false);
        QVERIFY(renderImage(withPath, 1).pixelColor(centre).rgb() != service.rgb()); // the path's ink over the bar
        state.setShowCriticalPath(false);
        const TraceImage without(&state, {});
        QCOMPARE(renderImage(without, 1).pixelColor(barCentre(without, state, root)).rgb(), service.rgb());
    }

    void svgHoldsTheTextsAsText()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("trace.svg"));
        const Run r = runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), out,
                                   QStringLiteral("--range"), QStringLiteral("10..450"),
                                   QStringLiteral("--breakdown")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList texts = svgTexts(out);
        QVERIFY(!texts.isEmpty());
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY(texts.contains(QStringLiteral("web-frontend: POST /checkout"))); // the title
        QVERIFY(all.contains(QStringLiteral("checkout.json")));
        QVERIFY(all.contains(QStringLiteral("c7f06843e3206d6a6a930dd7a33c1395")));
        QVERIFY(all.contains(QStringLiteral("10.0 ms to 450 ms from the start")));
        QVERIFY(texts.contains(QStringLiteral("POST /checkout"))); // operation names
        QVERIFY(texts.contains(QStringLiteral("UPDATE shop.inventory")));
        QVERIFY(texts.contains(QStringLiteral("notification-worker")));            // a service in the legend
        QVERIFY(all.contains(QStringLiteral("Critical path 1.34 s, by service"))); // the chart
    }

    void annotationsAreDrawnInTheExport()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("checkout.json"));
        QVERIFY(QFile::copy(exampleTrace(), trace));
        const QByteArray head = R"({"format": "spanwise-annotations", "version": 1, "annotations": [)";
        const QByteArray traceId = R"("traceId": "c7f06843e3206d6a6a930dd7a33c1395")";
        QVERIFY(test::writeFile(
            trace + QStringLiteral(".spanwise.json"),
            head + R"({"kind": "span-note", )" + traceId +
                R"(, "spanId": "664bd06a08e368e1", "text": "slow <b>db</b>"},)" + R"({"kind": "range-note", )" +
                traceId +
                R"(, "startUnixNano": 1773325625328412000, "endUnixNano": 1773325625358412000, "text": "deploy window"}]})"));
        const QString out = dir.filePath(QStringLiteral("notes.svg"));
        Run r = runSpanwise({QStringLiteral("export"), trace, QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList texts = svgTexts(out);
        QVERIFY2(texts.contains(QStringLiteral("slow <b>db</b>")), qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY(texts.contains(QStringLiteral("deploy window")));

        const QString other = dir.filePath(QStringLiteral("shared.json"));
        QVERIFY(test::writeFile(other, head + R"({"kind": "span-note", )" + traceId +
                                           R"(, "spanId": "664bd06a08e368e1", "text": "from the team"}]})"));
        r = runSpanwise(
            {QStringLiteral("export"), trace, QStringLiteral("-o"), out, QStringLiteral("--annotations"), other});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        texts = svgTexts(out);
        QVERIFY(texts.contains(QStringLiteral("from the team")));
        QVERIFY(!texts.contains(QStringLiteral("deploy window"))); // the file given replaces the sidecar

        QVERIFY(test::writeFile(other, "{ not json"));
        r = runSpanwise(
            {QStringLiteral("export"), trace, QStringLiteral("-o"), out, QStringLiteral("--annotations"), other});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("shared.json"), r.err.constData());

        QVERIFY(test::writeFile(trace + QStringLiteral(".spanwise.json"), "{ broken"));
        r = runSpanwise({QStringLiteral("export"), trace, QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("exporting without annotations"), r.err.constData());
    }

    void svgEscapesWhatTheFileHolds()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("markup.json"));
        QVERIFY(test::writeFile(trace,
                                "{\"data\":[{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\","
                                "\"operationName\":\"<b>bold</b> & \\\"quoted\\\"\",\"startTime\":1,\"duration\":1000,"
                                "\"processID\":\"p1\"}],\"processes\":{\"p1\":{\"serviceName\":\"svc]]>\"}}}]}"));
        const QString out = dir.filePath(QStringLiteral("markup.svg"));
        QCOMPARE(runSpanwise({QStringLiteral("export"), trace, QStringLiteral("-o"), out}).exitCode, 0);
        const QStringList texts = svgTexts(out);
        QVERIFY(texts.contains(QStringLiteral("<b>bold</b> & \"quoted\"")));
        QVERIFY(texts.contains(QStringLiteral("svc]]>")));
    }

    void pdfHoldsTheTextsOnPages()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("trace.pdf"));
        // 1000 pixels wide, a page of A-series proportions holds about 50 rows: the 62 need more than one.
        const Run r = runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), out,
                                   QStringLiteral("--breakdown"), QStringLiteral("--width"), QStringLiteral("1000")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        // The page count the API gives.
        TraceViewState state(loadShared(exampleTrace()), 0);
        state.setGroupRepeats(false); // as the command line exports it
        TraceImageOptions options;
        options.breakdown = true;
        options.width = 1000;
        const TraceImage image(&state, options);
        const std::vector<TraceImagePage> layout = image.pages(pdfPageHeight(image.width()));
        QCOMPARE(pdfPages(image).size(), layout.size());
        const std::size_t pages = layout.size();
        QVERIFY(pages >= 2);
        QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page "),
                 qsizetype(pages));
        if (!hasPdftotext())
            QSKIP("pdftotext (poppler-utils, scripts/install-deps) is needed to read the PDF's text");
        const QString text = pdfText(out);
        QCOMPARE(text.count(QLatin1Char('\f')), qsizetype(pages));
        QVERIFY(text.contains(QStringLiteral("web-frontend: POST /checkout")));
        QVERIFY(text.contains(QStringLiteral("c7f06843e3206d6a6a930dd7a33c1395")));
        QVERIFY(text.contains(QStringLiteral("UPDATE shop.inventory")));
        QVERIFY(text.contains(QStringLiteral("page 1 of %1").arg(pages))); // every page says where it belongs
        QVERIFY(text.contains(QStringLiteral("page %1 of %1").arg(pages)));
        QVERIFY(text.contains(QStringLiteral("Critical path 1.34 s, by service")));
        const auto waterfallPages = std::count_if(layout.begin(), layout.end(),
                                                  [](const TraceImagePage& page) { return page.rowCount > 0; });
        QCOMPARE(text.count(QStringLiteral("62 spans · 1.80 s")),
                 qsizetype(waterfallPages)); // the ruler on every waterfall page
    }

    void apiWritesEveryFormat()
    {
        QTemporaryDir dir;
        TraceViewState state(loadShared(exampleTrace()), 0);
        state.collapseBelowDepth(3);
        TraceImageOptions options;
        options.fileName = QStringLiteral("checkout.json");
        const TraceImage image(&state, options);
        for (const char* name : {"a.png", "a.svg", "a.pdf"}) {
            const QString path = dir.filePath(QLatin1String(name));
            const auto format = imageFormatFor(path);
            QVERIFY(format);
            QCOMPARE(writeImage(image, path, *format), QString());
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QCOMPARE(QImage(dir.filePath(QStringLiteral("a.png"))).size(),
                 QSize(image.width(), image.height(image.wholePage())));
        QVERIFY(svgTexts(dir.filePath(QStringLiteral("a.svg"))).contains(QStringLiteral("POST /checkouts")));
        if (hasPdftotext())
            QVERIFY(pdfText(dir.filePath(QStringLiteral("a.pdf"))).contains(QStringLiteral("POST /checkouts")));
        QVERIFY(!writeImage(image, QStringLiteral("/nonexistent-dir/a.png"), ImageFormat::Png).isEmpty());
    }

    void visibleRowsAndTimeWindow()
    {
        TraceViewState state(loadShared(exampleTrace()), 0);
        state.setGroupRepeats(false); // every span a row
        TraceImageOptions options;
        options.firstRow = 10;
        options.rowCount = 20;
        options.viewStart = state.trace().start;
        options.viewEnd = state.trace().start + 50'000'000;
        const TraceImage image(&state, options);
        QCOMPARE(image.rowCount(), 20);
        QCOMPARE(image.wholePage().firstRow, 10);
        const TraceImage all(&state, {});
        QCOMPARE(all.rowCount(), 62);
        QVERIFY(image.height(image.wholePage()) < all.height(all.wholePage()));
        // Pages split the rows without losing or repeating one.
        const auto pages = all.pages(1200);
        int next = 0;
        for (const TraceImagePage& page : pages) {
            QCOMPARE(page.firstRow, next);
            QVERIFY(all.height(page) <= 1200);
            next += page.rowCount;
        }
        QCOMPARE(next, 62);
        QVERIFY(pages.front().header && !pages.back().header);
    }

    void tooTallForPngIsRefusedWithAWayOut()
    {
        const QString big = test::generatedTrace(QStringLiteral("jaeger"), 3000);
        QTemporaryDir dir;
        const Run png = runSpanwise(
            {QStringLiteral("export"), big, QStringLiteral("-o"), dir.filePath(QStringLiteral("big.png"))});
        QCOMPARE(png.exitCode, 1);
        QVERIFY(png.err.contains("PDF"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("big.png"))));
        const Run pdf = runSpanwise(
            {QStringLiteral("export"), big, QStringLiteral("-o"), dir.filePath(QStringLiteral("big.pdf"))});
        QVERIFY2(pdf.exitCode == 0, pdf.err.constData());
        QVERIFY(pdf.out.contains("3000 rows"));
        const Run collapsed = runSpanwise({QStringLiteral("export"), big, QStringLiteral("-o"),
                                           dir.filePath(QStringLiteral("top.png")), QStringLiteral("--expand-depth"),
                                           QStringLiteral("0")});
        QCOMPARE(collapsed.exitCode, 0);
        QVERIFY(collapsed.out.contains(": 1 row,"));
    }

    void multiTraceFilesExportTheChosenTrace()
    {
        const QString three = test::generatedTrace(QStringLiteral("jaeger"), 300,
                                                   {QStringLiteral("--traces"), QStringLiteral("3")});
        const Dataset data = test::load(three).dataset;
        QCOMPARE(data.traces.size(), std::size_t(3));
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("t.svg"));
        const Run first = runSpanwise({QStringLiteral("export"), three, QStringLiteral("-o"), out});
        QCOMPARE(first.exitCode, 0);
        QVERIFY(first.err.contains("holds 3 traces; exporting the first"));
        QVERIFY(svgTexts(out).join(QLatin1Char(' ')).contains(QString::fromStdString(toHex(data.traces[0].id))));
        const QString second = QString::fromStdString(toHex(data.traces[1].id));
        const Run chosen = runSpanwise(
            {QStringLiteral("export"), three, QStringLiteral("-o"), out, QStringLiteral("--trace"), second.toUpper()});
        QCOMPARE(chosen.exitCode, 0);
        QVERIFY(!chosen.err.contains("traces"));
        QVERIFY(svgTexts(out).join(QLatin1Char(' ')).contains(second));
        const Run missing = runSpanwise({QStringLiteral("export"), three, QStringLiteral("-o"), out,
                                         QStringLiteral("--trace"), QStringLiteral("deadbeefdeadbeef")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no trace deadbeefdeadbeef"));
    }

    void badUsageExitsWith2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString ex = exampleTrace();
        QTest::newRow("no file") << QStringList{QStringLiteral("-o"), QStringLiteral("x.png")} << "no file given";
        QTest::newRow("no output") << QStringList{ex} << "no output file";
        QTest::newRow("-o without value") << QStringList{ex, QStringLiteral("-o")} << "-o needs a value";
        QTest::newRow("unknown format") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.jpg")}
                                        << ".png, .svg or .pdf";
        QTest::newRow("unknown option") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                       QStringLiteral("--annotate")}
                                        << "unknown option --annotate";
        QTest::newRow("width text") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                   QStringLiteral("--width"), QStringLiteral("wide")}
                                    << "--width";
        QTest::newRow("width small") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                    QStringLiteral("--width=100")}
                                     << "--width";
        QTest::newRow("scale 3") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                QStringLiteral("--scale"), QStringLiteral("3")}
                                 << "--scale takes 1 or 2";
        QTest::newRow("scale for svg") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.svg"),
                                                      QStringLiteral("--scale"), QStringLiteral("2")}
                                       << "PNG only";
        QTest::newRow("range backwards") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                        QStringLiteral("--range"), QStringLiteral("50..10")}
                                         << "--range";
        QTest::newRow("range no dots") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                      QStringLiteral("--range"), QStringLiteral("50")}
                                       << "--range";
        QTest::newRow("depth negative") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                                       QStringLiteral("--expand-depth"), QStringLiteral("-1")}
                                        << "--expand-depth";
        QTest::newRow("theme") << QStringList{ex, QStringLiteral("-o"), QStringLiteral("x.png"),
                                              QStringLiteral("--theme"), QStringLiteral("blue")}
                               << "light or dark";
        QTest::newRow("two files") << QStringList{ex, ex, QStringLiteral("-o"), QStringLiteral("x.png")}
                                   << "one trace file";
        const QStringList png{ex, QStringLiteral("-o"), QStringLiteral("x.png")};
        QTest::newRow("unknown view") << png + QStringList{QStringLiteral("--view"), QStringLiteral("timeline")}
                                      << "--view takes waterfall|flame|graph|table, not timeline";
        QTest::newRow("range for table")
            << png + QStringList{QStringLiteral("--view"), QStringLiteral("table"), QStringLiteral("--range"),
                                 QStringLiteral("1..2")}
            << "--range applies to the waterfall and the icicle flame graph, not to --view table";
        QTest::newRow("depth for flame") << png + QStringList{QStringLiteral("--view"), QStringLiteral("flame"),
                                                              QStringLiteral("--expand-depth"), QStringLiteral("2")}
                                         << "--expand-depth applies to the waterfall, not to --view flame";
        QTest::newRow("critical path for table")
            << png + QStringList{QStringLiteral("--view=table"), QStringLiteral("--no-critical-path")}
            << "--no-critical-path applies to the waterfall and the graph";
        QTest::newRow("flame mode for graph")
            << png + QStringList{QStringLiteral("--view"), QStringLiteral("graph"), QStringLiteral("--flame-mode"),
                                 QStringLiteral("icicle")}
            << "--flame-mode applies to --view flame";
        QTest::newRow("flame width for icicle")
            << png + QStringList{QStringLiteral("--view"),        QStringLiteral("flame"),
                                 QStringLiteral("--flame-mode"),  QStringLiteral("icicle"),
                                 QStringLiteral("--flame-width"), QStringLiteral("self")}
            << "--flame-width applies to --view flame --flame-mode merged";
        QTest::newRow("graph mode bad") << png + QStringList{QStringLiteral("--view"), QStringLiteral("graph"),
                                                             QStringLiteral("--graph-mode"), QStringLiteral("calls")}
                                        << "--graph-mode takes operations|services, not calls";
    }
    void badUsageExitsWith2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(QStringLiteral(SPANWISE_BINARY), QStringList{QStringLiteral("export")} + args);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(message.toUtf8()), err.constData());
        QVERIFY(err.contains("usage: spanwise export"));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    }

    void helpExitsWith0()
    {
        const Run r = runSpanwise({QStringLiteral("export"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--expand-depth"));
    }

    void unreadableInputExitsWith1_data()
    {
        QTest::addColumn<QString>("content"); // empty: no such file
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing file") << QString() << QStringList() << "missing.json";
        QTest::newRow("not a trace") << QStringLiteral("hello, world") << QStringList() << "input.json";
        QTest::newRow("range outside") << QStringLiteral("example")
                                       << QStringList{QStringLiteral("--range"), QStringLiteral("1900..2000")}
                                       << "outside the trace";
    }
    void unreadableInputExitsWith1()
    {
        QFETCH(QString, content);
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QString input = dir.filePath(QStringLiteral("missing.json"));
        if (content == QLatin1String("example")) {
            input = exampleTrace();
        } else if (!content.isEmpty()) {
            input = dir.filePath(QStringLiteral("input.json"));
            QVERIFY(test::writeFile(input, content.toUtf8()));
        }
        const QString out = dir.filePath(QStringLiteral("out.png"));
        const Run r = runSpanwise(QStringList{QStringLiteral("export"), input, QStringLiteral("-o"), out} + extra);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    void unwritableOutputExitsWith1()
    {
        const Run r = runSpanwise({QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"),
                                   QStringLiteral("/nonexistent-dir/out.pdf")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("cannot write"));
    }

    void dialogShowsWhatWillBeExported()
    {
        QSettings().remove(QStringLiteral("export"));
        TracePage page(loadShared(exampleTrace()), 0);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ExportDialog dialog(page.waterfall(), QStringLiteral("/tmp/traces/checkout.json"));
        QVERIFY(dialog.allRowsBox()->isChecked()); // the whole tree, as a report needs
        QCOMPARE(dialog.options().rowCount, -1);
        QVERIFY(dialog.sizeLabel()->text().contains(QStringLiteral("29 rows"))); // the 34 queries one row, as shown
        const int visible = page.waterfall()->verticalScrollBar()->pageStep();
        dialog.allRowsBox()->setChecked(false);
        QCOMPARE(dialog.options().rowCount, visible);
        QVERIFY(dialog.sizeLabel()->text().contains(QStringLiteral("%1 rows").arg(visible)));
        dialog.allRowsBox()->setChecked(true);
        QCOMPARE(dialog.options().rowCount, -1);
        QVERIFY(dialog.sizeLabel()->text().contains(QStringLiteral("29 rows")));
        dialog.scaleBox()->setCurrentIndex(1);
        QVERIFY(dialog.exportButton()->isEnabled());
        dialog.widthBox()->setValue(4000);
        QVERIFY(dialog.exportButton()->isEnabled());
        QVERIFY2(dialog.sizeLabel()->text().contains(QStringLiteral("29 rows, 8000 × ")),
                 qPrintable(dialog.sizeLabel()->text()));
        dialog.formatBox()->setCurrentIndex(2);
        QVERIFY(dialog.exportButton()->isEnabled());
        QCOMPARE(dialog.options().rowCount, -1);
        QVERIFY(!dialog.sizeLabel()->text().contains(QStringLiteral(" of 29 rows")));
        QVERIFY(!dialog.scaleBox()->isEnabled());
        QCOMPARE(dialog.scale(), 1);
        QCOMPARE(dialog.sizeLabel()->text(), QStringLiteral("29 rows on one page, 4000 px wide"));
        QCOMPARE(dialog.suggestedFileName(), QStringLiteral("/tmp/traces/checkout-c7f06843.pdf"));
        dialog.wholeTraceBox()->setChecked(true);
        QCOMPARE(dialog.options().viewStart, page.state()->trace().start);
        dialog.themeBox()->setCurrentIndex(1);
        QVERIFY(dialog.options().dark);
        QCOMPARE(dialog.options().fileName, QStringLiteral("checkout.json"));
        test::saveScreenshot(&dialog, "export-dialog");
        dialog.accept(); // remembered for next time
        ExportDialog again(page.waterfall(), QStringLiteral("/tmp/traces/checkout.json"));
        QCOMPARE(again.format(), ImageFormat::Pdf);
        QVERIFY(again.options().dark);
        QSettings().remove(QStringLiteral("export"));
    }

    void dialogFitsWhatAPngCanHoldAndSaysWhatIsLeftOut()
    {
        QSettings().remove(QStringLiteral("export"));
        TracePage page(loadShared(test::generatedTrace(QStringLiteral("jaeger"), 1000)), 0);
        page.state()->setGroupRepeats(false); // every span a row: more than a PNG holds
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ExportDialog dialog(page.waterfall(), QStringLiteral("/tmp/traces/big.json"));
        QVERIFY(dialog.allRowsBox()->isChecked());
        QVERIFY2(dialog.sizeLabel()->text().contains(QStringLiteral("1,000 rows")),
                 qPrintable(dialog.sizeLabel()->text()));
        dialog.scaleBox()->setCurrentIndex(1);
        // 1000 rows at twice the pixels are too many for a PNG: as many as fit, and what was left out.
        const int fitting = dialog.options().rowCount;
        QVERIFY(fitting > 10 && fitting < 1000);
        QVERIFY(dialog.exportButton()->isEnabled());
        QVERIFY2(dialog.sizeLabel()->text().startsWith(
                     QStringLiteral("%1 of 1,000 rows fit a PNG; choose PDF for all.").arg(fitting)),
                 qPrintable(dialog.sizeLabel()->text()));
        QVERIFY(exportLimitProblem(*dialog.image(), ImageFormat::Png, 2).isEmpty());
        TraceImageOptions oneMore = dialog.options();
        ++oneMore.rowCount;
        QVERIFY(!exportLimitProblem(TraceImage(page.state(), oneMore), ImageFormat::Png, 2)
                     .isEmpty()); // the most that fits
        dialog.formatBox()->setCurrentIndex(2);
        QVERIFY(dialog.exportButton()->isEnabled());
        QCOMPARE(dialog.options().rowCount, -1);
        QVERIFY(dialog.sizeLabel()->text().contains(QStringLiteral("pages")));
        QSettings().remove(QStringLiteral("export"));
    }

    void copyImagePutsTheViewOnTheClipboard()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        window.openFile(exampleTrace());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        QStringList shortcuts;
        for (const QAction* action : window.findChildren<QAction*>()) {
            if (action->text() == QStringLiteral("&Export Image…") || action->text() == QStringLiteral("Copy &Image"))
                shortcuts << action->shortcut().toString();
        }
        QCOMPARE(shortcuts.size(), 2);
        QVERIFY(shortcuts.contains(QStringLiteral("Ctrl+Shift+E")) &&
                shortcuts.contains(QStringLiteral("Ctrl+Shift+C")));
        QApplication::clipboard()->clear();
        QTest::keyClick(&window, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        const QImage copied = QApplication::clipboard()->image();
        QVERIFY(!copied.isNull());
        const WaterfallView* waterfall = window.currentTracePage()->waterfall();
        QCOMPARE(copied.width(), waterfall->viewport()->width() + 48);
        QVERIFY(copied.height() > waterfall->verticalScrollBar()->pageStep() * waterfall->rowHeight());
    }

    void eachViewIsPaintedInServiceColours_data()
    {
        QTest::addColumn<int>("view");
        QTest::addColumn<bool>("dark");
        QTest::addColumn<int>("atLeast"); // pixels of checkout-service's colour
        for (const bool dark : {false, true}) {
            const char* theme = dark ? " dark" : " light";
            // Flame: its frames; graph: the nodes' service stripes; table: the rows' swatches.
            QTest::newRow(qPrintable(QStringLiteral("flame") + QLatin1String(theme)))
                << int(ImageView::FlameGraph) << dark << 20000;
            QTest::newRow(qPrintable(QStringLiteral("graph") + QLatin1String(theme)))
                << int(ImageView::Graph) << dark << 300;
            QTest::newRow(qPrintable(QStringLiteral("table") + QLatin1String(theme)))
                << int(ImageView::Spans) << dark << 300;
        }
    }
    void eachViewIsPaintedInServiceColours()
    {
        QFETCH(int, view);
        QFETCH(bool, dark);
        QFETCH(int, atLeast);
        TraceViewState state(loadShared(exampleTrace()), 0);
        TraceImageOptions options;
        options.dark = dark;
        options.view.view = static_cast<ImageView>(view);
        const TraceImage image(&state, options);
        const QImage pixels = renderImage(image, 1);
        QVERIFY(!pixels.isNull());
        const QColor checkout = state.serviceColors().color("checkout-service", dark);
        const int found = pixelsBelowTheLegend(pixels, state, checkout);
        QVERIFY2(found >= atLeast, qPrintable(QString::number(found)));
        QCOMPARE(pixels.pixelColor(2, 2).rgb(), TraceImage::documentPalette(dark).color(QPalette::Base).rgb());
    }

    void cliExportsEachViewWithItsTexts_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("texts"); // whole text elements of the SVG
        QTest::addColumn<QString>("shown");     // in the header
        QTest::newRow("flame") << QStringList{QStringLiteral("--view"), QStringLiteral("flame")}
                               << QStringList{QStringLiteral("checkout-service: POST /checkouts  1.34 s"),
                                              QStringLiteral("web-frontend: POST /checkout  1.34 s")}
                               << QStringLiteral("merged call paths, width = total time");
        QTest::newRow("flame self") << QStringList{QStringLiteral("--view"), QStringLiteral("flame"),
                                                   QStringLiteral("--flame-width"), QStringLiteral("self")}
                                    << QStringList{QStringLiteral("web-frontend: POST /checkout")}
                                    << QStringLiteral("merged call paths, width = self time");
        QTest::newRow("icicle") << QStringList{QStringLiteral("--view"),       QStringLiteral("flame"),
                                               QStringLiteral("--flame-mode"), QStringLiteral("icicle"),
                                               QStringLiteral("--range"),      QStringLiteral("0..900")}
                                << QStringList{} << QStringLiteral("0 to 900 ms from the start");
        QTest::newRow("graph") << QStringList{QStringLiteral("--view"), QStringLiteral("graph")}
                               // Fitted to the width, a node names its operation; its colour, the service.
                               << QStringList{QStringLiteral("POST /checkouts"),
                                              QStringLiteral("28 operations · 27 caller–callee pairs")}
                               << QStringLiteral("graph of operations");
        QTest::newRow("graph services") << QStringList{QStringLiteral("--view"), QStringLiteral("graph"),
                                                       QStringLiteral("--graph-mode"), QStringLiteral("services")}
                                        << QStringList{QStringLiteral("pricing-service")}
                                        << QStringLiteral("graph of services");
        QTest::newRow("table") << QStringList{QStringLiteral("--view"), QStringLiteral("table")}
                               << QStringList{QStringLiteral("Self time"), QStringLiteral("SELECT shop.products"),
                                              QStringLiteral("UPDATE shop.inventory"), QStringLiteral("1.34 s")}
                               << QStringLiteral("spans table of 62 rows");
    }
    void cliExportsEachViewWithItsTexts()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, texts);
        QFETCH(QString, shown);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("view.svg"));
        const Run r = runSpanwise(QStringList{QStringLiteral("export"), exampleTrace(), QStringLiteral("-o"), out} +
                                  args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.err.isEmpty());
        const QStringList found = svgTexts(out);
        for (const QString& text : texts)
            QVERIFY2(found.contains(text), qPrintable(text));
        QVERIFY(found.contains(QStringLiteral("web-frontend: POST /checkout"))); // the title
        QVERIFY(found.contains(QStringLiteral("notification-worker")));          // the legend
        QVERIFY2(found.join(QLatin1Char('\n')).contains(QStringLiteral("Shown: ") + shown),
                 qPrintable(found.join(QLatin1Char('\n'))));
    }

    void tallTableIsCappedAndSplitAcrossPdfPages()
    {
        const QString trace = test::generatedTrace(QStringLiteral("jaeger"), ViewImageBody::kMaxTableRows + 200);
        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("table.pdf"));
        const Run r = runSpanwise({QStringLiteral("export"), trace, QStringLiteral("--view"), QStringLiteral("table"),
                                   QStringLiteral("-o"), pdf});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        TraceViewState state(loadShared(trace), 0);
        state.setGroupRepeats(false);
        TraceImageOptions options;
        options.view.view = ImageView::Spans;
        const TraceImage image(&state, options);
        const std::vector<TraceImagePage> pages = image.pages(pdfPageHeight(image.width()));
        QVERIFY(pages.size() > 5);
        int rows = 0;
        for (const TraceImagePage& page : pages) {
            QCOMPARE(page.rowCount, 0);
            QVERIFY(page.body.height > 0);
            QVERIFY(image.height(page) <= pdfPageHeight(image.width()));
            QCOMPARE(page.body.from, rows); // each page goes on where the last stopped
            rows = page.body.to;
        }
        QCOMPARE(rows, ViewImageBody::kMaxTableRows);
        // A PNG holds the capped table too.
        QVERIFY(exportLimitProblem(image, ImageFormat::Png, 1).isEmpty());
        if (!hasPdftotext())
            QSKIP("pdftotext (poppler-utils, scripts/install-deps) is needed to read the PDF's text");
        const QString text = pdfText(pdf);
        QCOMPARE(text.count(QLatin1Char('\f')), qsizetype(pages.size()));
        QCOMPARE(text.count(QStringLiteral("Self time")), qsizetype(pages.size())); // the header on every page
        QVERIFY(text.contains(QStringLiteral("200 more rows not shown")));
        QVERIFY(text.contains(QStringLiteral("page %1 of %1").arg(pages.size())));
    }

    void helpSaysWhatEachViewTakes()
    {
        const Run r = runSpanwise({QStringLiteral("export"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--view waterfall|flame|graph|table"));
        QVERIFY(r.out.contains(QByteArray(QByteArray::number(ViewImageBody::kMaxTableRows) + " rows")));
    }

    void windowExportsTheViewShown()
    {
        QSettings().remove(QStringLiteral("export"));
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        window.openFile(exampleTrace());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        TracePage* page = window.currentTracePage();
        QTemporaryDir dir;

        // The spans table, sorted as shown.
        page->showView(TracePage::View::Spans);
        page->spanTable()->model()->sort(SpanTableModel::SelfTime, Qt::DescendingOrder);
        {
            ExportDialog dialog(page->waterfall(), exampleTrace(), nullptr, ExportDialog::shownView(page));
            QCOMPARE(dialog.viewLabel()->text(), QStringLiteral("Spans table, as shown"));
            QVERIFY(!dialog.allRowsBox()->isVisibleTo(&dialog)); // the waterfall's choices
            QVERIFY(!dialog.wholeTraceBox()->isVisibleTo(&dialog));
            QVERIFY2(dialog.sizeLabel()->text().startsWith(QStringLiteral("The spans table, ")),
                     qPrintable(dialog.sizeLabel()->text()));
            test::saveScreenshot(&dialog, "export-dialog-table");
            const QString svg = dir.filePath(QStringLiteral("table.svg"));
            QCOMPARE(window.exportCurrentTab(dialog, svg), QString());
            const QStringList texts = svgTexts(svg);
            QVERIFY(
                texts.join(QLatin1Char('\n')).contains(QStringLiteral("spans table of 62 rows sorted by self time")));
            // The first rows in the table's order.
            const SpanTableModel* model = page->spanTable()->model();
            const qsizetype first = texts.indexOf(model->text(0, SpanTableModel::SelfTime));
            const qsizetype second = texts.indexOf(model->text(1, SpanTableModel::SelfTime), first + 1);
            QVERIFY(first >= 0 && second > first);
            QCOMPARE(model->text(0, SpanTableModel::SelfTime), QStringLiteral("439 ms"));
        }

        // The flame graph in its icicle mode.
        page->showView(TracePage::View::FlameGraph);
        page->flameGraph()->setMode(FlameGraphPainter::Mode::Icicle);
        {
            ExportDialog dialog(page->waterfall(), exampleTrace(), nullptr, ExportDialog::shownView(page));
            QCOMPARE(dialog.viewLabel()->text(), QStringLiteral("Flame graph, as shown"));
            const QString svg = dir.filePath(QStringLiteral("flame.svg"));
            QCOMPARE(window.exportCurrentTab(dialog, svg), QString());
            QVERIFY(svgTexts(svg).join(QLatin1Char('\n')).contains(QStringLiteral("time-ordered icicle")));
        }

        // Copy Image copies the graph shown.
        page->showView(TracePage::View::Graph);
        QApplication::clipboard()->clear();
        QTest::keyClick(&window, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        const QImage copied = QApplication::clipboard()->image();
        QVERIFY(!copied.isNull());
        QCOMPARE(copied.width(), page->waterfall()->width() + 48);
        TraceViewState state(loadShared(exampleTrace()), 0);
        QVERIFY(pixelsBelowTheLegend(copied, state, state.serviceColors().color("checkout-service", false)) > 100);

        // Copy Image copies the table's rows on screen, as it does the waterfall's.
        page->showView(TracePage::View::Spans);
        QApplication::processEvents();
        QTest::keyClick(&window, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        const QImage copiedRows = QApplication::clipboard()->image();
        QVERIFY(!copiedRows.isNull());
        TraceImageOptions wholeTable;
        wholeTable.view = ExportDialog::shownView(page);
        wholeTable.width = copiedRows.width(); // the legend wraps alike
        const TraceImage whole(page->state(), wholeTable);
        const QTableView* table = page->spanTable()->table();
        const int onScreen = table->rowAt(table->viewport()->height() - 1) - table->rowAt(0) + 1;
        QVERIFY(onScreen > 5 && onScreen < 62);
        // The rows left out, less the line that counts them.
        const int rowHeight = QFontMetrics(TraceImage::documentFont(12)).height() + 6;
        QCOMPARE(whole.singlePage().height - copiedRows.height(), (62 - onScreen - 1) * rowHeight);
        QSettings().remove(QStringLiteral("export"));
    }

    void waterfallLooksTheSameOnScreenAndInTheExport()
    {
        // One renderer: a bar's colour and row geometry in the widget are those of the export.
        TracePage page(loadShared(exampleTrace()), 0);
        page.resize(1300, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        state->setShowCriticalPath(false);
        WaterfallView* view = page.waterfall();
        const std::uint32_t span = state->rows()[2];
        const QRect onScreen = view->barRect(span);
        const QImage screen = view->viewport()->grab().toImage();
        TraceImageOptions options;
        options.rowCount = view->verticalScrollBar()->pageStep();
        const TraceImage image(state, options);
        const QImage exported = renderImage(image, 1);
        const QColor service = state->serviceColors().color(state->data().str(state->data().spans[span].service),
                                                            view->palette().color(QPalette::Base).lightness() < 128);
        QCOMPARE(screen.pixelColor(onScreen.center() * screen.devicePixelRatio()).rgb(), service.rgb());
        QCOMPARE(exported.pixelColor(barCentre(image, *state, span)).rgb(),
                 state->serviceColors().color(state->data().str(state->data().spans[span].service), false).rgb());
        QCOMPARE(image.waterfall().rowHeight(), QFontMetrics(TraceImage::documentFont(12)).height() + 8);
    }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
