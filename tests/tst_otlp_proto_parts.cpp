// The OTLP protobuf importer reading in parts (cut at span boundaries, read on several threads): the
// dataset and the report are exactly those of one pass over the input, down to string ids, ranges,
// resource and scope indexes, warnings and diagnostics, whatever the shape of the messages.
#include "otlp_trace.pb.h"

#include <test_support.h>

#include <otlp_proto_importer.h>
#include <same_model.h>

#include <QFile>
#include <QTest>

using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr std::uint64_t kStart = 1767225600000000000ull; // 2026-01-01
constexpr std::uint64_t kOnePass = 0;
constexpr std::uint64_t kEverySpan = 1; // a part before every span but the first

std::string bigEndian(std::uint64_t value, int bytes)
{
    std::string out(static_cast<std::size_t>(bytes), '\0');
    for (int i = bytes - 1; i >= 0; --i, value >>= 8)
        out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    return out;
}

void setString(otlp::KeyValue& kv, const std::string& key, const std::string& value)
{
    kv.set_key(key);
    kv.mutable_value()->set_string_value(value);
}

// Spans of a few traces, with what adds strings, attributes, events, links, span warnings and
// skipped spans: a span whose number n % 7 == 3 has no trace id, one with n % 11 == 5 an undefined kind.
void addSpans(otlp::ScopeSpans& scopeSpans, int first, int count)
{
    for (int n = first; n < first + count; ++n) {
        otlp::Span& span = *scopeSpans.add_spans();
        if (n % 7 != 3)
            span.set_trace_id(bigEndian(0x5759e988bd862e3full, 8) + bigEndian(std::uint64_t(1 + n % 4), 8));
        span.set_span_id(bigEndian(std::uint64_t(100 + n), 8));
        if (n % 5)
            span.set_parent_span_id(bigEndian(std::uint64_t(100 + n - n % 5), 8));
        span.set_name("op-" + std::to_string(n % 6));
        span.set_kind(static_cast<otlp::Span_SpanKind>(n % 11 == 5 ? 9 : n % 5));
        span.set_start_time_unix_nano(kStart + std::uint64_t(n) * 1000);
        span.set_end_time_unix_nano(kStart + std::uint64_t(n) * 1000 + 5000);
        setString(*span.add_attributes(), "key-" + std::to_string(n % 3), "value-" + std::to_string(n));
        otlp::KeyValue& list = *span.add_attributes();
        list.set_key("list");
        list.mutable_value()->mutable_array_value()->add_values()->set_int_value(n);
        list.mutable_value()->mutable_array_value()->add_values()->set_string_value("element-" + std::to_string(n));
        otlp::Span_Event& event = *span.add_events();
        event.set_name("event-" + std::to_string(n % 4));
        event.set_time_unix_nano(kStart + std::uint64_t(n) * 1000 + 10);
        setString(*event.add_attributes(), "detail", "d-" + std::to_string(n));
        if (n % 4 == 1) {
            otlp::Span_Link& link = *span.add_links();
            link.set_trace_id(bigEndian(7, 8) + bigEndian(std::uint64_t(n), 8));
            link.set_span_id(bigEndian(std::uint64_t(n + 1), 8));
        }
        if (n % 9 == 2)
            span.set_dropped_events_count(3);
        span.mutable_status()->set_code(n % 8 == 0 ? otlp::Status_StatusCode_STATUS_CODE_ERROR
                                                   : otlp::Status_StatusCode_STATUS_CODE_OK);
    }
}

otlp::ResourceSpans resourceSpans(const std::string& service, int first, int scopes, int spansPerScope)
{
    otlp::ResourceSpans rs;
    setString(*rs.mutable_resource()->add_attributes(), "host.name", "host-" + service);
    setString(*rs.mutable_resource()->add_attributes(), "service.name", service);
    for (int s = 0; s < scopes; ++s) {
        otlp::ScopeSpans& ss = *rs.add_scope_spans();
        if (s % 2 == 0) {
            ss.mutable_scope()->set_name("lib-" + std::to_string(s));
            ss.mutable_scope()->set_version("1." + std::to_string(s));
            setString(*ss.mutable_scope()->add_attributes(), "scope.attr", service + "-" + std::to_string(s));
        }
        addSpans(ss, first + s * spansPerScope, spansPerScope);
    }
    return rs;
}

// Hand-written wire format, for shapes the generated classes do not write.
std::string varint(std::uint64_t value)
{
    std::string out;
    for (; value >= 0x80; value >>= 7)
        out += static_cast<char>((value & 0x7f) | 0x80);
    out += static_cast<char>(value);
    return out;
}

std::string bytesField(std::uint32_t field, const std::string& payload)
{
    return varint(std::uint64_t(field) << 3 | 2) + varint(payload.size()) + payload;
}

