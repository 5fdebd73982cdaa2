// The live receivers, end to end over loopback: OTLP/HTTP and Zipkin with QNetworkAccessManager and
// hand-made requests on a QTcpSocket, OTLP/gRPC with the generated stub and gRPC's generic stub (raw
// bytes). The sink reads each payload with importPayload, as the recorder does.
#include "otlp_trace.pb.h"
#include "otlp_trace_service.grpc.pb.h"
#include "rpc_status.pb.h"

#include <payload_import.h>
#include <receivers.h>

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <zlib.h>

#include <atomic>
#include <chrono>
#include <future>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace std::chrono_literals;

namespace collector = opentelemetry::proto::collector::trace::v1;

namespace {

constexpr std::uint64_t kStart = 1767225600000000000ull; // 2026-01-01

std::string bigEndian(std::uint64_t value, int bytes)
{
    std::string out(static_cast<std::size_t>(bytes), '\0');
    for (int i = bytes - 1; i >= 0; --i, value >>= 8)
        out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    return out;
}

// One trace of `spans` spans of service "shop", each a child of the first.
otlp::ExportTraceServiceRequest request(int spans, std::uint64_t trace = 1)
{
    otlp::ExportTraceServiceRequest r;
    otlp::ResourceSpans& rs = *r.add_resource_spans();
    otlp::KeyValue& service = *rs.mutable_resource()->add_attributes();
    service.set_key("service.name");
    service.mutable_value()->set_string_value("shop");
    otlp::ScopeSpans& ss = *rs.add_scope_spans();
    for (int i = 1; i <= spans; ++i) {
        otlp::Span& span = *ss.add_spans();
        span.set_trace_id(bigEndian(0x1234, 8) + bigEndian(trace, 8));
        span.set_span_id(bigEndian(static_cast<std::uint64_t>(i), 8));
        if (i > 1)
            span.set_parent_span_id(bigEndian(1, 8));
        span.set_name("op");
        span.set_start_time_unix_nano(kStart + static_cast<std::uint64_t>(i) * 1000);
        span.set_end_time_unix_nano(kStart + static_cast<std::uint64_t>(i) * 1000 + 1000000);
    }
    return r;
}

QByteArray protobufBody(int spans)
{
    return QByteArray::fromStdString(request(spans).SerializeAsString());
}

QByteArray jsonSpan(int id, const char* extra = "")
{
    return QByteArray(R"({"traceId":"5b8efff798038103d269b633813fc60c","spanId":"000000000000000)") +
           QByteArray::number(id) + R"(","name":"op","startTimeUnixNano":"1767225600000000000",)" +
           R"("endTimeUnixNano":"1767225600001000000")" + extra + "}";
}

QByteArray jsonBody(const QByteArray& spans)
{
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},)"
           R"("scopeSpans":[{"spans":[)" +
           spans + "]}]}]}";
}

const QByteArray kZipkinV2 =
    R"([{"traceId":"5b8efff798038103","id":"5b8efff798038103","name":"get /","timestamp":1767225600000000,)"
    R"("duration":1000,"localEndpoint":{"serviceName":"web"}},)"
    R"({"traceId":"5b8efff798038103","parentId":"5b8efff798038103","id":"0000000000000002","name":"query",)"
    R"("timestamp":1767225600000100,"duration":500,"localEndpoint":{"serviceName":"db"}}])";
const QByteArray kZipkinV1 =
    R"([{"traceId":"5b8efff798038103","id":"5b8efff798038103","name":"get","timestamp":1767225600000000,)"
    R"("duration":1000,"annotations":[{"timestamp":1767225600000000,"value":"sr",)"
    R"("endpoint":{"serviceName":"web","ipv4":"127.0.0.1"}}]}])";

QByteArray gzip(const QByteArray& data)
{
    z_stream z{};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(data.size()))), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    return out;
}

struct HttpReply {
    int status = 0;
    QByteArray contentType;
    QByteArray allow;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

// What the sink saw, and a sink reading payloads with importPayload.
struct Recorded {
    std::mutex mutex;
    std::vector<ReceivedPayload> payloads;
    std::atomic<int> inSink{0};
    std::chrono::milliseconds delay{0};
    bool fail = false;

    PayloadSink sink()
    {
        return [this](ReceivedPayload&& payload) {
            ++inSink;
            if (delay.count())
                std::this_thread::sleep_for(delay);
            if (fail)
                throw std::runtime_error("the disk is full");
            DatasetBuilder builder;
            ImportReport report;
            const PayloadOutcome outcome = importPayload(payload, builder, report);
            const std::lock_guard lock(mutex);
            payloads.push_back(std::move(payload));
            return outcome;
        };
    }
    std::size_t count()
    {
        const std::lock_guard lock(mutex);
        return payloads.size();
    }
};

ReceiverOptions anyPorts()
{
    return {.otlpGrpc = "127.0.0.1:0", .otlpHttp = "127.0.0.1:0", .zipkin = "127.0.0.1:0"};
}

} // namespace

