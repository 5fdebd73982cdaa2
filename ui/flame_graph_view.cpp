#include "flame_graph_view.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace spanwise {

namespace {

// Paints the graph; its input goes to the view, which filters its events.
class Canvas : public QWidget {
public:
    Canvas(const FlameGraphPainter& painter, QWidget* parent) : QWidget(parent), m_painter(painter)
    {
        setMouseTracking(true);
        setAttribute(Qt::WA_OpaquePaintEvent);
        setMinimumSize(200, 120);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        m_painter.paint(p, rect());
    }

private:
    const FlameGraphPainter& m_painter;
};

QToolButton* toggleButton(const QString& text, const QString& toolTip, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setFocusPolicy(Qt::NoFocus); // the keys belong to the graph
    return button;
}

} // namespace

FlameGraphView::FlameGraphView(TraceViewState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_painter(state)
{
    m_painter.setFont(font());
    m_painter.setPalette(palette());
    setFocusPolicy(Qt::StrongFocus);

    auto* modes = new QButtonGroup(this);
    const std::pair<QString, QString> modeTexts[] = {
        {tr("Merged"), tr("Call paths merged: siblings with the same service and operation are one frame, "
                          "heaviest first")},
        {tr("Time order"),
         tr("Every span at its time (x) and depth (y), spans running side by side on lanes of their own: the "
            "shape of the trace")},
        {tr("Sandwich"), tr("The selected operation's callers above it and its callees below it, merged over "
                            "every place it occurs")},
    };
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    for (int m = 0; m < 3; ++m) {
        m_modeButtons[m] = toggleButton(modeTexts[m].first, modeTexts[m].second, this);
        modes->addButton(m_modeButtons[m], m);
        bar->addWidget(m_modeButtons[m]);
    }
    m_modeButtons[0]->setChecked(true);
    connect(modes, &QButtonGroup::idClicked, this,
            [this](int id) { setMode(static_cast<FlameGraphPainter::Mode>(id)); });
    m_selfButton = toggleButton(tr("Self time"), tr("Frame widths by self time instead of total time"), this);
    connect(m_selfButton, &QAbstractButton::toggled, this, [this](bool self) {
        setWidthMetric(self ? FlameGraphPainter::Width::Self : FlameGraphPainter::Width::Total);
    });
    bar->addSpacing(12);
    bar->addWidget(m_selfButton);
    bar->addSpacing(12);
    m_breadcrumb = new QLabel(this);
    m_breadcrumb->setTextFormat(Qt::RichText);
    m_breadcrumb->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    connect(m_breadcrumb, &QLabel::linkActivated, this, [this](const QString& link) {
        zoomInto(link == QLatin1String("zoom:all") ? kNoIndex : link.mid(5).toUInt());
    });
    bar->addWidget(m_breadcrumb, 1);

    m_canvas = new Canvas(m_painter, this);
    m_canvas->installEventFilter(this);
    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        m_painter.setVerticalOffset(value);
        m_canvas->update();
    });
    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    body->addWidget(m_canvas, 1);
    body->addWidget(m_scrollBar);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addLayout(body, 1);

    connect(state, &TraceViewState::focusChanged, this, [this] {
        m_painter.rebuild();
        if (mode() == FlameGraphPainter::Mode::Sandwich)
            m_painter.setSandwichSpan(m_state->selected());
        refresh();
    });
    connect(state, &TraceViewState::searchChanged, this, [this] {
        m_painter.updateSearch();
        m_canvas->update();
    });
    connect(state, &TraceViewState::selectionChanged, this, [this](std::uint32_t span) {
        if (mode() == FlameGraphPainter::Mode::Sandwich && !m_sandwichClick) {
            m_painter.setSandwichSpan(span);
            updateScrollBar();
        }
        m_canvas->update();
    });
    connect(state, &TraceViewState::viewRangeChanged, this, [this] {
        if (mode() == FlameGraphPainter::Mode::Icicle)
            m_canvas->update();
    });
    connect(state, &TraceViewState::decorationChanged, m_canvas, qOverload<>(&QWidget::update));
    refresh();
}

QAbstractButton* FlameGraphView::modeButton(FlameGraphPainter::Mode mode) const
{
    return m_modeButtons[static_cast<int>(mode)];
}

