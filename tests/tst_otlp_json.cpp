#include <test_support.h>

#include <importer.h>

#include <QFile>
#include <QTest>

#include <cmath>
#include <map>
#include <string>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr SpanId kSpanId = 0xeee19b7ec3c1b174;

// A TracesData holding one span of service "svc"; members are added to (or override) the span's
// required ones.
QByteArray oneSpan(const QByteArray& members)
{
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
           R"("scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",)"
           R"("spanId":"eee19b7ec3c1b174","name":"op","startTimeUnixNano":"1000","endTimeUnixNano":"2000")" +
           (members.isEmpty() ? QByteArray() : "," + members) + "}]}]}]}";
}

// A span with only the required members (trace 1) and extra ones.
QByteArray minimalSpan(int spanId, const QByteArray& extra = {})
{
    return R"({"traceId":"00000000000000000000000000000001","spanId":")" +
           QByteArray::number(spanId).rightJustified(16, '0') + R"(","startTimeUnixNano":"1")" + extra + "}";
}

QByteArray inSpans(const QByteArray& spans)
{
    return R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + spans;
}

LoadResult loadJson(const QByteArray& json, bool allowErrors = false)
{
    return loadText(std::string_view(json.constData(), json.size()), allowErrors);
}

const Span& onlySpan(const LoadResult& result)
{
    static const Span none;
    if (result.dataset.spans.size() != 1) {
        QTest::qFail("expected exactly one span", __FILE__, __LINE__);
        return none;
    }
    return result.dataset.spans.front();
}

std::string hexBytes(std::string_view bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// A value as text, to compare whole nested values in one row: "s:x", "i:1", "d:0.5", "b:true",
// "x:<hex bytes>", "[...]", "{key=...}", "empty".
std::string render(const Dataset& d, const Value& v)
{
    const auto list = [&](Range r, bool keyed) {
        std::string out;
        for (std::uint32_t i = r.first; i < r.end(); ++i) {
            out += i == r.first ? "" : ",";
            if (keyed)
                out += std::string(d.str(d.attributes[i].key)) + "=";
            out += render(d, d.attributes[i].value);
        }
        return out;
    };
    switch (v.type()) {
    case ValueType::Empty:
        return "empty";
    case ValueType::String:
        return "s:" + std::string(d.str(v.stringId()));
    case ValueType::Int:
        return "i:" + std::to_string(v.integer());
    case ValueType::Double:
        if (std::isnan(v.real()))
            return "d:nan";
        if (std::isinf(v.real()))
            return v.real() > 0 ? "d:inf" : "d:-inf";
        return "d:" + QByteArray::number(v.real(), 'g', 17).toStdString();
    case ValueType::Bool:
        return v.boolean() ? "b:true" : "b:false";
    case ValueType::Bytes:
        return "x:" + hexBytes(d.str(v.stringId()));
    case ValueType::Array:
        return "[" + list(v.range(), false) + "]";
    case ValueType::KeyValueList:
        return "{" + list(v.range(), true) + "}";
    }
    return "?";
}

std::string attributeText(const LoadResult& result, std::string_view key)
{
    return render(result.dataset, attribute(result.dataset, onlySpan(result), key));
}

bool hasDiagnostic(const LoadResult& result, const QString& text, std::uint64_t line = 0)
{
    for (const Diagnostic& d : result.report.diagnostics) {
        if (QString::fromStdString(d.message).contains(text) && (line == 0 || d.line == line))
            return true;
    }
    return false;
}

QString diagnostics(const LoadResult& result)
{
    QString text;
    for (const Diagnostic& d : result.report.diagnostics)
        text += QStringLiteral("[line %1, offset %2] %3\n")
                    .arg(d.line)
                    .arg(d.offset)
                    .arg(QString::fromStdString(d.message));
    return text;
}

bool hasSpanWarning(const Dataset& d, const QString& text)
{
    for (const Trace& t : d.traces) {
        for (const SpanWarning& w : t.spanWarnings) {
            if (QString::fromStdString(w.text).contains(text))
                return true;
        }
    }
    return false;
}

// What a span says, independent of where the dataset placed it.
using SpanSummary = std::tuple<std::string, SpanId, std::string, std::string, TimeNs, TimeNs, int, int, std::uint32_t,
                               std::uint32_t, std::uint32_t>;

std::map<SpanId, SpanSummary> summarize(const Dataset& d)
{
    std::map<SpanId, SpanSummary> out;
    for (const Trace& t : d.traces) {
        for (std::uint32_t i = t.first; i < t.end_index(); ++i) {
            const Span& s = d.spans[i];
            out[s.id] = {toHex(t.id),
                         s.parentId,
                         std::string(d.str(s.name)),
                         std::string(d.str(s.service)),
                         s.start - s.skewDelta,
                         s.end - s.skewDelta,
                         int(s.kind),
                         int(s.status),
                         s.attributes.count,
                         s.events.count,
                         s.links.count};
        }
    }
    return out;
}

} // namespace

