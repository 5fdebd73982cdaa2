#include "grpc_receiver.h"

#include "otlp_answers.h"

#include <QTcpServer>

#include <atomic>
#include <chrono>
#include <grpc/support/log.h>
#include <grpcpp/grpcpp.h>
#include <mutex>
#include <otlp_trace_service.grpc.pb.h>
#include <thread>

namespace spanwise {

namespace {

using TraceService = opentelemetry::proto::collector::trace::v1::TraceService;
using RawService = TraceService::WithRawMethod_Export<TraceService::Service>;

// How long stop() waits for calls in flight (each a sink call) before cancelling them.
constexpr auto kDrainTime = std::chrono::seconds(10);

// gRPC logs to stderr; Spanwise's commands print nothing there on success. Its last error is kept
// for a message when the server cannot start.
std::mutex g_logMutex;
std::string g_lastGrpcError;

void keepGrpcErrors(gpr_log_func_args* args)
{
    if (args->severity != GPR_LOG_SEVERITY_ERROR)
        return;
    const std::lock_guard lock(g_logMutex);
    g_lastGrpcError = args->message;
}

// Why address cannot be listened on, in the words the HTTP endpoints use.
std::string whyNotListening(const HostPort& address)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress(QString::fromStdString(address.host)), address.port))
        return probe.errorString().toStdString();
    const std::lock_guard lock(g_logMutex);
    return g_lastGrpcError.empty() ? "gRPC could not start its server" : g_lastGrpcError;
}

// One Export call, from the request to its answer.
class ExportCall {
public:
    ExportCall(RawService& service, grpc::ServerCompletionQueue& queue)
        : m_service(service), m_queue(queue), m_responder(&m_context)
    {
        m_service.RequestExport(&m_context, &m_request, &m_responder, &m_queue, &m_queue, this);
    }

    bool answered() const { return m_answered; }

    // The request has arrived: the sink takes it, then the answer is sent (its completion comes
    // back through the queue with this call as its tag).
    void answer(const PayloadSink& sink, EndpointCounters& counters, std::uint64_t maxBytes)
    {
        m_answered = true;
        std::vector<grpc::Slice> slices;
        std::size_t size = 0;
        if (m_request.Dump(&slices).ok())
            for (const grpc::Slice& slice : slices)
                size += slice.size();
        if (size > maxBytes) { // gRPC checks this too (SetMaxReceiveMessageSize)
            counters.count(RequestFault::TooLarge);
            finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "the request is larger than the limit"));
            return;
        }
        ReceivedPayload payload{"otlp-grpc", "otlp-proto", {}};
        payload.bytes.reserve(size);
        for (const grpc::Slice& slice : slices)
            payload.bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
        m_request.Clear();

        PayloadOutcome outcome;
        try {
            outcome = sink(std::move(payload));
        } catch (const std::exception& e) {
            counters.count(RequestFault::SinkFailure);
            finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string("the spans could not be stored (") +
                                                                   e.what() + "); send them again later"));
            return;
        }
        if (!outcome.error.empty()) {
            counters.count(RequestFault::Unreadable, &outcome);
            finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, outcome.error));
            return;
        }
        counters.count(RequestFault::None, &outcome);
        const std::string response = otlp_answers::exportResponse(outcome, otlp_answers::Encoding::Protobuf);
        grpc::Slice slice(response);
        m_responder.Finish(grpc::ByteBuffer(&slice, 1), grpc::Status::OK, this);
    }

private:
    void finish(const grpc::Status& status) { m_responder.FinishWithError(status, this); }

    RawService& m_service;
    grpc::ServerCompletionQueue& m_queue;
    grpc::ServerContext m_context;
    grpc::ByteBuffer m_request;
    grpc::ServerAsyncResponseWriter<grpc::ByteBuffer> m_responder;
    bool m_answered = false;
};

} // namespace

class GrpcReceiver::Impl {
public:
    Impl(const ReceiverOptions& options, const PayloadSink& sink, EndpointCounters& counters)
        : m_options(options), m_sink(sink), m_counters(counters)
    {
    }

    std::string start(const HostPort& address)
    {
        static std::once_flag quiet;
        std::call_once(quiet, [] { gpr_set_log_function(keepGrpcErrors); });

        grpc::ServerBuilder builder;
        int port = 0;
        builder.AddListeningPort(address.text(), grpc::InsecureServerCredentials(), &port);
        builder.RegisterService(&m_service);
        builder.SetMaxReceiveMessageSize(
            static_cast<int>(std::min<std::uint64_t>(m_options.maxRequestBytes, INT32_MAX)));
        // Another process on the same port must be an error, not a second listener sharing the calls.
        builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
        builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, std::max(1, m_options.maxConnections));
        const int threads = std::max(1, m_options.grpcThreads);
        for (int i = 0; i < threads; ++i)
            m_queues.push_back(builder.AddCompletionQueue());
        m_server = builder.BuildAndStart();
        if (!m_server || port == 0) {
            m_server.reset();
            m_queues.clear();
            return whyNotListening(address);
        }
        m_port = static_cast<std::uint16_t>(port);
        for (auto& queue : m_queues)
            m_workers.emplace_back([this, q = queue.get()] { serve(*q); });
        return {};
    }

    void stop()
    {
        if (!m_server)
            return;
        m_server->Shutdown(std::chrono::system_clock::now() + kDrainTime);
        for (auto& queue : m_queues)
            queue->Shutdown();
        for (std::thread& worker : m_workers)
            worker.join();
        m_workers.clear();
        m_server.reset();
        m_queues.clear();
    }

    std::uint16_t port() const { return m_port; }

private:
    void serve(grpc::ServerCompletionQueue& queue)
    {
        new ExportCall(m_service, queue);
        void* tag = nullptr;
        bool ok = false;
        while (queue.Next(&tag, &ok)) {
            auto* call = static_cast<ExportCall*>(tag);
            if (!ok || call->answered()) { // shut down before a request came, or the answer is sent
                delete call;
                continue;
            }
            new ExportCall(m_service, queue); // the next call can arrive while this one is answered
            call->answer(m_sink, m_counters, m_options.maxRequestBytes);
        }
    }

    ReceiverOptions m_options;
    const PayloadSink& m_sink;
    EndpointCounters& m_counters;
    RawService m_service;
    std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> m_queues;
    std::unique_ptr<grpc::Server> m_server;
    std::vector<std::thread> m_workers;
    std::uint16_t m_port = 0;
};

GrpcReceiver::GrpcReceiver(const ReceiverOptions& options, const PayloadSink& sink, EndpointCounters& counters)
    : m_impl(std::make_unique<Impl>(options, sink, counters))
{
}

GrpcReceiver::~GrpcReceiver()
{
    stop();
}

std::string GrpcReceiver::start(const HostPort& address)
{
    return m_impl->start(address);
}

std::uint16_t GrpcReceiver::port() const
{
    return m_impl->port();
}

void GrpcReceiver::stop()
{
    m_impl->stop();
}

} // namespace spanwise