class Test_receivers : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void otlpHttpProtobuf();
    void otlpHttpJson();
    void partialSuccess();
    void unreadableBodies_data();
    void unreadableBodies();
    void gzipBodies();
    void wrongContentType();
    void wrongPathAndMethod();
    void tooLarge();
    void zipkin();
    void grpcExport();
    void grpcErrors();
    void concurrentRequests();
    void sinkFailure();
    void portsAndAddresses();
    void portInUse();
    void bindWarning();
    void hostileRequests();
    void connectionLimit();
    void requestTimeout();
    void stopDrainsRequestsInFlight();
    void importPayloadReports();

private:
    void startReceivers(ReceiverOptions options = anyPorts());
    QUrl url(ReceiverEndpoint endpoint, const QString& path) const;
    quint16 port(ReceiverEndpoint endpoint) const;
    HttpReply post(ReceiverEndpoint endpoint, const QString& path, const QByteArray& contentType,
                   const QByteArray& body, const QByteArray& encoding = {});
    HttpReply get(ReceiverEndpoint endpoint, const QString& path);
    HttpReply finish(QNetworkReply* reply);
    QByteArray rawExchange(ReceiverEndpoint endpoint, const QByteArray& request, int timeoutMs = 5000);
    std::unique_ptr<collector::TraceService::Stub> stub() const;
    void verifyServing();

    QNetworkAccessManager m_network;
    Recorded m_recorded;
    std::unique_ptr<Receivers> m_receivers;
};

void Test_receivers::init()
{
    m_recorded.payloads.clear();
    m_recorded.delay = 0ms;
    m_recorded.fail = false;
    m_recorded.inSink = 0;
    m_network.clearConnectionCache();
}

void Test_receivers::cleanup()
{
    m_receivers.reset();
}

void Test_receivers::startReceivers(ReceiverOptions options)
{
    m_receivers = std::make_unique<Receivers>(std::move(options), m_recorded.sink());
    const std::vector<std::string> errors = m_receivers->start();
    QVERIFY2(errors.empty(), errors.empty() ? "" : errors.front().c_str());
}

quint16 Test_receivers::port(ReceiverEndpoint endpoint) const
{
    for (const BoundAddress& bound : m_receivers->addresses())
        if (bound.endpoint == endpoint)
            return QString::fromStdString(bound.address).section(u':', -1).toUShort();
    return 0;
}

QUrl Test_receivers::url(ReceiverEndpoint endpoint, const QString& path) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port(endpoint)).arg(path));
}

HttpReply Test_receivers::finish(QNetworkReply* reply)
{
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10s, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.contentType = reply->rawHeader("Content-Type");
    result.allow = reply->rawHeader("Allow");
    result.body = reply->readAll();
    result.error = reply->error();
    reply->deleteLater();
    return result;
}

HttpReply Test_receivers::post(ReceiverEndpoint endpoint, const QString& path, const QByteArray& contentType,
                               const QByteArray& body, const QByteArray& encoding)
{
    QNetworkRequest request(url(endpoint, path));
    request.setRawHeader("Content-Type", contentType);
    if (!encoding.isEmpty())
        request.setRawHeader("Content-Encoding", encoding);
    return finish(m_network.post(request, body));
}

HttpReply Test_receivers::get(ReceiverEndpoint endpoint, const QString& path)
{
    return finish(m_network.get(QNetworkRequest(url(endpoint, path))));
}

// Sends request bytes as they are and returns what comes back until the answer is complete (its
// Content-Length read) or the server closes.
QByteArray Test_receivers::rawExchange(ReceiverEndpoint endpoint, const QByteArray& request, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port(endpoint));
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray answer;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(static_cast<int>(deadline.remainingTime())))
            break;
        answer += socket.readAll();
        const qsizetype headerEnd = answer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            continue;
        const qsizetype lengthAt = answer.toLower().indexOf("content-length:");
        if (lengthAt >= 0 && lengthAt < headerEnd) {
            const qsizetype lineEnd = answer.indexOf("\r\n", lengthAt);
            const int length = answer.mid(lengthAt + 15, lineEnd - lengthAt - 15).trimmed().toInt();
            if (answer.size() >= headerEnd + 4 + length)
                break;
        }
    }
    return answer;
}

std::unique_ptr<collector::TraceService::Stub> Test_receivers::stub() const
{
    const std::string target = "127.0.0.1:" + std::to_string(port(ReceiverEndpoint::OtlpGrpc));
    return collector::TraceService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

// After whatever came before, a good request on each endpoint is still answered.
void Test_receivers::verifyServing()
{
    QCOMPARE(post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf", protobufBody(2)).status, 200);
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s, "application/json", kZipkinV2).status, 202);
    grpc::ClientContext context;
    collector::ExportTraceServiceResponse response;
    QVERIFY(stub()->Export(&context, request(2), &response).ok());
}

