// The root array of a single-document JSON file, found without parsing, and the OTLP JSON importer
// that reads its elements in parts: only the exact shape is taken, and reading in parts gives the
// dataset one parser over the whole document gives.
#include <test_support.h>

#include <json_root_array.h>
#include <same_model.h>

#include <QFile>
#include <QTest>

using namespace spanwise;
using namespace Qt::StringLiterals;

namespace {

std::optional<json::RootArray> rootArray(std::string text)
{
    text.append(kInputPadding, '\0');
    const std::optional<json::RootArray> found = json::rootArrayOfObjects(
        Input{text.data(), text.size() - kInputPadding, 2}, 2);
    if (found) // keys point into text: keep only what the test looks at
        return json::RootArray{found->key == "resourceSpans" ? "resourceSpans" : "other", found->objects};
    return found;
}

// The objects of a root array (of arrays) as "depth: [begin,end) ...", or "none".
QString arrayObjects(std::string text)
{
    text.append(kInputPadding, '\0');
    const std::optional<json::ArrayObjects> found = json::objectsOfRootArray(
        Input{text.data(), text.size() - kInputPadding, 2}, 2, 3);
    if (!found)
        return u"none"_s;
    QString out = QString::number(found->depth) + u":"_s;
    for (const InputPart& o : found->objects)
        out += u" [%1,%2)"_s.arg(o.begin).arg(o.end);
    return out;
}

} // namespace

class TestJsonRootArray : public QObject {
    Q_OBJECT

private slots:
    void exactShapeIsFound()
    {
        const auto found = rootArray(
            "\xEF\xBB\xBF {\"resourceSpans\" :\n [ {\"a\":[1]} ,{\"b\":{\"c\":\"]}\"}}\n ] }\n");
        QVERIFY(found);
        QCOMPARE(found->key, "resourceSpans");
        QCOMPARE(found->objects.size(), std::size_t(2));
        QCOMPARE(found->objects[0].begin, std::uint64_t(26));
        QCOMPARE(found->objects[0].end, std::uint64_t(35));
        const auto empty = rootArray("{\"resourceSpans\":[]}");
        QVERIFY(empty && empty->objects.empty());
    }

