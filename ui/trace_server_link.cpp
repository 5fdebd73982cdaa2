#include "trace_server_link.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <array>

namespace spanwise {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TraceServerLink", text);
}

bool isTraceId(const QString& text)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{1,32}$"));
    return hex.match(text).hasMatch();
}

// An API path under a server's prefix: the segments that end a link, what they say about the server,
// and the API that returns the trace.
struct LinkForm {
    std::array<const char*, 3> segments; // the path segments just before the trace id, in order
    int count;
    TraceServer server;
    bool isApi; // the link is the API itself; otherwise a UI page
};

constexpr LinkForm kForms[] = {
    {{"api", "v2", "traces"}, 3, TraceServer::Tempo, true},
    {{"api", "v3", "traces"}, 3, TraceServer::Jaeger, true},
    {{"api", "v2", "trace"}, 3, TraceServer::Zipkin, true},
    {{"zipkin", "traces", nullptr}, 2, TraceServer::Zipkin, false},
    {{"api", "traces", nullptr}, 2, TraceServer::JaegerOrTempo, true},
    {{"trace", nullptr, nullptr}, 1, TraceServer::Jaeger, false},
};

QString joinedPath(const QStringList& segments)
{
    return segments.isEmpty() ? QString() : QLatin1Char('/') + segments.join(QLatin1Char('/'));
}

QUrl withPath(QUrl url, const QString& path)
{
    url.setUserInfo({}); // a password in a link is never kept, shown or sent by the URL itself
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

bool checkBase(const QUrl& url, QString* why)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http" && scheme != u"https")) {
        if (why)
            *why = tr("Expected a web address starting with http:// or https:// and a server name, such as "
                      "http://localhost:16686/trace/<trace id>.");
        return false;
    }
    return true;
}

} // namespace

QString traceServerName(TraceServer server)
{
    switch (server) {
    case TraceServer::Jaeger:
        return tr("Jaeger");
    case TraceServer::Tempo:
        return tr("Grafana Tempo");
    case TraceServer::JaegerOrTempo:
        return tr("Jaeger or Grafana Tempo");
    case TraceServer::Zipkin:
        return tr("Zipkin");
    }
    return {};
}

bool looksLikeWebAddress(const QString& text)
{
    return text.startsWith(u"http://", Qt::CaseInsensitive) || text.startsWith(u"https://", Qt::CaseInsensitive);
}

std::optional<TraceServerRequest> traceServerRequest(const QUrl& link, QString* why)
{
    if (!checkBase(link, why))
        return std::nullopt;
    QStringList segments = link.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!segments.isEmpty() && isTraceId(segments.last())) {
        const QString id = segments.takeLast();
        for (const LinkForm& form : kForms) {
            if (segments.size() < form.count)
                continue;
            const QStringList tail = segments.mid(segments.size() - form.count);
            bool matches = true;
            for (int i = 0; i < form.count; ++i)
                matches = matches && tail[i] == QLatin1String(form.segments[static_cast<std::size_t>(i)]);
            if (!matches)
                continue;
            const QUrl base = withPath(link, joinedPath(segments.mid(0, segments.size() - form.count)));
            if (form.isApi) {
                TraceServerRequest request{form.server, id, base,
                                           withPath(link, joinedPath(segments) + QLatin1Char('/') + id),
                                           QByteArrayLiteral("application/json")};
                return request;
            }
            return traceServerRequest(form.server, base, id, why);
        }
    }
    if (why)
        *why = tr("%1 is not a link to a trace. Expected a trace's page or API address: Jaeger "
                  ".../trace/<id> or .../api/traces/<id>, Grafana Tempo .../api/traces/<id> or "
                  ".../api/v2/traces/<id>, Zipkin .../zipkin/traces/<id> or .../api/v2/trace/<id>.")
                   .arg(link.toDisplayString());
    return std::nullopt;
}

std::optional<TraceServerRequest> traceServerRequest(TraceServer server, const QUrl& base, const QString& traceId,
                                                     QString* why)
{
    if (!checkBase(base, why))
        return std::nullopt;
    const QString id = traceId.trimmed().toLower();
    if (!isTraceId(id)) {
        if (why)
            *why = tr("\"%1\" is not a trace id: expected up to 32 hexadecimal digits.").arg(id);
        return std::nullopt;
    }
    QString prefix = base.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    // Zipkin's UI lives under /zipkin; its API is at the server's root.
    if (server == TraceServer::Zipkin && prefix.endsWith(u"/zipkin"))
        prefix.chop(7);
    const QString api = server == TraceServer::Zipkin  ? QStringLiteral("/api/v2/trace/")
                        : server == TraceServer::Tempo ? QStringLiteral("/api/v2/traces/")
                                                       : QStringLiteral("/api/traces/");
    TraceServerRequest request{server, id, withPath(base, prefix), withPath(base, prefix + api + id),
                               QByteArrayLiteral("application/json")};
    return request;
}

} // namespace spanwise
