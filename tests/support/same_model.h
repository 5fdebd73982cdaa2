#pragma once
// Two reads of one input that must be twins, not merely equivalent: the same input read in parts
// or whole, on one thread or many. Beyond verifySameSpans, the layout of every array and the
// numbering of every string must match, and the reports must say the same.

#include <dataset.h>
#include <import_report.h>

#include <functional>

namespace spanwise::test {

// b is a's twin: verifySameSpans, and every string id, resource, scope, attribute, event, link
// and span at the same index with the same ranges into the arrays, and every trace with the same
// layout, counts and warnings. Fails the running test at the first difference.
void verifySameModel(const Dataset& a, const Dataset& b);

// b reports what a reports: the variant, the counts, and every diagnostic where a has it.
void verifySameReport(const ImportReport& a, const ImportReport& b);

// Runs check(threads, partBytes) on 1, 2 and 4 threads with parts of 1 byte, 3000 bytes and 1 MiB,
// and stops at the first failure, saying on which.
void forThreadsAndPartSizes(const std::function<void(unsigned threads, std::size_t partBytes)>& check);

} // namespace spanwise::test
