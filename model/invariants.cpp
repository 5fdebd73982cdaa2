#include "invariants.h"

namespace spanwise {

std::string findInvariantViolation(const Dataset& data)
{
    std::uint32_t expectedFirst = 0;
    for (const Trace& trace : data.traces) {
        if (trace.first != expectedFirst)
            return "traces are not contiguous";
        expectedFirst += trace.count;
        for (std::uint32_t i = trace.first; i < trace.end_index(); ++i) {
            const Span& s = data.spans[i];
            auto where = [i] { return "span " + std::to_string(i) + ": "; };
            if (s.end < s.start)
                return where() + "ends before it starts";
            if (s.service == 0)
                return where() + "no service name (the builder names it unknown_service)";
            if (s.subtreeEnd <= i || s.subtreeEnd > trace.end_index())
                return where() + "subtree end out of range";
            if (s.parent == kNoIndex) {
                if (s.depth != 0)
                    return where() + "top-level span with non-zero depth";
                continue;
            }
            if (s.parent < trace.first || s.parent >= i)
                return where() + "parent not before it in the same trace";
            const Span& p = data.spans[s.parent];
            if (s.depth != p.depth + 1)
                return where() + "depth is not parent depth + 1";
            if (i >= p.subtreeEnd)
                return where() + "outside its parent's subtree";
            if (s.subtreeEnd > p.subtreeEnd)
                return where() + "subtree not nested in its parent's";
        }
    }
    if (expectedFirst != data.spans.size())
        return "spans outside every trace";
    return {};
}

} // namespace spanwise
