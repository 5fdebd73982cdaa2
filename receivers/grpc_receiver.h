#pragma once
// OTLP/gRPC: TraceService/Export on gRPC's asynchronous generic API, the request taken as raw bytes
// (the importer reads them, no protobuf objects in between). Worker threads each take calls from
// their completion queue and call the sink, one at a time; gRPC itself decompresses (gzip, deflate)
// and enforces the size limit on the decompressed message.

#include "endpoint_address.h"
#include "receiver_counters.h"

#include <memory>
#include <string>

namespace spanwise {

class GrpcReceiver {
public:
    GrpcReceiver(const ReceiverOptions& options, const PayloadSink& sink, EndpointCounters& counters);
    ~GrpcReceiver();

    // Listens on address (port 0: a free one); returns the reason in words when it cannot.
    std::string start(const HostPort& address);
    std::uint16_t port() const;
    // Stops taking calls and waits for those in flight to be answered.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace spanwise
