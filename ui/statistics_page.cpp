#include "statistics_page.h"

#include "latency_histogram_view.h"
#include "model_text.h"
#include "statistics_members_model.h"
#include "theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace spanwise {

namespace {

QString countText(std::uint64_t n)
{
    return QLocale().toString(static_cast<qulonglong>(n));
}

QTableView* makeTable(QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

} // namespace

StatisticsPage::StatisticsPage(std::shared_ptr<const TraceSet> set, QWidget* parent)
    : QWidget(parent), m_set(std::move(set))
{
    m_grouping = new QComboBox(this);
    m_grouping->addItem(tr("Root operation"), int(StatisticsGrouping::Root));
    m_grouping->addItem(tr("Service"), int(StatisticsGrouping::Service));
    m_grouping->addItem(tr("Service: operation"), int(StatisticsGrouping::Operation));
    m_grouping->setToolTip(tr("Traces by their root operation, or spans by service or by operation"));
    auto* groupLabel = new QLabel(tr("&Group by:"), this);
    groupLabel->setBuddy(m_grouping);
    m_slowest = new QCheckBox(tr("&Slowest 1 % vs all"), this);
    m_slowest->setToolTip(tr("Where the slowest 1 % of the traces (at or above the p99 trace duration) spend more "
                             "time than all traces: per group, the critical-path and self time per trace in both"));
    m_status = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->hide();

    m_model = new StatisticsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(StatisticsModel::SortRole);
    m_table = makeTable(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(StatisticsModel::P99, Qt::DescendingOrder);
    // The numbers as wide as they need, whichever are shown; the key takes the room left (elided,
    // its tooltip tells it whole).
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StatisticsModel::Key, QHeaderView::Stretch);

    m_histogram = new LatencyHistogramView(this);
    m_membersTitle = new QLabel(this);
    m_membersTitle->setWordWrap(true);
    // Two lines high whatever the text, so the list below stays put as the title wraps or not.
    m_membersTitle->setAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_membersTitle->setMinimumHeight(2 * m_membersTitle->fontMetrics().lineSpacing());
    m_membersModel = new StatisticsMembersModel(m_set, this);
    m_members = makeTable(this);
    m_members->setModel(m_membersModel);
    m_members->horizontalHeader()->setStretchLastSection(true);
    m_members->setColumnHidden(StatisticsMembersModel::File, m_set->files.size() < 2);

    auto* membersPanel = new QWidget(this);
    auto* membersLayout = new QVBoxLayout(membersPanel);
    membersLayout->setContentsMargins(0, 0, 0, 0);
    membersLayout->addWidget(m_membersTitle);
    membersLayout->addWidget(m_members, 1);
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_histogram);
    bottom->addWidget(membersPanel);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    bottom->setSizes({3000, 2000}); // scaled to the width it gets: the list has room for its columns
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* top = new QHBoxLayout;
    top->addWidget(groupLabel);
    top->addWidget(m_grouping);
    top->addSpacing(12);
    top->addWidget(m_slowest);
    top->addSpacing(12);
    top->addWidget(m_progress);
    top->addWidget(m_status, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this] { compute(); });
    connect(m_slowest, &QCheckBox::toggled, this, &StatisticsPage::setComparingSlowest);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
        showGroup(current.isValid() ? current.data(StatisticsModel::GroupRole).toInt() : -1);
    });
    connect(m_histogram, &LatencyHistogramView::selectedBucketChanged, this, &StatisticsPage::showBucket);
    connect(m_members, &QTableView::activated, this,
            [this](const QModelIndex& index) { emit traceOpened(m_membersModel->traceAt(index.row())); });

    m_model->setDarkBackground(hasDarkBase(palette()));
    m_membersModel->setDarkBackground(hasDarkBase(palette()));
    updateColumns();
    compute();
}

StatisticsPage::~StatisticsPage()
{
    if (m_cancel)
        *m_cancel = true;
}

StatisticsGrouping StatisticsPage::grouping() const
{
    return StatisticsGrouping(m_grouping->currentData().toInt());
}

void StatisticsPage::setGrouping(StatisticsGrouping grouping)
{
    m_grouping->setCurrentIndex(m_grouping->findData(int(grouping)));
}

void StatisticsPage::setComparingSlowest(bool comparing)
{
    m_slowest->setChecked(comparing);
    updateColumns();
    m_table->sortByColumn(comparing ? StatisticsModel::CriticalDelta : StatisticsModel::P99, Qt::DescendingOrder);
    m_summary->setVisible(comparing && m_model->statistics());
    m_summary->setText(summaryText());
    if (m_table->currentIndex().isValid())
        m_table->scrollTo(m_table->currentIndex());
}

void StatisticsPage::updateColumns()
{
    const bool comparing = m_slowest->isChecked();
    for (int c = StatisticsModel::Count; c < StatisticsModel::ColumnCount; ++c) {
        const bool always = c == StatisticsModel::Count || c == StatisticsModel::Errors || c == StatisticsModel::P99;
        m_table->setColumnHidden(c, !always && StatisticsModel::isComparison(c) != comparing);
    }
}

