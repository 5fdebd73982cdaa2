#include "trace_set_page.h"

#include "set_graph_page.h"
#include "statistics_page.h"
#include "trace_list_page.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace spanwise {

namespace {

// A tab's page, made when first needed.
QWidget* emptyTab(QWidget* parent)
{
    auto* tab = new QWidget(parent);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    return tab;
}

} // namespace

TraceSetPage::TraceSetPage(std::shared_ptr<const TraceSet> set, QWidget* parent)
    : QWidget(parent), m_set(std::move(set)), m_tabs(new QTabWidget(this)), m_list(new TraceListPage(m_set, this))
{
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_list, tr("Traces"));
    m_tabs->addTab(emptyTab(m_tabs), tr("Statistics"));
    m_tabs->addTab(emptyTab(m_tabs), tr("Dependencies"));
    m_tabs->setTabToolTip(Statistics, tr("Durations, errors and where the time went, by root operation, service or "
                                         "operation, across the traces"));
    m_tabs->setTabToolTip(Dependencies, tr("Which services call which, across the traces"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == Statistics)
            statisticsPage();
        else if (tab == Dependencies)
            dependenciesPage();
    });
    connect(m_list, &TraceListPage::traceOpened, this, &TraceSetPage::traceOpened);
    connect(m_list, &TraceListPage::compareRequested, this, &TraceSetPage::compareRequested);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
}

StatisticsPage* TraceSetPage::statisticsPage()
{
    if (!m_statistics) {
        QWidget* tab = m_tabs->widget(Statistics);
        m_statistics = new StatisticsPage(m_set, tab);
        tab->layout()->addWidget(m_statistics);
        connect(m_statistics, &StatisticsPage::traceOpened, this, &TraceSetPage::traceOpened);
    }
    return m_statistics;
}

SetGraphPage* TraceSetPage::dependenciesPage()
{
    if (!m_dependencies) {
        QWidget* tab = m_tabs->widget(Dependencies);
        m_dependencies = new SetGraphPage(m_set, tab);
        tab->layout()->addWidget(m_dependencies);
    }
    return m_dependencies;
}

} // namespace spanwise
