#pragma once
// Datadog APM JSON, read whole or, when big, in parts on several threads.

#include "importer.h"

namespace spanwise {

struct DatadogPartOptions {
    std::uint64_t partBytes = std::uint64_t(4) << 20;     // spans per part: about this many bytes
    std::uint64_t minInputBytes = std::uint64_t(4) << 20; // smaller inputs are read whole
};

// The dataset and report are those of one thread reading the input in order, whatever
// input.threads is.
void readDatadog(const Input& input, DatasetBuilder& builder, ImportReport& report,
                 const DatadogPartOptions& options = {});

} // namespace spanwise
