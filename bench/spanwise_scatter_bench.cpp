// Trace list benchmark: on a file of many traces, the time from the loaded file to the list page and
// its scatter plot painted, the scatter's rebuild of its dots' layer, its frames with the layer
// cached (plain and while hovering dots), the dot hit-test, a click on a dot selecting its row, and a
// filter and a brush applied.
// Baselines measured in the same run, each printed with the ratio to it: the load (for the page),
// every dot painted as an antialiased ellipse straight into an image the plot's size (for the
// layer's rebuild), and a frame of the plot showing no dot (for the frames). Offscreen, a 1600×1000
// page. Prints one JSON line (times in ms).
#include <loader.h>
#include <trace_list_page.h>
#include <trace_scatter.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QSortFilterProxyModel>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

namespace {

using namespace spanwise;

double timed(const std::function<void()>& work)
{
    QElapsedTimer t;
    t.start();
    work();
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Wall-clock and CPU times: on a shared machine the CPU time tells what the work itself costs.
struct Times {
    double median;
    double p99;
    double cpuMedian;
    double cpuP99;
};

Times repeated(int runs, const std::function<void()>& work)
{
    std::vector<double> times;
    std::vector<double> cpu;
    for (int i = 0; i < runs; ++i) {
        const double before = threadCpuMs();
        times.push_back(timed(work));
        cpu.push_back(threadCpuMs() - before);
    }
    return {percentile(times, 0.5), percentile(times, 0.99), percentile(cpu, 0.5), percentile(cpu, 0.99)};
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: spanwise_scatter_bench FILE\n");
        return 2;
    }
    LoadResult loaded;
    const double loadMs = timed([&] { loaded = loadFile(argv[1]); });
    if (loaded.dataset.traces.empty()) {
        std::fprintf(stderr, "%s\n", loaded.errorText().c_str());
        return 1;
    }
    auto data = std::make_shared<const Dataset>(std::move(loaded.dataset));
    const std::size_t traces = data->traces.size();

    TraceListPage* page = nullptr;
    const double readyMs = timed([&] {
        page = new TraceListPage(std::make_shared<const TraceSet>(TraceSet::ofDataset(data, argv[1])));
        page->resize(1600, 1000);
        page->show();
        page->grab();
    });
    QApplication::processEvents();
    TraceScatter* scatter = page->scatter();
    const QSize plotSize = scatter->size();
    // A frame: the scatter's paint event into an image the size of the widget.
    QImage image(plotSize, QImage::Format_ARGB32_Premultiplied);
    const auto paintFrame = [&] { scatter->render(&image); };

    // The dots' layer rebuilt (dots collected, axes laid out, every dot painted), then one frame.
    bool log = scatter->logScale();
    const Times rebuild = repeated(30, [&] {
        log = !log;
        scatter->setLogScale(log);
        scatter->prepare();
    });
    scatter->setLogScale(!log);
    const Times rebuildFrame = repeated(30, [&] {
        log = !log;
        scatter->setLogScale(log);
        paintFrame();
    });
    // Frames with the layer cached: what hovering and selecting cost.
    const Times frame = repeated(200, paintFrame);
    std::vector<QPointF> dotPositions;
    for (int row = 0; row < static_cast<int>(traces) && dotPositions.size() < 200;
         row += std::max<int>(1, static_cast<int>(traces) / 200)) {
        if (const auto p = scatter->dotPosition(row))
            dotPositions.push_back(*p);
    }
    std::size_t next = 0;
    const Times hover = repeated(static_cast<int>(dotPositions.size()), [&] {
        const QPointF p = dotPositions[next++];
        QMouseEvent move(QEvent::MouseMove, p, scatter->mapToGlobal(p), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(scatter, &move);
        paintFrame();
    });
    next = 0;
    const double hitUs = timed([&] {
                             for (int i = 0; i < 10000; ++i)
                                 scatter->rowAt(dotPositions[static_cast<std::size_t>(i) % dotPositions.size()] +
                                                QPointF(1, 1));
                         }) *
                         1000 / 10000;
    const QRectF plot = scatter->plotRect();
    const double brushMs = timed([&] {
        scatter->brushBetween(plot.topLeft() + QPointF(plot.width() * 0.3, plot.height() * 0.2),
                              plot.topLeft() + QPointF(plot.width() * 0.6, plot.height() * 0.8));
        QApplication::processEvents(); // the list's actions, updated once the rows settled
        paintFrame();
    });
    const int brushed = page->proxy()->rowCount();
    const double clearMs = timed([&] {
        scatter->clearBrush();
        QApplication::processEvents();
        paintFrame();
    });
    // A click on a dot: its row selected in the list (the list's actions follow), the plot repainted.
    next = 0;
    const Times click = repeated(static_cast<int>(std::min<std::size_t>(dotPositions.size(), 50)), [&] {
        const QPointF p = dotPositions[next++];
        for (const QEvent::Type type : {QEvent::MouseButtonPress, QEvent::MouseButtonRelease}) {
            QMouseEvent event(type, p, scatter->mapToGlobal(p), Qt::LeftButton,
                              type == QEvent::MouseButtonPress ? Qt::LeftButton : Qt::NoButton, Qt::NoModifier);
            QApplication::sendEvent(scatter, &event);
        }
        paintFrame();
    });
    // Baseline of the layer: each dot drawn as an ellipse, filled and stroked, with no layer to copy.
    std::vector<QPointF> allDots;
    for (int row = 0; row < static_cast<int>(traces); ++row) {
        if (const auto p = scatter->dotPosition(row))
            allDots.push_back(*p - plot.topLeft());
    }
    QImage naiveLayer(plot.size().toSize(), QImage::Format_ARGB32_Premultiplied);
    const Times naive = repeated(30, [&] {
        naiveLayer.fill(Qt::transparent);
        QPainter p(&naiveLayer);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(0x2a, 0x6c, 0xc8, 135));
        p.setPen(QPen(QColor(0x22, 0x5a, 0xa6, 230), 1));
        for (const QPointF& c : allDots)
            p.drawEllipse(c, 4.0, 4.0);
    });
    const double filterMs = timed([&] {
        page->proxy()->setFilterFixedString(QStringLiteral("checkout"));
        QApplication::processEvents();
        paintFrame();
    });
    const int filtered = page->proxy()->rowCount();
    // Baseline of the frames: the plot with its axes and no dot (the filter matches no trace).
    page->proxy()->setFilterFixedString(QStringLiteral("no trace has this text"));
    QApplication::processEvents();
    paintFrame();
    const Times empty = repeated(200, paintFrame);
    const auto times = [](const char* name, const Times& t) {
        std::printf("\"%s_median_ms\": %.2f, \"%s_p99_ms\": %.2f, \"%s_cpu_median_ms\": %.2f, "
                    "\"%s_cpu_p99_ms\": %.2f, ",
                    name, t.median, name, t.p99, name, t.cpuMedian, name, t.cpuP99);
    };
    std::printf("{\"traces\": %zu, \"plot\": \"%dx%d\", \"load_ms\": %.1f, \"page_ready_ms\": %.1f, ", traces,
                plotSize.width(), plotSize.height(), loadMs, readyMs);
    times("rebuild", rebuild);
    times("rebuild_frame", rebuildFrame);
    times("frame", frame);
    times("hover", hover);
    times("click", click);
    times("baseline_naive_layer", naive);
    times("baseline_empty_frame", empty);
    std::printf("\"hit_test_us\": %.2f, \"brush_ms\": %.1f, \"brushed_rows\": %d, \"clear_brush_ms\": %.1f, "
                "\"filter_ms\": %.1f, \"filtered_rows\": %d, ",
                hitUs, brushMs, brushed, clearMs, filterMs, filtered);
    // Ratios of CPU medians: on a shared machine they hold better than wall-clock times.
    std::printf("\"page_ready_vs_load\": %.3f, \"rebuild_vs_naive_layer\": %.2f, \"frame_vs_empty_frame\": %.2f, "
                "\"hover_vs_empty_frame\": %.2f}\n",
                readyMs / loadMs, rebuild.cpuMedian / naive.cpuMedian, frame.cpuMedian / empty.cpuMedian,
                hover.cpuMedian / empty.cpuMedian);
    delete page;
    return 0;
}
