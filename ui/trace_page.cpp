#include "trace_page.h"

#include "analysis_panels.h"
#include "annotation_store.h"
#include "annotations_panel.h"
#include "focus_breadcrumb.h"
#include "minimap.h"
#include "model_text.h"
#include "search_bar.h"
#include "service_legend.h"
#include "span_details.h"
#include "waterfall_view.h"

#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace spanwise {

TracePage::TracePage(std::shared_ptr<const Dataset> data, std::uint32_t traceIndex, QWidget* parent,
                     std::shared_ptr<AnnotationStore> annotations)
    : QWidget(parent), m_state(new TraceViewState(std::move(data), traceIndex, this)),
      m_annotations(annotations ? std::move(annotations) : std::make_shared<AnnotationStore>())
{
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    m_minimap = new Minimap(m_state, left);
    m_waterfall = new WaterfallView(m_state, left);
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
    connect(m_search, &SearchBar::closed, m_waterfall, qOverload<>(&QWidget::setFocus));
    column->addWidget(new ServiceLegend(m_state, left));
    m_breadcrumb = new FocusBreadcrumb(m_state, left);
    column->addWidget(m_breadcrumb);
    column->addWidget(m_minimap);
    column->addWidget(m_waterfall, 1);
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
