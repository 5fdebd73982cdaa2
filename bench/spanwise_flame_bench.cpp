// Flame graph benchmark: loads one trace file, then measures what the flame graph costs on its
// largest trace, next to the load time of the same run as a baseline. Prints one JSON line:
//
//   load_ms           loadFile: the baseline
//   tree_ms           buildCallTree over the whole trace (critical times included)
//   folded_ms         FoldedStacks of that tree written to /dev/null (what `spanwise folded` adds)
//   view_ready_ms     FlameGraphView built (its merged tree) and its first frame painted, offscreen
//   paint_median_ms, paint_p99_ms
//                     repaints while zooming into the heaviest frames and back, scrolling, switching
//                     to self time, and in the time-ordered icicle while zooming and panning
//   icicle_ready_ms   the switch to the icicle and its first frame
//   sandwich_ms       the sandwich of the root's heaviest child operation, built and painted
#include <critical_path.h>
#include <flame_graph_view.h>
#include <folded_stacks.h>
#include <loader.h>
#include <trace_view_state.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QWheelEvent>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

double millis(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// CPU time of the process, or of this thread (Qt's offscreen platform runs none of the painting
// elsewhere): on a busy machine much lower than the wall-clock time.
double cpuMillis(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID)
{
    timespec time{};
    clock_gettime(clock, &time);
    return static_cast<double>(time.tv_sec) * 1e3 + static_cast<double>(time.tv_nsec) * 1e-6;
}

double threadCpuMillis()
{
    return cpuMillis(CLOCK_THREAD_CPUTIME_ID);
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

} // namespace

int main(int argc, char** argv)
{
    using namespace spanwise;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: spanwise_flame_bench FILE\n");
        return 2;
    }
    QElapsedTimer t;
    t.start();
    double cpu = cpuMillis();
    LoadResult loaded = loadFile(argv[1]);
    const double loadMs = millis(t);
    const double loadCpuMs = cpuMillis() - cpu;
    if (loaded.dataset.traces.empty()) {
        std::fprintf(stderr, "spanwise_flame_bench: no trace in %s\n", argv[1]);
        return 1;
    }
    auto data = std::make_shared<const Dataset>(std::move(loaded.dataset));
    const auto largest = std::max_element(data->traces.begin(), data->traces.end(),
                                          [](const Trace& a, const Trace& b) { return a.count < b.count; });
    const auto traceIndex = static_cast<std::uint32_t>(largest - data->traces.begin());
    const Trace& trace = *largest;

    const std::vector<TimeNs> critical = criticalTimePerSpan(trace, criticalPath(*data, trace));
    t.restart();
    cpu = cpuMillis();
    const CallTree tree = buildCallTree(*data, trace, trace.first, trace.end_index(), critical);
    const double treeMs = millis(t);
    const double treeCpuMs = cpuMillis() - cpu;
    t.restart();
    std::FILE* sink = std::fopen("/dev/null", "w");
    FoldedStacks stacks;
    stacks.add(tree, FoldedWeight::Self);
    stacks.write(sink);
    std::fclose(sink);
    const double foldedMs = millis(t);

    TraceViewState state(data, traceIndex);
    t.restart();
    cpu = cpuMillis();
    FlameGraphView view(&state);
    view.resize(1600, 1000);
    view.show();
    QWidget* canvas = view.canvas();
    while (!canvas->isVisible() || !view.windowHandle() || !view.windowHandle()->isExposed())
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    canvas->repaint();
    const double readyMs = millis(t);
    const double readyCpuMs = cpuMillis() - cpu;

    // Wall-clock and CPU time of each repaint, merged graph and icicle apart.
    std::vector<double> mergedFrames, mergedCpu, icicleFrames, icicleCpu;
    std::vector<double>* frames = &mergedFrames;
    std::vector<double>* framesCpu = &mergedCpu;
    auto paint = [&] {
        QElapsedTimer p;
        p.start();
        const double cpuStart = threadCpuMillis();
        canvas->repaint();
        framesCpu->push_back(threadCpuMillis() - cpuStart);
        frames->push_back(millis(p));
    };
    // Zoom into the heaviest frame at each level down, then back out, scrolling on the way.
    std::uint32_t node = 0;
    for (int level = 0; level < 12 && node + 1 < tree.nodes.size(); ++level) {
        view.zoomInto(node);
        paint();
        if (view.painter().tree().nodes[node].subtreeEnd == node + 1)
            break;
        node = node + 1; // the first child: the heaviest, left-heavy
    }
    for (int level = 0; level < 12; ++level) {
        view.zoomOut();
        paint();
    }
    view.zoomInto(kNoIndex);
    for (int step = 0; step < 20; ++step) {
        QWheelEvent wheel(QPointF(400, 300), canvas->mapToGlobal(QPointF(400, 300)), {},
                          QPoint(0, step < 10 ? -120 : 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas, &wheel);
        paint();
    }
    view.setWidthMetric(FlameGraphPainter::Width::Self);
    for (int i = 0; i < 10; ++i)
        paint();
    view.setWidthMetric(FlameGraphPainter::Width::Total);

    frames = &icicleFrames;
    framesCpu = &icicleCpu;
    t.restart();
    view.setMode(FlameGraphPainter::Mode::Icicle);
    canvas->repaint();
    const double icicleMs = millis(t);
    for (int place = 0; place < 10; ++place) {
        state.resetView();
        const TimeNs anchor = trace.start + trace.duration() * place / 10;
        for (int step = 0; step < 12; ++step) {
            state.zoom(1.6, anchor);
            paint();
        }
        for (int step = 0; step < 6; ++step) {
            state.pan((state.viewEnd() - state.viewStart()) / 5);
            paint();
        }
    }
    state.resetView();
    paint();

    t.restart();
    view.setMode(FlameGraphPainter::Mode::Sandwich);
    state.select(tree.nodes.size() > 1 ? tree.nodes[1].longestSpan : trace.first);
    canvas->repaint();
    const double sandwichMs = millis(t);

    std::printf("{\"spans\": %u, \"nodes\": %zu, \"load_ms\": %.1f, \"load_cpu_ms\": %.1f, \"tree_ms\": %.1f, "
                "\"tree_cpu_ms\": %.1f, \"tree_vs_load\": %.3f, \"folded_ms\": %.1f, \"view_ready_ms\": %.1f, "
                "\"view_ready_cpu_ms\": %.1f, \"view_ready_vs_load\": %.3f, \"merged_paints\": %zu, "
                "\"merged_paint_median_ms\": %.2f, \"merged_paint_p99_ms\": %.2f, \"merged_paint_p99_cpu_ms\": %.2f, "
                "\"icicle_paints\": %zu, \"icicle_paint_median_ms\": %.2f, \"icicle_paint_p99_ms\": %.2f, "
                "\"icicle_paint_p99_cpu_ms\": %.2f, \"icicle_ready_ms\": %.1f, \"sandwich_ms\": %.1f}\n",
                trace.count, tree.nodes.size(), loadMs, loadCpuMs, treeMs, treeCpuMs, treeMs / loadMs, foldedMs,
                readyMs, readyCpuMs, readyMs / loadMs, mergedFrames.size(), percentile(mergedFrames, 0.5),
                percentile(mergedFrames, 0.99), percentile(mergedCpu, 0.99), icicleFrames.size(),
                percentile(icicleFrames, 0.5), percentile(icicleFrames, 0.99), percentile(icicleCpu, 0.99), icicleMs,
                sandwichMs);
    return 0;
}