std::string framed(const std::string& message)
{
    return bigEndian(message.size(), 4) + message;
}

std::string severalResources()
{
    otlp::TracesData data;
    *data.add_resource_spans() = resourceSpans("alpha", 0, 3, 12);
    *data.add_resource_spans() = resourceSpans("beta", 100, 1, 25);
    *data.add_resource_spans() = resourceSpans("gamma", 200, 2, 9);
    return data.SerializeAsString();
}

// ResourceSpans { scope_spans, resource, scope_spans, resource }: protobuf keeps the last resource,
// which the spans before it are under; likewise a ScopeSpans with its scope after its spans.
std::string resourceAfterSpans()
{
    const otlp::ResourceSpans first = resourceSpans("first", 0, 1, 10);
    const otlp::ResourceSpans last = resourceSpans("last", 50, 1, 10);
    otlp::ScopeSpans scopeLast;
    addSpans(scopeLast, 80, 10);
    otlp::InstrumentationScope scope;
    scope.set_name("scope-after-spans");
    const std::string scopeSpans = scopeLast.SerializeAsString() + bytesField(1, scope.SerializeAsString());
    const std::string message = bytesField(2, first.scope_spans(0).SerializeAsString()) +
                                bytesField(1, first.resource().SerializeAsString()) + bytesField(2, scopeSpans) +
                                bytesField(1, last.resource().SerializeAsString());
    return bytesField(1, message) + bytesField(1, resourceSpans("next", 300, 2, 6).SerializeAsString());
}

// Empty ScopeSpans, a ResourceSpans without any, an empty ResourceSpans, a resource with no
// service.name, between ones with spans.
std::string emptyShapes()
{
    otlp::TracesData data;
    *data.add_resource_spans() = resourceSpans("alpha", 0, 2, 8);
    otlp::ResourceSpans& noSpans = *data.add_resource_spans();
    setString(*noSpans.mutable_resource()->add_attributes(), "service.name", "idle");
    noSpans.add_scope_spans()->mutable_scope()->set_name("empty-scope");
    noSpans.add_scope_spans();
    otlp::ResourceSpans& noScopes = *data.add_resource_spans();
    setString(*noScopes.mutable_resource()->add_attributes(), "service.name", "no-scopes");
    data.add_resource_spans();
    otlp::ResourceSpans& anonymous = *data.add_resource_spans() = resourceSpans("x", 40, 3, 5);
    anonymous.mutable_resource()->clear_attributes();
    anonymous.mutable_scope_spans(1)->add_spans();
    return data.SerializeAsString();
}

// instrumentation_library_spans (field 1000) of opentelemetry-proto before 0.15.
std::string legacyScopeSpans()
{
    const otlp::ResourceSpans rs = resourceSpans("legacy", 0, 3, 7);
    std::string message = bytesField(1, rs.resource().SerializeAsString());
    for (const otlp::ScopeSpans& ss : rs.scope_spans())
        message += bytesField(1000, ss.SerializeAsString());
    return bytesField(1, message);
}

// A resource and a scope whose attributes are broken: each is reported once, by the part adding it,
// and the parts continuing them see them alike (unknown_service, no scope).
std::string brokenResourceAndScope()
{
    otlp::ResourceSpans rs = resourceSpans("broken", 0, 2, 10);
    const std::string badAttribute = bytesField(1, varint(std::uint64_t(1) << 3 | 0) + varint(5));
    const std::string resource = rs.resource().SerializeAsString() + bytesField(1, badAttribute);
    const std::string scope = rs.scope_spans(0).scope().SerializeAsString() + bytesField(3, badAttribute);
    rs.mutable_scope_spans(0)->clear_scope();
    rs.clear_resource();
    const std::string message = bytesField(1, resource) +
                                bytesField(2, rs.scope_spans(0).SerializeAsString() + bytesField(1, scope)) +
                                bytesField(2, rs.scope_spans(1).SerializeAsString());
    return bytesField(1, message);
}

// Spans among which one holds a field of wire type 7, which does not exist: in a span (skipped), or
// between spans in their ScopeSpans (the rest of it is left out).
std::string withCorruptScopeSpans(bool betweenSpans)
{
    otlp::ScopeSpans before;
    addSpans(before, 0, 10);
    otlp::ScopeSpans after;
    addSpans(after, 10, 10);
    const std::string invalidField = varint(std::uint64_t(1) << 3 | 7);
    const std::string corrupt = betweenSpans ? invalidField : bytesField(2, invalidField);
    const std::string scopeSpans = before.SerializeAsString() + corrupt + after.SerializeAsString();
    return severalResources() + bytesField(1, bytesField(2, scopeSpans)) + severalResources();
}

