#include "json_skeleton.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <system_error>
#include <thread>

// The kernel: AVX2 when the importers are built for x86-64-v3, else SSE2 (baseline x86-64), else
// plain C++; SPANWISE_JSON_SKELETON_SCALAR forces the last, for its test.
#if defined(SPANWISE_JSON_SKELETON_SCALAR)
#elif defined(__AVX2__)
#define SPANWISE_SKELETON_AVX2 1
#elif defined(__SSE2__)
#define SPANWISE_SKELETON_SSE2 1
#endif
#if defined(SPANWISE_SKELETON_AVX2) || defined(__PCLMUL__)
#include <immintrin.h>
#elif defined(SPANWISE_SKELETON_SSE2)
#include <emmintrin.h>
#endif

namespace spanwise::json {

namespace {

constexpr std::size_t kChunk = 64;
constexpr std::size_t kMinBlockBytes = std::size_t(1) << 20;
constexpr unsigned kBlocksPerThread = 4;

// One bit per byte of a 64-byte chunk.
struct ChunkMasks {
    std::uint64_t quote = 0, backslash = 0, open = 0, close = 0;
};

// The chunk at p; bytes from `valid` on are left out. p[0..63] must be readable (the input's padding
// covers the last chunk).
[[gnu::always_inline]] inline ChunkMasks classify(const char* p, std::size_t valid)
{
    ChunkMasks m;
#if defined(SPANWISE_SKELETON_AVX2)
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i caseBit = _mm256_set1_epi8(0x20); // '[' | 0x20 == '{', ']' | 0x20 == '}'
    const __m256i open = _mm256_set1_epi8('{');
    const __m256i close = _mm256_set1_epi8('}');
    for (int i = 0; i < 2; ++i) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
        const __m256i folded = _mm256_or_si256(v, caseBit);
        const auto bits = [&](__m256i equal) {
            return std::uint64_t(static_cast<std::uint32_t>(_mm256_movemask_epi8(equal))) << (32 * i);
        };
        m.quote |= bits(_mm256_cmpeq_epi8(v, quote));
        m.backslash |= bits(_mm256_cmpeq_epi8(v, backslash));
        m.open |= bits(_mm256_cmpeq_epi8(folded, open));
        m.close |= bits(_mm256_cmpeq_epi8(folded, close));
    }
#elif defined(SPANWISE_SKELETON_SSE2)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i caseBit = _mm_set1_epi8(0x20); // '[' | 0x20 == '{', ']' | 0x20 == '}'
    const __m128i open = _mm_set1_epi8('{');
    const __m128i close = _mm_set1_epi8('}');
    for (int i = 0; i < 4; ++i) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
        const __m128i folded = _mm_or_si128(v, caseBit);
        const auto bits = [&](__m128i equal) {
            return std::uint64_t(static_cast<std::uint16_t>(_mm_movemask_epi8(equal))) << (16 * i);
        };
        m.quote |= bits(_mm_cmpeq_epi8(v, quote));
        m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
        m.open |= bits(_mm_cmpeq_epi8(folded, open));
        m.close |= bits(_mm_cmpeq_epi8(folded, close));
    }
#else
    for (std::size_t i = 0; i < kChunk; ++i) {
        const char c = p[i];
        const std::uint64_t bit = std::uint64_t(1) << i;
        m.quote |= c == '"' ? bit : 0;
        m.backslash |= c == '\\' ? bit : 0;
        m.open |= c == '{' || c == '[' ? bit : 0;
        m.close |= c == '}' || c == ']' ? bit : 0;
    }
#endif
    if (valid < kChunk) {
        const std::uint64_t keep = (std::uint64_t(1) << valid) - 1;
        m.quote &= keep;
        m.backslash &= keep;
        m.open &= keep;
        m.close &= keep;
    }
    return m;
}

// The bytes escaped by a backslash: a run of backslashes escapes every other byte, starting with the
// one after its first. nextIsEscaped carries (0 or 1) whether the next chunk's first byte is escaped.
// (simdjson's method: subtracting the run starts turns each run into the carry pattern.)
[[gnu::always_inline]] inline std::uint64_t escapedBits(std::uint64_t backslash, std::uint64_t& nextIsEscaped)
{
    if (backslash == 0) {
        const std::uint64_t escaped = nextIsEscaped;
        nextIsEscaped = 0;
        return escaped;
    }
    constexpr std::uint64_t kOddBits = 0xAAAAAAAAAAAAAAAAull;
    const std::uint64_t potential = backslash & ~nextIsEscaped;
    const std::uint64_t code = (((potential << 1) | kOddBits) - potential) ^ kOddBits;
    const std::uint64_t escaped = code ^ (backslash | nextIsEscaped);
    nextIsEscaped = (code & backslash) >> 63;
    return escaped;
}

