// The main window's live traces: File ▸ Receive Traces…, the live tab, the traces opened from it
// and File ▸ Save Capture As….
#include "main_window.h"

#include <live_page.h>
#include <live_trace_page.h>
#include <model_text.h>
#include <receive_dialog.h>

#include <QFileDialog>
#include <QMessageBox>
#include <QTabWidget>

namespace spanwise {

namespace {

const QString kProtobufFilter = QStringLiteral("OTLP protobuf (*.otlp.pb)");
const QString kJsonLinesFilter = QStringLiteral("OTLP JSON lines (*.otlp.jsonl)");

} // namespace

void MainWindow::chooseReceivers()
{
    if (m_live) {
        m_tabs->setCurrentWidget(m_live);
        return;
    }
    ReceiveDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.remember();
    receiveTraces(dialog.options(), dialog.maxSpans());
}

LivePage* MainWindow::receiveTraces(const ReceiverOptions& options, std::uint64_t maxSpans)
{
    if (m_live) {
        m_tabs->setCurrentWidget(m_live);
        return m_live;
    }
    LiveStoreOptions storeOptions;
    storeOptions.maxSpans = maxSpans;
    auto* live = new LivePage(options, std::move(storeOptions));
    if (!live->receiving()) {
        QMessageBox::warning(this, tr("Receive Traces"),
                             tr("No endpoint could start.\n\n%1").arg(live->problems().join(QLatin1Char('\n'))));
        delete live;
        return nullptr;
    }
    m_live = live;
    QStringList endpoints;
    for (const BoundAddress& bound : live->addresses())
        endpoints << tr("%1 on %2").arg(QString::fromLatin1(displayName(bound.endpoint)), qstr(bound.address));
    addTab(live, tr("Live"), tr("Receiving: %1").arg(endpoints.join(QStringLiteral(", "))));
    connect(live, &LivePage::traceOpened, this, &MainWindow::openLiveTrace);
    m_saveCapture->setEnabled(true);
    connect(live, &QObject::destroyed, m_saveCapture, [action = m_saveCapture] { action->setEnabled(false); });
    return live;
}

void MainWindow::openLiveTrace(const TraceId& id)
{
    for (int i = 0; i < m_tabs->count(); ++i) { // a trace open already is shown
        auto* open = qobject_cast<LiveTracePage*>(m_tabs->widget(i));
        if (open && open->traceId() == id) {
            m_tabs->setCurrentIndex(i);
            return;
        }
    }
    const std::shared_ptr<const Dataset> snapshot = m_live->snapshot();
    const Dataset& data = *snapshot;
    const Trace* trace = data.findTrace(id);
    if (!trace)
        return;
    auto* page = new LiveTracePage(m_live, id);
    addTab(page, tr("Live · %1").arg(qstr(toHex(id)).left(8)),
           tr("%1\nTrace %2, received live").arg(qstr(data.rootLabel(*trace)), qstr(toHex(id))));
}

void MainWindow::saveCapture()
{
    if (!m_live)
        return;
    QString filter = kProtobufFilter;
    QString path = QFileDialog::getSaveFileName(this, tr("Save Capture As"), QStringLiteral("capture.otlp.pb"),
                                                kProtobufFilter + QStringLiteral(";;") + kJsonLinesFilter, &filter);
    if (path.isEmpty())
        return;
    const QString suffix = filter == kJsonLinesFilter ? QStringLiteral(".otlp.jsonl") : QStringLiteral(".otlp.pb");
    if (!path.endsWith(QStringLiteral(".otlp.pb")) && !path.endsWith(QStringLiteral(".otlp.jsonl")))
        path += suffix;
    QString error;
    if (!m_live->saveCapture(path, &error))
        QMessageBox::warning(this, tr("Save Capture As"), error);
    else
        rememberRecent(path);
}

} // namespace spanwise
