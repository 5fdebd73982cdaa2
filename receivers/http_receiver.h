#pragma once
// One HTTP endpoint (OTLP/HTTP or Zipkin) on QHttpServer's request parsing: each complete request
// is decoded (http_request.h), handed to the sink and answered, on the thread the receiver lives in.

#include "http_connections.h"
#include "received_payload.h"

#include <QAbstractHttpServer>
#include <QHostAddress>

namespace spanwise {

class HttpReceiver : public QAbstractHttpServer {
    Q_OBJECT
public:
    HttpReceiver(ReceiverEndpoint endpoint, const ConnectionLimits& limits, const PayloadSink& sink,
                 EndpointCounters& counters);

    // Listens on address:port (0: a free port); returns the reason in words when it cannot.
    std::string start(const QHostAddress& address, quint16 port);
    quint16 port() const;
    // Stops listening; closes idle connections now and the others once their request is answered.
    void beginStop();
    int openConnections() const;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void answer(const QHttpServerRequest& request, QTcpSocket* socket, const HttpAnswer& answer);

    ReceiverEndpoint m_endpoint;
    ConnectionLimits m_limits;
    const PayloadSink& m_sink;
    EndpointCounters& m_counters;
    GuardedTcpServer* m_listener = nullptr;
};

} // namespace spanwise