void StatisticsPage::compute()
{
    if (m_cancel)
        *m_cancel = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const int run = ++m_run;
    m_busy = true;
    m_progress->show();
    m_status->setText(tr("Computing the statistics of %1 traces…").arg(countText(m_set->traces.size())));
    m_table->setEnabled(false);
    using Result = std::shared_ptr<const SetStatistics>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, run] {
        watcher->deleteLater();
        if (run == m_run)
            present(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([set = m_set, grouping = grouping(), cancel = m_cancel]() -> Result {
        SetStatistics statistics = computeSetStatistics(*set, grouping, [&cancel] { return cancel->load(); });
        return std::make_shared<const SetStatistics>(std::move(statistics));
    }));
}

void StatisticsPage::present(std::shared_ptr<const SetStatistics> statistics)
{
    m_busy = false;
    m_progress->hide();
    m_table->setEnabled(true);
    const TraceStatistics& all = statistics->all;
    m_status->setText(tr("%1 traces · %2 spans · %3 groups")
                          .arg(countText(all.traceCount), countText(all.spanCount), countText(all.groups.size())));
    m_group = -1;
    m_model->setStatistics(std::move(statistics));
    m_members->setColumnHidden(StatisticsMembersModel::Span, grouping() == StatisticsGrouping::Root);
    m_summary->setVisible(m_slowest->isChecked());
    m_summary->setText(summaryText());
    if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, StatisticsModel::Key));
    else
        showGroup(-1);
    emit ready();
}

void StatisticsPage::showGroup(int group)
{
    const SetStatistics* s = m_model->statistics();
    if (!s || group < 0 || std::size_t(group) >= s->all.groups.size()) {
        m_group = -1;
        m_histogram->setHistogram({}, {}, {});
        showBucket(-1);
        return;
    }
    if (group == m_group)
        return;
    m_group = group;
    const StatisticsGroup& g = s->all.groups[std::size_t(group)];
    const QString members = s->all.grouping == StatisticsGrouping::Root ? tr("traces") : tr("spans");
    m_histogram->setHistogram(g.histogram, {{tr("p50"), g.p50Nanos}, {tr("p90"), g.p90Nanos}, {tr("p99"), g.p99Nanos}},
                              members);
    showBucket(-1);
}

void StatisticsPage::showBucket(int bucket)
{
    const SetStatistics* s = m_model->statistics();
    const LatencyHistogram& h = m_histogram->histogram();
    if (!s || m_group < 0 || bucket < 0 || std::size_t(bucket + 1) >= h.edges.size()) {
        m_membersModel->setMembers({}, nullptr, grouping(), 0, 0);
        m_membersTitle->setText(m_group < 0 ? QString() : tr("Click a bar of the histogram to list its traces."));
        return;
    }
    const StatisticsGroup& g = s->all.groups[std::size_t(m_group)];
    // Bucket i holds [edges[i], edges[i + 1]); the last one its upper edge too.
    const bool last = std::size_t(bucket + 2) == h.edges.size();
    const TimeNs low = h.edges[std::size_t(bucket)];
    const TimeNs high = last ? h.edges.back() : std::max(low, h.edges[std::size_t(bucket) + 1] - 1);
    m_membersModel->setMembers(m_model->sharedStatistics(), &g, s->all.grouping, low, high);
    m_membersTitle->setText(tr("%1 — double-click one to open its trace").arg(m_histogram->bucketText(bucket)));
    m_members->resizeColumnsToContents();
    // Long names are elided (their tooltips tell them), so the columns after them stay in sight.
    const int widest = std::max(120, m_members->viewport()->width() * 2 / 5);
    for (const int column : {StatisticsMembersModel::Span, StatisticsMembersModel::Root})
        m_members->setColumnWidth(column, std::min(m_members->columnWidth(column), widest));
}

QString StatisticsPage::summaryText() const
{
    const SetStatistics* s = m_model->statistics();
    if (!s || s->slowestTraceCount == 0)
        return {};
    const double excess = s->meanSlowestTraceNanos - s->meanTraceNanos;
    QString text = tr("<b>Slowest 1 %:</b> %1 of %2 traces, at or above %3 (the p99), take %4 on average, %5 "
                      "more than the average trace (%6).")
                       .arg(countText(s->slowestTraceCount), countText(s->all.traceCount),
                            durationText(s->slowThreshold), durationText(TimeNs(s->meanSlowestTraceNanos)),
                            durationText(TimeNs(std::max(0.0, excess))), durationText(TimeNs(s->meanTraceNanos)));
    std::vector<std::pair<double, std::size_t>> deltas;
    for (std::size_t g = 0; g < s->all.groups.size(); ++g)
        deltas.emplace_back(s->criticalPerSlowTrace(g) - s->criticalPerTrace(g), g);
    std::sort(deltas.begin(), deltas.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList culprits;
    for (std::size_t i = 0; i < deltas.size() && culprits.size() < 3; ++i) {
        if (excess <= 0 || deltas[i].first < 0.05 * excess)
            break;
        culprits << tr("<b>%1</b> %2")
                        .arg(QString::fromStdString(s->all.groups[deltas[i].second].key).toHtmlEscaped(),
                             signedDurationText(deltas[i].first));
    }
    if (!culprits.isEmpty())
        text +=
            QLatin1Char(' ') +
            tr("On their critical path the added time is in %1 per trace.").arg(culprits.join(QStringLiteral(", ")));
    return text;
}

void StatisticsPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_model->setDarkBackground(hasDarkBase(palette()));
        m_membersModel->setDarkBackground(hasDarkBase(palette()));
    }
    QWidget::changeEvent(event);
}

} // namespace spanwise
