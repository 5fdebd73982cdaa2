#pragma once

#include "dataset_builder.h"

namespace spanwise {

// Lays out the spans of one trace (contiguous in data.spans, in any order, parent indices not
// yet known): resolves each parent id, flags orphans, duplicate ids, cycles (cut) and Zipkin
// shared spans, adjusts clock skew when asked, then reorders the spans depth-first with
// siblings by start time and fills parent, depth and subtreeEnd. Span warnings of the trace
// follow their spans. Uses no recursion: any depth works.
//
// With threads > 1 (and enough spans for each), every step is split among that many threads, the
// calling one included, with the same result as one thread. Only the calling thread asks
// options.cancelled, between the steps.
void buildTraceTree(Dataset& data, Trace& trace, const BuildOptions& options, std::size_t threads = 1);

} // namespace spanwise
