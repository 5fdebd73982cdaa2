#include "compare_page.h"

#include "diff_tree_model.h"
#include "flame_diff_view.h"
#include "model_text.h"
#include "service_delta_chart.h"
#include "waterfall_view.h"

#include <operation_name.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace spanwise {

namespace {

// QTreeView lays out expanded rows recursively: its expandAll() overflows the stack on a chain some
// 30,000 nodes deep. The tree is expanded at most this deep; the waterfalls show deeper nodes all the same.
constexpr int kMaxTreeDepth = 1000;

QString sideSummary(const char* letter, const CompareSide& side)
{
    const Trace& t = side.data->traces[side.traceIndex];
    return QStringLiteral("<b>%1</b> %2 · trace %3 · %4 spans · <b>%5</b>")
        .arg(QLatin1String(letter), side.name.toHtmlEscaped(), QString::fromStdString(toHex(t.id)),
             QString::number(t.count), durationText(t.duration()).toHtmlEscaped());
}

QString headerText(const CompareSide& a, const CompareSide& b, const TraceDiff& diff)
{
    const TimeNs delta = diff.durationB - diff.durationA;
    const std::optional<double> change = relativeChange(diff.durationA, diff.durationB);
    const QString colour = delta > 0 ? QStringLiteral("#c0392b") : delta < 0 ? QStringLiteral("#1e8449") : QString();
    QString difference = QString::fromStdString(formatDurationDelta(delta)).toHtmlEscaped();
    if (change)
        difference +=
            QStringLiteral(" (%1%2%)").arg(*change > 0 ? QStringLiteral("+") : QString()).arg(*change * 100, 0, 'f', 1);
    if (!colour.isEmpty())
        difference = QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, difference);
    QStringList normalised;
    for (const std::string& n : normalisationNames(diff.normalisations))
        normalised << QString::fromStdString(n);
    return QStringLiteral("%1<br>%2<br><b>Duration %3</b> &nbsp;·&nbsp; %4 nodes: %5 changed, %6 added, %7 removed "
                          "&nbsp;·&nbsp; names normalised: %8 &nbsp;·&nbsp; <span style='color:gray'>noise threshold: "
                          "%9</span>")
        .arg(sideSummary("A", a), sideSummary("B", b), difference, QString::number(diff.nodes.size()),
             QString::number(diff.count(DiffStatus::Changed)), QString::number(diff.count(DiffStatus::Added)),
             QString::number(diff.count(DiffStatus::Removed)),
             normalised.isEmpty() ? QObject::tr("none needed") : normalised.join(QStringLiteral(", ")),
             QStringLiteral("%1% and %2")
                 .arg(diff.options.relative * 100, 0, 'f', 0)
                 .arg(durationText(diff.options.absoluteNanos).toHtmlEscaped()));
}

} // namespace

