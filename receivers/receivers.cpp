#include "receivers.h"

#include "endpoint_address.h"
#include "grpc_receiver.h"
#include "http_receiver.h"

#include <QThread>

#include <chrono>
#include <thread>

namespace spanwise {

namespace {

constexpr std::array<ReceiverEndpoint, kReceiverEndpointCount> kEndpoints = {
    ReceiverEndpoint::OtlpGrpc, ReceiverEndpoint::OtlpHttp, ReceiverEndpoint::Zipkin};
// How long stop() lets HTTP requests being received arrive and be answered.
constexpr auto kHttpDrainTime = std::chrono::seconds(5);

std::size_t indexOf(ReceiverEndpoint endpoint)
{
    return static_cast<std::size_t>(endpoint);
}

} // namespace

const char* toString(ReceiverEndpoint endpoint)
{
    switch (endpoint) {
    case ReceiverEndpoint::OtlpGrpc:
        return "otlp-grpc";
    case ReceiverEndpoint::OtlpHttp:
        return "otlp-http";
    case ReceiverEndpoint::Zipkin:
        break;
    }
    return "zipkin";
}

const char* displayName(ReceiverEndpoint endpoint)
{
    switch (endpoint) {
    case ReceiverEndpoint::OtlpGrpc:
        return "OTLP/gRPC";
    case ReceiverEndpoint::OtlpHttp:
        return "OTLP/HTTP";
    case ReceiverEndpoint::Zipkin:
        break;
    }
    return "Zipkin";
}

const std::string& ReceiverOptions::address(ReceiverEndpoint endpoint) const
{
    switch (endpoint) {
    case ReceiverEndpoint::OtlpGrpc:
        return otlpGrpc;
    case ReceiverEndpoint::OtlpHttp:
        return otlpHttp;
    case ReceiverEndpoint::Zipkin:
        break;
    }
    return zipkin;
}

std::vector<std::string> exposureWarnings(const ReceiverOptions& options)
{
    std::vector<std::string> warnings;
    for (ReceiverEndpoint endpoint : kEndpoints) {
        std::string error;
        const auto address = parseHostPort(options.address(endpoint), error);
        if (address && !address->loopback)
            warnings.push_back(std::string(displayName(endpoint)) + " listens on " + address->text() +
                               ", not only on this machine: anyone who can reach it over the network can send "
                               "spans to it");
    }
    return warnings;
}

class Receivers::Impl {
public:
    Impl(ReceiverOptions options, PayloadSink sink) : m_options(std::move(options)), m_sink(std::move(sink)) {}
    ~Impl() { stop(); }

    std::vector<std::string> start()
    {
        std::vector<std::string> errors;
        for (ReceiverEndpoint endpoint : kEndpoints) {
            const std::string& text = m_options.address(endpoint);
            if (text.empty())
                continue;
            std::string error;
            const auto address = parseHostPort(text, error);
            if (!address) {
                errors.push_back(std::string(displayName(endpoint)) + ": " + error);
                continue;
            }
            const auto [port, failure] = endpoint == ReceiverEndpoint::OtlpGrpc ? startGrpc(*address)
                                                                                : startHttp(endpoint, *address);
            if (!failure.empty()) {
                errors.push_back(std::string(displayName(endpoint)) + " on " + address->text() + ": " + failure);
                continue;
            }
            HostPort bound = *address;
            bound.port = port;
            m_bound.push_back({endpoint, bound.text()});
        }
        return errors;
    }

