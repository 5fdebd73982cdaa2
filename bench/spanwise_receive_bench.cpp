// Load on the live receivers: senders post OTLP protobuf requests over gRPC and over HTTP to a
// receiving process for a fixed time, then the spans acknowledged are compared with the spans the
// receiver took (they must match exactly) and both processes' peak RSS is shown.
//
//   spanwise_receive_bench [--seconds 60] [--grpc-senders 4] [--http-senders 4] [--spans-per-request 512]
//                          [--keep-spans N]
//
// The receiving process is this program with --serve: the receivers on free loopback ports, with
// a sink that reads each body with the importers and builds its model (the receive path of a
// recording, without keeping the spans), or with --keep-spans the live store a recording and the
// window keep spans in, capped at N. It prints its counters, CPU time and peak RSS when its
// standard input closes. Each sender is a thread making one request at a time on a connection of
// its own.
#include "otlp_trace_service.pb.h"
#include "peak_rss.h"

#include <live_store_sink.h>
#include <payload_import.h>
#include <receivers.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

namespace collector = opentelemetry::proto::collector::trace::v1;

constexpr std::uint64_t kStart = 1767225600000000000ull; // 2026-01-01
constexpr int kSpansPerTrace = 8;
constexpr int kDistinctBodies = 16; // requests cycle through these, each with its own trace ids

struct Settings {
    int seconds = 60;
    int grpcSenders = 4;
    int httpSenders = 4;
    int spansPerRequest = 512;
    int keepSpans = 0; // 0: spans are built and dropped; else kept in a live store of that cap
};

std::string bigEndian(std::uint64_t value, int bytes)
{
    std::string out(static_cast<std::size_t>(bytes), '\0');
    for (int i = bytes - 1; i >= 0; --i, value >>= 8)
        out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    return out;
}

void addAttribute(otlp::Span& span, const char* key, const std::string& value)
{
    otlp::KeyValue& attribute = *span.add_attributes();
    attribute.set_key(key);
    attribute.mutable_value()->set_string_value(value);
}

// A batch as an SDK exporter sends it: traces of kSpansPerTrace spans (a server span and its
// children, with HTTP attributes) of one service.
std::string requestBody(int body, int spans)
{
    otlp::ExportTraceServiceRequest request;
    otlp::ResourceSpans& resourceSpans = *request.add_resource_spans();
    otlp::KeyValue& service = *resourceSpans.mutable_resource()->add_attributes();
    service.set_key("service.name");
    service.mutable_value()->set_string_value("checkout");
    otlp::ScopeSpans& scopeSpans = *resourceSpans.add_scope_spans();
    scopeSpans.mutable_scope()->set_name("load");
    for (int i = 0; i < spans; ++i) {
        const int trace = i / kSpansPerTrace, inTrace = i % kSpansPerTrace;
        otlp::Span& span = *scopeSpans.add_spans();
        span.set_trace_id(bigEndian(static_cast<std::uint64_t>(body) + 1, 8) +
                          bigEndian(static_cast<std::uint64_t>(trace) + 1, 8));
        span.set_span_id(bigEndian(static_cast<std::uint64_t>(inTrace) + 1, 8));
        if (inTrace > 0)
            span.set_parent_span_id(bigEndian(1, 8));
        span.set_name(inTrace == 0 ? "POST /checkout" : "SELECT orders");
        span.set_kind(inTrace == 0 ? otlp::Span::SPAN_KIND_SERVER : otlp::Span::SPAN_KIND_CLIENT);
        const std::uint64_t start = kStart + static_cast<std::uint64_t>(trace) * 10000000 +
                                    static_cast<std::uint64_t>(inTrace) * 100000;
        span.set_start_time_unix_nano(start);
        span.set_end_time_unix_nano(start + (inTrace == 0 ? 5000000 : 50000));
        addAttribute(span, "http.method", "POST");
        addAttribute(span, "http.route", "/checkout");
        addAttribute(span, "db.statement", "SELECT * FROM orders WHERE id = " + std::to_string(i));
    }
    return request.SerializeAsString();
}