class Test_otlp_json : public QObject {
    Q_OBJECT
private slots:
    // OpenTracing's FOLLOWS_FROM reaches OTLP as a link to the parent (marked by the OpenTracing
    // shim's opentracing.ref_type): such a child is asynchronous, as in Jaeger.
    void linkToTheParentMakesAChildAsynchronous_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<bool>("async");
        const QString toParent = QStringLiteral(
            "{'traceId':'0102030405060708090a0b0c0d0e0f10','spanId':'00000000000000aa'%1}");
        QTest::newRow("unmarked") << toParent.arg(QString()) << true;
        QTest::newRow("follows_from")
            << toParent.arg(QStringLiteral(
                   ",'attributes':[{'key':'opentracing.ref_type','value':{'stringValue':'follows_from'}}]"))
            << true;
        QTest::newRow("child_of")
            << toParent.arg(
                   QStringLiteral(",'attributes':[{'key':'opentracing.ref_type','value':{'stringValue':'child_of'}}]"))
            << false;
        QTest::newRow("another span")
            << QStringLiteral("{'traceId':'0102030405060708090a0b0c0d0e0f10','spanId':'00000000000000cc'}") << false;
        QTest::newRow("another trace")
            << QStringLiteral("{'traceId':'0102030405060708090a0b0c0d0e0f11','spanId':'00000000000000aa'}") << false;
    }
    void linkToTheParentMakesAChildAsynchronous()
    {
        QFETCH(QString, link);
        QFETCH(bool, async);
        const QString span = QStringLiteral("{'traceId':'0102030405060708090a0b0c0d0e0f10','spanId':'%1','name':'n',"
                                            "'startTimeUnixNano':'1000','endTimeUnixNano':'2000'%2}");
        QString text = QStringLiteral("{'resourceSpans':[{'scopeSpans':[{'spans':[%1,%2]}]}]}")
                           .arg(span.arg(QStringLiteral("00000000000000aa"), QString()),
                                span.arg(QStringLiteral("00000000000000bb"),
                                         QStringLiteral(",'parentSpanId':'00000000000000aa','links':[%1]").arg(link)));
        text.replace(QLatin1Char('\''), QLatin1Char('"'));
        const LoadResult r = loadText(text.toStdString(), false);
        const Span* child = findSpan(r.dataset, 0xbb);
        QVERIFY(child);
        QCOMPARE(child->has(MarkFollowsFrom), async);
    }

    void spanFields_data();
    void spanFields();
    void attributeValues_data();
    void attributeValues();
    void ids_data();
    void ids();
    void enums_data();
    void enums();
    void times_data();
    void times();
    void spanWithoutTimesSitsAtItsParentsStart();
    void eventsAndLinks();
    void resourceAndScope_data();
    void resourceAndScope();
    void containers_data();
    void containers();
    void jsonLines();
    void byteOrderMark();
    void realSample();
    void realFiles_data();
    void realFiles();
    void generated_data();
    void generated();
    void jsonLinesMatchOneObject();
    void badInput_data();
    void badInput();
    void everyTruncation_data();
    void everyTruncation();
    void sniff_data();
    void sniff();
};

void Test_otlp_json::spanFields_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("name") << QByteArray(R"("name":"GET /users")") << "name"
                          << "GET /users";
    QTest::newRow("name with escapes") << QByteArray(R"("name":"say \"hi\" \u00e9")") << "name"
                                       << "say \"hi\" é";
    QTest::newRow("traceState") << QByteArray(R"("traceState":"congo=t61rcWkgMzE")") << "traceState"
                                << "congo=t61rcWkgMzE";
    QTest::newRow("flags as number") << QByteArray(R"("flags":257)") << "flags"
                                     << "257";
    QTest::newRow("flags as string") << QByteArray(R"("flags":"1")") << "flags"
                                     << "1";
    QTest::newRow("status message") << QByteArray(R"("status":{"code":2,"message":"db down"})") << "statusMessage"
                                    << "db down";
    QTest::newRow("unknown members ignored") << QByteArray(R"("schemaUrl":"x","extra":{"a":[1,{"b":2}]})") << "name"
                                             << "op";
    QTest::newRow("null status") << QByteArray(R"("status":null)") << "status"
                                 << "0";
    QTest::newRow("dropped counts noted")
        << QByteArray(R"("droppedAttributesCount":3,"droppedEventsCount":"1")") << "warning"
        << "the SDK dropped 3 attributes, 1 event of this span";
}

void Test_otlp_json::spanFields()
{
    QFETCH(QByteArray, members);
    QFETCH(QString, field);
    QFETCH(QString, expected);

    const LoadResult result = loadJson(oneSpan(members));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Span& s = onlySpan(result);
    const Dataset& d = result.dataset;
    QString actual;
    if (field == "name"_L1)
        actual = QString::fromUtf8(d.str(s.name));
    else if (field == "traceState"_L1)
        actual = QString::fromUtf8(d.str(s.traceState));
    else if (field == "flags"_L1)
        actual = QString::number(s.flags);
    else if (field == "statusMessage"_L1)
        actual = QString::fromUtf8(d.str(s.statusMessage));
    else if (field == "status"_L1)
        actual = QString::number(int(s.status));
    else if (field == "warning"_L1)
        actual = QString::fromStdString(d.traces.front().spanWarnings.at(0).text);
    QCOMPARE(actual, expected);
}

void Test_otlp_json::attributeValues_data()
{
    QTest::addColumn<QByteArray>("anyValue");
    QTest::addColumn<QString>("expected");

    QTest::newRow("string") << QByteArray(R"({"stringValue":"GET"})") << "s:GET";
    QTest::newRow("bool") << QByteArray(R"({"boolValue":true})") << "b:true";
    QTest::newRow("int as string") << QByteArray(R"({"intValue":"-42"})") << "i:-42";
    QTest::newRow("int as number") << QByteArray(R"({"intValue":42})") << "i:42";
    QTest::newRow("int64 max as string, beyond doubles")
        << QByteArray(R"({"intValue":"9223372036854775807"})") << "i:9223372036854775807";
    QTest::newRow("int64 min as number") << QByteArray(R"({"intValue":-9223372036854775808})")
                                         << "i:-9223372036854775808";
    QTest::newRow("double") << QByteArray(R"({"doubleValue":0.5})") << "d:0.5";
    QTest::newRow("double written as integer") << QByteArray(R"({"doubleValue":3})") << "d:3";
    QTest::newRow("double NaN") << QByteArray(R"({"doubleValue":"NaN"})") << "d:nan";
    QTest::newRow("double Infinity") << QByteArray(R"({"doubleValue":"Infinity"})") << "d:inf";
    QTest::newRow("double -Infinity") << QByteArray(R"({"doubleValue":"-Infinity"})") << "d:-inf";
    QTest::newRow("bytes base64") << QByteArray(R"({"bytesValue":"AAH+/w=="})") << "x:0001feff";
    QTest::newRow("empty AnyValue") << QByteArray("{}") << "empty";
    QTest::newRow("array") << QByteArray(R"({"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"}]}})")
                           << "[s:a,i:1]";
    QTest::newRow("empty array") << QByteArray(R"({"arrayValue":{}})") << "[]";
    QTest::newRow("kvlist") << QByteArray(R"({"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}})")
                            << "{k=b:false}";
    QTest::newRow("nested array in kvlist in array")
        << QByteArray(R"({"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"inner","value":)"
                      R"({"arrayValue":{"values":[{"doubleValue":1.5},{"stringValue":"z"}]}}}]}},)"
                      R"({"boolValue":true}]}})")
        << "[{inner=[d:1.5,s:z]},b:true]";
    QTest::newRow("snake_case value keys")
        << QByteArray(R"({"kvlist_value":{"values":[{"key":"a","value":{"int_value":"7"}},)"
                      R"({"key":"b","value":{"array_value":{"values":[{"bytes_value":"AQ=="}]}}}]}})")
        << "{a=i:7,b=[x:01]}";
}