// Bit i set when an odd number of bits at or below i are set.
[[gnu::always_inline]] inline std::uint64_t prefixXor(std::uint64_t x)
{
#if defined(__PCLMUL__) && !defined(SPANWISE_JSON_SKELETON_SCALAR) // carry-less multiplication by all ones
    return static_cast<std::uint64_t>(
        _mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(x)), _mm_set1_epi8(-1), 0)));
#else
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
#endif
}

// Walks a block chunk by chunk with the string state known, calling visit(masks, inString, at, valid)
// where inString has a bit set for each byte inside a string (opening quote included).
class ChunkWalker {
public:
    ChunkWalker(const Input& input, std::uint64_t begin, bool inString)
        : m_input(input), m_inString(inString ? ~std::uint64_t(0) : 0)
    {
        std::uint64_t run = 0;
        while (run < begin && input.data[begin - run - 1] == '\\')
            ++run;
        m_nextIsEscaped = run & 1;
    }

    template <typename Visit>
    void walk(std::uint64_t begin, std::uint64_t end, Visit&& visit)
    {
        for (std::uint64_t at = begin; at < end; at += kChunk) {
            const std::size_t valid = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, end - at));
            ChunkMasks m = classify(m_input.data + at, valid);
            m.quote &= ~escapedBits(m.backslash, m_nextIsEscaped);
            const std::uint64_t inString = prefixXor(m.quote) ^ m_inString;
            m_inString = static_cast<std::uint64_t>(static_cast<std::int64_t>(inString) >> 63);
            visit(m, inString, at);
        }
    }

private:
    const Input& m_input;
    std::uint64_t m_inString; // all ones when the next chunk starts inside a string
    std::uint64_t m_nextIsEscaped = 0;
};

// Runs work(i) for i in [0, count) on up to `threads` threads, the calling one included.
template <typename Work>
void forEachIndex(std::size_t count, unsigned threads, Work&& work)
{
    std::atomic<std::size_t> next{0};
    const auto run = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < count;)
            work(i);
    };
    std::vector<std::jthread> helpers;
    const std::size_t wanted = std::min<std::size_t>(threads, count);
    for (std::size_t t = 1; t < wanted; ++t) {
        try {
            helpers.emplace_back(run);
        } catch (const std::system_error&) {
            break; // no more threads to be had: fewer do the work
        }
    }
    run();
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The key before a member's value at `value` ("key" : value): its first byte and length, or nullopt
// when the bytes before the value are not a key and a colon.
std::optional<std::pair<std::uint64_t, std::uint32_t>> keyBefore(const Input& input, std::uint64_t value,
                                                                 std::uint64_t container)
{
    std::uint64_t at = value;
    const auto skipSpaceBack = [&] {
        while (at > container && isJsonSpace(input.data[at - 1]))
            --at;
    };
    skipSpaceBack();
    if (at <= container || input.data[at - 1] != ':')
        return std::nullopt;
    --at;
    skipSpaceBack();
    if (at <= container || input.data[at - 1] != '"')
        return std::nullopt;
    const std::uint64_t closing = --at;
    while (at > container) {
        --at;
        if (input.data[at] != '"')
            continue;
        std::uint64_t run = 0;
        while (input.data[at - run - 1] == '\\') // at > container, so the loop stops there at the latest
            ++run;
        if (run % 2 == 0) {
            const std::uint64_t length = closing - at - 1;
            if (length > 0xFFFFFFFFu)
                return std::nullopt;
            return std::make_pair(at + 1, static_cast<std::uint32_t>(length));
        }
    }
    return std::nullopt;
}

} // namespace

