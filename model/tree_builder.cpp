#include "tree_builder.h"

#include "clock_skew.h"
#include "parallel_for.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <type_traits>

namespace spanwise {

namespace {

// Adds a block's count to a trace's counter that other blocks add to at the same time.
void addCount(std::uint32_t& counter, std::uint32_t amount)
{
    if (amount != 0)
        std::atomic_ref(counter).fetch_add(amount, std::memory_order_relaxed);
}

// Span id → local index, keeping the Zipkin shared (server) half apart from the client half.
// Slots hold the id itself, so probing never touches the spans. With several threads the table
// is cut into shards by hash bits, each filled by one thread in span order: the first span
// inserted with an id still wins, as with one thread.
class SpanIdIndex {
public:
    // Inserts every span's id; marks each span whose key was inserted before as a duplicate.
    SpanIdIndex(Span* spans, std::uint32_t n, Trace& trace, std::size_t threads)
    {
        const std::size_t blocks = parallelBlocks(threads, n);
        m_shardBits = blocks == 1 ? 0 : kShardBits;
        const std::size_t shards = std::size_t(1) << m_shardBits;
        std::vector<std::uint32_t> hashes;
        std::vector<std::size_t> counts(shards, 0);
        if (shards == 1) {
            counts[0] = n;
        } else {
            hashes.resize(n);
            std::vector<std::vector<std::uint32_t>> blockCounts(blocks, std::vector<std::uint32_t>(shards, 0));
            parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t block) {
                for (std::size_t i = begin; i < end; ++i) {
                    hashes[i] = hash(spans[i].id, spans[i].has(MarkShared));
                    ++blockCounts[block][shardOf(hashes[i])];
                }
            });
            for (const auto& b : blockCounts)
                for (std::size_t s = 0; s < shards; ++s)
                    counts[s] += b[s];
        }
        // Each shard holds at most as many keys as spans fall into it: at least half its slots stay free.
        m_shards.resize(shards + 1, 0);
        for (std::size_t s = 0; s < shards; ++s)
            m_shards[s + 1] = m_shards[s] + std::max<std::size_t>(16, counts[s] * 2);
        m_slots.assign(m_shards.back(), Slot{});

        auto insertAll = [&](std::size_t owner, std::size_t owners) {
            std::uint32_t duplicates = 0;
            for (std::uint32_t i = 0; i < n; ++i) {
                Span& span = spans[i];
                std::uint32_t h = 0;
                if (shards == 1) {
                    h = hash(span.id, span.has(MarkShared));
                } else {
                    h = hashes[i];
                    if (shardOf(h) % owners != owner)
                        continue;
                }
                if (insert(span.id, span.has(MarkShared), i, h) != i) {
                    span.marks |= MarkDuplicateId;
                    ++duplicates;
                }
            }
            addCount(trace.duplicateCount, duplicates);
        };
        if (shards == 1)
            insertAll(0, 1);
        else
            runTasks(blocks, blocks, [&](std::size_t owner, bool) { insertAll(owner, blocks); });
    }

    std::uint32_t find(SpanId id, bool shared) const
    {
        const std::uint32_t h = hash(id, shared);
        const std::size_t first = m_shards[shardOf(h)];
        const std::size_t end = m_shards[shardOf(h) + 1];
        for (std::size_t i = start(h, first, end); m_slots[i].tag != 0; i = i + 1 == end ? first : i + 1) {
            const Slot& slot = m_slots[i];
            if (slot.id == id && ((slot.tag - 1) & 1) == shared)
                return (slot.tag - 1) >> 1;
        }
        return kNoIndex;
    }

private:
    static constexpr unsigned kShardBits = 6;
    struct Slot {
        SpanId id = 0;
        std::uint32_t tag = 0; // (local index << 1 | shared) + 1, or 0 when empty
    };