void Test_otlp_json::attributeValues()
{
    QFETCH(QByteArray, anyValue);
    QFETCH(QString, expected);

    const LoadResult result = loadJson(oneSpan(R"("attributes":[{"key":"v","value":)" + anyValue + "}]"));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    QCOMPARE(QString::fromStdString(attributeText(result, "v")), expected);
}

void Test_otlp_json::ids_data()
{
    QTest::addColumn<QByteArray>("ids");
    QTest::addColumn<QString>("traceId");
    QTest::addColumn<quint64>("spanId");
    QTest::addColumn<quint64>("parentId");
    QTest::addColumn<QString>("variant");

    QTest::newRow("lower-case hex") << QByteArray(R"("traceId":"0af7651916cd43dd8448eb211c80319c","spanId":)"
                                                  R"("b7ad6b7169203331","parentSpanId":"00f067aa0ba902b7")")
                                    << "0af7651916cd43dd8448eb211c80319c" << quint64(0xb7ad6b7169203331)
                                    << quint64(0x00f067aa0ba902b7) << "";
    QTest::newRow("upper-case hex") << QByteArray(R"("traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":)"
                                                  R"("B7AD6B7169203331")")
                                    << "0af7651916cd43dd8448eb211c80319c" << quint64(0xb7ad6b7169203331) << quint64(0)
                                    << "";
    QTest::newRow("64-bit trace id in 16 hex digits")
        << QByteArray(R"("traceId":"8448eb211c80319c")") << "00000000000000008448eb211c80319c" << quint64(kSpanId)
        << quint64(0) << "";
    QTest::newRow("base64 ids (Tempo)")
        << QByteArray(R"("traceId":"CvdlGRbNQ92ESOshHIAxnA==","spanId":"t61rcWkgMzE=","parentSpanId":"APBnqgupArc=")")
        << "0af7651916cd43dd8448eb211c80319c" << quint64(0xb7ad6b7169203331) << quint64(0x00f067aa0ba902b7) << "tempo";
    QTest::newRow("unpadded base64 ids") << QByteArray(R"("traceId":"CvdlGRbNQ92ESOshHIAxnA","spanId":"t61rcWkgMzE")")
                                         << "0af7651916cd43dd8448eb211c80319c" << quint64(0xb7ad6b7169203331)
                                         << quint64(0) << "tempo";
    QTest::newRow("hex that is also valid base64 stays hex")
        << QByteArray(R"("traceId":"abcdefabcdefabcdefabcdefabcdefab","spanId":"abcdefabcdefabcd")")
        << "abcdefabcdefabcdefabcdefabcdefab" << quint64(0xabcdefabcdefabcd) << quint64(0) << "";
    QTest::newRow("key names written with escapes")
        << QByteArray(R"("trace\u0049d":"0af7651916cd43dd8448eb211c80319c","parent\u0053panId":"00f067aa0ba902b7")")
        << "0af7651916cd43dd8448eb211c80319c" << quint64(kSpanId) << quint64(0x00f067aa0ba902b7) << "";
    QTest::newRow("empty parent is root") << QByteArray(R"("parentSpanId":"")") << "5b8efff798038103d269b633813fc60c"
                                          << quint64(kSpanId) << quint64(0) << "";
    QTest::newRow("all-zero parent is root")
        << QByteArray(R"("parentSpanId":"0000000000000000")") << "5b8efff798038103d269b633813fc60c" << quint64(kSpanId)
        << quint64(0) << "";
    QTest::newRow("all-zero base64 parent is root")
        << QByteArray(R"("parentSpanId":"AAAAAAAAAAA=")") << "5b8efff798038103d269b633813fc60c" << quint64(kSpanId)
        << quint64(0) << "tempo";
}

void Test_otlp_json::ids()
{
    QFETCH(QByteArray, ids);
    QFETCH(QString, traceId);
    QFETCH(quint64, spanId);
    QFETCH(quint64, parentId);
    QFETCH(QString, variant);

    const LoadResult result = loadJson(oneSpan(ids));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Span& s = onlySpan(result);
    QCOMPARE(QString::fromStdString(toHex(result.dataset.traces.front().id)), traceId);
    QCOMPARE(s.id, spanId);
    QCOMPARE(s.parentId, parentId);
    QCOMPARE(QString::fromStdString(result.report.variant), variant);
}