void Test_receivers::otlpHttpProtobuf()
{
    startReceivers();
    const HttpReply reply = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                 protobufBody(3));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, "application/x-protobuf");
    collector::ExportTraceServiceResponse response;
    QVERIFY(response.ParseFromString(reply.body.toStdString()));
    QVERIFY(!response.has_partial_success());

    QCOMPARE(m_recorded.count(), 1u);
    QCOMPARE(m_recorded.payloads[0].endpoint, "otlp-http");
    QCOMPARE(m_recorded.payloads[0].format, "otlp-proto");
    QCOMPARE(QByteArray::fromStdString(m_recorded.payloads[0].bytes), protobufBody(3));
    const ReceiverCounters counters = m_receivers->counters(ReceiverEndpoint::OtlpHttp);
    QCOMPARE(counters.requests, 1u);
    QCOMPARE(counters.acceptedSpans, 3u);
    QCOMPARE(counters.rejectedSpans, 0u);
    QCOMPARE(counters.errors(), 0u);
}

void Test_receivers::otlpHttpJson()
{
    startReceivers();
    const HttpReply reply = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/json; charset=utf-8",
                                 jsonBody(jsonSpan(1) + "," + jsonSpan(2)));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, "application/json");
    QCOMPARE(reply.body, "{}");
    QCOMPARE(m_recorded.payloads.at(0).format, "otlp-json");
    QCOMPARE(m_receivers->counters().acceptedSpans, 2u);
}

void Test_receivers::partialSuccess()
{
    startReceivers();
    const QByteArray body = jsonBody(jsonSpan(1) + "," + jsonSpan(2, R"(,"name":[])") + "," + jsonSpan(3));
    const HttpReply json = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/json", body);
    QCOMPARE(json.status, 200);
    const QJsonObject partial = QJsonDocument::fromJson(json.body).object().value("partialSuccess"_L1).toObject();
    QCOMPARE(partial.value("rejectedSpans"_L1).toString(), u"1"_s); // int64 as a string, as OTLP/JSON has it
    QVERIFY2(partial.value("errorMessage"_L1).toString().contains("name: expected a string"_L1), json.body);

    // The same over protobuf: a span with a trace id of the wrong size is left out.
    otlp::ExportTraceServiceRequest r = request(3);
    r.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(1)->set_trace_id("short");
    const HttpReply proto = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                 QByteArray::fromStdString(r.SerializeAsString()));
    QCOMPARE(proto.status, 200);
    collector::ExportTraceServiceResponse response;
    QVERIFY(response.ParseFromString(proto.body.toStdString()));
    QCOMPARE(response.partial_success().rejected_spans(), 1);
    QVERIFY(!response.partial_success().error_message().empty());

    const ReceiverCounters counters = m_receivers->counters();
    QCOMPARE(counters.acceptedSpans, 4u);
    QCOMPARE(counters.rejectedSpans, 2u);
    QCOMPARE(counters.errors(), 0u);
}

void Test_receivers::unreadableBodies_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    QTest::newRow("JSON cut off") << QByteArray("application/json") << jsonBody(jsonSpan(1)).left(30) << u"offset"_s;
    QTest::newRow("not JSON") << QByteArray("application/json") << QByteArray("{not json") << u"offset"_s;
    QTest::newRow("JSON of another shape")
        << QByteArray("application/json") << QByteArray(R"({"resourceSpans":"x"})") << u"expected an array"_s;
    const QByteArray proto = protobufBody(3);
    QTest::newRow("protobuf cut off") << QByteArray("application/x-protobuf") << proto.left(proto.size() / 2)
                                      << u"offset"_s;
    QTest::newRow("protobuf of garbage") << QByteArray("application/x-protobuf") << QByteArray("\xff\xff\xff\xff", 4)
                                         << u"offset"_s;
}

void Test_receivers::unreadableBodies()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    startReceivers();

    const HttpReply reply = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, contentType, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.contentType, contentType);
    google::rpc::Status status;
    if (contentType == "application/json") {
        const QJsonObject json = QJsonDocument::fromJson(reply.body).object();
        status.set_code(json.value("code"_L1).toInt());
        status.set_message(json.value("message"_L1).toString().toStdString());
    } else {
        QVERIFY(status.ParseFromString(reply.body.toStdString()));
    }
    QCOMPARE(status.code(), 3); // INVALID_ARGUMENT
    QVERIFY2(QString::fromStdString(status.message()).contains(message), status.message().c_str());
    const ReceiverCounters counters = m_receivers->counters();
    QCOMPARE(counters.unreadable, 1u);
    QCOMPARE(counters.acceptedSpans, 0u);
    verifyServing();
}

