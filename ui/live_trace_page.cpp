#include "live_trace_page.h"

#include "annotation_store.h"
#include "carried_view_state.h"
#include "live_page.h"
#include "search_bar.h"
#include "trace_page.h"

#include <QApplication>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace spanwise {

namespace {

constexpr int kRetryMs = 250;

} // namespace

LiveTracePage::LiveTracePage(LivePage* capture, const TraceId& id, QWidget* parent)
    : Page(parent), m_capture(capture), m_id(id), m_annotations(std::make_shared<AnnotationStore>())
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    connect(capture, &LivePage::snapshotChanged, this, &LiveTracePage::follow);
    follow();
}

void LiveTracePage::follow()
{
    if (!m_capture)
        return;
    const Trace* listed = m_capture->snapshot()->findTrace(m_id);
    if (!listed) // dropped or cleared from the capture: what was shown stays
        return;
    if (m_page && listed->count == m_shownSpans && listed->end == m_shownEnd && listed->errorCount == m_shownErrors)
        return;
    if (m_page && (QApplication::activePopupWidget() || QApplication::activeModalWidget())) {
        if (!m_retrying) {
            m_retrying = true;
            QTimer::singleShot(kRetryMs, this, [this] {
                m_retrying = false;
                follow();
            });
        }
        return;
    }
    const std::shared_ptr<const Dataset> data = m_capture->traceSnapshot(m_id);
    if (data->traces.empty())
        return;
    const Trace& trace = data->traces.front();
    m_shownSpans = trace.count;
    m_shownEnd = trace.end;
    m_shownErrors = trace.errorCount;

    auto* page = new TracePage(data, 0, this, m_annotations);
    if (!m_page) {
        layout()->addWidget(page);
        m_page = page;
        return;
    }
    setUpdatesEnabled(false);
    const bool hadFocus = m_page->isAncestorOf(focusWidget());
    const CarriedViewState carried = CarriedViewState::of(*m_page);
    carried.applyTo(*page);
    delete layout()->replaceWidget(m_page, page);
    delete m_page;
    m_page = page;
    page->show();
    if (hadFocus && carried.typing())
        page->searchBar()->field()->setFocus();
    else if (hadFocus)
        page->showView(page->currentView()); // and gives it the keyboard
    setUpdatesEnabled(true);
    emit tracePageReplaced();
}

} // namespace spanwise
