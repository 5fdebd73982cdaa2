#pragma once
// What the HTTP endpoints make of a request, apart from the socket: path, method, content type,
// content encoding and size are checked and the body decompressed, giving either a payload for the
// sink or the error answer. Then the sink's outcome becomes the answer the OTLP specification
// (OTLP/HTTP) or Zipkin's API prescribes.

#include "otlp_answers.h"
#include "receivers.h"

#include <optional>
#include <string>
#include <string_view>

namespace spanwise {

struct HttpRequestHead {
    std::string_view method;          // "POST"
    std::string_view path;            // "/v1/traces", without the query
    std::string_view contentType;     // the header's value; empty when absent
    std::string_view contentEncoding; // the header's value; empty when absent
};

// Why a request was refused; each kind has its counter.
enum class RequestFault { None, Unreadable, TooLarge, UnsupportedType, NotFound, WrongMethod, SinkFailure };

struct HttpAnswer {
    int status = 200;
    std::string contentType; // empty: no body
    std::string body;
    std::string allow; // the Allow header of a 405
    RequestFault fault = RequestFault::None;
};

struct DecodedRequest {
    std::optional<ReceivedPayload> payload; // set: hand it to the sink, then answer with answerOutcome()
    otlp_answers::Encoding encoding = otlp_answers::Encoding::Protobuf; // of the OTLP answer
    HttpAnswer answer;                                                  // without a payload: the error answer
};

DecodedRequest decodeHttpRequest(ReceiverEndpoint endpoint, const HttpRequestHead& head, std::string_view body,
                                 std::uint64_t maxBytes);
HttpAnswer answerOutcome(ReceiverEndpoint endpoint, otlp_answers::Encoding encoding, const PayloadOutcome& outcome);
// The sink could not take the spans (it threw): the client should send them again later.
HttpAnswer answerSinkFailure(ReceiverEndpoint endpoint, otlp_answers::Encoding encoding, const std::string& what);
// A body over the limit, found before it was all read (the content type may not be known yet).
HttpAnswer answerTooLarge(std::uint64_t maxBytes);

} // namespace spanwise
