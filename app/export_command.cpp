#include "export_command.h"

#include "command_line.h"
#include "image_arguments.h"
#include "trace_choice.h"

#include <annotation_store.h>
#include <image_writers.h>
#include <loader.h>
#include <trace_image.h>
#include <trace_view_state.h>

#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

namespace spanwise {

namespace {

const char* const kUsage =
    "usage: spanwise export FILE -o OUT.png|OUT.svg|OUT.pdf [--trace ID] [--width PX] [--scale 1|2]\n"
    "                       [--view waterfall|flame|graph|table] [--range START..END]\n"
    "                       [--expand-depth N] [--no-critical-path] [--flame-mode merged|icicle]\n"
    "                       [--flame-width total|self] [--graph-mode operations|services]\n"
    "                       [--theme light|dark] [--breakdown] [--annotations FILE]\n"
    "  -o, --output OUT   the image to write, its format chosen by its extension\n"
    "  --view VIEW        what to draw under the header and legend (default waterfall): the\n"
    "                     waterfall, the flame graph, the operation graph or the spans table\n"
    "                     (its first 1000 rows in the trace's order; the rest are counted)\n"
    "  --trace ID         the trace to export: its id, leading zeros optional, or a unique prefix of\n"
    "                     8 digits or more (default: the first of the file)\n"
    "  --width PX         image width in pixels, 640 to 4000 (default 1400)\n"
    "  --scale N          PNG pixels per image pixel, 1 or 2 (default 1)\n"
    "  --range START..END time window in ms from the trace start, e.g. 120..480 or 120.. (default: all);\n"
    "                     waterfall and icicle flame graph only\n"
    "  --expand-depth N   rows down to depth N expanded, deeper ones collapsed (default: all);\n"
    "                     waterfall only\n"
    "  --no-critical-path without the critical-path highlight; waterfall and graph only\n"
    "  --flame-mode MODE  merged call paths (default) or the time-ordered icicle\n"
    "  --flame-width W    what a merged frame's width stands for: total (default) or self time\n"
    "  --graph-mode MODE  nodes are operations (default) or services\n"
    "  --theme light|dark document theme (default light)\n"
    "  --breakdown        add the critical-path breakdown by service under the view\n"
    "  --annotations FILE the notes, ranges and highlights to draw (default: the trace's\n"
    "                     FILE.spanwise.json, when there is one)\n";

int usageError(const std::string& message)
{
    return cli::usageError("export", message, kUsage);
}

int failure(const std::string& message)
{
    return cli::failure("export", message);
}

// "START..END" in milliseconds, either end may be left out: nanoseconds from the trace start.
struct TimeWindow {
    std::optional<TimeNs> start;
    std::optional<TimeNs> end;
};

std::optional<TimeWindow> parseRange(const std::string& text)
{
    const std::size_t dots = text.find("..");
    if (dots == std::string::npos)
        return std::nullopt;
    auto millis = [](const std::string& part, std::optional<TimeNs>& out) {
        if (part.empty())
            return true;
        bool ok = false;
        const double ms = QString::fromStdString(part).toDouble(&ok); // C locale, whatever the user's
        if (!ok || !std::isfinite(ms) || std::abs(ms) > 1e12)
            return false;
        out = static_cast<TimeNs>(std::llround(ms * 1e6));
        return true;
    };
    TimeWindow range;
    if (!millis(text.substr(0, dots), range.start) || !millis(text.substr(dots + 2), range.end))
        return std::nullopt;
    if (range.start && range.end && *range.end <= *range.start)
        return std::nullopt;
    return range;
}

// The value of the option given, one of the choices (none given: out unchanged), or a problem naming them.
template <typename T>
std::optional<std::string> choose(const cli::Arguments& parsed, const char* option,
                                  std::initializer_list<std::pair<const char*, T>> choices, T& out)
{
    const std::optional<std::string> text = parsed.value(option);
    if (!text)
        return std::nullopt;
    std::string names;
    for (const auto& [name, value] : choices) {
        if (*text == name) {
            out = value;
            return std::nullopt;
        }
        names += names.empty() ? name : std::string("|") + name;
    }
    return std::string(option) + " takes " + names + ", not " + *text;
}

// --view and the options of each view; those of another view are usage errors.
std::optional<std::string> parseViewChoice(const cli::Arguments& parsed, ViewImageChoice& choice)
{
    using Flame = FlameGraphPainter;
    std::optional<std::string> problem = choose(parsed, "--view",
                                                {std::pair{"waterfall", ImageView::Waterfall},
                                                 {"flame", ImageView::FlameGraph},
                                                 {"graph", ImageView::Graph},
                                                 {"table", ImageView::Spans}},
                                                choice.view);
    if (!problem)
        problem = choose(parsed, "--flame-mode",
                         {std::pair{"merged", Flame::Mode::Merged}, {"icicle", Flame::Mode::Icicle}}, choice.flameMode);
    if (!problem)
        problem = choose(parsed, "--flame-width",
                         {std::pair{"total", Flame::Width::Total}, {"self", Flame::Width::Self}}, choice.flameWidth);
    if (!problem)
        problem = choose(parsed, "--graph-mode",
                         {std::pair{"operations", GraphMode::Operations}, {"services", GraphMode::Services}},
                         choice.graphMode);
    if (problem)
        return problem;
    const std::string view = parsed.value("--view").value_or("waterfall");
    auto onlyFor = [&](const char* option, bool applies, const char* where) -> std::optional<std::string> {
        if (applies || (!parsed.has(option) && !parsed.value(option)))
            return std::nullopt;
        return std::string(option) + " applies to " + where + ", not to --view " + view;
    };
    const bool waterfall = choice.view == ImageView::Waterfall;
    const bool flame = choice.view == ImageView::FlameGraph;
    const bool icicle = flame && choice.flameMode == Flame::Mode::Icicle;
    for (auto check :
         {onlyFor("--range", waterfall || icicle, "the waterfall and the icicle flame graph"),
          onlyFor("--expand-depth", waterfall, "the waterfall"),
          onlyFor("--no-critical-path", waterfall || choice.view == ImageView::Graph, "the waterfall and the graph"),
          onlyFor("--flame-mode", flame, "--view flame"),
          onlyFor("--flame-width", flame && !icicle, "--view flame --flame-mode merged"),
          onlyFor("--graph-mode", choice.view == ImageView::Graph, "--view graph")}) {
        if (check)
            return check;
    }
    return std::nullopt;
}

} // namespace

int runExportCommand(const std::vector<std::string>& args)
{
    std::vector<std::string> valueOptions = cli::imageValueOptions();
    valueOptions.insert(valueOptions.end(), {"--trace", "--range", "--expand-depth", "--annotations", "--view",
                                             "--flame-mode", "--flame-width", "--graph-mode"});
    const cli::Arguments parsed = cli::parseArguments(args, {"--no-critical-path", "--breakdown", "--help", "-h"},
                                                      valueOptions);
    if (parsed.has("--help") || parsed.has("-h")) {
        std::cout << kUsage;
        return cli::Success;
    }
    if (!parsed.unknown.empty())
        return usageError("unknown option " + parsed.unknown);
    if (!parsed.missingValue.empty())
        return usageError(parsed.missingValue + " needs a value");
    if (parsed.positional.size() != 1)
        return usageError(parsed.positional.empty() ? "no file given" : "one trace file at a time");
    if (!parsed.value("-o") && !parsed.value("--output"))
        return usageError("no output file given (-o OUT.png, OUT.svg or OUT.pdf)");
    std::string problem;
    const std::optional<cli::ImageArguments> image = cli::imageArguments(parsed, problem);
    if (!image)
        return usageError(problem);
    if (image->path.isEmpty())
        return usageError("no output file given (-o OUT.png, OUT.svg or OUT.pdf)");

    TraceImageOptions options;
    if (const std::optional<std::string> problem = parseViewChoice(parsed, options.view))
        return usageError(*problem);
    options.width = image->width.value_or(options.width);
    options.dark = image->dark;
    std::optional<TimeWindow> range;
    if (const auto text = parsed.value("--range")) {
        range = parseRange(*text);
        if (!range)
            return usageError("--range takes START..END in milliseconds from the trace start, END after START "
                              "(e.g. 120..480, 120.. or ..480), not " +
                              *text);
    }
    std::optional<int> expandDepth;
    if (const auto text = parsed.value("--expand-depth")) {
        expandDepth = cli::integerIn(*text, 0, 1 << 20);
        if (!expandDepth)
            return usageError("--expand-depth takes a depth from 0 (only the roots), not " + *text);
    }
    options.breakdown = parsed.has("--breakdown");

    const std::string& path = parsed.positional.front();
    LoadResult loaded = loadFile(path);
    const bool complete = loaded.complete();
    if (!complete)
        std::cerr << cli::terminalSafe(loaded.errorText(), true);
    if (loaded.dataset.traces.empty())
        return failure(path + ": no trace could be read");
    auto data = std::make_shared<const Dataset>(std::move(loaded.dataset));
    std::uint32_t traceIndex = 0;
    if (const auto id = parsed.value("--trace")) {
        std::string problem;
        const auto found = cli::findTrace(*data, *id, problem);
        if (!found)
            return failure(path + ": " + problem);
        traceIndex = *found;
    } else if (data->traces.size() > 1) {
        std::cerr << "spanwise export: " << path << " holds " << data->traces.size() << " traces; exporting the first, "
                  << toHex(data->traces.front().id) << " (choose another with --trace ID)\n";
    }

    TraceViewState state(data, traceIndex);
    state.setGroupRepeats(false); // a report from the command line shows every span, as it always has
    const Trace& trace = state.trace();
    if (range) {
        const TimeNs start = range->start.value_or(0);
        const TimeNs end = range->end.value_or(std::max(trace.duration(), start + 1));
        if (start >= trace.duration() || end <= 0)
            return failure("--range " + *parsed.value("--range") + " is outside the trace, which lasts " +
                           formatDuration(trace.duration()));
        state.setViewRange(trace.start + start, trace.start + end);
    }
    if (expandDepth)
        state.collapseBelowDepth(static_cast<std::uint32_t>(*expandDepth));
    state.setShowCriticalPath(!parsed.has("--no-critical-path"));
    options.fileName = QFileInfo(QString::fromStdString(path)).fileName();
    AnnotationStore annotations; // in memory: an export never writes annotation files
    const auto annotationFile = parsed.value("--annotations");
    const QString sidecar = AnnotationStore::sidecarPathFor(QString::fromStdString(path));
    if (annotationFile || QFileInfo::exists(sidecar)) {
        QString error;
        if (!annotations.merge(annotationFile ? QString::fromStdString(*annotationFile) : sidecar, &error)) {
            if (annotationFile)
                return failure(cli::terminalSafe(error.toStdString()));
            std::cerr << "spanwise export: " << cli::terminalSafe(error.toStdString())
                      << "; exporting without annotations\n";
        }
        options.annotations = &annotations;
    }

    const TraceImage traceImage(&state, options);
    if (const QString error = writeImage(traceImage, image->path, image->format, image->scale); !error.isEmpty())
        return failure(error.toStdString());
    std::cout << image->path.toStdString() << ": ";
    if (options.view.view == ImageView::Waterfall)
        std::cout << traceImage.rowCount() << (traceImage.rowCount() == 1 ? " row, " : " rows, ");
    else
        std::cout << imageViewName(options.view.view).toStdString() << ", ";
    std::cout << cli::imageSizeText(traceImage, image->format, image->scale) << '\n';
    if (!complete) {
        std::cerr << "spanwise export: " << path << " was not read completely; the image shows what could be read\n";
        return cli::LoadFailed;
    }
    return cli::Success;
}

} // namespace spanwise