// The spans an answer says were taken: the request's, less those reported rejected.
std::uint64_t acceptedIn(const std::string& response, int sent)
{
    collector::ExportTraceServiceResponse parsed;
    if (!parsed.ParseFromString(response))
        return 0;
    return static_cast<std::uint64_t>(sent) - static_cast<std::uint64_t>(parsed.partial_success().rejected_spans());
}

struct Tally {
    std::atomic<std::uint64_t> requests{0}, spans{0}, failures{0};
};

void sendGrpc(const std::string& target, const std::vector<std::string>& bodies, int spansPerRequest,
              const std::atomic<bool>& running, Tally& tally)
{
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1); // a connection of its own, as another program
    grpc::GenericStub stub(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
    for (std::size_t i = 0; running; ++i) {
        const std::string& body = bodies[i % bodies.size()];
        grpc::ClientContext context;
        grpc::Slice slice(body.data(), body.size(), grpc::Slice::STATIC_SLICE);
        grpc::ByteBuffer request(&slice, 1), response;
        std::promise<grpc::Status> done;
        stub.UnaryCall(&context, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", grpc::StubOptions(),
                       &request, &response, [&](grpc::Status status) { done.set_value(std::move(status)); });
        std::vector<grpc::Slice> slices;
        if (!done.get_future().get().ok() || !response.Dump(&slices).ok()) {
            ++tally.failures;
            continue;
        }
        std::string answer;
        for (const grpc::Slice& s : slices)
            answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
        ++tally.requests;
        tally.spans += acceptedIn(answer, spansPerRequest);
    }
}