    static std::uint32_t hash(SpanId id, bool shared)
    {
        const std::uint64_t h = (id ^ (shared ? 0x5bd1e995u : 0)) * 0x9E3779B97F4A7C15ull;
        return static_cast<std::uint32_t>(h >> 32);
    }
    std::size_t shardOf(std::uint32_t h) const { return m_shardBits == 0 ? 0 : h >> (32 - m_shardBits); }
    // The first slot to probe, from the hash bits the shard number leaves.
    std::size_t start(std::uint32_t h, std::size_t first, std::size_t end) const
    {
        const std::uint64_t bits = static_cast<std::uint32_t>(h << m_shardBits);
        return first + static_cast<std::size_t>((bits * (end - first)) >> 32);
    }

    // Inserts local unless an entry with the same key exists; returns that entry or local.
    std::uint32_t insert(SpanId id, bool shared, std::uint32_t local, std::uint32_t h)
    {
        const std::uint32_t tag = (local << 1 | shared) + 1;
        const std::size_t first = m_shards[shardOf(h)];
        const std::size_t end = m_shards[shardOf(h) + 1];
        for (std::size_t i = start(h, first, end);; i = i + 1 == end ? first : i + 1) {
            Slot& slot = m_slots[i];
            if (slot.tag == 0) {
                slot = {id, tag};
                return local;
            }
            if (slot.id == id && ((slot.tag - 1) & 1) == shared)
                return (slot.tag - 1) >> 1;
        }
    }

    unsigned m_shardBits = 0;
    std::vector<std::size_t> m_shards; // shard s holds slots [m_shards[s], m_shards[s + 1])
    std::vector<Slot> m_slots;
};

// Children lists of a parent array, in compressed form. With several threads, the order within a
// list depends on timing: sort a list before its order matters.
struct ChildLists {
    std::vector<std::uint32_t> offsets; // n + 2 entries: one list per span, and the top level last
    std::vector<std::uint32_t> items;

    ChildLists() = default;
    ChildLists(std::span<const std::uint32_t> parent, std::size_t threads)
    {
        const std::size_t n = parent.size();
        offsets.assign(n + 2, 0);
        auto listOf = [&](std::size_t i) { return (parent[i] == kNoIndex ? n : parent[i]) + 1; };
        items.resize(n);
        if (parallelBlocks(threads, n) == 1) {
            for (std::size_t i = 0; i < n; ++i)
                ++offsets[listOf(i)];
            std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
            std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
            for (std::uint32_t i = 0; i < n; ++i)
                items[cursor[listOf(i) - 1]++] = i;
            return;
        }
        parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
            for (std::size_t i = begin; i < end; ++i)
                std::atomic_ref(offsets[listOf(i)]).fetch_add(1, std::memory_order_relaxed);
        });
        std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
        std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
        parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
            for (std::size_t i = begin; i < end; ++i) {
                const std::uint32_t at = std::atomic_ref(cursor[listOf(i) - 1]).fetch_add(1, std::memory_order_relaxed);
                items[at] = static_cast<std::uint32_t>(i);
            }
        });
    }
    std::span<std::uint32_t> of(std::size_t list)
    {
        return {items.data() + offsets[list], items.data() + offsets[list + 1]};
    }
    std::uint32_t sizeOf(std::size_t list) const { return offsets[list + 1] - offsets[list]; }
};

