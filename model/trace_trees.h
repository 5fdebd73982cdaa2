#pragma once

#include "dataset_builder.h"

namespace spanwise {

// Builds the tree of every trace of data (see buildTraceTree) on up to options.threads threads,
// the calling one included. Traces are independent, so the result is the same with any number of
// threads; one trace is never split. Only the calling thread asks options.cancelled: before the
// helpers start, between its own traces and after they end. A helper stops at its next step once
// the caller has heard "cancel", so a huge trace in a helper can delay that. Throws BuildCancelled
// when cancelled, and what a thread threw (out of memory) once all have stopped.
void buildTraceTrees(Dataset& data, const BuildOptions& options);

} // namespace spanwise
