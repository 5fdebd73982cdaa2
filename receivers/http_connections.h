#pragma once
// The TCP side of the HTTP endpoints, which QHttpServer 6.4 leaves open: it buffers any request
// whole, however large, and accepts any number of connections. The listener holds the open
// connections to a limit (more wait in the kernel's backlog); each connection's guard counts the
// bytes the server has read since its last answer, answers 413 once they pass the size limit (then
// discards the rest of the upload so the client reads the answer), and closes connections whose
// request takes longer than the timeout or that stay idle that long.

#include "receiver_counters.h"

#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

namespace spanwise {

struct ConnectionLimits {
    std::uint64_t maxRequestBytes = 0;
    int maxConnections = 0;
    int requestTimeoutMs = 0;
};

class ConnectionGuard : public QObject {
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket* socket, QObject* server, const ConnectionLimits& limits, EndpointCounters& counters);

    // The readyRead slots, connected before and after the server's.
    void beforeServerReads();
    void afterServerReads();
    // The server has answered a request (its handler runs between the two slots above).
    void answered();
    // Stop: close now when idle, else once the request in progress is answered.
    void closeWhenIdle();
    bool closing() const { return m_closing; }

private:
    void refuseTooLarge();
    void discardInput();
    void timedOut();
    void restartTimer();

    QTcpSocket* m_socket;
    QObject* m_server; // the receiver of the server's readyRead connection
    ConnectionLimits m_limits;
    EndpointCounters& m_counters;
    std::uint64_t m_read = 0;    // bytes of the request in progress the server has read
    std::uint64_t m_pending = 0; // bytes available when the server started reading
    std::uint64_t m_discarded = 0;
    bool m_draining = false; // refused: the rest of the upload is read and thrown away
    bool m_closing = false;
    QTimer m_timer;
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    GuardedTcpServer(const ConnectionLimits& limits, EndpointCounters& counters, QObject* httpServer);

    void closeAll(); // stop listening and close each connection when idle
    int openConnections() const { return m_open; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    ConnectionLimits m_limits;
    EndpointCounters& m_counters;
    QObject* m_httpServer;
    int m_open = 0;
    bool m_stopping = false;
};

} // namespace spanwise