void FlameGraphView::setMode(FlameGraphPainter::Mode mode)
{
    m_painter.setMode(mode);
    if (mode == FlameGraphPainter::Mode::Sandwich)
        m_painter.setSandwichSpan(m_state->selected());
    m_modeButtons[static_cast<int>(mode)]->setChecked(true);
    m_selfButton->setEnabled(mode == FlameGraphPainter::Mode::Merged);
    refresh();
}

void FlameGraphView::setDifferential(std::shared_ptr<const CallTreeDiff> diff)
{
    const bool differential = diff != nullptr;
    m_painter.setDifferential(std::move(diff));
    for (QAbstractButton* button : m_modeButtons)
        button->setVisible(!differential);
    m_selfButton->setVisible(!differential);
    if (differential) {
        m_modeButtons[0]->setChecked(true);
        setWidthMetric(FlameGraphPainter::Width::Total);
    }
    refresh();
}

void FlameGraphView::setWidthMetric(FlameGraphPainter::Width width)
{
    m_painter.setWidthMetric(width);
    const QSignalBlocker blocker(m_selfButton);
    m_selfButton->setChecked(width == FlameGraphPainter::Width::Self);
    m_canvas->update();
}

void FlameGraphView::zoomInto(std::uint32_t node)
{
    m_painter.setZoomNode(node);
    refresh();
}

void FlameGraphView::zoomOut()
{
    const std::uint32_t zoom = m_painter.zoomNode();
    if (zoom != kNoIndex)
        zoomInto(m_painter.tree().nodes[zoom].parent);
}

void FlameGraphView::refresh()
{
    updateBreadcrumb();
    updateScrollBar();
    m_canvas->update();
}

void FlameGraphView::updateScrollBar()
{
    const int range = std::max(0, m_painter.contentHeight() - m_canvas->height() + m_painter.rowHeight());
    const QSignalBlocker blocker(m_scrollBar);
    m_scrollBar->setRange(0, range);
    m_scrollBar->setPageStep(std::max(1, m_canvas->height()));
    m_scrollBar->setSingleStep(m_painter.rowHeight());
    m_scrollBar->setValue(std::min(m_painter.verticalOffset(), range));
    m_painter.setVerticalOffset(m_scrollBar->value());
    m_scrollBar->setVisible(range > 0);
}

void FlameGraphView::updateBreadcrumb()
{
    m_links.clear();
    const std::uint32_t zoom = m_painter.zoomNode();
    if (mode() != FlameGraphPainter::Mode::Merged || zoom == kNoIndex) {
        m_breadcrumb->clear();
        return;
    }
    const CallTree& tree = m_painter.tree();
    std::vector<std::uint32_t> path;
    for (std::uint32_t n = zoom; n != kNoIndex; n = tree.nodes[n].parent)
        path.insert(path.begin(), n);
    const QString color = palette().color(QPalette::Link).name();
    QStringList parts{QStringLiteral("<a href='zoom:all' style='color:%1'>%2</a>").arg(color, tr("All"))};
    m_links.push_back(QStringLiteral("zoom:all"));
    for (std::size_t i = 0; i < path.size(); ++i) {
        const QString label = QString::fromStdString(tree.labelOf(path[i])).toHtmlEscaped();
        if (i + 1 == path.size()) {
            parts.push_back(QStringLiteral("<b>%1</b>").arg(label));
            break;
        }
        const QString link = QStringLiteral("zoom:%1").arg(path[i]);
        m_links.push_back(link);
        parts.push_back(QStringLiteral("<a href='%1' style='color:%2'>%3</a>").arg(link, color, label));
    }
    m_breadcrumb->setText(parts.join(QStringLiteral(" › ")));
    m_breadcrumb->setToolTip(tr("Backspace or Esc goes up one level"));
}

QString FlameGraphView::toolTipAt(const QPoint& canvasPos) const
{
    const FlameGraphPainter::Frame* frame = m_painter.frameAt(canvasPos);
    return frame ? m_painter.toolTip(*frame) : QString();
}

