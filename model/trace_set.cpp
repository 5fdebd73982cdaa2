#include "trace_set.h"

#include <algorithm>

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

std::vector<std::string> TraceSet::shortNames() const
{
    constexpr auto npos = std::string::npos;
    std::size_t common = npos; // length of the folder part every path shares, up to its last '/'
    for (const TraceSetFile& file : files) {
        const std::string& path = file.path;
        const std::size_t folder = path.rfind('/') == npos ? 0 : path.rfind('/') + 1;
        if (common == npos) {
            common = folder;
            continue;
        }
        const std::string& first = files.front().path;
        const std::size_t limit = std::min(common, folder);
        std::size_t same = 0;
        while (same < limit && first[same] == path[same])
            ++same;
        if (same < common) {
            const std::size_t slash = same ? first.rfind('/', same - 1) : npos;
            common = slash == npos ? 0 : slash + 1;
        }
    }
    std::vector<std::string> names;
    names.reserve(files.size());
    for (const TraceSetFile& file : files)
        names.push_back(file.path.substr(common == npos ? 0 : common));
    return names;
}

std::size_t TraceSet::failedFileCount() const
{
    std::size_t failed = 0;
    for (const TraceSetFile& file : files)
        failed += !file.skipped && !file.error.empty();
    return failed;
}

} // namespace spanwise
