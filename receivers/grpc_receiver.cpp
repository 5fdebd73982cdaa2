#include "grpc_receiver.h"

#include "otlp_answers.h"

#include <QTcpServer>

#include <atomic>
#include <chrono>
#include <grpc/support/log.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <mutex>
#include <string_view>
#include <thread>

namespace spanwise {

namespace {

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

constexpr std::string_view kExportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

// What every call needs from the receiver.
struct CallEnvironment {
    const PayloadSink& sink;
    EndpointCounters& counters;
    std::uint64_t maxBytes;
    const std::atomic<bool>& draining; // stop() has begun: calls cut short are not the client's fault
};

// One call, from its arrival to its answer. The generic API hands over the call before its message
// (unlike a registered method, whose calls gRPC drops unseen when the message fails), so a message
// over the size limit is answered and counted here too.
class ExportCall {
public:
    ExportCall(grpc::AsyncGenericService& service, grpc::ServerCompletionQueue& queue) : m_stream(&m_context)
    {
        service.RequestCall(&m_context, &m_stream, &queue, &queue, this);
    }

    bool waitingForCall() const { return m_state == State::WaitingForCall; }

    // The operation started last came back from the queue (ok: it succeeded). Returns false when the
    // call is over and this can be deleted.
    bool proceed(bool ok, const CallEnvironment& environment)
    {
        EndpointCounters& counters = environment.counters;
        switch (m_state) {
        case State::WaitingForCall:
            if (!ok) // the server shuts down
                return false;
            if (m_context.method() != kExportMethod) {
                counters.count(RequestFault::NotFound);
                finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                    "Spanwise receives traces only (" + std::string(kExportMethod) + ")"));
                return true;
            }
            m_state = State::Reading;
            m_stream.Read(&m_request, this);
            return true;
        case State::Reading:
            if (ok) {
                answer(environment.sink, counters, environment.maxBytes);
            } else {
                // Either gRPC refused the message (larger than the limit; the client was told
                // RESOURCE_EXHAUSTED and the call is over) or the client closed without sending
                // one: which, the answer below tells.
                m_state = State::AnsweringMissingMessage;
                m_stream.Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call carried no request"), this);
            }
            return true;
        case State::AnsweringMissingMessage:
            if (!environment.draining)
                counters.count(ok ? RequestFault::Unreadable : RequestFault::TooLarge);
            return false;
        case State::Answering:
            break;
        }
        return false;
    }

private:
    enum class State { WaitingForCall, Reading, AnsweringMissingMessage, Answering };

    // The request has arrived whole: the sink takes it, then the answer is sent.
    void answer(const PayloadSink& sink, EndpointCounters& counters, std::uint64_t maxBytes)
    {
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
        m_state = State::Answering;
        m_stream.WriteAndFinish(grpc::ByteBuffer(&slice, 1), grpc::WriteOptions(), grpc::Status::OK, this);
    }

    void finish(const grpc::Status& status)
    {
        m_state = State::Answering;
        m_stream.Finish(status, this);
    }

    grpc::GenericServerContext m_context;
    grpc::GenericServerAsyncReaderWriter m_stream;
    grpc::ByteBuffer m_request;
    State m_state = State::WaitingForCall;
};

} // namespace

class GrpcReceiver::Impl {
public:
    Impl(const ReceiverOptions& options, const PayloadSink& sink, EndpointCounters& counters)
        : m_options(options), m_environment{sink, counters, options.maxRequestBytes, m_draining}
    {
    }

    std::string start(const HostPort& address)
    {
        static std::once_flag quiet;
        std::call_once(quiet, [] { gpr_set_log_function(keepGrpcErrors); });

        grpc::ServerBuilder builder;
        int port = 0;
        builder.AddListeningPort(address.text(), grpc::InsecureServerCredentials(), &port);
        builder.RegisterAsyncGenericService(&m_service);
        builder.SetMaxReceiveMessageSize(
            static_cast<int>(std::min<std::uint64_t>(m_options.maxRequestBytes, INT32_MAX)));
        // Another process on the same port must be an error, not a second listener sharing the calls.
        builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
        builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, std::max(1, m_options.maxConnections));
        // Streams are counted per connection: memory and idle connections are bounded across them all.
        builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, std::max(1000, m_options.idleTimeoutMs));
        m_quota.Resize(static_cast<std::size_t>(std::min<std::uint64_t>(
            std::uint64_t(2) * std::uint64_t(std::max(1, m_options.maxConnections)) * m_options.maxRequestBytes,
            std::uint64_t(1) << 31)));
        builder.SetResourceQuota(m_quota);
        const int threads = std::max(1, m_options.grpcThreads);
        for (int i = 0; i < threads; ++i) {
            m_workers.push_back(std::make_unique<Worker>());
            m_workers.back()->queue = builder.AddCompletionQueue();
        }
        m_server = builder.BuildAndStart();
        if (!m_server || port == 0) {
            m_server.reset();
            m_workers.clear();
            return whyNotListening(address);
        }
        m_port = static_cast<std::uint16_t>(port);
        for (auto& worker : m_workers) {
            new ExportCall(m_service, *worker->queue);
            worker->thread = std::thread([this, w = worker.get()] { serve(*w); });
        }
        return {};
    }

    void stop()
    {
        if (!m_server)
            return;
        m_draining = true;
        m_server->Shutdown(std::chrono::system_clock::now() + kDrainTime);
        for (auto& worker : m_workers) {
            const std::lock_guard lock(worker->mutex);
            worker->stopping = true;
            worker->queue->Shutdown();
        }
        for (auto& worker : m_workers)
            worker->thread.join();
        m_workers.clear();
        m_server.reset();
    }

    std::uint16_t port() const { return m_port; }

private:
    // A completion queue and the thread that serves the calls it brings.
    struct Worker {
        std::unique_ptr<grpc::ServerCompletionQueue> queue;
        std::thread thread;
        // Once the queue is shut down, starting an operation on it aborts: stopping is set with
        // the shutdown, and no event is handled meanwhile. Events still queued then (calls the
        // server ended without this side's answer) only free their call.
        std::mutex mutex;
        bool stopping = false;
    };

    void serve(Worker& worker)
    {
        void* tag = nullptr;
        bool ok = false;
        while (worker.queue->Next(&tag, &ok)) {
            auto* call = static_cast<ExportCall*>(tag);
            const std::lock_guard lock(worker.mutex);
            if (worker.stopping) {
                delete call;
                continue;
            }
            if (ok && call->waitingForCall())
                new ExportCall(m_service, *worker.queue); // the next call can arrive while this one is answered
            if (!call->proceed(ok, m_environment))
                delete call;
        }
    }

    ReceiverOptions m_options;
    std::atomic<bool> m_draining{false};
    const CallEnvironment m_environment;
    grpc::AsyncGenericService m_service;
    std::vector<std::unique_ptr<Worker>> m_workers;
    grpc::ResourceQuota m_quota{"spanwise-otlp-grpc"};
    std::unique_ptr<grpc::Server> m_server;
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