void Test_receivers::gzipBodies()
{
    startReceivers();
    const HttpReply proto = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                 gzip(protobufBody(4)), "gzip");
    QCOMPARE(proto.status, 200);
    QCOMPARE(QByteArray::fromStdString(m_recorded.payloads.at(0).bytes), protobufBody(4)); // decompressed
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s, "application/json", gzip(kZipkinV2), "gzip").status,
             202);
    QCOMPARE(m_receivers->counters().acceptedSpans, 6u);

    const HttpReply notGzip = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/json",
                                   jsonBody(jsonSpan(1)), "gzip");
    QCOMPARE(notGzip.status, 400);
    QVERIFY2(notGzip.body.contains("not gzip data"), notGzip.body);

    const QByteArray cut = gzip(protobufBody(50));
    const HttpReply truncated = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                     cut.left(cut.size() / 2), "gzip");
    QCOMPARE(truncated.status, 400);

    const HttpReply brotli = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                  protobufBody(1), "br");
    QCOMPARE(brotli.status, 415);
    QCOMPARE(m_receivers->counters().unreadable, 2u);
    QCOMPARE(m_receivers->counters().unsupportedType, 1u);
}

void Test_receivers::wrongContentType()
{
    startReceivers();
    const HttpReply text = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "text/plain", protobufBody(1));
    QCOMPARE(text.status, 415);
    QVERIFY2(text.body.contains("application/x-protobuf"), text.body);
    const QByteArray noType = rawExchange(ReceiverEndpoint::OtlpHttp, "POST /v1/traces HTTP/1.1\r\nHost: x\r\n"
                                                                      "Content-Length: 2\r\n\r\n{}");
    QVERIFY2(noType.startsWith("HTTP/1.1 415"), noType);
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s, "application/x-protobuf", "\x0a\x00").status, 415);
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/api/v1/spans"_s, "application/x-thrift", "\x0c").status, 415);
    // Zipkin's collector takes a body without a content type as JSON.
    const QByteArray zipkinNoType = rawExchange(ReceiverEndpoint::Zipkin,
                                                "POST /api/v2/spans HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                                    QByteArray::number(kZipkinV2.size()) + "\r\n\r\n" + kZipkinV2);
    QVERIFY2(zipkinNoType.startsWith("HTTP/1.1 202"), zipkinNoType);
    QCOMPARE(m_receivers->counters().unsupportedType, 4u);
    QCOMPARE(m_recorded.count(), 1u);
}

void Test_receivers::wrongPathAndMethod()
{
    startReceivers();
    QCOMPARE(post(ReceiverEndpoint::OtlpHttp, u"/v1/metrics"_s, "application/x-protobuf", protobufBody(1)).status, 404);
    QCOMPARE(post(ReceiverEndpoint::OtlpHttp, u"/api/v2/spans"_s, "application/json", kZipkinV2).status, 404);
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/v1/traces"_s, "application/json", kZipkinV2).status, 404);
    const HttpReply wrongMethod = get(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s);
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.allow, "POST");
    QCOMPARE(get(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s).status, 405);
    // A query string does not change the path.
    QCOMPARE(post(ReceiverEndpoint::OtlpHttp, u"/v1/traces?x=1"_s, "application/x-protobuf", protobufBody(1)).status,
             200);
    const ReceiverCounters counters = m_receivers->counters();
    QCOMPARE(counters.notFound, 3u);
    QCOMPARE(counters.wrongMethod, 2u);
    QCOMPARE(counters.requests, 6u);
    QCOMPARE(m_recorded.count(), 1u);
}

void Test_receivers::tooLarge()
{
    ReceiverOptions options = anyPorts();
    options.maxRequestBytes = 64 * 1024;
    startReceivers(options);

    // Just over the limit: read whole, refused.
    const HttpReply over = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                QByteArray(64 * 1024 + 1, 'x'));
    QCOMPARE(over.status, 413);
    google::rpc::Status status;
    QVERIFY(status.ParseFromString(over.body.toStdString()));
    QCOMPARE(status.code(), 8); // RESOURCE_EXHAUSTED

    // Far over it: refused while it arrives, without buffering it.
    const HttpReply huge = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/x-protobuf",
                                QByteArray(8 << 20, 'x'));
    QCOMPARE(huge.status, 413);
    QCOMPARE(huge.body, "413 request entity too large: the limit is 64 KiB\n");
    const QByteArray zipkinHuge = rawExchange(ReceiverEndpoint::Zipkin,
                                              "POST /api/v2/spans HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                              "application/json\r\nContent-Length: 1000000\r\n\r\n" +
                                                  QByteArray(1000000, ' '));
    QVERIFY2(zipkinHuge.startsWith("HTTP/1.1 413"), zipkinHuge.left(200));

    // Sent in small pieces, each read on its own: the bytes are counted across them.
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port(ReceiverEndpoint::OtlpHttp));
        QVERIFY(socket.waitForConnected());
        socket.write("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 300000\r\n\r\n");
        QByteArray answer;
        for (int sent = 0; sent < 300000 && answer.isEmpty(); sent += 4096) {
            socket.write(QByteArray(4096, ' '));
            socket.waitForBytesWritten(1000);
            if (socket.waitForReadyRead(5))
                answer = socket.readAll();
        }
        while (!answer.contains("KiB") && socket.waitForReadyRead(2000))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 413") && answer.endsWith("413 request entity too large: the limit is "
                                                                      "64 KiB\n"),
                 answer);
    }

    // Small as sent, too large decompressed.
    const HttpReply bomb = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/json",
                                gzip(QByteArray(1 << 20, ' ')), "gzip");
    QCOMPARE(bomb.status, 413);
    QVERIFY2(bomb.body.contains("decompresses to more than"), bomb.body);

    // gRPC refuses a message over the limit.
    grpc::ClientContext context;
    collector::ExportTraceServiceResponse response;
    const grpc::Status grpcStatus = stub()->Export(&context, request(2000), &response);
    QCOMPARE(int(grpcStatus.error_code()), int(grpc::StatusCode::RESOURCE_EXHAUSTED));

    QCOMPARE(m_receivers->counters(ReceiverEndpoint::OtlpHttp).tooLarge, 4u);
    QCOMPARE(m_receivers->counters(ReceiverEndpoint::Zipkin).tooLarge, 1u);
    QTRY_COMPARE(m_receivers->counters(ReceiverEndpoint::OtlpGrpc).tooLarge, 1u); // counted after gRPC answered
    QCOMPARE(m_recorded.count(), 0u);
    verifyServing();
}

