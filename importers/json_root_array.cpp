#include "json_root_array.h"

#include "json_skeleton.h"

namespace spanwise::json {

namespace {

bool isWhiteSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Whether text[from, to) is white space around exactly `separators` occurrences of separator.
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

} // namespace

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