// Appends the next level of a level-by-level walk: the children of topDown[first, end), each list
// in its order, after topDown[end - 1]. Calls visit(k, index of topDown[k]'s first child) for each k.
template <typename Visit>
void appendChildren(ChildLists& children, std::vector<std::uint32_t>& topDown, std::size_t first, std::size_t end,
                    std::size_t threads, Visit&& visit)
{
    const std::size_t count = end - first;
    const std::size_t blocks = parallelBlocks(threads, count);
    std::vector<std::size_t> blockStart(blocks + 1, 0);
    if (blocks > 1) {
        parallelFor(threads, count, [&](std::size_t begin, std::size_t stop, std::size_t block) {
            std::size_t sum = 0;
            for (std::size_t k = first + begin; k < first + stop; ++k)
                sum += children.sizeOf(topDown[k]);
            blockStart[block + 1] = sum;
        });
    }
    std::partial_sum(blockStart.begin(), blockStart.end(), blockStart.begin());
    const std::size_t level = topDown.size();
    if (blocks > 1)
        topDown.resize(level + blockStart.back());
    parallelFor(threads, count, [&](std::size_t begin, std::size_t stop, std::size_t block) {
        std::size_t at = level + blockStart[block];
        for (std::size_t k = first + begin; k < first + stop; ++k) {
            const std::uint32_t v = topDown[k];
            visit(k, static_cast<std::uint32_t>(at));
            const auto c = children.of(v);
            if (blocks > 1)
                std::copy(c.begin(), c.end(), topDown.begin() + at);
            else
                topDown.insert(topDown.end(), c.begin(), c.end());
            at += c.size();
        }
    });
}

void resolveParents(Span* spans, std::uint32_t n, Trace& trace, std::vector<std::uint32_t>& parent, std::size_t threads)
{
    const SpanIdIndex index(spans, n, trace, threads);
    parent.assign(n, kNoIndex);
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
        std::uint32_t orphans = 0, roots = 0, cycles = 0;
        for (auto i = static_cast<std::uint32_t>(begin); i < end; ++i) {
            Span& span = spans[i];
            std::uint32_t p = kNoIndex;
            if (span.has(MarkShared))
                p = index.find(span.id, false); // the client half this server half belongs to
            if (p == kNoIndex && span.parentId != 0) {
                // Children of a shared id ran in the server half.
                p = index.find(span.parentId, true);
                if (p == kNoIndex || p == i)
                    p = index.find(span.parentId, false);
                if (p == kNoIndex) {
                    span.marks |= MarkOrphan;
                    ++orphans;
                }
            }
            if (span.parentId == 0 && !span.has(MarkShared))
                ++roots;
            if (p == i) {
                span.marks |= MarkCycleBroken;
                ++cycles;
                p = kNoIndex;
            }
            parent[i] = p;
        }
        addCount(trace.orphanCount, orphans);
        addCount(trace.rootCount, roots);
        addCount(trace.cycleCount, cycles);
    });
}

// The spans of a trace, each parent before its children.
struct TopDown {
    std::vector<std::uint32_t> order;
    // Where each level of the top-level spans' trees starts in order, and where the last one ends;
    // the spans under cut cycles follow.
    std::vector<std::uint32_t> levels;
};

// Marks everything reachable from the top level; spans left over hang in parent cycles. Each
// cycle is cut at one span, which becomes a top-level span.
TopDown breakCycles(Span* spans, Trace& trace, std::vector<std::uint32_t>& parent, std::size_t threads)
{
    const auto n = static_cast<std::uint32_t>(parent.size());
    ChildLists children(parent, threads);
    TopDown result;
    std::vector<std::uint32_t>& topDown = result.order;
    topDown.reserve(n);
    const auto top = children.of(n);
    topDown.assign(top.begin(), top.end());
    // Level by level: every span in a list has that list's span as parent, and is in no other list.
    for (std::size_t first = 0, end = topDown.size(); first < end; first = end, end = topDown.size()) {
        result.levels.push_back(static_cast<std::uint32_t>(first));
        appendChildren(children, topDown, first, end, threads, [](std::size_t, std::uint32_t) {});
    }
    result.levels.push_back(static_cast<std::uint32_t>(topDown.size()));
    if (topDown.size() == n)
        return result;

    std::vector<std::uint8_t> reached(n, 0);
    parallelFor(threads, topDown.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t k = begin; k < end; ++k)
            reached[topDown[k]] = 1;
    });
    auto reachFrom = [&](std::uint32_t start) {
        std::size_t next = topDown.size();
        reached[start] = 1;
        topDown.push_back(start);
        for (; next < topDown.size(); ++next) {
            for (std::uint32_t c : children.of(topDown[next])) {
                if (!reached[c] && parent[c] == topDown[next]) {
                    reached[c] = 1;
                    topDown.push_back(c);
                }
            }
        }
    };
    std::vector<std::uint32_t> walkStamp(n, kNoIndex);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (reached[i])
            continue;
        std::uint32_t v = i;
        while (walkStamp[v] != i) { // walk up until a span repeats: it lies on the cycle
            walkStamp[v] = i;
            v = parent[v];
        }
        parent[v] = kNoIndex;
        spans[v].marks |= MarkCycleBroken;
        ++trace.cycleCount;
        reachFrom(v);
    }
    return result;
}