ComparePage::ComparePage(CompareSide a, CompareSide b, std::shared_ptr<const TraceDiff> diff, QWidget* parent)
    : Page(parent), m_comparison(new Comparison(a, b, std::move(diff), this))
{
    m_header = new QLabel(headerText(a, b, m_comparison->diff()), this);
    m_header->setTextFormat(Qt::RichText); // every piece from the files is escaped above
    m_header->setContentsMargins(8, 6, 8, 6);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tree = new QTreeView(this);
    m_tree->setModel(model());
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(DiffTreeModel::Delta, Qt::DescendingOrder);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(DiffTreeModel::Node, QHeaderView::Stretch);
    m_tree->header()->setMinimumSectionSize(60);
    for (int c = DiffTreeModel::Status; c < DiffTreeModel::ColumnCount; ++c)
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_tree->expandToDepth(1);

    m_onlyChanges = new QCheckBox(tr("Only changes"), this);
    m_onlyChanges->setToolTip(tr("Show only nodes that changed, were added or removed, and the path to them"));
    connect(m_onlyChanges, &QCheckBox::toggled, this, [this](bool on) {
        const std::uint32_t node = shownNode(); // the reset clears the selection
        model()->setOnlyChanges(on);
        m_tree->expandToDepth(1);
        if (node != kNoIndex)
            selectNode(node);
    });
    auto* expand = new QPushButton(tr("Expand All"), this);
    expand->setToolTip(tr("Expand every node (up to %1 levels deep)").arg(kMaxTreeDepth));
    connect(expand, &QPushButton::clicked, m_tree, [this] { m_tree->expandToDepth(kMaxTreeDepth - 1); });
    m_tree->installEventFilter(this); // "*" expands a whole subtree: too deep for QTreeView
    auto* collapse = new QPushButton(tr("Collapse All"), this);
    connect(collapse, &QPushButton::clicked, m_tree, &QTreeView::collapseAll);
    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(8, 0, 8, 0);
    tools->addWidget(m_onlyChanges);
    tools->addStretch();
    tools->addWidget(expand);
    tools->addWidget(collapse);
    auto* treeColumn = new QWidget(this);
    auto* treeLayout = new QVBoxLayout(treeColumn);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->addLayout(tools);
    treeLayout->addWidget(m_tree, 1);

    m_chart = new ServiceDeltaChart(m_comparison->sharedDiff(), this);
    m_chartScroll = new QScrollArea(this);
    m_chartScroll->setWidget(m_chart);
    m_chartScroll->setWidgetResizable(true);
    m_chartScroll->setFrameShape(QFrame::NoFrame);

    m_top = new QSplitter(Qt::Horizontal, this);
    m_top->addWidget(treeColumn);
    m_top->addWidget(m_chartScroll);
    m_top->setStretchFactor(0, 2);
    m_top->setStretchFactor(1, 1);

    auto* waterfalls = new QSplitter(Qt::Horizontal, this);
    waterfalls->addWidget(sideColumn(0, waterfalls));
    waterfalls->addWidget(sideColumn(1, waterfalls));
    // The flame graph's merged tree of B and its diff are made when first asked for: the waterfalls
    // are what the page opens on.
    auto* flameHolder = new QWidget(this);
    auto* flameLayout = new QVBoxLayout(flameHolder);
    flameLayout->setContentsMargins(0, 0, 0, 0);
    m_bottom = new QTabWidget(this);
    m_bottom->setDocumentMode(true);
    m_bottom->addTab(waterfalls, tr("Waterfalls: A and B"));
    m_bottom->addTab(flameHolder, tr("Flame graph: B, coloured by the change from A"));
    m_bottom->setTabToolTip(1, tr("B's call paths merged, each frame as wide as its time in B, coloured by how it "
                                  "changed from A. Click a frame to select its node."));
    connect(m_bottom, &QTabWidget::currentChanged, this, [this, flameLayout](int index) {
        if (Bottom(index) != Bottom::FlameGraph || m_flameDiff)
            return;
        m_flameDiff = new FlameDiffView(stateB(), m_comparison->diff(), flameLayout->parentWidget());
        flameLayout->addWidget(m_flameDiff);
    });

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_top);
    m_split->addWidget(m_bottom);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_split, 1);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
        if (!m_syncing && current.isValid())
            showNodeInWaterfalls(current.data(DiffTreeModel::NodeRole).toUInt(), -1);
    });
    connect(m_comparison, &Comparison::nodeShownFromSpan, this, [this](std::uint32_t node) {
        {
            const QScopedValueRollback<bool> quiet(m_syncing, true);
            selectRow(node);
        }
        scrollToShownSpans();
    });
    // Open on what a reader came for, revealed in the tree and both waterfalls.
    if (const std::uint32_t opening = m_comparison->openingNode(); opening != kNoIndex)
        selectNode(opening);
    else if (model()->rowCount() > 0)
        m_tree->setCurrentIndex(model()->index(0, 0));
}

QWidget* ComparePage::sideColumn(int side, QWidget* parent)
{
    auto* column = new QWidget(parent);
    auto* waterfall = new WaterfallView(m_comparison->state(side), column);
    m_waterfalls[side] = waterfall;
    auto* title = new QLabel(column);
    title->setTextFormat(Qt::PlainText);
    title->setText(QStringLiteral("%1 · %2").arg(side == 0 ? QStringLiteral("A") : QStringLiteral("B"),
                                                 m_comparison->sideName(side)));
    title->setContentsMargins(8, 4, 8, 4);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(title);
    layout->addWidget(waterfall, 1);
    return column;
}

