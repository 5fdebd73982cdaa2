#pragma once

#include "dataset_builder.h"

namespace spanwise {

// Lays out the spans of one trace (contiguous in data.spans, in any order, parent indices not
// yet known): resolves each parent id, flags orphans, duplicate ids, cycles (cut) and Zipkin
// shared spans, adjusts clock skew when asked, then reorders the spans depth-first with
// siblings by start time and fills parent, depth and subtreeEnd. Span warnings of the trace
// follow their spans. Uses no recursion: any depth works.
void buildTraceTree(Dataset& data, Trace& trace, const BuildOptions& options);

} // namespace spanwise
