// The HTTP receivers' request path without the socket: route, content type, content encoding and
// size checks, decompression, the importer the content type names, the model build and the answer,
// whose body must decode again. The first input byte picks the endpoint (bit 0), the content type
// (bits 1-3), the content encoding (bits 4-5) and the path (bit 6: Zipkin v1, or a path OTLP does
// not serve); the rest is the body.
#include "fuzz_check.h"

#include <http_request.h>
#include <payload_import.h>

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <array>
#include <otlp_trace_service.pb.h>
#include <rpc_status.pb.h>

using namespace spanwise;

namespace {

constexpr std::uint64_t kMaxBytes = 1 << 20;

constexpr std::array<std::string_view, 6> kContentTypes = {
    "application/x-protobuf", "application/json", "application/json; charset=utf-8", "", "text/plain",
    "APPLICATION/X-PROTOBUF "};
constexpr std::array<std::string_view, 4> kEncodings = {"", "gzip", "zstd", "br"};

bool decodes(const google::protobuf::Message& prototype, const std::string& body, bool json)
{
    std::unique_ptr<google::protobuf::Message> message(prototype.New());
    if (!json)
        return message->ParseFromString(body);
    return google::protobuf::util::JsonStringToMessage(body, message.get()).ok();
}

std::string findAnswerProblem(ReceiverEndpoint endpoint, const HttpAnswer& answer)
{
    static constexpr std::array<int, 7> kStatuses = {200, 202, 400, 404, 405, 413, 415};
    if (std::find(kStatuses.begin(), kStatuses.end(), answer.status) == kStatuses.end())
        return "unexpected status " + std::to_string(answer.status);
    if (endpoint == ReceiverEndpoint::Zipkin || answer.contentType.rfind("text/plain", 0) == 0)
        return {};
    const bool json = answer.contentType == "application/json";
    if (!json && answer.contentType != "application/x-protobuf")
        return "unexpected content type " + answer.contentType;
    const bool decoded = answer.status == 200
                             ? decodes(opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse(),
                                       answer.body, json)
                             : decodes(google::rpc::Status(), answer.body, json);
    return decoded ? std::string() : "the answer's body does not decode: " + answer.body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t pick = data[0];
    const ReceiverEndpoint endpoint = pick & 1 ? ReceiverEndpoint::Zipkin : ReceiverEndpoint::OtlpHttp;
    const bool otherPath = pick & 0x40;
    const std::string_view path = endpoint == ReceiverEndpoint::Zipkin ? (otherPath ? "/api/v1/spans" : "/api/v2/spans")
                                                                       : (otherPath ? "/v1/metrics" : "/v1/traces");
    const HttpRequestHead head{"POST", path, kContentTypes[((pick >> 1) & 7) % kContentTypes.size()],
                               kEncodings[(pick >> 4) & 3]};
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

    DecodedRequest decoded = decodeHttpRequest(endpoint, head, body, kMaxBytes);
    if (!decoded.payload) {
        fuzz::abortOn(findAnswerProblem(endpoint, decoded.answer));
        return 0;
    }
    if (decoded.payload->bytes.size() > kMaxBytes)
        fuzz::abortOn("a payload of " + std::to_string(decoded.payload->bytes.size()) + " bytes passed the limit");
    DatasetBuilder builder;
    ImportReport report;
    const PayloadOutcome outcome = importPayload(*decoded.payload, builder, report);
    const Dataset dataset = builder.finish();
    fuzz::abortOn(check::findModelProblem(dataset, report, decoded.payload->bytes.size()));
    fuzz::abortOn(findAnswerProblem(endpoint, answerOutcome(endpoint, decoded.encoding, outcome)));
    return 0;
}