bool ComparePage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_tree && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Asterisk) {
        m_tree->expandToDepth(kMaxTreeDepth - 1);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ComparePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_laidOut)
        return;
    m_laidOut = true;
    layOut();
    // The tree's selection may have aligned the rows before the views had their height.
    if (selectedNode() != kNoIndex)
        showNodeInWaterfalls(selectedNode(), -1);
}

void ComparePage::layOut()
{
    // The chart gets the width its legend and labels need, the tree the rest.
    const int chartWidth = std::max(width() / 3, m_chart->minimumSizeHint().width() +
                                                     m_chartScroll->verticalScrollBar()->sizeHint().width());
    m_top->setSizes({width() - chartWidth, chartWidth});
    // Each waterfall shows kWaterfallRows rows at least (more than half the height when there is room).
    const WaterfallView* waterfall = waterfallA();
    const int chrome = m_bottom->height() - waterfall->viewport()->height() + waterfall->rulerHeight();
    const int available = m_split->height() - m_split->handleWidth();
    int bottom = std::max(available * 3 / 5, chrome + kWaterfallRows * waterfall->rowHeight());
    bottom = std::min(bottom, available - m_top->minimumSizeHint().height());
    m_split->setSizes({available - bottom, bottom});
    // Names as wide as those of the rows in view need, up to half the waterfall.
    int names = 0;
    for (const WaterfallView* waterfall : m_waterfalls) {
        const int rows = waterfall->viewport()->height() / waterfall->rowHeight();
        const int first = std::max(0, waterfall->verticalScrollBar()->value());
        names = std::max({names, waterfall->painter().fittingNameColumnWidth(first, rows),
                          waterfall->painter().fittingNameColumnWidth(0, rows)});
    }
    for (WaterfallView* waterfall : m_waterfalls)
        waterfall->setNameColumnWidth(std::clamp(names, 200, waterfall->viewport()->width() / 2));
}

ComparePage::Bottom ComparePage::bottom() const
{
    return Bottom(m_bottom->currentIndex());
}

void ComparePage::showBottom(Bottom which)
{
    m_bottom->setCurrentIndex(int(which));
}

std::uint32_t ComparePage::selectedNode() const
{
    const QModelIndex current = m_tree->currentIndex();
    return current.isValid() ? current.data(DiffTreeModel::NodeRole).toUInt() : kNoIndex;
}

void ComparePage::selectNode(std::uint32_t node)
{
    if (selectRow(node))
        showNodeInWaterfalls(node, -1);
}

bool ComparePage::selectRow(std::uint32_t node)
{
    std::uint32_t shown = node;
    while (diff().nodes[shown].depth >= static_cast<std::uint32_t>(kMaxTreeDepth))
        shown = diff().nodes[shown].parent;
    const QModelIndex index = model()->indexOfNode(shown);
    if (!index.isValid()) // hidden by "only changes"
        return false;
    // Bottom-up: QTreeView only records a hidden row as expanded, and lays all of them out (recursively,
    // at most kMaxTreeDepth deep) when the last, visible one is expanded.
    for (QModelIndex p = index.parent(); p.isValid() && !m_tree->isExpanded(p); p = p.parent())
        m_tree->expand(p);
    const bool deeper = shown != node;
    {
        // A row standing for a deeper node must not show itself in the waterfalls.
        const QScopedValueRollback<bool> quiet(m_syncing, m_syncing || deeper);
        m_tree->setCurrentIndex(index);
    }
    m_tree->scrollTo(index);
    return deeper;
}

void ComparePage::showNodeInWaterfalls(std::uint32_t node, int keepSide)
{
    m_comparison->showNode(node, keepSide);
    scrollToShownSpans();
}

void ComparePage::scrollToShownSpans()
{
    // The rows of both sides' spans at one height.
    for (int side = 0; side < 2; ++side) {
        if (const std::uint32_t span = m_comparison->shownSpan(side); span != kNoIndex) {
            QScrollBar* bar = m_waterfalls[side]->verticalScrollBar();
            bar->setValue(m_comparison->state(side)->rowOf(span) - bar->pageStep() / 3);
        }
    }
}

} // namespace spanwise
