// GUI benchmark: opens one trace file in the real window (offscreen platform) and measures what
// a user feels: time to the first painted frame, paint times while zooming and panning across
// the trace, collapse / expand of the whole tree, rows rebuilt with and without grouped repeats,
// hiding short spans, search, and peak RSS. Prints one JSON line. With --no-groups the waterfall
// shows every repeated call as its own row throughout (as before grouped repeats).
#include "peak_rss.h"

#include <main_window.h>
#include <span_search.h>
#include <trace_page.h>
#include <trace_view_state.h>
#include <waterfall_view.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double millis(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

void measure(spanwise::TracePage* page, double firstFrameMs, bool groups)
{
    using namespace spanwise;
    TraceViewState* state = page->state();
    state->setGroupRepeats(groups);
    QWidget* viewport = page->waterfall()->viewport();
    auto paint = [&] {
        QElapsedTimer t;
        t.start();
        viewport->repaint();
        return millis(t);
    };
    // Zoom in on ten places across the trace, then pan along it, scrolling rows as a user does.
    std::vector<double> frames;
    const Trace& trace = state->trace();
    for (int place = 0; place < 10; ++place) {
        state->resetView();
        const TimeNs anchor = trace.start + trace.duration() * place / 10;
        for (int step = 0; step < 12; ++step) {
            state->zoom(1.6, anchor);
            frames.push_back(paint());
        }
        for (int step = 0; step < 12; ++step) {
            state->pan((state->viewEnd() - state->viewStart()) / 5);
            page->waterfall()->scrollToSpan(state->rows()[state->rows().size() * (place * 12 + step) / 121]);
            frames.push_back(paint());
        }
    }
    // Collapsing and expanding the root: the largest subtree there is.
    const std::uint32_t root = trace.first;
    QElapsedTimer t;
    t.start();
    state->setCollapsed(root, true);
    viewport->repaint();
    const double collapseMs = millis(t);
    t.restart();
    state->setCollapsed(root, false);
    viewport->repaint();
    const double expandMs = millis(t);
    t.restart();
    state->collapseBelowDepth(1);
    const double collapseLevelMs = millis(t);
    state->expandAll();
    // Rows rebuilt (everything expanded) without and with grouped repeats, the groups found again
    // (with a rebuild), short spans hidden and shown again.
    t.restart();
    state->setGroupRepeats(!groups);
    const double toggleGroupsMs = millis(t);
    state->setGroupRepeats(groups);
    t.restart();
    state->setRepeatThreshold(6);
    const double findGroupsMs = millis(t);
    state->setRepeatThreshold(5);
    t.restart();
    state->setMinimumDuration(100'000);
    const double hideShortMs = millis(t);
    const std::size_t rowsShownLong = state->rows().size();
    state->showHiddenSpans();
    // What opening the trace spends beyond loading it: its view state (services, failures below,
    // critical path, repeat groups, rows).
    t.restart();
    const std::shared_ptr<const Dataset> unowned(std::shared_ptr<void>(), &state->data()); // the page owns it
    delete new TraceViewState(unowned, state->traceIndex());
    const double viewStateMs = millis(t);
    t.restart();
    const std::size_t matches = searchSpans(state->data(), trace, parseSpanQuery("checkout").query).size();
    const double searchMs = millis(t);
    std::printf(
        "{\"spans\": %u, \"first_frame_ms\": %.1f, \"frames\": %zu, \"paint_median_ms\": %.2f, "
        "\"paint_p99_ms\": %.2f, \"collapse_root_ms\": %.2f, \"expand_root_ms\": %.2f, "
        "\"collapse_level_ms\": %.2f, \"groups\": %s, \"repeat_groups\": %zu, \"rows\": %zu, "
        "\"toggle_groups_ms\": %.2f, \"find_groups_ms\": %.2f, \"hide_short_ms\": %.2f, "
        "\"rows_without_short\": %zu, \"view_state_ms\": %.2f, \"search_ms\": %.2f, \"search_matches\": %zu, \"peak_rss_kb\": %llu}\n",
        trace.count, firstFrameMs, frames.size(), percentile(frames, 0.5), percentile(frames, 0.99), collapseMs,
        expandMs, collapseLevelMs, groups ? "true" : "false", state->repeatGroups().size(), state->rows().size(),
        toggleGroupsMs, findGroupsMs, hideShortMs, rowsShownLong, viewStateMs, searchMs, matches,
        static_cast<unsigned long long>(peakRssBytes() / 1024));
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool groups = !(argc == 3 && qstrcmp(argv[1], "--no-groups") == 0);
    if (argc != (groups ? 2 : 3)) {
        std::fprintf(stderr, "usage: spanwise_gui_bench [--no-groups] FILE\n");
        return 2;
    }
    spanwise::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QElapsedTimer sinceOpen;
    sinceOpen.start();
    window.openFile(QString::fromLocal8Bit(argv[argc - 1]));
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        spanwise::TracePage* page = window.currentTracePage();
        if (!page)
            return;
        poll.stop();
        page->waterfall()->viewport()->repaint(); // the first frame of the trace
        measure(page, millis(sinceOpen), groups);
        app.quit();
    });
    poll.start(1);
    return QApplication::exec();
}
