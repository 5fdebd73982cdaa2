#pragma once
// What the user set on a trace's page — selection, zoom, collapsed rows, focus, hidden spans, the
// search, the view and side panel shown — kept by span id, to set again on a page built anew for the same trace
// with more spans (a live trace that received some): the picture grows without losing its place.

#include <types.h>

#include <QString>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spanwise {

class TracePage;

class CarriedViewState {
public:
    static CarriedViewState of(const TracePage& page);
    void applyTo(TracePage& page) const;
    bool typing() const { return m_typing; } // the keyboard was in the search field

    // A span by its id, and for Zipkin's shared spans which half (they share the id).
    using SpanKey = std::pair<SpanId, bool>;

private:
    std::optional<SpanKey> m_selected;
    std::vector<SpanKey> m_collapsed;
    std::vector<SpanKey> m_focus;                    // the focus stack, outermost first
    std::optional<std::pair<TimeNs, TimeNs>> m_zoom; // none when the whole trace (or subtree) shows
    int m_rowFilter = 0;
    TimeNs m_minimumDuration = 0;
    std::vector<std::string> m_hiddenServices;
    bool m_groupRepeats = true;
    bool m_showCriticalPath = false;
    std::optional<QString> m_search; // the search bar's query while it is open
    bool m_typing = false;           // in the search field
    int m_view = 0;
    int m_sidePanel = 0;
};

} // namespace spanwise