void Test_otlp_json::enums_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("warning");

    QTest::newRow("nothing written") << QByteArray() << int(SpanKind::Unspecified) << int(StatusCode::Unset) << "";
    QTest::newRow("kind 1 internal") << QByteArray(R"("kind":1)") << int(SpanKind::Internal) << 0 << "";
    QTest::newRow("kind 2 server") << QByteArray(R"("kind":2)") << int(SpanKind::Server) << 0 << "";
    QTest::newRow("kind 3 client") << QByteArray(R"("kind":3)") << int(SpanKind::Client) << 0 << "";
    QTest::newRow("kind 4 producer") << QByteArray(R"("kind":4)") << int(SpanKind::Producer) << 0 << "";
    QTest::newRow("kind 5 consumer") << QByteArray(R"("kind":5)") << int(SpanKind::Consumer) << 0 << "";
    QTest::newRow("kind SPAN_KIND_SERVER")
        << QByteArray(R"("kind":"SPAN_KIND_SERVER")") << int(SpanKind::Server) << 0 << "";
    QTest::newRow("kind SPAN_KIND_CONSUMER")
        << QByteArray(R"("kind":"SPAN_KIND_CONSUMER")") << int(SpanKind::Consumer) << 0 << "";
    QTest::newRow("kind SPAN_KIND_UNSPECIFIED")
        << QByteArray(R"("kind":"SPAN_KIND_UNSPECIFIED")") << int(SpanKind::Unspecified) << 0 << "";
    QTest::newRow("status 1 ok") << QByteArray(R"("status":{"code":1})") << 0 << int(StatusCode::Ok) << "";
    QTest::newRow("status 2 error") << QByteArray(R"("status":{"code":2})") << 0 << int(StatusCode::Error) << "";
    QTest::newRow("status STATUS_CODE_ERROR")
        << QByteArray(R"("status":{"code":"STATUS_CODE_ERROR"})") << 0 << int(StatusCode::Error) << "";
    QTest::newRow("status STATUS_CODE_OK")
        << QByteArray(R"("status":{"code":"STATUS_CODE_OK"})") << 0 << int(StatusCode::Ok) << "";
    QTest::newRow("unknown kind number kept with warning")
        << QByteArray(R"("kind":9)") << int(SpanKind::Unspecified) << 0 << "kind 9 is not defined by OTLP";
    QTest::newRow("unknown status name kept with warning")
        << QByteArray(R"("status":{"code":"STATUS_CODE_MAYBE"})") << 0 << int(StatusCode::Unset)
        << "status.code \"STATUS_CODE_MAYBE\" is not defined by OTLP";
}

void Test_otlp_json::enums()
{
    QFETCH(QByteArray, members);
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QString, warning);

    const LoadResult result = loadJson(oneSpan(members));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Span& s = onlySpan(result);
    QCOMPARE(int(s.kind), kind);
    QCOMPARE(int(s.status), status);
    if (warning.isEmpty())
        QVERIFY(result.dataset.traces.front().spanWarnings.empty());
    else
        QVERIFY(hasSpanWarning(result.dataset, warning));
}

void Test_otlp_json::times_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<int>("marks");

    QTest::newRow("strings") << QByteArray(R"("startTimeUnixNano":"1544712660123456789","endTimeUnixNano":)"
                                           R"("1544712661987654321")")
                             << qint64(1544712660123456789) << qint64(1544712661987654321) << 0;
    QTest::newRow("numbers beyond 2^53, exact") << QByteArray(R"("startTimeUnixNano":1544712660123456789,)"
                                                              R"("endTimeUnixNano":1544712660123456791)")
                                                << qint64(1544712660123456789) << qint64(1544712660123456791) << 0;
    QTest::newRow("snake_case keys") << QByteArray(R"("start_time_unix_nano":"5000","end_time_unix_nano":"7000")")
                                     << qint64(5000) << qint64(7000) << 0;
    QTest::newRow("no end: in progress") << QByteArray(R"("startTimeUnixNano":"5000","endTimeUnixNano":"0")")
                                         << qint64(5000) << qint64(5000) << int(MarkInProgress);
    QTest::newRow("end before start: zero length")
        << QByteArray(R"("startTimeUnixNano":"5000","endTimeUnixNano":"4000")") << qint64(5000) << qint64(5000)
        << int(MarkInvalidTime);
    QTest::newRow("no start (left out as zero): at its end, invalid")
        << QByteArray(R"("startTimeUnixNano":"0")") << qint64(2000) << qint64(2000) << int(MarkInvalidTime);
    QTest::newRow("latest representable end")
        << QByteArray(R"("endTimeUnixNano":"9223372036854775807")") << qint64(1000) << qint64(9223372036854775807) << 0;
}

void Test_otlp_json::times()
{
    QFETCH(QByteArray, members);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(int, marks);

    const LoadResult result = loadJson(oneSpan(members));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Span& s = onlySpan(result);
    QCOMPARE(s.start, start);
    QCOMPARE(s.end, end);
    QCOMPARE(s.marks & (MarkInProgress | MarkInvalidTime), marks);
}

// Both times left out (zero): the span is kept where its parent starts, with zero length.
void Test_otlp_json::spanWithoutTimesSitsAtItsParentsStart()
{
    const LoadResult result = loadJson(inSpans(minimalSpan(1, R"(,"endTimeUnixNano":"9")") + "," +
                                               R"({"traceId":"00000000000000000000000000000001",)"
                                               R"("spanId":"0000000000000002","parentSpanId":"0000000000000001"})" +
                                               "]}]}]}"));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Span* child = findSpan(result.dataset, 2);
    QVERIFY(child);
    QVERIFY(child->has(MarkNoTiming));
    QVERIFY(!child->has(MarkInvalidTime));
    QCOMPARE(child->start, TimeNs(1));
    QCOMPARE(child->end, TimeNs(1));
}

