#include "live_page.h"

#include "live_trace_list_model.h"
#include "model_text.h"
#include "theme.h"

#include <live_store_sink.h>
#include <otlp_writer.h>

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr int kRefreshMs = 500;

// The environment that points an OpenTelemetry SDK (or a Zipkin client) at an endpoint.
QString endpointEnvironment(const BoundAddress& bound)
{
    const QString address = qstr(bound.address);
    switch (bound.endpoint) {
    case ReceiverEndpoint::OtlpGrpc:
        return QStringLiteral("OTEL_EXPORTER_OTLP_ENDPOINT=http://%1 OTEL_EXPORTER_OTLP_PROTOCOL=grpc").arg(address);
    case ReceiverEndpoint::OtlpHttp:
        return QStringLiteral("OTEL_EXPORTER_OTLP_ENDPOINT=http://%1 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf")
            .arg(address);
    case ReceiverEndpoint::Zipkin:
        return QStringLiteral("OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://%1/api/v2/spans").arg(address);
    }
    return {};
}

QString count(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

} // namespace

LivePage::LivePage(const ReceiverOptions& options, LiveStoreOptions storeOptions, QWidget* parent)
    : Page(parent), m_store(std::make_shared<LiveStore>(std::move(storeOptions))),
      m_snapshot(std::make_shared<const Dataset>()), m_timer(new QTimer(this)), m_model(new LiveTraceListModel(this)),
      m_list(new QTableView(this)), m_status(new QLabel(this)), m_pause(new QPushButton(tr("&Pause"), this)),
      m_clear(new QPushButton(tr("C&lear"), this))
{
    m_receivers = std::make_unique<Receivers>(options, liveStoreSink(*m_store));
    for (const std::string& problem : m_receivers->start())
        m_problems << qstr(problem);
    for (const std::string& warning : exposureWarnings(options))
        m_problems << qstr(warning);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (!m_problems.isEmpty()) {
        auto* banner = new QLabel(m_problems.join(QLatin1Char('\n')), this);
        banner->setTextFormat(Qt::PlainText);
        banner->setWordWrap(true);
        banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
        banner->setObjectName(QStringLiteral("liveProblems"));
        banner->setStyleSheet(QStringLiteral("QLabel { background: #fff4e5; color: #663c00; padding: 8px; "
                                             "border-bottom: 1px solid #e8c48a; }"));
        layout->addWidget(banner);
    }
    layout->addWidget(endpointsBox());

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 4, 8, 4);
    bar->addWidget(m_status, 1);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the list and the open traces; spans are still received and kept"));
    m_clear->setToolTip(tr("Forget the traces received so far"));
    bar->addWidget(m_pause);
    bar->addWidget(m_clear);
    layout->addLayout(bar);

    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(LiveTraceListModel::SortRole);
    m_list->setModel(proxy);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(LiveTraceListModel::Start, Qt::AscendingOrder);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(m_list->fontMetrics().height() + 8);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->horizontalHeader()->setStretchLastSection(false);
    m_list->horizontalHeader()->setSectionResizeMode(LiveTraceListModel::Root, QHeaderView::Stretch);
    m_list->setColumnWidth(LiveTraceListModel::TraceId, m_list->fontMetrics().horizontalAdvance(QString(34, u'0')));
    layout->addWidget(m_list, 1);

    connect(m_list, &QTableView::activated, this, [this](const QModelIndex& index) {
        if (const auto id = m_model->traceAt(index))
            emit traceOpened(*id);
    });
    // New traces arrive at the bottom: a list scrolled to its end follows them, as a log does.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar* scroll = m_list->verticalScrollBar();
        if (scroll->value() == scroll->maximum())
            QTimer::singleShot(0, m_list, &QTableView::scrollToBottom);
    });
    connect(m_pause, &QPushButton::toggled, this, &LivePage::setPaused);
    connect(m_clear, &QPushButton::clicked, this, &LivePage::clear);
    connect(m_timer, &QTimer::timeout, this, &LivePage::refresh);
    m_timer->start(kRefreshMs);
    showStatus();
}

