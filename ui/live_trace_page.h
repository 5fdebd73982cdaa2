#pragma once
// One trace of a live capture, growing as its spans arrive: each new snapshot of the capture that
// changed the trace shows it on a page built anew, with the selection, zoom, collapsed rows, focus
// and annotations the user had carried over.

#include "page.h"

#include <types.h>

#include <QPointer>

#include <memory>

namespace spanwise {

class AnnotationStore;
class LivePage;

class LiveTracePage : public Page {
    Q_OBJECT
public:
    // The trace must be in the capture's snapshot.
    LiveTracePage(LivePage* capture, const TraceId& id, QWidget* parent = nullptr);

    QStringList paths() const override { return {}; }
    TracePage* tracePage() const override { return m_page; }
    const TraceId& traceId() const { return m_id; }
    // Shows the trace as the capture has it now when the capture's snapshot shows it changed. Waits
    // while a menu or dialog is open: they may hold on to the page shown.
    void follow();

private:
    QPointer<LivePage> m_capture;
    TraceId m_id;
    std::shared_ptr<AnnotationStore> m_annotations; // outlives the pages that show them
    TracePage* m_page = nullptr;
    std::uint32_t m_shownSpans = 0;
    TimeNs m_shownEnd = 0;
    std::uint32_t m_shownErrors = 0;
    bool m_retrying = false;
};

} // namespace spanwise
