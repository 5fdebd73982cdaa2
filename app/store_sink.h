#pragma once
// The receivers' payloads into a live store: each read by the importers (the same code path as files)
// into a dataset of its own, kept when readable. The sink returns once the spans are stored, so a
// request the receivers acknowledge is in the store.

#include <live_store.h>
#include <received_payload.h>

namespace spanwise {

PayloadSink liveStoreSink(LiveStore& store);

} // namespace spanwise
