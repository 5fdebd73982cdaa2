#pragma once
// What a receiver hands on: one request's body, decompressed, with the importer format that reads
// it. The receivers only receive; what is done with the spans is up to a sink.

#include <cstdint>
#include <functional>
#include <string>

namespace spanwise {

struct ReceivedPayload {
    std::string endpoint; // "otlp-grpc", "otlp-http", "zipkin"
    std::string format;   // the importer's format (Importer::format): "otlp-proto", "otlp-json", "zipkin"
    std::string bytes;    // the request body, decompressed
};

struct PayloadOutcome {
    std::uint64_t acceptedSpans = 0;
    std::uint64_t rejectedSpans = 0;
    std::string error;   // not empty: the body could not be read (HTTP 400, gRPC INVALID_ARGUMENT);
                         // the client is told nothing was accepted
    std::string warning; // with rejected spans: why (OTLP partial success message)
};

// Called from any thread (several at once), may block: the request is answered when it returns,
// so a sink that stores the spans before returning makes "acknowledged" mean "stored".
using PayloadSink = std::function<PayloadOutcome(ReceivedPayload&&)>;

} // namespace spanwise
