// What the waterfall paints in colour: service colours that stay on their bars whatever is
// selected or highlighted, red kept for failures, the legend in the bars' colours.

#include "dark_palette.h"
#include "document_text.h"
#include "test_support.h"

#include <annotation_store.h>
#include <dataset_builder.h>
#include <image_writers.h>
#include <service_legend.h>
#include <service_palette.h>
#include <theme.h>
#include <trace_image.h>
#include <trace_page.h>
#include <waterfall_view.h>

#include <QtTest>

#include <set>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

// Colours found strictly inside a bar, away from its outline.
std::set<QRgb> coloursInside(const QImage& image, QRect bar)
{
    std::set<QRgb> found;
    bar = bar.adjusted(3, 3, -3, -3);
    for (int y = bar.top(); y <= bar.bottom(); ++y) {
        for (int x = bar.left(); x <= bar.right(); ++x)
            found.insert(image.pixelColor(x, y).rgb());
    }
    return found;
}

double hueDistance(const QColor& a, const QColor& b)
{
    const int d = std::abs(a.hslHue() - b.hslHue());
    return std::min(d, 360 - d);
}

} // namespace

class TestWaterfallColours : public QObject {
    Q_OBJECT
private slots:
    void selectedAndHighlightedBarsKeepTheirColour_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    // A failed span's marker painted on an earlier row once left its red brush in the painter,
    // and the selection and highlight frames drawn later filled the bar with it.
    void selectedAndHighlightedBarsKeepTheirColour()
    {
        QFETCH(bool, dark);
        auto annotations = std::make_shared<AnnotationStore>();
        TracePage page(test::smallTrace(true), 0, nullptr, annotations);
        if (dark)
            page.setPalette(test::darkPalette());
        page.resize(1200, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        TraceViewState* state = page.state();
        state->setShowCriticalPath(false);
        const std::uint32_t payment = 3; // after the failed db span (index 2) in row order
        QCOMPARE(state->data().spans[2].status, StatusCode::Error);
        const QRgb yellow = AnnotationStore::highlightColors().front().second;
        annotations->setHighlight(state->trace().id, state->data().spans[payment].id, yellow);
        state->select(payment);
        WaterfallView* view = page.waterfall();
        const QImage image = view->viewport()->grab().toImage();
        const QColor service = state->serviceColors().color("payment", dark);
        QCOMPARE(coloursInside(image, view->barRect(payment)), std::set<QRgb>{service.rgb()});
        // The error is shown on its own bar: framed in red, the service's colour inside.
        const QRect failed = view->barRect(2);
        QCOMPARE(image.pixelColor(failed.left() + 1, failed.center().y()).rgb(), theme::error(dark).rgb());
        QCOMPARE(coloursInside(image, failed), std::set<QRgb>{state->serviceColors().color("db", dark).rgb()});
        // And nothing that did not fail is red anywhere on the bars.
        for (const std::uint32_t span : {0u, 1u, 3u})
            QVERIFY(!coloursInside(image, view->barRect(span)).contains(theme::error(dark).rgb()));
        // Nor in the tree: the ancestors of the failed span are marked, but not in the error red.
        for (const std::uint32_t span : {0u, 1u}) {
            const int top = view->barRect(span).top() - 4;
            const QRect nameCell(0, top, view->nameColumnWidth() - 1, view->rowHeight());
            QVERIFY(!coloursInside(image, nameCell.adjusted(-3, -3, 3, 3)).contains(theme::error(dark).rgb()));
        }
    }

    void exportedHighlightAndSelectionAreNeverRed_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    // Among the bars, only the failed span's has the error red in the picture, whatever is
    // highlighted after it; and the highlight rings are in their own colour.
    void exportedHighlightAndSelectionAreNeverRed()
    {
        QFETCH(bool, dark);
        TraceViewState state(test::smallTrace(true), 0);
        AnnotationStore annotations;
        const QRgb yellow = AnnotationStore::highlightColors().front().second;
        for (const std::uint32_t span : {1u, 3u})
            annotations.setHighlight(state.trace().id, state.data().spans[span].id, yellow);
        state.select(3);
        TraceImageOptions options;
        options.dark = dark;
        options.annotations = &annotations;
        const TraceImage image(&state, options);
        const QImage pixels = renderImage(image, 1);
        const QRect area = image.waterfallArea(image.wholePage());
        const int rowHeight = image.waterfall().rowHeight();
        const int failedTop = area.top() + image.waterfall().rulerHeight() + state.rowOf(2) * rowHeight;
        const int lanesLeft = area.left() + image.waterfall().nameColumnWidth() + 1;
        int highlighted = 0, red = 0;
        for (int y = area.top(); y <= area.bottom(); ++y) {
            const bool failedRow = y >= failedTop && y < failedTop + rowHeight;
            for (int x = lanesLeft; x <= area.right(); ++x) {
                const QRgb pixel = pixels.pixel(x, y) | 0xff000000u;
                if (pixel == theme::error(dark).rgb()) {
                    QVERIFY2(failedRow, qPrintable(QStringLiteral("red at %1,%2").arg(x).arg(y)));
                    ++red;
                }
                highlighted += pixel == (yellow | 0xff000000u);
            }
        }
        QVERIFY(red > 20);          // the failed span's frame
        QVERIFY(highlighted > 100); // two rings
    }

    // A span the file gives no time for is drawn where it is placed (its parent's start) as a
    // hollow diamond, never as a filled bar, and says why.
    void untimedSpanIsOutlinedAndSaysSo()
    {
        DatasetBuilder b;
        SpanRecord r;
        r.traceId = {0, 9};
        r.id = 1;
        r.start = 1'000'000;
        r.end = 2'000'000;
        r.service = b.intern("frontend");
        r.name = b.intern("GET /");
        b.addSpan(r);
        r.id = 2;
        r.parentId = 1;
        r.start = r.end = 0;
        r.service = b.intern("cache");
        r.name = b.intern("lookup");
        r.marks = MarkNoTiming;
        b.addSpan(r);
        TraceViewState state(std::make_shared<const Dataset>(b.finish()), 0);
        state.setShowCriticalPath(false);
        QCOMPARE(state.data().spans[1].start, state.data().spans[0].start);
        QVERIFY(state.data().spans[1].has(MarkNoTiming));
        const TraceImage image(&state, {});
        const QImage pixels = renderImage(image, 1);
        const QRect area = image.waterfallArea(image.wholePage());
        const QPoint centre(area.left() + image.waterfall().nameColumnWidth() + 2,
                            area.top() + image.waterfall().rulerHeight() + image.waterfall().rowHeight() * 3 / 2);
        QVERIFY(pixels.pixelColor(centre).rgb() != state.serviceColors().color("cache", false).rgb()); // hollow
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("untimed.svg"));
        QVERIFY(writeImage(image, svg, ImageFormat::Svg).isEmpty());
        QVERIFY(test::svgTexts(svg).contains(QStringLiteral("no timing in the file")));
    }

