#pragma once
// Fetches a trace from a trace server: one GET with the credentials given, a time limit, redirects
// followed while they stay as safe (https never becomes http), a size limit, and every failure said
// in words (what the server or the network answered, and what to try).

#include "trace_server_link.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace spanwise {

struct ServerCredentials {
    enum class Kind { None, Bearer, Basic } kind = Kind::None;
    QString user;   // Basic
    QString secret; // the token (Bearer) or the password (Basic)
};

class TraceDownload : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultTimeoutMs = 30'000;
    static constexpr qint64 kDefaultMaxBytes = qint64(512) << 20; // held in memory, then parsed

    explicit TraceDownload(QObject* parent = nullptr);
    ~TraceDownload() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    // Starts fetching (one download at a time); finished() follows, also when it fails.
    void start(const TraceServerRequest& request, const ServerCredentials& credentials = {});
    void abort();
    bool running() const { return m_reply != nullptr; }

signals:
    void progress(qint64 received, qint64 total); // total is -1 while unknown
    // The body on success; otherwise an empty body and what went wrong.
    void finished(const QByteArray& body, const QString& error);

private:
    void onFinished();
    QString failure(QNetworkReply* reply) const;

    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    TraceServerRequest m_request;
    int m_timeoutMs = kDefaultTimeoutMs;
    qint64 m_maxBytes = kDefaultMaxBytes;
    bool m_tooBig = false;
    QUrl m_refusedRedirect; // a redirect not followed: to http, or elsewhere with credentials
};

} // namespace spanwise
