// The shallow structure of a JSON document found block by block on several threads is exactly what a
// plain byte-by-byte scan finds, wherever the blocks are cut; broken structure is refused.
#include <test_support.h>

#include <json_skeleton.h>

#include <QTest>

#include <simdjson.h>

#include <random>
#include <string>

using namespace spanwise;
using namespace Qt::StringLiterals;
using json::JsonSkeleton;
using json::SkeletonNode;

namespace {

// The text followed by the zero padding an Input promises.
struct PaddedText {
    explicit PaddedText(std::string text) : size(text.size()), bytes(std::move(text) + std::string(kInputPadding, '\0'))
    {
    }
    Input input() const { return {bytes.data(), size}; }
    std::size_t size;
    std::string bytes;
};

// The same structure found the simple way, one byte after the other: a backslash escapes the next
// byte (as in simdjson, wherever it stands), a member's key is the last string read in its object.
std::optional<std::vector<SkeletonNode>> referenceContainers(std::string_view text, std::uint32_t maxDepth)
{
    std::vector<SkeletonNode> nodes;
    std::vector<std::uint32_t> open;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> lastString; // per open container: last string in it
    bool inString = false;
    bool escaped = false;
    std::int64_t depth = 0;
    std::uint64_t stringStart = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (escaped) {
            escaped = false;
            continue;
        }
        if (c == '\\') {
            escaped = true;
            continue;
        }
        if (inString) {
            if (c == '"') {
                inString = false;
                if (depth >= 1 && depth <= maxDepth + 1)
                    lastString[depth - 1] = {stringStart, static_cast<std::uint32_t>(i - stringStart)};
            }
            continue;
        }
        if (c == '"') {
            inString = true;
            stringStart = i + 1;
        } else if (c == '{' || c == '[') {
            if (depth <= maxDepth) {
                if (open.empty() && !nodes.empty())
                    return std::nullopt;
                SkeletonNode node;
                node.begin = i;
                node.object = c == '{';
                node.depth = static_cast<std::uint32_t>(depth);
                if (!open.empty()) {
                    node.parent = open.back();
                    if (nodes[node.parent].object) {
                        node.member = true;
                        std::tie(node.keyBegin, node.keyLength) = lastString[depth - 1];
                    }
                }
                open.push_back(static_cast<std::uint32_t>(nodes.size()));
                nodes.push_back(node);
            }
            ++depth;
            lastString.resize(std::max<std::size_t>(lastString.size(), depth));
        } else if (c == '}' || c == ']') {
            if (--depth < 0)
                return std::nullopt;
            if (depth <= maxDepth) {
                if (nodes[open.back()].object != (c == '}'))
                    return std::nullopt;
                nodes[open.back()].end = i + 1;
                open.pop_back();
            }
        }
    }
    if (inString || depth != 0 || nodes.empty())
        return std::nullopt;
    return nodes;
}

QString describe(const std::optional<std::vector<SkeletonNode>>& nodes, std::string_view text)
{
    if (!nodes)
        return u"not well-formed"_s;
    QString out;
    for (const SkeletonNode& n : *nodes) {
        out += u"[%1,%2) d%3 p%4 %5"_s.arg(n.begin)
                   .arg(n.end)
                   .arg(n.depth)
                   .arg(qint64(n.parent))
                   .arg(n.object ? u"{}"_s : u"[]"_s);
        if (n.member)
            out += u" key \""_s + QString::fromUtf8(text.substr(n.keyBegin, n.keyLength)) + u'"';
        out += u'\n';
    }
    return out;
}

// Every block size from one byte to past the whole text, so a block starts at each byte; and
// several threads.
void compareEverywhere(const std::string& text, std::uint32_t maxDepth)
{
    const PaddedText padded(text);
    const auto expected = describe(referenceContainers(text, maxDepth), text);
    for (std::size_t blockSize = 1; blockSize <= text.size() + 1; ++blockSize) {
        for (const unsigned threads : {1u, 3u}) {
            const JsonSkeleton skeleton(padded.input(), threads, blockSize);
            const QString found = describe(skeleton.containers(maxDepth), text);
            if (found != expected) {
                qWarning().noquote() << "text:" << QString::fromStdString(text) << "block size" << blockSize
                                     << "threads" << threads << "max depth" << maxDepth;
                QCOMPARE(found, expected);
            }
        }
    }
}

