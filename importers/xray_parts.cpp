#include "xray_parts.h"

#include "json_root_array.h"
#include "json_skeleton.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace spanwise::xray {

namespace {

using json::SkeletonNode;

// Room in builder for the spans of all parts, as many per byte as the first part (appended) holds, and
// a tenth more: appending then seldom moves the arrays, each move touching fresh memory again.
void reserveLikeFirstPart(DatasetBuilder& builder, std::span<const InputPart> parts)
{
    std::uint64_t bytes = 0;
    for (const InputPart& part : parts)
        bytes += part.end - part.begin;
    const double perByte = double(builder.spanCount()) / double(parts[0].end - parts[0].begin);
    builder.reserve(static_cast<std::size_t>(perByte * double(bytes) * 1.1));
}

using ReadOne = std::function<void(Reader& reader, const InputPart& part)>;

// Reads every part with readOne: on one thread by reader itself, else each by a reader of its own
// into a builder of its own, whose state reader takes over as the part is appended to builder.
void readEachPart(Reader& reader, const Input& input, std::span<const InputPart> parts, DatasetBuilder& builder,
                  ImportReport& report, const ReadOne& readOne)
{
    if (input.threads <= 1) {
        for (const InputPart& part : parts)
            readOne(reader, part);
        return;
    }
    std::vector<std::unique_ptr<Reader>> readers(parts.size());
    readInParts(
        input, parts, builder, report,
        [&](std::size_t index, DatasetBuilder& partBuilder, ImportReport& partReport) {
        readers[index] = std::make_unique<Reader>(input, partBuilder, partReport);
        readOne(*readers[index], parts[index]);
        },
        [&](std::size_t index, const AppendedPart& appended) {
        reader.adopt(*readers[index], appended);
        readers[index].reset();
        if (index == 0)
            reserveLikeFirstPart(builder, parts);
    });
}

// The containers directly inside nodes[parent] that are arrays under the key `key`, written without escapes.
std::vector<std::uint32_t> arraysNamed(const Input& input, std::span<const SkeletonNode> nodes, std::uint32_t parent,
                                       std::string_view key)
{
    std::vector<std::uint32_t> arrays;
    for (std::size_t i = parent + 1; i < nodes.size() && nodes[i].begin < nodes[parent].end;
         i = json::afterSubtree(nodes, i)) {
        if (!nodes[i].object && nodes[i].member && nodes[i].key(input) == key)
            arrays.push_back(static_cast<std::uint32_t>(i));
    }
    return arrays;
}

// Whether the object nodes[object], its `holes` arrays emptied, reads as the whole reading reads it:
// well-formed, each member named `key` one of the holes in order, and any other member one of
// `others` (any member at all when others is empty).
bool readsAround(const Input& input, std::span<const SkeletonNode> nodes, std::uint32_t object,
                 const std::vector<std::uint32_t>& holes, std::string_view key,
                 std::span<const std::string_view> others)
{
    std::vector<const SkeletonNode*> holeNodes;
    for (const std::uint32_t hole : holes)
        holeNodes.push_back(&nodes[hole]);
    const json::DocumentWithHoles head(input, nodes[object], holeNodes);
    const Input text = head.input();
    od::parser parser;
    od::document doc;
    std::size_t seen = 0;
    try {
        if (json::start(parser, text, 0, text.size, doc) != simdjson::SUCCESS)
            return false;
        for (od::field field : doc.get_object()) {
            const std::string_view name = json::keyOf(field);
            od::value value = field.value();
            if (name == key) {
                const std::uint64_t at = json::offsetOf(text, value.raw_json_token().data());
                if (seen == holes.size() || at != head.here(holeNodes[seen]->begin))
                    return false;
                ++seen;
            } else if (!others.empty() && std::find(others.begin(), others.end(), name) == others.end()) {
                return false;
            }
        }
    } catch (const simdjson::simdjson_error&) {
        return false;
    }
    return seen == holes.size();
}

// The Segments elements of a BatchGetTraces document, {"Traces": [{"Segments": [{...}, ...]}, ...]},
// in file order; nullopt when the whole reading would read anything else in it than the documents
// of these elements (and note it is BatchGetTraces output).
std::optional<std::vector<InputPart>> batchSegments(const Input& input, const PartOptions& options)
{
    const json::JsonSkeleton skeleton(input, input.threads, options.skeletonBlockBytes);
    if (!skeleton.balanced())
        return std::nullopt;
    const std::optional<std::vector<SkeletonNode>> found = skeleton.containers(4);
    if (!found)
        return std::nullopt;
    const std::span<const SkeletonNode> nodes = *found;
    const SkeletonNode& root = nodes[0];
    const std::string_view text = input.text();
    const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    if (!root.object || !json::isBlank(text.substr(start, root.begin - start)) || !json::isBlank(text.substr(root.end)))
        return std::nullopt;
    const std::vector<std::uint32_t> traceArrays = arraysNamed(input, nodes, 0, "Traces");
    if (traceArrays.empty() || !readsAround(input, nodes, 0, traceArrays, "Traces", kWrapperKeys))
        return std::nullopt;
    std::vector<InputPart> segments;
    for (const std::uint32_t traceArray : traceArrays) {
        const std::optional<std::vector<InputPart>> traces = json::objectElements(input, nodes, traceArray);
        if (!traces)
            return std::nullopt;
        for (const InputPart& trace : *traces) {
            const auto at = std::lower_bound(nodes.begin(), nodes.end(), trace.begin,
                                             [](const SkeletonNode& n, std::uint64_t begin) {
                return n.begin < begin;
            });
            const auto index = static_cast<std::uint32_t>(at - nodes.begin());
            const std::vector<std::uint32_t> segmentArrays = arraysNamed(input, nodes, index, "Segments");
            if (!readsAround(input, nodes, index, segmentArrays, "Segments", {}))
                return std::nullopt;
            for (const std::uint32_t segmentArray : segmentArrays) {
                const std::optional<std::vector<InputPart>> elements = json::objectElements(input, nodes, segmentArray);
                if (!elements)
                    return std::nullopt;
                segments.insert(segments.end(), elements->begin(), elements->end());
            }
        }
    }
    return segments;
}

using ReadRange = void (Reader::*)(std::size_t begin, std::size_t end);

// Reads [begin, end of input) with read: whole when the input is small, else in parts that start
// where nextCut says one may.
void readRestInParts(Reader& reader, const Input& input, std::size_t begin, DatasetBuilder& builder,
                     ImportReport& report, const PartOptions& options, ReadRange read,
                     const std::function<std::uint64_t(std::uint64_t offset)>& nextCut)
{
    const std::size_t end = input.text().size();
    if (input.size < options.minInputBytes) {
        (reader.*read)(begin, end);
        return;
    }
    const std::vector<InputPart> parts = cutIntoParts(begin, end, options.partBytes, nextCut);
    readEachPart(reader, input, parts, builder, report,
                 [read](Reader& partReader, const InputPart& part) { (partReader.*read)(part.begin, part.end); });
}

} // namespace