void Test_receivers::zipkin()
{
    startReceivers();
    const HttpReply v2 = post(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s, "application/json", kZipkinV2);
    QCOMPARE(v2.status, 202);
    QVERIFY(v2.body.isEmpty());
    QCOMPARE(m_recorded.payloads.at(0).endpoint, "zipkin");
    QCOMPARE(m_recorded.payloads.at(0).format, "zipkin");
    QCOMPARE(post(ReceiverEndpoint::Zipkin, u"/api/v1/spans"_s, "application/json", kZipkinV1).status, 202);
    QCOMPARE(m_receivers->counters(ReceiverEndpoint::Zipkin).acceptedSpans, 3u);

    const HttpReply bad = post(ReceiverEndpoint::Zipkin, u"/api/v2/spans"_s, "application/json", "[{\"traceId\":");
    QCOMPARE(bad.status, 400);
    QVERIFY(bad.contentType.startsWith("text/plain"));
    QVERIFY2(bad.body.contains("offset"), bad.body);
    QCOMPARE(m_receivers->counters(ReceiverEndpoint::Zipkin).unreadable, 1u);
}

void Test_receivers::grpcExport()
{
    startReceivers();
    auto client = stub();
    {
        grpc::ClientContext context;
        collector::ExportTraceServiceResponse response;
        const grpc::Status status = client->Export(&context, request(5), &response);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QVERIFY(!response.has_partial_success());
    }
    QCOMPARE(m_recorded.payloads.at(0).endpoint, "otlp-grpc");
    QCOMPARE(m_recorded.payloads.at(0).format, "otlp-proto");
    QCOMPARE(m_recorded.payloads.at(0).bytes, request(5).SerializeAsString());
    {
        // gzip compressed, as exporters send with compression: gzip.
        grpc::ClientContext context;
        context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
        collector::ExportTraceServiceResponse response;
        QVERIFY(client->Export(&context, request(7), &response).ok());
        QCOMPARE(m_recorded.payloads.at(1).bytes, request(7).SerializeAsString());
    }
    {
        otlp::ExportTraceServiceRequest r = request(3);
        r.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(2)->set_span_id("");
        grpc::ClientContext context;
        collector::ExportTraceServiceResponse response;
        QVERIFY(client->Export(&context, r, &response).ok());
        QCOMPARE(response.partial_success().rejected_spans(), 1);
        QVERIFY2(response.partial_success().error_message().find("span_id") != std::string::npos,
                 response.partial_success().error_message().c_str());
    }
    const ReceiverCounters counters = m_receivers->counters(ReceiverEndpoint::OtlpGrpc);
    QCOMPARE(counters.requests, 3u);
    QCOMPARE(counters.acceptedSpans, 14u);
    QCOMPARE(counters.rejectedSpans, 1u);
}