// A backslash run of every length from 0 to 9 ending right before a quote or a bracket inside a
// string, so runs cross block boundaries at every position.
std::string backslashRuns()
{
    std::string text = "[";
    for (int n = 0; n < 10; ++n) {
        const std::string run(n, '\\');
        // An odd run escapes the quote after it, which then stays inside the string.
        text += "{\"k" + std::to_string(n) + "\":\"" + run + (n % 2 ? "\"]{" : "") + "\",\"a\":[" + "\"" + run +
                (n % 2 ? "\"" : "") + "\"]},";
    }
    text += "[\"\\\\\\\\\", {}]]";
    return text;
}

// Random JSON: nested objects and arrays, strings full of brackets, quotes and backslashes.
std::string randomJson(std::mt19937& random, int depth)
{
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const auto string = [&] {
        static constexpr const char* pieces[] = {"a", "[", "]", "{", "}", "\\\"", "\\\\", ":", ",", " ", "\\n", "x y"};
        std::string s = "\"";
        for (int i = pick(6); i > 0; --i)
            s += pieces[pick(static_cast<int>(std::size(pieces)))];
        return s + "\"";
    };
    const auto space = [&] { return std::string(static_cast<std::size_t>(pick(3)), pick(2) ? ' ' : '\n'); };
    const int kind = depth > 4 ? pick(3) : pick(6);
    switch (kind) {
    case 0:
        return string();
    case 1:
        return std::to_string(pick(1000));
    case 2:
        return pick(2) ? "true" : "null";
    case 3:
    case 4: {
        std::string s = "{" + space();
        for (int i = pick(4); i > 0; --i)
            s += string() + space() + ":" + space() + randomJson(random, depth + 1) + (i > 1 ? "," : "") + space();
        return s + "}";
    }
    default: {
        std::string s = "[" + space();
        for (int i = pick(4); i > 0; --i)
            s += randomJson(random, depth + 1) + space() + (i > 1 ? "," : "") + space();
        return s + "]";
    }
    }
}

} // namespace

