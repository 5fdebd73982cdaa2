// The query language shared by the find bar and the spans table (model/span_search.h).
#include <test_support.h>

#include <radix_sort.h>
#include <span_search.h>

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace spanwise;

namespace {

// Two services; span ids 1..4 are indices 0..3 (depth-first: 1 GET /cart, 2 SELECT cart,
// 3 POST /pay, 4 charge card).
constexpr const char* kTrace = R"({"resourceSpans":[
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}},
                            {"key":"host.name","value":{"stringValue":"node-7"}}]},
  "scopeSpans":[{"spans":[
   {"traceId":"00000000000000000000000000000042","spanId":"0000000000000001","name":"GET /cart","kind":2,
    "startTimeUnixNano":"1000000000","endTimeUnixNano":"1020000000",
    "attributes":[{"key":"http.method","value":{"stringValue":"GET"}},
                  {"key":"http.status_code","value":{"intValue":"200"}},
                  {"key":"http.url","value":{"stringValue":"shop/cart?id=7"}}]},
   {"traceId":"00000000000000000000000000000042","spanId":"0000000000000002","parentSpanId":"0000000000000001",
    "name":"SELECT cart","kind":3,"startTimeUnixNano":"1002000000","endTimeUnixNano":"1012000000",
    "attributes":[{"key":"db.system","value":{"stringValue":"postgres"}},
                  {"key":"retry","value":{"boolValue":true}},
                  {"key":"ratio","value":{"doubleValue":0.5}}]}]}]},
 {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}},
                            {"key":"host.name","value":{"stringValue":"node-9"}}]},
  "scopeSpans":[{"spans":[
   {"traceId":"00000000000000000000000000000042","spanId":"0000000000000003","parentSpanId":"0000000000000001",
    "name":"POST /pay","kind":2,"startTimeUnixNano":"1012000000","endTimeUnixNano":"1019000000",
    "status":{"code":2},
    "attributes":[{"key":"http.method","value":{"stringValue":"POST"}},
                  {"key":"http.status_code","value":{"intValue":"503"}},
                  {"key":"note","value":{"stringValue":"a b"}}]},
   {"traceId":"00000000000000000000000000000042","spanId":"0000000000000004","parentSpanId":"0000000000000003",
    "name":"charge card","kind":1,"startTimeUnixNano":"1013000000","endTimeUnixNano":"1013500000",
    "status":{"code":1},"attributes":[{"key":"code","value":{"stringValue":"500"}}]}]}]}]})";

using Ids = std::vector<SpanId>;

} // namespace

class SpanQueryTest : public QObject {
    Q_OBJECT

    // The span ids the text finds; fails the test when it does not parse.
    Ids find(const char* text)
    {
        const ParsedQuery parsed = parseSpanQuery(text);
        if (!parsed.ok()) {
            QTest::qFail(("does not parse: " + parsed.error).c_str(), __FILE__, __LINE__);
            return {};
        }
        Ids ids;
        for (std::uint32_t i : searchSpans(m_data, m_data.traces[0], parsed.query))
            ids.push_back(m_data.spans[i].id);
        return ids;
    }

    Dataset m_data;

private slots:
    void initTestCase()
    {
        LoadResult r = test::loadText(kTrace, false);
        QVERIFY(r.complete());
        m_data = std::move(r.dataset);
        QCOMPARE(m_data.spans.size(), std::size_t(4));
    }

    void words()
    {
        QCOMPARE(find("CART"), (Ids{1, 2}));   // service and operation, any case
        QCOMPARE(find("get /cart"), (Ids{1})); // two words, each somewhere in the span
        QCOMPARE(find("\"t /c\""), (Ids{1}));  // a phrase keeps its space
        QCOMPARE(find("\"cart post\""), Ids{});
        QCOMPARE(find("postgres"), (Ids{2})); // a string value
        QCOMPARE(find("db.sys"), (Ids{2}));   // a key
        QCOMPARE(find("0000000000000003"), (Ids{3}));
        QCOMPARE(find("00-00000000000000000000000000000042-0000000000000004-01"), (Ids{4}));
        QCOMPARE(find("/api/v1"), Ids{});               // a path is a word, not an unterminated regex
        QCOMPARE(find("shop/cart?id=7"), Ids{});        // a key=value term, for the equals sign
        QCOMPARE(find("\"shop/cart?id=7\""), (Ids{1})); // a word when quoted
        QCOMPARE(find(""), Ids{});
        QCOMPARE(find("   "), Ids{});
    }

    void regularExpressions()
    {
        QCOMPARE(find("/^(get|post) //"), (Ids{1, 3}));
        QCOMPARE(find("/CARD$/"), (Ids{4})); // ignores case
        QCOMPARE(find("/^node-/"), Ids{});   // resource attributes are not among the strings
        QCOMPARE(find("/a b/"), (Ids{3}));   // spaces inside
        QCOMPARE(find("/select \\w+/ cart"), (Ids{2}));
        QCOMPARE(find("/http\\.url/"), (Ids{1})); // keys too
    }

