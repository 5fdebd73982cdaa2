// Spans table benchmark: loads one trace file and measures the table model on its first trace:
// ready (self times, critical times, rows), sort by every column both ways, the filter for each
// kind of query term, and adding an attribute column sorted. Baselines from the same run: a
// std::sort of the spans' durations (the floor of any sort) and the plain-word search the find
// bar always had. Then the widget as a user meets it (offscreen): shown and painted, a header
// click, a filter typed and Enter pressed, a selection made elsewhere scrolled to. Prints one JSON line.
#include <loader.h>
#include <span_search.h>
#include <span_table_model.h>
#include <span_table_view.h>
#include <trace_view_state.h>

#include <QApplication>
#include <QLineEdit>
#include <QTableView>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

template <typename F>
double millis(F&& work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    using namespace spanwise;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: spanwise_table_bench FILE\n");
        return 2;
    }
    LoadResult loaded = loadFile(argv[1]);
    if (loaded.dataset.traces.empty()) {
        std::fprintf(stderr, "spanwise_table_bench: no trace in %s\n", argv[1]);
        return 1;
    }
    auto data = std::make_shared<const Dataset>(std::move(loaded.dataset));
    TraceViewState state(data, 0);
    const Trace& trace = state.trace();

    std::vector<TimeNs> durations;
    const double baselineSort = millis([&] {
        durations.reserve(trace.count);
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i)
            durations.push_back(data->spans[i].duration());
        std::sort(durations.begin(), durations.end());
    });

    std::unique_ptr<SpanTableModel> model;
    const double ready = millis([&] { model = std::make_unique<SpanTableModel>(&state); });

    std::string out = "{\"spans\": " + std::to_string(trace.count) + ", \"model_ready_ms\": " + std::to_string(ready) +
                      ", \"baseline_std_sort_durations_ms\": " + std::to_string(baselineSort);
    double worstSort = 0;
    for (int column = 0; column < SpanTableModel::FirstAttribute; ++column) {
        const std::string name = model->headerData(column, Qt::Horizontal).toString().toStdString();
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            const double ms = millis([&] { model->sort(column, order); });
            worstSort = std::max(worstSort, ms);
            out += ", \"sort " + name + (order == Qt::AscendingOrder ? " asc" : " desc") +
                   "_ms\": " + std::to_string(ms);
        }
    }
    const std::vector<StringId> keys = model->attributeKeys();
    if (!keys.empty()) {
        model->addAttributeColumn(keys.front());
        const double ms = millis([&] { model->sort(SpanTableModel::FirstAttribute, Qt::AscendingOrder); });
        worstSort = std::max(worstSort, ms);
        out += ", \"sort attribute " + std::string(data->str(keys.front())) + "_ms\": " + std::to_string(ms);
    }
    out += ", \"worst_sort_ms\": " + std::to_string(worstSort);
    model->sort(SpanTableModel::Duration, Qt::DescendingOrder);

    const double baselineSearch = millis([&] { (void)searchSpans(*data, trace, parseSpanQuery("checkout").query); });
    out += ", \"baseline_word_search_ms\": " + std::to_string(baselineSearch);
    for (const char* query : {"checkout", "/^(GET|POST) .*cart/", "http.method=GET", "http.status_code>=200",
                              "service=*cart* duration>1ms", "status=error", ""}) {
        std::size_t rows = 0;
        const double ms = millis([&] {
            model->setFilter(parseSpanQuery(query).query);
            rows = static_cast<std::size_t>(model->rowCount());
        });
        out += ", \"filter '" + std::string(query) + "' (sorted)_ms\": " + std::to_string(ms) + ", \"filter '" +
               std::string(query) + "' rows\": " + std::to_string(rows);
    }
    model.reset();

    // The widget, each step until painted.
    std::unique_ptr<SpanTableView> view;
    const double viewReady = millis([&] {
        view = std::make_unique<SpanTableView>(&state);
        view->resize(1600, 1000);
        view->show();
        view->table()->viewport()->repaint();
    });
    const double headerSort = millis([&] {
        view->table()->sortByColumn(SpanTableModel::SelfTime, Qt::DescendingOrder);
        view->table()->viewport()->repaint();
    });
    const double typedFilter = millis([&] {
        view->filterField()->setText(QStringLiteral("service=*cart*"));
        emit view->filterField()->returnPressed();
        view->table()->viewport()->repaint();
    });
    view->filterField()->clear();
    emit view->filterField()->returnPressed();
    const double followSelection = millis([&] {
        state.select(trace.first + trace.count / 2);
        view->table()->viewport()->repaint();
    });
    out += ", \"view_ready_ms\": " + std::to_string(viewReady) +
           ", \"view_header_sort_ms\": " + std::to_string(headerSort) +
           ", \"view_filter_ms\": " + std::to_string(typedFilter) +
           ", \"view_follow_selection_ms\": " + std::to_string(followSelection);
    std::printf("%s}\n", out.c_str());
    return 0;
}
