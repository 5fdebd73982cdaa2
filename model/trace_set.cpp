#include "trace_set.h"

namespace spanwise {

TraceSet TraceSet::ofDataset(std::shared_ptr<const Dataset> data, std::string path)
{
    TraceSet set;
    set.add({.path = std::move(path), .dataset = std::move(data)});
    return set;
}

void TraceSet::add(TraceSetFile file)
{
    if (!file.dataset)
        file.dataset = std::make_shared<const Dataset>();
    const auto index = static_cast<std::uint32_t>(files.size());
    const auto count = static_cast<std::uint32_t>(file.dataset->traces.size());
    files.push_back(std::move(file));
    traces.reserve(traces.size() + count);
    for (std::uint32_t t = 0; t < count; ++t)
        traces.push_back({index, t});
}

std::size_t TraceSet::spanCount() const
{
    std::size_t spans = 0;
    for (const TraceSetFile& file : files)
        spans += file.dataset->spans.size();
    return spans;
}

std::size_t TraceSet::failedFileCount() const
{
    std::size_t failed = 0;
    for (const TraceSetFile& file : files)
        failed += !file.skipped && !file.error.empty();
    return failed;
}

} // namespace spanwise
