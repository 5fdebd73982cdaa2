#pragma once
// Two datasets holding the same spans, field by field: the check of every test where spans go through
// another path (written and read again, received live) and must come out unchanged.

#include <dataset.h>

namespace spanwise::test {

struct SameSpansOptions {
    // b was written as OTLP from a: a's Jaeger references are links marked with opentracing.ref_type,
    // and a FOLLOWS_FROM parent is also a link.
    bool linksAsOtlp = false;
};

// b holds a's traces and spans, span for span in the same depth-first order: ids, tree, times (and
// clock-skew adjustment), names, services, kind, status, trace state, flags, marks, attributes
// (nested values included), events, links, resource attributes (but service.name) and scopes. Fails
// the running test at the first difference.
void verifySameSpans(const Dataset& a, const Dataset& b, const SameSpansOptions& options = {});

} // namespace spanwise::test
