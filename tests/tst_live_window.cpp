// Receiving traces in the window: the live tab's endpoints, its list filling as spans arrive over
// real HTTP requests, a trace that grows in place keeping what the user set, Pause, Clear, Save
// Capture As, and endpoints that cannot start.
#include <screenshot.h>
#include <test_support.h>

#include <dark_palette.h>
#include <hex_ids.h>
#include <live_page.h>
#include <live_trace_list_model.h>
#include <live_trace_page.h>
#include <main_window.h>
#include <receive_dialog.h>
#include <search_bar.h>
#include <start_page.h>
#include <trace_page.h>
#include <trace_view_state.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::string_view_literals;
using namespace spanwise;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000'000'000;
const QString kTraceA = u"4bf92f3577b34da6a3ce929d0e0e4736"_s;
const QString kTraceB = u"0af7651916cd43dd8448eb211c80319c"_s;

struct SpanSpec {
    QString trace;
    QString id;
    QString parent; // empty for a root
    QString name;
    std::int64_t startOffset = 0; // ns after kStart
    std::int64_t duration = 0;
    bool failed = false;
};

// An OTLP/JSON export request of one service, as the OpenTelemetry SDKs send it.
QByteArray otlpJson(const QString& service, const QList<SpanSpec>& spans)
{
    QStringList items;
    for (const SpanSpec& s : spans) {
        items << uR"({"traceId":"%1","spanId":"%2","parentSpanId":"%3","name":"%4","kind":2,)"
                 uR"("startTimeUnixNano":"%5","endTimeUnixNano":"%6","status":{"code":%7}})"_s.arg(
                     s.trace, s.id, s.parent, s.name, QString::number(kStart + s.startOffset),
                     QString::number(kStart + s.startOffset + s.duration), QString::number(s.failed ? 2 : 0));
    }
    return uR"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%1"}}]},)"
           uR"("scopeSpans":[{"scope":{"name":"test"},"spans":[%2]}]}]})"_s.arg(service, items.join(u','))
               .toUtf8();
}

QString boundAddress(const LivePage& page, ReceiverEndpoint endpoint)
{
    for (const BoundAddress& bound : page.addresses()) {
        if (bound.endpoint == endpoint)
            return QString::fromStdString(bound.address);
    }
    return {};
}

// Posts the body to the page's OTLP/HTTP endpoint; the HTTP status of the answer.
int send(const LivePage& page, const QByteArray& body)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(u"http://%1/v1/traces"_s.arg(boundAddress(page, ReceiverEndpoint::OtlpHttp))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply* reply = network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return -1;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

ReceiverOptions httpOnly()
{
    ReceiverOptions options;
    options.otlpGrpc.clear();
    options.otlpHttp = "127.0.0.1:0";
    options.zipkin = "127.0.0.1:0";
    return options;
}

QString cell(const LivePage& page, int row, int column)
{
    return page.traceList()->model()->index(row, column).data().toString();
}

const QList<SpanSpec> kFirstSpansOfA = {
    {kTraceA, u"00f067aa0ba902b7"_s, {}, u"GET /cart"_s, 0, 80'000'000},
    {kTraceA, u"00f067aa0ba902b8"_s, u"00f067aa0ba902b7"_s, u"load cart"_s, 5'000'000, 20'000'000},
    {kTraceA, u"00f067aa0ba902b9"_s, u"00f067aa0ba902b8"_s, u"SELECT"_s, 6'000'000, 10'000'000},
};

} // namespace

class TestLiveWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the dialog's settings stay out of the user's
    }

    void listFillsAsSpansArrive()
    {
        MainWindow window;
        window.resize(1400, 860);
        window.show();
        LivePage* live = window.receiveTraces(httpOnly(), 1'000'000);
        QVERIFY(live);
        QCOMPARE(window.tabs()->currentWidget(), live);
        QVERIFY(live->problems().isEmpty());
        // The environment to copy names each endpoint the system gave a port to.
        QStringList environments;
        for (QLineEdit* line : live->findChildren<QLineEdit*>())
            environments << line->text();
        QVERIFY2(environments.contains(
                     u"OTEL_EXPORTER_OTLP_ENDPOINT=http://%1 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"_s.arg(
                         boundAddress(*live, ReceiverEndpoint::OtlpHttp))),
                 qPrintable(environments.join(u'\n')));
        QVERIFY(environments.contains(u"OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://%1/api/v2/spans"_s.arg(
            boundAddress(*live, ReceiverEndpoint::Zipkin))));

        QAbstractItemModelTester tester(live->traceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(send(*live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live->refresh();
        QCOMPARE(live->traceList()->model()->rowCount(), 1);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::TraceId), kTraceA);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::Root), u"shop: GET /cart"_s);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::Spans), u"3"_s);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::State), u"receiving…"_s);
        QVERIFY(live->statusLabel()->text().startsWith(u"3 spans in 1 traces"_s));

        // Spans of the same trace from another service join its row; a new trace gets its own.
        QCOMPARE(send(*live, otlpJson(u"db"_s,
                                      {{kTraceA, u"00f067aa0ba902c0"_s, u"00f067aa0ba902b9"_s, u"query"_s, 7'000'000,
                                        5'000'000, true},
                                       {kTraceB, u"1111111111111111"_s, {}, u"POST /pay"_s, 100'000'000, 1'000'000}})),
                 200);
        live->refresh();
        QCOMPARE(live->traceList()->model()->rowCount(), 2);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::Spans), u"4"_s);
        QCOMPARE(cell(*live, 0, LiveTraceListModel::Errors), u"1"_s);
        QCOMPARE(cell(*live, 1, LiveTraceListModel::Root), u"db: POST /pay"_s);
        test::saveScreenshot(&window, "live-list");
        window.setPalette(test::darkPalette());
        test::saveScreenshot(&window, "live-list-dark");
        window.setPalette({});

        // A body that is not OTLP is refused, counted, and the endpoint keeps serving.
        QCOMPARE(send(*live, "{not json"_ba), 400);
        live->refresh();
        QVERIFY2(live->statusLabel()->text().contains(u"1 requests refused"_s),
                 qPrintable(live->statusLabel()->text()));
    }

    void openTraceGrowsInPlace()
    {
        MainWindow window;
        window.resize(1400, 860);
        window.show();
        LivePage* live = window.receiveTraces(httpOnly(), 1'000'000);
        QVERIFY(live);
        QCOMPARE(send(*live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live->refresh();

        QTableView* list = live->traceList();
        list->setCurrentIndex(list->model()->index(0, 0));
        QTest::keyClick(list, Qt::Key_Return);
        auto* page = qobject_cast<LiveTracePage*>(window.currentPage());
        QVERIFY(page);
        QCOMPARE(page->traceId(), *parseHexTraceId("4bf92f3577b34da6a3ce929d0e0e4736"));
        TracePage* before = window.currentTracePage();
        QCOMPARE(before->state()->trace().count, 3u);

        // What the user set: a selection, a zoom, a collapsed row, another side panel.
        const Dataset& first = before->state()->data();
        const std::uint32_t root = before->state()->trace().first;
        const std::uint32_t loadCart = root + 1;
        QCOMPARE(first.str(first.spans[loadCart].name), "load cart"sv);
        before->state()->select(loadCart);
        before->state()->setCollapsed(loadCart, true);
        before->state()->setViewRange(kStart + 1'000'000, kStart + 40'000'000);
        before->sidePanels()->setCurrentIndex(1);
        before->searchBar()->open();
        before->searchBar()->field()->setText(u"render"_s);

        QCOMPARE(send(*live, otlpJson(u"shop"_s, {{kTraceA, u"00f067aa0ba902d0"_s, u"00f067aa0ba902b7"_s, u"render"_s,
                                                   30'000'000, 40'000'000},
                                                  {kTraceA, u"00f067aa0ba902d1"_s, u"00f067aa0ba902b7"_s, u"audit"_s,
                                                   75'000'000, 30'000'000}})),
                 200);
        live->refresh();
        TracePage* after = window.currentTracePage();
        QVERIFY(after != before);
        QCOMPARE(after, page->tracePage());
        const TraceViewState& state = *after->state();
        QCOMPARE(state.trace().count, 5u);
        QCOMPARE(state.trace().duration(), 105'000'000); // the audit span ends after the root
        QVERIFY(state.selected() != kNoIndex);
        QCOMPARE(state.data().str(state.data().spans[state.selected()].name), "load cart"sv);
        QVERIFY(state.isCollapsed(state.selected()));
        QCOMPARE(state.viewStart(), kStart + 1'000'000);
        QCOMPARE(state.viewEnd(), kStart + 40'000'000);
        QCOMPARE(after->sidePanels()->currentIndex(), 1);
        QCOMPARE(state.rows().size(), 4u); // the SELECT under the collapsed row does not show
        QVERIFY(after->searchBar()->isVisibleTo(after));
        QCOMPARE(after->searchBar()->field()->text(), u"render"_s);
        QCOMPARE(state.searchMatches().size(), 1u); // the span that arrived
        test::saveScreenshot(&window, "live-trace-grown");
        window.resize(1920, 1080);
        window.setPalette(test::darkPalette());
        test::saveScreenshot(&window, "live-trace-grown-dark");
        window.setPalette({});

        // Unzoomed, the picture takes in the spans that arrive.
        after->state()->resetView();
        QCOMPARE(send(*live, otlpJson(u"shop"_s, {{kTraceA, u"00f067aa0ba902d2"_s, u"00f067aa0ba902b7"_s, u"late"_s,
                                                   100'000'000, 50'000'000}})),
                 200);
        live->refresh();
        QVERIFY(window.currentTracePage()->state()->viewEnd() >= kStart + 150'000'000);

        // Opening it again shows the tab open already.
        window.tabs()->setCurrentWidget(live);
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(window.currentPage(), page);
    }

    // A menu or dialog may hold on to the page shown: the trace grows once it is closed.
    void aGrowingTraceWaitsForAnOpenDialog()
    {
        MainWindow window;
        window.show();
        LivePage* live = window.receiveTraces(httpOnly(), 1'000'000);
        QVERIFY(live);
        QCOMPARE(send(*live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live->refresh();
        live->traceList()->setCurrentIndex(live->traceList()->model()->index(0, 0));
        QTest::keyClick(live->traceList(), Qt::Key_Return);
        TracePage* before = window.currentTracePage();
        QVERIFY(before);
        // The selection is set before the collapse it lies under, so both stay.
        const std::uint32_t select = before->state()->trace().first + 2; // SELECT, under load cart
        before->state()->select(select);
        before->state()->setCollapsed(select - 1, true);

        QDialog dialog(&window);
        bool unchangedWhileOpen = false;
        QTimer::singleShot(0, &dialog, [&] {
            send(*live, otlpJson(u"shop"_s, {{kTraceA, u"00f067aa0ba902d0"_s, u"00f067aa0ba902b7"_s, u"render"_s,
                                              30'000'000, 40'000'000}}));
            live->refresh();
            unchangedWhileOpen = window.currentTracePage() == before;
            dialog.accept();
        });
        dialog.exec();
        QVERIFY(unchangedWhileOpen);
        QTRY_VERIFY_WITH_TIMEOUT(window.currentTracePage() != before, 5000);
        const TraceViewState& state = *window.currentTracePage()->state();
        QCOMPARE(state.trace().count, 4u);
        QCOMPARE(state.data().str(state.data().spans[state.selected()].name), "SELECT"sv);
        QVERIFY(state.isCollapsed(state.data().spans[state.selected()].parent));
    }

    // Over the cap the traces updated longest ago leave the list, which stays a valid model.
    void droppedTracesLeaveTheList()
    {
        LiveStoreOptions options;
        options.maxSpans = 4;
        LivePage live(httpOnly(), options);
        QAbstractItemModelTester tester(live.traceModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(send(live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live.refresh();
        QCOMPARE(live.traceList()->model()->rowCount(), 1);
        QCOMPARE(send(live, otlpJson(u"pay"_s,
                                     {{kTraceB, u"1111111111111111"_s, {}, u"POST /pay"_s, 0, 1000},
                                      {kTraceB, u"1111111111111112"_s, u"1111111111111111"_s, u"charge"_s, 10, 500}})),
                 200);
        live.refresh();
        QCOMPARE(live.traceList()->model()->rowCount(), 1);
        QCOMPARE(cell(live, 0, LiveTraceListModel::TraceId), kTraceB);
        QVERIFY2(live.statusLabel()->text().contains(u"1 traces (3 spans) dropped"_s),
                 qPrintable(live.statusLabel()->text()));
    }

    void pauseFreezesAndClearEmpties()
    {
        LivePage live(httpOnly());
        QCOMPARE(send(live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live.refresh();
        QTest::mouseClick(live.pauseButton(), Qt::LeftButton);
        QVERIFY(live.paused());
        QCOMPARE(live.pauseButton()->text(), u"&Resume"_s);
        QCOMPARE(send(live, otlpJson(u"pay"_s, {{kTraceB, u"1111111111111111"_s, {}, u"POST /pay"_s, 0, 1000}})), 200);
        live.refresh();
        QCOMPARE(live.traceList()->model()->rowCount(), 1);
        QVERIFY2(live.statusLabel()->text().contains(u"paused: 1 spans received since"_s),
                 qPrintable(live.statusLabel()->text()));
        QTest::mouseClick(live.pauseButton(), Qt::LeftButton);
        QCOMPARE(live.traceList()->model()->rowCount(), 2);

        QTest::mouseClick(live.clearButton(), Qt::LeftButton);
        QCOMPARE(live.traceList()->model()->rowCount(), 0);
        QVERIFY(live.statusLabel()->text().startsWith(u"0 spans in 0 traces"_s));
        QCOMPARE(send(live, otlpJson(u"pay"_s, {{kTraceB, u"2222222222222222"_s, {}, u"POST /pay"_s, 0, 1000}})), 200);
        live.refresh();
        QCOMPARE(live.traceList()->model()->rowCount(), 1);
    }

    void aTraceIsCompleteAfterAQuietPeriod()
    {
        LiveStoreOptions options;
        options.quietPeriod = std::chrono::milliseconds(0);
        LivePage live(httpOnly(), options);
        QCOMPARE(send(live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        live.refresh();
        QCOMPARE(cell(live, 0, LiveTraceListModel::State), u"complete"_s);
    }

    void saveCaptureWritesOtlpThatOpensAgain_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("protobuf") << u"capture.otlp.pb"_s;
        QTest::newRow("json lines") << u"capture.otlp.jsonl"_s;
    }

    void saveCaptureWritesOtlpThatOpensAgain()
    {
        QFETCH(QString, name);
        LivePage live(httpOnly());
        QCOMPARE(send(live, otlpJson(u"shop"_s, kFirstSpansOfA)), 200);
        QTest::mouseClick(live.pauseButton(), Qt::LeftButton); // what is kept is saved, even while paused
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QString error;
        QVERIFY2(live.saveCapture(path, &error), qPrintable(error));
        const LoadResult loaded = test::load(path);
        QCOMPARE(loaded.dataset.spans.size(), 3u);
        QVERIFY(loaded.dataset.findTrace(*parseHexTraceId(kTraceA.toStdString())));

        QVERIFY(!live.saveCapture(dir.filePath(u"capture.json"_s), &error));
        QVERIFY(error.contains(u".otlp.pb"_s));
    }

    void endpointsThatCannotStartAreSaid()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        ReceiverOptions options = httpOnly();
        options.zipkin.clear();
        options.otlpHttp = "127.0.0.1:" + std::to_string(taken.serverPort());
        LivePage live(options);
        QVERIFY(!live.receiving());
        QCOMPARE(live.problems().size(), 1);
        QVERIFY2(live.problems().front().contains(QString::number(taken.serverPort())),
                 qPrintable(live.problems().front()));
    }

    void startPageOffersReceiving()
    {
        MainWindow window;
        window.show();
        QPushButton* receive = window.startPage()->receiveButton();
        QVERIFY(receive->isVisible());
        QVERIFY(window.startPage()->openFromServerButton()->isVisible());
        bool dialogShown = false;
        QTimer::singleShot(0, &window, [&dialogShown] {
            auto* dialog = qobject_cast<ReceiveDialog*>(QApplication::activeModalWidget());
            dialogShown = dialog != nullptr;
            if (dialog)
                dialog->reject();
        });
        QTest::mouseClick(receive, Qt::LeftButton);
        QVERIFY(dialogShown);
        QVERIFY(!window.livePage()); // cancelled: nothing listens
    }

    void dialogWarnsOfTheNetwork()
    {
        ReceiveDialog dialog;
        QPushButton* start = nullptr;
        for (QPushButton* button : dialog.findChild<QDialogButtonBox*>()->findChildren<QPushButton*>()) {
            if (button->text().contains(u"Start"_s))
                start = button;
        }
        QVERIFY(start);
        dialog.hostField()->setCurrentText(u"127.0.0.1"_s);
        QVERIFY(dialog.warningLabel()->isHidden());
        QVERIFY(start->isEnabled());
        dialog.portField(ReceiverEndpoint::OtlpHttp)->setValue(14318);
        QCOMPARE(dialog.options().otlpHttp, "127.0.0.1:14318");
        dialog.hostField()->setCurrentText(u"0.0.0.0"_s);
        QVERIFY(!dialog.warningLabel()->isHidden());
        QVERIFY(dialog.warningLabel()->text().contains(u"Anyone"_s));
        dialog.show();
        test::saveScreenshot(&dialog, "receive-dialog");
        dialog.hostField()->setCurrentText(u"::1"_s);
        QCOMPARE(dialog.options().otlpGrpc.substr(0, 6), "[::1]:");
        for (ReceiverEndpoint endpoint :
             {ReceiverEndpoint::OtlpGrpc, ReceiverEndpoint::OtlpHttp, ReceiverEndpoint::Zipkin})
            dialog.endpointField(endpoint)->setChecked(false);
        QVERIFY(!start->isEnabled());
        QCOMPARE(dialog.options().otlpHttp, "");
    }
};

QTEST_MAIN(TestLiveWindow)
#include "tst_live_window.moc"
