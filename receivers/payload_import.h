#pragma once
// Received bytes -> model, through the same importers as files.

#include "received_payload.h"

#include <dataset_builder.h>
#include <import_report.h>

namespace spanwise {

// Reads the payload with the importer of payload.format into builder. acceptedSpans are the spans
// added, rejectedSpans those the importer skipped (with the first reason as the warning). When the
// body as a whole is unreadable (not the format, cut short...) error says where and why: the client
// is then told nothing was accepted, so the caller drops what builder received (use one builder per
// payload, or check error before keeping the spans).
PayloadOutcome importPayload(const ReceivedPayload& payload, DatasetBuilder& builder, ImportReport& report);

} // namespace spanwise