// Spans without a start in the file (MarkNoTiming) sit at their parent's start, a top-level one at
// the earliest start the trace knows, as Zipkin's UI lines them up; a duration the file gives is kept.
void placeUntimed(Span* spans, std::uint32_t n, std::span<const std::uint32_t> parent, const TopDown& topDown,
                  std::size_t threads)
{
    struct Earliest {
        std::optional<TimeNs> valid, invalid;
        bool untimed = false;
    };
    std::vector<Earliest> blocks(parallelBlocks(threads, n));
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t block) {
        Earliest& e = blocks[block];
        for (std::size_t i = begin; i < end; ++i) {
            const Span& s = spans[i];
            std::optional<TimeNs>& into = s.has(MarkInvalidTime) ? e.invalid : e.valid;
            if (s.has(MarkNoTiming))
                e.untimed = true;
            else
                into = into ? std::min(*into, s.start) : s.start;
        }
    });
    Earliest all;
    for (const Earliest& e : blocks) {
        all.untimed |= e.untimed;
        for (auto [from, into] : {std::pair{&e.valid, &all.valid}, std::pair{&e.invalid, &all.invalid}})
            if (*from)
                *into = *into ? std::min(**into, **from) : **from;
    }
    if (!all.untimed)
        return;
    const TimeNs traceStart = all.valid.value_or(all.invalid.value_or(0));
    auto place = [&](std::size_t first, std::size_t end) {
        for (std::size_t k = first; k < end; ++k) {
            const std::uint32_t v = topDown.order[k];
            Span& s = spans[v];
            if (!s.has(MarkNoTiming))
                continue;
            const TimeNs duration = s.end - s.start;
            s.start = parent[v] == kNoIndex ? traceStart : spans[parent[v]].start;
            s.end = saturatingAdd(s.start, duration);
        }
    };
    // A level's spans depend only on the levels above.
    const auto& levels = topDown.levels;
    for (std::size_t l = 0; l + 1 < levels.size(); ++l) {
        parallelFor(threads, levels[l + 1] - levels[l], [&](std::size_t begin, std::size_t end, std::size_t) {
            place(levels[l] + begin, levels[l] + end);
        });
    }
    place(levels.back(), n);
}

// The trace's time range, from spans whose times are known. A span whose times are missing or
// unusable (MarkInvalidTime) and lie outside that range is drawn at the trace start instead of
// stretching the trace back to 1970; one still in progress is drawn up to the trace end.
void placeTimes(Span* spans, std::uint32_t n, Trace& trace, std::size_t threads)
{
    struct TimeRange {
        bool found = false;
        TimeNs start = 0, end = 0;
    };
    std::vector<std::array<TimeRange, 2>> ranges(parallelBlocks(threads, n)); // per block: valid, invalid
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t block) {
        for (std::size_t i = begin; i < end; ++i) {
            const Span& s = spans[i];
            TimeRange& r = ranges[block][s.has(MarkInvalidTime)];
            r.start = r.found ? std::min(r.start, s.start) : s.start;
            r.end = r.found ? std::max(r.end, s.end) : s.end;
            r.found = true;
        }
    });
    TimeRange whole;
    for (int kind = 0; kind < 2 && !whole.found; ++kind) {
        for (const auto& block : ranges) {
            const TimeRange& r = block[kind];
            if (!r.found)
                continue;
            whole.start = whole.found ? std::min(whole.start, r.start) : r.start;
            whole.end = whole.found ? std::max(whole.end, r.end) : r.end;
            whole.found = true;
        }
    }
    trace.start = whole.start;
    trace.end = whole.end;
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t i = begin; i < end; ++i) {
            Span& s = spans[i];
            if (s.has(MarkInvalidTime) && (s.start < trace.start || s.end > trace.end))
                s.start = s.end = trace.start;
            else if (s.has(MarkInProgress)) // still running when written: drawn up to the end of the trace
                s.end = std::max(s.end, trace.end);
        }
    });
}

