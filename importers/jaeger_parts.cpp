#include "jaeger_parts.h"

#include "jaeger_reader.h"
#include "json_skeleton.h"
#include "part_reader.h"

#include <algorithm>

namespace spanwise::jaeger {

namespace {

using json::DocumentWithHoles;
using json::SkeletonNode;

// Scanning a trace list's first element for the key that tells a span from a trace gives up after
// this many bytes (its reading then tells).
constexpr std::size_t kKeyScanBytes = 64 * 1024;

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool blank(const Input& input, std::uint64_t begin, std::uint64_t end)
{
    for (std::uint64_t i = begin; i < end; ++i) {
        if (!isSpace(input.data[i]))
            return false;
    }
    return true;
}

// What separates array elements: blanks, a comma, blanks.
bool separator(const Input& input, std::uint64_t begin, std::uint64_t end)
{
    while (begin < end && isSpace(input.data[begin]))
        ++begin;
    return begin < end && input.data[begin] == ',' && blank(input, begin + 1, end);
}

// holdsSpan's answer for the object text starts with, judged from its text by the first key that tells;
// nullopt when the text does not say within kKeyScanBytes.
std::optional<bool> looksLikeSpan(std::string_view text)
{
    text = text.substr(0, kKeyScanBytes);
    std::size_t i = 1; // after '{'
    const auto skipSpace = [&] {
        while (i < text.size() && isSpace(text[i]))
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= text.size() || text[i] != '"')
            return std::nullopt;
        const std::size_t keyEnd = text.find_first_of("\"\\", i + 1);
        if (keyEnd == std::string_view::npos || text[keyEnd] != '"')
            return std::nullopt;
        const std::string_view key = text.substr(i + 1, keyEnd - i - 1);
        if (key == "spans" || key == "processes")
            return false;
        if (key == "spanID" || key == "operationName" || key == "startTime")
            return true;
        // Skip the value: to the comma or brace that ends it, outside strings and nested values.
        int depth = 0;
        bool inString = false;
        for (i = keyEnd + 1; i < text.size(); ++i) {
            const char c = text[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && depth-- == 0) {
                return false; // the object ends without a telling key
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        ++i;
    }
}

// Spans elements read by one part: elements [first, last) of an array, all of one trace object.
struct Part {
    const TraceJob* trace = nullptr; // null for a bare array of spans
    const SkeletonNode* array = nullptr;
    std::uint32_t first = 0, last = 0; // indices into the nodes
    bool endsArray = false;
    bool endsTrace = false;
};

class PartPlanner {
public:
    PartPlanner(const Input& input, const PartOptions& options) : m_input(input), m_options(options) {}

    // The parts of one array of spans (the elements its node is the parent of, which follow it).
    bool addArray(const std::vector<SkeletonNode>& nodes, std::uint32_t array, const TraceJob* trace)
    {
        const SkeletonNode& node = nodes[array];
        std::uint32_t first = array + 1;
        std::uint32_t end = first;
        while (end < nodes.size() && nodes[end].parent == array)
            ++end;
        if (first == end) // no object in it: scalars the reading in parts would not see
            return blank(m_input, node.begin + 1, node.end - 1);
        while (first < end) {
            std::uint32_t last = first + 1;
            while (last < end && nodes[last].end - nodes[first].begin < m_options.partBytes)
                ++last;
            m_parts.push_back({trace, &node, first, last, last == end, false});
            m_spans += last - first;
            m_ranges.push_back({nodes[first].begin, nodes[last - 1].end});
            first = last;
        }
        return true;
    }
    void endTrace()
    {
        if (!m_parts.empty())
            m_parts.back().endsTrace = true;
    }
    const std::vector<Part>& parts() const { return m_parts; }
    const std::vector<InputPart>& ranges() const { return m_ranges; }
    std::size_t spanCount() const { return m_spans; }

private:
    const Input& m_input;
    const PartOptions& m_options;
    std::vector<Part> m_parts;
    std::vector<InputPart> m_ranges;
    std::size_t m_spans = 0;
};

// Reads one part into its own builder and report; false on anything the whole reading would report.
bool readPart(const Input& input, const std::vector<SkeletonNode>& nodes, const Part& part, DatasetBuilder& builder,
              ImportReport& report)
{
    JaegerReader reader(builder, report);
    reader.setInput(input);
    reader.startPart(part.trace);
    try {
        od::parser processesParser; // the processes' ids stay in its string buffer for the whole part
        if (part.trace) {
            for (const std::uint64_t offset : part.trace->processObjects) {
                const auto node = std::lower_bound(nodes.begin(), nodes.end(), offset,
                                                   [](const SkeletonNode& n, std::uint64_t o) { return n.begin < o; });
                const json::EnclosingDepth depth(static_cast<std::int32_t>(node->depth));
                if (!reader.readPartProcesses(processesParser, node->begin, node->end))
                    return false;
            }
        }
        od::parser parser;
        std::uint64_t previousEnd = nodes[part.first].begin;
        const bool firstOfArray = part.first == static_cast<std::uint32_t>(part.array - nodes.data()) + 1;
        if (firstOfArray && !blank(input, part.array->begin + 1, previousEnd))
            return false;
        for (std::uint32_t i = part.first; i < part.last; ++i) {
            const SkeletonNode& element = nodes[i];
            if (i != part.first && !separator(input, previousEnd, element.begin))
                return false;
            if (i == part.first && !firstOfArray && !separator(input, nodes[i - 1].end, element.begin))
                return false;
            const json::EnclosingDepth depth(static_cast<std::int32_t>(element.depth));
            if (!reader.readPartSpan(parser, element.begin, element.end, part.trace == nullptr))
                return false;
            previousEnd = element.end;
        }
        if (part.endsArray && !blank(input, previousEnd, part.array->end - 1))
            return false;
        if (part.endsTrace && part.trace)
            reader.finishPartTrace(*part.trace);
    } catch (const simdjson::simdjson_error&) {
        return false;
    }
    return report.inputErrors == 0 && report.skippedSpans == 0 && !report.hasErrors();
}

// Reads the parts on input.threads threads into builder; false, leaving report as it was, when one
// fails. On one thread they go straight to the builder: appending would only cost time.
bool readParts(const Input& input, const std::vector<SkeletonNode>& nodes, const PartPlanner& planner,
               DatasetBuilder& builder, ImportReport& report)
{
    const std::vector<Part>& parts = planner.parts();
    ImportReport partsReport;
    partsReport.onProgress = report.onProgress;
    partsReport.onPartProgress = report.onPartProgress;
    if (input.threads <= 1) {
        for (const Part& part : parts) {
            if (!readPart(input, nodes, part, builder, partsReport))
                return false;
        }
    } else {
        // A failed part stops the parts not yet started; all that was read is dropped.
        std::atomic<bool> failed{false};
        readInParts(input, planner.ranges(), builder, partsReport,
                    [&](std::size_t part, DatasetBuilder& partBuilder, ImportReport& partReport) {
            if (!failed && !readPart(input, nodes, parts[part], partBuilder, partReport))
                failed = true;
        });
        if (failed)
            return false;
    }
    if (!partsReport.diagnostics.empty())
        return false;
    return true;
}

// The document's trace objects as the whole reading sees them, with their spans arrays emptied.
struct Plan {
    std::vector<SkeletonNode> nodes;
    SpanHoles holes;
    std::string variant;
    ImportReport headReport; // what reading the document without its spans reported (offsets in it)
    std::vector<std::pair<std::uint64_t, Diagnostic>> warnings; // at the file's offsets
};

// The depth of the spans of a document whose outermost value is root, or 0 when it is no shape the
// parts cut.
std::uint32_t spanDepth(const Input& input, const std::vector<SkeletonNode>& top)
{
    const SkeletonNode& root = top[0];
    if (!root.object) {
        if (top.size() < 2)
            return 0;
        const std::optional<bool> span = looksLikeSpan(top[1].text(input));
        return !span ? 0 : *span ? 1 : 3; // [span...] or [{"spans": [span...]}...]
    }
    for (std::size_t i = 1; i < top.size(); ++i) {
        if (top[i].key(input) == "data")
            return top[i].object ? 3 : 4; // {"data": {"spans": [...]}} or {"data": [{"spans": [...]}]}
    }
    return 2; // a bare trace object
}

bool planTraces(const Input& input, std::uint32_t spanDepth, Plan& plan)
{
    const SkeletonNode& root = plan.nodes[0];
    std::vector<const SkeletonNode*> holes;
    for (const SkeletonNode& node : plan.nodes) {
        if (!node.object && node.depth + 1 == spanDepth && node.member && node.key(input) == "spans")
            holes.push_back(&node);
    }
    const DocumentWithHoles head(input, root, holes);
    for (const SkeletonNode* hole : holes) {
        plan.holes.at.push_back(head.here(hole->begin));
        const auto index = static_cast<std::size_t>(hole - plan.nodes.data());
        std::uint64_t count = 0;
        while (index + count + 1 < plan.nodes.size() && plan.nodes[index + count + 1].parent == index)
            ++count;
        plan.holes.spanCount.push_back(count);
    }
    plan.holes.claims.assign(holes.size(), 0);

    DatasetBuilder headBuilder;
    JaegerReader reader(headBuilder, plan.headReport);
    reader.setSpanHoles(&plan.holes);
    if (reader.readText(head.input()) != simdjson::SUCCESS || plan.holes.unsupported || headBuilder.spanCount() != 0 ||
        plan.headReport.hasErrors() || plan.headReport.skippedSpans != 0 || plan.headReport.inputErrors != 0)
        return false;
    for (std::size_t h = 0; h < holes.size(); ++h) {
        if (plan.holes.spanCount[h] > 0 && plan.holes.claims[h] != 1)
            return false; // spans the reading would not have come upon, or read twice
    }
    for (TraceJob& trace : plan.holes.traces) {
        trace.offset = head.original(trace.offset);
        for (std::uint64_t& offset : trace.processObjects) {
            offset = head.original(offset);
            const auto node = std::lower_bound(plan.nodes.begin(), plan.nodes.end(), offset,
                                               [](const SkeletonNode& n, std::uint64_t o) { return n.begin < o; });
            if (node == plan.nodes.end() || node->begin != offset)
                return false;
        }
        for (std::uint32_t& hole : trace.holes)
            hole = static_cast<std::uint32_t>(holes[hole] - plan.nodes.data());
    }
    for (Diagnostic& d : plan.headReport.diagnostics)
        plan.warnings.emplace_back(head.original(d.offset), std::move(d));
    plan.variant = plan.headReport.variant;
    return true;
}

} // namespace

bool readSpansInParts(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options)
{
    if (input.size < options.minInputBytes)
        return false;
    const json::JsonSkeleton skeleton(input, input.threads, options.skeletonBlockBytes);
    std::optional<std::vector<SkeletonNode>> top = skeleton.containers(1);
    if (!top || !blank(input, 0, (*top)[0].begin) || !blank(input, (*top)[0].end, input.size))
        return false;
    const std::uint32_t depth = spanDepth(input, *top);
    if (depth == 0)
        return false;

    Plan plan;
    PartPlanner planner(input, options);
    if (depth == 1) { // a bare array of spans
        plan.nodes = std::move(*top);
        plan.variant = "span-array";
        if (!planner.addArray(plan.nodes, 0, nullptr))
            return false;
    } else {
        top.reset();
        std::optional<std::vector<SkeletonNode>> nodes = skeleton.containers(depth);
        if (!nodes)
            return false;
        plan.nodes = std::move(*nodes);
        if (!planTraces(input, depth, plan))
            return false;
        for (const TraceJob& trace : plan.holes.traces) {
            for (const std::uint32_t hole : trace.holes) {
                if (!planner.addArray(plan.nodes, hole, &trace))
                    return false;
            }
            planner.endTrace();
        }
    }

    // The parts go to a builder of their own, so a failed one leaves the caller's untouched.
    DatasetBuilder read;
    read.reserve(planner.spanCount());
    if (!readParts(input, plan.nodes, planner, read, report))
        return false;
    if (builder.empty())
        builder = std::move(read);
    else
        builder.append(read);
    report.variant = plan.variant;
    for (auto& [offset, d] : plan.warnings)
        report.warning(offset, std::move(d.message));
    return true;
}

} // namespace spanwise::jaeger
