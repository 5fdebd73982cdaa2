// Reading an input in parts on several threads (readInParts, DatasetBuilder::append): the dataset
// and the report are the ones one builder gets reading every part in order, down to string ids and
// ranges; cancelling and failing parts stop the run cleanly.
#include <part_reader.h>
#include <same_model.h>

#include <QTest>

#include <stdexcept>
#include <string>

using namespace spanwise;
using namespace spanwise::test;

namespace {

constexpr std::uint64_t kTestPartBytes = 1000;
constexpr int kParts = 40;

// Part p of a made-up input: a resource that continues from the part before every third part, a
// scope, spans of a few traces (trace ids recur across parts), nested attribute values, events,
// links, warnings, a skipped span and a problem of the input.
// The resource and scope of the part before, when one builder reads every part.
struct Current {
    std::uint32_t resource = kNoIndex;
    std::uint32_t scope = kNoIndex;
};

bool continues(int p)
{
    return p % 3 != 0;
}

// current: null when the part has a builder of its own.
void readPart(int p, DatasetBuilder& b, ImportReport& report, Current* current = nullptr)
{
    const std::string service = "service-" + std::to_string(p / 3);
    const bool continued = continues(p);
    const std::uint32_t resource =
        continued
            ? (current ? current->resource : b.continueResource(b.intern(service)))
            : b.addResource(b.intern(service),
                            b.appendAttributes(std::vector<Attribute>{
                                {b.intern("host.name"), Value::string(b.intern("host-" + std::to_string(p % 4)))}}));
    const std::uint32_t scope = continued
                                    ? (current ? current->scope : b.continueScope(b.intern("lib"), b.intern("1.0")))
                                    : b.addScope(b.intern("lib"), b.intern("1.0"), {});
    if (current)
        *current = {resource, scope};
    const std::uint64_t base = static_cast<std::uint64_t>(p) * kTestPartBytes;
    for (int i = 0; i < 30; ++i) {
        report.advance(base + static_cast<std::uint64_t>(i) * 30);
        SpanRecord r;
        r.traceId = {0, static_cast<std::uint64_t>(1 + (p + i) % 7)};
        r.id = static_cast<SpanId>(p * 100 + i + 1);
        r.parentId = i == 0 ? 0 : static_cast<SpanId>(p * 100 + i);
        r.resource = resource;
        r.scope = scope;
        r.name = b.intern("op-" + std::to_string(i % 5) + (i % 11 == 0 ? "-" + std::to_string(p) : ""));
        r.start = 1'000'000 + p * 1000 + i;
        r.end = r.start + 50;
        r.status = i % 9 == 0 ? StatusCode::Error : StatusCode::Ok;
        r.statusMessage = i % 9 == 0 ? b.intern("failed in part " + std::to_string(p)) : 0;
        const Range elements = b.appendAttributes(std::vector<Attribute>{
            {0, Value::integer(i)}, {0, Value::string(b.intern("element-" + std::to_string(p)))}});
        r.attributes = b.appendAttributes(std::vector<Attribute>{
            {b.intern("key-" + std::to_string(i % 6)), Value::string(b.intern("value-" + std::to_string(p * i)))},
            {b.intern("list"), Value::array(elements)},
            {b.intern("bytes"), Value::bytes(b.intern("\x01\x02"))}});
        r.events = b.appendEvents(std::vector<Event>{{r.start + 1, b.intern("retry"), elements}});
        r.links = b.appendLinks(std::vector<Link>{{r.traceId, r.id + 1, LinkType::Link, b.intern("ts"), elements}});
        const std::uint32_t index = b.addSpan(r);
        if (i == 7)
            b.addSpanWarning(index, "warning of span " + std::to_string(r.id));
        if (i == 8)
            b.addTraceWarning(r.traceId, "trace warning from part " + std::to_string(p));
    }
    report.skipSpan(base + 900, "a broken span in part " + std::to_string(p));
    if (p % 10 == 4)
        report.error(base + 950, "a damaged stretch in part " + std::to_string(p));
}

std::string text()
{
    std::string lines;
    for (std::uint64_t i = 0; i < kParts * kTestPartBytes / 50; ++i)
        lines += std::string(49, 'x') + "\n";
    return lines;
}

struct Read {
    Dataset dataset;
    ImportReport report;
};

Read readSerially(const std::string& input)
{
    DatasetBuilder builder;
    Read read;
    read.report.setText(input);
    Current current;
    for (int p = 0; p < kParts; ++p)
        readPart(p, builder, read.report, &current);
    read.dataset = builder.finish({.threads = 1});
    return read;
}

std::vector<InputPart> parts()
{
    std::vector<InputPart> parts;
    for (int p = 0; p < kParts; ++p)
        parts.push_back({std::uint64_t(p) * kTestPartBytes, std::uint64_t(p + 1) * kTestPartBytes});
    return parts;
}

Read readInParts(const std::string& input, unsigned threads)
{
    DatasetBuilder builder;
    Read read;
    read.report.setText(input);
    const std::vector<InputPart> all = parts();
    readInParts(Input{input.data(), input.size(), threads}, all, builder, read.report,
                [](std::size_t p, DatasetBuilder& b, ImportReport& report) {
        readPart(static_cast<int>(p), b, report);
    });
    read.dataset = builder.finish({.threads = 1});
    return read;
}

} // namespace

class TestPartReader : public QObject {
    Q_OBJECT

private slots:
    void sameAsOneBuilderReadingInOrder_data()
    {
        QTest::addColumn<unsigned>("threads");
        for (unsigned threads : {1u, 2u, 3u, 8u})
            QTest::addRow("%u threads", threads) << threads;
    }

