// A comparison as an image: `spanwise diff -o`, the CompareImage API behind it, and File ▸ Export
// Image… and Copy Image on a compare tab.
#include <document_text.h>
#include <test_support.h>

#include <compare_image.h>
#include <compare_page.h>
#include <export_dialog.h>
#include <image_writers.h>
#include <main_window.h>
#include <trace_image.h>

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
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace spanwise;
using test::hasPdftotext;
using test::pdfText;
using test::runSpanwise;
using test::svgTexts;

namespace {

// Two generated traces of the same shape of system, different seeds: nodes added and removed.
QString traceA()
{
    return test::generatedTrace(QStringLiteral("jaeger"), 300, {QStringLiteral("--seed"), QStringLiteral("1")});
}

QString traceB()
{
    return test::generatedTrace(QStringLiteral("jaeger"), 300, {QStringLiteral("--seed"), QStringLiteral("2")});
}

// A loaded file as one side of a comparison.
CompareSide sideOf(const QString& path)
{
    return {std::make_shared<const Dataset>(test::load(path).dataset), 0, QFileInfo(path).fileName()};
}

std::shared_ptr<const TraceDiff> diffOf(const CompareSide& a, const CompareSide& b)
{
    return std::make_shared<const TraceDiff>(
        diffTraces(*a.data, a.data->traces[a.traceIndex], *b.data, b.data->traces[b.traceIndex]));
}

bool anyContains(const QStringList& texts, const QString& part)
{
    return std::any_of(texts.begin(), texts.end(), [&](const QString& t) { return t.contains(part); });
}

// The changed, added or removed nodes, largest change first.
std::vector<std::uint32_t> changes(const TraceDiff& diff)
{
    std::vector<std::uint32_t> nodes;
    for (std::uint32_t node : nodesByTotalDelta(diff)) {
        if (diff.nodes[node].status != DiffStatus::Same)
            nodes.push_back(node);
    }
    return nodes;
}

} // namespace

