#include "otlp_answers.h"

#include <file_buffer.h>
#include <utf8_repair.h>

#include <google/protobuf/util/json_util.h>

#include <otlp_trace_service.pb.h>
#include <rpc_status.pb.h>

namespace spanwise::otlp_answers {

namespace {

// Protobuf strings must be UTF-8; messages may quote what a client sent.
std::string validUtf8(const std::string& text)
{
    if (isValidUtf8(text))
        return text;
    FileBuffer repaired;
    if (!Utf8Repair(text, repaired).ok())
        return {};
    return std::string(repaired.input().text());
}

std::string encode(const google::protobuf::Message& message, Encoding encoding)
{
    std::string out;
    if (encoding == Encoding::Protobuf) {
        message.SerializeToString(&out);
        return out;
    }
    // Field names in lowerCamelCase and 64-bit integers as strings, as OTLP/JSON has them.
    (void)google::protobuf::util::MessageToJsonString(message, &out);
    return out;
}

} // namespace

std::string exportResponse(const PayloadOutcome& outcome, Encoding encoding)
{
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
    if (outcome.rejectedSpans || !outcome.warning.empty()) {
        auto* partial = response.mutable_partial_success();
        partial->set_rejected_spans(static_cast<std::int64_t>(outcome.rejectedSpans));
        partial->set_error_message(validUtf8(outcome.warning));
    }
    return encode(response, encoding);
}

std::string status(int code, const std::string& message, Encoding encoding)
{
    google::rpc::Status status;
    status.set_code(code);
    status.set_message(validUtf8(message));
    return encode(status, encoding);
}

} // namespace spanwise::otlp_answers