void Test_otlp_json::eventsAndLinks()
{
    const LoadResult result = loadJson(oneSpan(
        R"("events":[{"timeUnixNano":"1500","name":"retry","attributes":[{"key":"attempt","value":{"intValue":"2"}}]},)"
        R"({"name":"cache miss","timeUnixNano":1600}],)"
        R"("links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","traceState":"k=v",)"
        R"("attributes":[{"key":"link.kind","value":{"stringValue":"batch"}}],"flags":1}])"));
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Dataset& d = result.dataset;
    const Span& s = onlySpan(result);

    QCOMPARE(s.events.count, 2u);
    const Event& retry = d.events[s.events.first];
    QCOMPARE(retry.time, TimeNs(1500));
    QCOMPARE(d.str(retry.name), "retry");
    QCOMPARE(retry.attributes.count, 1u);
    QCOMPARE(d.str(d.attributes[retry.attributes.first].key), "attempt");
    QCOMPARE(d.attributes[retry.attributes.first].value.integer(), 2);
    const Event& miss = d.events[s.events.first + 1];
    QCOMPARE(miss.time, TimeNs(1600));
    QCOMPARE(d.str(miss.name), "cache miss");

    QCOMPARE(s.links.count, 1u);
    const Link& link = d.links[s.links.first];
    QCOMPARE(toHex(link.traceId), "0af7651916cd43dd8448eb211c80319c");
    QCOMPARE(link.spanId, SpanId(0xb7ad6b7169203331));
    QCOMPARE(int(link.type), int(LinkType::Link));
    QCOMPARE(d.str(link.traceState), "k=v");
    QCOMPARE(link.attributes.count, 1u);
    QCOMPARE(render(d, d.attributes[link.attributes.first].value), "s:batch");
}

void Test_otlp_json::resourceAndScope_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("scopeVersion");
    QTest::addColumn<int>("resourceAttributes");

    const QByteArray span = R"({"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",)"
                            R"("startTimeUnixNano":"1000","endTimeUnixNano":"2000"})";
    QTest::newRow("service.name and host.name")
        << QByteArray(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"host.name","value":{"stringValue":)"
                      R"("h1"}},{"key":"service.name","value":{"stringValue":"cart"}}]},"scopeSpans":[{"scope":)"
                      R"({"name":"otel.lib","version":"1.2","attributes":[{"key":"a","value":{"intValue":"1"}}]},)"
                      R"("spans":[)" +
                      span + "]}]}]}")
        << "cart"
        << "h1"
        << "otel.lib"
        << "1.2" << 2;
    QTest::newRow("no service.name: unknown_service")
        << QByteArray(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k8s.pod.name","value":{"stringValue":)"
                      R"("p"}}]},"scopeSpans":[{"spans":[)" +
                      span + "]}]}]}")
        << "unknown_service"
        << "unknown_service"
        << ""
        << "" << 1;
    QTest::newRow("no resource at all")
        << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"scope":{"name":"s"},"spans":[)" + span + "]}]}]}")
        << "unknown_service"
        << "unknown_service"
        << "s"
        << "" << 0;
    QTest::newRow("resource written after its spans")
        << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + span +
                      R"(],"scope":{"name":"late.scope","version":"3"}}],"resource":{"attributes":[{"key":)"
                      R"("service.name","value":{"stringValue":"late"}}]}}]})")
        << "late"
        << "late"
        << "late.scope"
        << "3" << 1;
    QTest::newRow("service.name not a string: unknown_service")
        << QByteArray(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"intValue":)"
                      R"("5"}}]},"scopeSpans":[{"spans":[)" +
                      span + "]}]}]}")
        << "unknown_service"
        << "unknown_service"
        << ""
        << "" << 1;
}

void Test_otlp_json::resourceAndScope()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, service);
    QFETCH(QString, host);
    QFETCH(QString, scope);
    QFETCH(QString, scopeVersion);
    QFETCH(int, resourceAttributes);

    const LoadResult result = loadJson(json);
    QVERIFY2(result.complete(), qPrintable(diagnostics(result)));
    const Dataset& d = result.dataset;
    const Span& s = onlySpan(result);
    QCOMPARE(QString::fromUtf8(d.str(s.service)), service);
    QVERIFY(s.resource != kNoIndex);
    const Resource& r = d.resources[s.resource];
    QCOMPARE(QString::fromUtf8(d.str(r.service)), service);
    QCOMPARE(QString::fromUtf8(d.str(r.host)), host);
    QCOMPARE(int(r.attributes.count), resourceAttributes);
    if (scope.isEmpty()) {
        QCOMPARE(s.scope, kNoIndex);
    } else {
        QVERIFY(s.scope != kNoIndex);
        QCOMPARE(QString::fromUtf8(d.str(d.scopes[s.scope].name)), scope);
        QCOMPARE(QString::fromUtf8(d.str(d.scopes[s.scope].version)), scopeVersion);
    }
}

void Test_otlp_json::containers_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("spans");
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("scope");

    QTest::newRow("Tempo /api/traces: batches, base64 ids, enum names")
        << "otlp-json/tempo-api-traces.json" << 2 << "tempo"
        << "checkout"
        << "io.opentelemetry.http";
    QTest::newRow("Grafana snake_case keys") << "otlp-json/grafana-snake-case.json" << 1 << "tempo"
                                             << "inventory"
                                             << "manual";
    QTest::newRow("Jaeger api_v3 result wrapper") << "otlp-json/jaeger-api-v3.json" << 1 << "jaeger-api-v3"
                                                  << "frontend"
                                                  << "jaeger";
    QTest::newRow("legacy instrumentationLibrarySpans") << "otlp-json/legacy-instrumentation-library.json" << 1 << ""
                                                        << "legacy-svc"
                                                        << "io.opentracing.shim";
}

void Test_otlp_json::containers()
{
    QFETCH(QString, file);
    QFETCH(int, spans);
    QFETCH(QString, variant);
    QFETCH(QString, service);
    QFETCH(QString, scope);

    const LoadResult result = load(dataPath(file));
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    QCOMPARE(QString::fromStdString(result.report.variant), variant);
    const Dataset& d = result.dataset;
    QCOMPARE(int(d.spans.size()), spans);
    for (const Span& s : d.spans) {
        QCOMPARE(QString::fromUtf8(d.str(s.service)), service);
        QVERIFY(s.scope != kNoIndex);
        QCOMPARE(QString::fromUtf8(d.str(d.scopes[s.scope].name)), scope);
        QVERIFY(s.end > s.start);
    }
}

