#include "store_sink.h"

#include <payload_import.h>

namespace spanwise {

PayloadSink liveStoreSink(LiveStore& store)
{
    return [&store](ReceivedPayload&& payload) {
        DatasetBuilder builder;
        ImportReport report;
        PayloadOutcome outcome = importPayload(payload, builder, report);
        if (outcome.error.empty()) // an unreadable body is refused whole: the client was told so
            store.add(builder.finish(BuildOptions{.adjustClockSkew = false}));
        return outcome;
    };
}

} // namespace spanwise