    void stop()
    {
        // Both drain at once: stopping waits for the slower of the two, not for their sum.
        std::jthread grpcStop;
        if (m_grpc)
            grpcStop = std::jthread([this] { m_grpc->stop(); });
        if (m_thread.isRunning()) {
            inThread([this] {
                for (HttpReceiver* receiver : m_http)
                    receiver->beginStop();
            });
            const auto deadline = std::chrono::steady_clock::now() + kHttpDrainTime;
            while (openConnections() > 0 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            inThread([this] {
                qDeleteAll(m_http);
                m_http.clear();
            });
            m_thread.quit();
            m_thread.wait();
        }
        if (grpcStop.joinable())
            grpcStop.join();
        m_bound.clear();
    }

    std::vector<BoundAddress> addresses() const { return m_bound; }

    ReceiverCounters counters(ReceiverEndpoint endpoint) const { return m_counters[indexOf(endpoint)].snapshot(); }

private:
    struct Started {
        std::uint16_t port = 0;
        std::string error;
    };

    Started startGrpc(const HostPort& address)
    {
        m_grpc = std::make_unique<GrpcReceiver>(m_options, m_sink, m_counters[indexOf(ReceiverEndpoint::OtlpGrpc)]);
        const std::string error = m_grpc->start(address);
        if (!error.empty())
            m_grpc.reset();
        return {m_grpc ? m_grpc->port() : std::uint16_t(0), error};
    }

    Started startHttp(ReceiverEndpoint endpoint, const HostPort& address)
    {
        if (!m_thread.isRunning()) {
            m_thread.setObjectName(QStringLiteral("spanwise-http"));
            m_thread.start();
            m_anchor.moveToThread(&m_thread);
        }
        Started started;
        inThread([&] {
            const ConnectionLimits limits{.maxRequestBytes = m_options.maxRequestBytes,
                                          .maxConnections = std::max(1, m_options.maxConnections),
                                          .requestTimeoutMs = m_options.idleTimeoutMs};
            auto* receiver = new HttpReceiver(endpoint, limits, m_sink, m_counters[indexOf(endpoint)]);
            started.error = receiver->start(QHostAddress(QString::fromStdString(address.host)), address.port);
            if (!started.error.empty()) {
                delete receiver;
                return;
            }
            started.port = receiver->port();
            m_http.push_back(receiver);
        });
        return started;
    }

    int openConnections()
    {
        int open = 0;
        inThread([&] {
            for (const HttpReceiver* receiver : m_http)
                open += receiver->openConnections();
        });
        return open;
    }

    // Runs f on the HTTP thread, where the HTTP receivers live, and waits for it.
    template <typename F>
    void inThread(F&& f)
    {
        QMetaObject::invokeMethod(&m_anchor, std::forward<F>(f), Qt::BlockingQueuedConnection);
    }

    ReceiverOptions m_options;
    PayloadSink m_sink;
    std::array<EndpointCounters, kReceiverEndpointCount> m_counters;
    std::unique_ptr<GrpcReceiver> m_grpc;
    QThread m_thread;
    QObject m_anchor;                  // lives in m_thread: the context of what runs there
    std::vector<HttpReceiver*> m_http; // live in m_thread
    std::vector<BoundAddress> m_bound;
};

Receivers::Receivers(ReceiverOptions options, PayloadSink sink)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(sink)))
{
}

Receivers::~Receivers() = default;

std::vector<std::string> Receivers::start()
{
    return m_impl->start();
}

void Receivers::stop()
{
    m_impl->stop();
}

std::vector<BoundAddress> Receivers::addresses() const
{
    return m_impl->addresses();
}

ReceiverCounters Receivers::counters() const
{
    ReceiverCounters total;
    for (ReceiverEndpoint endpoint : kEndpoints) {
        const ReceiverCounters c = m_impl->counters(endpoint);
        total.requests += c.requests;
        total.acceptedSpans += c.acceptedSpans;
        total.rejectedSpans += c.rejectedSpans;
        total.unreadable += c.unreadable;
        total.tooLarge += c.tooLarge;
        total.unsupportedType += c.unsupportedType;
        total.notFound += c.notFound;
        total.wrongMethod += c.wrongMethod;
        total.timedOut += c.timedOut;
        total.sinkFailures += c.sinkFailures;
    }
    return total;
}

ReceiverCounters Receivers::counters(ReceiverEndpoint endpoint) const
{
    return m_impl->counters(endpoint);
}

} // namespace spanwise
