#pragma once
// The bodies of OTLP answers: ExportTraceServiceResponse (with partial success when spans were
// rejected) and google.rpc.Status for errors, as protobuf or as OTLP JSON.

#include "received_payload.h"

#include <string>

namespace spanwise::otlp_answers {

enum class Encoding { Protobuf, Json };

std::string exportResponse(const PayloadOutcome& outcome, Encoding encoding);

// gRPC status codes used in a Status body (google.rpc.Code).
inline constexpr int kInvalidArgument = 3;
inline constexpr int kResourceExhausted = 8;
inline constexpr int kUnavailable = 14;
std::string status(int code, const std::string& message, Encoding encoding);

} // namespace spanwise::otlp_answers