// Sorts every children list by start time (then by index, so the order never depends on how the
// lists were filled).
void sortSiblings(ChildLists& children, const Span* spans, std::size_t threads)
{
    auto byStart = [spans](std::uint32_t a, std::uint32_t b) {
        return spans[a].start != spans[b].start ? spans[a].start < spans[b].start : a < b;
    };
    const std::size_t lists = children.offsets.size() - 1;
    parallelFor(threads, lists, [&](std::size_t begin, std::size_t end, std::size_t) {
        for (std::size_t list = begin; list < end; ++list) {
            auto c = children.of(list);
            if (c.size() > 1)
                std::sort(c.begin(), c.end(), byStart);
        }
    });
}

// The depth-first order on one thread: returns position → local index and fills position (local
// index → position).
std::vector<std::uint32_t> depthFirstSerially(ChildLists& children, std::vector<std::uint32_t>& position)
{
    const auto n = static_cast<std::uint32_t>(children.items.size());
    std::vector<std::uint32_t> order; // new position → local index
    order.reserve(n);
    std::vector<std::uint32_t> stack;
    auto top = children.of(n);
    stack.assign(top.rbegin(), top.rend());
    while (!stack.empty()) {
        const std::uint32_t v = stack.back();
        stack.pop_back();
        order.push_back(v);
        auto c = children.of(v);
        stack.insert(stack.end(), c.rbegin(), c.rend());
    }
    position.resize(n);
    for (std::uint32_t pos = 0; pos < n; ++pos)
        position[order[pos]] = pos;
    return order;
}

// Parent, depth and subtree end of spans laid out depth-first (on one thread).
void linkLaidOut(Span* spans, std::uint32_t first, std::span<const std::uint32_t> order,
                 std::span<const std::uint32_t> parent, std::span<const std::uint32_t> position)
{
    const auto n = static_cast<std::uint32_t>(order.size());
    for (std::uint32_t pos = 0; pos < n; ++pos) {
        Span& s = spans[pos];
        const std::uint32_t p = parent[order[pos]];
        s.parent = p == kNoIndex ? kNoIndex : first + position[p];
        s.depth = p == kNoIndex ? 0 : spans[position[p]].depth + 1;
        s.subtreeEnd = first + pos + 1;
    }
    // Subtree ends, bottom-up: in depth-first order every child comes after its parent.
    for (std::uint32_t pos = n; pos-- > 0;) {
        const Span& s = spans[pos];
        if (s.parent != kNoIndex) {
            Span& up = spans[s.parent - first];
            up.subtreeEnd = std::max(up.subtreeEnd, s.subtreeEnd);
        }
    }
}