void Test_otlp_json::jsonLines()
{
    const LoadResult result = load(dataPath(u"otlp-json/broken-line.jsonl"_s), true);
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    QCOMPARE(QString::fromStdString(result.report.variant), u"json-lines"_s);
    QVERIFY(result.report.hasErrors());
    QVERIFY2(hasDiagnostic(result, u"one TracesData object per line"_s, 2), qPrintable(diagnostics(result)));
    QCOMPARE(result.report.diagnostics.size(), std::size_t(1));
    const Dataset& d = result.dataset;
    QCOMPARE(d.spans.size(), std::size_t(2));
    const Span* first = findSpan(d, 1);
    const Span* third = findSpan(d, 3);
    QVERIFY(first && third);
    QVERIFY(!findSpan(d, 2));
    QCOMPARE(d.str(first->service), "a");
    QCOMPARE(d.str(third->service), "c");
    QCOMPARE(third->parent, std::uint32_t(first - d.spans.data()));
}

void Test_otlp_json::byteOrderMark()
{
    const LoadResult one = loadJson("\xEF\xBB\xBF" + oneSpan({}));
    QVERIFY2(one.complete(), qPrintable(diagnostics(one)));
    QCOMPARE(one.dataset.spans.size(), std::size_t(1));
    const LoadResult lines = loadJson("\xEF\xBB\xBF" + oneSpan({}) + "\r\n\r\n" +
                                      oneSpan(R"("spanId":"0000000000000002")"));
    QVERIFY2(lines.complete(), qPrintable(diagnostics(lines)));
    QCOMPARE(QString::fromStdString(lines.report.variant), u"json-lines"_s);
    QCOMPARE(lines.dataset.spans.size(), std::size_t(2));
}

void Test_otlp_json::realSample()
{
    const LoadResult result = load(dataPath(u"samples/otlp-json-example.json"_s));
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    const Dataset& d = result.dataset;
    QCOMPARE(d.traces.size(), std::size_t(1));
    QCOMPARE(toHex(d.traces[0].id), "5b8efff798038103d269b633813fc60c");
    const Span& s = onlySpan(result);
    QCOMPARE(s.id, SpanId(0xeee19b7ec3c1b174));
    QCOMPARE(s.parentId, SpanId(0xeee19b7ec3c1b173));
    QVERIFY(s.has(MarkOrphan)); // its parent is not in the file
    QCOMPARE(d.str(s.name), "I'm a server span");
    QCOMPARE(s.start, TimeNs(1544712660000000000));
    QCOMPARE(s.end, TimeNs(1544712661000000000));
    QCOMPARE(int(s.kind), int(SpanKind::Server));
    QCOMPARE(d.str(s.service), "my.service");
    QCOMPARE(attributeText(result, "my.span.attr"), "s:some value");
    const Scope& scope = d.scopes.at(s.scope);
    QCOMPARE(d.str(scope.name), "my.library");
    QCOMPARE(d.str(scope.version), "1.0.0");
    QCOMPARE(scope.attributes.count, 1u);
    QCOMPARE(d.str(d.attributes[scope.attributes.first].key), "my.scope.attribute");
    QCOMPARE(render(d, d.attributes[scope.attributes.first].value), "s:some scope attribute");
}

// Files other projects' tools and tests wrote (see tests/data/otlp-json/README.md): each loads
// completely, and one span of each reads as written.
void Test_otlp_json::realFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("spans");
    QTest::addColumn<QString>("span");
    QTest::addColumn<QString>("parent");
    QTest::addColumn<QString>("service");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("links");
    QTest::addColumn<QString>("warning");

    QTest::newRow("telemetrygen: kind number, empty status, span written twice")
        << "jaeger-query-otlp2jaeger-in.json" << 2 << "e127af99e3b3e074"
        << "909541b92cf05311"
        << "telemetrygen" << qint64(1706678909209712000) << qint64(123000) << int(SpanKind::Server)
        << int(StatusCode::Unset) << "" << 0 << "";
    QTest::newRow("api_v3 result without times or service")
        << "jaeger-apiv3-GetTrace.json" << 1 << "0000000000000002"
        << "0000000000000000"
        << "unknown_service" << qint64(0) << qint64(0) << int(SpanKind::Server) << int(StatusCode::Error) << "" << 0
        << "no timing in the file";
    QTest::newRow("links to other traces, status code 0")
        << "jaeger-integration-otlp_span_links.json" << 1 << "0000000000000030"
        << "0000000000000000"
        << "span-links-service" << qint64(1485445591639875000) << qint64(300000000) << int(SpanKind::Internal)
        << int(StatusCode::Unset) << "" << 2 << "";
    QTest::newRow("enum names, three resources")
        << "jaeger-mcp-sibling_errors.json" << 6 << "d4e5f60718293a4b"
        << "c3d4e5f60718293a"
        << "payment" << qint64(1754500000022000000) << qint64(36000000) << int(SpanKind::Client)
        << int(StatusCode::Error) << "payment declined: card processor rejected transaction" << 0 << "";
}