JsonSkeleton::JsonSkeleton(const Input& input, unsigned threads, std::size_t blockSize)
    : m_input(input), m_threads(std::max(threads, 1u))
{
    if (blockSize == 0)
        blockSize = std::max(kMinBlockBytes, input.size / (m_threads * kBlocksPerThread) + 1);
    for (std::uint64_t at = 0; at < input.size; at += blockSize)
        m_blocks.push_back({at, std::min<std::uint64_t>(at + blockSize, input.size)});

    // Per block: the parity of its unescaped quotes, and its depth change when it starts outside a
    // string and when it starts inside one (then every byte's string state is the other way round).
    // And a bound below which the depth does not go within the block, both ways (each chunk's
    // closing brackets counted before its opening ones), so a block deeper than what is asked for
    // is not looked at again.
    struct Count {
        bool oddQuotes = false;
        std::int64_t deltaOutside = 0, deltaAll = 0; // no bracket is a quote: inside = all - outside
        std::int64_t lowestOutside = 0, lowestInside = 0;
    };
    std::vector<Count> counts(m_blocks.size());
    forEachIndex(m_blocks.size(), m_threads, [&](std::size_t b) {
        Count& count = counts[b];
        std::uint64_t quotes = 0;
        ChunkWalker walker(m_input, m_blocks[b].begin, false);
        walker.walk(m_blocks[b].begin, m_blocks[b].end,
                    [&](const ChunkMasks& m, std::uint64_t inString, std::uint64_t) {
            quotes += static_cast<unsigned>(std::popcount(m.quote));
            const int closeOutside = std::popcount(m.close & ~inString);
            const int closeInside = std::popcount(m.close) - closeOutside;
            const std::int64_t deltaInside = count.deltaAll - count.deltaOutside;
            count.lowestOutside = std::min(count.lowestOutside, count.deltaOutside - closeOutside);
            count.lowestInside = std::min(count.lowestInside, deltaInside - closeInside);
            count.deltaOutside += std::popcount(m.open & ~inString) - closeOutside;
            count.deltaAll += std::popcount(m.open) - std::popcount(m.close);
        });
        count.oddQuotes = quotes % 2 != 0;
    });
    bool inString = false;
    std::int64_t depth = 0;
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        m_blocks[b].inString = inString;
        m_blocks[b].depth = depth;
        m_blocks[b].lowest = depth + (inString ? counts[b].lowestInside : counts[b].lowestOutside);
        depth += inString ? counts[b].deltaAll - counts[b].deltaOutside : counts[b].deltaOutside;
        inString = inString != counts[b].oddQuotes;
    }
    m_balanced = !inString && depth == 0;
}

std::optional<std::vector<SkeletonNode>> JsonSkeleton::containers(std::uint32_t maxDepth) const
{
    if (!m_balanced)
        return std::nullopt;
    constexpr std::uint64_t kOpening = 2, kCurly = 1;
    // Per block, the brackets at depth <= maxDepth: offset << 2 | kOpening? | kCurly?.
    std::vector<std::vector<std::uint64_t>> events(m_blocks.size());
    std::atomic<bool> negative{false};
    const auto limit = static_cast<std::int64_t>(maxDepth);
    forEachIndex(m_blocks.size(), m_threads, [&](std::size_t b) {
        const Block& block = m_blocks[b];
        if (block.lowest > limit)
            return;
        std::vector<std::uint64_t>& out = events[b];
        std::int64_t depth = block.depth;
        ChunkWalker walker(m_input, block.begin, block.inString);
        walker.walk(block.begin, block.end, [&](const ChunkMasks& m, std::uint64_t inString, std::uint64_t at) {
            const std::uint64_t open = m.open & ~inString;
            const std::uint64_t close = m.close & ~inString;
            if (depth - std::popcount(close) > limit) { // nothing here comes up to maxDepth
                depth += std::popcount(open) - std::popcount(close);
                return;
            }
            for (std::uint64_t brackets = open | close; brackets != 0; brackets &= brackets - 1) {
                const auto i = static_cast<unsigned>(std::countr_zero(brackets));
                const std::uint64_t curly = m_input.data[at + i] & 0x20 ? kCurly : 0;
                if (open >> i & 1) {
                    if (depth <= limit)
                        out.push_back((at + i) << 2 | kOpening | curly);
                    ++depth;
                } else {
                    if (--depth <= limit)
                        out.push_back((at + i) << 2 | curly);
                    if (depth < 0)
                        negative = true;
                }
            }
        });
    });
    if (negative)
        return std::nullopt;

    std::vector<SkeletonNode> nodes;
    std::vector<std::uint32_t> open; // indices of the containers open, outermost first
    for (const std::vector<std::uint64_t>& blockEvents : events) {
        for (const std::uint64_t event : blockEvents) {
            const std::uint64_t at = event >> 2;
            const bool curly = event & kCurly;
            if (event & kOpening) {
                if (open.empty() && !nodes.empty())
                    return std::nullopt; // a second value at the top
                SkeletonNode node;
                node.begin = at;
                node.object = curly;
                node.depth = static_cast<std::uint32_t>(open.size());
                if (!open.empty()) {
                    node.parent = open.back();
                    const SkeletonNode& parent = nodes[node.parent];
                    if (parent.object) {
                        const auto key = keyBefore(m_input, at, parent.begin);
                        if (!key)
                            return std::nullopt;
                        node.member = true;
                        node.keyBegin = key->first;
                        node.keyLength = key->second;
                    }
                }
                if (nodes.size() >= SkeletonNode::kNoParent)
                    return std::nullopt;
                open.push_back(static_cast<std::uint32_t>(nodes.size()));
                nodes.push_back(node);
            } else {
                if (open.empty() || nodes[open.back()].object != curly)
                    return std::nullopt;
                nodes[open.back()].end = at + 1;
                open.pop_back();
            }
        }
    }
    if (nodes.empty() || !open.empty())
        return std::nullopt;
    return nodes;
}

