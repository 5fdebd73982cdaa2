// One importer on its own (SPANWISE_FUZZ_FORMAT), then the model build (tree, clock skew, layout).
#include "fuzz_check.h"

#include <importer.h>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace spanwise;

namespace {

const Importer& importerUnderTest()
{
    const auto importers = allImporters();
    const auto it = std::find_if(importers.begin(), importers.end(), [](const Importer* importer) {
        return std::strcmp(importer->format, SPANWISE_FUZZ_FORMAT) == 0;
    });
    if (it == importers.end())
        std::abort();
    return **it;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const Importer& importer = importerUnderTest();
    std::vector<char> padded(size + kInputPadding, '\0');
    std::copy(data, data + size, padded.begin());
    const Input input{padded.data(), size};

    DatasetBuilder builder;
    ImportReport report;
    const int score = importer.sniff(input.text());
    if (score < 0 || score > 100)
        fuzz::abortOn("sniff score out of range: " + std::to_string(score));
    importer.read(input, builder, report);
    const Dataset dataset = builder.finish();
    fuzz::abortOn(check::findModelProblem(dataset, report, size));
    return 0;
}