    void paletteHasTwentyFourDistinctColoursWithoutRed()
    {
        std::set<QRgb> light, dark;
        for (int slot = 0; slot < ServiceColors::kPaletteSize; ++slot) {
            const QColor l = ServiceColors::paletteColor(slot, false);
            const QColor d = ServiceColors::paletteColor(slot, true);
            light.insert(l.rgb());
            dark.insert(d.rgb());
            for (const QColor& c : {l, d}) { // red means an error: no service looks like one
                const bool reddish = c.hslSaturation() > 60 && hueDistance(c, theme::error(false)) < 20;
                QVERIFY2(!reddish, qPrintable(c.name()));
            }
        }
        QCOMPARE(int(light.size()), ServiceColors::kPaletteSize);
        QCOMPARE(int(dark.size()), ServiceColors::kPaletteSize);
        QVERIFY(ServiceColors::kPaletteSize >= 24);
    }

    void servicesOfATraceGetDistinctColoursStablePerName()
    {
        std::vector<std::string> names;
        for (int i = 0; i < ServiceColors::kPaletteSize; ++i)
            names.push_back("service-" + std::to_string(i));
        const std::vector<std::string_view> views(names.begin(), names.end());
        const ServiceColors colors(views);
        std::set<QRgb> seen;
        for (std::string_view name : views)
            seen.insert(colors.color(name, false).rgb());
        QCOMPARE(int(seen.size()), ServiceColors::kPaletteSize); // no repeat before all are used
        // The same names in another order, in another trace: the same colours.
        std::vector<std::string_view> reversed(views.rbegin(), views.rend());
        const ServiceColors again(reversed);
        for (std::string_view name : views)
            QCOMPARE(again.color(name, true).rgb(), colors.color(name, true).rgb());
        // A service alone keeps the colour its name points at.
        const ServiceColors alone(std::vector<std::string_view>{"checkout"});
        QCOMPARE(alone.color("checkout", false).rgb(), ServiceColors().color("checkout", false).rgb());
    }

    // A trace of a few services gets colours that are plainly different, not three greens.
    void fewServicesGetPlainlyDifferentColours_data()
    {
        QTest::addColumn<QStringList>("services");
        QTest::newRow("example") << QStringList{u"api-gateway"_s,       u"cart-service"_s,        u"checkout-service"_s,
                                                u"inventory-service"_s, u"notification-worker"_s, u"payment-service"_s,
                                                u"pricing-service"_s,   u"web-frontend"_s};
        QTest::newRow("hotrod") << QStringList{u"frontend"_s, u"customer"_s, u"driver"_s,
                                               u"route"_s,    u"mysql"_s,    u"redis"_s};
        QTest::newRow("numbered") << QStringList{u"svc-1"_s, u"svc-2"_s, u"svc-3"_s, u"svc-4"_s,
                                                 u"svc-5"_s, u"svc-6"_s, u"svc-7"_s, u"svc-8"_s};
    }
    void fewServicesGetPlainlyDifferentColours()
    {
        QFETCH(QStringList, services);
        std::vector<std::string> names;
        for (const QString& s : services)
            names.push_back(s.toStdString());
        const ServiceColors colors(std::vector<std::string_view>(names.begin(), names.end()));
        for (std::size_t i = 0; i < names.size(); ++i) {
            for (std::size_t j = i + 1; j < names.size(); ++j) {
                const double d = ServiceColors::difference(colors.slotOf(names[i]), colors.slotOf(names[j]));
                QVERIFY2(d >= 0.13,
                         qPrintable(QStringLiteral("%1 and %2: %3").arg(services[int(i)], services[int(j)]).arg(d)));
            }
        }
    }

    void legendMatchesTheBarsInEitherTheme()
    {
        TracePage page(test::smallTrace(), 0);
        page.setPalette(test::darkPalette());
        page.resize(1000, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* legend = page.findChild<ServiceLegend*>();
        QVERIFY(legend);
        for (const Swatch& swatch : legend->swatches()) {
            const QColor bar = page.state()->serviceColors().color(swatch.text.toStdString(), true);
            QCOMPARE(swatch.color.rgb(), bar.rgb());
        }
        QCOMPARE(int(legend->swatches().size()), 4);
    }
};

QTEST_MAIN(TestWaterfallColours)
#include "tst_waterfall_colours.moc"
