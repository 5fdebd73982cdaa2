#include "receiver_counters.h"

namespace spanwise {

void EndpointCounters::count(RequestFault fault, const PayloadOutcome* outcome)
{
    ++m_requests;
    if (outcome) {
        m_accepted += outcome->acceptedSpans;
        m_rejected += outcome->rejectedSpans;
    }
    switch (fault) {
    case RequestFault::None:
        break;
    case RequestFault::Unreadable:
        ++m_unreadable;
        break;
    case RequestFault::TooLarge:
        ++m_tooLarge;
        break;
    case RequestFault::UnsupportedType:
        ++m_unsupportedType;
        break;
    case RequestFault::NotFound:
        ++m_notFound;
        break;
    case RequestFault::WrongMethod:
        ++m_wrongMethod;
        break;
    case RequestFault::SinkFailure:
        ++m_sinkFailures;
        break;
    }
}

ReceiverCounters EndpointCounters::snapshot() const
{
    return {.requests = m_requests,
            .acceptedSpans = m_accepted,
            .rejectedSpans = m_rejected,
            .unreadable = m_unreadable,
            .tooLarge = m_tooLarge,
            .unsupportedType = m_unsupportedType,
            .notFound = m_notFound,
            .wrongMethod = m_wrongMethod,
            .timedOut = m_timedOut,
            .sinkFailures = m_sinkFailures};
}

} // namespace spanwise