class TestJsonSkeleton : public QObject {
    Q_OBJECT
private slots:
    void sameAsByteScan_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("flat object") << u"{\"a\":1,\"b\":[1,2],\"c\":{}}"_s;
        QTest::newRow("brackets in strings") << u"{\"x]\":\"[{\",\"y\":[\"}]\",{\"z{\":\"]\"}]}"_s;
        QTest::newRow("escaped quotes") << u"[\"a\\\"[\",{\"k\\\"{\":[\"\\\"\"]},\"\\\\\"]"_s;
        QTest::newRow("escaped key") << u"{\"sp\\u0061ns\":[{}],\"\\\\\":{\"\\\"\":[]}}"_s;
        QTest::newRow("nested") << u"[[[[[[{\"a\":[[{}]]}]]]]],[],{}]"_s;
        QTest::newRow("pretty printed")
            << u"{\n  \"data\" : [\n    {\n      \"spans\" : [ { \"a\" : \"b\" } ,\n {} ]\n    }\n  ]\n}\n"_s;
        QTest::newRow("whitespace around") << u" \r\n\t[ 1 , { } ] \n"_s;
        QTest::newRow("backslash runs") << QString::fromStdString(backslashRuns());
    }
    void sameAsByteScan()
    {
        QFETCH(QString, text);
        for (std::uint32_t maxDepth = 0; maxDepth <= 4; ++maxDepth)
            compareEverywhere(text.toStdString(), maxDepth);
    }

    void randomDocuments()
    {
        std::mt19937 random(7);
        for (int i = 0; i < 150; ++i) {
            const std::string text = "[" + randomJson(random, 0) + "," + randomJson(random, 0) + "]";
            QVERIFY(referenceContainers(text, 8).has_value());
            compareEverywhere(text, static_cast<std::uint32_t>(i % 4));
        }
    }

    // Default blocks on a document of a few megabytes, as the importers use it.
    void bigDocumentWithDefaultBlocks()
    {
        std::string text = "{\"data\":[";
        for (int i = 0; i < 60000; ++i)
            text += std::string(i ? "," : "") + "{\"traceID\":\"a\\\\\",\"spans\":[{\"tags\":[\"[\\\"{\"]},{}]}";
        text += "]}";
        const PaddedText padded(text);
        for (const unsigned threads : {1u, 2u, 4u}) {
            const JsonSkeleton skeleton(padded.input(), threads);
            QVERIFY(skeleton.balanced());
            QCOMPARE(describe(skeleton.containers(4), text), describe(referenceContainers(text, 4), text));
        }
    }

    void refusesBrokenStructure_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("scalar") << u"\"abc\""_s;
        QTest::newRow("unclosed array") << u"[1,[2]"_s;
        QTest::newRow("unclosed string") << u"{\"a\":\"}"_s;
        QTest::newRow("escaped closing quote") << u"[\"a\\\"]"_s;
        QTest::newRow("extra close") << u"[1]]"_s;
        QTest::newRow("closes before opening") << u"]]{}[["_s;
        QTest::newRow("wrong kind") << u"[1}"_s;
        QTest::newRow("wrong kind deep") << u"[[{]}]"_s;
        QTest::newRow("two values") << u"[] {}"_s;
        QTest::newRow("member without key") << u"{[1]}"_s;
        QTest::newRow("member without colon") << u"{\"a\" [1]}"_s;
    }
    void refusesBrokenStructure()
    {
        QFETCH(QString, text);
        const std::string bytes = text.toStdString();
        const PaddedText padded(bytes);
        for (std::size_t blockSize = 1; blockSize <= bytes.size() + 1; ++blockSize) {
            const JsonSkeleton skeleton(padded.input(), 2, blockSize);
            QVERIFY2(!skeleton.containers(8), qPrintable(u"block size %1"_s.arg(blockSize)));
        }
    }

    // An element is parsed in place as a document of its own: the bytes after it, readable but not
    // zeros, are not read as part of it.
    void elementParsedInPlace()
    {
        const std::string text = "[{\"a\":\"x\\\"]\",\"n\":12},{\"b\":[1,2,3],\"c\":\"tail\"}]";
        const PaddedText padded(text);
        const auto nodes = JsonSkeleton(padded.input(), 2, 5).containers(1);
        QVERIFY(nodes);
        QCOMPARE(nodes->size(), std::size_t(3));
        simdjson::ondemand::parser parser;
        const SkeletonNode& first = (*nodes)[1];
        const auto capacity = static_cast<std::size_t>(padded.size - first.begin + kInputPadding);
        simdjson::ondemand::document doc = parser.iterate(
            simdjson::padded_string_view(padded.bytes.data() + first.begin, first.end - first.begin, capacity));
        simdjson::ondemand::object object = doc.get_object();
        QCOMPARE(std::string_view(object["a"].get_string().value()), std::string_view("x\"]"));
        QCOMPARE(std::int64_t(object["n"].get_int64().value()), std::int64_t(12));
        // The number at the very end of an element is followed by the next element's bytes.
        const std::string numbers = "[[1,2],[3,45]]";
        const PaddedText paddedNumbers(numbers);
        const auto arrays = JsonSkeleton(paddedNumbers.input(), 1).containers(1);
        QVERIFY(arrays);
        const SkeletonNode& inner = (*arrays)[1];
        simdjson::ondemand::document innerDoc = parser.iterate(simdjson::padded_string_view(
            paddedNumbers.bytes.data() + inner.begin, inner.end - inner.begin, numbers.size() + kInputPadding));
        std::vector<std::int64_t> values;
        for (simdjson::ondemand::value v : innerDoc.get_array())
            values.push_back(v.get_int64().value());
        QCOMPARE(values, (std::vector<std::int64_t>{1, 2}));
    }

    // The objects of an array, found only when nothing but commas and white space lies between them.
    void objectElements_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("elements"); // "none": not an array of objects alone
        QTest::newRow("objects") << u"{\"a\": [ {\"x\": [1, {}]} ,\n{} ]}"_s
                                 << QStringList{u"{\"x\": [1, {}]}"_s, u"{}"_s};
        QTest::newRow("empty") << u"{\"a\": [ ]}"_s << QStringList{};
        QTest::newRow("a number") << u"{\"a\": [{}, 1, {}]}"_s << QStringList{u"none"_s};
        QTest::newRow("an array") << u"{\"a\": [{}, []]}"_s << QStringList{u"none"_s};
        QTest::newRow("two commas") << u"{\"a\": [{},, {}]}"_s << QStringList{u"none"_s};
        QTest::newRow("no comma") << u"{\"a\": [{} {}]}"_s << QStringList{u"none"_s};
        QTest::newRow("comma first") << u"{\"a\": [, {}]}"_s << QStringList{u"none"_s};
        QTest::newRow("comma last") << u"{\"a\": [{},]}"_s << QStringList{u"none"_s};
    }
    void objectElements()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, elements);
        const PaddedText padded(text.toStdString());
        const auto nodes = JsonSkeleton(padded.input(), 2, 4).containers(3);
        QVERIFY(nodes);
        const std::optional<std::vector<InputPart>> found = json::objectElements(padded.input(), *nodes, 1);
        QStringList texts;
        for (const InputPart& element : found.value_or(std::vector<InputPart>{}))
            texts += QString::fromStdString(padded.bytes.substr(element.begin, element.end - element.begin));
        QCOMPARE(found ? texts : QStringList{u"none"_s}, elements);
    }
};

QTEST_GUILESS_MAIN(TestJsonSkeleton)
#include "tst_json_skeleton.moc"
