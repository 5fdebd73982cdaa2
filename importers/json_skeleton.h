#pragma once
// The shallow structure of a big JSON document, found on several threads without parsing it: where
// each object and array down to a given depth opens and closes, and the key it is a member under.
// A big array can then be cut into its elements, each read by simdjson as a document of its own on
// any thread.
//
// Exact, not heuristic: the input is cut into blocks; each block's unescaped quotes are found in
// parallel and a prefix XOR of their parities tells whether each block starts inside a string; the
// depth change of each block (brackets outside strings) then gives, by a prefix sum, the depth each
// block starts at; finally each block lists the brackets it holds at shallow depth. Like simdjson's
// first stage, a backslash escapes the byte after it wherever it stands, and nothing else is
// checked: what lies between the containers found (and inside them) is for the JSON parser to judge.

#include "importer.h"
#include "part_reader.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spanwise::json {

struct SkeletonNode {
    static constexpr std::uint32_t kNoParent = 0xFFFFFFFF;
    std::uint64_t begin = 0;          // offset of its '{' or '['
    std::uint64_t end = 0;            // one past its '}' or ']'
    std::uint64_t keyBegin = 0;       // a member of an object: offset of its key's first byte (after the quote)
    std::uint32_t keyLength = 0;      //   and the key's length as written, escapes and all
    std::uint32_t parent = kNoParent; // index of the container holding it
    std::uint32_t depth = 0;          // 0 for the outermost value
    bool object = false;              // else an array
    bool member = false;              // it is the value of an object member: it has a key

    std::string_view key(const Input& input) const { return {input.data + keyBegin, keyLength}; }
    std::string_view text(const Input& input) const { return {input.data + begin, end - begin}; }
};

class JsonSkeleton {
public:
    // Finds the string state and the depth at the start of each block. blockSize 0 picks blocks of a
    // few megabytes, several per thread; tests force tiny ones.
    JsonSkeleton(const Input& input, unsigned threads, std::size_t blockSize = 0);

    // Every string is closed and every bracket closes one that is open, as far as counting tells.
    bool balanced() const { return m_balanced; }

    // The objects and arrays at depth <= maxDepth in the order they open (a container before what
    // it holds), or nullopt when the input is not one well-formed container as far as they show: a
    // bracket closing one of the other kind, a second value at the top, an unbalanced count.
    std::optional<std::vector<SkeletonNode>> containers(std::uint32_t maxDepth) const;

private:
    struct Block {
        std::uint64_t begin = 0, end = 0;
        bool inString = false;   // at its start
        std::int64_t depth = 0;  // open containers at its start
        std::int64_t lowest = 0; // no fewer are open anywhere in it
    };
    Input m_input;
    unsigned m_threads = 1;
    std::vector<Block> m_blocks;
    bool m_balanced = false;
};

// The index of the first node after nodes[index] and the nodes inside it (nodes as containers() lists
// them): its next sibling, or its parent's.
std::size_t afterSubtree(std::span<const SkeletonNode> nodes, std::size_t index);

// The elements of the array nodes[array] (nodes as containers() lists them) when they are all
// objects separated by commas and white space alone; nullopt when it holds anything else.
std::optional<std::vector<InputPart>> objectElements(const Input& input, std::span<const SkeletonNode> nodes,
                                                     std::uint32_t array);

// The text of a document with some arrays emptied ("[...]" → "[]"), and where its bytes came from.
class DocumentWithHoles {
public:
    DocumentWithHoles(const Input& input, const SkeletonNode& root, const std::vector<const SkeletonNode*>& holes);
    Input input() const { return {m_text.data(), m_size}; }
    // The file's offset of the byte at offset in this text.
    std::uint64_t original(std::uint64_t offset) const;
    // This text's offset of a byte of the file that it holds.
    std::uint64_t here(std::uint64_t original) const;

private:
    void append(const Input& input, std::uint64_t begin, std::uint64_t end);
    struct Piece {
        std::uint64_t here = 0, there = 0;
    };
    std::string m_text;
    std::size_t m_size = 0;
    std::vector<Piece> m_pieces;
};

} // namespace spanwise::json