    void attributes()
    {
        QCOMPARE(find("http.method=GET"), (Ids{1}));
        QCOMPARE(find("HTTP.METHOD=get"), (Ids{1}));
        QCOMPARE(find("http.method=*"), (Ids{1, 3}));       // present
        QCOMPARE(find("http.method!=GET"), (Ids{2, 3, 4})); // absent counts as not GET
        QCOMPARE(find("http.url=*cart*"), (Ids{1}));
        QCOMPARE(find("http.url=shop*7"), (Ids{1}));
        QCOMPARE(find("http.url=cart"), Ids{}); // exact, not a substring
        QCOMPARE(find("note=\"a b\""), (Ids{3}));
        QCOMPARE(find("http.status_code=503"), (Ids{3})); // an integer by its text
        QCOMPARE(find("http.status_code=5*"), (Ids{3}));
        QCOMPARE(find("http.status_code>=500"), (Ids{3}));
        QCOMPARE(find("http.status_code<500"), (Ids{1}));
        QCOMPARE(find("code>=500"), (Ids{4})); // a string holding a number
        QCOMPARE(find("ratio<1"), (Ids{2}));   // a double
        QCOMPARE(find("ratio=0.5"), (Ids{2}));
        QCOMPARE(find("retry=true"), (Ids{2}));          // a boolean
        QCOMPARE(find("host.name=node-9"), (Ids{3, 4})); // the resource's attributes
        QCOMPARE(find("missing=*"), Ids{});
    }

    void spanFields()
    {
        QCOMPARE(find("service=payment"), (Ids{3, 4}));
        QCOMPARE(find("service=pay*"), (Ids{3, 4}));
        QCOMPARE(find("service!=payment"), (Ids{1, 2}));
        QCOMPARE(find("op=\"charge card\""), (Ids{4}));
        QCOMPARE(find("operation=*cart"), (Ids{1, 2}));
        QCOMPARE(find("duration>10ms"), (Ids{1}));
        QCOMPARE(find("duration>=10ms"), (Ids{1, 2}));
        QCOMPARE(find("duration<1ms"), (Ids{4}));
        QCOMPARE(find("status=error"), (Ids{3}));
        QCOMPARE(find("status=OK"), (Ids{4}));
        QCOMPARE(find("status!=unset"), (Ids{3, 4}));
        QCOMPARE(find("kind=server"), (Ids{1, 3}));
        QCOMPARE(find("kind=client"), (Ids{2}));
    }

    void combinations()
    {
        QCOMPARE(find("kind=server http.status_code>=500"), (Ids{3}));
        QCOMPARE(find("service=cart /select/ db.system=postgres duration<11ms"), (Ids{2}));
        QCOMPARE(find("kind=server cart"), (Ids{1}));
        // The find bar's controls add to the terms.
        ParsedQuery parsed = parseSpanQuery("kind=server");
        parsed.query.errorsOnly = true;
        QCOMPARE(searchSpans(m_data, m_data.traces[0], parsed.query), std::vector<std::uint32_t>{2});
        parsed.query.errorsOnly = false;
        parsed.query.service = m_data.strings.find("cart");
        QCOMPARE(searchSpans(m_data, m_data.traces[0], parsed.query), std::vector<std::uint32_t>{0});
        // A range of the trace: a subtree.
        QCOMPARE(searchSpans(m_data, 2, 4, parseSpanQuery("kind=server").query), std::vector<std::uint32_t>{2});
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("at");
        QTest::addColumn<QString>("message");
        QTest::newRow("unclosed quote") << "cart \"GET /" << 5 << "expected a closing quote";
        QTest::newRow("unclosed value quote") << "note=\"a b" << 5 << "expected a closing quote";
        QTest::newRow("empty quotes") << "\"\"" << 0 << "expected text between the quotes";
        QTest::newRow("bad regex") << "ok /(a/" << 3 << "invalid regular expression: unbalanced ( )";
        QTest::newRow("bad regex range") << "/[z-a]/" << 0 << "invalid regular expression: invalid range in [ ]";
        QTest::newRow("bad regex repeat") << "/*a/" << 0 << "invalid regular expression: nothing to repeat";
        QTest::newRow("bad regex bracket") << "/[a/" << 0 << "invalid regular expression: unbalanced [ ]";
        QTest::newRow("bad regex brace") << "/a{2/" << 0 << "invalid regular expression: unbalanced { }";
        QTest::newRow("bad regex group") << "/(?<n>a)/" << 0 << "invalid regular expression: nothing to repeat";
        QTest::newRow("no key") << "=x" << 0 << "expected a key before '='";
        QTest::newRow("no value") << "a b= c" << 4 << "expected a value after 'b='";
        QTest::newRow("no number") << "code>abc" << 5 << "expected a number after 'code'";
        QTest::newRow("bad duration") << "duration>soon" << 9 << "expected a time";
        QTest::newRow("bad status") << "status=broken" << 7 << "expected error, ok or unset";
        QTest::newRow("bad kind") << "kind=sever" << 5 << "expected server, client";
        QTest::newRow("ordered service") << "x service>a" << 2 << "'service' compares with = or != only";
    }

