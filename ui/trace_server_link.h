#pragma once
// Where a trace lives on a trace server: a link pasted from Jaeger, Grafana Tempo or Zipkin (the UI's
// page of a trace or the query API's URL) turned into the API request that returns the trace, in a
// format the importers read.

#include <QString>
#include <QUrl>

#include <optional>

namespace spanwise {

enum class TraceServer { Jaeger, Tempo, JaegerOrTempo, Zipkin };

struct TraceServerRequest {
    TraceServer server = TraceServer::JaegerOrTempo;
    QString traceId;   // lower-case hex, as written in the link
    QUrl base;         // scheme, host, port and the path prefix the server is mounted under
    QUrl api;          // the URL to GET
    QByteArray accept; // the Accept header: what the importers read best from that API
};

// The request for a link, or nothing with why in words (what was expected).
std::optional<TraceServerRequest> traceServerRequest(const QUrl& link, QString* why = nullptr);
// The request for a trace id on a server given by its base URL (the UI's address).
std::optional<TraceServerRequest> traceServerRequest(TraceServer server, const QUrl& base, const QString& traceId,
                                                     QString* why = nullptr);
QString traceServerName(TraceServer server);
// Whether text is meant as a web address (http or https), not a file.
bool looksLikeWebAddress(const QString& text);

} // namespace spanwise
