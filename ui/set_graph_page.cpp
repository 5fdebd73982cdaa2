#include "set_graph_page.h"

#include "graph_view.h"
#include "set_graph_source.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace spanwise {

SetGraphPage::SetGraphPage(std::shared_ptr<const TraceSet> set, QWidget* parent)
    : QWidget(parent), m_cancel(std::make_shared<std::atomic<bool>>(false)), m_busy(new QLabel(this))
{
    m_busy->setAlignment(Qt::AlignCenter);
    m_busy->setText(tr("Finding the calls between services in %1 traces…")
                        .arg(QLocale().toString(static_cast<qulonglong>(set->traces.size()))));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_busy);
    auto* watcher = new QFutureWatcher<std::shared_ptr<SetServiceGraph>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, layout] {
        watcher->deleteLater();
        m_view = new GraphView(std::make_unique<SetGraphSource>(std::move(*watcher->result())), this);
        layout->removeWidget(m_busy);
        delete m_busy;
        m_busy = nullptr;
        layout->addWidget(m_view);
        m_view->show(); // at once: a layout shows a child added to a visible widget only later
        emit ready();
    });
    watcher->setFuture(QtConcurrent::run([set = std::move(set), cancel = m_cancel] {
        return std::make_shared<SetServiceGraph>(
            buildSetServiceGraph(*set, set->traces, [&cancel] { return cancel->load(); }));
    }));
}

SetGraphPage::~SetGraphPage()
{
    *m_cancel = true;
}

} // namespace spanwise