    void errors()
    {
        QFETCH(QString, text);
        QFETCH(int, at);
        QFETCH(QString, message);
        const ParsedQuery parsed = parseSpanQuery(text.toStdString());
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.error).startsWith(message), parsed.error.c_str());
        QCOMPARE(int(parsed.errorAt), at);
        QVERIFY(parsed.query.terms.empty());
    }

    void globs()
    {
        QVERIFY(globMatches("", ""));
        QVERIFY(globMatches("abc", "*"));
        QVERIFY(globMatches("", "*"));
        QVERIFY(globMatches("ABC", "a*c"));
        QVERIFY(globMatches("abcbc", "a*bc"));
        QVERIFY(globMatches("a*b", "a*b"));
        QVERIFY(!globMatches("abcd", "a*c"));
        QVERIFY(!globMatches("ab", "abc"));
        QVERIFY(globMatches("xaaay", "*a*a*a*"));
        QVERIFY(!globMatches("xaay", "*a*a*a*"));
    }

    // The table's sort: the order of a stable sort by (group, key), either way, over keys that
    // differ in low bytes only, in high bytes only, and negative numbers.
    void radixSortIsAStableSort()
    {
        QRandomGenerator random(7);
        for (bool descending : {false, true}) {
            std::vector<KeyedRow> rows(5000);
            for (std::uint32_t i = 0; i < rows.size(); ++i) {
                const auto pick = random.bounded(4);
                const std::int64_t small = random.bounded(50);
                rows[i].key = pick == 0   ? orderedKey(small)
                              : pick == 1 ? orderedKey(-small * 1'000'000'007)
                              : pick == 2 ? orderedKey(std::int64_t(random.bounded(3)) << 56)
                                          : orderedKey(random.generateDouble() * 2 - 1);
                rows[i].group = static_cast<std::uint8_t>(random.bounded(3) == 0 ? 3 : 0);
                rows[i].row = i;
            }
            std::vector<KeyedRow> expected = rows;
            std::stable_sort(expected.begin(), expected.end(), [descending](const KeyedRow& a, const KeyedRow& b) {
                if (a.group != b.group)
                    return a.group < b.group;
                return descending ? b.key < a.key : a.key < b.key;
            });
            radixSort(rows, descending);
            for (std::size_t i = 0; i < rows.size(); ++i)
                QCOMPARE(rows[i].row, expected[i].row);
        }
        QVERIFY(orderedKey(std::int64_t(-5)) < orderedKey(std::int64_t(0)));
        QVERIFY(orderedKey(-2.5) < orderedKey(-1.0));
        QVERIFY(orderedKey(-1.0) < orderedKey(0.0));
        QCOMPARE(orderedKey(-0.0), orderedKey(0.0));
        QVERIFY(orderedKey(0.5) < orderedKey(1e300));
    }

    // Regular expressions run once per distinct string, so a big trace is searched quickly.
    void speed()
    {
        const auto data = test::wideTrace(20'000, 49); // a million spans, 21 names
        const Trace& trace = data->traces[0];
        QCOMPARE(trace.count, 1'000'001u);
        const ParsedQuery parsed = parseSpanQuery("/^(leaf|call) [0-9]*3$/ service=svc duration>=1us");
        QVERIFY(parsed.ok());
        QElapsedTimer timer;
        timer.start();
        const std::vector<std::uint32_t> found = searchSpans(*data, trace, parsed.query);
        const qint64 ms = timer.elapsed();
        QVERIFY(!found.empty());
        for (std::uint32_t i : found)
            QVERIFY(std::string_view(data->str(data->spans[i].name)).ends_with('3'));
        QVERIFY2(ms < 1500, QByteArray::number(ms).constData());
        qInfo("regex over %u spans: %lld ms", trace.count, ms);
    }

    // Millions of spans are shared among the cores: the matches are those found part by part, in order.
    void manySpansFindWhatTheirPartsFind()
    {
        const auto data = test::wideTrace(42'000, 49); // 2.1 million spans: two parts or more
        const Trace& trace = data->traces[0];
        for (const char* text : {"leaf", "/^(leaf|call) [0-9]*3$/ duration>=1us", "nothing-like-this"}) {
            const ParsedQuery parsed = parseSpanQuery(text);
            QVERIFY(parsed.ok());
            std::vector<std::uint32_t> byParts;
            for (std::uint32_t first = trace.first; first < trace.end_index(); first += 300'000) {
                const std::vector<std::uint32_t> part = searchSpans(
                    *data, first, std::min(first + 300'000, trace.end_index()), parsed.query);
                byParts.insert(byParts.end(), part.begin(), part.end());
            }
            QCOMPARE(searchSpans(*data, trace, parsed.query), byParts);
        }
        QVERIFY(searchSpans(*data, trace, parseSpanQuery("leaf").query).size() > 2'000'000);
    }
};

QTEST_GUILESS_MAIN(SpanQueryTest)
#include "tst_span_query.moc"
