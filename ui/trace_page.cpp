#include "trace_page.h"

#include "analysis_panels.h"
#include "annotation_store.h"
#include "annotations_panel.h"
#include "flame_graph_view.h"
#include "focus_breadcrumb.h"
#include "graph_view.h"
#include "minimap.h"
#include "model_text.h"
#include "search_bar.h"
#include "service_legend.h"
#include "span_details.h"
#include "span_table_view.h"
#include "waterfall_view.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace spanwise {

namespace {

// A view is made when first shown, in the place kept for it in the stack.
template <typename V>
V* madeView(V*& view, QStackedWidget* views, int index, TraceViewState* state)
{
    if (!view) {
        view = new V(state, views);
        QWidget* place = views->widget(index);
        views->insertWidget(index, view);
        views->removeWidget(place);
        delete place;
    }
    return view;
}

} // namespace

TracePage::TracePage(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QWidget* parent,
                     std::shared_ptr<AnnotationStore> annotations)
    : QWidget(parent), m_state(new TraceViewState(std::move(data), traceIndex, this)),
      m_annotations(annotations ? std::move(annotations) : std::make_shared<AnnotationStore>())
{
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    m_views = new QStackedWidget(left);
    m_waterfallPage = new QWidget(m_views);
    m_minimap = new Minimap(m_state, m_waterfallPage);
    m_waterfall = new WaterfallView(m_state, m_waterfallPage);
    auto* waterfallColumn = new QVBoxLayout(m_waterfallPage);
    waterfallColumn->setContentsMargins(0, 0, 0, 0);
    waterfallColumn->setSpacing(0);
    waterfallColumn->addWidget(m_minimap);
    waterfallColumn->addWidget(m_waterfall, 1);
    m_views->addWidget(m_waterfallPage);
    for (int view = 1; view < kViewCount; ++view) // made when first shown
        m_views->addWidget(new QWidget(m_views));
    auto* column = new QVBoxLayout(left);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    m_search = new SearchBar(m_state, left);
    m_annotationProblem = new QLabel(left);
    m_annotationProblem->setTextFormat(Qt::PlainText); // quotes file content
    m_annotationProblem->setWordWrap(true);
    m_annotationProblem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_annotationProblem->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff4d6; color: #5a3d00; padding: 6px 8px; border-bottom: 1px solid #e6c98a; }"));
    auto showProblem = [this](const QString& problem) {
        m_annotationProblem->setText(problem);
        m_annotationProblem->setVisible(!problem.isEmpty());
    };
    connect(m_annotations.get(), &AnnotationStore::problemChanged, this, showProblem);
    showProblem(m_annotations->problem());
    column->addWidget(m_annotationProblem);
    column->addWidget(m_search);
    connect(m_search, &SearchBar::closed, this, [this] { viewWidget(m_view)->setFocus(); });
    column->addWidget(viewSwitcher());
    column->addWidget(new ServiceLegend(m_state, left));
    m_breadcrumb = new FocusBreadcrumb(m_state, left);
    column->addWidget(m_breadcrumb);
    column->addWidget(m_views, 1);
    m_side = new QTabWidget(splitter);
    m_details = new SpanDetails(m_state, m_side);
    m_breakdown = new BreakdownPanel(m_state, m_side);
    m_findings = new FindingsPanel(m_state, m_side);
    m_side->addTab(m_details, tr("Details"));
    m_side->addTab(m_breakdown, tr("Breakdown"));
    m_side->addTab(m_findings, tr("Findings"));
    m_annotationsPanel = new AnnotationsPanel(m_annotations.get(), m_state, m_side);
    m_side->addTab(m_annotationsPanel, tr("Annotations"));
    m_waterfall->setAnnotations(m_annotations.get());
    splitter->addWidget(left);
    splitter->addWidget(m_side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    // Keep the minimap's time axis aligned with the waterfall's bars.
    auto align = [this] {
        const int scrollBar = m_waterfall->verticalScrollBar()->isVisible() ? m_waterfall->verticalScrollBar()->width()
                                                                            : 0;
        m_minimap->setAxisInset(m_waterfall->nameColumnWidth() + m_waterfall->frameWidth(),
                                12 + scrollBar + m_waterfall->frameWidth());
    };
    connect(m_waterfall, &WaterfallView::geometryChanged, this, align);
    connect(m_state, &TraceViewState::rowsChanged, this, align);
    connect(m_waterfall, &WaterfallView::spanActivated, this, [this] {
        m_side->setCurrentWidget(m_details);
        m_details->setFocus();
    });
    align();
    // Over the waterfall rather than in a row of its own, so stepping never moves the rows.
    m_criticalStep = new QLabel(m_waterfall->viewport());
    m_criticalStep->setTextFormat(Qt::PlainText);
    m_criticalStep->setAutoFillBackground(true);
    m_criticalStep->setBackgroundRole(QPalette::ToolTipBase);
    m_criticalStep->setForegroundRole(QPalette::ToolTipText);
    m_criticalStep->setFrameShape(QFrame::Box);
    m_criticalStep->setContentsMargins(6, 3, 6, 3);
    m_criticalStep->setWordWrap(true);
    m_criticalStep->hide();
    connect(m_state, &TraceViewState::criticalStepped, this, &TracePage::showCriticalStep);
    connect(m_state, &TraceViewState::selectionChanged, this, &TracePage::showCriticalStep);
    connect(m_waterfall, &WaterfallView::geometryChanged, this, &TracePage::placeCriticalStep);
    if (!m_state->rows().empty())
        m_state->select(m_state->rows().front());
}

QString TracePage::viewName(View view)
{
    switch (view) {
    case View::Waterfall:
        return tr("Waterfall");
    case View::FlameGraph:
        return tr("Flame graph");
    case View::Graph:
        return tr("Graph");
    case View::Spans:
        return tr("Spans");
    }
    return {};
}

QWidget* TracePage::viewSwitcher()
{
    static const char* const kToolTips[kViewCount] = {
        QT_TR_NOOP("Every span on the time axis, one row each (Alt+1)"),
        QT_TR_NOOP("Call paths merged, widths by time; or every span by time, or one operation's callers "
                   "and callees (Alt+2)"),
        QT_TR_NOOP("Which operation or service calls which, how often, and where the time goes (Alt+3)"),
        QT_TR_NOOP("Every span as a row: sort by any column, filter, add attribute columns (Alt+4)"),
    };
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(6, 4, 6, 2);
    row->setSpacing(0);
    m_viewButtons = new QButtonGroup(bar);
    for (int view = 0; view < kViewCount; ++view) {
        auto* button = new QToolButton(bar);
        button->setText(viewName(View(view)));
        button->setToolTip(tr(kToolTips[view]));
        button->setCheckable(true);
        button->setChecked(view == 0);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus); // the keys stay with the view
        m_viewButtons->addButton(button, view);
        row->addWidget(button);
    }
    row->addStretch();
    connect(m_viewButtons, &QButtonGroup::idClicked, this, [this](int view) { showView(View(view)); });
    return bar;
}

