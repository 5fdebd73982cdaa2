#include "findings.h"

#include "repeat_groups.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace spanwise {

namespace {

std::string label(const Dataset& data, const Span& s)
{
    return std::string(data.str(s.service)) + ": " + std::string(data.str(s.name));
}

// The first line of a free-text message, cut to a length that keeps the finding on one line.
std::string firstLine(std::string_view text)
{
    constexpr std::size_t kMaxLength = 120;
    text = text.substr(0, text.find_first_of("\r\n"));
    return text.size() <= kMaxLength ? std::string(text) : std::string(text.substr(0, kMaxLength - 3)) + "...";
}

std::string criticalShareText(TimeNs part, TimeNs whole)
{
    if (part <= 0 || whole <= 0)
        return "not on the critical path";
    const double percent = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    if (percent < 1)
        return "<1% of the critical path";
    return std::to_string(std::llround(percent)) + "% of the critical path";
}

std::uint64_t callKey(const Span& s)
{
    return std::uint64_t(s.service) << 32 | s.name;
}

// Failing spans connected through failing parents: the failure started at the origins (failing
// spans without a failing child) and propagated up to the top.
struct ErrorChain {
    std::vector<std::uint32_t> spans; // depth-first order: the top first
    std::uint32_t firstOrigin = kNoIndex;
    std::uint32_t originCount = 0;
};

class TraceFindings {
public:
    TraceFindings(const Dataset& data, const Trace& trace, std::span<const CriticalSegment> path,
                  const FindingOptions& options)
        : m_data(data), m_trace(trace), m_path(path), m_options(options), m_criticalPrefix(trace.count + 1, 0)
    {
        const std::vector<TimeNs> perSpan = criticalTimePerSpan(trace, path);
        for (std::uint32_t i = 0; i < trace.count; ++i)
            m_criticalPrefix[i + 1] = m_criticalPrefix[i] + perSpan[i];
        m_criticalTotal = m_criticalPrefix.back();
    }

    std::vector<Finding> run()
    {
        findRepeatedCalls();
        findErrors();
        findGaps();
        std::stable_sort(m_findings.begin(), m_findings.end(),
                         [](const Finding& a, const Finding& b) { return a.nanos > b.nanos; });
        return std::move(m_findings);
    }

private:
    // Critical-path time spent in a span or its descendants (a subtree is contiguous in depth-first order).
    TimeNs subtreeCriticalTime(std::uint32_t span) const
    {
        return m_criticalPrefix[m_data.spans[span].subtreeEnd - m_trace.first] - m_criticalPrefix[span - m_trace.first];
    }

    void findRepeatedCalls()
    {
        std::vector<std::uint32_t> calls;
        for (std::uint32_t parent = m_trace.first; parent < m_trace.end_index(); ++parent) {
            calls.clear();
            const Span& p = m_data.spans[parent];
            for (std::uint32_t c = parent + 1; c < p.subtreeEnd; c = m_data.spans[c].subtreeEnd)
                calls.push_back(c);
            if (calls.size() < m_options.minRepeatedCalls)
                continue;
            // Same call together, each group still in start order.
            std::sort(calls.begin(), calls.end(), [&](std::uint32_t a, std::uint32_t b) {
                const std::uint64_t ka = callKey(m_data.spans[a]), kb = callKey(m_data.spans[b]);
                return ka != kb ? ka < kb : a < b;
            });
            for (auto group = calls.begin(); group != calls.end();) {
                const std::uint64_t key = callKey(m_data.spans[*group]);
                const auto groupEnd = std::find_if(group, calls.end(),
                                                   [&](std::uint32_t c) { return callKey(m_data.spans[c]) != key; });
                if (static_cast<std::size_t>(groupEnd - group) >= m_options.minRepeatedCalls)
                    reportRepeatedCalls(p, {group, groupEnd});
                group = groupEnd;
            }
        }
    }

    void reportRepeatedCalls(const Span& parent, std::span<const std::uint32_t> calls)
    {
        const CallTiming timing = callTiming(m_data, calls);
        const bool sequential = ranInSequence(timing, m_options.maxSequentialOverlap);
        TimeNs critical = 0;
        for (std::uint32_t c : calls)
            critical += subtreeCriticalTime(c);
        const Span& call = m_data.spans[calls.front()];
        std::string callee(m_data.str(call.name));
        if (call.service != parent.service)
            callee += " on " + std::string(m_data.str(call.service));
        Finding f;
        f.kind = sequential ? FindingKind::NPlusOne : FindingKind::FanOut;
        f.message = std::string(m_data.str(parent.service)) + " calls " + callee + " " + std::to_string(calls.size()) +
                    "× " + (sequential ? "in sequence" : "in parallel") + " under " +
                    std::string(m_data.str(parent.name)) + ": " + formatDuration(timing.wall) + ", " +
                    criticalShareText(critical, m_criticalTotal);
        f.spans.assign(calls.begin(), calls.end());
        f.nanos = timing.wall;
        m_findings.push_back(std::move(f));
    }