// One HTTP/1.1 connection (kept alive, TCP_NODELAY) posting one request at a time: a client whose
// own latency does not cap the rate. (QNetworkAccessManager writes head and body apart and waits
// for delayed acknowledgements: some 20 ms a request on loopback.)
class HttpConnection {
public:
    explicit HttpConnection(const std::string& hostPort)
    {
        const auto colon = hostPort.rfind(':');
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(hostPort.substr(colon + 1))));
        inet_pton(AF_INET, hostPort.substr(0, colon).c_str(), &address.sin_addr);
        m_socket = socket(AF_INET, SOCK_STREAM, 0);
        const int on = 1;
        setsockopt(m_socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        if (connect(m_socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
            close();
    }
    ~HttpConnection() { close(); }
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Posts body to /v1/traces; returns the answer's status (0: the connection failed) and body.
    std::pair<int, std::string> post(const std::string& body)
    {
        const std::string head = "POST /v1/traces HTTP/1.1\r\nHost: localhost\r\n"
                                 "Content-Type: application/x-protobuf\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n";
        if (!sendAll(head) || !sendAll(body))
            return {0, {}};
        std::size_t headEnd;
        while ((headEnd = m_input.find("\r\n\r\n")) == std::string::npos)
            if (!receive())
                return {0, {}};
        const std::string answerHead = m_input.substr(0, headEnd);
        m_input.erase(0, headEnd + 4);
        const int status = answerHead.size() > 12 ? std::atoi(answerHead.c_str() + 9) : 0; // "HTTP/1.1 200"
        std::size_t length = 0;
        for (const char* name : {"Content-Length: ", "content-length: "})
            if (const auto at = answerHead.find(name); at != std::string::npos)
                length = std::stoul(answerHead.substr(at + std::strlen(name)));
        while (m_input.size() < length)
            if (!receive())
                return {0, {}};
        std::string answer = m_input.substr(0, length);
        m_input.erase(0, length);
        return {status, std::move(answer)};
    }

private:
    bool sendAll(const std::string& data)
    {
        for (std::size_t sent = 0; sent < data.size();) {
            const ssize_t n = m_socket < 0 ? -1 : send(m_socket, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    bool receive()
    {
        char buffer[16384];
        const ssize_t n = m_socket < 0 ? -1 : recv(m_socket, buffer, sizeof buffer, 0);
        if (n <= 0)
            return false;
        m_input.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    void close()
    {
        if (m_socket >= 0)
            ::close(m_socket);
        m_socket = -1;
    }

    int m_socket = -1;
    std::string m_input;
};

void sendHttp(const std::string& hostPort, const std::vector<std::string>& bodies, int spansPerRequest,
              const std::atomic<bool>& running, Tally& tally)
{
    HttpConnection connection(hostPort);
    for (std::size_t i = 0; running; ++i) {
        const auto [status, answer] = connection.post(bodies[i % bodies.size()]);
        if (status == 0) {
            ++tally.failures;
            return;
        }
        if (status != 200) {
            ++tally.failures;
            continue;
        }
        ++tally.requests;
        tally.spans += acceptedIn(answer, spansPerRequest);
    }
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double mib(std::uint64_t bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

// The receiving process: prints "<endpoint> <address>" per endpoint and "ready", then, when its
// standard input closes, stops (answering what is in flight) and prints "key value" lines.
int serve(int argc, char** argv, std::uint64_t keepSpans)
{
    QCoreApplication app(argc, argv);
    std::atomic<std::uint64_t> modelSpans{0};
    LiveStoreOptions storeOptions;
    storeOptions.maxSpans = keepSpans;
    LiveStore store(storeOptions);
    PayloadSink sink = liveStoreSink(store);
    if (keepSpans == 0) {
        sink = [&](ReceivedPayload&& payload) {
            DatasetBuilder builder;
            ImportReport report;
            PayloadOutcome outcome = importPayload(payload, builder, report);
            if (outcome.error.empty())
                modelSpans += builder.finish().spans.size();
            return outcome;
        };
    }
    Receivers receivers({.otlpGrpc = "127.0.0.1:0", .otlpHttp = "127.0.0.1:0", .zipkin = {}}, sink);
    for (const std::string& error : receivers.start()) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    for (const BoundAddress& bound : receivers.addresses())
        std::printf("%s %s\n", toString(bound.endpoint), bound.address.c_str());
    std::printf("ready\n");
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {
    }
    receivers.stop();
    if (keepSpans > 0)
        modelSpans = store.counts().receivedSpans;
    const ReceiverCounters counters = receivers.counters();
    std::printf("accepted %llu\nrejected %llu\nerrors %llu\nrequests %llu\nmodel_spans %llu\ncpu_seconds %.2f\n"
                "peak_rss_bytes %llu\nkept_spans %llu\ndropped_spans %llu\n",
                static_cast<unsigned long long>(counters.acceptedSpans),
                static_cast<unsigned long long>(counters.rejectedSpans),
                static_cast<unsigned long long>(counters.errors()), static_cast<unsigned long long>(counters.requests),
                static_cast<unsigned long long>(modelSpans.load()), cpuSeconds(),
                static_cast<unsigned long long>(peakRssBytes()),
                static_cast<unsigned long long>(store.counts().keptSpans),
                static_cast<unsigned long long>(store.counts().droppedSpans));
    return 0;
}

bool parseSettings(int argc, char** argv, Settings& settings)
{
    const std::map<std::string, int*> options = {{"--seconds", &settings.seconds},
                                                 {"--grpc-senders", &settings.grpcSenders},
                                                 {"--http-senders", &settings.httpSenders},
                                                 {"--spans-per-request", &settings.spansPerRequest},
                                                 {"--keep-spans", &settings.keepSpans}};
    for (int i = 1; i < argc; ++i) {
        const auto option = options.find(argv[i]);
        if (option == options.end() || i + 1 == argc) {
            std::fprintf(stderr, "unknown option or missing value: %s\n", argv[i]);
            return false;
        }
        char* end = nullptr;
        const long value = std::strtol(argv[++i], &end, 10);
        if (*end != '\0' || value < 0 || value > 1000000) {
            std::fprintf(stderr, "%s needs a number from 0 to 1000000, not %s\n", option->first.c_str(), argv[i]);
            return false;
        }
        *option->second = int(value);
    }
    if (settings.seconds == 0 || settings.spansPerRequest == 0 || settings.grpcSenders + settings.httpSenders == 0) {
        std::fprintf(stderr, "nothing to send: give --seconds, --spans-per-request and some senders\n");
        return false;
    }
    return true;
}

int load(int argc, char** argv)
{
    Settings settings;
    if (!parseSettings(argc, argv, settings))
        return 2;
    QCoreApplication app(argc, argv);

    QProcess receiver;
    receiver.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    receiver.start(QCoreApplication::applicationFilePath(), {u"--serve"_s, QString::number(settings.keepSpans)});
    std::map<std::string, std::string> addresses;
    while (receiver.waitForReadyRead(10000) || receiver.canReadLine()) {
        bool ready = false;
        while (receiver.canReadLine()) {
            const std::string line = receiver.readLine().trimmed().toStdString();
            ready = ready || line == "ready";
            if (const auto space = line.find(' '); space != std::string::npos)
                addresses[line.substr(0, space)] = line.substr(space + 1);
        }
        if (ready)
            break;
    }
    if (!addresses.count("otlp-grpc") || !addresses.count("otlp-http")) {
        std::fprintf(stderr, "the receiving process did not start\n");
        return 1;
    }

    std::vector<std::string> bodies;
    for (int i = 0; i < kDistinctBodies; ++i)
        bodies.push_back(requestBody(i, settings.spansPerRequest));

    std::atomic<bool> running{true};
    Tally grpcTally, httpTally;
    QElapsedTimer clock;
    clock.start();
    std::vector<std::thread> senders;
    for (int i = 0; i < settings.grpcSenders; ++i)
        senders.emplace_back(sendGrpc, addresses["otlp-grpc"], std::cref(bodies), settings.spansPerRequest,
                             std::cref(running), std::ref(grpcTally));
    for (int i = 0; i < settings.httpSenders; ++i)
        senders.emplace_back(sendHttp, addresses["otlp-http"], std::cref(bodies), settings.spansPerRequest,
                             std::cref(running), std::ref(httpTally));
    std::this_thread::sleep_for(std::chrono::seconds(settings.seconds));
    running = false;
    for (std::thread& sender : senders)
        sender.join();
    const double elapsed = double(clock.nsecsElapsed()) / 1e9;

    receiver.closeWriteChannel();
    receiver.waitForFinished(60000);
    std::map<std::string, double> received;
    for (const QByteArray& line : receiver.readAll().split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.size() == 2)
            received[words[0].toStdString()] = words[1].toDouble();
    }

    const std::uint64_t acknowledged = grpcTally.spans + httpTally.spans;
    const auto row = [&](const char* name, int senders, const Tally& tally) {
        std::printf("%-10s %3d senders %8llu requests %11llu spans %9.0f spans/s %4llu failed\n", name, senders,
                    static_cast<unsigned long long>(tally.requests.load()),
                    static_cast<unsigned long long>(tally.spans.load()), double(tally.spans) / elapsed,
                    static_cast<unsigned long long>(tally.failures.load()));
    };
    std::printf("%d s, %d spans per request, %.1f s until the last answer\n", settings.seconds,
                settings.spansPerRequest, elapsed);
    row("OTLP/gRPC", settings.grpcSenders, grpcTally);
    row("OTLP/HTTP", settings.httpSenders, httpTally);
    std::printf("together   %11llu spans acknowledged, %9.0f spans/s\n", static_cast<unsigned long long>(acknowledged),
                double(acknowledged) / elapsed);
    std::printf("receiver   %11.0f spans accepted, %.0f in its models, %.0f rejected, %.0f errors; "
                "CPU %.1f s; peak RSS %.0f MiB\n",
                received["accepted"], received["model_spans"], received["rejected"], received["errors"],
                received["cpu_seconds"], mib(std::uint64_t(received["peak_rss_bytes"])));
    if (settings.keepSpans > 0)
        std::printf("kept       %11.0f spans in the live store (cap %d), %.0f dropped over the cap\n",
                    received["kept_spans"], settings.keepSpans, received["dropped_spans"]);
    std::printf("client     CPU %.1f s; peak RSS %.0f MiB\n", cpuSeconds(), mib(peakRssBytes()));
    const bool match = double(acknowledged) == received["accepted"] && received["accepted"] == received["model_spans"];
    std::printf("%s\n", match ? "counts match: no span lost" : "COUNTS DIFFER: spans were lost");
    return match && grpcTally.failures + httpTally.failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--serve") == 0)
        return serve(argc, argv, std::strtoull(argv[2], nullptr, 10));
    return load(argc, argv);
}