    void sameAsOneBuilderReadingInOrder()
    {
        QFETCH(unsigned, threads);
        const std::string input = text();
        const Read serial = readSerially(input);
        const Read parted = readInParts(input, threads);
        QCOMPARE(serial.dataset.spans.size(), std::size_t(kParts * 30));
        verifySameModel(serial.dataset, parted.dataset);
        verifySameReport(serial.report, parted.report);
        QVERIFY(serial.report.diagnostics.at(0).line > 0);
    }

    // Every byte is reported read once, and the parts' ranges are the ones reported.
    void progressCoversTheInputOnce()
    {
        const std::string input = text();
        DatasetBuilder builder;
        ImportReport report;
        std::uint64_t covered = 0, lastDone = 0;
        bool ordered = true;
        report.onPartProgress = [&](std::uint64_t begin, std::uint64_t end, std::uint64_t done) {
            covered += end - begin;
            ordered = ordered && done >= lastDone && done == covered;
            lastDone = done;
            return true;
        };
        const std::vector<InputPart> all = parts();
        readInParts(Input{input.data(), input.size(), 3}, all, builder, report,
                    [](std::size_t p, DatasetBuilder& b, ImportReport& r) { readPart(int(p), b, r); });
        QVERIFY(ordered);
        QCOMPARE(covered, std::uint64_t(kParts) * kTestPartBytes);
    }

    void cancelledByProgress()
    {
        const std::string input = text();
        DatasetBuilder builder;
        ImportReport report;
        report.onPartProgress = [](std::uint64_t, std::uint64_t, std::uint64_t done) {
            return done < 5 * kTestPartBytes;
        };
        const std::vector<InputPart> all = parts();
        bool cancelled = false;
        try {
            readInParts(Input{input.data(), input.size(), 2}, all, builder, report,
                        [](std::size_t p, DatasetBuilder& b, ImportReport& r) { readPart(int(p), b, r); });
        } catch (const ImportCancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(builder.spanCount() < std::size_t(kParts * 30));
    }

    void failingPartStopsTheRun()
    {
        const std::string input = text();
        DatasetBuilder builder;
        ImportReport report;
        const std::vector<InputPart> all = parts();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 readInParts(Input{input.data(), input.size(), 4}, all, builder, report,
                                             [](std::size_t p, DatasetBuilder& b, ImportReport& r) {
            if (p == 17)
                throw std::runtime_error("out of something");
            readPart(int(p), b, r);
                                 }));
        QVERIFY(builder.spanCount() <= std::size_t(17 * 30));
    }

    // A service's resource is one for the whole input, and what an importer kept of a part outside
    // its builder moves along with the part's strings, resources and ranges.
    void appendedPartMovesWhatWasKept()
    {
        DatasetBuilder whole, first, second;
        whole.intern("already here");
        const std::uint32_t a = first.serviceResource(first.intern("checkout"));
        QCOMPARE(first.serviceResource(first.intern("checkout")), a);
        first.serviceResource(first.intern("cart"));
        const std::uint32_t host = first.addResource(first.intern("checkout"), {});
        QVERIFY(host != a);
        const std::uint32_t cart = second.serviceResource(second.intern("cart"));
        const std::uint32_t payment = second.serviceResource(second.intern("payment"));
        SpanRecord kept;
        kept.service = second.intern("payment");
        kept.name = second.intern("charge");
        kept.resource = payment;
        const Attribute card{second.intern("card"), Value::string(second.intern("visa"))};
        second.appendAttributes({&card, 1});
        kept.attributes = second.appendAttributes({&card, 1});

        const AppendedPart one = whole.append(first);
        QCOMPARE(one.resources, (std::vector<std::uint32_t>{0, 1, 2}));
        const AppendedPart two = whole.append(second);
        QCOMPARE(two.resources[cart], 1u); // the cart of the first part
        QCOMPARE(two.resources[payment], 3u);
        QCOMPARE(whole.serviceResource(whole.intern("payment")), 3u);
        const SpanRecord moved = two.record(kept);
        QCOMPARE(whole.str(moved.service), "payment");
        QCOMPARE(whole.str(moved.name), "charge");
        QCOMPARE(moved.resource, 3u);
        QCOMPARE(moved.attributes.first, 1u);
        whole.addSpan(moved);
        const Dataset data = whole.finish({.threads = 1});
        QCOMPARE(data.resources.size(), std::size_t(4));
        QCOMPARE(data.str(data.resources[3].service), "payment");
        const Attribute& attribute = data.attributes[data.spans[0].attributes.first];
        QCOMPARE(data.str(attribute.key), "card");
        QCOMPARE(data.str(two.value(card.value).stringId()), "visa");
    }

    void cutIntoPartsAtBoundaries()
    {
        const std::string lines = "aaaa\nbb\ncccccc\nd\neeeeeeee\n";
        const auto nextLine = [&](std::uint64_t offset) {
            const auto newline = lines.find('\n', offset);
            return newline == std::string::npos ? lines.size() : newline + 1;
        };
        const std::vector<InputPart> cut = cutIntoParts(0, lines.size(), 6, nextLine);
        QCOMPARE(cut.size(), std::size_t(3));
        QCOMPARE(cut[0].begin, std::uint64_t(0));
        QCOMPARE(cut[0].end, std::uint64_t(8));  // "aaaa\nbb\n"
        QCOMPARE(cut[1].end, std::uint64_t(15)); // "cccccc\n"
        QCOMPARE(cut[2].end, std::uint64_t(lines.size()));
        QVERIFY(cutIntoParts(5, 5, 6, nextLine).empty());
    }
};

QTEST_APPLESS_MAIN(TestPartReader)
#include "tst_part_reader.moc"