void Test_otlp_json::realFiles()
{
    QFETCH(QString, file);
    QFETCH(int, spans);
    QFETCH(QString, span);
    QFETCH(QString, parent);
    QFETCH(QString, service);
    QFETCH(qint64, start);
    QFETCH(qint64, duration);
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(int, links);
    QFETCH(QString, warning);

    const LoadResult result = load(dataPath(u"otlp-json/"_s + file));
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    QVERIFY2(result.report.diagnostics.empty(), qPrintable(diagnostics(result)));
    const Dataset& d = result.dataset;
    QCOMPARE(int(d.spans.size()), spans);
    QCOMPARE(d.traces.size(), std::size_t(1));
    const Span* s = findSpan(d, SpanId(span.toULongLong(nullptr, 16)));
    QVERIFY(s);
    QCOMPARE(QString::fromStdString(toHex(s->parentId)), parent);
    QCOMPARE(d.str(s->service), service.toStdString());
    QCOMPARE(s->start, start);
    QCOMPARE(s->duration(), duration);
    QCOMPARE(int(s->kind), kind);
    QCOMPARE(int(s->status), status);
    QCOMPARE(d.str(s->statusMessage), message.toStdString());
    QCOMPARE(int(s->links.count), links);
    const auto& warnings = d.traces[0].spanWarnings;
    QCOMPARE(QString::fromStdString(warnings.empty() ? std::string() : warnings.front().text), warning);
}

void Test_otlp_json::generated_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("variant");
    QTest::newRow("one object") << "otlp-json"
                                << "";
    QTest::newRow("JSON lines") << "otlp-jsonl"
                                << "json-lines";
}

void Test_otlp_json::generated()
{
    QFETCH(QString, format);
    QFETCH(QString, variant);

    const LoadResult result = load(generatedTrace(format, 2000, {u"--traces"_s, u"3"_s}));
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    QCOMPARE(QString::fromStdString(result.report.variant), variant);
    const Dataset& d = result.dataset;
    QCOMPARE(d.spans.size(), std::size_t(2000));
    QCOMPARE(d.traces.size(), std::size_t(3));
    int errors = 0;
    int links = 0;
    for (const Trace& t : d.traces) {
        QCOMPARE(t.rootCount, 1u);
        QCOMPARE(t.orphanCount, 0u);
        for (std::uint32_t i = t.first; i < t.end_index(); ++i) {
            const Span& s = d.spans[i];
            const Resource& r = d.resources.at(s.resource);
            QCOMPARE(d.str(r.host), std::string(d.str(s.service)) + "-7f9c");
            QCOMPARE(d.str(d.scopes.at(s.scope).name), "gen_trace");
            // the generator gives error spans an "exception" event and links async work to its parent
            bool exception = false;
            for (std::uint32_t e = s.events.first; e < s.events.end(); ++e)
                exception |= d.str(d.events[e].name) == "exception";
            QCOMPARE(s.status == StatusCode::Error, exception);
            errors += exception;
            for (std::uint32_t l = s.links.first; l < s.links.end(); ++l) {
                QCOMPARE(d.links[l].spanId, s.parentId);
                QCOMPARE(d.links[l].traceId, t.id);
                ++links;
            }
        }
    }
    QVERIFY(errors > 0);
    QVERIFY(links > 0);
}

void Test_otlp_json::jsonLinesMatchOneObject()
{
    const LoadResult object = load(generatedTrace(u"otlp-json"_s, 2000, {u"--traces"_s, u"3"_s}));
    const LoadResult lines = load(generatedTrace(u"otlp-jsonl"_s, 2000, {u"--traces"_s, u"3"_s}));
    const auto a = summarize(object.dataset);
    const auto b = summarize(lines.dataset);
    QCOMPARE(a.size(), std::size_t(2000));
    QVERIFY(a == b);
}