std::size_t afterSubtree(std::span<const SkeletonNode> nodes, std::size_t index)
{
    const std::uint64_t end = nodes[index].end;
    if (index + 1 == nodes.size() || nodes[index + 1].begin >= end)
        return index + 1;
    return static_cast<std::size_t>(
        std::lower_bound(nodes.begin() + static_cast<std::ptrdiff_t>(index) + 1, nodes.end(), end,
                         [](const SkeletonNode& node, std::uint64_t offset) { return node.begin < offset; }) -
        nodes.begin());
}

std::optional<std::vector<InputPart>> objectElements(const Input& input, std::span<const SkeletonNode> nodes,
                                                     std::uint32_t array)
{
    const SkeletonNode& outer = nodes[array];
    std::vector<InputPart> elements;
    std::uint64_t after = outer.begin + 1; // where the gap before the next element starts
    for (std::size_t i = array + 1; i < nodes.size() && nodes[i].begin < outer.end; i = afterSubtree(nodes, i)) {
        const SkeletonNode& element = nodes[i];
        const std::uint64_t gap = element.begin;
        std::uint64_t at = after;
        bool comma = elements.empty();
        for (; at < gap; ++at) {
            if (!comma && input.data[at] == ',')
                comma = true;
            else if (!isJsonSpace(input.data[at]))
                break;
        }
        if (!element.object || at != gap || !comma)
            return std::nullopt;
        elements.push_back({element.begin, element.end});
        after = element.end;
    }
    for (std::uint64_t at = after; at + 1 < outer.end; ++at) {
        if (!isJsonSpace(input.data[at]))
            return std::nullopt;
    }
    return elements;
}

DocumentWithHoles::DocumentWithHoles(const Input& input, const SkeletonNode& root,
                                     const std::vector<const SkeletonNode*>& holes)
{
    std::uint64_t from = root.begin;
    for (const SkeletonNode* hole : holes) {
        append(input, from, hole->begin + 1);
        from = hole->end - 1;
    }
    append(input, from, root.end);
    m_size = m_text.size();
    m_text.append(kInputPadding, '\0');
}

std::uint64_t DocumentWithHoles::original(std::uint64_t offset) const
{
    const auto after = std::upper_bound(m_pieces.begin(), m_pieces.end(), offset,
                                        [](std::uint64_t o, const Piece& p) { return o < p.here; });
    const Piece& piece = *(after - 1);
    return piece.there + (offset - piece.here);
}

std::uint64_t DocumentWithHoles::here(std::uint64_t original) const
{
    const auto after = std::upper_bound(m_pieces.begin(), m_pieces.end(), original,
                                        [](std::uint64_t o, const Piece& p) { return o < p.there; });
    const Piece& piece = *(after - 1);
    return piece.here + (original - piece.there);
}

void DocumentWithHoles::append(const Input& input, std::uint64_t begin, std::uint64_t end)
{
    m_pieces.push_back({m_text.size(), begin});
    m_text.append(input.data + begin, end - begin);
}

} // namespace spanwise::json