std::string frames()
{
    otlp::TracesData a;
    *a.add_resource_spans() = resourceSpans("alpha", 0, 2, 10);
    otlp::TracesData b;
    *b.add_resource_spans() = resourceSpans("alpha", 20, 1, 10);
    *b.add_resource_spans() = resourceSpans("beta", 40, 2, 4);
    return framed(a.SerializeAsString()) + framed({}) + framed(b.SerializeAsString());
}

struct Read {
    Dataset dataset;
    ImportReport report;
    std::size_t parts = 0; // as onPartProgress saw them: 0 when read in one pass
};

Read read(const std::string& bytes, std::uint64_t partBytes, unsigned threads)
{
    const std::string padded = bytes + std::string(kInputPadding, '\0');
    DatasetBuilder builder;
    Read result;
    result.report.onPartProgress = [&result](std::uint64_t, std::uint64_t, std::uint64_t) {
        ++result.parts;
        return true;
    };
    readOtlpProto(Input{padded.data(), bytes.size(), threads}, builder, result.report, partBytes);
    result.dataset = builder.finish({.threads = 1});
    return result;
}

// b is a's twin down to the layout of every array and the numbering of every string.
void verifySameRead(const Read& a, const Read& b)
{
    verifySameModel(a.dataset, b.dataset);
    verifySameReport(a.report, b.report);
}

QByteArray bytesOf(const std::string& s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

std::string fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = file.readAll();
    return {all.constData(), static_cast<std::size_t>(all.size())};
}

} // namespace

class TestOtlpProtoParts : public QObject {
    Q_OBJECT

private slots:
    void sameAsOnePass_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("damaged");
        QTest::newRow("several resources") << bytesOf(severalResources()) << false;
        QTest::newRow("resource after spans") << bytesOf(resourceAfterSpans()) << false;
        QTest::newRow("empty scopes and resources") << bytesOf(emptyShapes()) << false;
        QTest::newRow("legacy instrumentation_library_spans") << bytesOf(legacyScopeSpans()) << false;
        QTest::newRow("broken resource and scope") << bytesOf(brokenResourceAndScope()) << false;
        QTest::newRow("concatenated TracesData") << bytesOf(severalResources() + emptyShapes()) << false;
        QTest::newRow("length-prefixed frames") << bytesOf(frames()) << false;
        const std::string whole = severalResources();
        QTest::newRow("truncated") << bytesOf(whole.substr(0, whole.size() * 2 / 3)) << true;
        QTest::newRow("corrupt span") << bytesOf(withCorruptScopeSpans(false)) << false;
        QTest::newRow("corrupt ScopeSpans") << bytesOf(withCorruptScopeSpans(true)) << true;
        const std::string framedWhole = frames();
        QTest::newRow("truncated frames") << bytesOf(framedWhole.substr(0, framedWhole.size() - 40)) << true;
    }

    void sameAsOnePass()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, damaged);
        const std::string bytes(input.constData(), static_cast<std::size_t>(input.size()));
        const Read onePass = read(bytes, kOnePass, 1);
        QCOMPARE(onePass.parts, std::size_t(0));
        QVERIFY(!onePass.dataset.spans.empty());
        if (damaged)
            QVERIFY(onePass.report.inputErrors > 0);
        for (const std::uint64_t partBytes : {kEverySpan, std::uint64_t(700)}) {
            for (const unsigned threads : {1u, 3u}) {
                const Read parted = read(bytes, partBytes, threads);
                // Damaged input is read in one pass, which reports the damage.
                QCOMPARE(parted.parts > 1, !damaged);
                verifySameRead(onePass, parted);
                if (QTest::currentTestFailed())
                    QFAIL(qPrintable(
                        QStringLiteral("differs in parts of %1 bytes on %2 threads").arg(partBytes).arg(threads)));
            }
        }
    }

    // The whole importer on a generated file: parts of the importer's size and smaller ones.
    void generatedFile()
    {
        const QString path = generatedTrace(
            QStringLiteral("otlp-proto"), 6000,
            {QStringLiteral("--traces"), QStringLiteral("40"), QStringLiteral("--seed"), QStringLiteral("3")});
        QVERIFY(!path.isEmpty());
        const std::string bytes = fileBytes(path);
        QVERIFY(!bytes.empty());
        const Read onePass = read(bytes, kOnePass, 1);
        QCOMPARE(onePass.dataset.spans.size(), std::size_t(6000));
        for (const std::uint64_t partBytes : {std::uint64_t(4096), std::uint64_t(64 * 1024)}) {
            const Read parted = read(bytes, partBytes, 2);
            QVERIFY(parted.parts > 2);
            verifySameRead(onePass, parted);
        }
    }
};

QTEST_GUILESS_MAIN(TestOtlpProtoParts)
#include "tst_otlp_proto_parts.moc"