LivePage::~LivePage()
{
    m_receivers->stop();
}

QWidget* LivePage::endpointsBox()
{
    auto* box = new QWidget(this);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(8, 8, 8, 4);
    const std::vector<BoundAddress> bound = m_receivers->addresses();
    if (bound.empty())
        grid->addWidget(new QLabel(tr("No endpoint is receiving."), box), 0, 0);
    int row = 0;
    for (const BoundAddress& endpoint : bound) {
        auto* name = new QLabel(
            tr("%1 on %2").arg(QString::fromLatin1(displayName(endpoint.endpoint)), qstr(endpoint.address)), box);
        auto* environment = new QLineEdit(endpointEnvironment(endpoint), box);
        environment->setReadOnly(true);
        environment->setCursorPosition(0);
        auto* copy = new QToolButton(box);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy the environment that points an application at this endpoint"));
        connect(copy, &QToolButton::clicked, environment,
                [environment] { QApplication::clipboard()->setText(environment->text()); });
        grid->addWidget(name, row, 0);
        grid->addWidget(environment, row, 1);
        grid->addWidget(copy, row, 2);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    return box;
}

void LivePage::refresh()
{
    const LiveCounts counts = m_store->counts();
    const bool changed = counts.payloads != m_snapshotCounts.payloads ||
                         counts.keptTraces != m_snapshotCounts.keptTraces ||
                         counts.completeTraces != m_snapshotCounts.completeTraces;
    if (!m_paused && changed) {
        QElapsedTimer took;
        took.start();
        const std::vector<LiveTrace> states = m_store->traces();
        m_snapshot = std::make_shared<const Dataset>(m_store->snapshot());
        m_snapshotCounts = counts;
        m_model->update(m_snapshot, states);
        emit snapshotChanged();
        // A big capture takes a while to gather: refresh less often than that, so the window stays responsive.
        m_timer->setInterval(std::max<int>(kRefreshMs, static_cast<int>(took.elapsed() * 4)));
    }
    showStatus();
}

std::shared_ptr<const Dataset> LivePage::traceSnapshot(const TraceId& id) const
{
    return std::make_shared<const Dataset>(m_store->snapshotOf(id));
}

void LivePage::showStatus()
{
    const LiveCounts counts = m_store->counts();
    QStringList parts;
    parts << tr("%1 spans in %2 traces, %3 complete")
                 .arg(count(counts.keptSpans), count(counts.keptTraces), count(counts.completeTraces));
    const std::uint64_t refused = m_receivers->counters().errors();
    if (refused > 0)
        parts << tr("%1 requests refused").arg(count(refused));
    if (counts.droppedTraces > 0)
        parts << tr("%1 traces (%2 spans) dropped, the oldest, to keep memory bounded")
                     .arg(count(counts.droppedTraces), count(counts.droppedSpans));
    if (m_paused && counts.receivedSpans > m_snapshotCounts.receivedSpans)
        parts
            << tr("paused: %1 spans received since").arg(count(counts.receivedSpans - m_snapshotCounts.receivedSpans));
    m_status->setText(parts.join(QStringLiteral(" · ")));
}

void LivePage::setPaused(bool paused)
{
    m_paused = paused;
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    refresh();
}

void LivePage::clear()
{
    m_store->clear();
    m_snapshotCounts = {};
    const bool paused = m_paused;
    m_paused = false; // the list empties even when paused
    refresh();
    m_paused = paused;
}

bool LivePage::saveCapture(const QString& path, QString* error) const
{
    const auto encoding = otlpEncodingForPath(path.toStdString());
    if (!encoding) {
        *error = tr("%1: a capture is saved as OTLP protobuf (.otlp.pb) or OTLP JSON lines (.otlp.jsonl).").arg(path);
        return false;
    }
    const std::string bytes = writeOtlp(m_store->snapshot(), *encoding); // everything kept, even while paused
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()) ||
        !file.commit()) {
        *error = tr("Could not save the capture to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace spanwise
