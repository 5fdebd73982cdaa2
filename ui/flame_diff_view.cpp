#include "flame_diff_view.h"

#include "swatch_legend.h"
#include "theme.h"

#include <QPainter>
#include <QVBoxLayout>

namespace spanwise {

namespace {

// What the colours of the differential mean, in the palette's shades.
class DiffLegend : public QWidget {
public:
    explicit DiffLegend(QWidget* parent) : QWidget(parent)
    {
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override
    {
        return swatchLegendHeight(swatches(), fontMetrics(), width - 2 * kMargin) + 2 * kMargin;
    }
    QSize sizeHint() const override { return {600, heightForWidth(600)}; }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setPen(palette().color(QPalette::WindowText));
        paintSwatchLegend(p, swatches(), rect().adjusted(kMargin, kMargin, -kMargin, -kMargin));
    }

private:
    static constexpr int kMargin = 5;

    std::vector<Swatch> swatches() const
    {
        const bool dark = hasDarkBase(palette());
        return {
            {theme::slower(dark), tr("slower in B (stronger: a larger change)")},
            {theme::faster(dark), tr("faster in B")},
            {palette().color(QPalette::Mid), tr("the same within the noise threshold")},
            {theme::slower(dark), tr("hatched: only in B (added)"), false, Qt::BDiagPattern},
            {theme::faster(dark), tr("hatched mark at a row's end: only in A (removed)"), false, Qt::BDiagPattern},
        };
    }
};

} // namespace

FlameDiffView::FlameDiffView(TraceViewState* stateB, const TraceDiff& diff, QWidget* parent)
    : QWidget(parent),
      m_diff(std::make_shared<const CallTreeDiff>(diffCallTrees(diff, stateB->data(), stateB->trace()))),
      m_graph(new FlameGraphView(stateB, this)), m_legend(new DiffLegend(this))
{
    m_graph->setDifferential(m_diff);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_legend);
    layout->addWidget(m_graph, 1);
}

} // namespace spanwise
