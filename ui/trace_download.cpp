#include "trace_download.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace spanwise {

TraceDownload::TraceDownload(QObject* parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::UserVerifiedRedirectPolicy); // see start()
}

TraceDownload::~TraceDownload()
{
    abort();
}

void TraceDownload::start(const TraceServerRequest& request, const ServerCredentials& credentials)
{
    abort();
    m_request = request;
    m_tooBig = false;
    m_refusedRedirect.clear();
    QNetworkRequest get(request.api);
    get.setRawHeader("Accept", request.accept);
    get.setTransferTimeout(m_timeoutMs);
    get.setMaximumRedirectsAllowed(10);
    if (credentials.kind == ServerCredentials::Kind::Bearer)
        get.setRawHeader("Authorization", "Bearer " + credentials.secret.toUtf8());
    else if (credentials.kind == ServerCredentials::Kind::Basic)
        get.setRawHeader("Authorization",
                         "Basic " + (credentials.user + QLatin1Char(':') + credentials.secret).toUtf8().toBase64());
    m_reply = m_network->get(get);
    // Qt sends the request's headers again to where a redirect leads: never a credential to another
    // server, and nothing from https to http.
    const bool sendsCredentials = credentials.kind != ServerCredentials::Kind::None;
    connect(m_reply, &QNetworkReply::redirected, this, [this, sendsCredentials](const QUrl& to) {
        const QUrl& from = m_request.api;
        const bool lessSafe = from.scheme() == u"https" && to.scheme() != u"https";
        const bool otherServer = to.scheme() != from.scheme() || to.host() != from.host() ||
                                 to.port(from.scheme() == u"https" ? 443 : 80) !=
                                     from.port(from.scheme() == u"https" ? 443 : 80);
        if (lessSafe || (sendsCredentials && otherServer)) {
            m_refusedRedirect = to;
            m_reply->abort();
            return;
        }
        emit m_reply->redirectAllowed();
    });
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        if (received > m_maxBytes || total > m_maxBytes) {
            m_tooBig = true;
            m_reply->abort();
            return;
        }
        emit progress(received, total);
    });
    connect(m_reply, &QNetworkReply::finished, this, &TraceDownload::onFinished);
}

void TraceDownload::abort()
{
    if (QNetworkReply* reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void TraceDownload::onFinished()
{
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (reply->error() != QNetworkReply::NoError || m_tooBig || !m_refusedRedirect.isEmpty()) {
        emit finished({}, failure(reply));
        return;
    }
    const QByteArray body = reply->readAll();
    if (std::all_of(body.begin(), body.end(), [](char c) { return QChar::isSpace(static_cast<uchar>(c)); })) {
        emit finished({}, tr("%1 answered with an empty body: no trace %2 there.")
                              .arg(reply->url().toDisplayString(), m_request.traceId));
        return;
    }
    emit finished(body, {});
}

QString TraceDownload::failure(QNetworkReply* reply) const
{
    const QString url = reply->url().toDisplayString();
    const QString host = reply->url().authority();
    if (m_tooBig)
        return tr("The answer from %1 is larger than %2: not read.").arg(url, QLocale().formattedDataSize(m_maxBytes));
    if (!m_refusedRedirect.isEmpty()) {
        const QString to = m_refusedRedirect.toDisplayString();
        if (m_request.api.scheme() == u"https" && m_refusedRedirect.scheme() != u"https")
            return tr("%1 redirected from https to http (%2): not followed, as it would send the request "
                      "unencrypted.")
                .arg(url, to);
        return tr("%1 redirected to another server (%2): not followed, as it would send your credentials "
                  "there. Open the trace from that server instead.")
            .arg(url, to);
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString said = QString::fromUtf8(reply->readAll().left(300)).simplified();
    const QString serverSaid = said.isEmpty() ? QString() : tr(" It said: %1").arg(said);
    switch (status) {
    case 0:
        break;
    case 401:
        return tr("%1 asks who you are (HTTP 401): give a token or a user and password.%2").arg(host, serverSaid);
    case 403:
        return tr("%1 refused the credentials given (HTTP 403).%2").arg(host, serverSaid);
    case 404:
        return tr("%1 has no trace %2 (HTTP 404), or that address is not its API: check the trace id and "
                  "the server's address.%3")
            .arg(host, m_request.traceId, serverSaid);
    default:
        return tr("%1 answered HTTP %2 %3.%4")
            .arg(url, QString::number(status), reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                 serverSaid);
    }
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return tr("Nothing answers at %1: is the server running, and is that its port?").arg(host);
    case QNetworkReply::HostNotFoundError:
        return tr("The server name %1 is not known here (DNS).").arg(reply->url().host());
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return tr("%1 did not answer within %2 s.").arg(host, QLocale().toString(m_timeoutMs / 1000.0));
    case QNetworkReply::TooManyRedirectsError:
        return tr("%1 redirected too many times (a redirect loop?).").arg(url);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("The secure connection to %1 failed: %2").arg(host, reply->errorString());
    default:
        return tr("Could not fetch %1: %2").arg(url, reply->errorString());
    }
}

} // namespace spanwise