    void anythingElseIsRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("another member first") << u"{\"x\":1,\"resourceSpans\":[{}]}"_s;
        QTest::newRow("another member after") << u"{\"resourceSpans\":[{}],\"x\":1}"_s;
        QTest::newRow("a second array") << u"{\"resourceSpans\":[{}],\"x\":[]}"_s;
        QTest::newRow("a scalar element") << u"{\"resourceSpans\":[{},null]}"_s;
        QTest::newRow("an array element") << u"{\"resourceSpans\":[{},[]]}"_s;
        QTest::newRow("two commas") << u"{\"resourceSpans\":[{},,{}]}"_s;
        QTest::newRow("a trailing comma") << u"{\"resourceSpans\":[{},]}"_s;
        QTest::newRow("no comma") << u"{\"resourceSpans\":[{} {}]}"_s;
        QTest::newRow("an object, not an array") << u"{\"resourceSpans\":{}}"_s;
        QTest::newRow("a root array") << u"[{}]"_s;
        QTest::newRow("content after the root") << u"{\"resourceSpans\":[{}]} {}"_s;
        QTest::newRow("cut off") << u"{\"resourceSpans\":[{}"_s;
        QTest::newRow("unclosed string") << u"{\"resourceSpans\":[{\"a\":\"}]}"_s;
        QTest::newRow("escaped key") << u"{\"resource\\u0053pans\":[{}]}"_s;
    }

    void anythingElseIsRefused()
    {
        QFETCH(QString, text);
        QVERIFY(!rootArray(text.toStdString()));
    }

    // A member the importer ignores makes the shape inexact: the same spans are then read by one
    // parser over the whole document, and must come out exactly the same, string ids and all.
    void objectsOfRootArray_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("objects");
        QTest::newRow("objects") << u" [ {\"a\":[1]} ,{\"b\":\"]}\"}\n]\n"_s << u"1: [3,12) [14,24)"_s;
        QTest::newRow("arrays of objects") << u"[[{},{\"a\":{}}], [], [ {} ]]"_s << u"2: [2,4) [5,13) [22,24)"_s;
        QTest::newRow("arrays without objects") << u"[[],[ ]]"_s << u"2:"_s;
        QTest::newRow("objects and arrays") << u"[{},[{}]]"_s << u"none"_s;
        QTest::newRow("arrays and objects") << u"[[{}],{}]"_s << u"none"_s;
        QTest::newRow("a scalar element") << u"[{},1]"_s << u"none"_s;
        QTest::newRow("a scalar in an array") << u"[[{},1]]"_s << u"none"_s;
        QTest::newRow("arrays in an array") << u"[[[{}]]]"_s << u"none"_s;
        QTest::newRow("two commas") << u"[{},,{}]"_s << u"none"_s;
        QTest::newRow("two commas between arrays") << u"[[{}],,[{}]]"_s << u"none"_s;
        QTest::newRow("a trailing comma in an array") << u"[[{},]]"_s << u"none"_s;
        QTest::newRow("no comma") << u"[{} {}]"_s << u"none"_s;
        QTest::newRow("an empty array") << u"[]"_s << u"none"_s;
        QTest::newRow("a root object") << u"{\"a\":[{}]}"_s << u"none"_s;
        QTest::newRow("a byte order mark") << u"\uFEFF[{}]"_s << u"none"_s;
        QTest::newRow("content after the root") << u"[{}] {}"_s << u"none"_s;
        QTest::newRow("cut off") << u"[{},{"_s << u"none"_s;
    }
    void objectsOfRootArray()
    {
        QFETCH(QString, text);
        QFETCH(QString, objects);
        QCOMPARE(arrayObjects(text.toStdString()), objects);
    }

    void otlpJsonInPartsEqualsOneParser_data()
    {
        QTest::addColumn<unsigned>("threads");
        QTest::newRow("1 thread") << 1u;
        QTest::newRow("3 threads") << 3u;
    }

    void otlpJsonInPartsEqualsOneParser()
    {
        QFETCH(unsigned, threads);
        const QString path = test::generatedTrace(u"otlp-json"_s, 30000, {u"--traces"_s, u"20"_s});
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string parted = file.readAll().toStdString();
        QVERIFY(parted.size() > (std::size_t(8) << 20));
        QVERIFY(rootArray(parted));
        const std::string prefix = "{\"note\":\"ignored\",";
        const std::string whole = prefix + parted.substr(1);
        QVERIFY(!rootArray(whole));

        LoadOptions options;
        options.build.threads = threads;
        const LoadResult a = test::loadText(whole, false, options);
        const LoadResult b = test::loadText(parted, false, options);
        QCOMPARE(b.dataset.spans.size(), std::size_t(30000));
        test::verifySameModel(a.dataset, b.dataset);
        QCOMPARE(b.report.variant, a.report.variant);
    }

    // A broken resource spans object in a well-shaped file is reported where it is; the rest is read.
    void brokenElementIsReportedAndTheRestRead()
    {
        const QString path = test::generatedTrace(u"otlp-json"_s, 30000, {u"--traces"_s, u"20"_s});
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        std::string text = file.readAll().toStdString();
        const std::size_t second = text.find("{\"resource\":", 20);
        QVERIFY(second != std::string::npos);
        const std::size_t value = text.find("\"kind\":", second) + 7;
        text[value] = 'x'; // "kind":x
        const LoadResult loaded = test::loadText(text, true);
        QVERIFY(loaded.report.hasErrors());
        QVERIFY(!loaded.dataset.spans.empty());
        const Diagnostic& first = loaded.report.diagnostics.front();
        QVERIFY2(first.offset >= second && first.line > 0, first.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestJsonRootArray)
#include "tst_json_root_array.moc"
