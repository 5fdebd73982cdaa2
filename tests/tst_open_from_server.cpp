// Opening a trace from a trace server: links of Jaeger, Grafana Tempo and Zipkin turned into API
// requests, fetched from a local server that answers as those servers do (with real responses of
// theirs), credentials, redirects, and every failure said in words.
#include <screenshot.h>
#include <test_support.h>

#include <annotation_store.h>
#include <main_window.h>
#include <open_from_server_dialog.h>
#include <pages.h>
#include <trace_download.h>
#include <trace_page.h>
#include <trace_server_link.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace spanwise;

namespace {

QByteArray fileBytes(const QString& relative)
{
    QFile file(test::dataPath(relative));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QHttpServerResponse json(const QByteArray& body, QHttpServerResponse::StatusCode status = {})
{
    return QHttpServerResponse("application/json"_ba, body,
                               status == QHttpServerResponse::StatusCode{} ? QHttpServerResponse::StatusCode::Ok
                                                                           : status);
}

// Jaeger's query API answer for one trace: {"data": [trace]}.
QByteArray jaegerTrace()
{
    return "{\"data\":[" + fileBytes(u"samples/jaeger-ui_01.json"_s) + "]}";
}

// A local server answering as Jaeger, Tempo and Zipkin do, with their own responses.
class FakeTraceServers {
public:
    FakeTraceServers()
    {
        server.route(u"/api/traces/<arg>"_s, [](const QString&) { return json(jaegerTrace()); });
        // Grafana Tempo's v2 API (under a path prefix, as behind a proxy).
        server.route(u"/tempo/api/v2/traces/<arg>"_s,
                     [](const QString&) { return json(fileBytes(u"otlp-json/tempo-api-traces.json"_s)); });
        // Zipkin's API: an array of spans.
        server.route(u"/api/v2/trace/<arg>"_s,
                     [](const QString&) { return json(fileBytes(u"samples/zipkin-v2-yelp.json"_s)); });
        server.route(u"/secure/api/traces/<arg>"_s, [](const QString&, const QHttpServerRequest& request) {
            const QByteArray auth = request.value("Authorization"_ba);
            if (auth == "Bearer s3cret"_ba || auth == "Basic " + "ann:pw"_ba.toBase64())
                return json(jaegerTrace());
            return json(R"({"error":"unauthorized"})"_ba, QHttpServerResponse::StatusCode::Unauthorized);
        });
        server.route(u"/old/api/traces/<arg>"_s, [this](const QString& id) {
            QHttpServerResponse moved(QHttpServerResponse::StatusCode::MovedPermanently);
            moved.addHeader("Location"_ba, base().toUtf8() + "/api/traces/" + id.toUtf8());
            return moved;
        });
        // A redirect to another server (by another name for this host).
        server.route(u"/elsewhere/api/traces/<arg>"_s, [this](const QString& id) {
            QHttpServerResponse moved(QHttpServerResponse::StatusCode::Found);
            moved.addHeader("Location"_ba,
                            "http://localhost:" + QByteArray::number(port) + "/secure/api/traces/" + id.toUtf8());
            return moved;
        });
        server.route(u"/missing/api/traces/<arg>"_s, [](const QString&) {
            return json(R"({"data":null,"errors":[{"code":404,"msg":"trace not found"}]})"_ba,
                        QHttpServerResponse::StatusCode::NotFound);
        });
        port = server.listen(QHostAddress::LocalHost, 0);
    }

    QString base() const { return u"http://127.0.0.1:%1"_s.arg(port); }

    QHttpServer server;
    quint16 port = 0;
};

// The text of the banner over a failed tab, or an empty text (also while it loads).
QString bannerText(QWidget* page)
{
    if (!qobject_cast<FilePage*>(page))
        return {};
    for (QLabel* label : page->findChildren<QLabel*>()) {
        if (label->textFormat() == Qt::PlainText && !label->text().isEmpty())
            return label->text();
    }
    return {};
}

} // namespace

class TestOpenFromServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // recent files and annotations stay out of the user's files
    }

    void linksBecomeApiRequests_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("api");
        QTest::addColumn<QString>("base");
        QTest::addColumn<int>("server");
        QTest::newRow("jaeger page") << u"http://jaeger:16686/trace/4BF92F35?uiFind=abc#x"_s
                                     << u"http://jaeger:16686/api/traces/4bf92f35"_s << u"http://jaeger:16686"_s
                                     << int(TraceServer::Jaeger);
        QTest::newRow("jaeger page under a prefix") << u"https://ops.example.com/jaeger/trace/4bf92f35"_s
                                                    << u"https://ops.example.com/jaeger/api/traces/4bf92f35"_s
                                                    << u"https://ops.example.com/jaeger"_s << int(TraceServer::Jaeger);
        QTest::newRow("jaeger or tempo api")
            << u"http://h:3200/api/traces/abc123"_s << u"http://h:3200/api/traces/abc123"_s << u"http://h:3200"_s
            << int(TraceServer::JaegerOrTempo);
        QTest::newRow("jaeger api v3") << u"http://h/api/v3/traces/abc"_s << u"http://h/api/v3/traces/abc"_s
                                       << u"http://h"_s << int(TraceServer::Jaeger);
        QTest::newRow("tempo api v2") << u"http://h:3200/tempo/api/v2/traces/abc"_s
                                      << u"http://h:3200/tempo/api/v2/traces/abc"_s << u"http://h:3200/tempo"_s
                                      << int(TraceServer::Tempo);
        QTest::newRow("zipkin page") << u"http://z:9411/zipkin/traces/a03ee8fff1dcd9b9"_s
                                     << u"http://z:9411/api/v2/trace/a03ee8fff1dcd9b9"_s << u"http://z:9411"_s
                                     << int(TraceServer::Zipkin);
        QTest::newRow("zipkin api") << u"http://z:9411/api/v2/trace/a03ee8fff1dcd9b9"_s
                                    << u"http://z:9411/api/v2/trace/a03ee8fff1dcd9b9"_s << u"http://z:9411"_s
                                    << int(TraceServer::Zipkin);
    }

    void linksBecomeApiRequests()
    {
        QFETCH(QString, link);
        QFETCH(QString, api);
        QFETCH(QString, base);
        QFETCH(int, server);
        QString why;
        const auto request = traceServerRequest(QUrl(link), &why);
        QVERIFY2(request, qPrintable(why));
        QCOMPARE(request->api.toString(), api);
        QCOMPARE(request->base.toString(), base);
        QCOMPARE(int(request->server), server);
        QCOMPARE(request->accept, "application/json"_ba);
        // The API address is a link too, to the same request: recent entries and reloads use it.
        const auto again = traceServerRequest(request->api);
        QVERIFY(again);
        QCOMPARE(again->api, request->api);
    }

    void notALinkSaysWhatWasExpected_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no trace") << u"http://jaeger:16686/search"_s << u"not a link to a trace"_s;
        QTest::newRow("not hex") << u"http://jaeger:16686/trace/xyz"_s << u"not a link to a trace"_s;
        QTest::newRow("too long") << u"http://jaeger:16686/trace/%1"_s.arg(QString(33, u'a')) << u"not a link"_s;
        QTest::newRow("ftp") << u"ftp://host/trace/abc"_s << u"http:// or https://"_s;
        QTest::newRow("no host") << u"http:///trace/abc"_s << u"http:// or https://"_s;
    }

    void notALinkSaysWhatWasExpected()
    {
        QFETCH(QString, link);
        QFETCH(QString, expected);
        QString why;
        QVERIFY(!traceServerRequest(QUrl(link), &why));
        QVERIFY2(why.contains(expected), qPrintable(why));
    }

    void traceIdOnAServer()
    {
        const auto zipkin = traceServerRequest(TraceServer::Zipkin, QUrl(u"http://z:9411/zipkin/"_s), u" ABC "_s);
        QVERIFY(zipkin);
        QCOMPARE(zipkin->api.toString(), u"http://z:9411/api/v2/trace/abc"_s);
        QCOMPARE(zipkin->traceId, u"abc"_s);
        const auto tempo = traceServerRequest(TraceServer::Tempo, QUrl(u"http://t:3200"_s), u"abc"_s);
        QVERIFY(tempo);
        QCOMPARE(tempo->api.toString(), u"http://t:3200/api/v2/traces/abc"_s);
        QString why;
        QVERIFY(!traceServerRequest(TraceServer::Jaeger, QUrl(u"http://j"_s), u"not-an-id"_s, &why));
        QVERIFY2(why.contains(u"not a trace id"_s), qPrintable(why));
    }

    void windowOpensTracesOfEachServer_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("jaeger") << u"/trace/4bf92f3577b34da6a3ce929d0e0e4736"_s;
        QTest::newRow("tempo v2") << u"/tempo/api/v2/traces/4bf92f3577b34da6a3ce929d0e0e4736"_s;
        QTest::newRow("zipkin") << u"/zipkin/traces/a03ee8fff1dcd9b9"_s;
        QTest::newRow("redirected") << u"/old/api/traces/4bf92f3577b34da6a3ce929d0e0e4736"_s;
    }

    void windowOpensTracesOfEachServer()
    {
        QFETCH(QString, path);
        FakeTraceServers servers;
        QVERIFY(servers.port != 0);
        MainWindow window;
        window.openUrl(servers.base() + path);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr || !bannerText(window.currentPage()).isEmpty(),
                                 20000);
        QVERIFY2(window.currentTracePage(), qPrintable(bannerText(window.currentPage())));
        QVERIFY(window.currentTracePage()->state()->data().spans.size() > 1);
        // Remembered as the API's address, which opens the same trace again.
        const QString recent = MainWindow::recentFiles().value(0);
        QVERIFY2(recent.startsWith(servers.base()) && recent.contains(u"/api/"_s), qPrintable(recent));
    }

    void failuresAreSaidInWords_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("404") << u"/missing/api/traces/abc"_s << u"has no trace abc (HTTP 404)"_s;
        QTest::newRow("401") << u"/secure/api/traces/abc"_s << u"HTTP 401"_s;
    }

    void failuresAreSaidInWords()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        FakeTraceServers servers;
        MainWindow window;
        window.openUrl(servers.base() + path);
        QTRY_VERIFY_WITH_TIMEOUT(!bannerText(window.currentPage()).isEmpty(), 20000);
        QVERIFY2(bannerText(window.currentPage()).contains(expected), qPrintable(bannerText(window.currentPage())));
        QVERIFY(!window.currentTracePage());
    }

    void credentialsAreSent()
    {
        FakeTraceServers servers;
        MainWindow window;
        window.openUrl(servers.base() + u"/secure/api/traces/abc"_s,
                       ServerCredentials{ServerCredentials::Kind::Bearer, {}, u"s3cret"_s});
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        window.openUrl(servers.base() + u"/secure/api/traces/abc"_s,
                       ServerCredentials{ServerCredentials::Kind::Basic, u"ann"_s, u"pw"_s});
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->count(), 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
    }

    // A password written in a link is used for that fetch, and kept nowhere.
    void passwordInALinkIsNotKept()
    {
        FakeTraceServers servers;
        MainWindow window;
        window.openUrl(u"http://ann:pw@127.0.0.1:%1/secure/api/traces/abc"_s.arg(servers.port));
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != nullptr, 20000);
        const QString recent = MainWindow::recentFiles().value(0);
        QCOMPARE(recent, servers.base() + u"/secure/api/traces/abc"_s);
        QVERIFY(!window.tabs()->tabToolTip(0).contains(u"pw"_s));
        QCOMPARE(traceServerRequest(QUrl(u"https://bob:s3cret@jaeger/trace/abc"_s))->base.toString(),
                 u"https://jaeger"_s);
    }

    // Qt would send the request's headers where a redirect leads: credentials never go to another server.
    void credentialsAreNotSentElsewhere()
    {
        FakeTraceServers servers;
        TraceDownload download;
        QSignalSpy finished(&download, &TraceDownload::finished);
        download.start(*traceServerRequest(QUrl(servers.base() + u"/elsewhere/api/traces/abc"_s)),
                       ServerCredentials{ServerCredentials::Kind::Bearer, {}, u"s3cret"_s});
        QVERIFY(finished.wait(20000));
        QVERIFY(finished[0][0].toByteArray().isEmpty());
        QVERIFY2(finished[0][1].toString().contains(u"redirected to another server"_s),
                 qPrintable(finished[0][1].toString()));
        // Without credentials there is nothing to give away: the redirect is followed (and the other
        // server asks who you are).
        download.start(*traceServerRequest(QUrl(servers.base() + u"/elsewhere/api/traces/abc"_s)));
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished[1][1].toString().contains(u"HTTP 401"_s), qPrintable(finished[1][1].toString()));
    }

    void nothingListening()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        TraceDownload download;
        QSignalSpy finished(&download, &TraceDownload::finished);
        download.start(*traceServerRequest(QUrl(u"http://127.0.0.1:%1/api/traces/abc"_s.arg(port))));
        QVERIFY(finished.wait(20000));
        QVERIFY(finished[0][0].toByteArray().isEmpty());
        QVERIFY2(finished[0][1].toString().contains(u"Nothing answers at 127.0.0.1:%1"_s.arg(port)),
                 qPrintable(finished[0][1].toString()));
    }

    void silentServerTimesOut()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        TraceDownload download;
        download.setTimeout(300);
        QSignalSpy finished(&download, &TraceDownload::finished);
        download.start(*traceServerRequest(QUrl(u"http://127.0.0.1:%1/api/traces/abc"_s.arg(silent.serverPort()))));
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished[0][1].toString().contains(u"did not answer within 0.3 s"_s),
                 qPrintable(finished[0][1].toString()));
    }

    void tooLargeAnswerIsNotRead()
    {
        FakeTraceServers servers;
        TraceDownload download;
        download.setMaxBytes(100);
        QSignalSpy finished(&download, &TraceDownload::finished);
        download.start(*traceServerRequest(QUrl(servers.base() + u"/api/traces/abc"_s)));
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished[0][1].toString().contains(u"larger than"_s), qPrintable(finished[0][1].toString()));
    }

    void dialogSaysWhatItWillFetch()
    {
        OpenFromServerDialog dialog({u"http://jaeger:16686"_s});
        QPushButton* open = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Open);
        QVERIFY(!open->isEnabled());
        QTest::keyClicks(dialog.linkField(), u"http://jaeger:16686/trace/abc"_s);
        QVERIFY(open->isEnabled());
        QVERIFY(dialog.statusLabel()->text().contains(u"http://jaeger:16686/api/traces/abc"_s));
        QVERIFY(!dialog.serverField()->isEnabled()); // the link names its server
        dialog.linkField()->setText(u"4bf92f35"_s);
        QVERIFY(dialog.serverField()->isEnabled());
        QCOMPARE(dialog.serverField()->currentText(), u"http://jaeger:16686"_s);
        dialog.serverKindField()->setCurrentIndex(2); // Zipkin
        QCOMPARE(dialog.request()->api.toString(), u"http://jaeger:16686/api/v2/trace/4bf92f35"_s);
        dialog.show();
        test::saveScreenshot(&dialog, "open-from-server");
        dialog.linkField()->setText(u"http://jaeger:16686/search"_s);
        QVERIFY(!open->isEnabled());
        QVERIFY(dialog.statusLabel()->text().contains(u"not a link to a trace"_s));
        // Credentials: the fields that apply are enabled, and saving is never implied.
        QVERIFY(!dialog.secretField()->isEnabled());
        dialog.authField()->setCurrentIndex(1);
        QVERIFY(dialog.secretField()->isEnabled());
        QVERIFY(!dialog.userField()->isEnabled());
        dialog.secretField()->setText(u"t"_s);
        QCOMPARE(dialog.credentials().kind, ServerCredentials::Kind::Bearer);
        QVERIFY(!dialog.saveCredentials());
        dialog.saveField()->setChecked(true);
        QVERIFY(dialog.saveCredentials());
    }

    void annotationsOfAServerTraceStayInTheUsersDataFolder()
    {
        const QString sidecar = AnnotationStore::sidecarPathFor(u"http://jaeger:16686/api/traces/abc"_s);
        QVERIFY2(sidecar.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)),
                 qPrintable(sidecar));
        QVERIFY(!sidecar.contains(u"jaeger:16686"_s));
        QCOMPARE(AnnotationStore::sidecarPathFor(u"/tmp/t.json"_s), u"/tmp/t.json.spanwise.json"_s);
    }
};

QTEST_MAIN(TestOpenFromServer)
#include "tst_open_from_server.moc"
