#include "http_request.h"

#include <decompress.h>
#include <file_buffer.h>

#include <algorithm>
#include <cctype>
#include <variant>

namespace spanwise {

namespace {

using otlp_answers::Encoding;

constexpr std::string_view kOtlpPath = "/v1/traces";
constexpr std::string_view kZipkinV2Path = "/api/v2/spans";
constexpr std::string_view kZipkinV1Path = "/api/v1/spans";

// "Application/JSON; charset=utf-8" -> "application/json"
std::string mediaType(std::string_view value)
{
    value = value.substr(0, value.find(';'));
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    std::string lower(value);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower;
}

std::string sizeText(std::uint64_t bytes)
{
    if (bytes && bytes % (1 << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

HttpAnswer text(int status, RequestFault fault, std::string message)
{
    return {status, "text/plain; charset=utf-8", std::move(message) + "\n", {}, fault};
}

const char* contentTypeOf(Encoding encoding)
{
    return encoding == Encoding::Json ? "application/json" : "application/x-protobuf";
}

// An error in the OTLP way: a google.rpc.Status encoded as the request was; plain text for Zipkin.
HttpAnswer error(ReceiverEndpoint endpoint, Encoding encoding, int status, RequestFault fault, int code,
                 const std::string& message)
{
    if (endpoint == ReceiverEndpoint::Zipkin)
        return text(status, fault, message);
    return {status, contentTypeOf(encoding), otlp_answers::status(code, message, encoding), {}, fault};
}

HttpAnswer tooLarge(ReceiverEndpoint endpoint, Encoding encoding, const std::string& message)
{
    return error(endpoint, encoding, 413, RequestFault::TooLarge, otlp_answers::kResourceExhausted, message);
}

HttpAnswer unreadable(ReceiverEndpoint endpoint, Encoding encoding, const std::string& message)
{
    return error(endpoint, encoding, 400, RequestFault::Unreadable, otlp_answers::kInvalidArgument, message);
}

struct Route {
    std::string_view format; // the importer's
    Encoding encoding = Encoding::Protobuf;
};

// The route and content type of a request, or the answer refusing it.
std::variant<Route, HttpAnswer> route(ReceiverEndpoint endpoint, const HttpRequestHead& head)
{
    const bool otlp = endpoint == ReceiverEndpoint::OtlpHttp;
    const bool known = otlp ? head.path == kOtlpPath : head.path == kZipkinV2Path || head.path == kZipkinV1Path;
    if (!known)
        return text(404, RequestFault::NotFound,
                    otlp ? "404 page not found: OTLP/HTTP takes traces at POST /v1/traces"
                         : "404 page not found: Zipkin takes spans at POST /api/v2/spans (or /api/v1/spans)");
    if (head.method != "POST") {
        HttpAnswer answer = text(405, RequestFault::WrongMethod, "405 method not allowed: send spans with POST");
        answer.allow = "POST";
        return answer;
    }
    const std::string type = mediaType(head.contentType);
    if (otlp) {
        if (type == "application/x-protobuf")
            return Route{"otlp-proto", Encoding::Protobuf};
        if (type == "application/json")
            return Route{"otlp-json", Encoding::Json};
        return text(415, RequestFault::UnsupportedType,
                    "415 unsupported media type \"" + type +
                        "\", supported: [application/json, application/x-protobuf]");
    }
    // Zipkin's collector takes a body without a content type as JSON.
    if (type.empty() || type == "application/json")
        return Route{"zipkin", Encoding::Json};
    return text(415, RequestFault::UnsupportedType,
                "415 unsupported media type \"" + type + "\": send Zipkin spans as application/json");
}

} // namespace

DecodedRequest decodeHttpRequest(ReceiverEndpoint endpoint, const HttpRequestHead& head, std::string_view body,
                                 std::uint64_t maxBytes)
{
    DecodedRequest decoded;
    auto routed = route(endpoint, head);
    if (auto* refused = std::get_if<HttpAnswer>(&routed)) {
        decoded.answer = std::move(*refused);
        return decoded;
    }
    const Route r = std::get<Route>(routed);
    decoded.encoding = r.encoding;
    if (body.size() > maxBytes) {
        decoded.answer = tooLarge(endpoint, r.encoding,
                                  "the body has " + std::to_string(body.size()) + " bytes, more than the limit of " +
                                      sizeText(maxBytes));
        return decoded;
    }

    const std::string coding = mediaType(head.contentEncoding);
    Compression compression = Compression::None;
    if (coding == "gzip")
        compression = Compression::Gzip;
    else if (coding == "zstd")
        compression = Compression::Zstd;
    else if (!coding.empty() && coding != "identity") {
        decoded.answer = error(endpoint, r.encoding, 415, RequestFault::UnsupportedType, otlp_answers::kInvalidArgument,
                               "unsupported Content-Encoding \"" + coding + "\", supported: gzip, zstd, identity");
        return decoded;
    }

    ReceivedPayload payload{toString(endpoint), std::string(r.format), {}};
    if (compression == Compression::None) {
        payload.bytes.assign(body);
    } else {
        if (detectCompression(body) != compression) {
            decoded.answer = unreadable(
                endpoint, r.encoding, "the Content-Encoding is " + coding + " but the body is not " + coding + " data");
            return decoded;
        }
        FileBuffer plain;
        const DecompressResult result = decompress({body.data(), body.size()}, compression, maxBytes, plain);
        if (!result.ok) {
            const std::string where = coding + " body unreadable at compressed byte " +
                                      std::to_string(result.errorOffset) + ": ";
            decoded.answer = plain.input().size >= maxBytes
                                 ? tooLarge(endpoint, r.encoding,
                                            "the body decompresses to more than the limit of " + sizeText(maxBytes))
                                 : unreadable(endpoint, r.encoding, where + result.error);
            return decoded;
        }
        payload.bytes.assign(plain.input().text());
    }
    decoded.payload = std::move(payload);
    return decoded;
}

HttpAnswer answerOutcome(ReceiverEndpoint endpoint, Encoding encoding, const PayloadOutcome& outcome)
{
    if (!outcome.error.empty())
        return unreadable(endpoint, encoding, outcome.error);
    if (endpoint == ReceiverEndpoint::Zipkin)
        return {202, {}, {}, {}, RequestFault::None}; // as Zipkin's collector answers
    return {200, contentTypeOf(encoding), otlp_answers::exportResponse(outcome, encoding), {}, RequestFault::None};
}

HttpAnswer answerSinkFailure(ReceiverEndpoint endpoint, Encoding encoding, const std::string& what)
{
    return error(endpoint, encoding, 503, RequestFault::SinkFailure, otlp_answers::kUnavailable,
                 "the spans could not be stored (" + what + "); send them again later");
}

HttpAnswer answerTooLarge(std::uint64_t maxBytes)
{
    return text(413, RequestFault::TooLarge, "413 request entity too large: the limit is " + sizeText(maxBytes));
}

} // namespace spanwise
