#include "live_trace_page.h"

#include "annotation_store.h"
#include "carried_view_state.h"
#include "live_page.h"
#include "trace_page.h"

#include <QVBoxLayout>

namespace spanwise {

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
    const std::shared_ptr<const Dataset> snapshot = m_capture->snapshot();
    const Trace* trace = snapshot->findTrace(m_id);
    if (!trace) // dropped or cleared from the capture: what was shown stays
        return;
    if (m_page && trace->count == m_shownSpans && trace->end == m_shownEnd && trace->errorCount == m_shownErrors)
        return;
    m_shownSpans = trace->count;
    m_shownEnd = trace->end;
    m_shownErrors = trace->errorCount;

    const auto index = static_cast<std::uint32_t>(trace - snapshot->traces.data());
    auto* page = new TracePage(snapshot, index, this, m_annotations);
    if (!m_page) {
        layout()->addWidget(page);
        m_page = page;
        return;
    }
    setUpdatesEnabled(false);
    const bool hadFocus = m_page->isAncestorOf(focusWidget());
    CarriedViewState::of(*m_page).applyTo(*page);
    delete layout()->replaceWidget(m_page, page);
    delete m_page;
    m_page = page;
    page->show();
    if (hadFocus)
        page->showView(page->currentView()); // and gives it the keyboard
    setUpdatesEnabled(true);
    emit tracePageReplaced();
}

} // namespace spanwise
