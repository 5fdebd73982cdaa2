#pragma once
// The counters of one endpoint, updated from any thread.

#include "http_request.h"
#include "receivers.h"

#include <atomic>

namespace spanwise {

class EndpointCounters {
public:
    // One request answered: its fault (None when the sink took it) and the sink's outcome.
    void count(RequestFault fault, const PayloadOutcome* outcome = nullptr);
    void countTimeout() { ++m_timedOut; }
    ReceiverCounters snapshot() const;

private:
    std::atomic<std::uint64_t> m_requests{0}, m_accepted{0}, m_rejected{0};
    std::atomic<std::uint64_t> m_unreadable{0}, m_tooLarge{0}, m_unsupportedType{0}, m_notFound{0}, m_wrongMethod{0},
        m_timedOut{0}, m_sinkFailures{0};
};

} // namespace spanwise