bool readBatchInParts(const Input& input, DatasetBuilder& builder, ImportReport& report, const PartOptions& options)
{
    // On one thread the whole reading is faster: the parts would scan the text twice more.
    if (input.size < options.minInputBytes || input.threads <= 1 || json::firstSignificantChar(input.text()) != '{')
        return false;
    const std::optional<std::vector<InputPart>> segments = batchSegments(input, options);
    if (!segments || segments->empty())
        return false;
    const std::vector<InputPart> parts = json::groupIntoParts(*segments, options.partBytes);

    // Read into a builder and report of their own, so a failed part leaves the caller's untouched.
    DatasetBuilder read;
    ImportReport partsReport;
    partsReport.onProgress = report.onProgress;
    partsReport.onPartProgress = report.onPartProgress;
    Reader reader(input, read, partsReport);
    reader.sawBatch();
    std::atomic<bool> failed{false};
    readEachPart(reader, input, parts, read, partsReport, [&](Reader& partReader, const InputPart& part) {
        const auto first = std::lower_bound(segments->begin(), segments->end(), part.begin,
                                            [](const InputPart& e, std::uint64_t at) { return e.begin < at; });
        try {
            for (auto e = first; e != segments->end() && e->end <= part.end && !failed; ++e) {
                if (!partReader.readSegmentElement(e->begin, e->end))
                    failed = true;
            }
        } catch (const simdjson::simdjson_error&) {
            failed = true;
        }
    });
    if (failed)
        return false;
    reader.finish();
    if (builder.empty())
        builder = std::move(read);
    else
        builder.append(read);
    const std::string variant = partsReport.variant;
    report.append(std::move(partsReport));
    report.variant = variant;
    return true;
}

void readLinesInParts(Reader& reader, const Input& input, std::size_t begin, DatasetBuilder& builder,
                      ImportReport& report, const PartOptions& options)
{
    const std::string_view text = input.text();
    const auto nextLine = [text](std::uint64_t offset) -> std::uint64_t {
        const std::size_t newline = text.find('\n', offset);
        return newline == std::string_view::npos ? text.size() : newline + 1;
    };
    readRestInParts(reader, input, begin, builder, report, options, &Reader::readLines, nextLine);
}

void readDaemonInParts(Reader& reader, const Input& input, std::size_t firstLineEnd, DatasetBuilder& builder,
                       ImportReport& report, const PartOptions& options)
{
    const std::string_view text = input.text();
    // The line break before the next header line: what comes after it is read as it would be after
    // the header line before it.
    const auto nextHeader = [text](std::uint64_t offset) -> std::uint64_t {
        for (std::size_t at = text.find('\n', offset); at != std::string_view::npos;) {
            const std::size_t lineEnd = std::min(text.find('\n', at + 1), text.size());
            if (isDaemonHeader(text.substr(at, lineEnd - at)))
                return at;
            at = lineEnd == text.size() ? std::string_view::npos : lineEnd;
        }
        return text.size();
    };
    readRestInParts(reader, input, firstLineEnd, builder, report, options, &Reader::readDaemonDocuments, nextHeader);
}

} // namespace spanwise::xray