    std::vector<ErrorChain> errorChains() const
    {
        std::vector<ErrorChain> chains;
        std::vector<std::uint32_t> chainOf(m_trace.count, kNoIndex);
        std::vector<std::uint8_t> hasFailingChild(m_trace.count, 0);
        for (std::uint32_t i = m_trace.first; i < m_trace.end_index(); ++i) {
            const Span& s = m_data.spans[i];
            if (s.status != StatusCode::Error)
                continue;
            std::uint32_t chain = s.parent == kNoIndex ? kNoIndex : chainOf[s.parent - m_trace.first];
            if (chain == kNoIndex) {
                chain = static_cast<std::uint32_t>(chains.size());
                chains.emplace_back();
            } else {
                hasFailingChild[s.parent - m_trace.first] = 1;
            }
            chainOf[i - m_trace.first] = chain;
            chains[chain].spans.push_back(i);
        }
        for (ErrorChain& chain : chains) {
            for (std::uint32_t i : chain.spans) {
                if (hasFailingChild[i - m_trace.first])
                    continue;
                if (chain.originCount++ == 0)
                    chain.firstOrigin = i;
            }
        }
        return chains;
    }

    void findErrors()
    {
        if (m_trace.errorCount == 0)
            return;
        for (ErrorChain& chain : errorChains()) {
            const Span& origin = m_data.spans[chain.firstOrigin];
            const Span& top = m_data.spans[chain.spans.front()];
            Finding f;
            f.kind = FindingKind::Error;
            f.message = label(m_data, origin) + " failed";
            if (origin.statusMessage != 0)
                f.message += ": " + firstLine(m_data.str(origin.statusMessage));
            if (chain.originCount > 1)
                f.message += " (and " + std::to_string(chain.originCount - 1) + " more)";
            if (chain.spans.size() > 1)
                f.message += "; propagated up to " + label(m_data, top) + " (" + std::to_string(chain.spans.size()) +
                             " failing spans)";
            f.nanos = top.duration();
            f.spans = std::move(chain.spans);
            m_findings.push_back(std::move(f));
        }
    }

    void findGaps()
    {
        const TimeNs threshold = std::max(
            m_options.minGapNanos, static_cast<TimeNs>(m_options.minGapShare * static_cast<double>(m_criticalTotal)));
        for (const CriticalSegment& segment : m_path) {
            const Span& s = m_data.spans[segment.span];
            const bool hasChildren = segment.span + 1 < s.subtreeEnd;
            if (!hasChildren || segment.length() < threshold)
                continue;
            Finding f;
            f.kind = FindingKind::Gap;
            f.message = label(m_data, s) + " spends " + formatDuration(segment.length()) + " on its own " +
                        gapPlace(segment, s) + ", " + criticalShareText(segment.length(), m_criticalTotal);
            f.spans = {segment.span};
            f.nanos = segment.length();
            m_findings.push_back(std::move(f));
        }
    }

    static const char* gapPlace(const CriticalSegment& segment, const Span& s)
    {
        const bool atStart = segment.start <= s.start;
        const bool atEnd = segment.end >= s.end;
        if (atStart && atEnd)
            return "with no child call covering it";
        if (atStart)
            return "before its first child call";
        return atEnd ? "after its last child call" : "between child calls";
    }

    const Dataset& m_data;
    const Trace& m_trace;
    std::span<const CriticalSegment> m_path;
    const FindingOptions& m_options;
    std::vector<TimeNs> m_criticalPrefix; // by span index minus trace.first
    TimeNs m_criticalTotal = 0;
    std::vector<Finding> m_findings;
};

} // namespace

const char* toString(FindingKind kind)
{
    switch (kind) {
    case FindingKind::NPlusOne:
        return "n-plus-one";
    case FindingKind::FanOut:
        return "fan-out";
    case FindingKind::Error:
        return "error";
    case FindingKind::Gap:
        return "gap";
    }
    return "unknown";
}

std::vector<Finding> findFindings(const Dataset& data, const Trace& trace,
                                  std::span<const CriticalSegment> criticalPath, const FindingOptions& options)
{
    return TraceFindings(data, trace, criticalPath, options).run();
}

} // namespace spanwise