// The same depth-first order without walking it: the spans level by level (each level the children
// lists of the one above, in order), subtree sizes bottom-up, then each span's position as its
// parent's + 1 + the sizes of its earlier siblings, top-down. Each level is split among the threads,
// and every array but the spans is read in order. Also fills each span's parent, depth and subtree
// end in place, before the spans move.
std::vector<std::uint32_t> depthFirstInParallel(ChildLists& children, Span* spans, std::uint32_t first,
                                                std::vector<std::uint32_t>& position, std::size_t threads)
{
    const auto n = static_cast<std::uint32_t>(children.items.size());
    std::vector<std::uint32_t> levels; // level → its first index in byLevel
    std::vector<std::uint32_t> byLevel;
    // byLevel[k]'s children are byLevel[firstChild[k], firstChild[k + 1]).
    std::vector<std::uint32_t> firstChild(n + 1, n);
    byLevel.reserve(n);
    const auto top = children.of(n);
    byLevel.assign(top.begin(), top.end());
    for (std::size_t begin = 0, end = byLevel.size(); begin < end; begin = end, end = byLevel.size()) {
        levels.push_back(static_cast<std::uint32_t>(begin));
        appendChildren(children, byLevel, begin, end, threads,
                       [&](std::size_t k, std::uint32_t at) { firstChild[k] = at; });
    }
    levels.push_back(n);
    children = {};

    // after[k]: the sizes of the subtrees of byLevel[k, n), summed modulo 2^32 (only differences of
    // two, at most n, are used, so the wrap-around cancels out). Bottom-up, level by level.
    std::vector<std::uint32_t> after(n + 1, 0);
    for (std::size_t l = levels.size() - 1; l-- > 0;) {
        const std::uint32_t begin = levels[l], count = levels[l + 1] - begin;
        const std::size_t blocks = parallelBlocks(threads, count);
        std::vector<std::uint32_t> blockSums(blocks, 0);
        parallelFor(threads, count, [&](std::size_t from, std::size_t to, std::size_t block) {
            std::uint32_t sum = blocks == 1 ? after[begin + count] : 0;
            for (std::size_t k = begin + to; k-- > begin + from;) {
                sum += 1 + after[firstChild[k]] - after[firstChild[k + 1]];
                after[k] = sum;
            }
            blockSums[block] = sum;
        });
        if (blocks == 1)
            continue;
        std::uint32_t carry = after[begin + count];
        for (std::size_t b = blocks; b-- > 0;) {
            const std::uint32_t sum = blockSums[b];
            blockSums[b] = carry;
            carry += sum;
        }
        parallelFor(threads, count, [&](std::size_t from, std::size_t to, std::size_t block) {
            for (std::size_t k = begin + from; k < begin + to; ++k)
                after[k] += blockSums[block];
        });
    }

    // Top-down: a span's position is its parent's + 1 + the sizes of its earlier siblings.
    std::vector<std::uint32_t> positionAt(n); // by index in byLevel
    position.resize(n);
    auto place = [&](std::size_t k, std::uint32_t pos, std::uint32_t parentIndex, std::size_t depth) {
        positionAt[k] = pos;
        position[byLevel[k]] = pos;
        Span& s = spans[byLevel[k]];
        s.parent = parentIndex;
        s.depth = static_cast<std::uint32_t>(depth);
        s.subtreeEnd = first + pos + (after[k] - after[k + 1]);
    };
    parallelFor(threads, levels[1], [&](std::size_t from, std::size_t to, std::size_t) {
        for (std::size_t k = from; k < to; ++k)
            place(k, after[0] - after[k], kNoIndex, 0);
    });
    for (std::size_t l = 1; l + 1 < levels.size(); ++l) {
        const std::uint32_t begin = levels[l], count = levels[l + 1] - begin;
        const auto parents = firstChild.begin() + levels[l - 1];
        parallelFor(threads, count, [&](std::size_t from, std::size_t to, std::size_t) {
            // The parent of byLevel[begin + from]: the last span of the level above whose children
            // start there or before.
            auto p = static_cast<std::size_t>(std::upper_bound(parents, firstChild.begin() + begin, begin + from) -
                                              firstChild.begin() - 1);
            for (std::size_t k = begin + from; k < begin + to; ++k) {
                while (firstChild[p + 1] <= k)
                    ++p;
                place(k, positionAt[p] + 1 + after[firstChild[p]] - after[k], first + positionAt[p], l);
            }
        });
    }
    byLevel = {};
    firstChild = {};
    after = {};
    positionAt = {};
    std::vector<std::uint32_t> order(n); // new position → local index
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
        for (auto v = static_cast<std::uint32_t>(begin); v < end; ++v)
            order[position[v]] = v;
    });
    return order;
}

} // namespace

