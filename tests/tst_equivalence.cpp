// One gen_trace.py seed written in every format loads into the same model.
#include <test_support.h>

#include <invariants.h>

#include <QTest>

#include <algorithm>
#include <cctype>
#include <set>

using namespace spanwise;

namespace {

// Attributes some formats add to carry what others have fields for (kind, status, endpoints, the
// Datadog resource and type, the X-Ray trace id as written).
bool carriesAField(std::string_view key)
{
    static const std::set<std::string_view> keys = {
        "span.kind",     "error",       "error.message",     "otel.status_code", "otel.status_description",
        "peer.service",  "net.peer.ip", "net.peer.ipv6",     "net.peer.port",    "net.peer.name.remote",
        "resource.name", "span.type",   "aws.xray.trace_id", "origin",           "namespace"};
    return keys.count(key) > 0;
}

// X-Ray writes HTTP details as its http object and has no log events other than exceptions.
bool xrayHttp(std::string_view key)
{
    return key.starts_with("http.");
}

std::size_t exceptionEventCount(const Dataset& d, const Span& s)
{
    std::size_t n = 0;
    for (std::uint32_t i = s.events.first; i < s.events.end(); ++i)
        n += d.str(d.events[i].name) == "exception";
    return n;
}

std::size_t userAttributeCount(const Dataset& d, const Span& s, bool xray)
{
    std::size_t n = 0;
    for (std::uint32_t i = s.attributes.first; i < s.attributes.end(); ++i) {
        const std::string_view key = d.str(d.attributes[i].key);
        n += !carriesAField(key) && !(xray && xrayHttp(key));
    }
    return n;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

} // namespace

class TestEquivalence : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameModel_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("skew");
        for (const char* format : {"zipkin", "otlp-json", "otlp-jsonl", "otlp-proto", "xray", "datadog"}) {
            QTest::addRow("%s", format) << QString::fromLatin1(format) << false;
            QTest::addRow("%s, skewed clock adjusted", format) << QString::fromLatin1(format) << true;
        }
    }
    void sameSeedSameModel()
    {
        QFETCH(QString, format);
        QFETCH(bool, skew);
        QStringList args = {QStringLiteral("--traces"), QStringLiteral("3"), QStringLiteral("--seed"),
                            QStringLiteral("5")};
        if (skew)
            args += {QStringLiteral("--skew-us"), QStringLiteral("25000")};
        const LoadResult reference = test::load(test::generatedTrace(QStringLiteral("jaeger"), 2000, args));
        const LoadResult other = test::load(test::generatedTrace(format, 2000, args));
        const Dataset& a = reference.dataset;
        const Dataset& b = other.dataset;
        const bool xray = format == QLatin1String("xray");
        QCOMPARE(findInvariantViolation(b), std::string());
        QCOMPARE(b.traces.size(), a.traces.size());
        QCOMPARE(b.spans.size(), a.spans.size());
        for (std::size_t t = 0; t < a.traces.size(); ++t) {
            const Trace* match = b.findTrace(a.traces[t].id);
            QVERIFY(match);
            QCOMPARE(match->count, a.traces[t].count);
            QCOMPARE(match->start, a.traces[t].start);
            QCOMPARE(match->end, a.traces[t].end);
            QCOMPARE(match->errorCount, a.traces[t].errorCount);
            QCOMPARE(match->skewAdjustedCount, a.traces[t].skewAdjustedCount);
            QCOMPARE(b.services(*match), a.services(a.traces[t]));
            // Same times and ids give the same depth-first layout, span for span.
            for (std::uint32_t i = 0; i < match->count; ++i) {
                const Span& x = a.spans[a.traces[t].first + i];
                const Span& y = b.spans[match->first + i];
                const QByteArray where = "span " + QByteArray::fromStdString(toHex(x.id));
                QVERIFY2(y.id == x.id, where);
                QVERIFY2(y.parentId == x.parentId, where);
                QVERIFY2(y.parent - match->first == x.parent - a.traces[t].first, where);
                QVERIFY2(y.start == x.start && y.end == x.end, where);
                QVERIFY2(y.skewDelta == x.skewDelta, where);
                QVERIFY2(lower(b.str(y.name)) == lower(a.str(x.name)), where); // Zipkin lower-cases names
                QVERIFY2(b.str(y.service) == a.str(x.service), where);
                QVERIFY2(y.status == x.status, where);
                if (xray)
                    QVERIFY2(exceptionEventCount(b, y) == exceptionEventCount(a, x), where);
                else
                    QVERIFY2(y.events.count == x.events.count, where);
                QVERIFY2(userAttributeCount(b, y, xray) == userAttributeCount(a, x, xray), where);
                if (x.kind != SpanKind::Internal && y.kind != SpanKind::Internal) // Zipkin has no internal kind
                    QVERIFY2(y.kind == x.kind, where);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestEquivalence)
#include "tst_equivalence.moc"