void Test_receivers::grpcErrors()
{
    startReceivers();
    const std::string target = "127.0.0.1:" + std::to_string(port(ReceiverEndpoint::OtlpGrpc));
    grpc::GenericStub generic(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    const auto call = [&](const std::string& method, const std::string& bytes) {
        grpc::ClientContext context;
        grpc::Slice slice(bytes);
        grpc::ByteBuffer requestBuffer(&slice, 1), responseBuffer;
        std::promise<grpc::Status> done;
        generic.UnaryCall(&context, method, grpc::StubOptions(), &requestBuffer, &responseBuffer,
                          [&](grpc::Status status) { done.set_value(status); });
        return done.get_future().get();
    };
    const std::string method = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    const std::string good = request(4).SerializeAsString();
    const grpc::Status truncated = call(method, good.substr(0, good.size() / 2));
    QCOMPARE(int(truncated.error_code()), int(grpc::StatusCode::INVALID_ARGUMENT));
    QVERIFY2(truncated.error_message().find("offset") != std::string::npos, truncated.error_message().c_str());
    QCOMPARE(int(call(method, "\xff\xff\xff").error_code()), int(grpc::StatusCode::INVALID_ARGUMENT));
    QCOMPARE(int(call("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", good).error_code()),
             int(grpc::StatusCode::UNIMPLEMENTED));
    QVERIFY(call(method, good).ok());

    // A call closed by the client without any request message.
    {
        grpc::CompletionQueue queue;
        grpc::ClientContext context;
        const auto stream = generic.PrepareCall(&context, method, &queue);
        grpc::Status status;
        void* tag = nullptr;
        bool ok = false;
        stream->StartCall(reinterpret_cast<void*>(1));
        QVERIFY(queue.Next(&tag, &ok) && ok);
        stream->WritesDone(reinterpret_cast<void*>(2));
        QVERIFY(queue.Next(&tag, &ok) && ok);
        stream->Finish(&status, reinterpret_cast<void*>(3));
        QVERIFY(queue.Next(&tag, &ok) && ok);
        QCOMPARE(int(status.error_code()), int(grpc::StatusCode::INVALID_ARGUMENT));
        QCOMPARE(status.error_message(), "the call carried no request");
    }

    // Which of the two a missing message was is known only once the answer has gone.
    QTRY_COMPARE(m_receivers->counters(ReceiverEndpoint::OtlpGrpc).unreadable, 3u);
    const ReceiverCounters counters = m_receivers->counters(ReceiverEndpoint::OtlpGrpc);
    QCOMPARE(counters.notFound, 1u);
    QCOMPARE(counters.requests, 5u);
    QCOMPARE(counters.acceptedSpans, 4u);
}

void Test_receivers::concurrentRequests()
{
    startReceivers();
    m_recorded.delay = 20ms;
    constexpr int kHttp = 12, kGrpcThreads = 4, kGrpcEach = 5;
    std::vector<std::thread> grpcClients;
    std::atomic<int> grpcOk{0};
    for (int t = 0; t < kGrpcThreads; ++t)
        grpcClients.emplace_back([&, client = std::shared_ptr(stub())] {
            for (int i = 0; i < kGrpcEach; ++i) {
                grpc::ClientContext context;
                collector::ExportTraceServiceResponse response;
                grpcOk += client->Export(&context, request(3), &response).ok();
            }
        });
    std::vector<QNetworkReply*> replies;
    for (int i = 0; i < kHttp; ++i) {
        QNetworkRequest r(url(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s));
        r.setRawHeader("Content-Type", "application/x-protobuf");
        replies.push_back(m_network.post(r, protobufBody(2)));
    }
    for (QNetworkReply* reply : replies)
        QCOMPARE(finish(reply).status, 200);
    for (std::thread& client : grpcClients)
        client.join();
    QCOMPARE(grpcOk.load(), kGrpcThreads * kGrpcEach);
    QCOMPARE(m_receivers->counters(ReceiverEndpoint::OtlpHttp).acceptedSpans, std::uint64_t(kHttp * 2));
    QCOMPARE(m_receivers->counters(ReceiverEndpoint::OtlpGrpc).acceptedSpans,
             std::uint64_t(kGrpcThreads * kGrpcEach * 3));
    QCOMPARE(m_receivers->counters().requests, std::uint64_t(kHttp + kGrpcThreads * kGrpcEach));
}

void Test_receivers::sinkFailure()
{
    startReceivers();
    m_recorded.fail = true;
    const HttpReply http = post(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s, "application/json", jsonBody(jsonSpan(1)));
    QCOMPARE(http.status, 503); // retryable: the exporter sends the spans again
    QVERIFY2(http.body.contains("the disk is full"), http.body);
    grpc::ClientContext context;
    collector::ExportTraceServiceResponse response;
    QCOMPARE(int(stub()->Export(&context, request(1), &response).error_code()), int(grpc::StatusCode::UNAVAILABLE));
    QCOMPARE(m_receivers->counters().sinkFailures, 2u);
    m_recorded.fail = false;
    verifyServing();
}

void Test_receivers::portsAndAddresses()
{
    startReceivers();
    const std::vector<BoundAddress> bound = m_receivers->addresses();
    QCOMPARE(bound.size(), 3u);
    for (const BoundAddress& address : bound) {
        QVERIFY2(QString::fromStdString(address.address).startsWith("127.0.0.1:"_L1), address.address.c_str());
        QVERIFY(port(address.endpoint) != 0);
    }
    m_receivers->stop();
    QVERIFY(m_receivers->addresses().empty());

    // One endpoint only; "localhost" and IPv6 loopback.
    m_receivers.reset();
    startReceivers({.otlpGrpc = {}, .otlpHttp = "localhost:0", .zipkin = {}});
    QCOMPARE(m_receivers->addresses().size(), 1u);
    QVERIFY(QString::fromStdString(m_receivers->addresses()[0].address).startsWith("127.0.0.1:"_L1));
    m_receivers.reset();
    startReceivers({.otlpGrpc = "[::1]:0", .otlpHttp = {}, .zipkin = {}});
    QVERIFY(QString::fromStdString(m_receivers->addresses()[0].address).startsWith("[::1]:"_L1));

    Receivers bad({.otlpGrpc = "127.0.0.1", .otlpHttp = "example.com:4318", .zipkin = "127.0.0.1:99999"}, {});
    const std::vector<std::string> errors = bad.start();
    QCOMPARE(errors.size(), 3u);
    QVERIFY2(errors[0].find("OTLP/gRPC: \"127.0.0.1\" is not host:port") == 0, errors[0].c_str());
    QVERIFY2(errors[1].find("is not an IP address") != std::string::npos, errors[1].c_str());
    QVERIFY2(errors[2].find("is not a port") != std::string::npos, errors[2].c_str());
    QVERIFY(bad.addresses().empty());
}

void Test_receivers::portInUse()
{
    startReceivers();
    const std::string grpcAddress = "127.0.0.1:" + std::to_string(port(ReceiverEndpoint::OtlpGrpc));
    const std::string httpAddress = "127.0.0.1:" + std::to_string(port(ReceiverEndpoint::OtlpHttp));
    Receivers second({.otlpGrpc = grpcAddress, .otlpHttp = httpAddress, .zipkin = "127.0.0.1:0"}, {});
    const std::vector<std::string> errors = second.start();
    QCOMPARE(errors.size(), 2u);
    QCOMPARE(errors[0], "OTLP/gRPC on " + grpcAddress + ": The bound address is already in use");
    QCOMPARE(errors[1], "OTLP/HTTP on " + httpAddress + ": The bound address is already in use");
    QCOMPARE(second.addresses().size(), 1u); // Zipkin runs
    QCOMPARE(second.addresses()[0].endpoint, ReceiverEndpoint::Zipkin);
    verifyServing(); // the first still gets the calls
}

void Test_receivers::bindWarning()
{
    QVERIFY(exposureWarnings(ReceiverOptions{}).empty());
    QVERIFY(exposureWarnings({.otlpGrpc = "[::1]:4317", .otlpHttp = "localhost:4318", .zipkin = {}}).empty());
    const std::vector<std::string> warnings = exposureWarnings(
        {.otlpGrpc = "0.0.0.0:4317", .otlpHttp = "127.0.0.1:4318", .zipkin = "[::]:9411"});
    QCOMPARE(warnings.size(), 2u);
    QCOMPARE(warnings[0], "OTLP/gRPC listens on 0.0.0.0:4317, not only on this machine: anyone who can reach it "
                          "over the network can send spans to it");
    QVERIFY2(warnings[1].find("Zipkin listens on [::]:9411") == 0, warnings[1].c_str());
}

void Test_receivers::hostileRequests()
{
    ReceiverOptions options = anyPorts();
    options.maxRequestBytes = 64 * 1024;
    startReceivers(options);
    const QByteArray garbage = rawExchange(ReceiverEndpoint::OtlpHttp, "GARBAGE\r\n\r\n", 1000);
    QVERIFY(!garbage.startsWith("HTTP/1.1 2"));
    // A request line and headers that never end.
    const QByteArray endless = rawExchange(ReceiverEndpoint::OtlpHttp,
                                           "POST /v1/traces HTTP/1.1\r\nX: " + QByteArray(1 << 20, 'a'), 5000);
    QVERIFY2(endless.startsWith("HTTP/1.1 413"), endless.left(100));
    // A Content-Length far beyond what is sent, then the connection drops.
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port(ReceiverEndpoint::OtlpHttp));
        QVERIFY(socket.waitForConnected());
        socket.write("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n{");
        QVERIFY(socket.waitForBytesWritten());
    }
    // Binary noise, a chunked body that lies about its chunk sizes, a negative length.
    rawExchange(ReceiverEndpoint::Zipkin, QByteArray(4096, '\x80'), 1000);
    rawExchange(ReceiverEndpoint::Zipkin,
                "POST /api/v2/spans HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\nab\r\n0\r\n\r\n", 1000);
    rawExchange(ReceiverEndpoint::OtlpHttp,
                "POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}", 1000);
    // HTTP/2 and TLS greetings on the gRPC and HTTP ports.
    rawExchange(ReceiverEndpoint::OtlpHttp, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 1000);
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port(ReceiverEndpoint::OtlpGrpc));
        QVERIFY(socket.waitForConnected());
        socket.write("POST /v1/traces HTTP/1.1\r\n\r\n" + QByteArray(1000, '\0'));
        socket.waitForReadyRead(1000);
    }
    verifyServing();
}

