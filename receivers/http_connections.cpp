#include "http_connections.h"

#include <QTcpSocket>

namespace spanwise {

namespace {

// Request line and headers come on top of the body.
constexpr std::uint64_t kHeaderAllowance = 64 * 1024;
// After a 413, at most this much more of the upload is read (and thrown away), for this long.
constexpr std::uint64_t kMaxDiscardedBytes = std::uint64_t(64) << 20;
constexpr int kDrainMs = 5000;

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket* socket, QObject* server, const ConnectionLimits& limits,
                                 EndpointCounters& counters)
    : QObject(socket), m_socket(socket), m_server(server), m_limits(limits), m_counters(counters)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::timedOut);
    restartTimer();
}

void ConnectionGuard::restartTimer()
{
    m_timer.start(m_draining ? kDrainMs : m_limits.requestTimeoutMs);
}

void ConnectionGuard::beforeServerReads()
{
    if (m_draining) {
        discardInput();
        return;
    }
    m_pending = static_cast<std::uint64_t>(m_socket->bytesAvailable());
    if (m_read == 0 && m_pending > 0)
        restartTimer(); // a request begins: it has the timeout to arrive whole
    if (m_read + m_pending > m_limits.maxRequestBytes + kHeaderAllowance)
        refuseTooLarge();
}

void ConnectionGuard::afterServerReads()
{
    if (m_draining)
        return;
    const auto left = static_cast<std::uint64_t>(m_socket->bytesAvailable());
    m_read += m_pending > left ? m_pending - left : 0;
    m_pending = left;
}

void ConnectionGuard::answered()
{
    m_read = 0;
    m_pending = static_cast<std::uint64_t>(m_socket->bytesAvailable()); // what comes after belongs to the next
    restartTimer();
    if (m_closing)
        m_socket->disconnectFromHost(); // after the answer is written
}

void ConnectionGuard::closeWhenIdle()
{
    m_closing = true;
    if (m_read == 0 && !m_draining)
        m_socket->disconnectFromHost();
}

void ConnectionGuard::refuseTooLarge()
{
    m_counters.count(RequestFault::TooLarge);
    // The server must not read on: it would buffer the whole upload.
    disconnect(m_socket, &QTcpSocket::readyRead, m_server, nullptr);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_draining = true;
    restartTimer();
    const HttpAnswer answer = answerTooLarge(m_limits.maxRequestBytes);
    // Written here, as the server has no request object to answer with.
    const QByteArray response = "HTTP/1.1 413 Payload Too Large\r\nContent-Type: " +
                                QByteArray::fromStdString(answer.contentType) +
                                "\r\nContent-Length: " + QByteArray::number(answer.body.size()) +
                                "\r\nConnection: close\r\n\r\n" + QByteArray::fromStdString(answer.body);
    m_socket->write(response);
    discardInput();
}

void ConnectionGuard::discardInput()
{
    m_discarded += static_cast<std::uint64_t>(m_socket->skip(m_socket->bytesAvailable()));
    if (m_discarded > kMaxDiscardedBytes)
        m_socket->disconnectFromHost();
}

void ConnectionGuard::timedOut()
{
    if (m_read > 0 && !m_draining)
        m_counters.countTimeout();
    m_socket->disconnectFromHost();
}

GuardedTcpServer::GuardedTcpServer(const ConnectionLimits& limits, EndpointCounters& counters, QObject* httpServer)
    : m_limits(limits), m_counters(counters), m_httpServer(httpServer)
{
}

void GuardedTcpServer::closeAll()
{
    m_stopping = true;
    close();
    for (auto* guard : findChildren<ConnectionGuard*>())
        guard->closeWhenIdle();
}

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    // An answer goes out in more than one write; with Nagle's algorithm the last waits for the
    // client's delayed acknowledgement (some 40 ms a request).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto* guard = new ConnectionGuard(socket, m_httpServer, m_limits, m_counters);
    if (m_stopping)
        guard->closeWhenIdle();
    // Slots run in the order they were connected: the server connects its own when the connection
    // is added, between these two.
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::beforeServerReads);
    addPendingConnection(socket);
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::afterServerReads);

    if (++m_open >= m_limits.maxConnections)
        pauseAccepting();
    connect(socket, &QObject::destroyed, this, [this] {
        if (--m_open < m_limits.maxConnections && isListening())
            resumeAccepting();
    });
}

} // namespace spanwise
