#include "json_root_array.h"

#include "json_skeleton.h"

namespace spanwise::json {

namespace {

bool isWhiteSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

bool onlySeparators(std::string_view text, std::uint64_t from, std::uint64_t to, char separator, int separators)
{
    int seen = 0;
    for (std::uint64_t i = from; i < to; ++i) {
        if (text[i] == separator)
            ++seen;
        else if (!isWhiteSpace(text[i]))
            return false;
    }
    return seen == separators;
}

std::optional<RootArray> rootArrayOfObjects(const Input& input, unsigned threads)
{
    const JsonSkeleton skeleton(input, threads);
    if (!skeleton.balanced())
        return std::nullopt;
    const std::optional<std::vector<SkeletonNode>> nodes = skeleton.containers(2);
    if (!nodes || nodes->size() < 2)
        return std::nullopt;
    const std::string_view text = input.text();
    const SkeletonNode& root = (*nodes)[0];
    const SkeletonNode& array = (*nodes)[1];
    const std::uint64_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    if (!root.object || array.object || !array.member || array.parent != 0 ||
        !onlySeparators(text, start, root.begin, ',', 0) || !onlySeparators(text, root.end, text.size(), ',', 0))
        return std::nullopt;
    // {"<key>": [ ... ] }: the key's quotes, then only the colon.
    const std::uint64_t keyQuote = array.keyBegin - 1;
    const std::uint64_t keyEnd = array.keyBegin + array.keyLength;
    if (text[keyEnd] != '"' || !onlySeparators(text, root.begin + 1, keyQuote, ',', 0) ||
        !onlySeparators(text, keyEnd + 1, array.begin, ':', 1) ||
        !onlySeparators(text, array.end, root.end - 1, ',', 0))
        return std::nullopt;
    RootArray found{array.key(input), {}};
    if (found.key.find('\\') != std::string_view::npos)
        return std::nullopt;
    std::optional<std::vector<InputPart>> elements = objectElements(input, *nodes, 1);
    if (!elements || nodes->size() != 2 + elements->size()) // a second container in the root
        return std::nullopt;
    found.objects = std::move(*elements);
    return found;
}

std::optional<ArrayObjects> objectsOfRootArray(const Input& input, unsigned threads, std::size_t blockSize)
{
    const JsonSkeleton skeleton(input, threads, blockSize);
    if (!skeleton.balanced())
        return std::nullopt;
    // "[[" tells an array of arrays: the skeleton then needs to go one level deeper.
    const std::string_view text = input.text();
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    const std::size_t second = first < text.size() ? text.find_first_not_of(" \t\r\n", first + 1) : first;
    ArrayObjects found{{}, second < text.size() && text[first] == '[' && text[second] == '[' ? 2u : 1u};
    const std::optional<std::vector<SkeletonNode>> nodes = skeleton.containers(found.depth);
    if (!nodes || nodes->size() < 2 || (*nodes)[0].object)
        return std::nullopt;
    const SkeletonNode& root = (*nodes)[0];
    if (!onlySeparators(text, 0, root.begin, ',', 0) || !onlySeparators(text, root.end, text.size(), ',', 0))
        return std::nullopt;
    // An array's elements: each after the gap since the previous one (or the array's start).
    struct Open {
        std::uint64_t after = 0; // where the gap before its next element starts
        std::uint64_t end = 0;   // one past its ']'
        bool empty = true;
    };
    Open outer{root.begin + 1, root.end, true};
    std::optional<Open> inner;
    const auto follows = [&](Open& array, const SkeletonNode& element) {
        const bool ok = onlySeparators(text, array.after, element.begin, ',', array.empty ? 0 : 1);
        array.after = element.end;
        array.empty = false;
        return ok;
    };
    const auto closes = [&](const Open& array) { return onlySeparators(text, array.after, array.end - 1, ',', 0); };
    found.objects.reserve(nodes->size() - 1);
    for (std::size_t i = 1; i < nodes->size(); ++i) {
        const SkeletonNode& node = (*nodes)[i];
        if (node.depth == 1 && found.depth == 2) {
            if (node.object || (inner && !closes(*inner)) || !follows(outer, node))
                return std::nullopt;
            inner = Open{node.begin + 1, node.end, true};
            continue;
        }
        if (!node.object || node.depth != found.depth || !follows(inner ? *inner : outer, node))
            return std::nullopt;
        found.objects.push_back({node.begin, node.end});
    }
    if ((inner && !closes(*inner)) || !closes(outer))
        return std::nullopt;
    return found;
}

std::vector<InputPart> groupIntoParts(std::span<const InputPart> elements, std::uint64_t partBytes)
{
    std::vector<InputPart> parts;
    for (const InputPart& element : elements) {
        if (parts.empty() || parts.back().end - parts.back().begin >= partBytes)
            parts.push_back(element);
        else
            parts.back().end = element.end;
    }
    return parts;
}

} // namespace spanwise::json