void Test_receivers::connectionLimit()
{
    ReceiverOptions options = anyPorts();
    options.maxConnections = 2;
    startReceivers(options);
    const quint16 httpPort = port(ReceiverEndpoint::OtlpHttp);
    QTcpSocket first, second;
    first.connectToHost(QHostAddress::LocalHost, httpPort);
    second.connectToHost(QHostAddress::LocalHost, httpPort);
    QVERIFY(first.waitForConnected() && second.waitForConnected());
    QTest::qWait(200); // both accepted; the listener now waits

    // A third connection is not served while the two are open...
    const QByteArray body = jsonBody(jsonSpan(1));
    QNetworkRequest r(url(ReceiverEndpoint::OtlpHttp, u"/v1/traces"_s));
    r.setRawHeader("Content-Type", "application/json");
    QNetworkReply* reply = m_network.post(r, body);
    QTest::qWait(500);
    QVERIFY(!reply->isFinished());
    QCOMPARE(m_recorded.count(), 0u);
    // ...and is, once one closes.
    first.disconnectFromHost();
    QCOMPARE(finish(reply).status, 200);
    QCOMPARE(m_recorded.count(), 1u);
}

void Test_receivers::requestTimeout()
{
    ReceiverOptions options = anyPorts();
    options.idleTimeoutMs = 300;
    startReceivers(options);
    QTcpSocket idle, partial;
    idle.connectToHost(QHostAddress::LocalHost, port(ReceiverEndpoint::OtlpHttp));
    partial.connectToHost(QHostAddress::LocalHost, port(ReceiverEndpoint::OtlpHttp));
    QVERIFY(idle.waitForConnected() && partial.waitForConnected());
    partial.write("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    QVERIFY(partial.waitForBytesWritten());
    QVERIFY(idle.waitForDisconnected(3000));
    QVERIFY(partial.state() == QAbstractSocket::UnconnectedState || partial.waitForDisconnected(3000));
    QCOMPARE(m_receivers->counters().timedOut, 1u); // the idle connection is no error
    verifyServing();
}

void Test_receivers::stopDrainsRequestsInFlight()
{
    startReceivers();
    m_recorded.delay = 300ms;
    const quint16 httpPort = port(ReceiverEndpoint::OtlpHttp);
    std::atomic<int> grpcCode{-1};
    QByteArray httpAnswer;
    std::thread grpcClient([&, client = std::shared_ptr(stub())] {
        grpc::ClientContext context;
        collector::ExportTraceServiceResponse response;
        grpcCode = int(client->Export(&context, request(2), &response).error_code());
    });
    std::thread httpClient([&] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, httpPort);
        if (!socket.waitForConnected())
            return;
        const QByteArray body = jsonBody(jsonSpan(1));
        socket.write("POST /v1/traces HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n\r\n" + body);
        while (socket.waitForReadyRead(5000))
            httpAnswer += socket.readAll();
    });
    QTRY_COMPARE_WITH_TIMEOUT(m_recorded.inSink.load(), 2, 5000);
    m_receivers->stop(); // while both are in the sink
    const ReceiverCounters counters = m_receivers->counters();
    QCOMPARE(counters.requests, 2u);
    QCOMPARE(counters.acceptedSpans, 3u);
    grpcClient.join();
    httpClient.join();
    QCOMPARE(grpcCode.load(), int(grpc::StatusCode::OK));
    QVERIFY2(httpAnswer.startsWith("HTTP/1.1 200"), httpAnswer);

    // Stopped: nothing listens any more.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, httpPort);
    QVERIFY(!socket.waitForConnected(1000));
}

