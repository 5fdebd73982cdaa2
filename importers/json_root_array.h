#pragma once
// The common shape of a big single-document JSON trace file: one root object holding one array of
// objects under one key, {"resourceSpans": [{...}, {...}]}. Found with the skeleton (on several
// threads, without parsing), its elements can be read as documents of their own, in parts.

#include "part_reader.h"

#include <optional>
#include <string_view>
#include <vector>

namespace spanwise::json {

struct RootArray {
    std::string_view key;           // as written (no escapes)
    std::vector<InputPart> objects; // the elements, each from its '{' to one past its '}'
};

// Whether text[from, to) is white space around exactly `separators` occurrences of separator: what
// may stand between the containers the skeleton finds (',' between elements, ':' after a key).
bool onlySeparators(std::string_view text, std::uint64_t from, std::uint64_t to, char separator, int separators);

// The root array when the input is exactly {"<key>": [{...}, ...]} with nothing else but white space
// (and a byte order mark) around; nullopt for anything else, well-formed or not.
std::optional<RootArray> rootArrayOfObjects(const Input& input, unsigned threads);

// The objects of a root array, [{...}, ...], or of the arrays of a root array of arrays,
// [[{...}, ...], ...] (not both), in input order; depth is that of the objects (1 or 2).
struct ArrayObjects {
    std::vector<InputPart> objects; // each from its '{' to one past its '}'
    std::uint32_t depth = 0;
};

// The objects when the input is exactly one of those shapes, with nothing else but white space
// around and between them (no scalars, no byte order mark); nullopt for anything else, well-formed
// or not. blockSize as for JsonSkeleton.
std::optional<ArrayObjects> objectsOfRootArray(const Input& input, unsigned threads, std::size_t blockSize = 0);

// Consecutive elements grouped into parts of at least partBytes (the last may be smaller).
std::vector<InputPart> groupIntoParts(std::span<const InputPart> elements, std::uint64_t partBytes);

} // namespace spanwise::json
