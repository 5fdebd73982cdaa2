#pragma once
// The OTLP protobuf importer's reading, with the size of its parts as a parameter for tests.

#include "importer.h"

namespace spanwise {

// Reads OTLP protobuf cut into parts of about partBytes at span boundaries, on input.threads threads
// (the importer uses kPartBytes). 0, or any wire problem in the messages holding the spans: the
// whole input in one pass. Both give the same dataset and report.
void readOtlpProto(const Input& input, DatasetBuilder& builder, ImportReport& report, std::uint64_t partBytes);

} // namespace spanwise
