#include "http_receiver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

#include <exception>

namespace spanwise {

namespace {

std::string_view methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

} // namespace

HttpReceiver::HttpReceiver(ReceiverEndpoint endpoint, const ConnectionLimits& limits, const PayloadSink& sink,
                           EndpointCounters& counters)
    : m_endpoint(endpoint), m_limits(limits), m_sink(sink), m_counters(counters)
{
}

std::string HttpReceiver::start(const QHostAddress& address, quint16 port)
{
    auto* listener = new GuardedTcpServer(m_limits, m_counters, this);
    if (!listener->listen(address, port)) {
        const std::string reason = listener->errorString().toStdString();
        delete listener;
        return reason;
    }
    bind(listener);
    m_listener = listener;
    return {};
}

quint16 HttpReceiver::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void HttpReceiver::beginStop()
{
    if (m_listener)
        m_listener->closeAll();
}

int HttpReceiver::openConnections() const
{
    return m_listener ? m_listener->openConnections() : 0;
}

bool HttpReceiver::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    const std::string path = request.url().path().toStdString();
    const QByteArray contentType = request.value("Content-Type");
    const QByteArray contentEncoding = request.value("Content-Encoding");
    const QByteArray body = request.body();
    const HttpRequestHead head{methodName(request.method()), path, std::string_view(contentType),
                               std::string_view(contentEncoding)};
    DecodedRequest decoded = decodeHttpRequest(m_endpoint, head, std::string_view(body.data(), body.size()),
                                               m_limits.maxRequestBytes);
    if (!decoded.payload) {
        m_counters.count(decoded.answer.fault);
        answer(request, socket, decoded.answer);
        return true;
    }
    HttpAnswer reply;
    try {
        const PayloadOutcome outcome = m_sink(std::move(*decoded.payload));
        reply = answerOutcome(m_endpoint, decoded.encoding, outcome);
        m_counters.count(reply.fault, &outcome);
    } catch (const std::exception& e) {
        reply = answerSinkFailure(m_endpoint, decoded.encoding, e.what());
        m_counters.count(reply.fault);
    }
    answer(request, socket, reply);
    return true;
}

void HttpReceiver::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    answer(request, socket, {404, {}, {}, {}, RequestFault::NotFound});
}

void HttpReceiver::answer(const QHttpServerRequest& request, QTcpSocket* socket, const HttpAnswer& answer)
{
    auto* guard = socket->findChild<ConnectionGuard*>();
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(answer.status));
    if (!answer.contentType.empty())
        responder.writeHeader("Content-Type", QByteArray::fromStdString(answer.contentType));
    if (!answer.allow.empty())
        responder.writeHeader("Allow", QByteArray::fromStdString(answer.allow));
    if (guard && guard->closing())
        responder.writeHeader("Connection", "close");
    responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
    responder.writeBody(answer.body.data(), static_cast<qint64>(answer.body.size()));
    if (guard)
        guard->answered();
}

} // namespace spanwise
