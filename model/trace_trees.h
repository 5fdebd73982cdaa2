#pragma once

#include "dataset_builder.h"

namespace spanwise {

// A trace of at least this many spans, and more than one thread's share of all spans, is built by
// all the threads together, one such trace after the other; the others are built whole, each by
// one thread, many at a time.
inline constexpr std::uint32_t kTraceSpansForAllThreads = 65536;

// Builds the tree of every trace of data (see buildTraceTree) on up to options.threads threads,
// the calling one included. The result is the same with any number of threads. Only the calling
// thread asks options.cancelled: between the steps of a big trace, before the helpers start on the
// small ones, between its own traces and after they end. A helper stops at its next step once the
// caller has heard "cancel". Throws BuildCancelled when cancelled, and what a thread threw (out of
// memory) once all have stopped.
void buildTraceTrees(Dataset& data, const BuildOptions& options);

} // namespace spanwise
