#pragma once

#include <string>
#include <vector>

namespace spanwise {

// `spanwise record -o OUT.otlp.pb|OUT.otlp.jsonl [--otlp-grpc ADDR] [--otlp-http ADDR] [--zipkin ADDR]
// [--idle SECONDS] [--max-spans N]`: receives spans from running applications until SIGINT, SIGTERM or
// --idle seconds without spans, writes them as OTLP and prints the summary of what was recorded.
int runRecordCommand(const std::vector<std::string>& args);

} // namespace spanwise
