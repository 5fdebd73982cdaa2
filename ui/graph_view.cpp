#include "graph_view.h"

#include <QButtonGroup>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace spanwise {

namespace {

constexpr double kKeyZoom = 1.25;
constexpr double kKeyPan = 60;       // pixels an arrow key moves the graph
constexpr int kDragThreshold = 4;    // pixels a press may move and still be a click
constexpr double kRevealMargin = 24; // pixels between a node scrolled into view and the edge

} // namespace

GraphView::GraphView(TraceViewState* state, QWidget* parent) : GraphView(state, GraphPainter(state), parent) {}

GraphView::GraphView(std::unique_ptr<GraphSource> source, QWidget* parent)
    : GraphView(nullptr, GraphPainter(std::move(source)), parent)
{
    m_painter.setMode(GraphMode::Services);
    m_operations->hide();
    m_services->hide();
}

GraphView::GraphView(TraceViewState* state, GraphPainter painter, QWidget* parent)
    : QWidget(parent), m_state(state), m_painter(std::move(painter)), m_operations(new QToolButton(this)),
      m_services(new QToolButton(this))
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_painter.setPalette(palette());
    m_painter.setFont(font());
    m_painter.setOpening(true);

    m_operations->setText(tr("Operations"));
    m_operations->setToolTip(tr("One node per service: operation"));
    m_services->setText(tr("Services"));
    m_services->setToolTip(tr("One node per service"));
    auto* group = new QButtonGroup(this);
    for (QToolButton* button : {m_operations, m_services}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::NoFocus); // the keys stay with the graph
        group->addButton(button);
    }
    m_operations->setChecked(true);
    connect(m_operations, &QToolButton::clicked, this, [this] { setMode(GraphMode::Operations); });
    connect(m_services, &QToolButton::clicked, this, [this] { setMode(GraphMode::Services); });

    if (!state)
        return;
    connect(state, &TraceViewState::selectionChanged, this, [this] {
        // The opening view would follow the selection: it stays where it is, or a click would move it.
        if (m_painter.opening())
            m_painter.setView(m_painter.view(rect()));
        revealSelection();
        update();
    });
    connect(state, &TraceViewState::focusChanged, this, &GraphView::rebuild);
    connect(state, &TraceViewState::searchChanged, this, [this] {
        m_painter.invalidateSearch();
        update();
    });
    connect(state, &TraceViewState::decorationChanged, this, qOverload<>(&QWidget::update));
}

void GraphView::setMode(GraphMode mode)
{
    (mode == GraphMode::Operations ? m_operations : m_services)->setChecked(true);
    if (mode == m_painter.mode())
        return;
    m_painter.setMode(mode);
    rebuild();
}

void GraphView::rebuild()
{
    m_painter.invalidate();
    showOpening();
}

void GraphView::fitToView()
{
    m_painter.setFitting(true);
    update();
}

void GraphView::showOpening()
{
    m_painter.setOpening(true);
    update();
}

void GraphView::centreOn(std::uint32_t node)
{
    const QRectF box = nodeRect(node);
    if (box.isNull())
        return;
    const GraphPainter::View v = m_painter.view(rect());
    m_painter.setView({v.scale, v.origin + QRectF(m_painter.graphArea(rect())).center() - box.center()});
    update();
}

void GraphView::zoomAround(double factor, QPointF anchor)
{
    const GraphPainter::View v = m_painter.view(rect());
    const double scale = std::clamp(v.scale * factor, kMinZoom, kMaxZoom);
    // The scene point under the anchor stays there.
    const QPointF scenePoint = (anchor - v.origin) / v.scale;
    m_painter.setView({scale, anchor - scenePoint * scale});
    update();
}

void GraphView::panBy(QPointF delta)
{
    const GraphPainter::View v = m_painter.view(rect());
    m_painter.setView({v.scale, v.origin + delta});
    update();
}

void GraphView::revealSelection()
{
    const std::uint32_t node = m_painter.selectedNode();
    if (node == kNoIndex)
        return;
    // Scrolled just into view, with a margin, so that what was around stays in sight.
    const QRectF area =
        QRectF(m_painter.graphArea(rect())).adjusted(kRevealMargin, kRevealMargin, -kRevealMargin, -kRevealMargin);
    const QRectF box = nodeRect(node);
    if (area.contains(box))
        return;
    if (box.width() > area.width() || box.height() > area.height())
        return centreOn(node);
    const auto shift = [](double low, double high, double areaLow, double areaHigh) {
        return low < areaLow ? areaLow - low : high > areaHigh ? areaHigh - high : 0.0;
    };
    panBy({shift(box.left(), box.right(), area.left(), area.right()),
           shift(box.top(), box.bottom(), area.top(), area.bottom())});
}

void GraphView::placeButtons()
{
    const int height = m_painter.headerHeight() - 4;
    int x = width() - 4;
    for (QToolButton* button : {m_services, m_operations}) {
        const int w = button->sizeHint().width();
        x -= w;
        button->setGeometry(x, 2, w, height);
        x -= 2;
    }
}

bool GraphView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const std::uint32_t node = nodeAt(help->pos());
        if (node == kNoIndex)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), m_painter.nodeDescription(node), this,
                               nodeRect(node).toAlignedRect());
        return true;
    }
    return QWidget::event(event);
}

void GraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    m_painter.paint(p, rect());
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    placeButtons();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_pressed = true;
    m_dragMoved = false;
    m_pressPos = event->position().toPoint();
    m_pressView = m_painter.view(rect());
}

void GraphView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_pressed) {
        const bool clickable = m_state && nodeAt(event->position()) != kNoIndex;
        setCursor(clickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
        return;
    }
    const QPoint moved = event->position().toPoint() - m_pressPos;
    if (!m_dragMoved && moved.manhattanLength() < kDragThreshold)
        return;
    m_dragMoved = true;
    setCursor(Qt::ClosedHandCursor);
    m_painter.setView({m_pressView.scale, m_pressView.origin + QPointF(moved)});
    update();
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QWidget::mouseReleaseEvent(event);
    m_pressed = false;
    unsetCursor();
    if (m_dragMoved)
        return;
    const std::uint32_t node = nodeAt(event->position());
    if (node != kNoIndex && m_state)
        m_state->select(m_painter.graph().nodes[node].longestSpan);
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const std::uint32_t node = nodeAt(event->position());
    if (event->button() == Qt::LeftButton && node != kNoIndex && m_state)
        m_state->focusOn(m_painter.graph().nodes[node].longestSpan);
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    zoomAround(std::pow(1.2, steps), event->position());
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    const QPointF centre = QRectF(m_painter.graphArea(rect())).center();
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(kKeyZoom, centre);
        return;
    case Qt::Key_Minus:
        zoomAround(1 / kKeyZoom, centre);
        return;
    case Qt::Key_0:
        fitToView();
        return;
    case Qt::Key_1:
        zoomAround(1 / zoom(), centre);
        return;
    case Qt::Key_Left:
        panBy({kKeyPan, 0});
        return;
    case Qt::Key_Right:
        panBy({-kKeyPan, 0});
        return;
    case Qt::Key_Up:
        panBy({0, kKeyPan});
        return;
    case Qt::Key_Down:
        panBy({0, -kKeyPan});
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_state && m_state->selected() != kNoIndex)
            m_state->focusOn(m_state->selected());
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void GraphView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_painter.setPalette(palette());
    else if (event->type() == QEvent::FontChange) {
        m_painter.setFont(font());
        placeButtons();
        showOpening();
    }
    QWidget::changeEvent(event);
}

} // namespace spanwise