class TestCompareExport : public QObject {
    Q_OBJECT
private slots:
    void cliWritesEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("png") << "diff.png" << QByteArray("\x89PNG\r\n\x1a\n");
        QTest::newRow("svg") << "diff.svg" << QByteArray("<?xml");
        QTest::newRow("pdf") << "diff.pdf" << QByteArray("%PDF-");
    }
    void cliWritesEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, magic);
        QTemporaryDir dir;
        const QString out = dir.filePath(name);
        const test::ProcessRun printed = runSpanwise({QStringLiteral("diff"), traceA(), traceB()});
        const test::ProcessRun drawn = runSpanwise(
            {QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), out});
        QVERIFY2(drawn.exitCode == 0, drawn.err.constData());
        QCOMPARE(drawn.out, printed.out);  // printing stays as it is
        QCOMPARE(drawn.err, QByteArray()); // quiet on success
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.size() > 5000);
        QVERIFY(file.read(magic.size()) == magic);
        // The JSON document stays one on stdout with an image drawn too.
        const test::ProcessRun json = runSpanwise(
            {QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("--json"), QStringLiteral("--output=") + out});
        QCOMPARE(json.exitCode, 0);
        QVERIFY(json.out.trimmed().startsWith('{') && json.out.trimmed().endsWith('}'));
    }

    void pngScaleDoublesThePixels()
    {
        QTemporaryDir dir;
        const QString one = dir.filePath(QStringLiteral("1x.png"));
        const QString two = dir.filePath(QStringLiteral("2x.png"));
        QCOMPARE(runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), one,
                              QStringLiteral("--width"), QStringLiteral("1000")})
                     .exitCode,
                 0);
        QCOMPARE(runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), two,
                              QStringLiteral("--width"), QStringLiteral("1000"), QStringLiteral("--scale"),
                              QStringLiteral("2")})
                     .exitCode,
                 0);
        const QImage small(one);
        const QImage large(two);
        QCOMPARE(small.width(), 1000);
        QCOMPARE(large.size(), small.size() * 2);
        const QColor light = TraceImage::documentPalette(false).color(QPalette::Base);
        QCOMPARE(small.pixelColor(2, 2).rgb(), light.rgb());
        const QString dark = dir.filePath(QStringLiteral("dark.png"));
        QCOMPARE(runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), dark,
                              QStringLiteral("--theme"), QStringLiteral("dark")})
                     .exitCode,
                 0);
        QCOMPARE(QImage(dark).pixelColor(2, 2).rgb(), TraceImage::documentPalette(true).color(QPalette::Base).rgb());
    }

    void svgHoldsNodesAndServicesAsText()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("diff.svg"));
        const test::ProcessRun r = runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList texts = svgTexts(out);
        QVERIFY(!texts.isEmpty());

        const CompareSide a = sideOf(traceA());
        const CompareSide b = sideOf(traceB());
        const auto diff = diffOf(a, b);
        const std::vector<std::uint32_t> changed = changes(*diff);
        QVERIFY(changed.size() > 20);
        for (std::size_t k = 0; k < 20; ++k) // the table's rows, each ending with its node
            QVERIFY2(anyContains(texts, QString::fromStdString(diff->nodes[changed[k]].label)),
                     diff->nodes[changed[k]].label.c_str());
        QVERIFY(texts.contains(
            QStringLiteral("%1 more changed, added or removed nodes not shown").arg(changed.size() - 20)));
        for (const ServiceDelta& s : diff->services) {
            if (s.selfNanosA != s.selfNanosB || s.criticalPathNanosA != s.criticalPathNanosB)
                QVERIFY2(texts.contains(QString::fromStdString(s.service)), s.service.c_str()); // the chart's rows
        }
        QVERIFY(anyContains(texts, QString::fromStdString(toHex(a.data->traces[0].id))));
        QVERIFY(anyContains(texts, QString::fromStdString(toHex(b.data->traces[0].id))));
        QVERIFY(anyContains(texts, QStringLiteral("noise threshold: 10% and 100 µs")));
        QVERIFY(texts.contains(QStringLiteral("Change by service (B − A)")));
        QVERIFY(anyContains(texts, QStringLiteral("%1 nodes: %2 changed, %3 added, %4 removed")
                                       .arg(diff->nodes.size())
                                       .arg(diff->count(DiffStatus::Changed))
                                       .arg(diff->count(DiffStatus::Added))
                                       .arg(diff->count(DiffStatus::Removed))));
    }

    void pdfHoldsTheTextOnPages()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("diff.pdf"));
        const test::ProcessRun r = runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        const qsizetype pages = bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") +
                                bytes.count("/Type /Page ");
        QVERIFY(pages > 1);
        if (!hasPdftotext())
            QSKIP("pdftotext (poppler-utils, scripts/install-deps) is needed to read the PDF's text");
        const QString text = pdfText(out);
        QCOMPARE(text.count(QLatin1Char('\f')), pages);
        const CompareSide a = sideOf(traceA());
        QVERIFY(text.contains(QString::fromStdString(toHex(a.data->traces[0].id))));
        QVERIFY(text.contains(QStringLiteral("Largest changes, by |Δ total|")));
        QVERIFY(text.contains(QStringLiteral("Change by service")));
        QVERIFY(text.contains(QStringLiteral("page %1 of %1").arg(pages)));
    }

    void tableTakesTheLargestChanges()
    {
        const CompareSide a = sideOf(traceA());
        const CompareSide b = sideOf(traceB());
        const auto diff = diffOf(a, b);
        Comparison comparison(a, b, diff);
        comparison.showNode(comparison.openingNode());
        const std::vector<std::uint32_t> changed = changes(*diff);
        CompareImageOptions options;
        options.tableRows = 3;
        const CompareImage few(comparison, options);
        QCOMPARE(few.tableNodes(), std::vector<std::uint32_t>(changed.begin(), changed.begin() + 3));
        QCOMPARE(few.nodesNotShown(), changed.size() - 3);
        options.tableRows = CompareImage::kMaxTableRows;
        const CompareImage all(comparison, options);
        QCOMPARE(all.tableNodes().size(), std::min<std::size_t>(changed.size(), CompareImage::kMaxTableRows));
        QVERIFY(all.singlePage().height > few.singlePage().height + 300 * 15);
        // A long table is split over pages no taller than a PDF page, the first with the header.
        const std::vector<DocumentPage> pages = pdfPages(all);
        QVERIFY(pages.size() >= 3);
        for (const DocumentPage& p : pages)
            QVERIFY(p.height <= pdfPageHeight(all.width()));
        if (const QByteArray dir = qgetenv("SPANWISE_SCREENSHOT_DIR"); !dir.isEmpty())
            QCOMPARE(writeImage(all, QString::fromUtf8(dir) + QStringLiteral("/compare-long.pdf"), ImageFormat::Pdf),
                     QString());
        // The waterfalls of the selected node, or none.
        QCOMPARE(all.waterfallNode(), comparison.openingNode());
        options.waterfalls = false;
        const CompareImage without(comparison, options);
        QCOMPARE(without.waterfallNode(), kNoIndex);
        QVERIFY(without.singlePage().height < all.singlePage().height - 2 * CompareImage::kWaterfallRows * 15);
    }

    void waterfallsShowTheSelectedNodeInBothTraces()
    {
        // A trace compared with itself: nothing changed, the selected node is marked in both.
        const CompareSide a = sideOf(traceA());
        const auto diff = diffOf(a, a);
        Comparison comparison(a, a, diff);
        const std::uint32_t node = diff->nodes.size() / 2;
        comparison.showNode(node);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("same.svg"));
        const CompareImage image(comparison, {});
        QCOMPARE(image.waterfallNode(), node);
        QVERIFY(image.tableNodes().empty());
        QCOMPARE(writeImage(image, out, ImageFormat::Svg), QString());
        const QStringList texts = svgTexts(out);
        QVERIFY(texts.contains(QStringLiteral("No node changed beyond the noise threshold")));
        QCOMPARE(texts.filter(QStringLiteral("%1 marked").arg(QString::fromStdString(diff->nodes[node].label))).size(),
                 2);
        QVERIFY(anyContains(texts, QStringLiteral("Duration ")));
    }

    void deepNodeIsShownAndItsPathCut()
    {
        // A chain deeper than the tree expands: the changed node at its bottom is the one drawn.
        const auto chain = [](int depth, int lastMicros) -> QByteArray {
            QByteArray spans;
            for (int i = 1; i <= depth; ++i) {
                spans += (i > 1 ? "," : "") + QByteArray("{\"traceID\":\"ab\",\"spanID\":\"") +
                         QByteArray::number(i, 16) + "\",\"operationName\":\"op" + QByteArray::number(i % 5) +
                         "\",\"startTime\":" + QByteArray::number(1000 + i) +
                         ",\"duration\":" + QByteArray::number(i == depth ? lastMicros : 10 * (depth - i) + 100) +
                         ",\"processID\":\"p\"" +
                         (i > 1 ? ",\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"ab\",\"spanID\":\"" +
                                      QByteArray::number(i - 1, 16) + "\"}]"
                                : QByteArray()) +
                         "}";
            }
            return "{\"data\":[{\"traceID\":\"ab\",\"spans\":[" + spans +
                   "],\"processes\":{\"p\":{\"serviceName\":\"deep\"}}}]}";
        };
        QTemporaryDir dir;
        const auto write = [&](const QString& name, const QByteArray& content) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::WriteOnly))
                qWarning() << "cannot write" << name;
            f.write(content);
            return dir.filePath(name);
        };
        const QString a = write(QStringLiteral("a.json"), chain(1500, 50));
        const QString b = write(QStringLiteral("b.json"), chain(1500, 9000));
        const QString out = dir.filePath(QStringLiteral("deep.svg"));
        const test::ProcessRun r = runSpanwise({QStringLiteral("diff"), a, b, QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList texts = svgTexts(out);
        QVERIFY(texts.contains(QStringLiteral("rows 1498 to 1500 of 1500")) ||
                anyContains(texts, QStringLiteral("rows 1498 to 1500 of 1500")));
        QCOMPARE(texts.filter(QStringLiteral("deep: op0 marked")).size(), 2); // span 1500: op0
        const QStringList cut = texts.filter(QStringLiteral("… › "));
        QCOMPARE(cut.size(), 1);
        QVERIFY(cut.front().startsWith(QStringLiteral("… › deep: op")) &&
                cut.front().endsWith(QStringLiteral("deep: op0")));
    }

    void badUsageExitsWith2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown format") << QStringList{QStringLiteral("-o"), QStringLiteral("x.jpg")}
                                        << ".png, .svg or .pdf";
        QTest::newRow("-o without value") << QStringList{QStringLiteral("-o")} << "-o needs a value";
        QTest::newRow("width text") << QStringList{QStringLiteral("-o"), QStringLiteral("x.png"),
                                                   QStringLiteral("--width"), QStringLiteral("wide")}
                                    << "--width takes";
        QTest::newRow("width large") << QStringList{QStringLiteral("-o"), QStringLiteral("x.png"),
                                                    QStringLiteral("--width=9000")}
                                     << "--width takes";
        QTest::newRow("scale 3") << QStringList{QStringLiteral("-o"), QStringLiteral("x.png"),
                                                QStringLiteral("--scale"), QStringLiteral("3")}
                                 << "--scale takes 1 or 2";
        QTest::newRow("scale for pdf") << QStringList{QStringLiteral("-o"), QStringLiteral("x.pdf"),
                                                      QStringLiteral("--scale"), QStringLiteral("2")}
                                       << "PNG only";
        QTest::newRow("theme") << QStringList{QStringLiteral("-o"), QStringLiteral("x.png"), QStringLiteral("--theme"),
                                              QStringLiteral("blue")}
                               << "light or dark";
        QTest::newRow("width without -o")
            << QStringList{QStringLiteral("--width"), QStringLiteral("1000")} << "give one with -o";
    }
    void badUsageExitsWith2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(QStringLiteral(SPANWISE_BINARY), QStringList{QStringLiteral("diff"), traceA(), traceB()} + args);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(message.toUtf8()), err.constData());
        QVERIFY(err.contains("usage: spanwise diff"));
        QVERIFY(p.readAllStandardOutput().isEmpty());
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    }

    void unwritableOutputExitsWith1()
    {
        const test::ProcessRun r = runSpanwise({QStringLiteral("diff"), traceA(), traceB(), QStringLiteral("-o"),
                                                QStringLiteral("/nonexistent-dir/d.png")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("cannot write"));
        QVERIFY(r.out.contains("STATUS")); // printed all the same
    }

    void menuExportsTheCompareTab()
    {
        QSettings().remove(QStringLiteral("export"));
        MainWindow window;
        window.resize(1300, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.compareFiles(traceA(), traceB());
        QTRY_VERIFY_WITH_TIMEOUT(window.currentComparePage() != nullptr, 20000);
        ComparePage* page = window.currentComparePage();
        QVERIFY(window.currentTracePage() == nullptr);

        // File menu: both actions enabled on a compare tab.
        QMenu* file = window.menuBar()->actions().value(0)->menu();
        QVERIFY(file);
        emit file->aboutToShow();
        int enabled = 0;
        for (const QAction* action : file->actions()) {
            if (action->text() == QStringLiteral("&Export Image…") || action->text() == QStringLiteral("Copy &Image"))
                enabled += action->isEnabled() ? 1 : 0;
        }
        QCOMPARE(enabled, 2);

        // The dialog offers what applies to a comparison.
        const std::unique_ptr<ExportDialog> dialog = window.exportDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->tableRowsBox() && dialog->waterfallsBox());
        QVERIFY(!dialog->allRowsBox() && !dialog->wholeTraceBox() && !dialog->breakdownBox());
        QVERIFY(dialog->waterfallsBox()->isChecked() && dialog->waterfallsBox()->isEnabled());
        dialog->tableRowsBox()->setValue(5);
        const std::size_t changed = changes(page->diff()).size();
        QVERIFY2(dialog->sizeLabel()->text().contains(QStringLiteral("5 of %1 changes").arg(changed)),
                 qPrintable(dialog->sizeLabel()->text()));
        dialog->formatBox()->setCurrentIndex(1);
        QCOMPARE(QFileInfo(dialog->suggestedFileName()).fileName(),
                 QStringLiteral("%1-vs-%2.svg")
                     .arg(QFileInfo(traceA()).completeBaseName(), QFileInfo(traceB()).completeBaseName()));
        saveScreenshot(dialog.get(), "compare-export-dialog");

        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("tab.svg"));
        QCOMPARE(window.exportCurrentTab(*dialog, svg), QString());
        const QStringList texts = svgTexts(svg);
        QVERIFY(texts.contains(QStringLiteral("%1 more changed, added or removed nodes not shown").arg(changed - 5)));
        const QString selected = QString::fromStdString(page->diff().nodes[page->shownNode()].label);
        QVERIFY(anyContains(texts, selected + QStringLiteral(" marked")) ||
                anyContains(texts, selected + QStringLiteral(" is not in")));

        dialog->waterfallsBox()->setChecked(false);
        const QString png = dir.filePath(QStringLiteral("tab.png"));
        QCOMPARE(window.exportCurrentTab(*dialog, png), QString());
        CompareImageOptions options = dialog->compareOptions();
        QVERIFY(!options.waterfalls);
        QCOMPARE(options.tableRows, 5);
        QCOMPARE(QImage(png).height(), CompareImage(page->comparison(), options).singlePage().height);
        QVERIFY(!window.exportCurrentTab(*dialog, dir.filePath(QStringLiteral("tab.jpg"))).isEmpty());

        // Copy Image: the comparison as wide as the page.
        QApplication::clipboard()->clear();
        QTest::keyClick(&window, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        const QImage copied = QApplication::clipboard()->image();
        QVERIFY(!copied.isNull());
        QCOMPARE(copied.width(),
                 std::max(page->width(), TraceImage::kMinWidth) * (window.devicePixelRatio() > 1 ? 2 : 1));
        QSettings().remove(QStringLiteral("export"));
    }

private:
    // SPANWISE_SCREENSHOT_DIR=dir saves what a test shows, to look at.
    static void saveScreenshot(QWidget* widget, const char* name)
    {
        const QByteArray dir = qgetenv("SPANWISE_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            widget->grab().save(QString::fromUtf8(dir) + QLatin1Char('/') + QLatin1String(name) +
                                QStringLiteral(".png"));
    }
};

QTEST_MAIN(TestCompareExport)
#include "tst_compare_export.moc"