void Test_otlp_json::badInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("spans");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");

    QTest::newRow("name is a number") << oneSpan(R"("name":5)") << 0 << 1 << "name: expected a string, found 5" << 0;
    QTest::newRow("non-hex trace id") << oneSpan(R"("traceId":"5b8efff798038103d269b633813fc6zz")") << 0 << 1
                                      << "traceId: expected 32 hex digits or 24 base64 characters" << 0;
    QTest::newRow("trace id of the wrong length") << oneSpan(R"("traceId":"5b8e")") << 0 << 1 << "found \"5b8e\"" << 0;
    QTest::newRow("all-zero trace id") << oneSpan(R"("traceId":"00000000000000000000000000000000")") << 0 << 1
                                       << "not all zeros" << 0;
    QTest::newRow("span id is a number") << oneSpan(R"("spanId":12)") << 0 << 1 << "spanId: expected" << 0;
    QTest::newRow("bad parent id") << oneSpan(R"("parentSpanId":"xyz")") << 0 << 1 << "parentSpanId: expected" << 0;
    QTest::newRow("missing span id")
        << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",)"
                      R"("startTimeUnixNano":"1"}]}]}]})")
        << 0 << 1 << "spanId: missing" << 0;
    QTest::newRow("negative time") << oneSpan(R"("startTimeUnixNano":"-5")") << 0 << 1
                                   << "startTimeUnixNano: expected an unsigned 64-bit integer" << 0;
    QTest::newRow("time as a double") << oneSpan(R"("startTimeUnixNano":1.5e18)") << 0 << 1
                                      << "startTimeUnixNano: expected" << 0;
    QTest::newRow("time beyond int64 nanoseconds")
        << oneSpan(R"("endTimeUnixNano":"18446744073709551615")") << 0 << 1 << "beyond the year 2262" << 0;
    QTest::newRow("kind of the wrong type") << oneSpan(R"("kind":true)") << 0 << 1 << "kind: expected a number" << 0;
    QTest::newRow("attributes not an array")
        << oneSpan(R"("attributes":{"a":1})") << 0 << 1 << "attributes: expected an array, found an object" << 0;
    QTest::newRow("attribute without key")
        << oneSpan(R"("attributes":[{"value":{"intValue":"1"}}])") << 0 << 1 << "attributes[].key: missing" << 0;
    QTest::newRow("intValue not an integer") << oneSpan(R"("attributes":[{"key":"a","value":{"intValue":"1x"}}])") << 0
                                             << 1 << "intValue: expected a 64-bit integer" << 0;
    QTest::newRow("intValue beyond int64") << oneSpan(R"("attributes":[{"key":"a","value":{"intValue":)"
                                                      R"("9223372036854775808"}}])")
                                           << 0 << 1 << "intValue: expected" << 0;
    QTest::newRow("bytesValue not base64") << oneSpan(R"("attributes":[{"key":"a","value":{"bytesValue":"!!"}}])") << 0
                                           << 1 << "bytesValue: expected a base64 string" << 0;
    QTest::newRow("event without time") << oneSpan(R"("events":[{"name":"e"}])") << 0 << 1
                                        << "events[].timeUnixNano: missing" << 0;
    QTest::newRow("link with bad span id") << oneSpan(R"("links":[{"traceId":"5b8efff798038103d269b633813fc60c",)"
                                                      R"("spanId":"nothex!!nothex!!"}])")
                                           << 0 << 1 << "links[].spanId: expected" << 0;
    QTest::newRow("span not an object") << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[42]}]}]})") << 0
                                        << 1 << "spans[]: expected a span object, found 42" << 0;
    QTest::newRow("bad span between good ones")
        << inSpans(minimalSpan(1) + "," + minimalSpan(2, R"(,"name":[])") + "," + minimalSpan(3) + "]}]}]}") << 2 << 1
        << "name: expected a string, found an array" << 0;
    QTest::newRow("resourceSpans not an array")
        << QByteArray(R"({"resourceSpans":"x"})") << 0 << 0 << "resourceSpans: expected an array" << 0;
    QTest::newRow("spans not an array") << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]})") << 0 << 0
                                        << "spans: expected an array" << 0;
    QTest::newRow("second pretty-printed object") << "{\n" + oneSpan({}).mid(1) + "\n{\n}\n"
                                                  << 1 << 0 << "unexpected content after the TracesData object" << 3;
    QTest::newRow("trailing text") << QByteArray(R"({"resourceSpans":[]} trailing)") << 0 << 0 << "nothing read" << 0;
    QTest::newRow("truncated in a string") << inSpans(minimalSpan(1) + ",\n" + minimalSpan(2).left(40)) << 1 << 1
                                           << "the file ends inside an unclosed string" << 2;
    QTest::newRow("truncated in a number")
        << inSpans(minimalSpan(1) + ",\n\n" + minimalSpan(2, R"(,"flags":12)").chopped(1)) << 1 << 1
        << "span skipped: cut off by the end of the file" << 3;
    QTest::newRow("truncated after a span")
        << inSpans(minimalSpan(1) + "," + minimalSpan(2)) << 2 << 0 << "reading stopped here" << 0;
    const QByteArray deepValue = QByteArray(200, ' ').replace(" ", R"({"arrayValue":{"values":[)") +
                                 QByteArray(200, ' ').replace(" ", "]}}");
    QTest::newRow("value nested too deeply") << oneSpan(R"("attributes":[{"key":"deep","value":)" + deepValue + "}]")
                                             << 0 << 1 << "values nested at most 128 levels deep" << 0;
}

void Test_otlp_json::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(int, spans);
    QFETCH(int, skipped);
    QFETCH(QString, message);
    QFETCH(int, line);

    const LoadResult result = loadJson(json, true);
    QCOMPARE(QString::fromStdString(result.format), u"otlp-json"_s);
    QVERIFY(result.report.hasErrors());
    QCOMPARE(int(result.dataset.spans.size()), spans);
    QCOMPARE(int(result.report.skippedSpans), skipped);
    QVERIFY2(hasDiagnostic(result, message, line), qPrintable(diagnostics(result)));
}

void Test_otlp_json::everyTruncation_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("Tempo, pretty-printed") << "otlp-json/tempo-api-traces.json";
    QTest::newRow("snake_case with events") << "otlp-json/grafana-snake-case.json";
    QTest::newRow("one line") << "otlp-json/jaeger-api-v3.json";
}

// A file cut anywhere never loads as if it were whole, and never loads more spans than it has.
void Test_otlp_json::everyTruncation()
{
    QFETCH(QString, file);
    QFile f(dataPath(file));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray whole = f.readAll().trimmed();
    const std::size_t allSpans = loadJson(whole).dataset.spans.size();
    for (qsizetype size = 1; size < whole.size(); ++size) {
        const LoadResult result = loadJson(whole.left(size), true);
        if (result.format.empty())
            continue; // too short to be recognised
        QVERIFY2(!result.complete(), qPrintable(QStringLiteral("cut at %1 loaded as complete").arg(size)));
        QVERIFY(result.dataset.spans.size() <= allSpans);
    }
}

void Test_otlp_json::sniff_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("resourceSpans") << QByteArray("{\n  \"resourceSpans\": [") << true;
    QTest::newRow("resource_spans") << QByteArray(R"({"resource_spans" :[)") << true;
    QTest::newRow("Jaeger api_v3 result") << QByteArray(R"({"result":{"resourceSpans":[)") << true;
    QTest::newRow("Tempo batches") << QByteArray(R"({"batches":[{"resource":{"attributes":[)") << true;
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF{\"resourceSpans\":[") << true;
    QTest::newRow("Jaeger JSON") << QByteArray(R"({"data":[{"traceID":"ab","spans":[)") << false;
    QTest::newRow("Zipkin array") << QByteArray(R"([{"traceId":"ab","id":"cd"}])") << false;
    QTest::newRow("word only as a value") << QByteArray(R"({"data":["resourceSpans"]})") << false;
    QTest::newRow("batches of something else") << QByteArray(R"({"batches":[{"rows":[]}]})") << false;
}

void Test_otlp_json::sniff()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, accepted);
    const int score = otlpJsonImporter().sniff(std::string_view(head.constData(), head.size()));
    QCOMPARE(score > 0, accepted);
}

QTEST_GUILESS_MAIN(Test_otlp_json)
#include "tst_otlp_json.moc"
