// Zipkin v1 → v2, after the rules of Zipkin's V1SpanConverter: a v1 span holds the annotations of
// every host that took part in one RPC; each local endpoint (by service name) becomes a v2 span,
// the server side of a client/server pair a shared span with the same id.

#include "zipkin_spans.h"

#include <algorithm>

namespace spanwise::zipkin {

namespace {

// Zipkin treats 0 as "not written" for v1 timestamps and durations.
std::optional<TimeNs> known(const std::optional<TimeNs>& value)
{
    return value && *value != 0 ? value : std::nullopt;
}

std::optional<TimeNs> between(const Annotation& begin, const Annotation& end)
{
    TimeNs duration = 0;
    if (__builtin_sub_overflow(end.time, begin.time, &duration))
        return std::nullopt;
    return duration;
}

bool sameService(const Endpoint& a, const Endpoint& b)
{
    return a.service == b.service;
}

// A span whose recorded end is this annotation, though its start annotation is missing.
bool endsWith(const RawSpan& span, const Annotation* end)
{
    const auto timestamp = known(span.v2.timestamp);
    const auto duration = known(span.v2.duration);
    TimeNs spanEnd = 0;
    return end && timestamp && duration && !__builtin_add_overflow(*timestamp, *duration, &spanEnd) &&
           spanEnd == end->time;
}

} // namespace

std::span<SpanPart> V1Converter::convert(const RawSpan& span)
{
    m_count = 0;
    m_cs = m_sr = m_ss = m_cr = m_ms = m_mr = m_ws = m_wr = nullptr;
    newPart(Endpoint{});
    collectAnnotations(span);
    deriveMissingStarts(span);
    applyRpcTimes(span);
    applyMessagingTimes(span);
    applyBinaryAnnotations(span);
    return {m_parts.data(), m_count};
}

std::size_t V1Converter::newPart(const Endpoint& endpoint)
{
    if (m_count == m_parts.size())
        m_parts.emplace_back();
    SpanPart& part = m_parts[m_count];
    part.clear();
    part.local = endpoint;
    return m_count++;
}

// The part recording what this endpoint did; data without an endpoint goes to the first part.
std::size_t V1Converter::forEndpoint(const Endpoint* endpoint)
{
    if (!endpoint || endpoint->empty())
        return 0;
    for (std::size_t i = 0; i < m_count; ++i) {
        if (m_parts[i].local.empty()) {
            m_parts[i].local = *endpoint;
            return i;
        }
        if (sameService(m_parts[i].local, *endpoint))
            return i;
    }
    return newPart(*endpoint);
}

void V1Converter::collectAnnotations(const RawSpan& span)
{
    const Names& n = m_names;
    for (const Annotation& a : span.annotations) {
        const std::size_t index = forEndpoint(&a.endpoint);
        if (!a.endpoint.empty()) { // core annotations count only with an endpoint
            const struct {
                StringId value;
                const Annotation** slot;
                SpanKind kind;
            } core[] = {{n.cs, &m_cs, SpanKind::Client},      {n.sr, &m_sr, SpanKind::Server},
                        {n.ss, &m_ss, SpanKind::Server},      {n.cr, &m_cr, SpanKind::Client},
                        {n.ms, &m_ms, SpanKind::Producer},    {n.mr, &m_mr, SpanKind::Consumer},
                        {n.ws, &m_ws, SpanKind::Unspecified}, {n.wr, &m_wr, SpanKind::Unspecified}};
            const auto found = std::find_if(std::begin(core), std::end(core),
                                            [&](const auto& c) { return c.value == a.value; });
            if (found != std::end(core)) {
                *found->slot = &a;
                if (found->kind != SpanKind::Unspecified)
                    part(index).kind = found->kind;
                continue;
            }
        }
        part(index).events.push_back({a.time, a.value, {}});
    }
}

// Bridged from an event model, a span may lack its start annotation but record its start in
// its timestamp.
void V1Converter::deriveMissingStarts(const RawSpan& span)
{
    if (!m_cs && endsWith(span, m_cr)) {
        m_derivedCs = {*span.v2.timestamp, m_names.cs, m_cr->endpoint};
        m_cs = &m_derivedCs;
    }
    if (!m_sr && endsWith(span, m_ss)) {
        m_derivedSr = {*span.v2.timestamp, m_names.sr, m_ss->endpoint};
        m_sr = &m_derivedSr;
    }
}

// The span's own timestamp and duration, when both are written, else those of the annotations.
void V1Converter::timeFromSourceOr(const RawSpan& span, const Annotation& begin, const Annotation* end)
{
    SpanPart& p = part(forEndpoint(&begin.endpoint));
    if (known(span.v2.timestamp) && known(span.v2.duration)) {
        p.timestamp = span.v2.timestamp;
        p.duration = span.v2.duration;
        return;
    }
    p.timestamp = begin.time;
    if (end)
        p.duration = between(begin, *end);
}

void V1Converter::applyRpcTimes(const RawSpan& span)
{
    if (m_cs && m_sr) {
        // The client owns the span's timestamp and duration; the server's come from sr and ss.
        timeFromSourceOr(span, *m_cs, m_cr);
        const std::size_t client = forEndpoint(&m_cs->endpoint);
        std::size_t server = 0;
        if (sameService(m_cs->endpoint, m_sr->endpoint)) { // loopback: still two spans
            part(client).kind = SpanKind::Client;
            server = newPart(m_sr->endpoint);
            part(server).kind = SpanKind::Server;
        } else {
            server = forEndpoint(&m_sr->endpoint);
        }
        part(server).shared = true;
        part(server).timestamp = m_sr->time;
        if (m_ss)
            part(server).duration = between(*m_sr, *m_ss);
        if (!m_cr && !known(span.v2.duration))
            part(client).duration.reset(); // one-way: no response, so no duration
    } else if (m_cs && m_cr) {
        timeFromSourceOr(span, *m_cs, m_cr);
    } else if (m_sr && m_ss) {
        timeFromSourceOr(span, *m_sr, m_ss);
    } else {
        applyIncompleteRpc(span);
    }

    // v1 had no shared flag: a server side without the span's timestamp was the shared half.
    if (!m_cs && m_sr && (!known(span.v2.timestamp) || (m_ss && !known(span.v2.duration))))
        part(forEndpoint(&m_sr->endpoint)).shared = true;
}

// Only one side's start: it gives the timestamp, and the unmatched end stays an event.
void V1Converter::applyIncompleteRpc(const RawSpan& span)
{
    for (std::size_t i = 0; i < m_count; ++i) {
        SpanPart& p = part(i);
        const Annotation* start = p.kind == SpanKind::Client ? m_cs : p.kind == SpanKind::Server ? m_sr : nullptr;
        const Annotation* end = p.kind == SpanKind::Client ? m_cr : p.kind == SpanKind::Server ? m_ss : nullptr;
        if (start)
            p.timestamp = start->time;
        if (end)
            p.events.push_back({end->time, end->value, {}});
    }
    if (known(span.v2.timestamp)) {
        part(0).timestamp = span.v2.timestamp;
        part(0).duration = span.v2.duration;
    }
}

void V1Converter::applyMessagingTimes(const RawSpan& span)
{
    if (m_ms && m_mr) {
        const std::size_t producer = forEndpoint(&m_ms->endpoint);
        std::size_t consumer = 0;
        if (sameService(m_ms->endpoint, m_mr->endpoint)) {
            part(producer).kind = SpanKind::Producer;
            consumer = newPart(m_mr->endpoint);
            part(consumer).kind = SpanKind::Consumer;
        } else {
            consumer = forEndpoint(&m_mr->endpoint);
        }
        SpanPart& c = part(consumer);
        c.shared = true;
        c.timestamp = (m_wr ? m_wr : m_mr)->time;
        if (m_wr)
            c.duration = between(*m_wr, *m_mr);
        SpanPart& p = part(producer);
        p.timestamp = m_ms->time;
        p.duration = m_ws ? between(*m_ms, *m_ws) : std::nullopt;
    } else if (m_ms) {
        timeFromSourceOr(span, *m_ms, m_ws);
    } else if (m_mr) {
        timeFromSourceOr(span, m_wr ? *m_wr : *m_mr, m_wr ? m_mr : nullptr);
    } else {
        for (const Annotation* wire : {m_ws, m_wr}) {
            if (wire)
                part(forEndpoint(&wire->endpoint)).events.push_back({wire->time, wire->value, {}});
        }
    }
}

void V1Converter::applyBinaryAnnotations(const RawSpan& span)
{
    const Endpoint *ca = nullptr, *sa = nullptr, *ma = nullptr;
    for (const BinaryAnnotation& b : span.binaryAnnotations) {
        const bool address = b.value.type() == ValueType::Bool && b.value.boolean() && !b.endpoint.empty();
        if (address && (b.key == m_names.ca || b.key == m_names.sa || b.key == m_names.ma)) {
            (b.key == m_names.ca ? ca : b.key == m_names.sa ? sa : ma) = &b.endpoint;
            continue;
        }
        const std::size_t index = forEndpoint(&b.endpoint); // even a marker tells whose span it is
        const bool emptyValue = b.value.type() == ValueType::String && b.value.stringId() == 0;
        if (b.key == m_names.lc && emptyValue)
            continue; // "lc" with no value only marks a local span
        part(index).tags.push_back({b.key, b.value});
    }
    applyAddresses(ca, sa, ma);
}

// ca, sa and ma give the remote endpoint of the server, client and messaging span.
void V1Converter::applyAddresses(const Endpoint* ca, const Endpoint* sa, const Endpoint* ma)
{
    if (!m_cs && !m_cr && !m_ss && !m_sr && (ca || sa)) {
        if (ca && sa) {
            part(forEndpoint(ca)).remote = *sa;
        } else if (sa) {
            part(0).remote = *sa;
        } else {
            part(0).kind = SpanKind::Server;
            part(0).remote = *ca;
        }
        return;
    }
    const Annotation* server = m_sr ? m_sr : m_ss;
    if (ca && server && !(*ca == server->endpoint)) {
        Endpoint client = *ca;
        if (sameService(client, server->endpoint))
            client.service = 0; // Finagle names the client socket after the server: not a peer service
        part(forEndpoint(&server->endpoint)).remote = client;
    }
    if (const Annotation* clientSide = m_cs ? m_cs : m_cr; sa && clientSide)
        part(forEndpoint(&clientSide->endpoint)).remote = *sa;
    if (ma) {
        for (const Annotation* side : {m_ms, m_mr}) {
            if (side)
                part(forEndpoint(&side->endpoint)).remote = *ma;
        }
    }
}

} // namespace spanwise::zipkin
