#pragma once
// Live receivers: OTLP/gRPC (TraceService/Export), OTLP/HTTP (POST /v1/traces) and Zipkin
// (POST /api/v2/spans, /api/v1/spans). Each request body is checked (size, content type,
// compression), decompressed and handed to the sink; its outcome becomes the answer the OTLP and
// Zipkin specifications prescribe. Bad requests get an error answer and are counted; the receivers
// keep serving.
//
// The HTTP endpoints run on a thread of their own (a QCoreApplication must exist), gRPC on its own
// worker threads: the caller needs no event loop.

#include "received_payload.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spanwise {

enum class ReceiverEndpoint { OtlpGrpc, OtlpHttp, Zipkin };
inline constexpr std::size_t kReceiverEndpointCount = 3;
const char* toString(ReceiverEndpoint endpoint);    // "otlp-grpc", "otlp-http", "zipkin"
const char* displayName(ReceiverEndpoint endpoint); // "OTLP/gRPC", "OTLP/HTTP", "Zipkin"

struct ReceiverOptions {
    // "host:port" (IPv6 as "[::1]:4317") per endpoint; empty: that endpoint is not started.
    // Port 0 picks a free port (see Receivers::addresses()).
    std::string otlpGrpc = "127.0.0.1:4317";
    std::string otlpHttp = "127.0.0.1:4318";
    std::string zipkin = "127.0.0.1:9411";
    // A body larger than this, as sent or decompressed, is refused (HTTP 413, gRPC RESOURCE_EXHAUSTED).
    std::uint64_t maxRequestBytes = std::uint64_t(4) << 20;
    // Open connections per HTTP endpoint (more wait to be accepted); gRPC requests handled at once.
    int maxConnections = 64;
    // An HTTP connection that sends nothing for this long is closed.
    int idleTimeoutMs = 30000;
    // Threads answering gRPC requests (each calls the sink).
    int grpcThreads = 2;

    const std::string& address(ReceiverEndpoint endpoint) const;
};

// Addresses that are not loopback, as a warning for the user: anyone on that network can send spans.
// Empty when every endpoint is bound to loopback.
std::vector<std::string> exposureWarnings(const ReceiverOptions& options);

struct ReceiverCounters {
    std::uint64_t requests = 0;      // every request answered, good or bad
    std::uint64_t acceptedSpans = 0; // as the sink reported them
    std::uint64_t rejectedSpans = 0;
    // Errors by kind.
    std::uint64_t unreadable = 0;      // body not readable: HTTP 400, gRPC INVALID_ARGUMENT
    std::uint64_t tooLarge = 0;        // HTTP 413, gRPC RESOURCE_EXHAUSTED
    std::uint64_t unsupportedType = 0; // HTTP 415: content type or content encoding
    std::uint64_t notFound = 0;        // HTTP 404: another path
    std::uint64_t wrongMethod = 0;     // HTTP 405: not POST
    std::uint64_t timedOut = 0;        // HTTP connection closed for idling mid-request
    std::uint64_t sinkFailures = 0;    // the sink threw: HTTP 500, gRPC INTERNAL

    std::uint64_t errors() const
    {
        return unreadable + tooLarge + unsupportedType + notFound + wrongMethod + timedOut + sinkFailures;
    }
};

struct BoundAddress {
    ReceiverEndpoint endpoint;
    std::string address; // "127.0.0.1:4318", the port the system picked when 0 was asked for
};

class Receivers {
public:
    Receivers(ReceiverOptions options, PayloadSink sink);
    ~Receivers(); // stops
    Receivers(const Receivers&) = delete;
    Receivers& operator=(const Receivers&) = delete;

    // Starts every endpoint the options name. Returns one message per endpoint that could not start,
    // in words ("OTLP/HTTP on 127.0.0.1:4318: the address is already in use"); the others run.
    std::vector<std::string> start();
    // Stops listening, then waits for the requests in flight to be answered (their sink calls
    // return): everything acknowledged has reached the sink. Idempotent.
    void stop();

    std::vector<BoundAddress> addresses() const; // the endpoints that run
    // Snapshots, from any thread: all endpoints together, or one.
    ReceiverCounters counters() const;
    ReceiverCounters counters(ReceiverEndpoint endpoint) const;

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace spanwise
