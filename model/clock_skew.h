#pragma once

#include "dataset.h"

#include <cstddef>
#include <span>

namespace spanwise {

// Clock-skew adjustment for one trace, as Jaeger's and Zipkin's adjusters do it: only where a
// synchronous call crossed hosts (a server span whose parent is a client span on another host)
// and the child starts before its parent or ends after it. A child that fits is centred in its
// parent; a longer one is moved only so it does not start before the parent. The same delta moves
// the rest of that host's subtree. Asynchronous children are never moved on their own.
//
// parent: local parent index per span of the trace (kNoIndex for top-level spans);
// topDown: every local index, each parent before its children;
// levels: optional starts of the levels of topDown (each level's parents in the levels above),
// its last entry the end of the last level; a level of many spans is split among `threads`
// threads, the calling one included. The spans after the last level are adjusted in order.
void adjustClockSkew(Dataset& data, Trace& trace, std::span<const std::uint32_t> parent,
                     std::span<const std::uint32_t> topDown, std::span<const std::uint32_t> levels = {},
                     std::size_t threads = 1);

} // namespace spanwise