void FlameGraphView::canvasPressed(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    if (event->button() != Qt::LeftButton)
        return;
    const FlameGraphPainter::Frame* frame = m_painter.frameAt(event->position());
    if (!frame)
        return;
    if (const std::uint32_t span = m_painter.spanOf(*frame); span != kNoIndex) {
        m_sandwichClick = mode() == FlameGraphPainter::Mode::Sandwich;
        m_state->select(span);
        m_sandwichClick = false;
    }
}

void FlameGraphView::canvasDoubleClicked(QMouseEvent* event)
{
    const FlameGraphPainter::Frame* frame = m_painter.frameAt(event->position());
    if (!frame || event->button() != Qt::LeftButton)
        return;
    using Kind = FlameGraphPainter::Frame::Kind;
    switch (mode()) {
    case FlameGraphPainter::Mode::Merged:
        if (frame->kind == Kind::Node || frame->index != kNoIndex) // a folded mark: into the frame above it
            zoomInto(frame->index);
        break;
    case FlameGraphPainter::Mode::Icicle:
        if (frame->kind == Kind::Span) {
            m_state->focusOn(frame->index);
        } else { // a folded mark: the time window zoomed onto it
            const double nsPerPixel = static_cast<double>(m_state->viewEnd() - m_state->viewStart()) /
                                      std::max(1, m_canvas->width());
            const auto timeAt = [&](double x) { return m_state->viewStart() + static_cast<TimeNs>(x * nsPerPixel); };
            m_state->setViewRange(timeAt(frame->rect.left() - 2), timeAt(frame->rect.right() + 2));
        }
        break;
    case FlameGraphPainter::Mode::Sandwich:
        if (frame->kind == Kind::Node) { // the sandwich of that operation
            m_painter.setSandwichSpan(m_painter.spanOf(*frame));
            refresh();
        }
        break;
    }
}

void FlameGraphView::canvasWheel(QWheelEvent* event)
{
    if (mode() == FlameGraphPainter::Mode::Icicle && (event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier))) {
        const TimeNs viewSpan = m_state->viewEnd() - m_state->viewStart();
        if (event->modifiers() & Qt::ControlModifier) {
            const double share = event->position().x() / std::max(1, m_canvas->width());
            m_state->zoom(std::pow(1.25, event->angleDelta().y() / 120.0),
                          m_state->viewStart() + static_cast<TimeNs>(share * static_cast<double>(viewSpan)));
        } else {
            const double delta = (event->angleDelta().x() ? event->angleDelta().x() : event->angleDelta().y()) / 120.0;
            m_state->pan(static_cast<TimeNs>(-delta * 0.1 * static_cast<double>(viewSpan)));
        }
        return;
    }
    m_scrollBar->setValue(m_scrollBar->value() - event->angleDelta().y() * m_painter.rowHeight() / 40);
}

bool FlameGraphView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_canvas)
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress:
        canvasPressed(static_cast<QMouseEvent*>(event));
        return true;
    case QEvent::MouseButtonDblClick:
        canvasDoubleClicked(static_cast<QMouseEvent*>(event));
        return true;
    case QEvent::Wheel:
        canvasWheel(static_cast<QWheelEvent*>(event));
        return true;
    case QEvent::ToolTip: {
        const auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, m_canvas);
        return true;
    }
    case QEvent::Resize:
        updateScrollBar();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void FlameGraphView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Backspace:
    case Qt::Key_Escape:
        if (mode() == FlameGraphPainter::Mode::Merged && m_painter.zoomNode() != kNoIndex) {
            zoomOut();
            return;
        }
        if (mode() == FlameGraphPainter::Mode::Icicle && m_state->focusRoot() != kNoIndex) {
            m_state->focusBack();
            return;
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (const std::uint32_t span = m_state->selected(); span != kNoIndex) {
            if (mode() == FlameGraphPainter::Mode::Merged && m_painter.tree().nodeOf(span) != kNoIndex) {
                zoomInto(m_painter.tree().nodeOf(span));
                return;
            }
            if (mode() == FlameGraphPainter::Mode::Icicle) {
                m_state->focusOn(span);
                return;
            }
        }
        break;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

void FlameGraphView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        m_painter.setFont(font());
        refresh();
    } else if (event->type() == QEvent::PaletteChange) {
        m_painter.setPalette(palette());
        updateBreadcrumb();
        m_canvas->update();
    }
    QWidget::changeEvent(event);
}

} // namespace spanwise