void Test_receivers::importPayloadReports()
{
    DatasetBuilder builder;
    ImportReport report;
    PayloadOutcome outcome = importPayload({"otlp-http", "otlp-json", jsonBody(jsonSpan(1)).toStdString()}, builder,
                                           report);
    QCOMPARE(outcome.acceptedSpans, 1u);
    QVERIFY(outcome.error.empty() && outcome.warning.empty());

    // Invalid UTF-8 in a name: read, with a warning.
    outcome = importPayload({"otlp-http", "otlp-json", jsonBody(jsonSpan(2, ",\"name\":\"caf\xe9\"")).toStdString()},
                            builder, report);
    QCOMPARE(outcome.acceptedSpans, 1u);
    QVERIFY2(outcome.warning.find("invalid UTF-8") != std::string::npos, outcome.warning.c_str());
    QCOMPARE(builder.spanCount(), 2u);

    outcome = importPayload({"x", "csv", "a,b"}, builder, report);
    QCOMPARE(outcome.error, "no importer reads the format \"csv\"");

    // Empty bodies: an empty OTLP request is valid.
    outcome = importPayload({"otlp-grpc", "otlp-proto", {}}, builder, report);
    QVERIFY(outcome.error.empty());
    QCOMPARE(outcome.acceptedSpans, 0u);
}

QTEST_GUILESS_MAIN(Test_receivers)
#include "tst_receivers.moc"