QWidget* TracePage::viewWidget(View view)
{
    switch (view) {
    case View::Waterfall:
        return m_waterfall;
    case View::FlameGraph:
        return flameGraph();
    case View::Graph:
        return graph();
    case View::Spans:
        return spanTable();
    }
    return m_waterfall;
}

FlameGraphView* TracePage::flameGraph()
{
    return madeView(m_flameGraph, m_views, int(View::FlameGraph), m_state);
}

GraphView* TracePage::graph()
{
    return madeView(m_graph, m_views, int(View::Graph), m_state);
}

SpanTableView* TracePage::spanTable()
{
    return madeView(m_spanTable, m_views, int(View::Spans), m_state);
}

void TracePage::showView(View view)
{
    QWidget* widget = viewWidget(view);
    m_views->setCurrentIndex(int(view));
    m_viewButtons->button(int(view))->setChecked(true);
    widget->setFocus();
    if (view == m_view)
        return;
    m_view = view;
    emit viewChanged(view);
}

void TracePage::showCriticalStep()
{
    const std::optional<std::size_t> index = m_state->steppedSegment();
    if (!index) {
        m_criticalStep->hide();
        return;
    }
    const auto& path = m_state->criticalPath();
    const CriticalSegment& segment = path[*index];
    const Dataset& d = m_state->data();
    const Span& s = d.spans[segment.span];
    const TimeNs total = path.back().end - path.front().start;
    m_criticalStep->setText(tr("Critical path: segment %L1 of %L2 · %3 %4 · %5 (%6% of the path) · ] next, [ previous")
                                .arg(*index + 1)
                                .arg(path.size())
                                .arg(qstr(d.str(s.service)), qstr(d.str(s.name)), durationText(segment.length()))
                                .arg(total > 0 ? 100.0 * segment.length() / total : 100.0, 0, 'f', 1));
    placeCriticalStep();
    m_criticalStep->show();
}

void TracePage::placeCriticalStep()
{
    const QWidget* viewport = m_waterfall->viewport();
    // On one line when the bar area has room, wrapped within it otherwise.
    const QMargins margins = m_criticalStep->contentsMargins();
    const int oneLine = m_criticalStep->fontMetrics().horizontalAdvance(m_criticalStep->text()) + margins.left() +
                        margins.right() + 2 * m_criticalStep->frameWidth() + 8;
    const int width = std::min(oneLine, std::max(200, viewport->width() - m_waterfall->nameColumnWidth() - 16));
    m_criticalStep->resize(width, m_criticalStep->heightForWidth(width));
    m_criticalStep->move(viewport->width() - width - 8, viewport->height() - m_criticalStep->height() - 8);
}

void TracePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_shownOnce) { // the keys work at once, without a click into the tree first
        m_shownOnce = true;
        m_waterfall->setFocus();
    }
}

} // namespace spanwise