void buildTraceTree(Dataset& data, Trace& trace, const BuildOptions& options, std::size_t threads)
{
    Span* spans = data.spans.data() + trace.first;
    const std::uint32_t n = trace.count;
    if (parallelBlocks(threads, n) == 1)
        threads = 1;
    std::vector<std::uint32_t> parent;
    resolveParents(spans, n, trace, parent, threads);
    throwIfCancelled(options);
    {
        const TopDown topDown = breakCycles(spans, trace, parent, threads);
        throwIfCancelled(options);
        if (options.adjustClockSkew)
            adjustClockSkew(data, trace, parent, topDown.order, topDown.levels, threads);
        placeUntimed(spans, n, parent, topDown, threads);
    }
    throwIfCancelled(options);

    // Depth-first order, siblings by start time.
    std::vector<std::uint32_t> position; // local index → new position
    std::vector<std::uint32_t> order;    // new position → local index
    {
        ChildLists children(parent, threads);
        sortSiblings(children, spans, threads);
        throwIfCancelled(options);
        order = threads == 1 ? depthFirstSerially(children, position)
                             : depthFirstInParallel(children, spans, trace.first, position, threads);
    }
    if (threads > 1)
        parent = {};
    throwIfCancelled(options);
    // Gather the spans in their new order: the reads are independent, so the memory system can
    // overlap them (following permutation cycles in place would chain one cache miss after another).
    {
        // Left uninitialised: every span is copied in (by the thread whose block it is, so the pages
        // are first touched on all threads).
        static_assert(std::is_trivially_destructible_v<Span>);
        const std::unique_ptr<std::byte[]> storage(new std::byte[std::size_t(n) * sizeof(Span)]);
        Span* laidOut = reinterpret_cast<Span*>(storage.get());
        parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
            constexpr std::size_t kAhead = 16;
            for (std::size_t pos = begin; pos < end; ++pos) {
                if (pos + kAhead < end)
                    __builtin_prefetch(&spans[order[pos + kAhead]]);
                new (laidOut + pos) Span(spans[order[pos]]);
            }
        });
        if (threads > 1)
            order = {};
        parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
            std::copy(laidOut + begin, laidOut + end, spans + begin);
        });
    }
    if (threads == 1)
        linkLaidOut(spans, trace.first, order, parent, position);

    placeTimes(spans, n, trace, threads);
    parallelFor(threads, n, [&](std::size_t begin, std::size_t end, std::size_t) {
        std::uint32_t errors = 0;
        for (std::size_t i = begin; i < end; ++i) {
            Span& s = spans[i];
            if (s.status == StatusCode::Error)
                ++errors;
            if (s.parent == kNoIndex)
                continue;
            // Other threads mark their spans meanwhile, this one's parent among them.
            Span& up = data.spans[s.parent];
            const auto upMarks = std::atomic_ref(up.marks).load(std::memory_order_relaxed);
            if (s.end > up.end && !(upMarks & MarkNoTiming))
                std::atomic_ref(s.marks).fetch_or(MarkOutlivesParent, std::memory_order_relaxed);
        }
        addCount(trace.errorCount, errors);
    });
    for (SpanWarning& w : trace.spanWarnings)
        w.span = trace.first + position[w.span - trace.first];
    std::stable_sort(trace.spanWarnings.begin(), trace.spanWarnings.end(),
                     [](const SpanWarning& a, const SpanWarning& b) { return a.span < b.span; });
}

} // namespace spanwise
